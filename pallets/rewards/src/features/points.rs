//! Work recorded by the services pallet, and the era clock it reads.
//!
//! Points come from availability alone: each heartbeat window of an incentivized blueprint
//! in which an operator was available earns `stake at risk × window blocks × blueprint
//! weight`, where the stake at risk is the part of its stake committed to its running
//! services of that blueprint. The services pallet tells each window once per operator and
//! blueprint, and caps an operator's committed exposure over all its services at 100%, so
//! an operator's points in an era are at most `stake × era length × weight`, however many
//! services it runs, jobs it answers or heartbeats it sends. Results and heartbeats are
//! counted for the era's statistics only.

use crate::pallet::*;
use warden_primitives::{
	Balance, BlueprintId, EraClock, EraIndex, RewardRecorder, ServiceId, WorkOutcome,
};

impl<T: Config> Pallet<T> {
	/// Applies `count` to `operator`'s statistics of the active era.
	fn count(operator: &T::AccountId, count: impl FnOnce(&mut crate::types::OperatorEraStats)) {
		let era = ActiveEra::<T>::get();
		EraStats::<T>::mutate(era.index, operator, |stats| {
			count(stats.get_or_insert_with(Default::default))
		});
	}
}

impl<T: Config> RewardRecorder<T::AccountId, Balance> for Pallet<T> {
	fn record_work(
		operator: &T::AccountId,
		_service: ServiceId,
		_blueprint: BlueprintId,
		outcome: WorkOutcome,
	) {
		Self::count(operator, |stats| match outcome {
			WorkOutcome::Success => stats.successes = stats.successes.saturating_add(1),
			WorkOutcome::Failure => stats.failures = stats.failures.saturating_add(1),
			WorkOutcome::Missed => stats.missed = stats.missed.saturating_add(1),
		});
	}

	fn record_heartbeat(operator: &T::AccountId, _service: ServiceId, _blueprint: BlueprintId) {
		Self::count(operator, |stats| stats.heartbeats = stats.heartbeats.saturating_add(1));
	}

	fn record_availability(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		at_risk: Balance,
		blocks: u32,
	) {
		let Some(weight) = IncentivizedBlueprints::<T>::get(blueprint) else { return };
		let points = at_risk.saturating_mul(u128::from(blocks));
		let weighted = points.saturating_mul(u128::from(weight));
		if weighted == 0 {
			return;
		}
		Self::count(operator, |stats| {
			stats.points = stats.points.saturating_add(points);
			stats.weighted_points = stats.weighted_points.saturating_add(weighted);
		});
		ActiveEra::<T>::mutate(|era| {
			era.weighted_points = era.weighted_points.saturating_add(weighted)
		});
	}
}

impl<T: Config> EraClock for Pallet<T> {
	fn current_era() -> EraIndex {
		ActiveEra::<T>::get().index
	}
}
