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
fn the_split_over_stakers_never_takes_more_than_the_amount() {
	ExtBuilder::default().operators(vec![(OPERATOR, 1_001)]).build_and_execute(|| {
		MockOperators::delegate(20, OPERATOR, 333);
		MockOperators::delegate(21, OPERATOR, 667);
		MockOperators::delegate(22, OPERATOR, 1);
		let stake = MockOperators::total_stake_of(OPERATOR);
		assert_eq!(stake, 2_002);
		let slash_id = Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_parts(123_456_789),
			Percent::from_percent(77),
		))
		.unwrap();
		events();
		run_to_block(11);
		let amount = Slashing::slash_amount(
			stake,
			Percent::from_percent(77),
			Perbill::from_parts(123_456_789),
		);
		let Some(Event::SlashApplied { slash_id: id, amount: asked, taken, .. }) =
			events().first().cloned()
		else {
			panic!("slash applied");
		};
		assert_eq!(id, slash_id);
		assert_eq!(asked, amount);
		assert!(taken <= amount);
		assert_eq!(stake - MockOperators::total_stake_of(OPERATOR), taken);
	});
}

#[test]
fn a_delegator_who_undelegates_inside_the_window_is_still_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let slash_id = propose(OPERATOR, REPORTER);

		// Inside the window the delegator starts unbonding everything...
		run_to_block(5);
		MockOperators::schedule_undelegate(DELEGATOR, OPERATOR, 10_000);
		assert!(MockOperators::stake(OPERATOR).delegations.is_empty());
		// ...but can't withdraw while the slash is pending.
		assert_eq!(MockOperators::withdraw_unbonded(DELEGATOR, OPERATOR), Err("pending slash"));

		events();
		run_to_block(11);
		// Measured against own + delegated + unbonding: 5 % of 20_000.
		assert!(matches!(
			events().first(),
			Some(Event::SlashApplied { slash_id: id, stake: 20_000, taken: 1_000, .. }) if *id == slash_id
		));
		assert_eq!(MockOperators::stake(OPERATOR).unbonding.get(&DELEGATOR), Some(&9_500));
		assert_eq!(free(DELEGATOR), INITIAL_BALANCE - 500);
		assert_eq!(MockOperators::withdraw_unbonded(DELEGATOR, OPERATOR), Ok(9_500));
	});
}

#[test]
fn exit_is_blocked_while_a_slash_is_pending() {
	ExtBuilder::default().build_and_execute(|| {
		let applied = propose(OPERATOR, REPORTER);
		let vetoed = propose(OTHER_OPERATOR, REPORTER);
		assert!(Slashing::has_pending_slash(&OPERATOR));
		assert!(Slashing::has_pending_slash(&OTHER_OPERATOR));
		assert_eq!(MockOperators::execute_leave(OPERATOR), Err("pending slash"));
		assert_eq!(MockOperators::execute_leave(OTHER_OPERATOR), Err("pending slash"));

		// A veto lifts the block at once.
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), vetoed, VetoReason::Pardoned));
		assert_ok!(MockOperators::execute_leave(OTHER_OPERATOR));

		// Application lifts it too, and not before.
		run_to_block(10);
		assert_eq!(MockOperators::execute_leave(OPERATOR), Err("pending slash"));
		run_to_block(11);
		assert!(!Slashing::has_pending_slash(&OPERATOR));
		assert_eq!(PendingSlashCountOf::get(OPERATOR), 0);
		assert_ok!(MockOperators::execute_leave(OPERATOR));
		let _ = applied;
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
