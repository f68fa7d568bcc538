//! The economic rules: deposits for what users store, prices, versioned approvals, the
//! exposure cap, free heartbeats and availability, and clean-up calls charged what they use.

use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	weights::Weight,
};
use sp_runtime::Percent;
use warden_primitives::{BlueprintId, ServicesParams};

use crate::{mock::*, *};

fn create(owner: AccountId) -> BlueprintId {
	let id = NextBlueprintId::<Test>::get();
	assert_ok!(Services::create_blueprint(
		RuntimeOrigin::signed(owner),
		metadata(b"new"),
		vec![job(b"a")].try_into().unwrap(),
		demo_policy(),
	));
	id
}

#[test]
fn a_blueprint_holds_a_deposit_by_its_size_released_on_removal() {
	ExtBuilder::default().blueprint_deposit(100, 2).build_and_execute(|| {
		// The genesis blueprint's deposit is held from its owner too.
		let genesis = Blueprints::<Test>::get(0).unwrap();
		assert_eq!(genesis.deposit, 100 + 2 * genesis.encoded_size() as u128);
		assert_eq!(held_for(BP_OWNER, HoldReason::BlueprintDeposit), genesis.deposit);

		let id = create(EVE);
		let bp = Blueprints::<Test>::get(id).unwrap();
		let deposit = 100 + 2 * bp.encoded_size() as u128;
		assert_eq!(bp.deposit, deposit);
		assert_eq!(held_for(EVE, HoldReason::BlueprintDeposit), deposit);
		assert_eq!(free(EVE), ENDOWMENT - deposit);
		events();

		// Longer metadata: a larger deposit; shorter: some of it back.
		let mut longer = metadata(b"a much longer name");
		longer.description = bytes(&[b'd'; 100]);
		assert_ok!(Services::update_blueprint_metadata(RuntimeOrigin::signed(EVE), id, longer));
		let grown = Blueprints::<Test>::get(id).unwrap().deposit;
		assert!(grown > deposit);
		assert_eq!(held_for(EVE, HoldReason::BlueprintDeposit), grown);
		assert_ok!(Services::update_blueprint_metadata(
			RuntimeOrigin::signed(EVE),
			id,
			metadata(b"new")
		));
		assert_eq!(held_for(EVE, HoldReason::BlueprintDeposit), deposit);

		assert_ok!(Services::remove_blueprint(RuntimeOrigin::signed(EVE), id));
		assert!(!Blueprints::<Test>::contains_key(id));
		assert_eq!(free(EVE), ENDOWMENT);
		assert_eq!(events().last(), Some(&Event::BlueprintRemoved { blueprint: id, deposit }));
	});
}

#[test]
fn a_blueprint_deposit_that_cant_be_held_is_refused() {
	ExtBuilder::default().without_demo().blueprint_deposit(ENDOWMENT * 2, 0).build_and_execute(
		|| {
			assert_noop!(
				Services::create_blueprint(
					RuntimeOrigin::signed(EVE),
					metadata(b"new"),
					vec![job(b"a")].try_into().unwrap(),
					demo_policy(),
				),
				Error::<Test>::CannotHoldDeposit
			);
		},
	);
}

#[test]
fn a_blueprint_in_use_or_not_ones_own_cant_be_removed() {
	ExtBuilder::default().build_and_execute(|| {
		// Registrations use the demo blueprint.
		assert_noop!(
			Services::remove_blueprint(RuntimeOrigin::signed(BP_OWNER), 0),
			Error::<Test>::BlueprintInUse
		);
		assert_noop!(
			Services::remove_blueprint(RuntimeOrigin::signed(EVE), 0),
			Error::<Test>::NotBlueprintOwner
		);
		assert_noop!(
			Services::remove_blueprint(RuntimeOrigin::signed(EVE), 7),
			Error::<Test>::BlueprintNotFound
		);
		// A pending request uses it too, even once its operator unregistered.
		let id = create(EVE);
		assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), id, prefs(1)));
		assert_ok!(Services::request(
			RuntimeOrigin::signed(FERDIE),
			id,
			ops(&[DAVE]),
			callers(&[]),
			10,
			Percent::from_percent(10),
			0,
		));
		assert_ok!(Services::unregister(RuntimeOrigin::signed(DAVE), id));
		assert_eq!(Blueprints::<Test>::get(id).unwrap().registrations, 0);
		assert_noop!(
			Services::remove_blueprint(RuntimeOrigin::signed(EVE), id),
			Error::<Test>::BlueprintInUse
		);
	});
}

