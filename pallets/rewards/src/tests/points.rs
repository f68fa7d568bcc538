//! Points: only incentivized blueprints count, times their weight; failures are counted.

use crate::{mock::*, EraStats, Event, OperatorEraStats};
use frame_support::assert_ok;
use warden_primitives::{Balance, RewardRecorder, WorkOutcome};

#[test]
fn non_incentivized_blueprints_earn_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		join(2, 1_000);
		run_to_era(1);
		work(1, PLAIN_BLUEPRINT, 1_000);
		outcome(1, PLAIN_BLUEPRINT, WorkOutcome::Success);
		work(2, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		assert_eq!(Rewards::pending_rewards(1), 0);
		assert_eq!(Rewards::pending_rewards(2), 1_000);
		let stats = EraStats::<Test>::get(1, 1).expect("operator 1 worked");
		assert_eq!((stats.successes, stats.points, stats.weighted_points), (1, 0, 0));
	});
}

#[test]
fn only_non_incentivized_work_carries_the_pot_over() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		run_to_era(1);
		work(1, PLAIN_BLUEPRINT, 5);
		fund(1_000);
		System::reset_events();
		run_to_era(2);
		assert!(events().contains(&Event::EraEnded {
			era: 1,
			emission: 0,
			pot: 1_000,
			weighted_points: 0
		}));
		assert_eq!(Rewards::pending_rewards(1), 0);
		assert_eq!(Rewards::distributable(), 1_000);
	});
}

#[test]
fn failures_and_misses_are_counted_and_earn_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		outcome(1, BLUEPRINT_A, WorkOutcome::Failure);
		outcome(1, BLUEPRINT_A, WorkOutcome::Missed);
		outcome(1, BLUEPRINT_A, WorkOutcome::Missed);
		assert_eq!(
			EraStats::<Test>::get(0, 1),
			Some(OperatorEraStats { failures: 1, missed: 2, ..Default::default() })
		);
		assert_eq!(active_era().weighted_points, 0);
	});
}

#[test]
fn availability_points_count_times_the_blueprint_weight() {
	ExtBuilder::default().build_and_execute(|| {
		// A window of 4 blocks with 5 at risk on blueprint B (weight 2), and the same on a
		// blueprint that isn't incentivized.
		<Rewards as RewardRecorder<AccountId, Balance>>::record_availability(&1, BLUEPRINT_B, 5, 4);
		<Rewards as RewardRecorder<AccountId, Balance>>::record_availability(
			&1,
			PLAIN_BLUEPRINT,
			5,
			4,
		);
		heartbeat(1, BLUEPRINT_B);
		outcome(1, BLUEPRINT_B, WorkOutcome::Success);
		assert_eq!(
			EraStats::<Test>::get(0, 1),
			Some(OperatorEraStats {
				points: 20,
				weighted_points: 40,
				successes: 1,
				heartbeats: 1,
				..Default::default()
			})
		);
		assert_eq!(active_era().weighted_points, 40);
	});
}

#[test]
fn results_and_heartbeats_are_counted_but_earn_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..50 {
			outcome(1, BLUEPRINT_B, WorkOutcome::Success);
			heartbeat(1, BLUEPRINT_B);
		}
		outcome(1, BLUEPRINT_B, WorkOutcome::Failure);
		outcome(1, BLUEPRINT_B, WorkOutcome::Missed);
		assert_eq!(
			EraStats::<Test>::get(0, 1),
			Some(OperatorEraStats {
				successes: 50,
				failures: 1,
				missed: 1,
				heartbeats: 50,
				..Default::default()
			})
		);
		assert_eq!(active_era().weighted_points, 0);
	});
}

#[test]
fn removing_an_incentive_stops_new_points_only() {
	ExtBuilder::default().build_and_execute(|| {
		work(1, BLUEPRINT_A, 4);
		assert_ok!(Rewards::remove_incentivized(RuntimeOrigin::root(), BLUEPRINT_A));
		work(1, BLUEPRINT_A, 4);
		let stats = EraStats::<Test>::get(0, 1).expect("stats");
		assert_eq!((stats.points, stats.weighted_points), (4, 4));
	});
}

#[test]
fn a_custom_incentive_set_at_genesis_applies() {
	ExtBuilder::default().incentivized(vec![(PLAIN_BLUEPRINT, 3)]).build_and_execute(|| {
		join(1, 1_000);
		run_to_era(1);
		work(1, PLAIN_BLUEPRINT, 2);
		assert_eq!(active_era().weighted_points, 6);
		work(1, BLUEPRINT_A, 2);
		assert_eq!(active_era().weighted_points, 6);
	});
}
