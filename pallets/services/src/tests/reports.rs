//! Reports into the slashing queue, and permissionless missed-heartbeat reports.

use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::{DispatchError, Perbill, Percent};
use warden_primitives::{Reporters, ReportingPolicy, SlashReason};

use crate::{mock::*, *};

fn qos() -> ReportKind {
	ReportKind::QualityOfService { metric: bytes(b"latency") }
}

fn evidence() -> warden_primitives::Evidence {
	bytes(b"proof")
}

fn report(
	reporter: AccountId,
	service: u64,
	offender: AccountId,
	kind: ReportKind,
	fraction: Perbill,
) -> frame_support::dispatch::DispatchResult {
	Services::report(RuntimeOrigin::signed(reporter), service, offender, kind, evidence(), fraction)
}

/// A blueprint owned by [`BP_OWNER`] with `reporting`, ALICE and BOB registered, and an
/// active service of it owned by EVE run by both. Returns the service.
fn service_of_blueprint_with(reporting: Option<ReportingPolicy>) -> u64 {
	let mut policy = demo_policy();
	policy.reporting = reporting;
	let blueprint = NextBlueprintId::<Test>::get();
	assert_ok!(Services::create_blueprint(
		RuntimeOrigin::signed(BP_OWNER),
		metadata(b"other"),
		vec![job(b"j")].try_into().unwrap(),
		policy,
	));
	for op in [ALICE, BOB] {
		assert_ok!(Services::register(RuntimeOrigin::signed(op), blueprint, prefs(2)));
	}
	let request = NextRequestId::<Test>::get();
	assert_ok!(Services::request(
		RuntimeOrigin::signed(EVE),
		blueprint,
		ops(&[ALICE, BOB]),
		callers(&[]),
		100,
		Percent::zero(),
		0,
	));
	approve_all(request, &[ALICE, BOB]);
	NextServiceId::<Test>::get() - 1
}

#[test]
fn a_report_proposes_a_slash_of_the_committed_exposure() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		events();
		// The service's owner reports ALICE for quality of service: at most 5%.
		assert_ok!(report(EVE, service, ALICE, qos(), Perbill::from_percent(5)));
		let reason = SlashReason::QualityOfService { metric: bytes(b"latency") };
		assert_eq!(
			ProposedSlashes::get(),
			vec![Proposal {
				offender: ALICE,
				service,
				blueprint: 0,
				fraction: Perbill::from_percent(5),
				exposure: Percent::from_percent(20),
				reporter: EVE,
				reason: reason.clone(),
				evidence: evidence(),
				offence_at: System::block_number(),
			}]
		);
		assert_eq!(
			events(),
			vec![Event::OperatorReported {
				service,
				offender: ALICE,
				reporter: EVE,
				reason,
				fraction: Perbill::from_percent(5),
				slash_id: 0,
			}]
		);
		// Another operator of the service reports job misbehaviour on an open call: at most
		// 10%.
		let call = call_job(EVE, service, 0, b"");
		let called_at = System::block_number();
		run_to_block(called_at + 3);
		assert_ok!(report(
			BOB,
			service,
			ALICE,
			ReportKind::JobMisbehaviour { call_id: call },
			Perbill::from_percent(10)
		));
		let proposal = ProposedSlashes::get().pop().unwrap();
		assert_eq!(proposal.reporter, BOB);
		// The offence is the answer to the call: at the call's block, not the report's.
		assert_eq!(proposal.offence_at, called_at);
		assert_eq!(proposal.reason, SlashReason::JobMisbehaviour { call_id: call });
		assert!(events().contains(&Event::OperatorReported {
			service,
			offender: ALICE,
			reporter: BOB,
			reason: SlashReason::JobMisbehaviour { call_id: call },
			fraction: Perbill::from_percent(10),
			slash_id: 1,
		}));
	});
}

#[test]
fn a_report_from_someone_the_policy_does_not_name_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// The demo policy names the service's owner and its operators, not the blueprint's
		// owner.
		let service = active_service(&[ALICE, BOB], &[FERDIE]);
		for who in [BP_OWNER, FERDIE, CHARLIE, DAVE, 12] {
			assert_noop!(
				report(who, service, ALICE, qos(), Perbill::from_percent(1)),
				Error::<Test>::NotPermittedReporter
			);
		}
		// A policy naming only the blueprint's owner refuses the service's owner and operators.
		let only_blueprint_owner = ReportingPolicy {
			reporters: Reporters {
				service_owner: false,
				blueprint_owner: true,
				service_operators: false,
			},
			max_job_slash: Perbill::from_percent(10),
			max_qos_slash: Perbill::from_percent(5),
		};
		let other = service_of_blueprint_with(Some(only_blueprint_owner));
		for who in [EVE, BOB] {
			assert_noop!(
				report(who, other, ALICE, qos(), Perbill::from_percent(1)),
				Error::<Test>::NotPermittedReporter
			);
		}
		assert_ok!(report(BP_OWNER, other, ALICE, qos(), Perbill::from_percent(1)));
	});
}

