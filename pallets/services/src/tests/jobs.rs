//! Jobs: calls, results with strict authorization, closing, and what termination does to
//! open calls.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::Pays,
	traits::{Get, Hooks},
	weights::Weight,
};
use sp_runtime::Percent;
use warden_primitives::{OperatorState, WorkOutcome};

use crate::{mock::*, *};

#[docify::export]
#[test]
fn job_call_example() {
	ExtBuilder::default().build_and_execute(|| {
		// EVE owns a service run by ALICE, BOB and CHARLIE (blueprint 0, whose job 0 has a
		// 5-block result deadline and is worth 10 points).
		let service = active_service(&[ALICE, BOB, CHARLIE], &[]);

		// EVE calls job 0: results are due before block 1 + 5.
		assert_ok!(Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"ping")));
		let call = JobCalls::<Test>::get(service, 0).unwrap();
		assert_eq!(call.deadline, 6);

		// ALICE answers, BOB reports a failure, CHARLIE stays silent.
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			0,
			success(b"pong")
		));
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(BOB),
			service,
			0,
			failure(b"out of gas")
		));

		// At the deadline the call is closed: CHARLIE gets a missed mark, and the call and its
		// results leave storage.
		run_to_block(6);
		assert!(events().contains(&Event::CallClosed {
			service,
			call_id: 0,
			successes: 1,
			failures: 1,
			missed: 1,
		}));
		assert!(JobCalls::<Test>::get(service, 0).is_none());
		assert_eq!(JobResults::<Test>::iter().count(), 0);

		// Rewards saw every outcome; the era's statistics count them.
		assert_eq!(
			RecordedWork::get(),
			vec![
				(ALICE, service, 0, WorkOutcome::Success),
				(BOB, service, 0, WorkOutcome::Failure),
				(CHARLIE, service, 0, WorkOutcome::Missed),
			]
		);
		assert_eq!(service_stats(service, ALICE), stats(1, 0, 0));
		assert_eq!(service_stats(service, BOB), stats(0, 1, 0));
		assert_eq!(service_stats(service, CHARLIE), stats(0, 1, 0));
	});
}

#[test]
fn call_records_the_call_with_its_deadline() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		run_to_block(3);
		events();
		assert_ok!(Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"args")));
		assert_eq!(
			JobCalls::<Test>::get(service, 0).unwrap(),
			JobCall { job: 0, caller: EVE, args: bytes(b"args"), called_at: 3, deadline: 8 }
		);
		assert_eq!(queued_call_closes(8), vec![(service, 0)]);
		assert_eq!(OpenCallCount::<Test>::get(service), 1);
		assert_eq!(NextCallId::<Test>::get(), 1);
		assert_eq!(
			events(),
			vec![Event::JobCalled { service, call_id: 0, job: 0, caller: EVE, deadline: 8 }]
		);
		// Call identifiers come from one counter for every service.
		let other = active_service(&[CHARLIE], &[]);
		assert_eq!(call_job(EVE, other, 0, b""), 1);
	});
}

#[test]
fn a_call_prepays_its_close_for_its_services_operators_only() {
	use frame_support::dispatch::GetDispatchInfo;
	ExtBuilder::default().build_and_execute(|| {
		let call = |service| crate::Call::<Test>::call { service, job: 0, args: bytes(b"x") };
		for operators in [&[ALICE][..], &[ALICE, BOB, CHARLIE][..]] {
			let service = active_service(operators, &[]);
			// Charged up front for the most operators a service has …
			let most = <<Test as Config>::MaxOperatorsPerService as frame_support::traits::Get<
				u32,
			>>::get();
			let charged = call(service).get_dispatch_info().call_weight;
			assert_eq!(charged, <() as WeightInfo>::call() + <() as WeightInfo>::close_call(most));
			// … and refunded down to the service's own.
			let used = Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"x"))
				.expect("the owner calls")
				.actual_weight;
			let own = operators.len() as u32;
			assert_eq!(
				used,
				Some(<() as WeightInfo>::call() + <() as WeightInfo>::close_call(own))
			);
			if own < most {
				assert!(used.is_some_and(|used| used.all_lte(charged) && used != charged));
			}
		}
	});
}

