//! Expiry and the per-block work: the expiry and lifetime indexes, their caps, weight limit
//! and rollover, and the permissionless fallbacks.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::Pays,
	traits::Get,
	weights::{RuntimeDbWeight, Weight},
};
use sp_runtime::Percent;

use crate::{mock::*, *};

fn item_weight() -> Weight {
	Services::item_weight(<() as WeightInfo>::on_initialize_expire_request())
}

fn idle_weight() -> Weight {
	<() as WeightInfo>::on_initialize_idle()
}

#[test]
fn requests_expire_at_their_expiry_block_with_a_refund() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE, BOB], 1_000);
		approve_all(id, &[ALICE]);
		let expires_at = 1 + REQUEST_EXPIRY;
		run_to_block(expires_at - 1);
		assert!(Requests::<Test>::contains_key(id));
		events();

		run_to_block(expires_at);
		assert_eq!(
			events(),
			vec![Event::RequestExpired { request: id, refunded: 1_000, forfeited: 0 }]
		);
		assert!(Requests::<Test>::get(id).is_none());
		assert_eq!(free(EVE), ENDOWMENT);
		assert_eq!(held(EVE), 0);
		assert!(RequestExpiries::<Test>::iter().next().is_none());
		assert!(!OperatorRequests::<Test>::contains_key(ALICE));
		assert!(!OperatorRequests::<Test>::contains_key(BOB));
		assert!(!RequesterPendingCount::<Test>::contains_key(EVE));
		assert_eq!(Registrations::<Test>::get(ALICE, 0).unwrap().pending_approvals, 0);
		assert_eq!(ExpirySchedule::<Test>::cursor(), (expires_at + 1, 0));
	});
}

#[test]
fn an_updated_request_keeps_its_expiry_block() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		let expires_at = Requests::<Test>::get(id).unwrap().expires_at;
		run_to_block(10);
		assert_ok!(Services::update_request(
			RuntimeOrigin::signed(EVE),
			id,
			ops(&[ALICE]),
			callers(&[]),
			100,
			Percent::zero(),
			1_000,
		));
		run_to_block(expires_at - 1);
		assert!(Requests::<Test>::contains_key(id));
		run_to_block(expires_at);
		assert!(Requests::<Test>::get(id).is_none());
		assert_eq!(free(EVE), ENDOWMENT);
	});
}

#[test]
fn expire_request_is_the_permissionless_fallback() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1_000);
		assert_noop!(
			Services::expire_request(RuntimeOrigin::signed(FERDIE), 9),
			Error::<Test>::RequestNotFound
		);
		run_to_block(REQUEST_EXPIRY);
		assert_noop!(
			Services::expire_request(RuntimeOrigin::signed(FERDIE), id),
			Error::<Test>::RequestNotExpired
		);
		// No hook weight: it stays past its expiry, but can't be approved any more.
		run_to_block(REQUEST_EXPIRY + 5);
		assert!(Requests::<Test>::contains_key(id));
		assert_noop!(
			Services::approve(
				RuntimeOrigin::signed(ALICE),
				id,
				version_of(id),
				Percent::from_percent(50)
			),
			Error::<Test>::RequestExpired
		);
		events();
		let info = Services::expire_request(RuntimeOrigin::signed(FERDIE), id).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			events(),
			vec![Event::RequestExpired { request: id, refunded: 1_000, forfeited: 0 }]
		);
		assert_eq!(free(EVE), ENDOWMENT);
		// Its queue entry is stale: once the hook has weight again it drops it, quietly.
		assert_eq!(queued_expiries(1 + REQUEST_EXPIRY), vec![id]);
		MaxHookWeight::set(DEFAULT_HOOK_WEIGHT);
		run_to_block(REQUEST_EXPIRY + 6);
		assert!(RequestExpiries::<Test>::iter().next().is_none());
		assert!(events().is_empty());
		MaxHookWeight::set(Weight::zero());
		// The requester may also just cancel an expired request.
		let second = request_for(EVE, &[ALICE], 1_000);
		run_to_block(REQUEST_EXPIRY * 3);
		assert_ok!(Services::cancel_request(RuntimeOrigin::signed(EVE), second));
	});
}

