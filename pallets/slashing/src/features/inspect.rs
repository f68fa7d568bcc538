//! What the operators pallet reads: [`SlashInspect`].

use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::SlashInspect;

use crate::{BalanceOf, Config, HeldBack, Pallet, Params, PendingSlashCount};

impl<T: Config> SlashInspect<T::AccountId, BlockNumberFor<T>, BalanceOf<T>> for Pallet<T> {
	fn has_pending_slash(operator: &T::AccountId) -> bool {
		PendingSlashCount::<T>::contains_key(operator)
	}

	fn held_back(operator: &T::AccountId, staker: &T::AccountId) -> BalanceOf<T> {
		HeldBack::<T>::get(staker, operator)
	}

	fn defer_duration() -> BlockNumberFor<T> {
		Params::<T>::get().defer_duration
	}

	fn report_window() -> BlockNumberFor<T> {
		Params::<T>::get().report_window
	}

	fn max_offence_age() -> BlockNumberFor<T> {
		Params::<T>::get().max_offence_age
	}
}
