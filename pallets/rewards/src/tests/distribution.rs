//! Splitting an era's pot: over operators by weighted points, commission, then stakers.

use crate::{mock::*, Event, Totals};
use frame_support::assert_ok;
use sp_runtime::Perbill;

#[docify::export]
#[test]
fn commission_and_stakers_example() {
	ExtBuilder::default().build_and_execute(|| {
		// Operator 1 bonds 1,000 and sets a 10% commission; account 2 delegates 3,000.
		join(1, 1_000);
		set_stake(1, 2, 3_000);
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(10)));

		// Both stakes and the commission apply from era 1 on.
		run_to_era(1);
		work(1, BLUEPRINT_A, 5);
		fund(10_000);
		run_to_era(2);

		// The operator's share is the whole pot: 1,000 commission, and 9,000 split 1:3.
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(1)));
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(2)));
		assert_eq!(balance(1), INITIAL_BALANCE + 1_000 + 2_250);
		assert_eq!(balance(2), INITIAL_BALANCE + 6_750);
	});
}

#[test]
fn operator_with_commission_and_three_unequal_delegators() {
	ExtBuilder::default().build_and_execute(|| {
		// Operator 10: bond 1,000, commission 10%; delegators 11, 12, 13 with 2,000, 3,000
		// and 1,000. Operator 20: bond 2,000, no commission.
		join(10, 1_000);
		set_stake(10, 11, 2_000);
		set_stake(10, 12, 3_000);
		set_stake(10, 13, 1_000);
		join(20, 2_000);
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(10), Perbill::from_percent(10)));
		run_to_era(1);

		// Weighted points: operator 10 has 30 points on blueprint B (weight 2) = 60,
		// operator 20 has 40 points on blueprint A (weight 1) = 40.
		work(10, BLUEPRINT_B, 30);
		work(20, BLUEPRINT_A, 25);
		work(20, BLUEPRINT_A, 15);
		fund(10_000);
		System::reset_events();
		run_to_era(2);

		// Shares: 10,000 × 60/100 = 6,000 and 4,000. Operator 10's commission: 600; its
		// stakers split 5,400 over 7,000 stake, rounded down per position:
		//   10: 5,400 × 1,000 / 7,000 = 771.43 → 771
		//   11: 5,400 × 2,000 / 7,000 = 1,542.86 → 1,542
		//   12: 5,400 × 3,000 / 7,000 = 2,314.29 → 2,314
		//   13: 5,400 × 1,000 / 7,000 = 771.43 → 771
		let rewarded: Vec<_> =
			events().into_iter().filter(|e| matches!(e, Event::OperatorRewarded { .. })).collect();
		assert_eq!(rewarded.len(), 2);
		assert!(rewarded.contains(&Event::OperatorRewarded {
			era: 1,
			operator: 10,
			share: 6_000,
			commission: 600,
			stakers: 5_400,
		}));
		assert!(rewarded.contains(&Event::OperatorRewarded {
			era: 1,
			operator: 20,
			share: 4_000,
			commission: 0,
			stakers: 4_000,
		}));

		assert_eq!(Rewards::pending_rewards(10), 600 + 771);
		assert_eq!(Rewards::pending_rewards(11), 1_542);
		assert_eq!(Rewards::pending_rewards(12), 2_314);
		assert_eq!(Rewards::pending_rewards(13), 771);
		assert_eq!(Rewards::pending_rewards(20), 4_000);
		for who in [10, 11, 12, 13, 20] {
			assert_ok!(Rewards::claim(RuntimeOrigin::signed(who)));
		}
		assert_eq!(balance(10), INITIAL_BALANCE + 1_371);
		assert_eq!(balance(11), INITIAL_BALANCE + 1_542);
		assert_eq!(balance(12), INITIAL_BALANCE + 2_314);
		assert_eq!(balance(13), INITIAL_BALANCE + 771);
		assert_eq!(balance(20), INITIAL_BALANCE + 4_000);

		// The rounding dust (5,400 − 5,398 = 2) stays in the pot, still owed to the pool
		// until it empties.
		let totals = Totals::<Test>::get();
		assert_eq!(totals.allocated, 10_000);
		assert_eq!(totals.claimed, 9_998);
		assert_eq!(pot_balance(), 1 + 2);
	});
}
