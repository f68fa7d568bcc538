//! Work recorded by the services pallet, and the era clock it reads.

use crate::pallet::*;
use warden_primitives::{BlueprintId, EraClock, EraIndex, RewardRecorder, ServiceId, WorkOutcome};

impl<T: Config> Pallet<T> {
	/// Counts one piece of work of `operator` in the active era. `points` count only on an
	/// incentivized blueprint, times its weight.
	fn record(operator: &T::AccountId, blueprint: BlueprintId, outcome: Recorded) {
		let earned = match outcome {
			Recorded::Result(WorkOutcome::Success, points) | Recorded::Heartbeat(points) => {
				IncentivizedBlueprints::<T>::get(blueprint)
					.map(|weight| (points, u128::from(points).saturating_mul(u128::from(weight))))
			}
			_ => None,
		};
		let mut era = ActiveEra::<T>::get();
		EraStats::<T>::mutate(era.index, operator, |stats| {
			let stats = stats.get_or_insert_with(Default::default);
			match outcome {
				Recorded::Result(WorkOutcome::Success, _) => {
					stats.successes = stats.successes.saturating_add(1)
				}
				Recorded::Result(WorkOutcome::Failure, _) => {
					stats.failures = stats.failures.saturating_add(1)
				}
				Recorded::Result(WorkOutcome::Missed, _) => {
					stats.missed = stats.missed.saturating_add(1)
				}
				Recorded::Heartbeat(_) => stats.heartbeats = stats.heartbeats.saturating_add(1),
			}
			if let Some((points, weighted)) = earned {
				stats.points = stats.points.saturating_add(u64::from(points));
				stats.weighted_points = stats.weighted_points.saturating_add(weighted);
			}
		});
		if let Some((_, weighted)) = earned.filter(|(_, weighted)| *weighted > 0) {
			era.weighted_points = era.weighted_points.saturating_add(weighted);
			ActiveEra::<T>::put(era);
		}
	}
}

/// What is being recorded.
#[derive(Clone, Copy)]
enum Recorded {
	/// A job result and the points a success is worth.
	Result(WorkOutcome, u32),
	/// A heartbeat and the points it is worth.
	Heartbeat(u32),
}

impl<T: Config> RewardRecorder<T::AccountId> for Pallet<T> {
	fn record_work(
		operator: &T::AccountId,
		_service: ServiceId,
		blueprint: BlueprintId,
		outcome: WorkOutcome,
		points: u32,
	) {
		Self::record(operator, blueprint, Recorded::Result(outcome, points));
	}

	fn record_heartbeat(operator: &T::AccountId, _service: ServiceId, blueprint: BlueprintId) {
		let points = Params::<T>::get().heartbeat_points;
		Self::record(operator, blueprint, Recorded::Heartbeat(points));
	}
}

impl<T: Config> EraClock for Pallet<T> {
	fn current_era() -> EraIndex {
		ActiveEra::<T>::get().index
	}
}
