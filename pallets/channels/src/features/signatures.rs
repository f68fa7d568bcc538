//! Checking the signatures of balance proofs and cooperative closes.

use codec::Encode;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Verify, Zero};
use warden_primitives::{BalanceProofPayload, ChannelId, BALANCE_PROOF_TAG, COOPERATIVE_CLOSE_TAG};

use crate::{BalanceOf, BalanceProofOf, Config, Pallet};

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, which every signed payload names.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// What a balance proof's signature (with `tag`) signs on this chain.
	pub fn proof_payload(
		tag: [u8; 16],
		channel: ChannelId,
		nonce: u64,
		transferred: BalanceOf<T>,
	) -> BalanceProofPayload<T::Hash, ChannelId, BalanceOf<T>> {
		BalanceProofPayload { tag, genesis_hash: Self::genesis_hash(), channel, nonce, transferred }
	}

	/// Whether `proof` is signed by `sender` for this chain.
	pub(crate) fn signed_by_sender(proof: &BalanceProofOf<T>, sender: &T::AccountId) -> bool {
		let payload =
			Self::proof_payload(BALANCE_PROOF_TAG, proof.channel, proof.nonce, proof.transferred);
		payload.using_encoded(|message| proof.signature.verify(message, sender))
	}

	/// Whether `signature` is `receiver`'s cooperative-close signature of `proof`.
	pub(crate) fn co_signed_by_receiver(
		proof: &BalanceProofOf<T>,
		signature: &T::Signature,
		receiver: &T::AccountId,
	) -> bool {
		let payload = Self::proof_payload(
			COOPERATIVE_CLOSE_TAG,
			proof.channel,
			proof.nonce,
			proof.transferred,
		);
		payload.using_encoded(|message| signature.verify(message, receiver))
	}
}
