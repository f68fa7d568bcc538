//! Operators' commission.

use crate::pallet::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use sp_runtime::Perbill;
use warden_primitives::OperatorRegistry;

impl<T: Config> Pallet<T> {
	/// Sets `operator`'s commission from the next era on.
	pub(crate) fn do_set_commission(operator: T::AccountId, commission: Perbill) -> DispatchResult {
		ensure!(T::Operators::state(&operator).is_some(), Error::<T>::NotOperator);
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		// Refreshing first settles a pending era with the commission that applied to it.
		let mut pool = Self::refreshed_pool(&operator).unwrap_or_default();
		let effective_from = ActiveEra::<T>::get().index.saturating_add(1);
		pool.next_commission = Some((commission, effective_from));
		Pools::<T>::insert(&operator, pool);
		Self::deposit_event(Event::CommissionSet { operator, commission, effective_from });
		Ok(())
	}
}
