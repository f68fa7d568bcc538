//! The era boundary: ending an era, then settling it and pruning old statistics a bounded
//! number of items per block.

use crate::{
	pallet::*,
	types::{ActiveEraInfo, EraSettlement, EraWork, SettledEra},
	weights::WeightInfo,
};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	Weight,
};
use warden_primitives::EraIndex;

/// What one call of [`Pallet::era_work_step`] did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EraWorkStep {
	/// Nothing was in progress.
	Idle,
	/// One operator was visited by the settlement walk.
	Settled,
	/// The settlement walk found no more operators and finished.
	SettlementFinished,
	/// One statistics entry was removed.
	Pruned,
	/// No statistics entries were left: pruning finished.
	PruningFinished,
}

impl<T: Config> Pallet<T> {
	/// Ends the active era if due, then does era-boundary work within
	/// [`Config::EraWorkWeightLimit`] and [`Config::MaxEraWorkItemsPerBlock`]. Returns the
	/// weight used.
	pub(crate) fn do_on_initialize(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::EraWorkWeightLimit::get());
		meter.consume(T::WeightInfo::on_initialize_idle());
		Self::era_work(now, &mut meter);
		meter.consumed()
	}

	/// The era-boundary work of one block, charged to `meter`.
	pub(crate) fn era_work(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let mut work = CurrentEraWork::<T>::get();
		if work == EraWork::Idle
			&& Self::era_due(now)
			&& meter.try_consume(T::WeightInfo::on_initialize_era_start()).is_ok()
		{
			Self::end_era(now);
			work = CurrentEraWork::<T>::get();
		}
		let mut items = 0u32;
		while items < T::MaxEraWorkItemsPerBlock::get() {
			let weight = match work {
				EraWork::Idle => break,
				EraWork::Settling(_) => T::WeightInfo::on_initialize_settle_operator(),
				EraWork::Pruning { .. } => T::WeightInfo::on_initialize_prune_stats(),
			};
			if meter.try_consume(weight).is_err() {
				break;
			}
			Self::era_work_step();
			items = items.saturating_add(1);
			work = CurrentEraWork::<T>::get();
		}
	}

	/// Whether the active era has lasted its length.
	pub fn era_due(now: BlockNumberFor<T>) -> bool {
		let era_length = Params::<T>::get().era_length;
		!era_length.is_zero() && now >= ActiveEra::<T>::get().start.saturating_add(era_length)
	}

	/// Ends the active era: mints its emission, fixes its pot and starts the next era. The
	/// pot is everything in the pot account that is not owed already, less its existential
	/// deposit: the emission, `fund_pot` payments, and what earlier eras left. Without
	/// weighted points nothing is distributed and the pot carries over.
	pub(crate) fn end_era(now: BlockNumberFor<T>) {
		let ended = ActiveEra::<T>::get();
		let emission = Self::mint_emission(Params::<T>::get().emission_per_era);
		let pot = Self::distributable();
		Self::deposit_event(Event::EraEnded {
			era: ended.index,
			emission,
			pot,
			weighted_points: ended.weighted_points,
		});
		if ended.weighted_points > 0 {
			CurrentEraWork::<T>::put(EraWork::Settling(EraSettlement {
				era: ended.index,
				pot,
				weighted_points: ended.weighted_points,
				distributed: 0,
				last_visited: None,
			}));
		} else {
			Self::finish_settlement(SettledEra {
				era: ended.index,
				pot,
				weighted_points: 0,
				distributed: 0,
			});
		}
		let era = ended.index.saturating_add(1);
		ActiveEra::<T>::put(ActiveEraInfo { index: era, start: now, weighted_points: 0 });
		Self::deposit_event(Event::EraStarted { era, start: now });
	}

	/// Records a settled era and moves on to pruning the statistics of the era before it.
	fn finish_settlement(settled: SettledEra) {
		LastSettledEra::<T>::put(settled);
		Self::deposit_event(Event::EraSettled {
			era: settled.era,
			distributed: settled.distributed,
		});
		CurrentEraWork::<T>::put(match settled.era.checked_sub(1) {
			Some(era) => EraWork::Pruning { era },
			None => EraWork::Idle,
		});
	}

	/// Does one item of era-boundary work.
	pub(crate) fn era_work_step() -> EraWorkStep {
		match CurrentEraWork::<T>::get() {
			EraWork::Idle => EraWorkStep::Idle,
			EraWork::Settling(settlement) => {
				let next = match &settlement.last_visited {
					None => EraStats::<T>::iter_key_prefix(settlement.era).next(),
					Some(last) => EraStats::<T>::iter_key_prefix_from(
						settlement.era,
						EraStats::<T>::hashed_key_for(settlement.era, last),
					)
					.next(),
				};
				let Some(operator) = next else {
					Self::finish_settlement(SettledEra {
						era: settlement.era,
						pot: settlement.pot,
						weighted_points: settlement.weighted_points,
						distributed: settlement.distributed,
					});
					return EraWorkStep::SettlementFinished;
				};
				// Settles the operator unless a stake change or claim did it already.
				if let Some(pool) = Self::refreshed_pool(&operator) {
					Pools::<T>::insert(&operator, pool);
				}
				CurrentEraWork::<T>::mutate(|work| {
					if let EraWork::Settling(settlement) = work {
						settlement.last_visited = Some(operator);
					}
				});
				EraWorkStep::Settled
			}
			EraWork::Pruning { era } => match EraStats::<T>::iter_key_prefix(era).next() {
				Some(operator) => {
					EraStats::<T>::remove(era, operator);
					EraWorkStep::Pruned
				}
				None => {
					CurrentEraWork::<T>::put(EraWork::Idle);
					Self::deposit_event(Event::EraStatisticsPruned { era });
					EraWorkStep::PruningFinished
				}
			},
		}
	}

	/// Does one item of era-boundary work on behalf of anyone.
	pub(crate) fn do_settle_next() -> DispatchResult {
		ensure!(Self::era_work_step() != EraWorkStep::Idle, Error::<T>::NothingToSettle);
		Ok(())
	}

	/// The era whose settlement is in progress, if any.
	pub fn settling_era() -> Option<EraIndex> {
		match CurrentEraWork::<T>::get() {
			EraWork::Settling(settlement) => Some(settlement.era),
			_ => None,
		}
	}
}
