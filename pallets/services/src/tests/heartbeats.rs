//! Heartbeats: operators of a service only, once per window, free when valid.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	weights::Weight,
};
use sp_runtime::traits::Dispatchable;

use crate::{mock::*, *};

fn heartbeat_call(service: u64) -> RuntimeCall {
	RuntimeCall::Services(Call::heartbeat { service, metrics: bytes(b"cpu=3%") })
}

#[test]
fn a_heartbeat_is_recorded_and_counted() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		run_to_block(4);
		events();
		let info =
			Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok")).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			Heartbeats::<Test>::get(service, ALICE).unwrap(),
			HeartbeatRecord {
				last_heartbeat: Some(4),
				last_heartbeat_window: Some(0),
				last_reported_window: None,
			}
		);
		assert_eq!(
			events(),
			vec![Event::HeartbeatRecorded {
				service,
				operator: ALICE,
				window: 0,
				metrics: bytes(b"ok"),
				free: true,
			}]
		);
		assert_eq!(RecordedHeartbeats::get(), vec![(ALICE, service, 0)]);
		assert_eq!(service_stats(service, ALICE), stats(0, 0, 1));
		assert_eq!(blueprint_stats(0, ALICE), stats(0, 0, 1));
	});
}

#[test]
fn one_heartbeat_per_window() {
	ExtBuilder::default().build_and_execute(|| {
		// Started at block 1 with a 10-block interval: window 0 is blocks 1–10, window 1 is
		// blocks 11–20, …
		let service = active_service(&[ALICE], &[]);
		run_to_block(10);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")));
		assert_noop!(
			Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")),
			Error::<Test>::HeartbeatTooEarly
		);
		// The next block starts window 1.
		run_to_block(11);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")));
		run_to_block(20);
		assert_noop!(
			Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")),
			Error::<Test>::HeartbeatTooEarly
		);
		// Skipping windows is allowed (it is what missed-heartbeat reports are for).
		run_to_block(45);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")));
		assert_eq!(Heartbeats::<Test>::get(service, ALICE).unwrap().last_heartbeat_window, Some(4));
		assert_eq!(service_stats(service, ALICE), stats(0, 0, 3));
	});
}

#[test]
fn a_non_member_cannot_send_heartbeats() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE, BOB], &[]);
		for who in [CHARLIE, DAVE, EVE, BP_OWNER] {
			assert_noop!(
				Services::heartbeat(RuntimeOrigin::signed(who), service, bytes(b"")),
				Error::<Test>::NotServiceOperator
			);
		}
		assert_noop!(
			Services::heartbeat(RuntimeOrigin::signed(ALICE), 7, bytes(b"")),
			Error::<Test>::ServiceNotFound
		);
	});
}

#[test]
fn no_heartbeats_after_the_end() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		run_to_block(101);
		assert_noop!(
			Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"")),
			Error::<Test>::ServiceEnded
		);
	});
}

#[test]
fn a_valid_heartbeat_is_free_and_an_invalid_one_pays() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		let call = heartbeat_call(service);
		// The fee is charged before dispatch…
		assert_eq!(call.get_dispatch_info().pays_fee, Pays::Yes);
		// …and refunded only when the heartbeat is valid.
		let ok = call.clone().dispatch(RuntimeOrigin::signed(ALICE)).unwrap();
		assert_eq!(ok.pays_fee, Pays::No);
		// Too early: the fee stays paid.
		let too_early = call.clone().dispatch(RuntimeOrigin::signed(ALICE)).unwrap_err();
		assert_eq!(too_early.error, Error::<Test>::HeartbeatTooEarly.into());
		assert_eq!(too_early.post_info.pays_fee, Pays::Yes);
		// A non-member pays too.
		let stranger = call.dispatch(RuntimeOrigin::signed(DAVE)).unwrap_err();
		assert_eq!(stranger.error, Error::<Test>::NotServiceOperator.into());
		assert_eq!(stranger.post_info.pays_fee, Pays::Yes);
		assert_eq!(RecordedHeartbeats::get().len(), 1);
	});
}

#[test]
fn metrics_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		// MaxHeartbeatMetricsLen is 32 in the test runtime: longer metrics can't even be built.
		assert!(MetricsOf::<Test>::try_from(vec![0u8; 33]).is_err());
		let service = active_service(&[ALICE], &[]);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(&[7; 32])));
	});
}
