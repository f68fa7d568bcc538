//! How much a slash takes, from whom, and what a pending slash blocks.

use frame_support::assert_ok;
use sp_runtime::{Perbill, Percent};
use warden_primitives::{SlashInspect, SlashQueue};

use crate::{mock::*, Event, VetoReason};

/// fraction × exposure × stake exactly, as `(numerator, denominator)`.
fn exact(stake: u128, exposure: Percent, fraction: Perbill) -> (u128, u128) {
	(
		stake * u128::from(exposure.deconstruct()) * u128::from(fraction.deconstruct()),
		100 * 1_000_000_000,
	)
}

#[test]
fn rounding_never_over_slashes() {
	ExtBuilder::default().build_and_execute(|| {
		let stakes = [0u128, 1, 2, 3, 7, 99, 999, 1_001, 123_457, 10u128.pow(15) + 3];
		let exposures = [1u8, 3, 33, 50, 67, 99, 100];
		let fractions = [1u32, 7, 333_333_333, 500_000_000, 999_999_999, 1_000_000_000];
		for stake in stakes {
			for exposure in exposures.map(Percent::from_percent) {
				for fraction in fractions.map(Perbill::from_parts) {
					let amount = Slashing::slash_amount(stake, exposure, fraction);
					let (num, den) = exact(stake, exposure, fraction);
					// Never more than the exact product, and it is its floor.
					assert!(amount * den <= num, "{stake} {exposure:?} {fraction:?}");
					assert!((amount + 1) * den > num, "{stake} {exposure:?} {fraction:?}");
				}
			}
		}
		// A third of a third of 10 is 1.11…: one unit, not two.
		assert_eq!(
			Slashing::slash_amount(10, Percent::from_percent(33), Perbill::from_percent(33)),
			1
		);
		// Huge stakes don't overflow.
		assert_eq!(
			Slashing::slash_amount(u128::MAX, Percent::from_percent(100), Perbill::one()),
			u128::MAX
		);
		assert_eq!(
			Slashing::slash_amount(u128::MAX, Percent::from_percent(50), Perbill::from_percent(50)),
			u128::MAX / 4
		);
	});
}

#[test]
fn each_position_is_recorded_at_proposal_and_pays_its_recorded_share() {
	ExtBuilder::default().operators(vec![(OPERATOR, 1_001)]).build_and_execute(|| {
		MockOperators::delegate(20, OPERATOR, 333);
		MockOperators::delegate(21, OPERATOR, 667);
		MockOperators::delegate(22, OPERATOR, 1);
		let (exposure, fraction) = (Percent::from_percent(77), Perbill::from_parts(123_456_789));
		let slash_id = Slashing::propose(proposal(OPERATOR, REPORTER, fraction, exposure)).unwrap();
		let take = |stake| Slashing::slash_amount(stake, exposure, fraction);
		let pending = crate::PendingSlashes::<Test>::get(slash_id).unwrap();
		assert_eq!(pending.stake, 2_002);
		// Every position with something to take, each its own rounded-down share.
		assert_eq!(
			pending.positions.into_inner(),
			vec![(OPERATOR, take(1_001)), (20, take(333)), (21, take(667))]
		);
		assert_eq!(take(1), 0, "the one-unit delegation has nothing to take");
		let amount = take(1_001) + take(333) + take(667);
		assert!(amount <= Slashing::slash_amount(2_002, exposure, fraction));
		events();
		run_to_block(11);
		let Some(Event::SlashApplied { slash_id: id, stake, amount: asked, taken, .. }) =
			events().first().cloned()
		else {
			panic!("slash applied");
		};
		assert_eq!((id, stake, asked, taken), (slash_id, 2_002, amount, amount));
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 2_002 - amount);
	});
}

#[test]
fn stake_added_after_the_proposal_pays_nothing_for_it() {
	ExtBuilder::default().build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let slash_id = propose(OPERATOR, REPORTER);
		// A new delegator joins, and the operator bonds more, inside the window.
		MockOperators::delegate(21, OPERATOR, 90_000);
		MockOperators::delegate(DELEGATOR, OPERATOR, 5_000);
		events();
		run_to_block(11);
		// 5 % of what each had at proposal: 500 and 500; the newcomer nothing.
		assert!(matches!(
			events().first(),
			Some(Event::SlashApplied { slash_id: id, stake: 20_000, amount: 1_000, taken: 1_000, .. })
				if *id == slash_id
		));
		assert_eq!(MockOperators::stake(OPERATOR).delegations.get(&21), Some(&90_000));
		assert_eq!(MockOperators::stake(OPERATOR).delegations.get(&DELEGATOR), Some(&14_500));
		assert_eq!(MockOperators::stake(OPERATOR).own, 9_500);
	});
}

