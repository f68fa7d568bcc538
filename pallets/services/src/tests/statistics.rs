//! Per-era statistics, their pruning, and the runtime API answers for jobs, heartbeats and
//! statistics.

use frame_support::{assert_ok, traits::Get, weights::RuntimeDbWeight};
use warden_primitives::{HeartbeatInfo, JobCallInfo, JobOutcomeInfo};

use crate::{mock::*, *};

#[test]
fn statistics_are_kept_per_era_service_and_blueprint() {
	ExtBuilder::default().build_and_execute(|| {
		let first = active_service(&[ALICE, BOB], &[]);
		let second = active_service(&[ALICE], &[]);
		let call = call_job(EVE, first, 0, b"");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			first,
			call,
			success(b"")
		));
		let call = call_job(EVE, second, 0, b"");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			second,
			call,
			failure(b"")
		));
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), second, bytes(b"")));

		// Era 0 counted the heartbeat; the results count when their calls close.
		assert_eq!(ServiceStats::<Test>::get((0, second, ALICE)), stats(0, 0, 1));
		assert_eq!(ServiceStats::<Test>::get((0, first, ALICE)), stats(0, 0, 0));

		// A new era: new counts.
		CurrentEra::set(1);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(BOB), first, bytes(b"")));
		run_to_block(6);

		assert_eq!(ServiceStats::<Test>::get((0, second, ALICE)), stats(0, 0, 1));
		assert_eq!(BlueprintStats::<Test>::get((0, 0, ALICE)), stats(0, 0, 1));
		assert_eq!(ServiceStats::<Test>::get((0, first, BOB)), stats(0, 0, 0));
		// Both calls closed in era 1: ALICE's results count there, and BOB missed the first.
		assert_eq!(ServiceStats::<Test>::get((1, first, ALICE)), stats(1, 0, 0));
		assert_eq!(ServiceStats::<Test>::get((1, second, ALICE)), stats(0, 1, 0));
		assert_eq!(BlueprintStats::<Test>::get((1, 0, ALICE)), stats(1, 1, 0));
		assert_eq!(ServiceStats::<Test>::get((1, first, BOB)), stats(0, 1, 1));
		assert_eq!(BlueprintStats::<Test>::get((1, 0, BOB)), stats(0, 1, 1));
		assert_eq!(OldestStatsEra::<Test>::get(), 0);
	});
}

#[test]
fn old_eras_are_pruned_step_by_step() {
	ExtBuilder::default().stats_retention(1, 2).build_and_execute(|| {
		let service = active_service(&[ALICE, BOB, CHARLIE], &[]);
		for op in [ALICE, BOB, CHARLIE] {
			assert_ok!(Services::heartbeat(RuntimeOrigin::signed(op), service, bytes(b"")));
		}
		CurrentEra::set(1);
		run_to_block(2);
		// Era 0 is kept while era 1 is current (history depth 1).
		assert_eq!(ServiceStats::<Test>::iter().count(), 3);
		assert_ok!(Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"")));
		run_to_block(7);
		assert_eq!(ServiceStats::<Test>::iter().count(), 6);

		CurrentEra::set(3);
		events();
		// Two entries of each map per step, one step per block here: era 0 takes two blocks.
		let scans =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(3);
		let step = <() as WeightInfo>::on_initialize_prune_stats();
		MaxHookWeight::set(<() as WeightInfo>::on_initialize_idle() + scans + step);
		run_to_block(8);
		assert_eq!(ServiceStats::<Test>::iter_prefix((0,)).count(), 1);
		assert_eq!(OldestStatsEra::<Test>::get(), 0);
		run_to_block(9);
		assert_eq!(ServiceStats::<Test>::iter_prefix((0,)).count(), 0);
		assert_eq!(BlueprintStats::<Test>::iter_prefix((0,)).count(), 0);
		assert_eq!(OldestStatsEra::<Test>::get(), 1);
		assert_eq!(events(), vec![Event::StatsPruned { era: 0 }]);
		// Era 1 goes too; era 2 had nothing.
		run_to_block(12);
		assert_eq!(ServiceStats::<Test>::iter().count(), 0);
		assert_eq!(OldestStatsEra::<Test>::get(), 2);
		assert_eq!(events(), vec![Event::StatsPruned { era: 1 }]);
		// Nothing more to do while era 2 is within the depth.
		run_to_block(20);
		assert_eq!(OldestStatsEra::<Test>::get(), 2);
		assert!(events().is_empty());
	});
}

