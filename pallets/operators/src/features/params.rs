//! Runtime parameters: validation and governance changes.

use frame_support::ensure;
use sp_runtime::{traits::Zero, DispatchResult};
use warden_primitives::SlashInspect;

use crate::{Config, Error, Event, Pallet, Params, ParamsOf};

impl<T: Config> Pallet<T> {
	/// Checks `params`: a non-zero leave delay and minimums, and unbonding and bond-less
	/// delays longer than the slashing pallet's defer window, so stake can't be released
	/// before a pending slash lands.
	pub fn ensure_valid_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(!params.leave_delay.is_zero(), Error::<T>::ZeroLeaveDelay);
		ensure!(
			!params.min_operator_bond.is_zero() && !params.min_delegation.is_zero(),
			Error::<T>::ZeroMinimum
		);
		let defer = T::Slashing::defer_duration();
		ensure!(params.unbonding_delay > defer, Error::<T>::UnbondingDelayTooShort);
		ensure!(params.bond_less_delay > defer, Error::<T>::BondLessDelayTooShort);
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