#[test]
fn heartbeat_intervals_below_the_minimum_are_refused() {
	ExtBuilder::default().min_heartbeat_interval(10).build_and_execute(|| {
		let mut policy = demo_policy();
		policy.heartbeat_interval = 9;
		assert_noop!(
			Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"new"),
				vec![job(b"a")].try_into().unwrap(),
				policy,
			),
			Error::<Test>::HeartbeatIntervalTooShort
		);
		policy.heartbeat_interval = 10;
		assert_ok!(Services::create_blueprint(
			RuntimeOrigin::signed(EVE),
			metadata(b"new"),
			vec![job(b"a")].try_into().unwrap(),
			policy,
		));
	});
}

#[test]
fn a_zero_minimum_heartbeat_interval_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::set_params(
				RuntimeOrigin::root(),
				ServicesParams { request_expiry: 5, min_heartbeat_interval: 0 }
			),
			Error::<Test>::ZeroMinHeartbeatInterval
		);
	});
}

#[test]
fn registrations_run_a_bounded_number_of_instances() {
	ExtBuilder::default().max_instances_per_registration(5).build_and_execute(|| {
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(6)),
			Error::<Test>::TooManyInstances
		);
		assert_noop!(
			Services::update_registration(RuntimeOrigin::signed(ALICE), 0, Some(6), None, None),
			Error::<Test>::TooManyInstances
		);
		assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(5)));
	});
}

#[test]
fn a_request_must_meet_every_named_operators_price() {
	ExtBuilder::default().build_and_execute(|| {
		// BOB asks 2 per block, ALICE nothing.
		assert_ok!(Services::update_registration(
			RuntimeOrigin::signed(BOB),
			0,
			None,
			None,
			Some(2)
		));
		let request = |payment| {
			Services::request(
				RuntimeOrigin::signed(EVE),
				0,
				ops(&[ALICE, BOB]),
				callers(&[]),
				100,
				Percent::from_percent(10),
				payment,
			)
		};
		// Split in two, each gets payment / 2 over 100 blocks: BOB needs 2 × 100 of it.
		assert_noop!(request(399), Error::<Test>::PaymentBelowPrice);
		assert_ok!(request(400));
		// An update is checked the same way.
		assert_noop!(
			Services::update_request(
				RuntimeOrigin::signed(EVE),
				0,
				ops(&[ALICE, BOB]),
				callers(&[]),
				200,
				Percent::from_percent(10),
				400,
			),
			Error::<Test>::PaymentBelowPrice
		);
	});
}

