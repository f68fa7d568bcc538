//! The runtime API's answers.

use sp_runtime::Percent;
use warden_primitives::{ServicesParams, MAX_BLUEPRINTS_PER_QUERY};

use crate::{mock::*, NextServiceId};

#[test]
fn blueprints_are_listed_in_pages() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..4 {
			frame_support::assert_ok!(Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"more"),
				Default::default(),
				demo_policy(),
			));
		}
		let all = Services::blueprints(0, 100);
		assert_eq!(all.iter().map(|b| b.id).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
		assert_eq!(all[0].metadata.name, b"demo".to_vec());
		assert_eq!(all[0].jobs[0].name, b"echo".to_vec());
		assert_eq!(all[0].owner, BP_OWNER);
		assert!(all[0].active);
		assert_eq!(Services::blueprints(2, 2).iter().map(|b| b.id).collect::<Vec<_>>(), vec![2, 3]);
		assert!(Services::blueprints(9, 2).is_empty());
		assert!(Services::blueprints(u64::MAX, u32::MAX).is_empty());
		assert!(Services::blueprint_info(9).is_none());
	});
}

#[test]
fn blueprint_queries_are_capped() {
	ExtBuilder::default().without_demo().build_and_execute(|| {
		for _ in 0..MAX_BLUEPRINTS_PER_QUERY + 5 {
			frame_support::assert_ok!(Services::create_blueprint(
				RuntimeOrigin::signed(EVE),
				metadata(b"many"),
				Default::default(),
				demo_policy(),
			));
		}
		assert_eq!(Services::blueprints(0, u32::MAX).len(), MAX_BLUEPRINTS_PER_QUERY as usize);
	});
}

#[test]
fn registrations_requests_and_services_are_readable() {
	ExtBuilder::default().build_and_execute(|| {
		let regs = Services::registrations_of(ALICE);
		assert_eq!(regs.len(), 1);
		assert_eq!(regs[0].blueprint, 0);
		assert_eq!(regs[0].preferences.max_instances, MAX_INSTANCES);
		assert!(Services::registrations_of(DAVE).is_empty());

		let first = request_for(EVE, &[ALICE, BOB], 1_000);
		let second = request_for(FERDIE, &[ALICE], 500);
		approve_all(first, &[ALICE]);
		let pending = Services::pending_requests_of(ALICE);
		assert_eq!(pending.iter().map(|r| r.id).collect::<Vec<_>>(), vec![first, second]);
		assert_eq!(
			pending[0].operators,
			vec![(ALICE, Some(Percent::from_percent(20))), (BOB, None)]
		);
		assert_eq!(pending[0].payment, 1_000);
		assert_eq!(Services::registrations_of(ALICE)[0].pending_approvals, 1);

		approve_all(first, &[BOB]);
		assert_eq!(Services::pending_requests_of(ALICE).len(), 1);
		assert!(Services::request_info(first).is_none());
		let service = Services::service_info(0).unwrap();
		assert_eq!(service.owner, EVE);
		assert_eq!(service.escrow, 1_000);
		assert_eq!(service.end, 101);
		assert_eq!(Services::registrations_of(ALICE)[0].active_instances, 1);
		assert!(Services::service_info(1).is_none());
		assert_eq!(
			Services::services_params(),
			ServicesParams { request_expiry: REQUEST_EXPIRY, min_heartbeat_interval: 1 }
		);
	});
}

#[test]
fn an_operators_services_are_listed_in_pages() {
	ExtBuilder::default().build_and_execute(|| {
		let mut ids = Vec::new();
		// ALICE serves two services (her registration's limit), BOB one of them, CHARLIE
		// another.
		for (requester, operators) in
			[(EVE, &[ALICE][..]), (FERDIE, &[ALICE, BOB]), (EVE, &[CHARLIE])]
		{
			let request = request_for(requester, operators, 100);
			approve_all(request, operators);
			ids.push(NextServiceId::<Test>::get() - 1);
		}
		let of = |who, after, max| {
			Services::services_of(&who, after, max).iter().map(|s| s.id).collect::<Vec<_>>()
		};
		let mut all = of(ALICE, None, 10);
		all.sort();
		assert_eq!(all, ids[..2].to_vec());
		assert_eq!(of(BOB, None, 10), vec![ids[1]]);
		assert_eq!(of(CHARLIE, None, 10), vec![ids[2]]);
		assert!(of(DAVE, None, 10).is_empty());
		// Pages: one, then what follows it.
		let first = of(ALICE, None, 1);
		assert_eq!(first.len(), 1);
		let rest = of(ALICE, first.last().copied(), 10);
		assert_eq!(rest.len(), 1);
		assert_ne!(first[0], rest[0]);
		assert!(of(ALICE, None, 0).is_empty());
		// A terminated service leaves the lists of all its operators.
		frame_support::assert_ok!(Services::terminate(RuntimeOrigin::signed(FERDIE), ids[1]));
		assert!(of(BOB, None, 10).is_empty());
		assert!(!of(ALICE, None, 10).contains(&ids[1]));
	});
}
