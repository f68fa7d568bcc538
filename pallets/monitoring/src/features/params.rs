//! The runtime parameters.

use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_runtime::traits::Zero;

use crate::{Config, Error, Event, Pallet, Params, ParamsOf};

impl<T: Config> Pallet<T> {
	/// Checks `params`: every one must be non-zero.
	pub(crate) fn validate_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(!params.min_monitor_deposit.is_zero(), Error::<T>::MinMonitorDepositZero);
		ensure!(!params.registration_period.is_zero(), Error::<T>::RegistrationPeriodZero);
		ensure!(!params.unregister_delay.is_zero(), Error::<T>::UnregisterDelayZero);
		Ok(())
	}

	/// Validates and stores new parameters. Existing registrations keep their deposit and
	/// validity; a renewal must meet the new minimum.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::validate_params(&params)?;
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
