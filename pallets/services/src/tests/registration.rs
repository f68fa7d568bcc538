//! Registration: register, update, unregister, instance limits, `ServiceInspect`.

use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::Percent;
use warden_primitives::{OperatorState, ServiceInspect};

use crate::{mock::*, *};

fn new_blueprint(owner: AccountId) -> u64 {
	let id = NextBlueprintId::<Test>::get();
	assert_ok!(Services::create_blueprint(
		RuntimeOrigin::signed(owner),
		metadata(b"other"),
		Default::default(),
		demo_policy(),
	));
	id
}

#[test]
fn register_works() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(7);
		assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(3)));
		let reg = Registrations::<Test>::get(DAVE, 0).unwrap();
		assert_eq!(reg.preferences, prefs(3));
		assert_eq!(reg.active_instances, 0);
		assert_eq!(reg.pending_approvals, 0);
		assert_eq!(reg.registered_at, 7);
		assert_eq!(RegistrationCount::<Test>::get(DAVE), 1);
		assert_eq!(
			events(),
			vec![Event::Registered {
				operator: DAVE,
				blueprint: 0,
				max_instances: 3,
				price_per_block: 0
			}]
		);
	});
}

#[test]
fn register_fails_on_bad_blueprint_or_preferences() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 9, prefs(1)),
			Error::<Test>::BlueprintNotFound
		);
		assert_noop!(
			Services::register(RuntimeOrigin::signed(ALICE), 0, prefs(1)),
			Error::<Test>::AlreadyRegistered
		);
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(0)),
			Error::<Test>::ZeroMaxInstances
		);
	});
}

#[test]
fn register_refuses_ineligible_operators() {
	ExtBuilder::default().build_and_execute(|| {
		// Account 12 is funded but not an operator.
		assert_noop!(
			Services::register(RuntimeOrigin::signed(12), 0, prefs(1)),
			Error::<Test>::NotOperator
		);
		set_operator_state(DAVE, OperatorState::Inactive);
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)),
			Error::<Test>::OperatorInactive
		);
		set_operator_state(DAVE, OperatorState::Leaving { at: 50 });
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)),
			Error::<Test>::OperatorLeaving
		);
		set_operator(DAVE, MIN_STAKE - 1);
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)),
			Error::<Test>::StakeTooLow
		);
		set_operator_stake(DAVE, MIN_STAKE);
		assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)));
	});
}

#[test]
fn only_stake_backing_the_blueprint_counts_towards_its_minimum() {
	ExtBuilder::default().build_and_execute(|| {
		// DAVE's total is enough, but delegations to other blueprints only leave it short
		// of the minimum for blueprint 0.
		set_operator(DAVE, MIN_STAKE * 10);
		BlueprintStakes::mutate(|s| s.insert((DAVE, 0), MIN_STAKE - 1));
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)),
			Error::<Test>::StakeTooLow
		);
		BlueprintStakes::mutate(|s| s.insert((DAVE, 0), MIN_STAKE));
		assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)));
	});
}

#[test]
fn registrations_per_operator_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		// MaxBlueprintsPerOperator is 3.
		let ids: Vec<u64> = (0..3).map(|_| new_blueprint(EVE)).collect();
		for id in &ids {
			assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), *id, prefs(1)));
		}
		assert_eq!(RegistrationCount::<Test>::get(DAVE), 3);
		assert_eq!(<Services as ServiceInspect<_>>::registrations(&DAVE), 3);
		assert_noop!(
			Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)),
			Error::<Test>::TooManyRegistrations
		);
		assert_ok!(Services::unregister(RuntimeOrigin::signed(DAVE), ids[0]));
		assert_ok!(Services::register(RuntimeOrigin::signed(DAVE), 0, prefs(1)));
	});
}

#[test]
fn update_registration_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Services::update_registration(
			RuntimeOrigin::signed(ALICE),
			0,
			Some(5),
			None,
			None
		));
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().preferences.max_instances, 5);
		let address: BoundedVec<u8, _> = b"10.1.1.1:1".to_vec().try_into().unwrap();
		assert_ok!(Services::update_registration(
			RuntimeOrigin::signed(ALICE),
			0,
			None,
			Some(address.clone()),
			None,
		));
		let reg = Registrations::<Test>::get(ALICE, 0).unwrap();
		assert_eq!(reg.preferences.rpc_address, address);
		assert_eq!(reg.preferences.max_instances, 5);
		assert_eq!(
			events(),
			vec![
				Event::RegistrationUpdated {
					operator: ALICE,
					blueprint: 0,
					max_instances: 5,
					price_per_block: 0
				},
				Event::RegistrationUpdated {
					operator: ALICE,
					blueprint: 0,
					max_instances: 5,
					price_per_block: 0
				},
			]
		);
	});
}

#[test]
fn update_registration_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::update_registration(RuntimeOrigin::signed(ALICE), 0, None, None, None),
			Error::<Test>::NothingToUpdate
		);
		assert_noop!(
			Services::update_registration(RuntimeOrigin::signed(ALICE), 0, Some(0), None, None),
			Error::<Test>::ZeroMaxInstances
		);
		assert_noop!(
			Services::update_registration(RuntimeOrigin::signed(DAVE), 0, Some(1), None, None),
			Error::<Test>::NotRegistered
		);
	});
}