#[test]
fn permitted_callers_may_call_and_nobody_else() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[FERDIE]);
		assert_eq!(call_job(FERDIE, service, 0, b"x"), 0);
		assert_eq!(JobCalls::<Test>::get(service, 0).unwrap().caller, FERDIE);
		// Not the operators, not the blueprint owner, not a stranger.
		for who in [ALICE, BP_OWNER, 12] {
			assert_noop!(
				Services::call(RuntimeOrigin::signed(who), service, 0, bytes(b"x")),
				Error::<Test>::NotPermittedCaller
			);
		}
	});
}

#[test]
fn call_errors() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		assert_noop!(
			Services::call(RuntimeOrigin::signed(EVE), 9, 0, bytes(b"")),
			Error::<Test>::ServiceNotFound
		);
		assert_noop!(
			Services::call(RuntimeOrigin::signed(EVE), service, 1, bytes(b"")),
			Error::<Test>::JobNotFound
		);
		// Job 0 takes at most 256 bytes of arguments.
		assert_ok!(Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(&[1; 256])));
		assert_noop!(
			Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(&[1; 257])),
			Error::<Test>::ArgsTooLarge
		);
		// At most 4 open calls.
		for _ in 1..4 {
			call_job(EVE, service, 0, b"");
		}
		assert_noop!(
			Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"")),
			Error::<Test>::TooManyOpenCalls
		);
		// Past its end (the hook is off here, so it is not terminated yet).
		run_to_block(101);
		assert!(ServiceInstances::<Test>::contains_key(service));
		assert_ok!(Services::close_call(RuntimeOrigin::signed(12), service, 0));
		assert_noop!(
			Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"")),
			Error::<Test>::ServiceEnded
		);
	});
}

#[test]
fn closing_a_call_makes_room_for_another() {
	ExtBuilder::default().max_open_calls(1).build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		call_job(EVE, service, 0, b"");
		assert_noop!(
			Services::call(RuntimeOrigin::signed(EVE), service, 0, bytes(b"")),
			Error::<Test>::TooManyOpenCalls
		);
		run_to_block(6);
		assert_eq!(call_job(EVE, service, 0, b""), 1);
	});
}

#[test]
fn a_result_is_stored_alone_and_its_work_counts_when_the_call_closes() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB, CHARLIE], &[]);
		let call = call_job(EVE, service, 0, b"");
		let open = JobCalls::<Test>::get(service, call).unwrap();
		events();
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			call,
			success(b"42")
		));
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(BOB),
			service,
			call,
			failure(b"no")
		));
		assert_eq!(JobResults::<Test>::get((service, call, ALICE)), Some(success(b"42")));
		assert_eq!(JobResults::<Test>::get((service, call, BOB)), Some(failure(b"no")));
		// The result is the only write: the call is untouched and nothing is counted yet.
		assert_eq!(JobCalls::<Test>::get(service, call), Some(open.clone()));
		assert_eq!(RecordedWork::get(), vec![]);
		assert_eq!(blueprint_stats(0, ALICE), stats(0, 0, 0));
		assert_eq!(
			events(),
			vec![
				Event::ResultSubmitted {
					service,
					call_id: call,
					operator: ALICE,
					outcome: success(b"42")
				},
				Event::ResultSubmitted {
					service,
					call_id: call,
					operator: BOB,
					outcome: failure(b"no")
				},
			]
		);

		// At the deadline the hook closes the call: each operator's work is counted once.
		run_to_block(open.deadline);
		assert_eq!(
			RecordedWork::get(),
			vec![
				(ALICE, service, 0, WorkOutcome::Success),
				(BOB, service, 0, WorkOutcome::Failure),
				(CHARLIE, service, 0, WorkOutcome::Missed),
			]
		);
		assert_eq!(blueprint_stats(0, ALICE), stats(1, 0, 0));
		assert_eq!(blueprint_stats(0, BOB), stats(0, 1, 0));
		assert_eq!(blueprint_stats(0, CHARLIE), stats(0, 1, 0));
		assert!(events().contains(&Event::CallClosed {
			service,
			call_id: call,
			successes: 1,
			failures: 1,
			missed: 1
		}));
		assert_eq!(JobResults::<Test>::iter().count(), 0);
	});
}