#[test]
fn pruning_with_a_generous_hook_finishes_in_one_block() {
	ExtBuilder::default().stats_retention(0, 10).build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		for op in [ALICE, BOB] {
			assert_ok!(Services::heartbeat(RuntimeOrigin::signed(op), service, bytes(b"")));
		}
		CurrentEra::set(5);
		events();
		run_to_block(2);
		assert_eq!(ServiceStats::<Test>::iter().count(), 0);
		assert_eq!(OldestStatsEra::<Test>::get(), 5);
		assert_eq!(events().len(), 5);
	});
}

#[test]
fn open_calls_are_reported_with_their_results() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let first = call_job(EVE, service, 0, b"a");
		let second = call_job(EVE, service, 0, b"b");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(BOB),
			service,
			first,
			success(b"ok")
		));
		let calls = Services::open_calls(service);
		assert_eq!(
			calls,
			vec![
				JobCallInfo {
					id: first,
					service,
					job: 0,
					caller: EVE,
					args: b"a".to_vec(),
					called_at: 1,
					deadline: 6,
					results: vec![(BOB, JobOutcomeInfo::Success(b"ok".to_vec()))],
				},
				JobCallInfo {
					id: second,
					service,
					job: 0,
					caller: EVE,
					args: b"b".to_vec(),
					called_at: 1,
					deadline: 6,
					results: vec![],
				},
			]
		);
		assert!(Services::open_calls(9).is_empty());
	});
}

#[test]
fn heartbeat_status_tells_who_may_be_reported() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		run_to_block(35);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")));
		run_to_block(41);
		assert_eq!(
			Services::heartbeat_status(service),
			vec![
				HeartbeatInfo {
					operator: ALICE,
					last_heartbeat: Some(35),
					missed_intervals: 0,
					reportable: false,
				},
				HeartbeatInfo {
					operator: BOB,
					last_heartbeat: None,
					missed_intervals: 4,
					reportable: true,
				},
			]
		);
		assert!(Services::heartbeat_status(9).is_empty());
	});
}

#[test]
fn stats_queries_cover_a_service_or_a_blueprint() {
	ExtBuilder::default().build_and_execute(|| {
		let first = active_service(&[ALICE, BOB], &[]);
		let second = active_service(&[CHARLIE], &[]);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(BOB), first, bytes(b"")));
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(CHARLIE), second, bytes(b"")));
		// Every operator of an active service, in its order, idle ones with zeros.
		assert_eq!(
			Services::service_stats(first, 0),
			vec![(ALICE, stats(0, 0, 0)), (BOB, stats(0, 0, 1))]
		);
		// An era not kept has nothing.
		assert!(Services::service_stats(first, 7).is_empty());
		// The blueprint's operators with recorded work, paged.
		let all = Services::blueprint_stats(0, 0, None, 10);
		assert_eq!(all.len(), 2);
		assert!(all.contains(&(BOB, stats(0, 0, 1))));
		assert!(all.contains(&(CHARLIE, stats(0, 0, 1))));
		let page = Services::blueprint_stats(0, 0, None, 1);
		let rest = Services::blueprint_stats(0, 0, Some(page[0].0), 10);
		assert_eq!(page.len() + rest.len(), 2);
		assert_ne!(page[0], rest[0]);
		// After termination, a service's statistics stay for their era.
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), first));
		assert_eq!(Services::service_stats(first, 0), vec![(BOB, stats(0, 0, 1))]);
	});
}
