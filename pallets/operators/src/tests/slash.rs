//! Slash application through `OperatorRegistry::slash_positions`.

use frame_support::{assert_ok, traits::Imbalance};
use warden_primitives::OperatorRegistry;

use crate::{mock::*, Event, HoldReason};

type Registry = Operators;

fn slash(operator: AccountId, takes: &[(AccountId, Balance)]) -> Balance {
	let issuance = Balances::total_issuance();
	let (credit, slashed) =
		<Registry as OperatorRegistry<_, _, _>>::slash_positions(&operator, takes);
	assert_eq!(credit.peek(), slashed, "the credit carries exactly what was slashed");
	assert!(slashed <= takes.iter().map(|(_, take)| take).sum());
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
fn slashable_positions_list_every_position_unbonding_included() {
	staked().build_and_execute(|| {
		unbond_some();
		assert_ok!(Operators::schedule_undelegate(signed(CHARLIE), ALICE, 100));
		let mut positions = Registry::slashable_positions(&ALICE, 0, System::block_number());
		// The operator's own bond comes first.
		assert_eq!(positions.remove(0), (ALICE, 600));
		positions.sort();
		assert_eq!(positions, vec![(BOB, 300), (CHARLIE, 100)]);
		assert!(Registry::slashable_positions(&EVE, 0, System::block_number()).is_empty());
		assert_eq!(Registry::max_slashable_positions(), 4 + 2 + 1);
	});
}

#[test]
fn each_position_gives_its_take_spread_over_its_parts() {
	staked().build_and_execute(|| {
		unbond_some();
		assert_eq!(<Registry as OperatorRegistry<_, _, _>>::total_stake(&ALICE), 1_000);

		assert_eq!(slash(ALICE, &[(ALICE, 60), (BOB, 30), (CHARLIE, 10)]), 100);

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
fn rounding_within_a_position_takes_the_leftover_from_its_active_part_first() {
	ExtBuilder::default().operator(ALICE, 101).delegation(BOB, ALICE, 11).build_and_execute(|| {
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 1));
		assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 1));
		events();
		// Alice: exact shares of 7 are 6.93 and 0.07: floors give 6, the leftover unit
		// comes from the active bond. Bob: 1 of 10 + 1 is 0.9 and 0.09: the active part.
		assert_eq!(slash(ALICE, &[(ALICE, 7), (BOB, 1)]), 8);
		assert_eq!(own(ALICE), (93, vec![1]));
		assert_eq!(delegated(BOB, ALICE), Some((9, vec![1])));
		assert_eq!(slashed_events(), vec![(ALICE, 7), (BOB, 1)]);
	});
}

#[test]
fn a_take_beyond_a_position_takes_all_of_it_and_no_more() {
	staked().build_and_execute(|| {
		unbond_some();
		let takes = [(ALICE, 5_000), (BOB, 5_000), (CHARLIE, 50)];
		assert_eq!(slash(ALICE, &takes), 600 + 300 + 50);
		assert_eq!(own(ALICE), (0, vec![]));
		assert_eq!(delegated(BOB, ALICE), None);
		assert_eq!(delegated(CHARLIE, ALICE), Some((50, vec![])));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 0);
		assert_eq!(held(HoldReason::Delegation, BOB), 0);
		assert_eq!(free(BOB), INITIAL_BALANCE - 300);
		assert_eq!(slashed_events(), vec![(ALICE, 600), (BOB, 300), (CHARLIE, 50)]);
		// The emptied delegation is gone, with its counters; Alice stays an operator with
		// nothing bonded.
		assert_eq!(crate::DelegationTotals::<Test>::get(ALICE).delegators, 1);
		assert!(<Registry as OperatorRegistry<_, _, _>>::state(&ALICE).is_some());
	});
}

#[test]
fn nothing_to_slash_changes_nothing() {
	staked().build_and_execute(|| {
		events();
		assert_eq!(slash(ALICE, &[]), 0);
		assert_eq!(slash(ALICE, &[(ALICE, 0), (BOB, 0)]), 0);
		// Positions that don't exist give nothing.
		assert_eq!(slash(EVE, &[(EVE, 100), (BOB, 100)]), 0);
		assert_eq!(slash(ALICE, &[(DAVE, 100)]), 0);
		assert!(events().is_empty());
		assert_eq!(own(ALICE), (600, vec![]));
	});
}

#[test]
fn delegations_and_the_exit_bond_stay_slashable_after_an_exit() {
	staked().build_and_execute(|| {
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);
		assert_ok!(Operators::execute_leave(signed(ALICE)));
		events();
		let mut positions = Registry::slashable_positions(&ALICE, 0, System::block_number());
		assert_eq!(positions.remove(0), (ALICE, 600));
		positions.sort();
		assert_eq!(positions, vec![(BOB, 300), (CHARLIE, 100)]);
		assert_eq!(slash(ALICE, &[(ALICE, 60), (BOB, 30), (CHARLIE, 10)]), 100);
		assert_eq!(Operators::exit_bond(&ALICE).map(|chunk| chunk.amount), Some(540));
		assert_eq!(held(HoldReason::OperatorBond, ALICE), 540);
		assert_eq!(delegated(BOB, ALICE), Some((0, vec![270])));
		assert_eq!(delegated(CHARLIE, ALICE), Some((0, vec![90])));
		assert_eq!(slashed_events(), vec![(ALICE, 60), (BOB, 30), (CHARLIE, 10)]);
		// An exit bond slashed to nothing goes.
		assert_eq!(slash(ALICE, &[(ALICE, 1_000)]), 540);
		assert_eq!(Operators::exit_bond(&ALICE), None);
	});
}

#[test]
fn slashing_an_operator_leaves_its_own_delegations_elsewhere_alone() {
	ExtBuilder::default()
		.operator(ALICE, 200)
		.operator(BOB, 200)
		.delegation(ALICE, BOB, 50)
		.build_and_execute(|| {
			assert_eq!(slash(ALICE, &[(ALICE, 100)]), 100);
			assert_eq!(own(ALICE), (100, vec![]));
			assert_eq!(delegated(ALICE, BOB), Some((50, vec![])));
			assert_eq!(held(HoldReason::Delegation, ALICE), 50);
		});
}
