//! The whole story of part 2 in one test: a job call answered and closed, a report that
//! becomes a pending slash, and a permissionless report of missed heartbeats.

use frame_support::assert_ok;
use sp_runtime::{Perbill, Percent};
use warden_primitives::{SlashReason, WorkOutcome};

use crate::{mock::*, *};

#[test]
fn call_results_close_report_and_missed_heartbeats() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB, CHARLIE], &[FERDIE]);

		// 1. A permitted caller calls the job; two operators answer, one stays silent.
		let call = call_job(FERDIE, service, 0, b"fetch price");
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
			success(b"41")
		));
		for op in [ALICE, BOB] {
			assert_ok!(Services::heartbeat(RuntimeOrigin::signed(op), service, bytes(b"ok")));
		}
		run_to_block(6);
		assert!(events().contains(&Event::CallClosed {
			service,
			call_id: call,
			successes: 2,
			failures: 0,
			missed: 1
		}));
		assert_eq!(
			RecordedWork::get(),
			vec![
				(ALICE, service, 0, WorkOutcome::Success),
				(BOB, service, 0, WorkOutcome::Success),
				(CHARLIE, service, 0, WorkOutcome::Missed),
			]
		);

		// 2. ALICE, another operator, reports BOB's answer as wrong: a pending slash of 10%
		// of BOB's 20% exposure.
		assert_ok!(Services::report(
			RuntimeOrigin::signed(ALICE),
			service,
			BOB,
			ReportKind::JobMisbehaviour { call_id: call },
			bytes(b"the price was 42"),
			Perbill::from_percent(10),
		));
		let slash = ProposedSlashes::get()[0].clone();
		assert_eq!((slash.offender, slash.exposure), (BOB, Percent::from_percent(20)));

		// 3. CHARLIE never sends a heartbeat: after four whole windows anyone may report it.
		run_to_block(41);
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, CHARLIE));
		assert_eq!(
			ProposedSlashes::get()[1].reason,
			SlashReason::MissedHeartbeats { from_interval: 0, missed: 4 }
		);
		assert_eq!(ProposedSlashes::get()[1].fraction, Perbill::from_percent(5));

		assert_eq!(service_stats(service, ALICE), stats(1, 0, 1));
		assert_eq!(service_stats(service, CHARLIE), stats(0, 1, 0));
	});
}