#[test]
fn a_position_that_shrank_gives_what_it_still_holds() {
	ExtBuilder::default().build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let first = propose(OPERATOR, REPORTER);
		// A second, larger slash of the same stake takes from what the first left.
		let second = Slashing::propose(proposal(
			OPERATOR,
			OTHER_REPORTER,
			Perbill::from_percent(100),
			Percent::from_percent(100),
		))
		.unwrap();
		events();
		run_to_block(11);
		let taken: Vec<_> = events()
			.into_iter()
			.filter_map(|event| match event {
				Event::SlashApplied { slash_id, amount, taken, .. } => {
					Some((slash_id, amount, taken))
				}
				_ => None,
			})
			.collect();
		assert_eq!(taken, vec![(first, 1_000, 1_000), (second, 20_000, 19_000)]);
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 0);
	});
}

#[test]
fn a_delegator_who_undelegates_inside_the_window_keeps_only_the_slash_back() {
	ExtBuilder::default().build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let slash_id = propose(OPERATOR, REPORTER);
		assert_eq!(Slashing::held_back(&OPERATOR, &DELEGATOR), 500);
		assert_eq!(Slashing::held_back_of(&DELEGATOR), vec![(OPERATOR, 500)]);

		// Inside the window the delegator unbonds everything, and withdraws all but the
		// 500 the slash may take.
		run_to_block(5);
		MockOperators::schedule_undelegate(DELEGATOR, OPERATOR, 10_000);
		assert_eq!(MockOperators::withdraw_unbonded(DELEGATOR, OPERATOR), Ok(9_500));
		assert_eq!(
			MockOperators::withdraw_unbonded(DELEGATOR, OPERATOR),
			Err("held back for a slash")
		);

		events();
		run_to_block(11);
		assert!(matches!(
			events().first(),
			Some(Event::SlashApplied { slash_id: id, stake: 20_000, taken: 1_000, .. }) if *id == slash_id
		));
		assert_eq!(MockOperators::stake(OPERATOR).unbonding.get(&DELEGATOR), None);
		assert_eq!(free(DELEGATOR), INITIAL_BALANCE - 500);
		assert_eq!(Slashing::held_back(&OPERATOR, &DELEGATOR), 0);
		assert!(Slashing::held_back_of(&DELEGATOR).is_empty());
	});
}

#[test]
fn a_veto_frees_what_the_slash_held_back_and_holds_add_up() {
	ExtBuilder::default().build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let a = propose(OPERATOR, REPORTER);
		let b = propose(OPERATOR, OTHER_REPORTER);
		assert_eq!(Slashing::held_back(&OPERATOR, &DELEGATOR), 1_000);
		assert_eq!(Slashing::held_back(&OPERATOR, &OPERATOR), 1_000);
		assert_eq!(Slashing::held_back(&OTHER_OPERATOR, &DELEGATOR), 0);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), a, VetoReason::Pardoned));
		assert_eq!(Slashing::held_back(&OPERATOR, &DELEGATOR), 500);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), b, VetoReason::Unfounded));
		assert_eq!(Slashing::held_back(&OPERATOR, &DELEGATOR), 0);
		assert_eq!(crate::HeldBack::<Test>::iter().count(), 0);
	});
}

#[test]
fn an_operator_that_left_stays_slashable() {
	ExtBuilder::default().build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let before = propose(OPERATOR, REPORTER);
		// It leaves with a slash pending; its bond stays slashable (an exit bond).
		MockOperators::execute_leave(OPERATOR);
		assert!(!Slashing::has_pending_slash(&OTHER_OPERATOR));
		// And can still be reported while it has stake.
		let after = propose(OPERATOR, REPORTER);
		events();
		run_to_block(11);
		let applied: Vec<_> = events()
			.into_iter()
			.filter_map(|event| match event {
				Event::SlashApplied { slash_id, taken, .. } => Some((slash_id, taken)),
				_ => None,
			})
			.collect();
		assert_eq!(applied, vec![(before, 1_000), (after, 1_000)]);
		assert_eq!(MockOperators::stake(OPERATOR).own, 9_000);
	});
}

#[test]
fn the_pending_count_tracks_every_slash_of_an_operator() {
	ExtBuilder::default().build_and_execute(|| {
		let a = propose(OPERATOR, REPORTER);
		next_block();
		let b = propose(OPERATOR, OTHER_REPORTER);
		assert_eq!(PendingSlashCountOf::get(OPERATOR), 2);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), a, VetoReason::Unfounded));
		assert_eq!(PendingSlashCountOf::get(OPERATOR), 1);
		assert!(Slashing::has_pending_slash(&OPERATOR));
		run_to_block(12);
		assert_eq!(PendingSlashCountOf::get(OPERATOR), 0);
		assert!(!Slashing::has_pending_slash(&OPERATOR));
		let _ = b;
	});
}

/// Shorthand for the per-operator counter.
struct PendingSlashCountOf;
impl PendingSlashCountOf {
	fn get(operator: AccountId) -> u32 {
		crate::PendingSlashCount::<Test>::get(operator)
	}
}
