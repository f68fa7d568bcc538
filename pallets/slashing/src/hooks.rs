//! The per-block work: applying due slashes from the queue and pruning old records, both
//! driven by one [`WeightMeter`].

use frame_support::{traits::Get, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, Weight};
use warden_primitives::schedule::{DrainLimits, Handled};

use crate::{
	ConcludedSlashes, Config, NextSlashId, NextToPrune, Pallet, PendingSlashes, SlashSchedule,
	WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// The whole `on_initialize`: due slashes first, then pruning with what is left.
	pub(crate) fn do_on_initialize(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::MaxHookWeight::get());
		Self::apply_due_slashes(now, &mut meter);
		Self::prune_concluded(now, &mut meter);
		meter.consumed()
	}

	/// Applies due slashes in the order they fell due and, within a block, were proposed.
	///
	/// Each block looked at costs `on_initialize_idle`; a slash is applied only if the meter
	/// has room for one over [`Config::MaxSlashedPositions`] positions, and costs what its
	/// positions cost ([`Pallet::apply_weight`]); at most [`Config::MaxSlashesPerBlock`] are
	/// applied. A queue entry whose slash was vetoed or applied by hand costs the reads that
	/// find it gone. What doesn't fit stays queued, in order.
	pub fn apply_due_slashes(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let limits = DrainLimits {
			max_items: T::MaxSlashesPerBlock::get(),
			per_block: T::WeightInfo::on_initialize_idle(),
			per_item: Self::apply_weight(T::MaxSlashedPositions::get(), true),
		};
		SlashSchedule::<T>::drain(
			now,
			meter,
			limits,
			|_, slash_id| match PendingSlashes::<T>::get(slash_id) {
				Some(slash) => {
					Self::remove_pending(slash_id, &slash);
					let positions = Self::apply(slash_id, slash);
					Handled::Done(Self::apply_weight(positions, true))
				}
				None => Handled::Stale(T::DbWeight::get().reads_writes(2, 1)),
			},
		);
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
