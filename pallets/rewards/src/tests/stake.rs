//! Eligible stake: joins, undelegations and changes during settlement.

use crate::{mock::*, types::Position, Event, Pools, Positions, StakerPositions, Unclaimed};
use frame_support::assert_ok;

#[test]
fn a_delegator_joining_mid_era_earns_from_the_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		run_to_era(1);

		// Half-way through era 1, account 2 delegates as much as the operator's bond.
		run_to_block(15);
		set_stake(1, 2, 1_000);
		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		// Era 1 goes to the stake held through all of it: nothing for the time before or
		// after the delegation.
		assert_eq!(Rewards::pending_rewards(1), 1_000);
		assert_eq!(Rewards::pending_rewards(2), 0);

		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(3);
		assert_eq!(Rewards::pending_rewards(1), 1_500);
		assert_eq!(Rewards::pending_rewards(2), 500);
	});
}

#[test]
fn an_undelegation_mid_era_stops_the_removed_stake_earning_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 1_000);
		set_stake(1, 3, 2_000);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		fund(4_000);
		run_to_era(2);
		assert_eq!(Rewards::pending_rewards(2), 1_000);
		assert_eq!(Rewards::pending_rewards(3), 2_000);

		// Mid-era 2: account 2 undelegates 600 of its 1,000, account 3 all of its stake.
		run_to_block(25);
		set_stake(1, 2, 400);
		set_stake(1, 3, 0);
		// Account 3's era-1 reward was credited when its position closed.
		assert_eq!(Unclaimed::<Test>::get(3), 2_000);
		assert!(Positions::<Test>::get(1, 3).is_none());
		assert!(StakerPositions::<Test>::get(3).is_empty());

		work(1, BLUEPRINT_A, 1);
		fund(1_400);
		run_to_era(3);
		// Era 2 is shared by the stake held through all of it: 1,000 + 400.
		assert_eq!(Rewards::pending_rewards(1), 1_000 + 1_000);
		assert_eq!(Rewards::pending_rewards(2), 1_000 + 400);
		assert_eq!(Rewards::pending_rewards(3), 2_000);
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(3)));
		assert_eq!(balance(3), INITIAL_BALANCE + 2_000);
	});
}

#[test]
fn stake_changes_before_the_walk_reaches_an_operator_settle_it_first() {
	// No settlement work in `on_initialize`: only eras end.
	ExtBuilder::default().work_items(0).build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 1_000);
		run_to_block(11);
		work(1, BLUEPRINT_A, 1);
		fund(2_000);
		run_to_block(22);
		assert_eq!(Rewards::settling_era(), Some(1));

		// Era 1 is not settled for operator 1 yet. Account 2 leaves and account 3 joins:
		// era 1 is settled with the stake held during era 1 before either change.
		System::reset_events();
		set_stake(1, 2, 0);
		set_stake(1, 3, 1_000);
		assert_eq!(
			events(),
			vec![Event::OperatorRewarded {
				era: 1,
				operator: 1,
				share: 2_000,
				commission: 0,
				stakers: 2_000
			}]
		);
		assert_eq!(Unclaimed::<Test>::get(2), 1_000);
		assert_eq!(Rewards::pending_rewards(1), 1_000);
		assert_eq!(Rewards::pending_rewards(3), 0);

		// The walk finds operator 1 settled already.
		assert_ok!(Rewards::settle_next(RuntimeOrigin::signed(9)));
		assert_eq!(events(), vec![]);
		assert_ok!(Rewards::settle_next(RuntimeOrigin::signed(9)));
		assert_eq!(events(), vec![Event::EraSettled { era: 1, distributed: 2_000 }]);
	});
}

#[test]
fn removed_stake_is_taken_from_pending_stake_first() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		run_to_era(1);
		set_stake(1, 1, 1_500);
		set_stake(1, 1, 1_200);
		assert_eq!(
			Positions::<Test>::get(1, 1),
			Some(Position {
				earning: 1_000,
				pending: 200,
				pending_era: 1,
				reward_per_share_paid: 0
			})
		);
		set_stake(1, 1, 700);
		assert_eq!(
			Positions::<Test>::get(1, 1),
			Some(Position { earning: 700, pending: 0, pending_era: 1, reward_per_share_paid: 0 })
		);
		let pool = Pools::<Test>::get(1).expect("pool");
		assert_eq!((pool.earning, pool.pending, pool.pending_positions), (700, 0, 0));
	});
}

#[test]
fn pending_stake_is_promoted_lazily_however_many_eras_later() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 1_000);
		for _ in 1..=2 {
			run_to_era(active_era().index + 1);
			work(1, BLUEPRINT_A, 1);
			fund(2_000);
		}
		run_to_era(3);
		// Account 2's position was never touched since era 0; it adds 1,000 in era 3.
		run_to_block(35);
		set_stake(1, 2, 2_000);
		assert_eq!(Unclaimed::<Test>::get(2), 2_000);
		work(1, BLUEPRINT_A, 1);
		fund(3_000);
		run_to_era(4);
		// Era 3: 1,000 + 1,000 eligible.
		assert_eq!(Rewards::pending_rewards(2), 2_000 + 1_500);
		work(1, BLUEPRINT_A, 1);
		fund(3_000);
		run_to_era(5);
		// Era 4: 1,000 + 2,000 eligible.
		assert_eq!(Rewards::pending_rewards(1), 1_000 + 1_000 + 1_500 + 1_000);
		assert_eq!(Rewards::pending_rewards(2), 2_000 + 1_500 + 2_000);
	});
}

#[test]
fn a_staker_beyond_its_position_limit_is_not_tracked() {
	ExtBuilder::default().build_and_execute(|| {
		for operator in 1..=5 {
			join(operator, 1_000);
		}
		System::reset_events();
		for operator in 1..=5 {
			set_stake(operator, 9, 1_000);
		}
		assert_eq!(events(), vec![Event::PositionNotTracked { operator: 5, staker: 9 }]);
		assert_eq!(StakerPositions::<Test>::get(9).len(), 4);
		assert!(Positions::<Test>::get(5, 9).is_none());

		run_to_era(1);
		work(5, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		assert_eq!(Rewards::pending_rewards(5), 1_000);
		assert_eq!(Rewards::pending_rewards(9), 0);
	});
}

#[test]
fn the_last_position_leaving_releases_the_rounding_dust() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 3);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		fund(10);
		run_to_era(2);
		// 10 × 10^18 / 3 per stake, rounded down: the position earns 9, 1 is dust.
		assert_eq!(Rewards::pending_rewards(1), 9);
		assert_eq!(Pools::<Test>::get(1).map(|p| p.outstanding), Some(10));
		System::reset_events();
		set_stake(1, 1, 0);
		assert_eq!(events(), vec![Event::DustReleased { operator: 1, amount: 1 }]);
		assert!(Pools::<Test>::get(1).is_none());
		assert_eq!(Unclaimed::<Test>::get(1), 9);
		assert_eq!(Rewards::distributable(), 1);
	});
}

#[test]
fn a_stake_change_without_a_position_and_to_zero_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		frame_support::assert_storage_noop!(set_stake(1, 2, 0));
	});
}
