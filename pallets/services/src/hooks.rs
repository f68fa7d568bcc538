//! The per-block work: ending services, closing overdue job calls and expiring requests
//! whose time has come, then pruning old statistics.
//!
//! The first three run from a per-block index ([`ServiceEnds`], [`CallDeadlines`],
//! [`RequestExpiries`]) with a cursor (the oldest block that may still have entries). Each
//! block, `on_initialize` walks each index from its cursor up to the current block under one
//! [`WeightMeter`] limited to [`Config::MaxHookWeight`] and a per-index cap
//! ([`Config::MaxServiceEndsPerBlock`], [`Config::MaxCallClosesPerBlock`],
//! [`Config::MaxExpiriesPerBlock`]). Whatever doesn't fit stays in the index: the cursor stays
//! on its block, so it is done first in the next blocks. Lifetime ends go first, since they
//! pay operators (and finish their services' open calls), then overdue calls, then
//! expiries. Statistics pruning takes what weight is left. The cost of a block depends only
//! on the work done, never on how many requests, services or calls exist.

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, weights::WeightMeter};
use sp_runtime::traits::{One, Saturating};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Does the due lifetime ends, call closes and expiries, then statistics pruning, within
	/// the hook's weight limit. Returns the weight used.
	pub(crate) fn process_due(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::MaxHookWeight::get());
		// The base cost covers reading every cursor, each index's current block and the era.
		// A limit below it leaves everything to later blocks (or to the permissionless calls).
		if meter.try_consume(T::WeightInfo::on_initialize_idle()).is_err() {
			return Weight::zero();
		}

		let cursor = Self::drain_index(
			NextServiceEndBlock::<T>::get(),
			now,
			&mut meter,
			T::MaxServiceEndsPerBlock::get(),
			T::WeightInfo::on_initialize_end_service(),
			|block, max| ServiceEnds::<T>::iter_key_prefix(block).take(max).collect(),
			|block, service| match ServiceInstances::<T>::get(service) {
				Some(instance) => Self::settle(service, instance, TerminationReason::Ended),
				// Termination removes the entry; a stale one is just dropped.
				None => ServiceEnds::<T>::remove(block, service),
			},
		);
		NextServiceEndBlock::<T>::put(cursor);

		let cursor = Self::drain_index(
			NextCallDeadlineBlock::<T>::get(),
			now,
			&mut meter,
			T::MaxCallClosesPerBlock::get(),
			T::WeightInfo::on_initialize_close_call(),
			|block, max| CallDeadlines::<T>::iter_key_prefix(block).take(max).collect(),
			|block, (service, call_id)| match JobCalls::<T>::get(service, call_id) {
				Some(call) => match ServiceInstances::<T>::get(service) {
					Some(instance) => Self::finish_call(service, &instance, call_id, call, now),
					// Termination finishes a service's calls; a call without its service is
					// impossible, and is dropped without marks if it happens.
					None => Self::drop_orphan_call(service, call_id, &call),
				},
				// Closing a call removes the entry; a stale one is just dropped.
				None => CallDeadlines::<T>::remove(block, (service, call_id)),
			},
		);
		NextCallDeadlineBlock::<T>::put(cursor);

		let cursor = Self::drain_index(
			NextExpiryBlock::<T>::get(),
			now,
			&mut meter,
			T::MaxExpiriesPerBlock::get(),
			T::WeightInfo::on_initialize_expire_request(),
			|block, max| RequestExpiries::<T>::iter_key_prefix(block).take(max).collect(),
			|block, request| match Requests::<T>::get(request) {
				Some(req) => {
					let refunded = Self::finish_request(request, req);
					Self::deposit_event(Event::RequestExpired { request, refunded });
				}
				// Finishing a request removes the entry; a stale one is just dropped.
				None => RequestExpiries::<T>::remove(block, request),
			},
		);
		NextExpiryBlock::<T>::put(cursor);

		Self::prune_stats(&mut meter);
		meter.consumed()
	}

	/// Walks a per-block index from block `cursor` up to `now`, handling at most `cap` items,
	/// each charged `item_weight`, and charging a read for each block looked at. `keys`
	/// returns up to `max` keys of a block; `handle` does one item and removes its entry.
	/// Returns the new cursor: the oldest block that may still have entries.
	fn drain_index<K>(
		mut cursor: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
		meter: &mut WeightMeter,
		cap: u32,
		item_weight: Weight,
		keys: impl Fn(BlockNumberFor<T>, usize) -> Vec<K>,
		mut handle: impl FnMut(BlockNumberFor<T>, K),
	) -> BlockNumberFor<T> {
		let scan_weight = T::DbWeight::get().reads(1);
		let mut done = 0u32;
		while cursor <= now {
			if meter.try_consume(scan_weight).is_err() {
				break;
			}
			let room = cap.saturating_sub(done) as usize;
			// One more than there is room for tells whether the block will be finished.
			let due = keys(cursor, room.saturating_add(1));
			let mut finished = true;
			for (i, key) in due.into_iter().enumerate() {
				if i >= room || meter.try_consume(item_weight).is_err() {
					finished = false;
					break;
				}
				handle(cursor, key);
				done = done.saturating_add(1);
			}
			if !finished {
				break;
			}
			let next = cursor.saturating_add(One::one());
			if next == cursor {
				break;
			}
			cursor = next;
		}
		cursor
	}
}
