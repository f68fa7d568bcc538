//! Runtime parameters: validation and governance changes.

use frame_support::ensure;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};
use warden_primitives::SlashInspect;

use crate::{Config, Error, Event, Pallet, Params, ParamsOf};

impl<T: Config> Pallet<T> {
	/// Checks `params`: a non-zero leave delay and minimums, and unbonding and bond-less
	/// delays longer than the slashing pallet's defer window plus its report window, so
	/// stake can't be released before an offence in a service that just ended can be
	/// reported and the slash land, and longer than its offence age cap, so stake present
	/// at an offence is still there when it is reported.
	pub fn ensure_valid_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(!params.leave_delay.is_zero(), Error::<T>::ZeroLeaveDelay);
		ensure!(
			!params.min_operator_bond.is_zero() && !params.min_delegation.is_zero(),
			Error::<T>::ZeroMinimum
		);
		let windows = T::Slashing::defer_duration()
			.saturating_add(T::Slashing::report_window())
			.max(T::Slashing::max_offence_age());
		ensure!(params.unbonding_delay > windows, Error::<T>::UnbondingDelayTooShort);
		ensure!(params.bond_less_delay > windows, Error::<T>::BondLessDelayTooShort);
		Ok(())
	}

	/// Replaces the runtime parameters after checking them.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::ensure_valid_params(&params)?;
		Params::<T>::put(&params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
