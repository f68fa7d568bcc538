//! Disputing a pending slash.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use crate::{mock::*, Dispute, Error, Event, PendingSlashes, VetoReason};

#[test]
fn the_offender_disputes_and_the_clock_keeps_running() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		events();
		run_to_block(5);
		assert_ok!(Slashing::dispute(
			RuntimeOrigin::signed(OPERATOR),
			slash_id,
			statement(b"not me")
		));
		let slash = PendingSlashes::<Test>::get(slash_id).unwrap();
		assert_eq!(slash.dispute, Some(Dispute { at: 5, statement: statement(b"not me") }));
		assert_eq!(slash.apply_at, 11);
		assert_eq!(
			events(),
			vec![Event::SlashDisputed {
				slash_id,
				offender: OPERATOR,
				statement: statement(b"not me")
			}]
		);

		// Disputed, not vetoed: it is still applied at apply_at.
		run_to_block(10);
		assert!(PendingSlashes::<Test>::contains_key(slash_id));
		run_to_block(11);
		assert!(!PendingSlashes::<Test>::contains_key(slash_id));
		assert!(matches!(events().first(), Some(Event::SlashApplied { .. })));
	});
}

#[test]
fn a_dispute_by_anyone_but_the_offender_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(REPORTER), slash_id, statement(b"x")),
			Error::<Test>::NotOffender
		);
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OTHER_OPERATOR), slash_id, statement(b"x")),
			Error::<Test>::NotOffender
		);
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::root(), slash_id, statement(b"x")),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_slash_is_disputed_once() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		assert_ok!(Slashing::dispute(RuntimeOrigin::signed(OPERATOR), slash_id, statement(b"a")));
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OPERATOR), slash_id, statement(b"b")),
			Error::<Test>::AlreadyDisputed
		);
	});
}

#[test]
fn a_due_slash_can_no_longer_be_disputed() {
	// One slash per block: the second slash due at block 11 is still queued at block 11.
	ExtBuilder::default().max_slashes_per_block(1).build_and_execute(|| {
		propose(OTHER_OPERATOR, REPORTER);
		let slash_id = propose(OPERATOR, REPORTER);
		run_to_block(11);
		assert!(PendingSlashes::<Test>::contains_key(slash_id));
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OPERATOR), slash_id, statement(b"late")),
			Error::<Test>::DisputeWindowClosed
		);
	});
}

#[test]
fn disputing_a_slash_that_is_not_pending_gives_a_precise_error() {
	ExtBuilder::default().retention(5).build_and_execute(|| {
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OPERATOR), 0, statement(b"x")),
			Error::<Test>::UnknownSlash
		);
		let applied = propose(OPERATOR, REPORTER);
		let vetoed = propose(OPERATOR, REPORTER);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), vetoed, VetoReason::Pardoned));
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OPERATOR), vetoed, statement(b"x")),
			Error::<Test>::AlreadyVetoed
		);
		run_to_block(11);
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OPERATOR), applied, statement(b"x")),
			Error::<Test>::AlreadyApplied
		);
		run_to_block(16);
		assert_noop!(
			Slashing::dispute(RuntimeOrigin::signed(OPERATOR), applied, statement(b"x")),
			Error::<Test>::SlashConcluded
		);
	});
}
