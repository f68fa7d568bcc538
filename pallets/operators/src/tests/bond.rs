//! An operator's own bond: bond more, and bond less through unbonding chunks.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, TokenError};
use warden_primitives::{OperatorRegistry, UnbondingChunk};

use crate::{mock::*, Error, Event, HoldReason};

fn bond(who: AccountId) -> Balance {
	crate::Operators::<Test>::get(who).map(|o| o.bond).unwrap_or_default()
}

fn chunks(who: AccountId) -> Vec<(Balance, u64)> {
	crate::Operators::<Test>::get(who)
		.map(|o| o.unbonding.iter().map(|c| (c.amount, c.unlock_at)).collect())
		.unwrap_or_default()
}

#[test]
fn bond_more_adds_to_the_active_bond() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_ok!(Operators::bond_more(signed(ALICE), 50));
		assert_eq!(bond(ALICE), MIN_BOND + 50);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), MIN_BOND + 50);
		assert_eq!(
			events(),
			vec![Event::BondIncreased { operator: ALICE, amount: 50, bond: MIN_BOND + 50 }]
		);
		// An Inactive operator may bond more.
		assert_ok!(Operators::go_offline(signed(ALICE)));
		assert_ok!(Operators::bond_more(signed(ALICE), 1));
	});
}

#[test]
fn bond_more_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_noop!(Operators::bond_more(RuntimeOrigin::none(), 1), DispatchError::BadOrigin);
		assert_noop!(Operators::bond_more(signed(BOB), 1), Error::<Test>::NotOperator);
		assert_noop!(Operators::bond_more(signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Operators::bond_more(signed(ALICE), INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_noop!(Operators::bond_more(signed(ALICE), 1), Error::<Test>::OperatorLeaving);
	});
}

#[test]
fn bond_less_unbonds_and_releases_after_the_delay() {
	ExtBuilder::default().operator(ALICE, 500).build_and_execute(|| {
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 100));
		let unlock_at = 1 + BOND_LESS_DELAY;
		assert_eq!(bond(ALICE), 400);
		assert_eq!(chunks(ALICE), vec![(100, unlock_at)]);
		// Unbonding stays held and slashable: own stake still counts it.
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 500);
		assert_eq!(<Operators as OperatorRegistry<_, _, _>>::own_stake(&ALICE), 500);
		assert_eq!(ObservedStake::get().get(&(ALICE, ALICE)), Some(&400));

		// A second request in the same block joins the same chunk.
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 50));
		assert_eq!(chunks(ALICE), vec![(150, unlock_at)]);
		advance(1);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 50));
		assert_eq!(chunks(ALICE), vec![(150, unlock_at), (50, unlock_at + 1)]);

		assert_noop!(Operators::execute_bond_less(signed(ALICE)), Error::<Test>::UnbondingNotDue);
		run_to_block(unlock_at);
		events();
		assert_ok!(Operators::execute_bond_less(signed(ALICE)));
		assert_eq!(chunks(ALICE), vec![(50, unlock_at + 1)]);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 350);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 350);
		assert_eq!(events(), vec![Event::BondLessReleased { operator: ALICE, amount: 150 }]);

		advance(1);
		assert_ok!(Operators::execute_bond_less(signed(ALICE)));
		assert!(chunks(ALICE).is_empty());
		assert_eq!(bond(ALICE), 300);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 300);
	});
}

#[test]
fn schedule_bond_less_events_and_errors() {
	ExtBuilder::default().operator(ALICE, 300).build_and_execute(|| {
		assert_noop!(
			Operators::schedule_bond_less(RuntimeOrigin::none(), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(Operators::schedule_bond_less(signed(BOB), 1), Error::<Test>::NotOperator);
		assert_noop!(Operators::schedule_bond_less(signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Operators::schedule_bond_less(signed(ALICE), 301),
			Error::<Test>::NotEnoughBond
		);
		// The bond left must stay at or above the minimum.
		assert_noop!(
			Operators::schedule_bond_less(signed(ALICE), 300 - MIN_BOND + 1),
			Error::<Test>::BondTooLow
		);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 10));
		assert_eq!(
			events(),
			vec![Event::BondLessScheduled {
				operator: ALICE,
				amount: 10,
				unlock_at: 1 + BOND_LESS_DELAY
			}]
		);
		// The most chunks per stake position.
		advance(1);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 10));
		advance(1);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 10));
		advance(1);
		assert_noop!(
			Operators::schedule_bond_less(signed(ALICE), 10),
			Error::<Test>::TooManyUnbondingRequests
		);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_noop!(
			Operators::schedule_bond_less(signed(ALICE), 10),
			Error::<Test>::OperatorLeaving
		);
	});
}