#[test]
fn a_request_deposit_comes_back_unless_rejected_or_expired() {
	ExtBuilder::default().request_deposit(7).build_and_execute(|| {
		// Two operators named: 14 held.
		let id = request_for(EVE, &[ALICE, BOB], 100);
		assert_eq!(held_for(EVE, HoldReason::RequestDeposit), 14);
		assert_eq!(Requests::<Test>::get(id).unwrap().deposit, 7);
		// Cancelled: all back.
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(EVE), id));
		assert_eq!(held_for(EVE, HoldReason::RequestDeposit), 0);
		assert_eq!(free(EVE), ENDOWMENT);

		// Activated: all back.
		let id = request_for(EVE, &[ALICE, BOB], 100);
		approve_all(id, &[ALICE, BOB]);
		assert_eq!(held_for(EVE, HoldReason::RequestDeposit), 0);
		assert_eq!(free(EVE), ENDOWMENT - 100);

		// Rejected: the rejecting operator gets its part, the rest comes back.
		let id = request_for(FERDIE, &[ALICE, BOB], 0);
		events();
		assert_ok!(Services::reject(RuntimeOrigin::signed(BOB), id));
		assert_eq!(free(BOB), ENDOWMENT + 7);
		assert_eq!(free(FERDIE), ENDOWMENT - 7);
		assert_eq!(
			events(),
			vec![Event::RequestRejected {
				request: id,
				operator: BOB,
				refunded: 0,
				compensation: 7
			}]
		);

		// Expired: lost to the treasury.
		let id = request_for(FERDIE, &[ALICE], 0);
		events();
		run_to_block(System::block_number() + REQUEST_EXPIRY);
		assert!(!Requests::<Test>::contains_key(id));
		assert_eq!(free(TREASURY), 7);
		assert_eq!(free(FERDIE), ENDOWMENT - 14);
		assert_eq!(
			events(),
			vec![Event::RequestExpired { request: id, refunded: 0, forfeited: 7 }]
		);
	});
}

#[test]
fn an_update_adjusts_the_deposit_to_the_operators_named() {
	ExtBuilder::default().request_deposit(7).build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 100);
		assert_ok!(Services::update_request(
			RuntimeOrigin::signed(EVE),
			id,
			ops(&[ALICE, BOB, CHARLIE]),
			callers(&[]),
			100,
			Percent::from_percent(10),
			100,
		));
		assert_eq!(held_for(EVE, HoldReason::RequestDeposit), 21);
		assert_ok!(Services::update_request(
			RuntimeOrigin::signed(EVE),
			id,
			ops(&[BOB]),
			callers(&[]),
			100,
			Percent::from_percent(10),
			100,
		));
		assert_eq!(held_for(EVE, HoldReason::RequestDeposit), 7);
	});
}

#[test]
fn an_approval_of_changed_terms_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		assert_eq!(version_of(id), 0);
		assert_ok!(Services::update_request(
			RuntimeOrigin::signed(EVE),
			id,
			ops(&[ALICE, BOB]),
			callers(&[]),
			1_000,
			Percent::from_percent(10),
			0,
		));
		assert_eq!(version_of(id), 1);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), id, 0, Percent::from_percent(20)),
			Error::<Test>::RequestChanged
		);
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(ALICE),
			id,
			1,
			Percent::from_percent(20)
		));
	});
}

#[test]
fn an_approval_commits_stake_up_to_all_of_it() {
	ExtBuilder::default().build_and_execute(|| {
		let first = request_for(EVE, &[ALICE], 100);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), first, 0, Percent::zero()),
			Error::<Test>::ZeroExposure
		);
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(ALICE),
			first,
			0,
			Percent::from_percent(70)
		));
		assert_eq!(CommittedExposure::<Test>::get(ALICE), 70);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().committed_exposure, 70);

		// A pending approval counts too.
		let second = request_for(EVE, &[ALICE, BOB], 100);
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(ALICE),
			second,
			0,
			Percent::from_percent(30)
		));
		assert_eq!(CommittedExposure::<Test>::get(ALICE), 100);
		let third = request_for(FERDIE, &[ALICE], 100);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), third, 0, Percent::from_percent(10)),
			Error::<Test>::ExposureOverCommitted
		);
		// A rejected request gives its approvals' exposure back.
		assert_ok!(Services::reject(RuntimeOrigin::signed(BOB), second));
		assert_eq!(CommittedExposure::<Test>::get(ALICE), 70);
		// So does a terminated service.
		let service = NextServiceId::<Test>::get() - 1;
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
		assert!(!CommittedExposure::<Test>::contains_key(ALICE));
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().committed_exposure, 0);
	});
}

