//! Service instances: termination by the owner or at the end of the lifetime, and the
//! pro-rata payout.

use frame_support::{assert_noop, assert_ok, dispatch::Pays, weights::Weight};
use sp_runtime::Percent;

use crate::{mock::*, *};

#[docify::export]
#[test]
fn service_lifecycle_example() {
	ExtBuilder::default().build_and_execute(|| {
		// Blueprint 0 exists from genesis; ALICE and BOB are registered for it.
		// EVE requests an instance run by both for 100 blocks, paying 1_000.
		assert_ok!(Services::request(
			RuntimeOrigin::signed(EVE),
			0,
			ops(&[ALICE, BOB]),
			callers(&[]),
			100,
			Percent::from_percent(10),
			1_000,
		));
		assert_eq!(held(EVE), 1_000);

		// Both approve, committing 20% of their stake: the service is active.
		for op in [ALICE, BOB] {
			assert_ok!(Services::approve(
				RuntimeOrigin::signed(op),
				0,
				version_of(0),
				Percent::from_percent(20)
			));
		}
		let service = ServiceInstances::<Test>::get(0).unwrap();
		assert_eq!((service.start, service.end), (1, 101));

		// After 50 of its 100 blocks, EVE terminates it: the operators share half of the
		// payment, EVE gets the other half back.
		run_to_block(51);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), 0));
		assert_eq!(free(ALICE), ENDOWMENT + 250);
		assert_eq!(free(BOB), ENDOWMENT + 250);
		assert_eq!(free(EVE), ENDOWMENT - 500);
		assert_eq!(held(EVE), 0);
	});
}

fn service_with(operators: &[AccountId], ttl: BlockNumber, payment: Balance) -> u64 {
	let request = NextRequestId::<Test>::get();
	let service = NextServiceId::<Test>::get();
	assert_ok!(Services::request(
		RuntimeOrigin::signed(EVE),
		0,
		ops(operators),
		callers(&[]),
		ttl,
		Percent::zero(),
		payment,
	));
	approve_all(request, operators);
	assert!(ServiceInstances::<Test>::contains_key(service));
	service
}

#[test]
fn terminate_pays_pro_rata_and_refunds_the_rest() {
	ExtBuilder::default().build_and_execute(|| {
		let id = service_with(&[ALICE, BOB], 100, 1_000);
		run_to_block(31);
		events();
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), id));
		// 30 of 100 blocks served: 300 owed, 150 each, 700 back.
		assert_eq!(free(ALICE), ENDOWMENT + 150);
		assert_eq!(free(BOB), ENDOWMENT + 150);
		assert_eq!(free(EVE), ENDOWMENT - 300);
		assert_eq!(held(EVE), 0);
		assert_eq!(
			events(),
			vec![Event::ServiceTerminated {
				service: id,
				reason: TerminationReason::ByOwner,
				served: 30,
				paid_per_operator: 150,
				refunded: 700,
			}]
		);
		assert!(ServiceInstances::<Test>::get(id).is_none());
		for op in [ALICE, BOB] {
			assert_eq!(Registrations::<Test>::get(op, 0).unwrap().active_instances, 0);
		}
	});
}

#[test]
fn payout_rounds_down_and_never_overpays() {
	ExtBuilder::default().build_and_execute(|| {
		// 101 × 3 / 10 = 30.3 → 30 owed; 2 operators → 15 each; 71 back.
		let id = service_with(&[ALICE, BOB], 10, 101);
		run_to_block(4);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), id));
		assert_eq!(free(ALICE), ENDOWMENT + 15);
		assert_eq!(free(BOB), ENDOWMENT + 15);
		assert_eq!(free(EVE), ENDOWMENT - 30);

		// 1_000 × 1 / 3 = 333.3 → 333 owed; 3 operators → 111 each; 667 back.
		let id = service_with(&[ALICE, BOB, CHARLIE], 3, 1_000);
		run_to_block(5);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), id));
		assert_eq!(free(CHARLIE), ENDOWMENT + 111);
		assert_eq!(free(EVE), ENDOWMENT - 30 - 333);

		// 100 owed split 3 ways → 33 each; the remainder 1 goes back to the owner.
		let id = service_with(&[ALICE, BOB, CHARLIE], 10, 100);
		let instance = ServiceInstances::<Test>::get(id).unwrap();
		assert_eq!(instance.end, 15);
		assert_eq!(
			Services::payout_at(&instance, 15),
			Payout { per_operator: 33, paid: 99, refunded: 1 }
		);
	});
}

#[test]
fn payout_is_exact_for_every_served_length() {
	ExtBuilder::default().build_and_execute(|| {
		let id = service_with(&[ALICE, BOB, CHARLIE], 7, 1_000);
		let instance = ServiceInstances::<Test>::get(id).unwrap();
		for now in 0..20u64 {
			let payout = Services::payout_at(&instance, now);
			let served = now.clamp(instance.start, instance.end) - instance.start;
			let due = 1_000 * served as u128 / 7;
			assert_eq!(payout.per_operator, due / 3);
			assert_eq!(payout.paid + payout.refunded, 1_000);
			assert!(payout.paid <= due);
		}
	});
}

