//! Heartbeats: each operator of an active service owes one heartbeat per heartbeat window.
//!
//! Windows are counted from the service's start: window `w` covers the blocks
//! `start + w × interval .. start + (w + 1) × interval`, with the blueprint's
//! `heartbeat_interval`. An operator may send at most one heartbeat per window
//! ([`Error::HeartbeatTooEarly`] otherwise). A valid heartbeat counts for the statistics;
//! an invalid one fails and pays its fee.
//!
//! ## Free block space
//!
//! A valid heartbeat is free (`Pays::No`) if it is one of the operator's first
//! [`Config::MaxFreeHeartbeatsPerBlock`] in the block and one of the block's first
//! [`Config::MaxFreeHeartbeatsPerBlockTotal`] of all operators; the rest pay their fee and
//! are recorded all the same, so an honest operator is never locked out. So the block space
//! one operator takes for free is at most that many heartbeats per block, however many
//! services it runs, and all operators together at most the chain-wide budget, however
//! many operators there are. Blueprints can't ask for heartbeats more often than the
//! `min_heartbeat_interval` parameter, and one registration runs at most
//! [`Config::MaxInstancesPerRegistration`] services.
//!
//! ## Availability
//!
//! The first valid heartbeat of an operator in a heartbeat window of a blueprint (windows
//! counted from block 0 in steps of the blueprint's interval, the same for all its
//! services) records its availability for rewards
//! ([`RewardRecorder::record_availability`](warden_primitives::RewardRecorder)): the stake it
//! really had at risk on the blueprint over time, that is its total stake times the integral
//! over blocks of its committed exposure on the blueprint's running services, since the last
//! record. The registration keeps that integral (`exposure_blocks`), brought up to date
//! whenever the exposure changes (a service starts or ends) and at each record.
//!
//! Only blocks in which the operator proved it was live count: all of them since the last
//! record if it also sent one in the previous window, otherwise only those since the
//! current window began (a share of the integral, in proportion). More services or more
//! heartbeats in a window add nothing, and neither do short services: a service started and
//! ended within a window, or a registration dropped and made again, counts for the blocks
//! its exposure was really held, and a new registration starts from nothing. An
//! operator's committed exposure is at most 100% of its stake across all blueprints at every
//! block, so what it earns in an era is at most its stake times the era's blocks, however
//! many blueprints it serves.
//!
//! The windows an operator missed in a row are the whole windows since its last heartbeat
//! (or since the service's start), not counting the window in progress; windows already
//! covered by a missed-heartbeat report are settled too (see the reports feature).

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{
	traits::{One, Saturating},
	SaturatedConversion,
};
use warden_primitives::{BlueprintId, OperatorRegistry, RewardRecorder, ServiceId};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// `operator` sends a heartbeat for `service` with `metrics`. Returns whether it is free.
	pub(crate) fn do_heartbeat(
		operator: T::AccountId,
		service: ServiceId,
		metrics: MetricsOf<T>,
	) -> Result<bool, DispatchError> {
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
		Self::record_availability(&operator, instance.blueprint, bp.policy.heartbeat_interval, now);
		let free = Self::take_free_heartbeat(&operator, now);
		Self::deposit_event(Event::HeartbeatRecorded { service, operator, window, metrics, free });
		Ok(free)
	}

	/// Records `operator`'s availability on `blueprint` at its first heartbeat in the
	/// blueprint's window of `interval` blocks that `now` falls in: the exposure it really
	/// held over the blocks since the last record, as far as its heartbeats prove it was
	/// live (see the module's docs).
	fn record_availability(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		interval: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
	) {
		if interval.is_zero() {
			return;
		}
		let window = now / interval;
		let credit = Registrations::<T>::mutate(operator, blueprint, |maybe| {
			let reg = maybe.as_mut()?;
			if reg.last_available_window.is_some_and(|last| last >= window) {
				return None;
			}
			let contiguous = reg
				.last_available_window
				.is_some_and(|last| last.saturating_add(One::one()) == window);
			reg.last_available_window = Some(window);
			reg.accrue(now);
			let exposure_blocks = core::mem::take(&mut reg.exposure_blocks);
			let since = core::mem::replace(&mut reg.credited_at, now);
			// Live since the last record if the operator also sent one in the previous
			// window; otherwise only since this window began.
			let from = if contiguous { since } else { since.max(window.saturating_mul(interval)) };
			let span: u64 = now.saturating_sub(since).saturated_into();
			let live: u64 = now.saturating_sub(from).saturated_into();
			// The share of the exposure held over the span that falls in the live part.
			let live_exposure_blocks = u128::from(exposure_blocks)
				.saturating_mul(u128::from(live))
				.checked_div(u128::from(span))
				.unwrap_or(0);
			Some((live_exposure_blocks, live))
		});
		let Some((exposure_blocks, blocks)) = credit else { return };
		if exposure_blocks == 0 || blocks == 0 {
			return;
		}
		// `exposure_blocks` percent-blocks of the stake backing the blueprint: as a stake at
		// risk over `blocks`.
		let stake: u128 = T::Operators::blueprint_stake(operator, blueprint).saturated_into();
		let denominator = 100u128.saturating_mul(u128::from(blocks));
		let at_risk = stake.saturating_mul(exposure_blocks).checked_div(denominator).unwrap_or(0);
		T::Rewards::record_availability(
			operator,
			blueprint,
			at_risk.saturated_into(),
			blocks.saturated_into::<u32>(),
		);
	}

	/// Takes one of `operator`'s free heartbeats of block `now` and one of the block's,
	/// if both are left.
	fn take_free_heartbeat(operator: &T::AccountId, now: BlockNumberFor<T>) -> bool {
		let used_in_block = BlockFreeHeartbeats::<T>::get()
			.filter(|(block, _)| *block == now)
			.map_or(0, |(_, used)| used);
		if used_in_block >= T::MaxFreeHeartbeatsPerBlockTotal::get() {
			return false;
		}
		let used = FreeHeartbeats::<T>::get(operator)
			.filter(|(block, _)| *block == now)
			.map_or(0, |(_, used)| used);
		if used >= T::MaxFreeHeartbeatsPerBlock::get() {
			return false;
		}
		FreeHeartbeats::<T>::insert(operator, (now, used.saturating_add(1)));
		BlockFreeHeartbeats::<T>::put((now, used_in_block.saturating_add(1)));
		true
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
