//! Approval: approving, the checks on it, and activation.

use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
use sp_runtime::Percent;
use warden_primitives::OperatorState;

use crate::{mock::*, *};

#[test]
fn approve_records_the_approval() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		events();
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(ALICE),
			id,
			version_of(id),
			Percent::from_percent(25)
		));
		let req = Requests::<Test>::get(id).unwrap();
		assert_eq!(req.operators[0].approval, Some(Percent::from_percent(25)));
		assert_eq!(req.operators[1].approval, None);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().pending_approvals, 1);
		assert_eq!(
			events(),
			vec![Event::RequestApproved {
				request: id,
				operator: ALICE,
				exposure: Percent::from_percent(25)
			}]
		);
		assert!(ServiceInstances::<Test>::iter().next().is_none());
	});
}

#[test]
fn last_approval_activates_the_service() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Services::request(
			RuntimeOrigin::signed(EVE),
			0,
			ops(&[ALICE, BOB]),
			callers(&[FERDIE]),
			100,
			Percent::from_percent(10),
			1_000,
		));
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(ALICE),
			0,
			version_of(0),
			Percent::from_percent(25)
		));
		events();
		System::set_block_number(4);
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(BOB),
			0,
			version_of(0),
			Percent::from_percent(60)
		));
		assert_eq!(
			events(),
			vec![
				Event::RequestApproved {
					request: 0,
					operator: BOB,
					exposure: Percent::from_percent(60)
				},
				Event::ServiceActivated {
					service: 0,
					request: 0,
					blueprint: 0,
					owner: EVE,
					end: 104
				},
			]
		);
		let service = ServiceInstances::<Test>::get(0).unwrap();
		assert_eq!(service.request, 0);
		assert_eq!(service.blueprint, 0);
		assert_eq!(service.owner, EVE);
		assert_eq!(
			service.operators.iter().map(|o| (o.operator, o.exposure)).collect::<Vec<_>>(),
			vec![(ALICE, Percent::from_percent(25)), (BOB, Percent::from_percent(60))]
		);
		assert_eq!(service.permitted_callers.to_vec(), vec![FERDIE]);
		assert_eq!((service.start, service.end), (4, 104));
		assert_eq!(service.escrow, 1_000);
		assert_eq!(queued_service_ends(104), vec![0]);
		assert_eq!(NextServiceId::<Test>::get(), 1);

		// The request is gone from everywhere; the payment stays held as escrow.
		assert!(Requests::<Test>::get(0).is_none());
		assert!(!OperatorRequests::<Test>::contains_key(ALICE));
		assert!(!RequesterPendingCount::<Test>::contains_key(EVE));
		assert_eq!(held(EVE), 1_000);
		for op in [ALICE, BOB] {
			let reg = Registrations::<Test>::get(op, 0).unwrap();
			assert_eq!((reg.active_instances, reg.pending_approvals), (1, 0));
		}
		assert!(Services::service_info(0).is_some());
	});
}

#[test]
fn approve_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		let pct = Percent::from_percent(20);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), 9, version_of(9), pct),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(CHARLIE), id, version_of(id), pct),
			Error::<Test>::NotRequestOperator
		);
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				id,
				version_of(id),
				Percent::from_percent(9)
			),
			Error::<Test>::ExposureTooLow
		);
		assert_ok!(Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct));
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct),
			Error::<Test>::AlreadyApproved
		);
		System::set_block_number(1 + REQUEST_EXPIRY);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(BOB), id, version_of(id), pct),
			Error::<Test>::RequestExpired
		);
	});
}

#[test]
fn inactive_and_leaving_operators_cannot_approve() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		let pct = Percent::from_percent(20);
		set_operator_state(ALICE, OperatorState::Inactive);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct),
			Error::<Test>::OperatorInactive
		);
		set_operator_state(ALICE, OperatorState::Leaving { at: 100 });
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct),
			Error::<Test>::OperatorLeaving
		);
		OperatorStates::mutate(|s| s.remove(&ALICE));
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct),
			Error::<Test>::NotOperator
		);
		set_operator(ALICE, MIN_STAKE - 1);
		assert_noop!(
			Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct),
			Error::<Test>::StakeTooLow
		);
		set_operator(ALICE, MIN_STAKE);
		assert_ok!(Services::approve(RuntimeOrigin::signed(ALICE), id, version_of(id), pct));
	});
}

#[test]
fn inactive_operators_keep_serving() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		approve_all(id, &[ALICE]);
		set_operator_state(ALICE, OperatorState::Inactive);
		run_to_block(101);
		assert!(ServiceInstances::<Test>::get(0).is_none());
		assert_eq!(free(ALICE), ENDOWMENT + 1_000);
	});
}

#[test]
fn approvals_are_charged_for_what_they_do() {
	ExtBuilder::default().build_and_execute(|| {
		let most =
			<<Test as Config>::MaxOperatorsPerService as frame_support::traits::Get<u32>>::get();
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		let approve = |op| {
			Services::approve(
				RuntimeOrigin::signed(op),
				id,
				version_of(id),
				Percent::from_percent(20),
			)
			.expect("approved")
			.actual_weight
		};
		// Charged up front for activating a service of the most operators, and prepaying its
		// termination without open calls (each call prepays its own close).
		let charged = RuntimeCall::Services(Call::approve {
			request: id,
			version: 0,
			exposure: Percent::one(),
		})
		.get_dispatch_info()
		.call_weight;
		assert_eq!(
			charged,
			<() as WeightInfo>::approve(most)
				.saturating_add(<() as WeightInfo>::terminate_expired(most, 0))
				.max(<() as WeightInfo>::approve_pending())
		);
		// An approval that leaves the request pending costs what it does.
		let used = approve(ALICE);
		assert_eq!(used, Some(<() as WeightInfo>::approve_pending()));
		assert!(used.is_some_and(|used| used.all_lte(charged)));
		// The last one activates a service of two operators and prepays its termination.
		let used = approve(BOB);
		assert_eq!(
			used,
			Some(
				<() as WeightInfo>::approve(2)
					.saturating_add(<() as WeightInfo>::terminate_expired(2, 0))
					.max(<() as WeightInfo>::approve_pending())
			)
		);
		assert_eq!(used, Some(Services::approve_weight(2)));
		assert!(used.is_some_and(|used| used.all_lte(charged)));
		assert!(ServiceInstances::<Test>::contains_key(0));
	});
}
