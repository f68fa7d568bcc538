//! Requests: request, update, cancel, reject.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
};
use sp_runtime::Percent;
use warden_primitives::OperatorState;

use crate::{mock::*, *};

fn request(
	who: AccountId,
	operators: &[AccountId],
	permitted: &[AccountId],
	ttl: BlockNumber,
	payment: Balance,
) -> frame_support::dispatch::DispatchResult {
	Services::request(
		RuntimeOrigin::signed(who),
		0,
		ops(operators),
		callers(permitted),
		ttl,
		Percent::from_percent(10),
		payment,
	)
}

fn update(
	who: AccountId,
	id: u64,
	operators: &[AccountId],
	ttl: BlockNumber,
	payment: Balance,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Services::update_request(
		RuntimeOrigin::signed(who),
		id,
		ops(operators),
		callers(&[FERDIE]),
		ttl,
		Percent::from_percent(30),
		payment,
	)
}

#[test]
fn request_works() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(5);
		assert_ok!(request(EVE, &[ALICE, BOB], &[FERDIE], 100, 1_000));
		let req = Requests::<Test>::get(0).unwrap();
		assert_eq!(req.blueprint, 0);
		assert_eq!(req.requester, EVE);
		assert_eq!(
			req.operators.iter().map(|o| (o.operator, o.approval)).collect::<Vec<_>>(),
			vec![(ALICE, None), (BOB, None)]
		);
		assert_eq!(req.permitted_callers.to_vec(), vec![FERDIE]);
		assert_eq!(req.ttl, 100);
		assert_eq!(req.payment, 1_000);
		assert_eq!(req.created_at, 5);
		assert_eq!(req.expires_at, 5 + REQUEST_EXPIRY);
		assert_eq!(held(EVE), 1_000);
		assert_eq!(free(EVE), ENDOWMENT - 1_000);
		assert_eq!(queued_expiries(5 + REQUEST_EXPIRY), vec![0]);
		assert_eq!(OperatorRequests::<Test>::get(ALICE).to_vec(), vec![0]);
		assert_eq!(OperatorRequests::<Test>::get(BOB).to_vec(), vec![0]);
		assert_eq!(RequesterPendingCount::<Test>::get(EVE), 1);
		assert_eq!(NextRequestId::<Test>::get(), 1);
		assert_eq!(
			events(),
			vec![Event::ServiceRequested {
				request: 0,
				blueprint: 0,
				requester: EVE,
				payment: 1_000,
				deposit: 0,
				expires_at: 5 + REQUEST_EXPIRY,
			}]
		);
	});
}

#[test]
fn request_validates_blueprint_operators_callers_and_ttl() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::request(
				RuntimeOrigin::signed(EVE),
				9,
				ops(&[ALICE]),
				callers(&[]),
				10,
				Percent::zero(),
				0
			),
			Error::<Test>::BlueprintNotFound
		);
		assert_noop!(request(EVE, &[], &[], 10, 0), Error::<Test>::NoOperators);
		assert_noop!(
			request(EVE, &[ALICE, BOB, ALICE], &[], 10, 0),
			Error::<Test>::DuplicateOperator
		);
		assert_noop!(
			request(EVE, &[ALICE, DAVE], &[], 10, 0),
			Error::<Test>::OperatorNotRegistered
		);
		assert_noop!(
			request(EVE, &[ALICE], &[FERDIE, FERDIE], 10, 0),
			Error::<Test>::DuplicateCaller
		);
		assert_noop!(request(EVE, &[ALICE], &[], 0, 0), Error::<Test>::ZeroTtl);
		assert_noop!(request(EVE, &[ALICE], &[], 1_001, 0), Error::<Test>::TtlTooLong);
		assert_ok!(request(EVE, &[ALICE], &[], 1_000, 0));
	});
}

#[test]
fn request_refuses_ineligible_operators() {
	ExtBuilder::default().build_and_execute(|| {
		set_operator_state(BOB, OperatorState::Inactive);
		assert_noop!(request(EVE, &[ALICE, BOB], &[], 10, 0), Error::<Test>::OperatorInactive);
		set_operator_state(BOB, OperatorState::Leaving { at: 9 });
		assert_noop!(request(EVE, &[ALICE, BOB], &[], 10, 0), Error::<Test>::OperatorLeaving);
		OperatorStates::mutate(|s| s.remove(&BOB));
		assert_noop!(request(EVE, &[ALICE, BOB], &[], 10, 0), Error::<Test>::NotOperator);
		set_operator(BOB, MIN_STAKE - 1);
		assert_noop!(request(EVE, &[ALICE, BOB], &[], 10, 0), Error::<Test>::StakeTooLow);
	});
}