#[test]
fn instance_limit_is_enforced() {
	ExtBuilder::default().build_and_execute(|| {
		// ALICE runs at most MAX_INSTANCES = 2 instances of blueprint 0.
		let first = request_for(EVE, &[ALICE], 100);
		approve_all(first, &[ALICE]);
		// An approval on a pending request holds a slot too.
		let second = request_for(EVE, &[ALICE, BOB], 100);
		approve_all(second, &[ALICE]);
		let third = request_for(FERDIE, &[ALICE], 100);
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				third,
				version_of(third),
				Percent::from_percent(20)
			),
			Error::<Test>::InstanceLimitReached
		);
		// Other operators have their own limits.
		let other = request_for(FERDIE, &[BOB], 100);
		approve_all(other, &[BOB]);
		// When the slot frees up, the approval goes through.
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), 0));
		approve_all(third, &[ALICE]);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().used_slots(), 2);
	});
}

#[test]
fn lowering_the_limit_below_the_count_blocks_approvals_until_under_it() {
	ExtBuilder::default().build_and_execute(|| {
		let a = request_for(EVE, &[ALICE], 100);
		approve_all(a, &[ALICE]);
		let b = request_for(EVE, &[ALICE], 100);
		approve_all(b, &[ALICE]);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().active_instances, 2);

		// Lowering below the current count is allowed...
		assert_ok!(Services::update_registration(
			RuntimeOrigin::signed(ALICE),
			0,
			Some(1),
			None,
			None
		));
		let c = request_for(FERDIE, &[ALICE], 100);
		// ...but blocks approvals while the count is at or over the limit.
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				c,
				version_of(c),
				Percent::from_percent(20)
			),
			Error::<Test>::InstanceLimitReached
		);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), 0));
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				c,
				version_of(c),
				Percent::from_percent(20)
			),
			Error::<Test>::InstanceLimitReached
		);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), 1));
		approve_all(c, &[ALICE]);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().active_instances, 1);
	});
}

#[test]
fn unregister_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Services::unregister(RuntimeOrigin::signed(ALICE), 0));
		assert!(Registrations::<Test>::get(ALICE, 0).is_none());
		assert_eq!(RegistrationCount::<Test>::get(ALICE), 0);
		assert!(!RegistrationCount::<Test>::contains_key(ALICE));
		assert_eq!(events(), vec![Event::Unregistered { operator: ALICE, blueprint: 0 }]);
		assert_noop!(
			Services::unregister(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::NotRegistered
		);
	});
}

#[test]
fn unregister_is_refused_only_by_the_callers_own_services_and_approvals() {
	ExtBuilder::default().build_and_execute(|| {
		// BOB runs a service of blueprint 0; CHARLIE approved a pending request there; ALICE is
		// named in that pending request but has not approved it.
		let running = request_for(EVE, &[BOB], 100);
		approve_all(running, &[BOB]);
		let pending = request_for(FERDIE, &[ALICE, CHARLIE], 100);
		approve_all(pending, &[CHARLIE]);

		assert_noop!(
			Services::unregister(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::RegistrationInUse
		);
		assert_noop!(
			Services::unregister(RuntimeOrigin::signed(CHARLIE), 0),
			Error::<Test>::RegistrationInUse
		);
		// Other operators' services and approvals don't count.
		assert_ok!(Services::unregister(RuntimeOrigin::signed(ALICE), 0));

		// ALICE can't approve any more: it is no longer registered.
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				pending,
				version_of(pending),
				Percent::from_percent(20)
			),
			Error::<Test>::NotRegistered
		);
		// Once its service ends, BOB can unregister.
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), 0));
		assert_ok!(Services::unregister(RuntimeOrigin::signed(BOB), 0));
		// Once the request is gone, so can CHARLIE.
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(FERDIE), pending));
		assert_ok!(Services::unregister(RuntimeOrigin::signed(CHARLIE), 0));
	});
}

#[test]
fn unregister_ignores_services_of_other_blueprints() {
	ExtBuilder::default().build_and_execute(|| {
		let other = new_blueprint(EVE);
		assert_ok!(Services::register(RuntimeOrigin::signed(ALICE), other, prefs(1)));
		assert_ok!(Services::request(
			RuntimeOrigin::signed(FERDIE),
			other,
			ops(&[ALICE]),
			callers(&[]),
			10,
			Percent::zero(),
			10,
		));
		approve_all(0, &[ALICE]);
		assert_noop!(
			Services::unregister(RuntimeOrigin::signed(ALICE), other),
			Error::<Test>::RegistrationInUse
		);
		assert_ok!(Services::unregister(RuntimeOrigin::signed(ALICE), 0));
	});
}

#[test]
fn service_inspect_counts_services_and_approvals() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(<Services as ServiceInspect<_>>::active_services(&ALICE), 0);
		assert_eq!(<Services as ServiceInspect<_>>::registrations(&ALICE), 1);
		assert_eq!(<Services as ServiceInspect<_>>::registrations(&DAVE), 0);

		let running = request_for(EVE, &[ALICE], 100);
		approve_all(running, &[ALICE]);
		let pending = request_for(EVE, &[ALICE, BOB], 100);
		assert_eq!(<Services as ServiceInspect<_>>::active_services(&ALICE), 1);
		approve_all(pending, &[ALICE]);
		assert_eq!(<Services as ServiceInspect<_>>::active_services(&ALICE), 2);
		assert_eq!(<Services as ServiceInspect<_>>::active_services(&BOB), 0);

		assert_ok!(Services::reject(RuntimeOrigin::signed(BOB), pending));
		assert_eq!(<Services as ServiceInspect<_>>::active_services(&ALICE), 1);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), 0));
		assert_eq!(<Services as ServiceInspect<_>>::active_services(&ALICE), 0);
	});
}