#[test]
fn a_report_over_the_maximum_fraction_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let call = call_job(EVE, service, 0, b"");
		let job = ReportKind::JobMisbehaviour { call_id: call };
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_parts(50_000_001)),
			Error::<Test>::FractionTooHigh
		);
		assert_noop!(
			report(EVE, service, ALICE, job.clone(), Perbill::from_parts(100_000_001)),
			Error::<Test>::FractionTooHigh
		);
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::zero()),
			Error::<Test>::ZeroFraction
		);
		// Exactly the maximum is fine.
		assert_ok!(report(EVE, service, ALICE, job, Perbill::from_percent(10)));
	});
}

#[test]
fn a_report_to_a_blueprint_without_a_policy_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let service = service_of_blueprint_with(None);
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::NoReportingPolicy
		);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, ALICE),
			Error::<Test>::NoReportingPolicy
		);
	});
}

#[test]
fn report_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let other = active_service(&[CHARLIE], &[]);
		let other_call = call_job(EVE, other, 0, b"");
		assert_noop!(
			report(EVE, 9, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::ServiceNotFound
		);
		assert_noop!(
			report(EVE, service, CHARLIE, qos(), Perbill::from_percent(1)),
			Error::<Test>::OffenderNotInService
		);
		assert_noop!(
			report(ALICE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::SelfReport
		);
		// The call must be one of this service's.
		for call_id in [other_call, 42] {
			assert_noop!(
				report(
					EVE,
					service,
					ALICE,
					ReportKind::JobMisbehaviour { call_id },
					Perbill::from_percent(1)
				),
				Error::<Test>::CallNotFound
			);
		}
		// The queue's own refusal (e.g. the reporter can't post the deposit) changes nothing.
		SlashQueueFails::set(true);
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			DispatchError::Other("slash queue refused")
		);
	});
}

#[test]
fn an_operator_without_exposure_cannot_be_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		// An approval must commit some stake...
		let request = request_for(EVE, &[ALICE, BOB], 0);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), request, 0, Percent::zero()),
			Error::<Test>::ZeroExposure
		);
		approve_all(request, &[ALICE, BOB]);
		let service = NextServiceId::<Test>::get() - 1;
		// ...so a service whose operator committed nothing can't arise; if one did, neither
		// kind of report could slash it.
		let zero_exposure = |instance: &mut Option<ServiceInstance<Test>>| {
			if let Some(instance) = instance {
				instance.operators[0].exposure = Percent::zero();
			}
		};
		let original = ServiceInstances::<Test>::get(service);
		ServiceInstances::<Test>::mutate(service, zero_exposure);
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::NothingExposed
		);
		run_to_block(41);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, ALICE),
			Error::<Test>::NothingExposed
		);
		ServiceInstances::<Test>::set(service, original);
	});
}

#[test]
fn recently_closed_calls_can_be_reported() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let first = call_job(EVE, service, 0, b"");
		run_to_block(6);
		let job = |call_id| ReportKind::JobMisbehaviour { call_id };
		assert_ok!(report(EVE, service, ALICE, job(first), Perbill::from_percent(1)));
		// Three more closed calls push the first one out (MaxClosedCallsKept is 3).
		for _ in 0..3 {
			call_job(EVE, service, 0, b"");
			let now = System::block_number();
			run_to_block(now + 5);
		}
		assert_noop!(
			report(EVE, service, ALICE, job(first), Perbill::from_percent(1)),
			Error::<Test>::CallNotFound
		);
		assert_ok!(report(EVE, service, ALICE, job(first + 1), Perbill::from_percent(1)));
	});
}