#[test]
fn request_needs_the_payment() {
	ExtBuilder::default().fund([50]).build_and_execute(|| {
		assert_noop!(
			request(EVE, &[ALICE], &[], 10, ENDOWMENT + 1),
			Error::<Test>::InsufficientBalance
		);
		// An unfunded account can't pay either.
		assert_noop!(request(60, &[ALICE], &[], 10, 1), Error::<Test>::InsufficientBalance);
		// A free service needs no funds.
		assert_ok!(request(60, &[ALICE], &[], 10, 0));
		assert_eq!(held(60), 0);
	});
}

#[test]
fn pending_requests_are_bounded_per_requester() {
	ExtBuilder::default().max_pending(8, 2).build_and_execute(|| {
		assert_ok!(request(EVE, &[ALICE], &[], 10, 1));
		assert_ok!(request(EVE, &[BOB], &[], 10, 1));
		assert_noop!(request(EVE, &[CHARLIE], &[], 10, 1), Error::<Test>::TooManyRequests);
		assert_ok!(request(FERDIE, &[CHARLIE], &[], 10, 1));
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(EVE), 0));
		assert_ok!(request(EVE, &[CHARLIE], &[], 10, 1));
	});
}

#[test]
fn pending_requests_are_bounded_per_operator() {
	ExtBuilder::default().max_pending(2, 8).build_and_execute(|| {
		assert_ok!(request(EVE, &[ALICE], &[], 10, 1));
		assert_ok!(request(FERDIE, &[ALICE, BOB], &[], 10, 1));
		assert_noop!(
			request(EVE, &[BOB, ALICE], &[], 10, 1),
			Error::<Test>::TooManyOperatorRequests
		);
		assert_ok!(request(EVE, &[BOB, CHARLIE], &[], 10, 1));
		// Updating a request that already names ALICE doesn't need more room for it.
		assert_ok!(update(EVE, 0, &[ALICE, CHARLIE], 10, 1));
		assert_noop!(update(EVE, 0, &[ALICE, BOB], 10, 1), Error::<Test>::TooManyOperatorRequests);
	});
}

#[test]
fn update_request_replaces_terms_and_resets_approvals() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB, CHARLIE], 1_000);
		let expires_at = Requests::<Test>::get(id).unwrap().expires_at;
		approve_all(id, &[ALICE, BOB]);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().pending_approvals, 1);
		events();

		System::set_block_number(10);
		// Drop CHARLIE, keep ALICE and BOB, raise the payment.
		assert_ok!(update(EVE, id, &[BOB, ALICE], 50, 1_500));
		let req = Requests::<Test>::get(id).unwrap();
		assert_eq!(
			req.operators.iter().map(|o| (o.operator, o.approval)).collect::<Vec<_>>(),
			vec![(BOB, None), (ALICE, None)]
		);
		assert_eq!(req.ttl, 50);
		assert_eq!(req.min_exposure, Percent::from_percent(30));
		assert_eq!(req.permitted_callers.to_vec(), vec![FERDIE]);
		assert_eq!(req.payment, 1_500);
		assert_eq!(req.created_at, 10);
		// The expiry stays: updates can't keep a request pending for ever.
		assert_eq!(req.expires_at, expires_at);
		assert_eq!(held(EVE), 1_500);
		// Approvals are reset: their slots are free again.
		for op in [ALICE, BOB] {
			assert_eq!(Registrations::<Test>::get(op, 0).unwrap().pending_approvals, 0);
		}
		assert!(OperatorRequests::<Test>::get(CHARLIE).is_empty());
		assert!(!OperatorRequests::<Test>::contains_key(CHARLIE));
		assert_eq!(queued_expiries(expires_at), vec![id]);
		assert!(queued_expiries(10 + REQUEST_EXPIRY).is_empty());
		assert_eq!(
			events(),
			vec![Event::RequestUpdated { request: id, payment: 1_500, version: 1, expires_at }]
		);

		// The old approvals no longer count: both have to approve again.
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(BOB),
			id,
			version_of(id),
			Percent::from_percent(30)
		));
		assert!(Requests::<Test>::contains_key(id));
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				id,
				version_of(id),
				Percent::from_percent(20)
			),
			Error::<Test>::ExposureTooLow
		);
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(ALICE),
			id,
			version_of(id),
			Percent::from_percent(30)
		));
		assert!(ServiceInstances::<Test>::contains_key(0));

		// Lowering the payment releases the difference.
		let second = request_for(FERDIE, &[CHARLIE], 800);
		assert_ok!(Services::update_request(
			RuntimeOrigin::signed(FERDIE),
			second,
			ops(&[CHARLIE, BOB]),
			callers(&[]),
			10,
			Percent::zero(),
			300,
		));
		assert_eq!(held(FERDIE), 300);
		assert_eq!(free(FERDIE), ENDOWMENT - 300);
		assert_eq!(OperatorRequests::<Test>::get(BOB).to_vec(), vec![second]);
	});
}