#[test]
fn only_the_first_heartbeats_of_an_operator_in_a_block_are_free() {
	ExtBuilder::default().max_free_heartbeats(2).build_and_execute(|| {
		let services: Vec<_> = (0..2).map(|_| active_service(&[ALICE], &[])).collect();
		let third = {
			assert_ok!(Services::update_registration(
				RuntimeOrigin::signed(ALICE),
				0,
				Some(3),
				None,
				None
			));
			active_service(&[ALICE], &[])
		};
		run_to_block(4);
		let pays = |service| {
			let call = RuntimeCall::Services(Call::heartbeat { service, metrics: bytes(b"ok") });
			let info = call.get_dispatch_info();
			Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok"))
				.map(|post| post.pays_fee(&info))
				.unwrap()
		};
		assert_eq!(pays(services[0]), Pays::No);
		assert_eq!(pays(services[1]), Pays::No);
		assert_eq!(pays(third), Pays::Yes);
		assert_eq!(FreeHeartbeats::<Test>::get(ALICE), Some((4, 2)));
		// A new block, a new allowance.
		run_to_block(15);
		assert_eq!(pays(third), Pays::No);
	});
}

#[test]
fn the_block_free_heartbeat_budget_is_shared_by_all_operators_and_paid_heartbeats_still_count() {
	ExtBuilder::default().max_free_heartbeats_total(2).build_and_execute(|| {
		let service = active_service(&[ALICE, BOB, CHARLIE], &[]);
		run_to_block(4);
		let heartbeat = |who| {
			let call = RuntimeCall::Services(Call::heartbeat { service, metrics: bytes(b"ok") });
			let info = call.get_dispatch_info();
			Services::heartbeat(RuntimeOrigin::signed(who), service, bytes(b"ok"))
				.map(|post| post.pays_fee(&info))
				.unwrap()
		};
		assert_eq!(heartbeat(ALICE), Pays::No);
		assert_eq!(heartbeat(BOB), Pays::No);
		// The block's budget is gone: CHARLIE's own allowance doesn't make it free, but
		// it is recorded all the same.
		assert_eq!(heartbeat(CHARLIE), Pays::Yes);
		assert_eq!(BlockFreeHeartbeats::<Test>::get(), Some((4, 2)));
		assert!(
			Heartbeats::<Test>::get(service, CHARLIE).is_some_and(|r| r.last_heartbeat == Some(4))
		);
		System::assert_last_event(
			Event::HeartbeatRecorded {
				service,
				operator: CHARLIE,
				window: 0,
				metrics: bytes(b"ok"),
				free: false,
			}
			.into(),
		);
		// A new block, a new budget.
		run_to_block(15);
		assert_eq!(heartbeat(CHARLIE), Pays::No);
	});
}

#[test]
fn availability_is_recorded_once_per_operator_blueprint_and_window_with_the_stake_at_risk() {
	ExtBuilder::default().build_and_execute(|| {
		// Two services of ALICE on blueprint 0, 10% exposure each, interval 10.
		let a = active_service(&[ALICE], &[]);
		let b = active_service(&[ALICE], &[]);
		let exposure = Registrations::<Test>::get(ALICE, 0).unwrap().committed_exposure as u128;
		// The first heartbeats prove ALICE live from block 10 on: nothing before counts.
		run_to_block(10);
		for service in [a, b] {
			assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok")));
		}
		assert_eq!(RecordedAvailability::get(), vec![]);
		// One record for the window [20, 30), however many services and heartbeats: the
		// exposure held over the 10 blocks since the last record.
		run_to_block(20);
		for service in [a, b] {
			assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok")));
		}
		assert_eq!(RecordedAvailability::get(), vec![(ALICE, 0, STAKE * exposure / 100, 10)]);
		// Another heartbeat in the blueprint's window [20, 30) adds nothing.
		run_to_block(25);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), a, bytes(b"ok")));
		assert_eq!(RecordedAvailability::get().len(), 1);
		run_to_block(31);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), a, bytes(b"ok")));
		assert_eq!(RecordedAvailability::get()[1], (ALICE, 0, STAKE * exposure / 100, 11));
	});
}

