//! Governance of the parameters.

use crate::{pallet::*, RewardParams};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Replaces the parameters after checking them.
	pub(crate) fn do_set_params(params: RewardParams<BlockNumberFor<T>>) -> DispatchResult {
		ensure!(!params.era_length.is_zero(), Error::<T>::ZeroEraLength);
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
