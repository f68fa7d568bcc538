//! Slash application through `OperatorRegistry::slash`.

use frame_support::{assert_ok, traits::Imbalance};
use warden_primitives::OperatorRegistry;

use crate::{mock::*, Event, HoldReason};

type Registry = Operators;

fn slash(operator: AccountId, amount: Balance) -> Balance {
	let issuance = Balances::total_issuance();
	let (credit, slashed) = <Registry as OperatorRegistry<_, _, _>>::slash(&operator, amount);
	assert_eq!(credit.peek(), slashed, "the credit carries exactly what was slashed");
	assert!(slashed <= amount);
	drop(credit);
	assert_eq!(Balances::total_issuance(), issuance - slashed, "a dropped credit burns");
	slashed
}

fn own(who: AccountId) -> (Balance, Vec<Balance>) {
	crate::Operators::<Test>::get(who)
		.map(|o| (o.bond, o.unbonding.iter().map(|c| c.amount).collect()))
		.unwrap_or_default()
}

fn delegated(delegator: AccountId, operator: AccountId) -> Option<(Balance, Vec<Balance>)> {
	crate::Delegations::<Test>::get(operator, delegator)
		.map(|d| (d.amount, d.unbonding.iter().map(|c| c.amount).collect()))
}

fn slashed_events() -> Vec<(AccountId, Balance)> {
	let mut slashed: Vec<_> = events()
		.into_iter()
		.filter_map(|e| match e {
			Event::Slashed { staker, amount, .. } => Some((staker, amount)),
			_ => None,
		})
		.collect();
	slashed.sort();
	slashed
}

/// Alice: 400 active + 200 unbonding. Bob: 200 active + 100 unbonding. Charlie: 100 active.
fn staked() -> ExtBuilder {
	ExtBuilder::default()
		.operator(ALICE, 600)
		.delegation(BOB, ALICE, 300)
		.delegation(CHARLIE, ALICE, 100)
}

fn unbond_some() {
	assert_ok!(Operators::schedule_bond_less(signed(ALICE), 200));
	assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 100));
	events();
}

#[test]
fn a_slash_is_split_in_proportion_to_stake_unbonding_chunks_included() {
	staked().build_and_execute(|| {
		unbond_some();
		assert_eq!(<Registry as OperatorRegistry<_, _, _>>::total_stake(&ALICE), 1_000);

		assert_eq!(slash(ALICE, 100), 100);

		assert_eq!(own(ALICE), (360, vec![180]));
		assert_eq!(delegated(BOB, ALICE), Some((180, vec![90])));
		assert_eq!(delegated(CHARLIE, ALICE), Some((90, vec![])));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 540);
		assert_eq!(held(HoldReason::Delegation, BOB), 270);
		assert_eq!(held(HoldReason::Delegation, CHARLIE), 90);
		assert_eq!(slashed_events(), vec![(ALICE, 60), (BOB, 30), (CHARLIE, 10)]);
		assert_eq!(<Registry as OperatorRegistry<_, _, _>>::total_stake(&ALICE), 900);
		let totals = crate::DelegationTotals::<Test>::get(ALICE);
		assert_eq!((totals.active, totals.unbonding), (270, 90));
		// The rewards observer heard about every active change.
		assert_eq!(ObservedStake::get().get(&(ALICE, ALICE)), Some(&360));
		assert_eq!(ObservedStake::get().get(&(ALICE, BOB)), Some(&180));
	});
}

#[test]
fn awkward_rounding_never_takes_more_than_the_amount_and_the_operator_absorbs_dust_first() {
	// Parts: Alice 100 + 1 unbonding, Bob 10 + 1 unbonding, Charlie 13: 125 in all.
	ExtBuilder::default()
		.operator(ALICE, 101)
		.delegation(BOB, ALICE, 11)
		.delegation(CHARLIE, ALICE, 13)
		.build_and_execute(|| {
			assert_ok!(Operators::schedule_bond_less(signed(ALICE), 1));
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 1));
			events();

			// Exact shares of 7 are 5.6, 0.056, 0.56, 0.056 and 0.728: the floors give 5, and
			// the 2 units rounding left over come from the operator's active bond.
			assert_eq!(slash(ALICE, 7), 7);
			assert_eq!(own(ALICE), (93, vec![1]));
			assert_eq!(delegated(BOB, ALICE), Some((10, vec![1])));
			assert_eq!(delegated(CHARLIE, ALICE), Some((13, vec![])));
			assert_eq!(slashed_events(), vec![(ALICE, 7)]);
		});
}