#[test]
fn update_request_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		assert_noop!(update(EVE, 9, &[ALICE], 10, 1), Error::<Test>::RequestNotFound);
		assert_noop!(update(FERDIE, id, &[ALICE], 10, 1), Error::<Test>::NotRequester);
		assert_noop!(update(EVE, id, &[ALICE, ALICE], 10, 1), Error::<Test>::DuplicateOperator);
		assert_noop!(update(EVE, id, &[DAVE], 10, 1), Error::<Test>::OperatorNotRegistered);
		assert_noop!(update(EVE, id, &[ALICE], 0, 1), Error::<Test>::ZeroTtl);
		assert_noop!(
			update(EVE, id, &[ALICE], 10, ENDOWMENT + 1),
			Error::<Test>::InsufficientBalance
		);
		System::set_block_number(1 + REQUEST_EXPIRY);
		assert_noop!(update(EVE, id, &[ALICE], 10, 1), Error::<Test>::RequestExpired);
	});
}

#[test]
fn cancel_request_refunds_and_cleans_up() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		approve_all(id, &[ALICE]);
		events();
		assert_noop!(
			Services::cancel_request(RuntimeOrigin::signed(EVE), 9),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			Services::cancel_request(RuntimeOrigin::signed(FERDIE), id),
			Error::<Test>::NotRequester
		);
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(EVE), id));
		assert_eq!(events(), vec![Event::RequestCancelled { request: id, refunded: 1_000 }]);
		assert_eq!(free(EVE), ENDOWMENT);
		assert_eq!(held(EVE), 0);
		assert!(Requests::<Test>::get(id).is_none());
		assert!(!OperatorRequests::<Test>::contains_key(ALICE));
		assert!(!RequesterPendingCount::<Test>::contains_key(EVE));
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().pending_approvals, 0);
	});
}

#[test]
fn reject_finishes_the_request_for_good() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		approve_all(id, &[ALICE]);
		events();
		assert_noop!(
			Services::reject(RuntimeOrigin::signed(BOB), 9),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			Services::reject(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::NotRequestOperator
		);
		assert_ok!(Services::reject(RuntimeOrigin::signed(BOB), id));
		assert_eq!(
			events(),
			vec![Event::RequestRejected {
				request: id,
				operator: BOB,
				refunded: 1_000,
				compensation: 0
			}]
		);
		assert_eq!(free(EVE), ENDOWMENT);
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().pending_approvals, 0);

		// Nobody can approve it afterwards, nor bring it back by updating it.
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(BOB),
				id,
				version_of(id),
				Percent::from_percent(50)
			),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				id,
				version_of(id),
				Percent::from_percent(50)
			),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(update(EVE, id, &[ALICE], 10, 1), Error::<Test>::RequestNotFound);
		assert!(ServiceInstances::<Test>::iter().next().is_none());
	});
}

#[test]
fn an_operator_that_approved_may_still_reject() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		approve_all(id, &[ALICE]);
		assert_ok!(Services::reject(RuntimeOrigin::signed(ALICE), id));
		assert!(Requests::<Test>::get(id).is_none());
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().pending_approvals, 0);
	});
}

#[test]
fn an_inactive_operator_may_still_reject() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		set_operator_state(ALICE, OperatorState::Inactive);
		assert_ok!(Services::reject(RuntimeOrigin::signed(ALICE), id));
	});
}

