//! The per-block work: applying due slashes from the queue and pruning old records, both
//! driven by a [`WeightMeter`].

use alloc::vec::Vec;
use frame_support::{traits::Get, weights::WeightMeter, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating},
	Weight,
};

use crate::{
	ConcludedSlashes, Config, NextDueBlock, NextSlashId, NextToPrune, Pallet, PendingSlashes,
	SlashesDueAt, WeightInfo, LOG_TARGET,
};

impl<T: Config> Pallet<T> {
	/// The whole `on_initialize`: due slashes first, then pruning with what is left.
	pub(crate) fn do_on_initialize(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::MaxHookWeight::get());
		Self::apply_due_slashes(now, &mut meter);
		Self::prune_concluded(now, &mut meter);
		meter.consumed()
	}

	/// Applies due slashes in `(apply_at, id)` order, starting at the queue's cursor.
	///
	/// Each visited block costs `on_initialize_idle` and each applied slash
	/// `on_initialize_apply`. At most [`Config::MaxSlashesPerBlock`] slashes are applied;
	/// visits are bounded by the meter only, so a lagging cursor catches up over empty
	/// blocks. What doesn't fit stays queued, in order, and the cursor stays on its block.
	pub fn apply_due_slashes(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let max = T::MaxSlashesPerBlock::get();
		let visit_weight = T::WeightInfo::on_initialize_idle();
		let apply_weight = T::WeightInfo::on_initialize_apply();
		let mut cursor = NextDueBlock::<T>::get();
		let mut applied = 0u32;

		while cursor <= now && meter.try_consume(visit_weight).is_ok() {
			let due = SlashesDueAt::<T>::get(cursor);
			let mut done = 0usize;
			for slash_id in due.iter() {
				if applied >= max || meter.try_consume(apply_weight).is_err() {
					break;
				}
				applied.saturating_inc();
				done.saturating_inc();
				match PendingSlashes::<T>::take(slash_id) {
					Some(slash) => {
						Self::uncount_pending(&slash.offender);
						Self::apply(*slash_id, slash);
					}
					// Veto and `apply_slash` take their slash out of the queue, so this is a
					// broken invariant: say so instead of skipping quietly.
					None => log::error!(
						target: LOG_TARGET,
						"slash {slash_id} is queued but not pending; dropping the queue entry",
					),
				}
			}
			if done < due.len() {
				if done > 0 {
					let left: Vec<_> = due.into_iter().skip(done).collect();
					SlashesDueAt::<T>::insert(cursor, BoundedVec::truncate_from(left));
				}
				break;
			}
			SlashesDueAt::<T>::remove(cursor);
			cursor = cursor.saturating_add(One::one());
		}
		NextDueBlock::<T>::put(cursor);
	}

	/// Prunes concluded records older than [`Config::OutcomeRetention`], in id order,
	/// stopping at the first slash still pending or still retained. Each step costs
	/// `on_initialize_prune`; at most [`Config::MaxSlashesPerBlock`] steps.
	pub fn prune_concluded(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let max = T::MaxSlashesPerBlock::get();
		let step_weight = T::WeightInfo::on_initialize_prune();
		let retention = T::OutcomeRetention::get();
		let next_slash_id = NextSlashId::<T>::get();
		let mut next = NextToPrune::<T>::get();
		let mut steps = 0u32;

		while next < next_slash_id && steps < max && meter.try_consume(step_weight).is_ok() {
			steps.saturating_inc();
			if PendingSlashes::<T>::contains_key(next) {
				break;
			}
			if let Some(record) = ConcludedSlashes::<T>::get(next) {
				if record.at.saturating_add(retention) > now {
					break;
				}
				ConcludedSlashes::<T>::remove(next);
			}
			next.saturating_inc();
		}
		NextToPrune::<T>::put(next);
	}
}
