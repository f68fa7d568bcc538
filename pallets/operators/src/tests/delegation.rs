//! Delegation: delegate, and undelegate through unbonding chunks.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, TokenError};
use warden_primitives::OperatorRegistry;

use crate::{mock::*, DelegationSummary, Error, Event, HoldReason};

fn delegation(delegator: AccountId, operator: AccountId) -> Option<(Balance, Vec<(Balance, u64)>)> {
	crate::Delegations::<Test>::get(operator, delegator)
		.map(|d| (d.amount, d.unbonding.iter().map(|c| (c.amount, c.unlock_at)).collect()))
}

fn totals(operator: AccountId) -> (u32, Balance, Balance) {
	let DelegationSummary { delegators, active, unbonding, .. } =
		crate::DelegationTotals::<Test>::get(operator);
	(delegators, active, unbonding)
}

/// How many delegations on `operator` take a slot, and how many only unbond without one.
fn slots(operator: AccountId) -> (u32, u32) {
	let totals = crate::DelegationTotals::<Test>::get(operator);
	(totals.delegators, totals.unbonding_only)
}

#[test]
fn delegate_holds_stake_and_records_the_delegation() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 40));
		assert_eq!(delegation(BOB, ALICE), Some((40, vec![])));
		assert_eq!(held(HoldReason::Delegation, BOB), 40);
		assert_eq!(totals(ALICE), (1, 40, 0));
		assert_eq!(crate::DelegationsOf::<Test>::get(BOB).to_vec(), vec![ALICE]);
		assert_eq!(ObservedStake::get().get(&(ALICE, BOB)), Some(&40));
		// Delegating again adds to the same delegation.
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 10));
		assert_eq!(delegation(BOB, ALICE), Some((50, vec![])));
		assert_eq!(totals(ALICE), (1, 50, 0));
		assert_eq!(
			events(),
			vec![
				Event::Delegated { delegator: BOB, operator: ALICE, amount: 40 },
				Event::Delegated { delegator: BOB, operator: ALICE, amount: 10 },
			]
		);
		assert_eq!(<Operators as OperatorRegistry<_, _, _>>::delegated_stake(&ALICE), 50);
	});
}

#[test]
fn delegate_errors() {
	ExtBuilder::default()
		.operator(ALICE, MIN_BOND)
		.operator(BOB, MIN_BOND)
		.balance(DAVE, 5)
		.build_and_execute(|| {
			assert_noop!(
				Operators::delegate(RuntimeOrigin::none(), ALICE, MIN_DELEGATION),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Operators::delegate(signed(ALICE), ALICE, MIN_DELEGATION),
				Error::<Test>::SelfDelegation
			);
			assert_noop!(
				Operators::delegate(signed(CHARLIE), EVE, MIN_DELEGATION),
				Error::<Test>::NotOperator
			);
			assert_noop!(
				Operators::delegate(signed(CHARLIE), ALICE, MIN_DELEGATION - 1),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_noop!(
				Operators::delegate(signed(CHARLIE), ALICE, 0),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_noop!(
				Operators::delegate(signed(DAVE), ALICE, MIN_DELEGATION),
				TokenError::FundsUnavailable
			);
			// Only Active operators take delegations.
			assert_ok!(Operators::go_offline(signed(ALICE)));
			assert_noop!(
				Operators::delegate(signed(CHARLIE), ALICE, MIN_DELEGATION),
				Error::<Test>::OperatorNotActive
			);
			assert_ok!(Operators::schedule_leave(signed(BOB)));
			assert_noop!(
				Operators::delegate(signed(CHARLIE), BOB, MIN_DELEGATION),
				Error::<Test>::OperatorNotActive
			);
		});
}

#[test]
fn delegators_per_operator_are_bounded() {
	// The mock allows 4 delegators per operator.
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		for who in [BOB, CHARLIE, DAVE, EVE] {
			assert_ok!(Operators::delegate(signed(who), ALICE, MIN_DELEGATION));
		}
		assert_noop!(
			Operators::delegate(signed(FERDIE), ALICE, MIN_DELEGATION),
			Error::<Test>::TooManyDelegators
		);
		// An existing delegator may still add.
		assert_ok!(Operators::delegate(signed(BOB), ALICE, MIN_DELEGATION));
		assert_eq!(slots(ALICE), (4, 0));
		// A delegation only unbonding gives its slot back at once.
		assert_ok!(Operators::schedule_undelegate(signed(EVE), ALICE, MIN_DELEGATION));
		assert_eq!(slots(ALICE), (3, 1));
		assert_ok!(Operators::delegate(signed(FERDIE), ALICE, MIN_DELEGATION));
		assert_eq!(slots(ALICE), (4, 1));
		assert_eq!(Operators::operator_info(&ALICE).map(|i| i.delegator_count), Some(4));
		// Delegating again takes a slot again.
		assert_noop!(
			Operators::delegate(signed(EVE), ALICE, MIN_DELEGATION),
			Error::<Test>::TooManyDelegators
		);
		advance(UNBONDING_DELAY);
		assert_ok!(Operators::execute_undelegate(signed(EVE), ALICE));
		assert_eq!(slots(ALICE), (4, 0));
	});
}