#[test]
fn missed_heartbeats_can_be_reported_by_anyone() {
	ExtBuilder::default().build_and_execute(|| {
		// Interval 10, threshold 3, started at block 1: ALICE sends a heartbeat in window 0,
		// BOB never does.
		let service = active_service(&[ALICE, BOB], &[]);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")));
		// Block 40 is in window 3: BOB missed windows 0–2, three of them.
		run_to_block(40);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB),
			Error::<Test>::NotEnoughMissedHeartbeats
		);
		// Block 41 starts window 4: four missed windows, over the threshold. ALICE missed
		// windows 1–3 only.
		run_to_block(41);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, ALICE),
			Error::<Test>::NotEnoughMissedHeartbeats
		);
		events();
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB));
		let reason = SlashReason::MissedHeartbeats { from_interval: 0, missed: 4 };
		assert_eq!(
			ProposedSlashes::get(),
			vec![Proposal {
				offender: BOB,
				service,
				blueprint: 0,
				fraction: Perbill::from_percent(5),
				exposure: Percent::from_percent(20),
				reporter: 12,
				reason: reason.clone(),
				evidence: BoundedVec::new(),
				// The first reported window began with the service.
				offence_at: 1,
			}]
		);
		assert_eq!(
			events(),
			vec![Event::OperatorReported {
				service,
				offender: BOB,
				reporter: 12,
				reason,
				fraction: Perbill::from_percent(5),
				slash_id: 0,
			}]
		);
		assert_eq!(Heartbeats::<Test>::get(service, BOB).unwrap().last_reported_window, Some(3));
	});
}

#[test]
fn the_same_missed_window_cannot_be_reported_twice() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		run_to_block(41);
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB));
		// Again, by anyone: the windows are already covered.
		for who in [12, FERDIE, ALICE] {
			assert_noop!(
				Services::report_missed_heartbeats(RuntimeOrigin::signed(who), service, BOB),
				Error::<Test>::MissedHeartbeatsAlreadyReported
			);
		}
		// Three more missed windows (4–6) are not over the threshold yet.
		run_to_block(71);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB),
			Error::<Test>::MissedHeartbeatsAlreadyReported
		);
		// A fourth (window 7) is: the new report covers windows 4–7.
		run_to_block(81);
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB));
		assert_eq!(
			ProposedSlashes::get()[1].reason,
			SlashReason::MissedHeartbeats { from_interval: 4, missed: 4 }
		);
	});
}

#[test]
fn a_heartbeat_after_a_report_starts_the_count_again() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		run_to_block(41);
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB));
		// A heartbeat in the reported stretch's following window is allowed…
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(BOB), service, bytes(b"")));
		// …and the next report needs four whole windows missed after it (windows 5–8).
		run_to_block(81);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB),
			Error::<Test>::NotEnoughMissedHeartbeats
		);
		run_to_block(91);
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB));
		assert_eq!(
			ProposedSlashes::get()[1].reason,
			SlashReason::MissedHeartbeats { from_interval: 5, missed: 4 }
		);
	});
}

#[test]
fn missed_heartbeat_report_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		run_to_block(41);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), 9, BOB),
			Error::<Test>::ServiceNotFound
		);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, CHARLIE),
			Error::<Test>::OffenderNotInService
		);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(BOB), service, BOB),
			Error::<Test>::SelfReport
		);
		SlashQueueFails::set(true);
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB),
			DispatchError::Other("slash queue refused")
		);
	});
}

#[test]
fn time_after_the_end_does_not_count_as_missed() {
	ExtBuilder::default()
		.max_hook_weight(frame_support::weights::Weight::zero())
		.build_and_execute(|| {
			// A 35-block service: windows 0–2 are whole, window 3 (blocks 31–35) is cut short.
			let request = NextRequestId::<Test>::get();
			assert_ok!(Services::request(
				RuntimeOrigin::signed(EVE),
				0,
				ops(&[ALICE, BOB]),
				callers(&[]),
				35,
				Percent::zero(),
				0,
			));
			approve_all(request, &[ALICE, BOB]);
			let service = NextServiceId::<Test>::get() - 1;
			// Long past its end (the hook is off, so it is still there): three missed
			// windows, not over the threshold.
			run_to_block(200);
			assert_noop!(
				Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB),
				Error::<Test>::NotEnoughMissedHeartbeats
			);
		});
}

