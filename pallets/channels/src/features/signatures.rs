//! Checking the signatures of balance proofs and cooperative closes, over the payloads
//! `warden-primitives` builds.

use frame_support::weights::Weight;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Verify, Zero};

use crate::{BalanceProofOf, Config, Pallet};

impl<T: Config> Pallet<T> {
	/// The weight of a call that checks signatures: the most expensive of its benchmarks,
	/// one per scheme `MultiSignature` carries (sr25519, ed25519, ecdsa). A signer picks
	/// the scheme, so the call is charged as if it picked the slowest to verify.
	pub fn signed_call_weight(per_scheme: [Weight; 3]) -> Weight {
		per_scheme.into_iter().fold(Weight::zero(), |max, weight| max.max(weight))
	}

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