#[test]
fn reject_after_expiry_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		System::set_block_number(1 + REQUEST_EXPIRY);
		assert_noop!(
			Services::reject(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::RequestExpired
		);
	});
}

#[test]
fn updates_do_not_keep_a_request_pending_past_its_first_expiry() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		let expires_at = Requests::<Test>::get(id).unwrap().expires_at;
		// An update every block until the expiry: the request still expires then.
		while System::block_number() + 1 < expires_at {
			run_to_block(System::block_number() + 1);
			assert_ok!(update(EVE, id, &[ALICE], 100, 1_000));
		}
		run_to_block(expires_at);
		assert!(!Requests::<Test>::contains_key(id), "expired by the hook");
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::RequestExpired { request, .. } if *request == id)));
	});
}

#[test]
fn a_reject_front_run_by_a_cancel_in_the_same_block_is_free() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		// The requester's cancel lands first, ahead of ALICE's reject.
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(EVE), id));
		events();
		let reject = |who| {
			let call = RuntimeCall::Services(Call::reject { request: id });
			let info = call.get_dispatch_info();
			Services::reject(RuntimeOrigin::signed(who), id).map(|post| post.pays_fee(&info))
		};
		assert_eq!(reject(ALICE), Ok(Pays::No));
		assert_eq!(events(), vec![Event::RejectedAfterCancel { request: id, operator: ALICE }]);
		// Once per operator; an operator the request didn't name pays for its error.
		assert_eq!(reject(ALICE).map_err(|e| e.error), Err(Error::<Test>::RequestNotFound.into()));
		assert_eq!(
			reject(CHARLIE).map_err(|e| e.error),
			Err(Error::<Test>::RequestNotFound.into())
		);
		// In a later block the cancellation is old news: BOB's reject is an error again.
		run_to_block(System::block_number() + 1);
		assert_eq!(reject(BOB).map_err(|e| e.error), Err(Error::<Test>::RequestNotFound.into()));
	});
}

#[test]
fn request_is_charged_for_the_operators_it_names() {
	ExtBuilder::default().build_and_execute(|| {
		for named in [&[ALICE][..], &[ALICE, BOB, CHARLIE]] {
			let call = RuntimeCall::Services(Call::request {
				blueprint: 0,
				operators: ops(named),
				permitted_callers: callers(&[]),
				ttl: 100,
				min_exposure: Percent::from_percent(10),
				payment: 1_000,
			});
			let n = named.len() as u32;
			assert_eq!(
				call.get_dispatch_info().call_weight,
				<() as WeightInfo>::request(n)
					.saturating_add(<() as WeightInfo>::expire_request(n))
			);
		}
	});
}

#[test]
fn update_and_cancel_are_charged_for_the_operators_they_touch() {
	ExtBuilder::default().build_and_execute(|| {
		let most =
			<<Test as Config>::MaxOperatorsPerService as frame_support::traits::Get<u32>>::get();
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		// Charged up front for the most operators the request may have named and for the
		// new list, refunded down to the two it named.
		let call = RuntimeCall::Services(Call::update_request {
			request: id,
			operators: ops(&[CHARLIE]),
			permitted_callers: callers(&[]),
			ttl: 100,
			min_exposure: Percent::from_percent(10),
			payment: 1_000,
		});
		let charged = call.get_dispatch_info().call_weight;
		assert_eq!(charged, <() as WeightInfo>::update_request(most, 1));
		let used = update(EVE, id, &[CHARLIE], 100, 1_000).expect("updated").actual_weight;
		assert_eq!(used, Some(<() as WeightInfo>::update_request(2, 1)));
		assert!(used.is_some_and(|used| used.all_lte(charged)));

		// Cancelling the one-operator request is refunded down to one.
		let charged = RuntimeCall::Services(Call::cancel_request { request: id })
			.get_dispatch_info()
			.call_weight;
		assert_eq!(charged, <() as WeightInfo>::cancel_request(most));
		let used = Services::cancel_request(RuntimeOrigin::signed(EVE), id)
			.expect("cancelled")
			.actual_weight;
		assert_eq!(used, Some(<() as WeightInfo>::cancel_request(1)));
		assert!(used.is_some_and(|used| used.all_lte(charged)));
	});
}