#[test]
fn unbonding_only_delegations_are_bounded_and_beyond_the_bound_keep_their_slot() {
	// The mock allows 4 slots and 2 unbonding-only delegations per operator.
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		for who in [BOB, CHARLIE, DAVE, EVE] {
			assert_ok!(Operators::delegate(signed(who), ALICE, MIN_DELEGATION));
		}
		for who in [BOB, CHARLIE, DAVE] {
			assert_ok!(Operators::schedule_undelegate(signed(who), ALICE, MIN_DELEGATION));
		}
		// Two gave their slot back; the third keeps its own, as there is no room left.
		assert_eq!(slots(ALICE), (2, 2));
		assert!(crate::Delegations::<Test>::get(ALICE, DAVE).is_some_and(|d| d.slot));
		for who in [FERDIE, 7] {
			assert_ok!(Operators::delegate(signed(who), ALICE, MIN_DELEGATION));
		}
		assert_noop!(
			Operators::delegate(signed(8), ALICE, MIN_DELEGATION),
			Error::<Test>::TooManyDelegators
		);
		// Squatting slots with unbonding dust costs nothing but frees nothing either: the
		// operator's records stay bounded by slots + unbonding-only room.
		assert_eq!(crate::Delegations::<Test>::iter_prefix(ALICE).count(), 6);
		// Once released, Dave's slot is free again.
		advance(UNBONDING_DELAY);
		assert_ok!(Operators::execute_undelegate(signed(DAVE), ALICE));
		assert_eq!(slots(ALICE), (3, 2));
		assert_ok!(Operators::delegate(signed(8), ALICE, MIN_DELEGATION));
	});
}

#[test]
fn an_operator_sets_its_own_minimum_delegation() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 20).build_and_execute(
		|| {
			assert_noop!(
				Operators::set_min_delegation(RuntimeOrigin::none(), 50),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Operators::set_min_delegation(signed(CHARLIE), 50),
				Error::<Test>::NotOperator
			);
			assert_ok!(Operators::set_min_delegation(signed(ALICE), 50));
			assert_eq!(
				events(),
				vec![Event::MinDelegationSet { operator: ALICE, min_delegation: 50 }]
			);
			assert_eq!(Operators::operator_info(&ALICE).map(|i| i.min_delegation), Some(50));
			// A new delegation must reach it, in one or more steps that each meet the chain's.
			assert_noop!(
				Operators::delegate(signed(CHARLIE), ALICE, 49),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_ok!(Operators::delegate(signed(CHARLIE), ALICE, 50));
			// Bob's existing 20 stands; a top-up must bring it to the minimum, and what
			// stays after an undelegation must be zero or at least the minimum.
			assert_noop!(
				Operators::delegate(signed(BOB), ALICE, 10),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_ok!(Operators::delegate(signed(BOB), ALICE, 30));
			assert_noop!(
				Operators::schedule_undelegate(signed(BOB), ALICE, 10),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 50));
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 20),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_ok!(Operators::cancel_undelegate(signed(BOB), ALICE, 50));
			// Below the chain's minimum, the chain's applies.
			assert_ok!(Operators::set_min_delegation(signed(ALICE), 1));
			assert_eq!(
				Operators::operator_info(&ALICE).map(|i| i.min_delegation),
				Some(MIN_DELEGATION)
			);
			assert_noop!(
				Operators::delegate(signed(DAVE), ALICE, MIN_DELEGATION - 1),
				Error::<Test>::DelegationBelowMinimum
			);
		},
	);
}