#[test]
fn an_ended_service_can_be_reported_on_within_the_report_window() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		let call = call_job(EVE, service, 0, b"");
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
		assert!(!ServiceInstances::<Test>::contains_key(service));
		let report_until = System::block_number() + ReportWindow::get();
		// The cancelled call, and the service's operators and exposure, are kept.
		assert_eq!(
			EndedServices::<Test>::get(service).map(|ended| (ended.report_until, ended.blueprint)),
			Some((report_until, 0))
		);
		// Alice and Bob unregister and could leave: the report still lands.
		for op in [ALICE, BOB] {
			assert_ok!(Services::unregister(RuntimeOrigin::signed(op), 0));
		}
		run_to_block(report_until - 1);
		assert_ok!(report(
			EVE,
			service,
			ALICE,
			ReportKind::JobMisbehaviour { call_id: call },
			Perbill::from_percent(10)
		));
		let proposal = ProposedSlashes::get().pop().unwrap();
		assert_eq!(
			(proposal.offender, proposal.service, proposal.exposure),
			(ALICE, service, Percent::from_percent(20))
		);
		// The same rules as for an active service.
		assert_noop!(
			report(CHARLIE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::NotPermittedReporter
		);
		assert_noop!(
			report(EVE, service, CHARLIE, qos(), Perbill::from_percent(1)),
			Error::<Test>::OffenderNotInService
		);
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(6)),
			Error::<Test>::FractionTooHigh
		);
		// Missed heartbeats are only reportable while the service runs.
		assert_noop!(
			Services::report_missed_heartbeats(RuntimeOrigin::signed(CHARLIE), service, ALICE),
			Error::<Test>::ServiceNotFound
		);
		// At report_until the window is over, and the hook forgets the service.
		events();
		run_to_block(report_until);
		assert!(events().contains(&Event::ReportWindowClosed { service }));
		assert!(!EndedServices::<Test>::contains_key(service));
		assert!(ClosedCalls::<Test>::get(service).is_empty());
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::ServiceNotFound
		);
	});
}

#[test]
fn a_report_after_the_window_is_refused_even_if_the_hook_is_behind() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
		let report_until = System::block_number() + ReportWindow::get();
		// Jump past the window without running the hook.
		System::set_block_number(report_until);
		assert!(EndedServices::<Test>::contains_key(service));
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::ReportWindowOver
		);
	});
}

#[test]
fn an_ended_service_follows_the_rules_it_ended_with() {
	ExtBuilder::default().build_and_execute(|| {
		let only_blueprint_owner = ReportingPolicy {
			reporters: Reporters {
				service_owner: false,
				blueprint_owner: true,
				service_operators: false,
			},
			max_job_slash: Perbill::from_percent(10),
			max_qos_slash: Perbill::from_percent(5),
		};
		let service = service_of_blueprint_with(Some(only_blueprint_owner));
		let blueprint = ServiceInstances::<Test>::get(service).unwrap().blueprint;
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
		// Nothing uses the blueprint any more: its owner removes it.
		for op in [ALICE, BOB] {
			assert_ok!(Services::unregister(RuntimeOrigin::signed(op), blueprint));
		}
		assert_ok!(Services::remove_blueprint(RuntimeOrigin::signed(BP_OWNER), blueprint));
		// The kept policy still names who may report.
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::NotPermittedReporter
		);
		assert_ok!(report(BP_OWNER, service, ALICE, qos(), Perbill::from_percent(1)));
	});
}

#[test]
fn without_a_report_window_an_ended_service_is_forgotten_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		ReportWindow::set(0);
		let service = active_service(&[ALICE, BOB], &[]);
		call_job(EVE, service, 0, b"");
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
		assert!(!EndedServices::<Test>::contains_key(service));
		assert!(ClosedCalls::<Test>::get(service).is_empty());
		assert_noop!(
			report(EVE, service, ALICE, qos(), Perbill::from_percent(1)),
			Error::<Test>::ServiceNotFound
		);
	});
}

#[test]
fn a_run_of_missed_heartbeats_longer_than_the_offence_age_cap_counts_from_the_oldest_reportable_block(
) {
	ExtBuilder::default().build_and_execute(|| {
		// Interval 10, threshold 3, started at block 1: BOB never sends a heartbeat.
		let service = active_service(&[ALICE, BOB], &[]);
		MaxOffenceAge::set(20);
		run_to_block(41);
		assert_ok!(Services::report_missed_heartbeats(RuntimeOrigin::signed(12), service, BOB));
		let proposal = ProposedSlashes::get().pop().unwrap();
		assert_eq!(proposal.reason, SlashReason::MissedHeartbeats { from_interval: 0, missed: 4 });
		// The run began at block 1, but an offence may be at most 20 blocks old.
		assert_eq!(proposal.offence_at, 21);
	});
}
