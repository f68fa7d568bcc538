//! The invariants `try_state` checks.

use alloc::collections::btree_set::BTreeSet;
use frame_support::ensure;
use sp_runtime::{traits::Zero, TryRuntimeError};

use crate::{Config, MinValidators, Pallet, SessionLength, SlotDuration, Validators};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - the minimum is at least one and the set has at least the minimum;
	/// - no validator is listed twice;
	/// - the session length is non-zero;
	/// - a slot length chosen at genesis is a non-zero even number of milliseconds.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		if let Some(slot_duration) = SlotDuration::<T>::get() {
			ensure!(slot_duration > 0 && slot_duration % 2 == 0, "slot duration is zero or odd");
		}
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