#[test]
fn an_operator_evicts_delegations_below_its_minimum_into_unbonding() {
	ExtBuilder::default()
		.operator(ALICE, MIN_BOND)
		.delegation(BOB, ALICE, 20)
		.delegation(CHARLIE, ALICE, 60)
		.build_and_execute(|| {
			let bob_held = held(HoldReason::Delegation, BOB);
			// At or above the minimum: refused.
			assert_noop!(
				Operators::evict_delegation(signed(ALICE), BOB),
				Error::<Test>::DelegationNotBelowMinimum
			);
			assert_ok!(Operators::set_min_delegation(signed(ALICE), 50));
			events();
			assert_noop!(
				Operators::evict_delegation(signed(ALICE), CHARLIE),
				Error::<Test>::DelegationNotBelowMinimum
			);
			assert_noop!(
				Operators::evict_delegation(signed(ALICE), DAVE),
				Error::<Test>::NotDelegated
			);
			assert_noop!(
				Operators::evict_delegation(signed(CHARLIE), BOB),
				Error::<Test>::NotOperator
			);
			assert_noop!(
				Operators::evict_delegation(RuntimeOrigin::none(), BOB),
				DispatchError::BadOrigin
			);
			let (delegators, _) = slots(ALICE);

			// Bob's 20 is below 50: it moves whole into unbonding, its slot is free.
			assert_ok!(Operators::evict_delegation(signed(ALICE), BOB));
			let unlock_at = System::block_number() + UNBONDING_DELAY;
			assert_eq!(
				events(),
				vec![Event::DelegationEvicted {
					operator: ALICE,
					delegator: BOB,
					amount: 20,
					unlock_at
				}]
			);
			assert_eq!(delegation(BOB, ALICE), Some((0, vec![(20, unlock_at)])));
			assert_eq!(slots(ALICE), (delegators - 1, 1));
			assert_noop!(
				Operators::evict_delegation(signed(ALICE), BOB),
				Error::<Test>::NothingToEvict
			);
			// Nothing is lost: still held, and released to Bob after the unbonding delay.
			assert_eq!(held(HoldReason::Delegation, BOB), bob_held);
			advance(UNBONDING_DELAY);
			assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
			assert_eq!(held(HoldReason::Delegation, BOB), 0);
			assert_eq!(delegation(BOB, ALICE), None);
		});
}

#[test]
fn a_delegator_releases_everything_pending_slashes_cannot_take() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 100));
			advance(UNBONDING_DELAY);
			// A pending dust slash may take 3 of Bob's 100: the other 97 are released on time.
			hold_back(ALICE, BOB, 3);
			assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
			assert_eq!(held(HoldReason::Delegation, BOB), 3);
			assert_eq!(delegation(BOB, ALICE), Some((0, vec![(3, 1 + UNBONDING_DELAY)])));
			assert_noop!(
				Operators::execute_undelegate(signed(BOB), ALICE),
				Error::<Test>::HeldBackForSlash
			);
			// Once the slash concludes, the rest goes too.
			hold_back(ALICE, BOB, 0);
			assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
			assert_eq!(delegation(BOB, ALICE), None);
			assert_eq!(free(BOB), INITIAL_BALANCE);
		},
	);
}