#[test]
fn an_inactive_or_leaving_operator_still_answers_its_services() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		set_operator_state(ALICE, OperatorState::Inactive);
		set_operator_state(BOB, OperatorState::Leaving { at: 50 });
		let call = call_job(EVE, service, 0, b"");
		for op in [ALICE, BOB] {
			assert_ok!(Services::submit_result(
				RuntimeOrigin::signed(op),
				service,
				call,
				success(b"")
			));
		}
	});
}

#[test]
fn a_non_member_cannot_submit_a_result() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let call = call_job(EVE, service, 0, b"");
		// CHARLIE is registered for the blueprint but doesn't run this service; DAVE is an
		// operator registered for nothing; EVE owns the service.
		for who in [CHARLIE, DAVE, EVE, 12] {
			assert_noop!(
				Services::submit_result(RuntimeOrigin::signed(who), service, call, success(b"")),
				Error::<Test>::NotServiceOperator
			);
		}
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(ALICE), 9, call, success(b"")),
			Error::<Test>::ServiceNotFound
		);
	});
}

#[test]
fn a_result_for_another_services_call_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let first = active_service(&[ALICE, BOB], &[]);
		let second = active_service(&[ALICE, CHARLIE], &[]);
		let call = call_job(EVE, second, 0, b"");
		// ALICE runs both services, but the call belongs to the second one.
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(ALICE), first, call, success(b"")),
			Error::<Test>::CallNotFound
		);
		// BOB runs only the first: naming the second is refused too.
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(BOB), second, call, success(b"")),
			Error::<Test>::NotServiceOperator
		);
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			second,
			call,
			success(b"")
		));
	});
}

#[test]
fn a_result_for_another_job_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		// A result can only answer a call that is open in the service: not a call that was
		// never made, nor one of an earlier job that is closed.
		let earlier = call_job(EVE, service, 0, b"first");
		run_to_block(6);
		assert!(JobCalls::<Test>::get(service, earlier).is_none());
		let current = call_job(EVE, service, 0, b"second");
		for call_id in [earlier, current + 1, 99] {
			assert_noop!(
				Services::submit_result(
					RuntimeOrigin::signed(ALICE),
					service,
					call_id,
					success(b"")
				),
				Error::<Test>::CallNotFound
			);
		}
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			current,
			success(b"")
		));
	});
}

#[test]
fn a_second_result_is_refused_and_never_overwrites_the_first() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let call = call_job(EVE, service, 0, b"");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			call,
			failure(b"1")
		));
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(ALICE), service, call, success(b"2")),
			Error::<Test>::AlreadySubmitted
		);
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(ALICE), service, call, failure(b"3")),
			Error::<Test>::AlreadySubmitted
		);
		assert_eq!(JobResults::<Test>::get((service, call, ALICE)), Some(failure(b"1")));
		// Closed, the call counts ALICE's first result once.
		run_to_block(JobCalls::<Test>::get(service, call).unwrap().deadline);
		let alice: Vec<_> = RecordedWork::get().into_iter().filter(|w| w.0 == ALICE).collect();
		assert_eq!(alice, vec![(ALICE, service, 0, WorkOutcome::Failure)]);
	});
}

#[test]
fn a_late_result_is_refused() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let call = call_job(EVE, service, 0, b"");
		// The deadline is block 6: block 5 is the last one for results.
		run_to_block(5);
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			call,
			success(b"")
		));
		run_to_block(6);
		// The hook is off, so the call is still open, but BOB is late.
		assert!(JobCalls::<Test>::contains_key(service, call));
		assert_noop!(
			Services::submit_result(RuntimeOrigin::signed(BOB), service, call, success(b"")),
			Error::<Test>::DeadlinePassed
		);
	});
}

