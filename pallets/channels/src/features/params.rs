//! The runtime parameters.

use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_runtime::traits::Zero;

use crate::{Config, Error, Event, Pallet, Params, ParamsOf};

impl<T: Config> Pallet<T> {
	/// Checks `params`: the challenge period and the minimum deposit must be non-zero.
	pub(crate) fn validate_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(!params.challenge_period.is_zero(), Error::<T>::ChallengePeriodZero);
		ensure!(!params.min_deposit.is_zero(), Error::<T>::MinDepositZero);
		Ok(())
	}

	/// Validates and stores new parameters. Closes already started keep their windows.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::validate_params(&params)?;
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