#[test]
fn delegations_per_delegator_are_bounded() {
	// The mock allows 3 delegations per delegator.
	ExtBuilder::default()
		.operator(ALICE, MIN_BOND)
		.operator(BOB, MIN_BOND)
		.operator(CHARLIE, MIN_BOND)
		.operator(DAVE, MIN_BOND)
		.build_and_execute(|| {
			for operator in [ALICE, BOB, CHARLIE] {
				assert_ok!(Operators::delegate(signed(EVE), operator, MIN_DELEGATION));
			}
			assert_noop!(
				Operators::delegate(signed(EVE), DAVE, MIN_DELEGATION),
				Error::<Test>::TooManyDelegations
			);
			assert_eq!(crate::DelegationsOf::<Test>::get(EVE).to_vec(), vec![ALICE, BOB, CHARLIE]);
			assert_eq!(Operators::delegations_of(&EVE).len(), 3);
		});
}

#[test]
fn undelegation_unbonds_and_releases_after_the_delay() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 30));
			let unlock_at = 1 + UNBONDING_DELAY;
			assert_eq!(delegation(BOB, ALICE), Some((70, vec![(30, unlock_at)])));
			assert_eq!(totals(ALICE), (1, 70, 30));
			assert_eq!(held(HoldReason::Delegation, BOB), 100);
			// Unbonding stake still backs the operator and is slashable...
			assert_eq!(<Operators as OperatorRegistry<_, _, _>>::delegated_stake(&ALICE), 100);
			// ...but earns nothing: its position shows only the active part.
			assert_eq!(
				<Operators as OperatorRegistry<_, _, _>>::stake_positions(&ALICE),
				vec![(ALICE, MIN_BOND), (BOB, 70)]
			);
			assert_eq!(
				events(),
				vec![Event::UndelegationScheduled {
					delegator: BOB,
					operator: ALICE,
					amount: 30,
					unlock_at
				}]
			);

			// Undelegate the rest: the delegation stays until released.
			advance(1);
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 70));
			assert_eq!(
				delegation(BOB, ALICE),
				Some((0, vec![(30, unlock_at), (70, unlock_at + 1)]))
			);

			run_to_block(unlock_at);
			events();
			assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
			assert_eq!(delegation(BOB, ALICE), Some((0, vec![(70, unlock_at + 1)])));
			assert_eq!(held(HoldReason::Delegation, BOB), 70);
			assert_eq!(
				events(),
				vec![Event::UndelegationReleased { delegator: BOB, operator: ALICE, amount: 30 }]
			);

			advance(1);
			assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
			assert_eq!(delegation(BOB, ALICE), None);
			assert_eq!(totals(ALICE), (0, 0, 0));
			assert!(!crate::DelegationTotals::<Test>::contains_key(ALICE));
			assert!(!crate::DelegationsOf::<Test>::contains_key(BOB));
			assert_eq!(free(BOB), INITIAL_BALANCE);
		},
	);
}

#[test]
fn schedule_undelegate_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_noop!(
				Operators::schedule_undelegate(RuntimeOrigin::none(), ALICE, 1),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Operators::schedule_undelegate(signed(CHARLIE), ALICE, 10),
				Error::<Test>::NotDelegated
			);
			assert_noop!(
				Operators::schedule_undelegate(signed(BOB), ALICE, 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				Operators::schedule_undelegate(signed(BOB), ALICE, 101),
				Error::<Test>::NotEnoughDelegation
			);
			// What stays active is zero or at least the minimum.
			assert_noop!(
				Operators::schedule_undelegate(signed(BOB), ALICE, 100 - MIN_DELEGATION + 1),
				Error::<Test>::DelegationBelowMinimum
			);
			for _ in 0..3 {
				assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 10));
				advance(1);
			}
			assert_noop!(
				Operators::schedule_undelegate(signed(BOB), ALICE, 10),
				Error::<Test>::TooManyUnbondingRequests
			);
			// Requests in the same block as the newest chunk still fit.
			run_to_block(3);
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 10));
			assert_eq!(delegation(BOB, ALICE).unwrap().1.len(), 3);
		},
	);
}

