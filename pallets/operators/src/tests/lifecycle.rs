//! The operator lifecycle: join, offline/online, and the exit flow.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, TokenError};
use warden_primitives::{OperatorRegistry, OperatorState, UnbondingChunk};

use crate::{mock::*, Error, Event, HoldReason};

fn state(who: AccountId) -> Option<OperatorState<u64>> {
	<Operators as OperatorRegistry<_, _, _>>::state(&who)
}

#[docify::export]
#[test]
fn join_delegate_leave_reclaim() {
	ExtBuilder::default().build_and_execute(|| {
		// Alice bonds and becomes an Active operator; Bob delegates to her.
		assert_ok!(Operators::join_operators(signed(ALICE), 1_000));
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 500));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 1_000);
		assert_eq!(held(HoldReason::Delegation, BOB), 500);

		// Alice leaves after the leave delay: her bond and Bob's delegation start unbonding,
		// both still slashable.
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);
		assert_ok!(Operators::execute_leave(signed(ALICE)));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 1_000);
		assert_eq!(held(HoldReason::Delegation, BOB), 500);

		// Both reclaim their stake after the unbonding delay.
		assert_noop!(
			Operators::execute_undelegate(signed(BOB), ALICE),
			Error::<Test>::UnbondingNotDue
		);
		advance(UNBONDING_DELAY);
		assert_ok!(Operators::release_exit_bond(signed(ALICE)));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 0);
		assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
		assert_eq!(held(HoldReason::Delegation, BOB), 0);
		assert_eq!(free(BOB), INITIAL_BALANCE);
		assert!(events().contains(&Event::UndelegationReleased {
			delegator: BOB,
			operator: ALICE,
			amount: 500
		}));
	});
}

#[test]
fn join_operators_holds_the_bond_and_makes_an_active_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Operators::join_operators(signed(ALICE), MIN_BOND));
		let operator = crate::Operators::<Test>::get(ALICE).unwrap();
		assert_eq!(operator.state, OperatorState::Active);
		assert_eq!(operator.bond, MIN_BOND);
		assert!(operator.unbonding.is_empty());
		assert_eq!(crate::OperatorCount::<Test>::get(), 1);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), MIN_BOND);
		assert_eq!(free(ALICE), INITIAL_BALANCE - MIN_BOND);
		assert_eq!(ObservedStake::get().get(&(ALICE, ALICE)), Some(&MIN_BOND));
		assert_eq!(events(), vec![Event::OperatorJoined { operator: ALICE, bond: MIN_BOND }]);
	});
}

#[test]
fn join_operators_errors() {
	ExtBuilder::default().balance(BOB, 50).build_and_execute(|| {
		assert_noop!(
			Operators::join_operators(RuntimeOrigin::none(), MIN_BOND),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Operators::join_operators(signed(ALICE), MIN_BOND - 1),
			Error::<Test>::BondTooLow
		);
		assert_noop!(Operators::join_operators(signed(ALICE), 0), Error::<Test>::BondTooLow);
		assert_noop!(
			Operators::join_operators(signed(ALICE), INITIAL_BALANCE + 1),
			TokenError::FundsUnavailable
		);
		// Bob can't afford the minimum.
		assert_noop!(
			Operators::join_operators(signed(BOB), MIN_BOND),
			TokenError::FundsUnavailable
		);
		assert_ok!(Operators::join_operators(signed(ALICE), MIN_BOND));
		assert_noop!(
			Operators::join_operators(signed(ALICE), MIN_BOND),
			Error::<Test>::AlreadyOperator
		);
	});
}

#[test]
fn go_offline_and_online_switch_between_active_and_inactive() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_ok!(Operators::go_offline(signed(ALICE)));
		assert_eq!(state(ALICE), Some(OperatorState::Inactive));
		assert!(!<Operators as OperatorRegistry<_, _, _>>::is_active(&ALICE));
		assert_ok!(Operators::go_online(signed(ALICE)));
		assert_eq!(state(ALICE), Some(OperatorState::Active));
		assert_eq!(
			events(),
			vec![
				Event::OperatorWentOffline { operator: ALICE },
				Event::OperatorWentOnline { operator: ALICE }
			]
		);
	});
}

#[test]
fn go_offline_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_noop!(Operators::go_offline(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(Operators::go_offline(signed(BOB)), Error::<Test>::NotOperator);
		assert_ok!(Operators::go_offline(signed(ALICE)));
		assert_noop!(Operators::go_offline(signed(ALICE)), Error::<Test>::AlreadyOffline);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_noop!(Operators::go_offline(signed(ALICE)), Error::<Test>::OperatorLeaving);
	});
}