#[test]
fn rounding_leftovers_spill_part_by_part_without_exceeding_any_part() {
	ExtBuilder::default()
		.operator(ALICE, 101)
		.delegation(BOB, ALICE, 11)
		.delegation(CHARLIE, ALICE, 13)
		.build_and_execute(|| {
			assert_ok!(Operators::schedule_bond_less(signed(ALICE), 1));
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 1));
			events();

			// 124 of 125: floors give 99, 0, 9, 0 and 12 (120). The 4 units left over are
			// taken part by part: the last unit of Alice's bond and her chunk, then the first
			// delegation in storage order, active part first, then the next.
			let first = crate::Delegations::<Test>::iter_key_prefix(ALICE).next();
			assert_eq!(slash(ALICE, 124), 124);
			assert_eq!(own(ALICE), (0, vec![]));
			if first == Some(BOB) {
				assert_eq!(delegated(BOB, ALICE), None);
				assert_eq!(delegated(CHARLIE, ALICE), Some((1, vec![])));
				assert_eq!(slashed_events(), vec![(ALICE, 101), (BOB, 11), (CHARLIE, 12)]);
			} else {
				assert_eq!(delegated(CHARLIE, ALICE), None);
				assert_eq!(delegated(BOB, ALICE), Some((0, vec![1])));
				assert_eq!(slashed_events(), vec![(ALICE, 101), (BOB, 10), (CHARLIE, 13)]);
			}
			// The emptied delegation is gone, with its counters.
			assert_eq!(crate::DelegationTotals::<Test>::get(ALICE).delegators, 1);
			assert_eq!(crate::DelegationsOf::<Test>::iter().count(), 1);
			// Alice stays an operator, with nothing bonded.
			assert!(<Registry as OperatorRegistry<_, _, _>>::state(&ALICE).is_some());
		});
}

#[test]
fn a_slash_beyond_the_stake_takes_all_of_it_and_no_more() {
	staked().build_and_execute(|| {
		unbond_some();
		let total = <Registry as OperatorRegistry<_, _, _>>::total_stake(&ALICE);
		assert_eq!(slash(ALICE, 5_000), total);
		assert_eq!(own(ALICE), (0, vec![]));
		assert_eq!(delegated(BOB, ALICE), None);
		assert_eq!(delegated(CHARLIE, ALICE), None);
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 0);
		assert_eq!(held(HoldReason::Delegation, BOB), 0);
		assert_eq!(free(BOB), INITIAL_BALANCE - 300);
		assert_eq!(slashed_events(), vec![(ALICE, 600), (BOB, 300), (CHARLIE, 100)]);
		assert_eq!(<Registry as OperatorRegistry<_, _, _>>::total_stake(&ALICE), 0);
	});
}

#[test]
fn nothing_to_slash_changes_nothing() {
	staked().build_and_execute(|| {
		events();
		assert_eq!(slash(ALICE, 0), 0);
		assert_eq!(slash(EVE, 100), 0);
		assert!(events().is_empty());
		assert_eq!(own(ALICE), (600, vec![]));
	});
}

#[test]
fn tiny_slashes_round_to_the_operator() {
	staked().build_and_execute(|| {
		// One unit: every floor is zero; the operator's bond gives it.
		assert_eq!(slash(ALICE, 1), 1);
		assert_eq!(slashed_events(), vec![(ALICE, 1)]);
	});
}

#[test]
fn delegations_still_unbonding_after_an_exit_stay_slashable() {
	staked().build_and_execute(|| {
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);
		assert_ok!(Operators::execute_leave(signed(ALICE)));
		events();
		assert_eq!(slash(ALICE, 40), 40);
		assert_eq!(delegated(BOB, ALICE), Some((0, vec![270])));
		assert_eq!(delegated(CHARLIE, ALICE), Some((0, vec![90])));
		assert_eq!(slashed_events(), vec![(BOB, 30), (CHARLIE, 10)]);
	});
}

#[test]
fn slashing_an_operator_leaves_its_own_delegations_elsewhere_alone() {
	ExtBuilder::default()
		.operator(ALICE, 200)
		.operator(BOB, 200)
		.delegation(ALICE, BOB, 50)
		.build_and_execute(|| {
			assert_eq!(slash(ALICE, 100), 100);
			assert_eq!(own(ALICE), (100, vec![]));
			assert_eq!(delegated(ALICE, BOB), Some((50, vec![])));
			assert_eq!(held(HoldReason::Delegation, ALICE), 50);
		});
}