#[test]
fn availability_counts_the_exposure_held_over_time_not_at_the_heartbeat() {
	ExtBuilder::default().build_and_execute(|| {
		let long = active_service(&[ALICE], &[]);
		let per_service = Registrations::<Test>::get(ALICE, 0).unwrap().committed_exposure as u128;
		run_to_block(10);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), long, bytes(b"ok")));
		// A second service for 4 of the next 10 blocks, with a heartbeat while it runs.
		run_to_block(14);
		let short = active_service(&[ALICE], &[]);
		run_to_block(16);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), short, bytes(b"ok")));
		run_to_block(18);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), short));
		run_to_block(20);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), long, bytes(b"ok")));
		// 10 blocks of the long service and 4 of the short one, over 10 blocks.
		let exposure_blocks = per_service * 10 + per_service * 4;
		assert_eq!(
			RecordedAvailability::get(),
			vec![(ALICE, 0, STAKE * exposure_blocks / (100 * 10), 10)]
		);
	});
}

#[test]
fn a_service_started_and_ended_within_a_window_or_a_new_registration_earns_nothing_extra() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		// Started, heartbeat, ended and unregistered in one block, then registered again:
		// no block with exposure, no record, however often it is done.
		for _ in 0..3 {
			let service = active_service(&[ALICE], &[]);
			assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok")));
			assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), service));
			let preferences = Registrations::<Test>::get(ALICE, 0).unwrap().preferences;
			assert_ok!(Services::unregister(RuntimeOrigin::signed(ALICE), 0));
			assert_ok!(Services::register(RuntimeOrigin::signed(ALICE), 0, preferences));
		}
		assert_eq!(RecordedAvailability::get(), vec![]);
		let reg = Registrations::<Test>::get(ALICE, 0).unwrap();
		assert_eq!((reg.exposure_blocks, reg.credited_at, reg.accrued_at), (0, 10, 10));
	});
}

#[test]
fn after_missed_windows_only_the_current_window_counts() {
	ExtBuilder::default().build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		let exposure = Registrations::<Test>::get(ALICE, 0).unwrap().committed_exposure as u128;
		run_to_block(10);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok")));
		// Silent in the windows [20, 30) and [30, 40); back at 44.
		run_to_block(44);
		assert_ok!(Services::heartbeat(RuntimeOrigin::signed(ALICE), service, bytes(b"ok")));
		// Live since 40 only: 4 of the 34 blocks held.
		let live_exposure_blocks = exposure * 34 * 4 / 34;
		assert_eq!(
			RecordedAvailability::get(),
			vec![(ALICE, 0, STAKE * live_exposure_blocks / (100 * 4), 4)]
		);
	});
}

#[test]
fn free_clean_up_calls_report_what_they_used() {
	// The hook does nothing, so the calls find every item overdue.
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let service = active_service(&[ALICE], &[]);
		let call_id = call_job(EVE, service, 0, b"x");
		run_to_block(10);
		let info = Call::<Test>::close_call { service, call_id }.get_dispatch_info();
		let post = Services::close_call(RuntimeOrigin::signed(FERDIE), service, call_id).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::close_call(1)));
		assert_eq!(info.call_weight, <() as WeightInfo>::close_call(4));

		let id = request_for(EVE, &[ALICE, BOB], 100);
		System::set_block_number(System::block_number() + REQUEST_EXPIRY);
		let post = Services::expire_request(RuntimeOrigin::signed(FERDIE), id).unwrap();
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::expire_request(2)));

		let end = ServiceInstances::<Test>::get(service).unwrap().end;
		System::set_block_number(end);
		let post = Services::terminate_expired(RuntimeOrigin::signed(FERDIE), service).unwrap();
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::terminate_expired(1, 0)));
	});
}
