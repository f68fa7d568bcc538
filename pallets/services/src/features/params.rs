//! The runtime parameters governance may change.

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Zero;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks and sets the runtime parameters. A new request expiry applies to requests made
	/// or updated afterwards; pending requests keep their expiry block. A new minimum
	/// heartbeat interval applies to blueprints created afterwards.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::ensure_valid_params(&params)?;
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}

	/// Checks the parameters: a non-zero request expiry and minimum heartbeat interval.
	pub(crate) fn ensure_valid_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(!params.request_expiry.is_zero(), Error::<T>::ZeroRequestExpiry);
		ensure!(!params.min_heartbeat_interval.is_zero(), Error::<T>::ZeroMinHeartbeatInterval);
		Ok(())
	}
}
