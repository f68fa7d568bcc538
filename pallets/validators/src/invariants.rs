//! The invariants `try_state` checks.

use alloc::collections::btree_set::BTreeSet;
use frame_support::ensure;
use sp_runtime::{traits::Zero, TryRuntimeError};

use crate::{Config, MinValidators, Pallet, SessionLength, Validators};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - the minimum is at least one and the set has at least the minimum;
	/// - no validator is listed twice;
	/// - the session length is non-zero.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let set = Validators::<T>::get();
		let min = MinValidators::<T>::get();
		if set.is_empty() && min == 0 && SessionLength::<T>::get().is_zero() {
			// Unconfigured: an empty genesis.
			return Ok(());
		}
		ensure!(min >= 1, "minimum number of validators is zero");
		ensure!(set.len() >= min as usize, "fewer validators than the minimum");
		let unique: BTreeSet<_> = set.iter().collect();
		ensure!(unique.len() == set.len(), "a validator is listed twice");
		ensure!(!SessionLength::<T>::get().is_zero(), "session length is zero");
		Ok(())
	}
}
