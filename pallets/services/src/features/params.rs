//! The runtime parameters governance may change.

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Zero;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks and sets the runtime parameters. A new request expiry applies to requests made
	/// or updated afterwards; pending requests keep their expiry block.
	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		Self::ensure_valid_params(&params)?;
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}

	/// Checks the parameters: a non-zero request expiry.
	pub(crate) fn ensure_valid_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(!params.request_expiry.is_zero(), Error::<T>::ZeroRequestExpiry);
		Ok(())
	}
}
