//! Blueprints: creation, metadata, deactivation, genesis.

use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::Percent;
use warden_primitives::{Reporters, ReportingPolicy};

use crate::{mock::*, *};

fn create(owner: AccountId) -> u64 {
	let id = NextBlueprintId::<Test>::get();
	assert_ok!(Services::create_blueprint(
		RuntimeOrigin::signed(owner),
		metadata(b"new"),
		vec![job(b"a"), job(b"b")].try_into().unwrap(),
		demo_policy(),
	));
	id
}

#[test]
fn genesis_builds_demo_blueprint_and_registrations() {
	ExtBuilder::default().build_and_execute(|| {
		let bp = Blueprints::<Test>::get(0).unwrap();
		assert_eq!(bp.owner, BP_OWNER);
		assert!(bp.active);
		assert_eq!(bp.jobs.len(), 1);
		assert_eq!(bp.policy, demo_policy());
		assert_eq!(NextBlueprintId::<Test>::get(), 1);
		for op in [ALICE, BOB, CHARLIE] {
			let reg = Registrations::<Test>::get(op, 0).unwrap();
			assert_eq!(reg.preferences.max_instances, MAX_INSTANCES);
			assert_eq!(RegistrationCount::<Test>::get(op), 1);
		}
		assert!(Registrations::<Test>::get(DAVE, 0).is_none());
		assert_eq!(Params::<Test>::get().request_expiry, REQUEST_EXPIRY);
	});
}

#[test]
fn create_blueprint_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(EVE);
		assert_eq!(id, 1);
		let bp = Blueprints::<Test>::get(id).unwrap();
		assert_eq!(bp.owner, EVE);
		assert_eq!(bp.metadata, metadata(b"new"));
		assert_eq!(bp.jobs.len(), 2);
		assert!(bp.active);
		assert_eq!(NextBlueprintId::<Test>::get(), 2);
		assert_eq!(
			events(),
			vec![Event::BlueprintCreated { blueprint: id, owner: EVE, deposit: 0 }]
		);
	});
}

#[test]
fn create_blueprint_without_jobs_or_reporting_works() {
	ExtBuilder::default().build_and_execute(|| {
		let mut policy = demo_policy();
		policy.reporting = None;
		assert_ok!(Services::create_blueprint(
			RuntimeOrigin::signed(EVE),
			metadata(b"plain"),
			BoundedVec::new(),
			policy,
		));
		assert_eq!(Blueprints::<Test>::get(1).unwrap().policy.reporting, None);
	});
}

#[test]
fn create_blueprint_rejects_bad_jobs_and_policy() {
	ExtBuilder::default().build_and_execute(|| {
		let mut bad = job(b"late");
		bad.result_deadline = 0;
		assert_noop!(
			Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"x"),
				vec![job(b"ok"), bad].try_into().unwrap(),
				demo_policy(),
			),
			Error::<Test>::ZeroResultDeadline
		);

		let mut big = job(b"big");
		big.max_args_len = 1025;
		assert_noop!(
			Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"x"),
				vec![big].try_into().unwrap(),
				demo_policy(),
			),
			Error::<Test>::JobArgsTooLarge
		);

		let mut policy = demo_policy();
		policy.heartbeat_interval = 0;
		assert_noop!(
			Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"x"),
				BoundedVec::new(),
				policy,
			),
			Error::<Test>::ZeroHeartbeatInterval
		);

		let mut policy = demo_policy();
		policy.reporting = Some(ReportingPolicy {
			reporters: Reporters::default(),
			max_job_slash: Default::default(),
			max_qos_slash: Default::default(),
		});
		assert_noop!(
			Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"x"),
				BoundedVec::new(),
				policy,
			),
			Error::<Test>::NoReporters
		);
	});
}

#[test]
fn update_blueprint_metadata_works_for_owner_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::update_blueprint_metadata(
				RuntimeOrigin::signed(BP_OWNER),
				9,
				metadata(b"v2")
			),
			Error::<Test>::BlueprintNotFound
		);
		assert_noop!(
			Services::update_blueprint_metadata(RuntimeOrigin::signed(EVE), 0, metadata(b"v2")),
			Error::<Test>::NotBlueprintOwner
		);
		assert_ok!(Services::update_blueprint_metadata(
			RuntimeOrigin::signed(BP_OWNER),
			0,
			metadata(b"v2")
		));
		assert_eq!(Blueprints::<Test>::get(0).unwrap().metadata, metadata(b"v2"));
		assert_eq!(events(), vec![Event::BlueprintMetadataUpdated { blueprint: 0, deposit: 0 }]);
	});
}

#[test]
fn deactivate_blueprint_works_for_owner_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::deactivate_blueprint(RuntimeOrigin::signed(BP_OWNER), 9),
			Error::<Test>::BlueprintNotFound
		);
		assert_noop!(
			Services::deactivate_blueprint(RuntimeOrigin::signed(EVE), 0),
			Error::<Test>::NotBlueprintOwner
		);
		assert_ok!(Services::deactivate_blueprint(RuntimeOrigin::signed(BP_OWNER), 0));
		assert!(!Blueprints::<Test>::get(0).unwrap().active);
		assert_eq!(events(), vec![Event::BlueprintDeactivated { blueprint: 0 }]);
		assert_noop!(
			Services::deactivate_blueprint(RuntimeOrigin::signed(BP_OWNER), 0),
			Error::<Test>::BlueprintInactive
		);
	});
}

#[test]
fn deactivated_blueprint_takes_nothing_new_but_services_go_on() {
	ExtBuilder::default().build_and_execute(|| {
		let running = request_for(EVE, &[ALICE], 1_000);
		approve_all(running, &[ALICE]);
		let pending = request_for(FERDIE, &[BOB], 500);
		assert_ok!(Services::deactivate_blueprint(RuntimeOrigin::signed(BP_OWNER), 0));

		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)),
			Error::<Test>::BlueprintInactive
		);
		assert_noop!(
			Services::request(
				RuntimeOrigin::signed(EVE),
				0,
				ops(&[ALICE]),
				callers(&[]),
				10,
				Percent::zero(),
				0
			),
			Error::<Test>::BlueprintInactive
		);
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(BOB),
				pending,
				version_of(pending),
				Percent::from_percent(50)
			),
			Error::<Test>::BlueprintInactive
		);
		assert_noop!(
			Services::update_request(
				RuntimeOrigin::signed(FERDIE),
				pending,
				ops(&[BOB]),
				callers(&[]),
				10,
				Percent::zero(),
				0
			),
			Error::<Test>::BlueprintInactive
		);

		// The running service and the operators' registrations go on.
		assert!(ServiceInstances::<Test>::contains_key(0));
		assert_ok!(Services::update_registration(
			RuntimeOrigin::signed(CHARLIE),
			0,
			Some(5),
			None,
			None
		));
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(FERDIE), pending));
		run_to_block(1 + 100);
		assert!(!ServiceInstances::<Test>::contains_key(0));
		assert_eq!(free(ALICE), ENDOWMENT + 1_000);
		assert_ok!(Services::unregister(RuntimeOrigin::signed(ALICE), 0));
	});
}