#[test]
fn go_online_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_noop!(Operators::go_online(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(Operators::go_online(signed(BOB)), Error::<Test>::NotOperator);
		assert_noop!(Operators::go_online(signed(ALICE)), Error::<Test>::AlreadyOnline);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_noop!(Operators::go_online(signed(ALICE)), Error::<Test>::OperatorLeaving);
	});
}

#[test]
fn schedule_leave_from_active_or_inactive_and_cancel_returns_to_active() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).operator(BOB, MIN_BOND).build_and_execute(
		|| {
			run_to_block(7);
			assert_ok!(Operators::schedule_leave(signed(ALICE)));
			assert_eq!(state(ALICE), Some(OperatorState::Leaving { at: 7 + LEAVE_DELAY }));
			assert!(!<Operators as OperatorRegistry<_, _, _>>::is_active(&ALICE));
			assert_ok!(Operators::cancel_leave(signed(ALICE)));
			assert_eq!(state(ALICE), Some(OperatorState::Active));

			// An Inactive operator may leave too, and cancelling makes it Active.
			assert_ok!(Operators::go_offline(signed(BOB)));
			assert_ok!(Operators::schedule_leave(signed(BOB)));
			assert_ok!(Operators::cancel_leave(signed(BOB)));
			assert_eq!(state(BOB), Some(OperatorState::Active));
			assert_eq!(
				events(),
				vec![
					Event::LeaveScheduled { operator: ALICE, at: 7 + LEAVE_DELAY },
					Event::LeaveCancelled { operator: ALICE },
					Event::OperatorWentOffline { operator: BOB },
					Event::LeaveScheduled { operator: BOB, at: 7 + LEAVE_DELAY },
					Event::LeaveCancelled { operator: BOB },
				]
			);
		},
	);
}

#[test]
fn schedule_and_cancel_leave_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_noop!(Operators::schedule_leave(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(Operators::cancel_leave(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(Operators::schedule_leave(signed(BOB)), Error::<Test>::NotOperator);
		assert_noop!(Operators::cancel_leave(signed(BOB)), Error::<Test>::NotOperator);
		assert_noop!(Operators::cancel_leave(signed(ALICE)), Error::<Test>::NotLeaving);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_noop!(Operators::schedule_leave(signed(ALICE)), Error::<Test>::AlreadyLeaving);
	});
}

#[test]
fn execute_leave_moves_the_bond_to_a_slashable_exit_bond() {
	ExtBuilder::default().operator(ALICE, 1_000).build_and_execute(|| {
		// Part of the bond is unbonding: it joins the rest in the exit bond.
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 300));
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);
		events();
		assert_ok!(Operators::execute_leave(signed(ALICE)));
		let unlock_at = System::block_number() + UNBONDING_DELAY;
		assert_eq!(state(ALICE), None);
		assert_eq!(crate::OperatorCount::<Test>::get(), 0);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 1_000);
		assert_eq!(<Operators as OperatorRegistry<_, _, _>>::own_stake(&ALICE), 1_000);
		assert_eq!(
			<Operators as OperatorRegistry<_, _, _>>::slashable_positions(
				&ALICE,
				0,
				System::block_number()
			),
			vec![(ALICE, 1_000)]
		);
		assert_eq!(Operators::exit_bond(&ALICE), Some(UnbondingChunk { amount: 1_000, unlock_at }));
		assert_eq!(events(), vec![Event::OperatorLeft { operator: ALICE, bond: 1_000, unlock_at }]);
		assert!(ObservedStake::get().is_empty());

		// It can't join again, or be released, before the exit bond unlocks.
		assert_noop!(
			Operators::join_operators(signed(ALICE), MIN_BOND),
			Error::<Test>::ExitBondUnreleased
		);
		advance(UNBONDING_DELAY - 1);
		assert_noop!(Operators::release_exit_bond(signed(ALICE)), Error::<Test>::UnbondingNotDue);
		advance(1);
		assert_ok!(Operators::release_exit_bond(signed(ALICE)));
		assert_eq!(events(), vec![Event::ExitBondReleased { operator: ALICE, amount: 1_000 }]);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE);
		assert_eq!(Operators::exit_bond(&ALICE), None);
		assert_noop!(Operators::release_exit_bond(signed(ALICE)), Error::<Test>::NoExitBond);
		assert_ok!(Operators::join_operators(signed(ALICE), MIN_BOND));
	});
}

