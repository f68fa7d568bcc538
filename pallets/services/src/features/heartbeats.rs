//! Heartbeats: each operator of an active service owes one heartbeat per heartbeat window.
//!
//! Windows are counted from the service's start: window `w` covers the blocks
//! `start + w × interval .. start + (w + 1) × interval`, with the blueprint's
//! `heartbeat_interval`. An operator may send at most one heartbeat per window
//! ([`Error::HeartbeatTooEarly`] otherwise). A valid heartbeat is free (`Pays::No`) and
//! counts for rewards and statistics; an invalid one fails and pays its fee, so heartbeats
//! can't be used to spam.
//!
//! The windows an operator missed in a row are the whole windows since its last heartbeat
//! (or since the service's start), not counting the window in progress; windows already
//! covered by a missed-heartbeat report are settled too (see the reports feature).

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{traits::Saturating, SaturatedConversion};
use warden_primitives::ServiceId;

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// `operator` sends a heartbeat for `service` with `metrics`.
	pub(crate) fn do_heartbeat(
		operator: T::AccountId,
		service: ServiceId,
		metrics: MetricsOf<T>,
	) -> DispatchResult {
		let instance = ServiceInstances::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instance.end, Error::<T>::ServiceEnded);
		ensure!(instance.has_operator(&operator), Error::<T>::NotServiceOperator);
		let bp = Blueprints::<T>::get(instance.blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
		let window = Self::heartbeat_window(&instance, bp.policy.heartbeat_interval, now);
		let mut record = Heartbeats::<T>::get(service, &operator).unwrap_or_default();
		ensure!(
			record.last_heartbeat_window.is_none_or(|last| window > last),
			Error::<T>::HeartbeatTooEarly
		);

		record.last_heartbeat = Some(now);
		record.last_heartbeat_window = Some(window);
		Heartbeats::<T>::insert(service, &operator, record);
		Self::record_heartbeat(&operator, service, instance.blueprint);
		Self::deposit_event(Event::HeartbeatRecorded { service, operator, window, metrics });
		Ok(())
	}

	/// The heartbeat window of `instance` that block `at` falls in, with windows of
	/// `interval` blocks. Time after the service's end doesn't count.
	pub fn heartbeat_window(
		instance: &ServiceInstance<T>,
		interval: BlockNumberFor<T>,
		at: BlockNumberFor<T>,
	) -> u32 {
		let elapsed = at.min(instance.end).saturating_sub(instance.start);
		// A zero interval can't be set in a blueprint; if it were, no window would pass.
		if interval.is_zero() {
			return 0;
		}
		(elapsed / interval).saturated_into::<u32>()
	}

	/// The windows `record` has missed in a row at window `current`: since its last
	/// heartbeat, and of those the ones not yet covered by a report.
	pub fn missed_windows(record: &HeartbeatRecord<T>, current: u32) -> (u32, u32) {
		(
			current.saturating_sub(record.first_window_after_heartbeat()),
			current.saturating_sub(record.first_unsettled_window()),
		)
	}

	/// Forgets the heartbeats of terminating service `instance`.
	pub(crate) fn forget_heartbeats(service: ServiceId, instance: &ServiceInstance<T>) {
		for op in instance.operators.iter() {
			Heartbeats::<T>::remove(service, &op.operator);
		}
	}
}
