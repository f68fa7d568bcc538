//! `SlashInspect` and the runtime API queries.

use frame_support::assert_ok;
use sp_runtime::{Perbill, Percent};
use warden_primitives::{DisputeInfo, SlashQueue, MAX_PENDING_SLASHES_PER_QUERY};

use crate::{mock::*, VetoReason};

#[test]
fn pending_slashes_are_listed_per_operator_and_per_service_oldest_first() {
	ExtBuilder::default().build_and_execute(|| {
		let a = propose(OPERATOR, REPORTER);
		let b = propose(OTHER_OPERATOR, REPORTER);
		let mut other_service =
			proposal(OPERATOR, REPORTER, Perbill::from_percent(1), Percent::from_percent(1));
		other_service.service = 8;
		let c = Slashing::propose(other_service).unwrap();
		let d = propose(OPERATOR, OTHER_REPORTER);
		assert_ok!(Slashing::dispute(RuntimeOrigin::signed(OPERATOR), d, statement(b"why")));
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), a, VetoReason::Pardoned));

		let of_operator = Slashing::pending_slashes_of_operator(&OPERATOR);
		assert_eq!(of_operator.iter().map(|s| s.id).collect::<Vec<_>>(), vec![c, d]);
		assert_eq!(of_operator[1].dispute, Some(DisputeInfo { at: 1, statement: b"why".to_vec() }));
		assert_eq!(of_operator[1].reporter, OTHER_REPORTER);
		assert_eq!(of_operator[1].apply_at, 11);
		assert_eq!(of_operator[0].dispute, None);

		let of_service = Slashing::pending_slashes_of_service(7);
		assert_eq!(of_service.iter().map(|s| s.id).collect::<Vec<_>>(), vec![b, d]);
		assert!(Slashing::pending_slashes_of_service(9).is_empty());
		assert!(Slashing::pending_slashes_of_operator(&REPORTER).is_empty());
	});
}

#[test]
fn queries_are_capped() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..MAX_PENDING_SLASHES_PER_QUERY + 10 {
			propose(OPERATOR, REPORTER);
		}
		let listed = Slashing::pending_slashes_of_operator(&OPERATOR);
		assert_eq!(listed.len(), MAX_PENDING_SLASHES_PER_QUERY as usize);
		assert_eq!(listed.first().map(|s| s.id), Some(0));
		assert_eq!(listed.last().map(|s| s.id), Some(u64::from(MAX_PENDING_SLASHES_PER_QUERY) - 1));
	});
}

#[test]
fn try_state_catches_broken_ledgers() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		assert_ok!(Slashing::do_try_state());

		crate::PendingSlashCount::<Test>::insert(OPERATOR, 2);
		assert!(Slashing::do_try_state().is_err());
		crate::PendingSlashCount::<Test>::insert(OPERATOR, 1);

		crate::ReportDeposits::<Test>::insert(REPORTER, 99);
		assert!(Slashing::do_try_state().is_err());
		crate::ReportDeposits::<Test>::insert(REPORTER, 100);

		crate::SlashesDue::<Test>::remove(11, 0);
		assert!(Slashing::do_try_state().is_err());
		crate::SlashesDue::<Test>::insert(11, 0, slash_id);

		crate::SlashesDue::<Test>::insert(11, 1, slash_id);
		assert!(Slashing::do_try_state().is_err(), "queued twice");
		crate::SlashesDue::<Test>::remove(11, 1);

		crate::SlashDueCursor::<Test>::put((12, 0));
		assert!(Slashing::do_try_state().is_err());
		crate::SlashDueCursor::<Test>::put((1, 0));
	});
}