#[test]
fn an_exit_bond_keeps_back_what_pending_slashes_may_take() {
	ExtBuilder::default().operator(ALICE, 1_000).build_and_execute(|| {
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);
		assert_ok!(Operators::execute_leave(signed(ALICE)));
		advance(UNBONDING_DELAY);
		hold_back(ALICE, ALICE, 1_000);
		assert_noop!(Operators::release_exit_bond(signed(ALICE)), Error::<Test>::HeldBackForSlash);
		hold_back(ALICE, ALICE, 400);
		assert_ok!(Operators::release_exit_bond(signed(ALICE)));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 400);
		// The slash takes its part from the exit bond; the rest is released after.
		let (credit, taken) =
			<Operators as OperatorRegistry<_, _, _>>::slash_positions(&ALICE, &[(ALICE, 150)]);
		drop(credit);
		assert_eq!(taken, 150);
		assert_eq!(Operators::exit_bond(&ALICE).map(|c| c.amount), Some(250));
		hold_back(ALICE, ALICE, 0);
		assert_ok!(Operators::release_exit_bond(signed(ALICE)));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE - 150);
	});
}

#[test]
fn an_exit_bond_unlocks_no_earlier_than_its_latest_bond_less_chunk() {
	ExtBuilder::default()
		.operator(ALICE, 1_000)
		.params(|p| p.bond_less_delay = UNBONDING_DELAY + 20)
		.build_and_execute(|| {
			assert_ok!(Operators::schedule_bond_less(signed(ALICE), 300));
			let bond_less_unlock = System::block_number() + UNBONDING_DELAY + 20;
			assert_ok!(Operators::schedule_leave(signed(ALICE)));
			advance(LEAVE_DELAY);
			assert_ok!(Operators::execute_leave(signed(ALICE)));
			assert_eq!(
				Operators::exit_bond(&ALICE),
				Some(UnbondingChunk { amount: 1_000, unlock_at: bond_less_unlock })
			);
		});
}

#[test]
fn execute_leave_errors() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_noop!(Operators::execute_leave(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(Operators::execute_leave(signed(BOB)), Error::<Test>::NotOperator);
		assert_noop!(Operators::execute_leave(signed(ALICE)), Error::<Test>::NotLeaving);
		assert_ok!(Operators::go_offline(signed(ALICE)));
		assert_noop!(Operators::execute_leave(signed(ALICE)), Error::<Test>::NotLeaving);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY - 1);
		assert_noop!(Operators::execute_leave(signed(ALICE)), Error::<Test>::LeaveNotDue);
		advance(1);
		assert_ok!(Operators::execute_leave(signed(ALICE)));
	});
}

#[test]
fn exit_is_blocked_while_services_or_registrations_remain_but_not_by_pending_slashes() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);

		BusyOperators::set(vec![ALICE]);
		RegisteredOperators::set(vec![ALICE]);
		assert_noop!(Operators::execute_leave(signed(ALICE)), Error::<Test>::HasActiveServices);
		BusyOperators::set(vec![]);
		assert_noop!(Operators::execute_leave(signed(ALICE)), Error::<Test>::HasRegistrations);
		RegisteredOperators::set(vec![]);
		// A pending slash doesn't stop the exit: it reaches the exit bond.
		hold_back(ALICE, ALICE, MIN_BOND);
		assert_ok!(Operators::execute_leave(signed(ALICE)));
		assert_eq!(state(ALICE), None);
		assert_eq!(<Operators as OperatorRegistry<_, _, _>>::own_stake(&ALICE), MIN_BOND);
		hold_back(ALICE, ALICE, 0);
	});
}

