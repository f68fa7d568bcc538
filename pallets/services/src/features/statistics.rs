//! Quality-of-service statistics: per era ([`Config::EraClock`]) and per operator, the
//! successful submissions, the failed ones (failures plus missed calls) and the heartbeats,
//! kept per service ([`ServiceStats`]) and per blueprint ([`BlueprintStats`]).
//!
//! Every piece of work is recorded in one place, `Pallet::record_work` and
//! `Pallet::record_heartbeat`, which tell the rewards pallet ([`Config::Rewards`]) and
//! count it here, so the two never disagree.
//!
//! ## Retention
//!
//! Statistics are kept for the current era and the [`Config::StatsHistoryDepth`] eras
//! before it. Older eras are pruned by `on_initialize`, oldest first, one step at a time:
//! each step removes up to [`Config::MaxStatsPrunedPerStep`] entries of each map and is
//! charged its benchmarked weight against the hook's limit. An era is done (and
//! [`Event::StatsPruned`] emitted) when both maps hold nothing more of it.

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, weights::WeightMeter};
use warden_primitives::{
	BlueprintId, EraClock, EraIndex, OperatorStats, RewardRecorder, ServiceId, WorkOutcome,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Records a job outcome of `operator` in `service` (of `blueprint`): for the rewards
	/// pallet's counters, and in the statistics of the current era.
	pub(crate) fn record_work(
		operator: &T::AccountId,
		service: ServiceId,
		blueprint: BlueprintId,
		outcome: WorkOutcome,
	) {
		T::Rewards::record_work(operator, service, blueprint, outcome);
		Self::count(operator, service, blueprint, |stats| match outcome {
			WorkOutcome::Success => stats.successes = stats.successes.saturating_add(1),
			WorkOutcome::Failure | WorkOutcome::Missed => {
				stats.failures = stats.failures.saturating_add(1)
			}
		});
	}

	/// Records a valid heartbeat of `operator` in `service` (of `blueprint`): for rewards and
	/// in the statistics of the current era.
	pub(crate) fn record_heartbeat(
		operator: &T::AccountId,
		service: ServiceId,
		blueprint: BlueprintId,
	) {
		T::Rewards::record_heartbeat(operator, service, blueprint);
		Self::count(operator, service, blueprint, |stats| {
			stats.heartbeats = stats.heartbeats.saturating_add(1)
		});
	}

	/// Applies `add` to the current era's statistics of `operator` in `service` and in
	/// `blueprint`.
	fn count(
		operator: &T::AccountId,
		service: ServiceId,
		blueprint: BlueprintId,
		add: impl Fn(&mut OperatorStats),
	) {
		let era = T::EraClock::current_era();
		ServiceStats::<T>::mutate((era, service, operator), &add);
		BlueprintStats::<T>::mutate((era, blueprint, operator), &add);
	}

	/// The first era whose statistics are kept now.
	pub fn first_kept_era() -> EraIndex {
		T::EraClock::current_era().saturating_sub(T::StatsHistoryDepth::get())
	}

	/// Prunes statistics of eras older than the history depth, one step at a time while
	/// `meter` allows.
	pub(crate) fn prune_stats(meter: &mut WeightMeter) {
		let first = OldestStatsEra::<T>::get();
		let keep_from = Self::first_kept_era();
		let mut oldest = first;
		while oldest < keep_from {
			if meter.try_consume(T::WeightInfo::on_initialize_prune_stats()).is_err() {
				break;
			}
			if !Self::prune_stats_step(oldest) {
				break;
			}
			Self::deposit_event(Event::StatsPruned { era: oldest });
			oldest = oldest.saturating_add(1);
		}
		if oldest != first {
			OldestStatsEra::<T>::put(oldest);
		}
	}

	/// Removes up to [`Config::MaxStatsPrunedPerStep`] entries of each statistics map for
	/// `era`. Returns whether nothing of `era` is left.
	pub(crate) fn prune_stats_step(era: EraIndex) -> bool {
		let limit = T::MaxStatsPrunedPerStep::get() as usize;
		// One more than the limit tells whether the era will be finished.
		let services: Vec<_> =
			ServiceStats::<T>::iter_key_prefix((era,)).take(limit.saturating_add(1)).collect();
		let blueprints: Vec<_> =
			BlueprintStats::<T>::iter_key_prefix((era,)).take(limit.saturating_add(1)).collect();
		let finished = services.len() <= limit && blueprints.len() <= limit;
		for (service, operator) in services.into_iter().take(limit) {
			ServiceStats::<T>::remove((era, service, operator));
		}
		for (blueprint, operator) in blueprints.into_iter().take(limit) {
			BlueprintStats::<T>::remove((era, blueprint, operator));
		}
		finished
	}
}
