//! What a delegation answers for: the blueprints it backs, and only the stake it had at the
//! offence.

use frame_support::{assert_noop, assert_ok, traits::ConstU32, BoundedVec};
use warden_primitives::{BlueprintSelection, OperatorRegistry};

use crate::{mock::*, BlueprintDelegations, DelegationTotals, Delegations, Error, Event};

type Registry = Operators;

fn only(blueprints: &[u64]) -> BlueprintSelection<ConstU32<3>> {
	BlueprintSelection::Only(BoundedVec::truncate_from(blueprints.to_vec()))
}

fn blueprint_stake(operator: AccountId, blueprint: u64) -> Balance {
	<Registry as OperatorRegistry<_, _, _>>::blueprint_stake(&operator, blueprint)
}

fn slashable(operator: AccountId, blueprint: u64, offence_at: u64) -> Vec<(AccountId, Balance)> {
	<Registry as OperatorRegistry<_, _, _>>::slashable_positions(&operator, blueprint, offence_at)
}

fn increases(delegator: AccountId, operator: AccountId) -> Vec<(u64, Balance)> {
	Delegations::<Test>::get(operator, delegator)
		.map(|d| d.increases.into_inner())
		.unwrap_or_default()
}

#[test]
fn a_delegation_to_a_list_backs_only_the_blueprints_it_names() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_ok!(Operators::delegate_with_selection(signed(BOB), ALICE, 40, only(&[1, 2])));
		assert_ok!(Operators::delegate(signed(CHARLIE), ALICE, 30));
		assert_eq!(
			events(),
			vec![
				Event::DelegationScoped {
					delegator: BOB,
					operator: ALICE,
					blueprints: BoundedVec::truncate_from(vec![1, 2]),
				},
				Event::Delegated { delegator: BOB, operator: ALICE, amount: 40 },
				Event::Delegated { delegator: CHARLIE, operator: ALICE, amount: 30 },
			]
		);
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 1), 40);
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 2), 40);
		assert!(!BlueprintDelegations::<Test>::contains_key(ALICE, 0));
		assert_eq!(DelegationTotals::<Test>::get(ALICE).scoped, 40);

		// Blueprint 0 is backed by ALICE's bond and CHARLIE only; 1 and 2 by everyone.
		assert_eq!(blueprint_stake(ALICE, 0), MIN_BOND + 30);
		assert_eq!(blueprint_stake(ALICE, 1), MIN_BOND + 70);
		assert_eq!(blueprint_stake(ALICE, 2), MIN_BOND + 70);
		let now = System::block_number();
		assert_eq!(slashable(ALICE, 0, now), vec![(ALICE, MIN_BOND), (CHARLIE, 30)]);
		let mut for_one = slashable(ALICE, 1, now);
		for_one.sort();
		assert_eq!(for_one, vec![(ALICE, MIN_BOND), (BOB, 40), (CHARLIE, 30)]);

		// Wallets read the list through the runtime API.
		assert_eq!(Operators::delegations_of(&BOB)[0].blueprints, Some(vec![1, 2]));
		assert_eq!(Operators::delegations_of(&CHARLIE)[0].blueprints, None);

		// A plain `delegate` tops the list delegation up, keeping its list.
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 10));
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 1), 50);
		assert_eq!(blueprint_stake(ALICE, 0), MIN_BOND + 30);
		assert_eq!(
			events(),
			vec![Event::Delegated { delegator: BOB, operator: ALICE, amount: 10 }]
		);
	});
}