#[test]
fn delegators_reclaim_their_stake_after_the_operator_leaves() {
	ExtBuilder::default()
		.operator(ALICE, MIN_BOND)
		.delegation(BOB, ALICE, 100)
		.delegation(CHARLIE, ALICE, 200)
		.delegation(DAVE, ALICE, 300)
		.build_and_execute(|| {
			// Charlie already has an undelegation in flight; Dave filled every chunk slot.
			assert_ok!(Operators::schedule_undelegate(signed(CHARLIE), ALICE, 50));
			for _ in 0..3 {
				assert_ok!(Operators::schedule_undelegate(signed(DAVE), ALICE, 10));
				advance(1);
			}
			run_to_block(20);
			assert_ok!(Operators::schedule_leave(signed(ALICE)));
			advance(LEAVE_DELAY);
			events();
			assert_ok!(Operators::execute_leave(signed(ALICE)));
			let now = System::block_number();
			let unlock_at = now + UNBONDING_DELAY;

			let mut leave_events = events();
			assert_eq!(
				leave_events.remove(0),
				Event::OperatorLeft { operator: ALICE, bond: MIN_BOND, unlock_at }
			);
			leave_events.sort_by_key(|e| match e {
				Event::UndelegationScheduled { delegator, .. } => *delegator,
				_ => 0,
			});
			assert_eq!(
				leave_events,
				vec![
					Event::UndelegationScheduled {
						delegator: BOB,
						operator: ALICE,
						amount: 100,
						unlock_at
					},
					Event::UndelegationScheduled {
						delegator: CHARLIE,
						operator: ALICE,
						amount: 150,
						unlock_at
					},
					Event::UndelegationScheduled {
						delegator: DAVE,
						operator: ALICE,
						amount: 270,
						unlock_at
					},
				]
			);

			// Nothing is active any more; everything is unbonding and still slashable.
			let totals = crate::DelegationTotals::<Test>::get(ALICE);
			assert_eq!((totals.active, totals.unbonding), (0, 600));
			// Two give their slot back; with no more room for unbonding-only delegations,
			// the third keeps its own.
			assert_eq!((totals.delegators, totals.unbonding_only), (1, 2));
			assert!(ObservedStake::get().is_empty());
			// Dave's queue was full: the exit's chunk joined his latest one, which now unlocks
			// with it.
			let dave = crate::Delegations::<Test>::get(ALICE, DAVE).unwrap();
			assert_eq!(dave.unbonding.len(), 3);
			assert_eq!(
				dave.unbonding.last().map(|c| (c.amount, c.unlock_at)),
				Some((280, unlock_at))
			);

			// The requests made before the exit are already due.
			assert_ok!(Operators::execute_undelegate(signed(CHARLIE), ALICE));
			assert_eq!(held(HoldReason::Delegation, CHARLIE), 150);
			assert_ok!(Operators::execute_undelegate(signed(DAVE), ALICE));
			assert_eq!(held(HoldReason::Delegation, DAVE), 280);
			assert_noop!(
				Operators::execute_undelegate(signed(BOB), ALICE),
				Error::<Test>::UnbondingNotDue
			);

			// Cancelling is impossible: the operator is gone.
			assert_noop!(
				Operators::cancel_undelegate(signed(BOB), ALICE, 100),
				Error::<Test>::NotOperator
			);

			run_to_block(unlock_at);
			for who in [BOB, CHARLIE, DAVE] {
				assert_ok!(Operators::execute_undelegate(signed(who), ALICE));
				assert_eq!(held(HoldReason::Delegation, who), 0);
				assert_eq!(free(who), INITIAL_BALANCE);
				assert!(crate::DelegationsOf::<Test>::get(who).is_empty());
			}
			assert!(!crate::DelegationTotals::<Test>::contains_key(ALICE));
			assert_eq!(crate::Delegations::<Test>::iter().count(), 0);
		});
}

#[test]
fn a_former_operator_may_rejoin_while_old_delegations_unbond() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).delegation(BOB, ALICE, 100).build_and_execute(
		|| {
			assert_ok!(Operators::schedule_leave(signed(ALICE)));
			advance(LEAVE_DELAY);
			assert_ok!(Operators::execute_leave(signed(ALICE)));
			// Not before her exit bond is released.
			assert_noop!(
				Operators::join_operators(signed(ALICE), MIN_BOND),
				Error::<Test>::ExitBondUnreleased
			);
			advance(UNBONDING_DELAY);
			assert_ok!(Operators::release_exit_bond(signed(ALICE)));
			assert_ok!(Operators::join_operators(signed(ALICE), MIN_BOND));
			// Bob's unbonding delegation, not released yet, still counts on Alice (without a
			// slot), and backs her until released.
			assert_eq!(crate::DelegationTotals::<Test>::get(ALICE).unbonding_only, 1);
			assert_eq!(
				<Operators as OperatorRegistry<_, _, _>>::total_stake(&ALICE),
				MIN_BOND + 100
			);
			// Bob may even take it back into active delegation.
			assert_ok!(Operators::cancel_undelegate(signed(BOB), ALICE, 100));
			assert_eq!(crate::Delegations::<Test>::get(ALICE, BOB).unwrap().amount, 100);
		},
	);
}