#[test]
fn execute_undelegate_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_noop!(
				Operators::execute_undelegate(RuntimeOrigin::none(), ALICE),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Operators::execute_undelegate(signed(CHARLIE), ALICE),
				Error::<Test>::NotDelegated
			);
			assert_noop!(
				Operators::execute_undelegate(signed(BOB), ALICE),
				Error::<Test>::NoUnbonding
			);
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 50));
			assert_noop!(
				Operators::execute_undelegate(signed(BOB), ALICE),
				Error::<Test>::UnbondingNotDue
			);
			advance(UNBONDING_DELAY);
			// Pending slashes against the operator keep back what they may take of Bob's
			// delegation: all of it here.
			let total = crate::Delegations::<Test>::get(ALICE, BOB).map(|d| d.total()).unwrap();
			hold_back(ALICE, BOB, total);
			assert_noop!(
				Operators::execute_undelegate(signed(BOB), ALICE),
				Error::<Test>::HeldBackForSlash
			);
			hold_back(ALICE, BOB, 0);
			assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
		},
	);
}

#[test]
fn cancel_undelegate_returns_the_newest_chunks_to_active() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 20));
			advance(1);
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 30));
			events();
			assert_ok!(Operators::cancel_undelegate(signed(BOB), ALICE, 40));
			assert_eq!(delegation(BOB, ALICE), Some((90, vec![(10, 1 + UNBONDING_DELAY)])));
			assert_eq!(totals(ALICE), (1, 90, 10));
			assert_eq!(
				events(),
				vec![Event::UndelegationCancelled { delegator: BOB, operator: ALICE, amount: 40 }]
			);
			// An Inactive operator may take its delegators' stake back.
			assert_ok!(Operators::go_offline(signed(ALICE)));
			assert_ok!(Operators::cancel_undelegate(signed(BOB), ALICE, 10));
			assert_eq!(delegation(BOB, ALICE), Some((100, vec![])));
		},
	);
}

#[test]
fn cancel_undelegate_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_noop!(
				Operators::cancel_undelegate(RuntimeOrigin::none(), ALICE, 1),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Operators::cancel_undelegate(signed(CHARLIE), ALICE, 1),
				Error::<Test>::NotDelegated
			);
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 1),
				Error::<Test>::NotEnoughUnbonding
			);
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 100));
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 101),
				Error::<Test>::NotEnoughUnbonding
			);
			// Back to active, it would be below the minimum.
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, MIN_DELEGATION - 1),
				Error::<Test>::DelegationBelowMinimum
			);
			assert_ok!(Operators::schedule_leave(signed(ALICE)));
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 50),
				Error::<Test>::OperatorLeaving
			);
			advance(LEAVE_DELAY);
			assert_ok!(Operators::execute_leave(signed(ALICE)));
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 50),
				Error::<Test>::NotOperator
			);
		},
	);
}

#[test]
fn an_operator_may_delegate_to_another_operator() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).operator(BOB, MIN_BOND).build_and_execute(
		|| {
			assert_ok!(Operators::delegate(signed(ALICE), BOB, 50));
			assert_eq!(held(HoldReason::OperatorBond, ALICE), MIN_BOND);
			assert_eq!(held(HoldReason::Delegation, ALICE), 50);
			// Leaving as an operator does not touch its delegations elsewhere.
			assert_ok!(Operators::schedule_leave(signed(ALICE)));
			advance(LEAVE_DELAY);
			assert_ok!(Operators::execute_leave(signed(ALICE)));
			assert_eq!(delegation(ALICE, BOB), Some((50, vec![])));
		},
	);
}

#[test]
fn the_stake_observer_hears_every_active_change_before_it_happens() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		let calls = ObserverCalls::get();
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 50));
		assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 20));
		assert_ok!(Operators::cancel_undelegate(signed(BOB), ALICE, 20));
		assert_ok!(Operators::bond_more(signed(ALICE), 10));
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 10));
		assert_ok!(Operators::cancel_bond_less(signed(ALICE), 10));
		assert_eq!(ObserverCalls::get() - calls, 6);
		// Releasing unbonding stake changes nothing active.
		assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 20));
		advance(UNBONDING_DELAY);
		let calls = ObserverCalls::get();
		assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
		assert_eq!(ObserverCalls::get(), calls);
		// The shadow copy matches the ledgers (also checked after every test).
		assert_observer_in_sync();
	});
}
