//! Governance vetoes and what happens to the report deposit.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;
use warden_primitives::SlashInspect;

use crate::{
	mock::*, ConcludedSlash, ConcludedSlashes, Error, Event, PendingSlashes, SlashOutcome,
	VetoReason,
};

#[test]
fn veto_before_application_removes_the_slash_and_forfeits_an_unfounded_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		let reporter_before = free(REPORTER);
		events();
		run_to_block(10);

		assert_ok!(Slashing::veto(RuntimeOrigin::root(), slash_id, VetoReason::Unfounded));
		assert!(!PendingSlashes::<Test>::contains_key(slash_id));
		assert!(!is_queued(slash_id));
		assert!(!Slashing::has_pending_slash(&OPERATOR));
		assert_eq!(
			ConcludedSlashes::<Test>::get(slash_id),
			Some(ConcludedSlash { at: 10, outcome: SlashOutcome::Vetoed(VetoReason::Unfounded) })
		);
		assert_eq!(
			events(),
			vec![
				Event::SlashVetoed { slash_id, offender: OPERATOR, reason: VetoReason::Unfounded },
				Event::ReportDepositForfeited { slash_id, reporter: REPORTER, amount: 100 },
			]
		);
		// The deposit went to the (newly created) treasury account.
		assert_eq!(held_deposit(REPORTER), 0);
		assert_eq!(free(REPORTER), reporter_before);
		assert_eq!(free(TREASURY), 100);

		// It is never applied.
		run_to_block(30);
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 10_000);
		assert!(events().is_empty());
	});
}

#[test]
fn a_pardon_returns_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let reporter_before = free(REPORTER);
		let slash_id = propose(OPERATOR, REPORTER);
		events();
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), slash_id, VetoReason::Pardoned));
		assert_eq!(
			events(),
			vec![
				Event::SlashVetoed { slash_id, offender: OPERATOR, reason: VetoReason::Pardoned },
				Event::ReportDepositReturned { slash_id, reporter: REPORTER, amount: 100 },
			]
		);
		assert_eq!(free(REPORTER), reporter_before);
		assert_eq!(free(TREASURY), 0);
		run_to_block(30);
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 10_000);
	});
}

#[test]
fn veto_after_application_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		run_to_block(11);
		assert_noop!(
			Slashing::veto(RuntimeOrigin::root(), slash_id, VetoReason::Unfounded),
			Error::<Test>::AlreadyApplied
		);
	});
}

#[test]
fn veto_of_an_unknown_or_vetoed_slash_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Slashing::veto(RuntimeOrigin::root(), 0, VetoReason::Unfounded),
			Error::<Test>::UnknownSlash
		);
		let slash_id = propose(OPERATOR, REPORTER);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), slash_id, VetoReason::Pardoned));
		assert_noop!(
			Slashing::veto(RuntimeOrigin::root(), slash_id, VetoReason::Unfounded),
			Error::<Test>::AlreadyVetoed
		);
		assert_noop!(
			Slashing::veto(RuntimeOrigin::root(), slash_id + 1, VetoReason::Unfounded),
			Error::<Test>::UnknownSlash
		);
	});
}

#[test]
fn veto_by_a_non_governance_origin_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let slash_id = propose(OPERATOR, REPORTER);
		assert_noop!(
			Slashing::veto(RuntimeOrigin::signed(REPORTER), slash_id, VetoReason::Unfounded),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Slashing::veto(RuntimeOrigin::signed(OPERATOR), slash_id, VetoReason::Pardoned),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Slashing::veto(RuntimeOrigin::none(), slash_id, VetoReason::Pardoned),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_due_but_unapplied_slash_can_still_be_vetoed() {
	ExtBuilder::default().max_slashes_per_block(1).build_and_execute(|| {
		let first = propose(OTHER_OPERATOR, REPORTER);
		let second = propose(OPERATOR, REPORTER);
		run_to_block(11);
		assert!(!PendingSlashes::<Test>::contains_key(first));
		assert!(PendingSlashes::<Test>::contains_key(second));
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), second, VetoReason::Pardoned));
		assert!(!is_queued(second));
		run_to_block(12);
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 10_000);
	});
}

#[test]
fn vetoing_one_slash_leaves_the_others_in_order() {
	ExtBuilder::default().build_and_execute(|| {
		let a = propose(OPERATOR, REPORTER);
		let b = propose(OPERATOR, REPORTER);
		let c = propose(OPERATOR, REPORTER);
		assert_ok!(Slashing::dispute(RuntimeOrigin::signed(OPERATOR), b, statement(b"no")));
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), b, VetoReason::Unfounded));
		assert!(is_queued(a) && !is_queued(b) && is_queued(c));
		assert!(Slashing::has_pending_slash(&OPERATOR));
		events();
		run_to_block(11);
		let applied: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::SlashApplied { slash_id, .. } => Some(slash_id),
				_ => None,
			})
			.collect();
		assert_eq!(applied, vec![a, c]);
		assert!(!Slashing::has_pending_slash(&OPERATOR));
	});
}