#[test]
fn a_thousand_requests_expiring_in_one_block_expire_in_order_within_the_weight_limit() {
	const REQUESTERS: u64 = 100;
	const PER_REQUESTER: u64 = 10;
	const PER_BLOCK: u64 = 40;
	// The hook's base, a look at the current block of each of its four queues, and 40
	// expiries.
	let looks = <<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get()
		.reads_writes(1, 1)
		.saturating_mul(4);
	let limit =
		idle_weight().saturating_add(looks).saturating_add(item_weight().saturating_mul(PER_BLOCK));
	let requesters = 1_000..1_000 + REQUESTERS;
	ExtBuilder::default()
		.max_pending(1_100, PER_REQUESTER as u32)
		.hook_caps(100, 10)
		.max_hook_weight(limit)
		.fund(requesters.clone())
		.build_and_execute(|| {
			let mut first: Vec<u64> = Vec::new();
			for who in requesters.clone() {
				for _ in 0..PER_REQUESTER {
					first.push(request_for(who, &[ALICE], 7));
				}
			}
			// Ten more, expiring one block later, must wait for the older ones.
			run_to_block(2);
			let later: Vec<u64> = (0..10).map(|_| request_for(EVE, &[ALICE], 7)).collect();
			let expires_at = 1 + REQUEST_EXPIRY;
			assert_eq!(RequestExpiries::<Test>::iter_prefix(expires_at).count(), 1_000);

			// The cost of a block with nothing due doesn't depend on the pending requests.
			let used = run_to_block(expires_at - 1);
			assert!(used.iter().all(|w| *w == idle_weight()));
			events();

			let mut expired_per_block = Vec::new();
			while Requests::<Test>::iter().next().is_some() {
				let used = run_to_block(System::block_number() + 1);
				assert!(used[0].all_lte(limit), "hook over its weight limit");
				let expired: Vec<u64> = events()
					.into_iter()
					.filter_map(|e| match e {
						Event::RequestExpired { request, .. } => Some(request),
						_ => None,
					})
					.collect();
				expired_per_block.push(expired);
				check_invariants();
			}
			// 1_000 at 40 a block, then the 10 later ones.
			let counts: Vec<usize> = expired_per_block.iter().map(|e| e.len()).collect();
			assert_eq!(counts.len(), 26);
			assert!(counts[..25].iter().all(|c| *c == PER_BLOCK as usize));
			assert_eq!(counts[25], 10);
			// In the order they were requested, the later ones last.
			let order: Vec<u64> = expired_per_block.concat();
			first.extend(later);
			assert_eq!(order, first);

			// Every payment is back and the indexes are empty.
			for who in requesters.clone() {
				assert_eq!(free(who), ENDOWMENT);
			}
			assert_eq!(free(EVE), ENDOWMENT);
			assert!(RequestExpiries::<Test>::iter().next().is_none());
			assert!(OperatorRequests::<Test>::iter().next().is_none());
			assert!(RequesterPendingCount::<Test>::iter().next().is_none());
		});
}

#[test]
fn the_per_block_cap_limits_expiries() {
	ExtBuilder::default().max_pending(8, 8).hook_caps(3, 10).build_and_execute(|| {
		for _ in 0..7 {
			request_for(EVE, &[ALICE], 1);
		}
		run_to_block(REQUEST_EXPIRY);
		events();
		let mut per_block = Vec::new();
		for _ in 0..3 {
			run_to_block(System::block_number() + 1);
			per_block.push(events().len());
		}
		assert_eq!(per_block, vec![3, 3, 1]);
		assert_eq!(ExpirySchedule::<Test>::cursor(), (REQUEST_EXPIRY + 4, 0));
	});
}

#[test]
fn service_ends_roll_over_to_the_next_blocks() {
	ExtBuilder::default().hook_caps(10, 1).build_and_execute(|| {
		let ids: Vec<u64> = [ALICE, BOB, CHARLIE]
			.iter()
			.map(|op| {
				let request = request_for(EVE, &[*op], 100);
				approve_all(request, &[*op]);
				NextServiceId::<Test>::get() - 1
			})
			.collect();
		assert_eq!(ids, vec![0, 1, 2]);
		run_to_block(100);
		events();
		let mut ended = 0;
		for block in 101..=103 {
			run_to_block(block);
			let now_ended =
				events().iter().filter(|e| matches!(e, Event::ServiceTerminated { .. })).count();
			assert_eq!(now_ended, 1);
			ended += now_ended;
		}
		assert_eq!(ended, 3);
		assert!(ServiceInstances::<Test>::iter().next().is_none());
		// Paid for the lifetime only, even when ended late.
		for op in [ALICE, BOB, CHARLIE] {
			assert_eq!(free(op), ENDOWMENT + 100);
		}
	});
}

#[test]
fn a_backlog_catches_up_over_empty_blocks() {
	ExtBuilder::default().max_hook_weight(Weight::zero()).build_and_execute(|| {
		request_for(EVE, &[ALICE], 1);
		run_to_block(REQUEST_EXPIRY + 10);
		assert_eq!(ExpirySchedule::<Test>::cursor(), (0, 0));
		MaxHookWeight::set(DEFAULT_HOOK_WEIGHT);
		run_to_block(REQUEST_EXPIRY + 11);
		assert!(Requests::<Test>::iter().next().is_none());
		assert_eq!(ExpirySchedule::<Test>::cursor(), (REQUEST_EXPIRY + 12, 0));
		assert_eq!(ServiceEndSchedule::<Test>::cursor(), (REQUEST_EXPIRY + 12, 0));
	});
}