#[test]
fn close_call_is_permissionless_after_the_deadline_and_free() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let call = call_job(EVE, service, 0, b"");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			call,
			success(b"")
		));
		assert_noop!(
			Services::close_call(RuntimeOrigin::signed(12), service, call),
			Error::<Test>::DeadlineNotReached
		);
		assert_noop!(
			Services::close_call(RuntimeOrigin::signed(12), service, 7),
			Error::<Test>::CallNotFound
		);
		run_to_block(9);
		events();
		let info = Services::close_call(RuntimeOrigin::signed(12), service, call).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			events(),
			vec![Event::CallClosed {
				service,
				call_id: call,
				successes: 1,
				failures: 0,
				missed: 1
			}]
		);
		assert!(JobCalls::<Test>::get(service, call).is_none());
		assert_eq!(JobResults::<Test>::iter().count(), 0);
		assert_eq!(OpenCallCount::<Test>::get(service), 0);
		assert_eq!(closed_ids(service), vec![call]);
		assert_eq!(RecordedWork::get().last(), Some(&(BOB, service, 0, WorkOutcome::Missed)));
		assert_eq!(service_stats(service, BOB), stats(0, 1, 0));
		// Closed once only.
		assert_noop!(
			Services::close_call(RuntimeOrigin::signed(12), service, call),
			Error::<Test>::CallNotFound
		);
	});
}

#[test]
fn the_hook_closes_calls_at_their_deadline_within_its_cap() {
	ExtBuilder::default().max_call_closes_per_block(2).build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		let other = active_service(&[BOB], &[]);
		for _ in 0..3 {
			call_job(EVE, service, 0, b"");
		}
		call_job(EVE, other, 0, b"");
		run_to_block(5);
		assert_eq!(JobCalls::<Test>::iter().count(), 4);
		events();
		// Four calls are due at block 6; two are closed per block.
		run_to_block(6);
		assert_eq!(JobCalls::<Test>::iter().count(), 2);
		assert_eq!(CallDeadlineSchedule::<Test>::cursor(), (6, 2));
		run_to_block(7);
		assert_eq!(JobCalls::<Test>::iter().count(), 0);
		assert_eq!(CallDeadlineSchedule::<Test>::cursor(), (8, 0));
		let closed = events()
			.into_iter()
			.filter(|e| matches!(e, Event::CallClosed { missed: 1, .. }))
			.count();
		assert_eq!(closed, 4);
		assert_eq!(service_stats(service, ALICE), stats(0, 3, 0));
		assert_eq!(service_stats(other, BOB), stats(0, 1, 0));
	});
}

#[test]
fn the_hook_is_charged_for_the_operators_of_the_calls_it_closes() {
	// The hook's weight at block 6 with `calls` one-operator calls due then.
	fn hook_weight(calls: u32) -> Weight {
		let mut weight = Weight::zero();
		ExtBuilder::default().build_and_execute(|| {
			let service = active_service(&[ALICE], &[]);
			for _ in 0..calls {
				call_job(EVE, service, 0, b"");
			}
			run_to_block(5);
			System::set_block_number(6);
			weight = Services::on_initialize(6);
			assert_eq!(JobCalls::<Test>::iter().count(), 0);
		});
		weight
	}
	let most = <<Test as Config>::MaxOperatorsPerService as Get<u32>>::get();
	let one = Services::item_weight(<() as WeightInfo>::on_initialize_close_call(1));
	assert!(one.all_lte(<() as WeightInfo>::on_initialize_close_call(most)));
	assert_eq!(hook_weight(4), hook_weight(0).saturating_add(one.saturating_mul(4)));
}

#[test]
fn a_service_remembers_its_last_closed_calls_only() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		for _ in 0..5 {
			call_job(EVE, service, 0, b"");
			let now = System::block_number();
			run_to_block(now + 5);
		}
		// MaxClosedCallsKept is 3 in the test runtime.
		assert_eq!(closed_ids(service), vec![2, 3, 4]);
	});
}

