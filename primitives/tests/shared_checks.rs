//! The checks the chain and a monitor share: a reward authorization goes with exactly one
//! balance proof and may name its monitor; each is signed by its party for one chain.

use sp_core::{sr25519, Pair, H256};
use sp_runtime::{traits::BlakeTwo256, AccountId32, MultiSignature};
use warden_primitives::{
	BalanceProof, BalanceProofPayload, PairMismatch, RewardAuthorization,
	RewardAuthorizationPayload,
};

type Proof = BalanceProof<u128, MultiSignature>;
type Authorization = RewardAuthorization<AccountId32, u128, H256, MultiSignature>;

const GENESIS: H256 = H256([7; 32]);

fn pair(uri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(uri, None).expect("a dev key")
}

fn account(uri: &str) -> AccountId32 {
	pair(uri).public().into()
}

fn proof(nonce: u64) -> Proof {
	let payload = BalanceProofPayload::new(GENESIS, 3, nonce, 70u128);
	payload.clone().into_proof(pair("//Alice").sign(&payload.signing_bytes()).into())
}

fn authorization(proof: &Proof, monitor: Option<AccountId32>) -> Authorization {
	let payload =
		RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(GENESIS, proof, 5, monitor);
	payload.clone().into_authorization(pair("//Bob").sign(&payload.signing_bytes()).into())
}

#[test]
fn an_authorization_goes_with_exactly_its_proof() {
	let ferdie = account("//Ferdie");
	let p = proof(4);
	let a = authorization(&p, None);
	assert_eq!(a.check_pair::<BlakeTwo256, _>(&p, &ferdie), Ok(()));

	let mut other_channel = a.clone();
	other_channel.channel = 4;
	assert_eq!(other_channel.check_pair::<BlakeTwo256, _>(&p, &ferdie), Err(PairMismatch::Channel));
	let mut other_nonce = a.clone();
	other_nonce.nonce = 5;
	assert_eq!(other_nonce.check_pair::<BlakeTwo256, _>(&p, &ferdie), Err(PairMismatch::Nonce));
	// Another proof of the same channel and nonce (another amount, another signature).
	let payload = BalanceProofPayload::new(GENESIS, 3, 4, 10u128);
	let twin: Proof =
		payload.clone().into_proof(pair("//Alice").sign(&payload.signing_bytes()).into());
	assert_eq!(a.check_pair::<BlakeTwo256, _>(&twin, &ferdie), Err(PairMismatch::Proof));
}

#[test]
fn a_named_authorization_is_for_its_monitor_only() {
	let p = proof(4);
	let named = authorization(&p, Some(account("//Ferdie")));
	assert_eq!(named.check_pair::<BlakeTwo256, _>(&p, &account("//Ferdie")), Ok(()));
	assert_eq!(
		named.check_pair::<BlakeTwo256, _>(&p, &account("//Eve")),
		Err(PairMismatch::NotNamedMonitor)
	);
}

#[test]
fn signatures_are_checked_against_their_party_and_chain() {
	let p = proof(4);
	let a = authorization(&p, None);
	assert!(p.is_signed_by(GENESIS, &account("//Alice")));
	assert!(!p.is_signed_by(GENESIS, &account("//Bob")));
	assert!(!p.is_signed_by(H256([8; 32]), &account("//Alice")));
	assert!(a.is_signed_by(GENESIS, &account("//Bob")));
	assert!(!a.is_signed_by(GENESIS, &account("//Alice")));
	assert!(!a.is_signed_by(H256([8; 32]), &account("//Bob")));
	// A changed field breaks the signature.
	let mut richer = a.clone();
	richer.reward = 6;
	assert!(!richer.is_signed_by(GENESIS, &account("//Bob")));
}
