//! Governance of the incentivized blueprints.

use crate::pallet::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use warden_primitives::BlueprintId;

impl<T: Config> Pallet<T> {
	/// Incentivizes `blueprint` with `weight`, or changes its weight.
	pub(crate) fn do_set_incentivized(blueprint: BlueprintId, weight: u32) -> DispatchResult {
		ensure!(weight > 0, Error::<T>::ZeroWeight);
		if !IncentivizedBlueprints::<T>::contains_key(blueprint) {
			ensure!(
				IncentivizedBlueprints::<T>::count() < T::MaxIncentivizedBlueprints::get(),
				Error::<T>::TooManyIncentivized
			);
		}
		IncentivizedBlueprints::<T>::insert(blueprint, weight);
		Self::deposit_event(Event::IncentiveSet { blueprint, weight });
		Ok(())
	}

	/// Stops incentivizing `blueprint`.
	pub(crate) fn do_remove_incentivized(blueprint: BlueprintId) -> DispatchResult {
		ensure!(IncentivizedBlueprints::<T>::contains_key(blueprint), Error::<T>::NotIncentivized);
		IncentivizedBlueprints::<T>::remove(blueprint);
		Self::deposit_event(Event::IncentiveRemoved { blueprint });
		Ok(())
	}
}