#[test]
fn a_selection_must_be_well_formed_and_is_kept_for_the_delegations_life() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		for bad in [only(&[]), only(&[2, 1]), only(&[1, 1])] {
			assert_noop!(
				Operators::delegate_with_selection(signed(BOB), ALICE, 40, bad),
				Error::<Test>::InvalidBlueprintSelection
			);
		}
		assert_ok!(Operators::delegate_with_selection(signed(BOB), ALICE, 40, only(&[1, 2])));
		for other in [BlueprintSelection::All, only(&[1]), only(&[1, 2, 3])] {
			assert_noop!(
				Operators::delegate_with_selection(signed(BOB), ALICE, 10, other),
				Error::<Test>::BlueprintSelectionMismatch
			);
		}
		assert_ok!(Operators::delegate_with_selection(signed(BOB), ALICE, 10, only(&[1, 2])));
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 2), 50);

		// Undelegating keeps the selection: the unbonding stake still answers for blueprints
		// 1 and 2 only.
		assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 50));
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 1), 50);
		assert_noop!(
			Operators::delegate_with_selection(signed(BOB), ALICE, 10, BlueprintSelection::All),
			Error::<Test>::BlueprintSelectionMismatch
		);

		// Once released, the delegation is gone with its selection: a new one names its own.
		advance(UNBONDING_DELAY);
		assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
		assert!(!BlueprintDelegations::<Test>::contains_key(ALICE, 1));
		assert_eq!(DelegationTotals::<Test>::get(ALICE).scoped, 0);
		assert_ok!(Operators::delegate_with_selection(signed(BOB), ALICE, 10, only(&[0])));
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 0), 10);
	});
}

#[test]
fn a_slash_of_a_list_delegation_lowers_its_blueprints_stake() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		assert_ok!(Operators::delegate_with_selection(signed(BOB), ALICE, 40, only(&[1])));
		let (_, slashed) =
			<Registry as OperatorRegistry<_, _, _>>::slash_positions(&ALICE, &[(BOB, 15)]);
		assert_eq!(slashed, 15);
		assert_eq!(BlueprintDelegations::<Test>::get(ALICE, 1), 25);
		assert_eq!(DelegationTotals::<Test>::get(ALICE).scoped, 25);
		assert_eq!(blueprint_stake(ALICE, 1), MIN_BOND + 25);
	});
}

#[test]
fn stake_added_after_an_offence_does_not_answer_for_it() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		run_to_block(5);
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 40));
		run_to_block(8);
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 20));
		run_to_block(9);
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 30));
		assert_eq!(increases(BOB, ALICE), vec![(5, 40), (8, 20), (9, 30)]);

		// An offence before BOB delegated: only ALICE's own bond answers.
		assert_eq!(slashable(ALICE, 0, 4), vec![(ALICE, MIN_BOND)]);
		// Later offences: what BOB had at their block.
		assert_eq!(slashable(ALICE, 0, 5), vec![(ALICE, MIN_BOND), (BOB, 40)]);
		assert_eq!(slashable(ALICE, 0, 8), vec![(ALICE, MIN_BOND), (BOB, 60)]);
		assert_eq!(slashable(ALICE, 0, 9), vec![(ALICE, MIN_BOND), (BOB, 90)]);

		// Stake that left since counts against what was there: BOB undelegated 70 and it
		// was released (never more than the delegation holds).
		assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 70));
		advance(UNBONDING_DELAY);
		assert_ok!(Operators::execute_undelegate(signed(BOB), ALICE));
		assert_eq!(slashable(ALICE, 0, 8), vec![(ALICE, MIN_BOND)]);
		assert_eq!(slashable(ALICE, 0, 9), vec![(ALICE, MIN_BOND), (BOB, 20)]);
	});
}

#[test]
fn increases_age_out_and_are_bounded() {
	// The mock's offence age cap is 7 blocks and a delegation remembers 3 increases.
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		for block in 1..=3 {
			run_to_block(block);
			assert_ok!(Operators::delegate(signed(BOB), ALICE, 10));
		}
		// Increases in the same block share an entry.
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 10));
		assert_eq!(increases(BOB, ALICE), vec![(1, 10), (2, 10), (3, 20)]);
		run_to_block(4);
		assert_noop!(
			Operators::delegate(signed(BOB), ALICE, 10),
			Error::<Test>::TooManyRecentIncreases
		);
		// At block 9 the oldest reportable offence is at block 2: the increases at blocks
		// 1 and 2 came before any of them and are forgotten.
		run_to_block(9);
		assert_ok!(Operators::delegate(signed(BOB), ALICE, 10));
		assert_eq!(increases(BOB, ALICE), vec![(3, 20), (9, 10)]);
		assert_eq!(slashable(ALICE, 0, 2), vec![(ALICE, MIN_BOND), (BOB, 20)]);
		// Other delegators are not limited by BOB's increases.
		assert_ok!(Operators::delegate(signed(CHARLIE), ALICE, 10));
	});
}
