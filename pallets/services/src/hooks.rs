//! The per-block work: ending services, closing overdue job calls, expiring requests and
//! closing the report windows of ended services whose time has come, then pruning old
//! statistics.
//!
//! The first four wait in [`DueQueue`](warden_primitives::schedule::DueQueue)s
//! ([`ServiceEndSchedule`], [`CallDeadlineSchedule`], [`ExpirySchedule`],
//! [`EndedServiceSchedule`]). Each block, `on_initialize` drains each queue up to the
//! current block under one [`WeightMeter`] limited to [`Config::MaxHookWeight`] and a
//! per-queue cap ([`Config::MaxServiceEndsPerBlock`], [`Config::MaxCallClosesPerBlock`],
//! [`Config::MaxExpiriesPerBlock`], and [`Config::MaxServiceEndsPerBlock`] again for report
//! windows). Whatever doesn't fit stays queued, in order, and is done first in the next
//! blocks. Lifetime ends go first, since they pay operators (and finish their services'
//! open calls), then overdue calls, then expiries, then report windows. Statistics pruning
//! takes what weight is left. The cost of a block depends only on the work done,
//! never on how many requests, services or calls exist.
//!
//! An entry whose item was already handled (a service terminated early, a call closed by
//! hand, a request updated, approved, cancelled or rejected) is stale: it costs the reads
//! that find it so and doesn't count toward the cap.

use frame_support::{pallet_prelude::*, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::schedule::{DrainLimits, Handled};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Does the due lifetime ends, call closes and expiries, then statistics pruning, within
	/// the hook's weight limit. Returns the weight used.
	pub(crate) fn do_on_initialize(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::MaxHookWeight::get());
		// The base cost covers reading and writing every queue's cursor and the era. A limit
		// below it leaves everything to later blocks (or to the permissionless calls).
		if meter.try_consume(T::WeightInfo::on_initialize_idle()).is_err() {
			return Weight::zero();
		}
		Self::end_due_services(now, &mut meter);
		Self::close_due_calls(now, &mut meter);
		Self::expire_due_requests(now, &mut meter);
		Self::close_report_windows(now, &mut meter);
		Self::prune_stats(&mut meter);
		meter.consumed()
	}

	/// What one look at a block of a queue costs beyond the base: reading its tail and
	/// removing it once drained.
	fn block_weight() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}

	/// What finding a stale entry costs: taking it and reading its item.
	fn stale_weight() -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}

	/// What one item costs, from its benchmark: a whole hook that did that one item, less
	/// the hook's base (`on_initialize_idle`), which the meter is charged once a block.
	pub(crate) fn item_weight(hook_with_one_item: Weight) -> Weight {
		hook_with_one_item.saturating_sub(T::WeightInfo::on_initialize_idle())
	}

	/// Terminates the services whose lifetime ended by `now`, paying their operators.
	pub(crate) fn end_due_services(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let limits = DrainLimits {
			max_items: T::MaxServiceEndsPerBlock::get(),
			per_block: Self::block_weight(),
			per_item: Self::item_weight(T::WeightInfo::on_initialize_end_service()),
		};
		ServiceEndSchedule::<T>::drain(now, meter, limits, |_, service| {
			match ServiceInstances::<T>::get(service) {
				Some(instance) => {
					Self::settle(service, instance, TerminationReason::Ended);
					Handled::Done(limits.per_item)
				}
				None => Handled::Stale(Self::stale_weight()),
			}
		});
	}

	/// Closes the job calls whose deadline passed by `now`, marking silent operators. Room
	/// for a call of the most operators must be left before each; the meter is charged for
	/// the call's own operators.
	pub(crate) fn close_due_calls(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let limits = DrainLimits {
			max_items: T::MaxCallClosesPerBlock::get(),
			per_block: Self::block_weight(),
			per_item: Self::item_weight(T::WeightInfo::on_initialize_close_call(
				T::MaxOperatorsPerService::get(),
			)),
		};
		CallDeadlineSchedule::<T>::drain(now, meter, limits, |_, (service, call_id)| {
			let Some(call) = JobCalls::<T>::get(service, call_id) else {
				return Handled::Stale(Self::stale_weight());
			};
			let operators = match ServiceInstances::<T>::get(service) {
				Some(instance) => {
					let operators = instance.operators.len() as u32;
					Self::finish_call(service, &instance, call_id, call, now);
					operators
				}
				// Termination finishes a service's calls; a call without its service is
				// impossible, and is dropped without marks if it happens.
				None => {
					Self::drop_orphan_call(service, call_id);
					T::MaxOperatorsPerService::get()
				}
			};
			Handled::Done(Self::item_weight(T::WeightInfo::on_initialize_close_call(operators)))
		});
	}

	/// Forgets the ended services whose report window closed by `now`.
	pub(crate) fn close_report_windows(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let limits = DrainLimits {
			max_items: T::MaxServiceEndsPerBlock::get(),
			per_block: Self::block_weight(),
			per_item: Self::item_weight(T::WeightInfo::on_initialize_close_report_window()),
		};
		EndedServiceSchedule::<T>::drain(now, meter, limits, |_, service| {
			if EndedServices::<T>::contains_key(service) {
				Self::forget_ended(service);
				Handled::Done(limits.per_item)
			} else {
				Handled::Stale(Self::stale_weight())
			}
		});
	}

	/// Expires the pending requests whose expiry block came by `now`, refunding them.
	pub(crate) fn expire_due_requests(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let limits = DrainLimits {
			max_items: T::MaxExpiriesPerBlock::get(),
			per_block: Self::block_weight(),
			per_item: Self::item_weight(T::WeightInfo::on_initialize_expire_request()),
		};
		ExpirySchedule::<T>::drain(now, meter, limits, |_, request| {
			match Requests::<T>::get(request) {
				// An update since this entry was queued moved the expiry later.
				Some(req) if req.expires_at <= now => {
					Self::expire(request, req);
					Handled::Done(limits.per_item)
				}
				_ => Handled::Stale(Self::stale_weight()),
			}
		});
	}
}
