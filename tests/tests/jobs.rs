//! Jobs, reports and heartbeats on the real runtime: a call answered and closed, a report
//! that becomes a pending slash in pallet-slashing, and missed heartbeats reported by a
//! stranger.

use frame_support::BoundedVec;
use pallet_warden_services::{
	BlueprintMetadata, Call as ServicesCall, JobDefinition, JobOutcome, OperatorPreferences,
	ReportKind,
};
use pallet_warden_slashing::{HoldReason as SlashingHold, PendingSlashes};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use sp_runtime::{Perbill, Percent};
use warden_primitives::{BlueprintPolicy, Reporters, ReportingPolicy, SlashReason};
use warden_runtime::{Runtime, System, UNIT};
use warden_tests::runtime::*;

fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().expect("fits")
}

#[test]
fn call_results_close_then_a_report_and_missed_heartbeats_become_pending_slashes() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		// A blueprint whose operators Charlie (the customer) and other operators may report.
		let blueprint = pallet_warden_services::NextBlueprintId::<Runtime>::get();
		submit_ok(
			Charlie,
			ServicesCall::<Runtime>::create_blueprint {
				metadata: BlueprintMetadata::<Runtime> {
					name: bounded(b"oracle"),
					description: bounded(b"price feeds"),
					author: bounded(b"Charlie"),
					code_url: bounded(b"https://example.com/oracle"),
				},
				jobs: vec![JobDefinition::<Runtime> {
					name: bounded(b"price"),
					max_args_len: 64,
					result_deadline: 5,
				}]
				.try_into()
				.expect("one job fits"),
				policy: BlueprintPolicy {
					min_operator_stake: 1_000 * UNIT,
					reporting: Some(ReportingPolicy {
						reporters: Reporters {
							service_owner: true,
							blueprint_owner: false,
							service_operators: true,
						},
						max_job_slash: Perbill::from_percent(10),
						max_qos_slash: Perbill::from_percent(5),
					}),
					heartbeat_interval: 10,
					missed_heartbeat_threshold: 2,
				},
			},
		);
		for (who, seed) in [(Alice, 1u8), (Bob, 2u8)] {
			submit_ok(
				who,
				ServicesCall::<Runtime>::register {
					blueprint,
					preferences: OperatorPreferences::<Runtime> {
						operator_key: [seed; 32],
						rpc_address: bounded(b"ws://operator.example:9955"),
						max_instances: 2,
						price_per_block: 0,
					},
				},
			);
		}
		let request = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(
			Charlie,
			ServicesCall::<Runtime>::request {
				blueprint,
				operators: vec![account(Alice), account(Bob)].try_into().expect("fits"),
				permitted_callers: Default::default(),
				ttl: 200,
				min_exposure: Percent::from_percent(10),
				payment: 100 * UNIT,
			},
		);
		for who in [Alice, Bob] {
			submit_ok(
				who,
				ServicesCall::<Runtime>::approve {
					request,
					version: 0,
					exposure: Percent::from_percent(20),
				},
			);
		}
		let service = pallet_warden_services::NextServiceId::<Runtime>::get() - 1;
		let start = System::block_number();

		// 1. call → results → close: Alice answers, Bob stays silent.
		let call_id = pallet_warden_services::NextCallId::<Runtime>::get();
		submit_ok(
			Charlie,
			ServicesCall::<Runtime>::call { service, job: 0, args: bounded(b"BTC/USD") },
		);
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::submit_result {
				service,
				call_id,
				outcome: JobOutcome::Success(bounded(b"64000")),
			},
		);
		// A valid heartbeat is free.
		assert_eq!(
			submit_ok(
				Alice,
				ServicesCall::<Runtime>::heartbeat { service, metrics: bounded(b"ok") }
			),
			0
		);
		run_to_block(start + 5);
		System::assert_has_event(
			pallet_warden_services::Event::<Runtime>::CallClosed {
				service,
				call_id,
				successes: 1,
				failures: 0,
				missed: 1,
			}
			.into(),
		);
		assert!(pallet_warden_services::JobCalls::<Runtime>::get(service, call_id).is_none());

		// 2. Alice, another operator, reports Bob: a pending slash in pallet-slashing, with
		// Alice's report deposit held.
		let slash_id = pallet_warden_slashing::NextSlashId::<Runtime>::get();
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::report {
				service,
				offender: account(Bob),
				kind: ReportKind::JobMisbehaviour { call_id },
				evidence: bounded(b"no answer, then a wrong one off-chain"),
				fraction: Perbill::from_percent(10),
			},
		);
		let pending = PendingSlashes::<Runtime>::get(slash_id).expect("a pending slash");
		assert_eq!(pending.offender, account(Bob));
		assert_eq!(pending.exposure, Percent::from_percent(20));
		// The deposit grows with the amount the report would slash.
		let params = pallet_warden_slashing::Params::<Runtime>::get();
		assert!(pending.deposit > params.report_deposit);
		assert_eq!(held(&account(Alice), SlashingHold::ReportDeposit), pending.deposit);

		// 3. Bob never sends a heartbeat: after three whole windows (threshold 2), Dave, a
		// stranger, reports him.
		run_to_block(start + 30);
		submit_ok(
			Dave,
			ServicesCall::<Runtime>::report_missed_heartbeats { service, operator: account(Bob) },
		);
		let pending = PendingSlashes::<Runtime>::get(slash_id + 1).expect("a pending slash");
		assert_eq!(pending.reason, SlashReason::MissedHeartbeats { from_interval: 0, missed: 3 });
		assert_eq!(pending.fraction, Perbill::from_percent(5));
		assert_eq!(pending.reporter, account(Dave));
		// The same windows can't be reported twice.
		let again = submit_err(
			Dave,
			ServicesCall::<Runtime>::report_missed_heartbeats { service, operator: account(Bob) },
		);
		assert_eq!(
			again,
			pallet_warden_services::Error::<Runtime>::MissedHeartbeatsAlreadyReported.into()
		);

		pallet_warden_services::Pallet::<Runtime>::do_try_state().expect("invariants hold");
		pallet_warden_slashing::Pallet::<Runtime>::do_try_state().expect("invariants hold");
	});
}
