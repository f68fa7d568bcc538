//! Warden's off-chain signed messages, built with the `warden-primitives` constructors: the
//! very bytes the runtime verifies. The golden vectors of `warden-primitives` check them.
//!
//! - a sender's [`balance_proof`] for a channel;
//! - a receiver's [`cooperative_close_signature`] of a proof, which settles the channel
//!   at once;
//! - a receiver's [`reward_authorization`], promising a monitor a reward for submitting
//!   exactly one proof, optionally naming the only monitor that may.
//!
//! [`proof_arg`], [`authorization_arg`] and [`signature_arg`] turn them into the call
//! arguments of [`crate::api`].

use sp_runtime::traits::BlakeTwo256;
use subxt::utils::{AccountId32, H256};
use warden_primitives::{
	BalanceProof, BalanceProofPayload, ChannelId, RewardAuthorization, RewardAuthorizationPayload,
};

use crate::{
	api::runtime_types::warden_primitives::channels as chain,
	keys::{from_chain_account, to_chain_account},
	Keypair,
};

/// A balance proof, as `warden-primitives` builds it.
pub type Proof = BalanceProof<u128, sp_runtime::MultiSignature>;

/// A reward authorization, as `warden-primitives` builds it.
pub type Authorization =
	RewardAuthorization<sp_runtime::AccountId32, u128, sp_core::H256, sp_runtime::MultiSignature>;

fn chain_hash(hash: H256) -> sp_core::H256 {
	sp_core::H256::from(hash.0)
}

/// The sender's proof that it owes `transferred` in all on `channel`, with `nonce` above
/// every earlier proof's, on the chain with `genesis_hash`.
pub fn balance_proof(
	sender: &Keypair,
	genesis_hash: H256,
	channel: ChannelId,
	nonce: u64,
	transferred: u128,
) -> Proof {
	let payload = BalanceProofPayload::new(chain_hash(genesis_hash), channel, nonce, transferred);
	let signature = sender.sign(&payload.signing_bytes());
	payload.into_proof(signature)
}

/// The receiver's co-signature of `proof`: with it, either party settles the channel at
/// once with `cooperative_close`.
pub fn cooperative_close_signature(
	receiver: &Keypair,
	genesis_hash: H256,
	proof: &Proof,
) -> sp_runtime::MultiSignature {
	receiver.sign(&proof.cooperative_close_payload(chain_hash(genesis_hash)).signing_bytes())
}

/// The receiver's promise of `reward` from the channel's monitoring escrow to the monitor
/// that gets exactly `proof` accepted: any registered monitor, or only `monitor`.
pub fn reward_authorization(
	receiver: &Keypair,
	genesis_hash: H256,
	proof: &Proof,
	reward: u128,
	monitor: Option<&AccountId32>,
) -> Authorization {
	let payload = RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(
		chain_hash(genesis_hash),
		proof,
		reward,
		monitor.map(to_chain_account),
	);
	let signature = receiver.sign(&payload.signing_bytes());
	payload.into_authorization(signature)
}

/// The chain's signature type, as call arguments carry it.
pub type SignatureArg = crate::api::runtime_types::sp_runtime::MultiSignature;

/// `signature` as a call argument.
pub fn signature_arg(signature: &sp_runtime::MultiSignature) -> SignatureArg {
	match signature {
		sp_runtime::MultiSignature::Ed25519(s) => SignatureArg::Ed25519(s.0),
		sp_runtime::MultiSignature::Sr25519(s) => SignatureArg::Sr25519(s.0),
		sp_runtime::MultiSignature::Ecdsa(s) => SignatureArg::Ecdsa(s.0),
		sp_runtime::MultiSignature::Eth(s) => SignatureArg::Eth(s.0),
	}
}

/// `proof` as a call argument.
pub fn proof_arg(proof: &Proof) -> chain::BalanceProof<u128, SignatureArg> {
	chain::BalanceProof {
		channel: proof.channel,
		nonce: proof.nonce,
		transferred: proof.transferred,
		signature: signature_arg(&proof.signature),
	}
}

/// `authorization` as a call argument.
pub fn authorization_arg(
	authorization: &Authorization,
) -> chain::RewardAuthorization<AccountId32, u128, H256, SignatureArg> {
	chain::RewardAuthorization {
		channel: authorization.channel,
		nonce: authorization.nonce,
		reward: authorization.reward,
		proof_signature_hash: H256(authorization.proof_signature_hash.0),
		monitor: authorization.monitor.as_ref().map(from_chain_account),
		signature: signature_arg(&authorization.signature),
	}
}
