//! Checking the signatures of balance proofs and cooperative closes, over the payloads
//! `warden-primitives` builds.

use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Verify, Zero};

use crate::{BalanceProofOf, Config, Pallet};

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, which every signed payload names.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// Whether `proof` is signed by `sender` for this chain.
	pub(crate) fn signed_by_sender(proof: &BalanceProofOf<T>, sender: &T::AccountId) -> bool {
		proof.is_signed_by(Self::genesis_hash(), sender)
	}

	/// Whether `signature` is `receiver`'s cooperative-close signature of `proof`.
	pub(crate) fn co_signed_by_receiver(
		proof: &BalanceProofOf<T>,
		signature: &T::Signature,
		receiver: &T::AccountId,
	) -> bool {
		let message = proof.cooperative_close_payload(Self::genesis_hash()).signing_bytes();
		signature.verify(&message[..], receiver)
	}
}
