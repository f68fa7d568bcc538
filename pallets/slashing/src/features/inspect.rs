//! What the operators pallet reads: [`SlashInspect`].

use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::SlashInspect;

use crate::{Config, Pallet, Params, PendingSlashCount};

impl<T: Config> SlashInspect<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn has_pending_slash(operator: &T::AccountId) -> bool {
		PendingSlashCount::<T>::contains_key(operator)
	}

	fn defer_duration() -> BlockNumberFor<T> {
		Params::<T>::get().defer_duration
	}
}