#[test]
fn execute_bond_less_errors() {
	ExtBuilder::default().operator(ALICE, 300).build_and_execute(|| {
		assert_noop!(Operators::execute_bond_less(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(Operators::execute_bond_less(signed(BOB)), Error::<Test>::NotOperator);
		assert_noop!(Operators::execute_bond_less(signed(ALICE)), Error::<Test>::NoUnbonding);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 100));
		assert_noop!(Operators::execute_bond_less(signed(ALICE)), Error::<Test>::UnbondingNotDue);
		advance(BOND_LESS_DELAY);
		// Pending slashes keep back what they may take, even when due: with 250 of Alice's
		// 300 held back, only 50 of the due 100 can go.
		hold_back(ALICE, ALICE, 300);
		assert_noop!(Operators::execute_bond_less(signed(ALICE)), Error::<Test>::HeldBackForSlash);
		hold_back(ALICE, ALICE, 250);
		assert_ok!(Operators::execute_bond_less(signed(ALICE)));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 250);
		assert_eq!(chunks(ALICE), vec![(50, 1 + BOND_LESS_DELAY)]);
		hold_back(ALICE, ALICE, 0);
		assert_ok!(Operators::execute_bond_less(signed(ALICE)));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 200);
		// Another position's hold doesn't matter to Alice's.
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 50));
		advance(BOND_LESS_DELAY);
		hold_back(ALICE, BOB, 1_000);
		hold_back(BOB, ALICE, 1_000);
		assert_ok!(Operators::execute_bond_less(signed(ALICE)));
		hold_back(ALICE, BOB, 0);
		hold_back(BOB, ALICE, 0);
		// A Leaving operator may still take out what is due.
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 50));
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(BOND_LESS_DELAY);
		assert_ok!(Operators::execute_bond_less(signed(ALICE)));
	});
}

#[test]
fn cancel_bond_less_takes_the_newest_chunks_back_first() {
	ExtBuilder::default().operator(ALICE, 1_000).build_and_execute(|| {
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 100));
		advance(1);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 200));
		advance(1);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 300));
		events();
		assert_ok!(Operators::cancel_bond_less(signed(ALICE), 350));
		assert_eq!(bond(ALICE), 750);
		assert_eq!(chunks(ALICE), vec![(100, 1 + BOND_LESS_DELAY), (150, 2 + BOND_LESS_DELAY)]);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 1_000);
		assert_eq!(events(), vec![Event::BondLessCancelled { operator: ALICE, amount: 350 }]);
		assert_ok!(Operators::cancel_bond_less(signed(ALICE), 250));
		assert!(chunks(ALICE).is_empty());
		assert_eq!(bond(ALICE), 1_000);
	});
}

#[test]
fn cancel_bond_less_errors() {
	ExtBuilder::default().operator(ALICE, 1_000).build_and_execute(|| {
		assert_noop!(
			Operators::cancel_bond_less(RuntimeOrigin::none(), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(Operators::cancel_bond_less(signed(BOB), 1), Error::<Test>::NotOperator);
		assert_noop!(
			Operators::cancel_bond_less(signed(ALICE), 1),
			Error::<Test>::NotEnoughUnbonding
		);
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 100));
		assert_noop!(Operators::cancel_bond_less(signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Operators::cancel_bond_less(signed(ALICE), 101),
			Error::<Test>::NotEnoughUnbonding
		);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_noop!(
			Operators::cancel_bond_less(signed(ALICE), 100),
			Error::<Test>::OperatorLeaving
		);
	});
}

#[test]
fn unbonding_chunk_helpers_merge_and_force() {
	ExtBuilder::default().build_and_execute(|| {
		use crate::{features::unbonding, UnbondingQueue};
		let mut queue = UnbondingQueue::<Test>::default();
		assert_ok!(unbonding::schedule::<Test>(&mut queue, 5, 20));
		assert_ok!(unbonding::schedule::<Test>(&mut queue, 5, 10));
		assert_ok!(unbonding::schedule::<Test>(&mut queue, 5, 10));
		assert_ok!(unbonding::schedule::<Test>(&mut queue, 1, 15));
		assert_eq!(
			unbonding::schedule::<Test>(&mut queue, 1, 16),
			Err(Error::<Test>::TooManyUnbondingRequests.into())
		);
		// A full queue: the forced chunk joins the one unlocking last (20), unlocking later.
		unbonding::schedule_forced::<Test>(&mut queue, 7, 30);
		assert_eq!(
			queue.to_vec(),
			vec![
				UnbondingChunk { amount: 12, unlock_at: 30 },
				UnbondingChunk { amount: 10, unlock_at: 10 },
				UnbondingChunk { amount: 1, unlock_at: 15 },
			]
		);
		assert_eq!(unbonding::due::<Test>(&queue, 15), 11);
		// At most a limit: a chunk only partly within it keeps the rest.
		assert_eq!(unbonding::take_due::<Test>(&mut queue, 15, 10), 10);
		assert_eq!(queue.len(), 2);
		assert_eq!(unbonding::take_due::<Test>(&mut queue, 15, 100), 1);
		assert_eq!(queue.len(), 1);
	});
}