#[test]
fn termination_closes_overdue_calls_and_cancels_the_others() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let overdue = call_job(EVE, service, 0, b"");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(ALICE),
			service,
			overdue,
			success(b"")
		));
		run_to_block(8);
		let pending = call_job(EVE, service, 0, b"");
		assert_ok!(Services::submit_result(
			RuntimeOrigin::signed(BOB),
			service,
			pending,
			failure(b"")
		));
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")));
		assert_eq!(ClosedCalls::<Test>::get(service).len(), 0);
		RecordedWork::take();
		events();

		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
		let events = events();
		// The overdue call is closed as usual: ALICE's result counts and BOB missed it. The
		// other is cancelled: BOB's result counts, ALICE still had time, so she gets no mark.
		assert_eq!(
			events[..2],
			[
				Event::CallClosed {
					service,
					call_id: overdue,
					successes: 1,
					failures: 0,
					missed: 1
				},
				Event::CallCancelled { service, call_id: pending, successes: 0, failures: 1 },
			]
		);
		assert_eq!(
			RecordedWork::get(),
			vec![
				(ALICE, service, 0, WorkOutcome::Success),
				(BOB, service, 0, WorkOutcome::Missed),
				(BOB, service, 0, WorkOutcome::Failure),
			]
		);
		// Nothing of the service's calls or heartbeats is left behind.
		assert_eq!(JobCalls::<Test>::iter().count(), 0);
		assert_eq!(JobResults::<Test>::iter().count(), 0);
		// Deadline entries of the finished calls are stale: the hook drops them.
		assert_eq!(OpenCallCount::<Test>::iter().count(), 0);
		assert_eq!(Heartbeats::<Test>::iter().count(), 0);
		// Both stay reportable until the report window closes, then go.
		assert_eq!(closed_ids(service), vec![overdue, pending]);
		let report_until = System::block_number() + ReportWindow::get();
		assert_eq!(
			EndedServices::<Test>::get(service).map(|ended| ended.report_until),
			Some(report_until)
		);
		MaxHookWeight::set(DEFAULT_HOOK_WEIGHT);
		run_to_block(report_until);
		assert_eq!(ClosedCalls::<Test>::iter().count(), 0);
		assert!(!EndedServices::<Test>::contains_key(service));
		// Statistics stay for their era.
		assert_eq!(service_stats(service, ALICE), stats(1, 0, 1));
		assert_eq!(service_stats(service, BOB), stats(0, 2, 0));
	});
}

#[test]
fn a_service_ending_in_the_hook_takes_its_calls_with_it() {
	ExtBuilder::default().build_and_execute(|| {
		let request = NextRequestId::<Test>::get();
		assert_ok!(Services::request(
			RuntimeOrigin::signed(EVE),
			0,
			ops(&[ALICE]),
			callers(&[]),
			3,
			Percent::zero(),
			100,
		));
		approve_all(request, &[ALICE]);
		let service = NextServiceId::<Test>::get() - 1;
		// Its lifetime ends at block 4, before the call's deadline at 6.
		let call = call_job(EVE, service, 0, b"");
		events();
		run_to_block(4);
		assert!(ServiceInstances::<Test>::get(service).is_none());
		assert!(events().contains(&Event::CallCancelled {
			service,
			call_id: call,
			successes: 0,
			failures: 0
		}));
		assert_eq!(JobCalls::<Test>::iter().count(), 0);
		// The deadline queue drops the stale entry at block 6.
		run_to_block(7);
		assert_eq!(CallDeadlines::<Test>::iter().count(), 0);
		assert!(RecordedWork::get().is_empty());
		assert_noop!(
			Services::close_call(RuntimeOrigin::signed(12), service, call),
			Error::<Test>::CallNotFound
		);
	});
}

/// The ids of the closed calls `service` keeps, oldest first.
fn closed_ids(service: u64) -> Vec<u64> {
	ClosedCalls::<Test>::get(service).iter().map(|(id, _)| *id).collect()
}