#[test]
fn terminating_at_start_refunds_everything() {
	ExtBuilder::default().build_and_execute(|| {
		let id = service_with(&[ALICE], 10, 500);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), id));
		assert_eq!(free(EVE), ENDOWMENT);
		assert_eq!(free(ALICE), ENDOWMENT);
	});
}

#[test]
fn terminate_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let id = service_with(&[ALICE], 10, 500);
		assert_noop!(
			Services::terminate(RuntimeOrigin::signed(EVE), 9),
			Error::<Test>::ServiceNotFound
		);
		assert_noop!(
			Services::terminate(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotServiceOwner
		);
	});
}

#[test]
fn services_end_automatically_with_full_payment() {
	ExtBuilder::default().build_and_execute(|| {
		let id = service_with(&[ALICE, BOB], 10, 1_001);
		run_to_block(10);
		assert!(ServiceInstances::<Test>::contains_key(id));
		events();
		run_to_block(11);
		assert!(ServiceInstances::<Test>::get(id).is_none());
		// 1_001 owed; 500 each; 1 back.
		assert_eq!(free(ALICE), ENDOWMENT + 500);
		assert_eq!(free(BOB), ENDOWMENT + 500);
		assert_eq!(free(EVE), ENDOWMENT - 1_000);
		assert_eq!(
			events(),
			vec![Event::ServiceTerminated {
				service: id,
				reason: TerminationReason::Ended,
				served: 10,
				paid_per_operator: 500,
				refunded: 1,
			}]
		);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().active_instances, 0);
	});
}

#[test]
fn terminate_expired_is_the_permissionless_fallback() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let id = service_with(&[ALICE], 10, 1_000);
		assert_noop!(
			Services::terminate_expired(RuntimeOrigin::signed(FERDIE), 9),
			Error::<Test>::ServiceNotFound
		);
		run_to_block(10);
		assert_noop!(
			Services::terminate_expired(RuntimeOrigin::signed(FERDIE), id),
			Error::<Test>::ServiceNotEnded
		);
		// The hook has no weight to spend: the service stays past its end.
		run_to_block(15);
		assert!(ServiceInstances::<Test>::contains_key(id));
		events();
		let info = Services::terminate_expired(RuntimeOrigin::signed(FERDIE), id).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		// Paid for its lifetime only, not for the blocks past its end.
		assert_eq!(free(ALICE), ENDOWMENT + 1_000);
		assert_eq!(free(EVE), ENDOWMENT - 1_000);
		assert_eq!(
			events(),
			vec![Event::ServiceTerminated {
				service: id,
				reason: TerminationReason::Ended,
				served: 10,
				paid_per_operator: 1_000,
				refunded: 0,
			}]
		);
		// Its queue entry is stale: once the hook has weight again it drops it, quietly.
		assert_eq!(queued_service_ends(11), vec![id]);
		MaxHookWeight::set(DEFAULT_HOOK_WEIGHT);
		run_to_block(16);
		assert!(queued_service_ends(11).is_empty());
		assert!(events().is_empty());
	});
}

#[test]
fn the_owner_may_terminate_an_overdue_service_too() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let id = service_with(&[ALICE], 10, 1_000);
		run_to_block(30);
		assert_ok!(Services::terminate(RuntimeOrigin::signed(EVE), id));
		assert_eq!(free(ALICE), ENDOWMENT + 1_000);
	});
}

#[test]
fn a_share_that_cannot_be_paid_goes_back_to_the_owner() {
	ExtBuilder::default().existential_deposit(100).build_and_execute(|| {
		// Operator 30 has no account: a share below the existential deposit can't create it.
		set_operator(30, STAKE);
		assert_ok!(Services::register(RuntimeOrigin::signed(30), 0, prefs(1)));
		let id = service_with(&[ALICE, 30], 10, 100);
		run_to_block(11);
		assert!(ServiceInstances::<Test>::get(id).is_none());
		assert_eq!(free(ALICE), ENDOWMENT + 50);
		assert_eq!(free(30), 0);
		assert_eq!(free(EVE), ENDOWMENT - 50);
		assert!(events().contains(&Event::OperatorPayoutFailed {
			service: id,
			operator: 30,
			amount: 50
		}));
	});
}

#[test]
fn a_free_service_pays_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let id = service_with(&[ALICE, BOB], 10, 0);
		run_to_block(11);
		assert!(ServiceInstances::<Test>::get(id).is_none());
		assert_eq!(free(ALICE), ENDOWMENT);
		assert_eq!(free(EVE), ENDOWMENT);
	});
}

#[test]
fn the_owner_may_be_one_of_its_operators() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Services::request(
			RuntimeOrigin::signed(ALICE),
			0,
			ops(&[ALICE, BOB]),
			callers(&[]),
			10,
			Percent::zero(),
			1_000,
		));
		approve_all(0, &[ALICE, BOB]);
		run_to_block(11);
		assert_eq!(free(ALICE), ENDOWMENT - 500);
		assert_eq!(free(BOB), ENDOWMENT + 500);
		assert_eq!(held(ALICE), 0);
	});
}
