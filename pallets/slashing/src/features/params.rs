//! The slashing parameters governance may change.

use frame_support::{dispatch::DispatchResult, ensure, traits::fungible::Inspect};
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::OperatorRegistry;

use crate::{Config, Error, Event, Pallet, Params, ParamsOf};

impl<T: Config> Pallet<T> {
	/// Validates and stores new parameters.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::validate_params(&params)?;
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}

	/// Checks the invariants between parameters: a non-zero review window that, with the
	/// report window, is shorter than the operators' unbonding delay (so stake can't leave
	/// before an offence in a service that just ended is reported and its slash lands), an
	/// offence age cap shorter than that delay too (so stake present at an offence is still
	/// there when it is reported), a
	/// non-zero minimum report fraction, a cap on one slash's fraction not below it, and a
	/// report deposit of at least the existential
	/// deposit (so a forfeit can always reach the treasury).
	pub fn validate_params(params: &ParamsOf<T>) -> Result<(), Error<T>> {
		ensure!(!params.defer_duration.is_zero(), Error::<T>::ZeroDeferDuration);
		ensure!(
			params.defer_duration.saturating_add(params.report_window)
				< T::Operators::unbonding_delay(),
			Error::<T>::DeferNotBelowUnbonding
		);
		ensure!(
			params.max_offence_age < T::Operators::unbonding_delay(),
			Error::<T>::OffenceAgeNotBelowUnbonding
		);
		ensure!(!params.min_fraction.is_zero(), Error::<T>::ZeroMinFraction);
		ensure!(params.max_fraction >= params.min_fraction, Error::<T>::MaxFractionBelowMinimum);
		ensure!(
			params.report_deposit >= T::Currency::minimum_balance(),
			Error::<T>::DepositBelowMinimum
		);
		Ok(())
	}
}
