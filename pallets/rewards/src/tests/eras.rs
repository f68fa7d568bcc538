//! Era boundaries: emission, carry-over, bounded settlement over blocks, pruning.

use crate::{mock::*, types::EraWork, EraStats, Error, Event, LastSettledEra};
use frame_support::{assert_noop, assert_ok, weights::Weight};
use sp_runtime::Perbill;
use warden_primitives::{EraClock, WorkOutcome};

#[test]
fn an_era_lasts_era_length_blocks() {
	ExtBuilder::default().era_length(10).build_and_execute(|| {
		assert_eq!(active_era().index, 0);
		assert_eq!(active_era().start, 1);
		run_to_block(10);
		assert_eq!(<Rewards as EraClock>::current_era(), 0);
		System::reset_events();
		run_to_block(11);
		assert_eq!(<Rewards as EraClock>::current_era(), 1);
		assert_eq!(active_era().start, 11);
		assert_eq!(
			events(),
			vec![
				Event::EraEnded { era: 0, emission: 0, pot: 0, weighted_points: 0 },
				Event::EraSettled { era: 0, distributed: 0 },
				Event::EraStarted { era: 1, start: 11 },
			]
		);
		run_to_block(20);
		assert_eq!(active_era().index, 1);
		run_to_block(21);
		assert_eq!(active_era().index, 2);
	});
}

#[test]
fn emission_is_minted_into_the_pot_each_era() {
	ExtBuilder::default().emission(1_000).build_and_execute(|| {
		let issuance = Balances::total_issuance();
		run_to_era(1);
		assert_eq!(pot_balance(), 1 + 1_000);
		run_to_era(3);
		assert_eq!(pot_balance(), 1 + 3_000);
		assert_eq!(Balances::total_issuance(), issuance + 3_000);
	});
}

#[test]
fn an_era_without_points_carries_its_pot_over() {
	ExtBuilder::default().emission(1_000).build_and_execute(|| {
		join(1, 100);
		fund(500);
		System::reset_events();
		// Era 0 ends without points: nothing is distributed.
		run_to_era(1);
		assert!(events().contains(&Event::EraEnded {
			era: 0,
			emission: 1_000,
			pot: 1_500,
			weighted_points: 0
		}));
		assert_eq!(Rewards::pending_rewards(1), 0);

		// Era 1 has points: its pot is era 0's plus its own emission.
		work(1, BLUEPRINT_A, 1);
		run_to_era(2);
		assert!(events().contains(&Event::EraEnded {
			era: 1,
			emission: 1_000,
			pot: 2_500,
			weighted_points: 1
		}));
		assert_eq!(Rewards::pending_rewards(1), 2_500);
	});
}

#[test]
fn undistributed_shares_stay_in_the_pot_for_the_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 100);
		run_to_era(1);
		// Operator 2 joins mid-era: it has points but no eligible stake in era 1.
		join(2, 100);
		work(1, BLUEPRINT_A, 1);
		work(2, BLUEPRINT_A, 3);
		fund(1_000);
		System::reset_events();
		run_to_era(2);
		let events = events();
		assert!(events.contains(&Event::ShareRetained { era: 1, operator: 2, share: 750 }));
		assert!(events.contains(&Event::EraSettled { era: 1, distributed: 250 }));
		assert_eq!(Rewards::pending_rewards(1), 250);
		assert_eq!(Rewards::pending_rewards(2), 0);

		// Era 2 distributes what era 1 left.
		work(2, BLUEPRINT_A, 1);
		run_to_era(3);
		assert_eq!(Rewards::pending_rewards(2), 750);
	});
}

#[test]
fn settlement_waits_for_the_walk_and_the_next_era_waits_for_settlement() {
	// No settlement work in `on_initialize`: settlement waits for `settle_next`.
	ExtBuilder::default().work_items(0).build_and_execute(|| {
		join(1, 100);
		join(2, 100);
		run_to_block(11);
		work(1, BLUEPRINT_A, 1);
		work(2, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_block(21);
		assert_eq!(active_era().index, 2);
		assert_eq!(Rewards::settling_era(), Some(1));

		// Era 2 is due at block 31 but era 1 is not settled: era 2 goes on, and its points
		// keep counting.
		run_to_block(40);
		assert_eq!(active_era().index, 2);
		work(1, BLUEPRINT_A, 7);
		assert_eq!(active_era().weighted_points, 7);

		// Anyone settles by hand: two operators, then the walk finds no more.
		System::reset_events();
		assert_ok!(Rewards::settle_next(RuntimeOrigin::signed(9)));
		assert_ok!(Rewards::settle_next(RuntimeOrigin::signed(9)));
		assert_ok!(Rewards::settle_next(RuntimeOrigin::signed(9)));
		assert!(events().contains(&Event::EraSettled { era: 1, distributed: 1_000 }));
		assert_eq!(era_work(), EraWork::Pruning { era: 0 });
		// No statistics for era 0 are left to prune.
		assert_ok!(Rewards::settle_next(RuntimeOrigin::signed(9)));
		assert_eq!(events(), vec![Event::EraStatisticsPruned { era: 0 }]);
		assert_eq!(era_work(), EraWork::Idle);
		assert_noop!(
			Rewards::settle_next(RuntimeOrigin::signed(9)),
			Error::<Test>::NothingToSettle
		);

		// The overdue era ends at the next block.
		next_block();
		assert_eq!(active_era().index, 3);
		assert_eq!(active_era().start, 41);
	});
}

#[test]
fn settle_next_requires_a_signed_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Rewards::settle_next(RuntimeOrigin::none()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn statistics_are_kept_for_the_last_settled_era_only() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 100);
		work(1, BLUEPRINT_A, 1);
		run_to_era(1);
		assert!(EraStats::<Test>::contains_key(0, 1));
		work(1, BLUEPRINT_A, 1);
		System::reset_events();
		run_to_era(2);
		assert!(events().contains(&Event::EraStatisticsPruned { era: 0 }));
		assert!(!EraStats::<Test>::contains_key(0, 1));
		assert!(EraStats::<Test>::contains_key(1, 1));
		assert_eq!(LastSettledEra::<Test>::get().map(|e| e.era), Some(1));
	});
}

#[test]
fn the_report_shows_the_last_era_per_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Rewards::last_era_report(), None);
		join(1, 100);
		join(2, 100);
		run_to_era(1);
		work(1, BLUEPRINT_A, 4);
		outcome(1, BLUEPRINT_A, WorkOutcome::Failure);
		outcome(1, BLUEPRINT_A, WorkOutcome::Missed);
		heartbeat(1, BLUEPRINT_B);
		outcome(2, PLAIN_BLUEPRINT, WorkOutcome::Success);
		outcome(2, BLUEPRINT_A, WorkOutcome::Failure);
		fund(800);
		run_to_era(2);

		let report = Rewards::last_era_report().expect("era 1 is settled");
		assert_eq!(report.era, 1);
		assert_eq!(report.pot, 800);
		// Only availability earns points: 4 on blueprint A (weight 1).
		assert_eq!(report.weighted_points, 4);
		assert_eq!(report.distributed, 800);
		let one = report.operators.iter().find(|o| o.operator == 1).expect("operator 1");
		assert_eq!(
			(one.points, one.weighted_points, one.successes, one.failures, one.missed),
			(4, 4, 0, 1, 1)
		);
		assert_eq!((one.heartbeats, one.share, one.commission, one.stakers), (1, 800, 0, 800));
		let two = report.operators.iter().find(|o| o.operator == 2).expect("operator 2");
		assert_eq!((two.points, two.successes, two.failures, two.share), (0, 1, 1, 0));
	});
}

#[test]
fn a_thousand_operators_settle_over_blocks_within_the_weight_limit() {
	let limit = Weight::from_parts(1_000_000_000, 1_000_000);
	ExtBuilder::default().work_weight_limit(limit).work_items(1_000).build_and_execute(|| {
		let operators: Vec<AccountId> = (1_000..2_000).collect();
		for operator in &operators {
			join(*operator, 1_000);
		}
		run_to_era(1);
		for (i, operator) in operators.iter().enumerate() {
			work(*operator, BLUEPRINT_A, 1 + (i as u32 % 3));
		}
		fund(1_000_000);
		run_to_block(20);
		System::reset_events();

		let mut blocks = 0;
		let mut settled_in_block = Vec::new();
		loop {
			let before = System::events().len();
			let used = next_block();
			blocks += 1;
			assert!(used.all_lte(limit), "block {blocks} used {used:?}");
			let rewarded = System::events()[before..]
				.iter()
				.filter(|r| {
					matches!(r.event, RuntimeEvent::Rewards(Event::OperatorRewarded { .. }))
				})
				.count();
			settled_in_block.push(rewarded);
			// No new era starts while era 1 is not settled.
			if Rewards::settling_era().is_some() {
				assert_eq!(active_era().index, 2);
			}
			if era_work() == EraWork::Idle {
				break;
			}
		}
		let total: usize = settled_in_block.iter().sum();
		assert_eq!(total, 1_000);
		assert!(blocks > 10, "settlement took {blocks} blocks");
		let per_block_cap = (limit.ref_time() / settle_item_weight().ref_time()) as usize;
		assert!(settled_in_block.iter().all(|n| *n <= per_block_cap));
		// Shares are rounded down: at most one planck per operator stays in the pot.
		let distributed = events()
			.into_iter()
			.find_map(|e| match e {
				Event::EraSettled { era: 1, distributed } => Some(distributed),
				_ => None,
			})
			.expect("era 1 settled");
		assert!(distributed <= 1_000_000 && distributed > 1_000_000 - 1_000);
	});
}

#[test]
fn the_per_block_item_cap_bounds_settlement() {
	ExtBuilder::default().work_items(3).build_and_execute(|| {
		for operator in 1..=10 {
			join(operator, 100);
		}
		run_to_era(1);
		for operator in 1..=10 {
			work(operator, BLUEPRINT_A, 1);
		}
		fund(1_000);
		run_to_block(21);
		// The era start, then three operators per block.
		assert_eq!(Rewards::settling_era(), Some(1));
		let settled =
			|era| EraStats::<Test>::iter_prefix(era).filter(|(_, s)| s.payout.is_some()).count();
		assert_eq!(settled(1), 3);
		next_block();
		assert_eq!(settled(1), 6);
		next_block();
		assert_eq!(settled(1), 9);
		next_block();
		assert_eq!(settled(1), 10);
	});
}

#[test]
fn a_new_era_length_applies_to_the_active_era() {
	ExtBuilder::default().era_length(10).build_and_execute(|| {
		run_to_block(5);
		assert_ok!(Rewards::set_params(
			RuntimeOrigin::root(),
			crate::RewardParams { era_length: 3, emission_per_era: 0 }
		));
		next_block();
		assert_eq!(active_era().index, 1);
		assert_eq!(active_era().start, 6);
		run_to_block(9);
		assert_eq!(active_era().index, 2);
	});
}

#[test]
fn an_operator_without_eligible_stake_still_gets_its_commission() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 100);
		join(2, 100);
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(2), Perbill::from_percent(20)));
		run_to_era(1);
		// During era 1 a delegator joins operator 2 and its own bond leaves: nothing on it is
		// eligible for era 1, but it worked.
		set_stake(2, 3, 100);
		set_stake(2, 2, 0);
		work(1, BLUEPRINT_A, 1);
		work(2, BLUEPRINT_A, 1);
		fund(1_000);
		System::reset_events();
		run_to_era(2);
		let events = events();
		assert!(events.contains(&Event::OperatorRewarded {
			era: 1,
			operator: 2,
			share: 500,
			commission: 100,
			stakers: 0
		}));
		assert!(events.contains(&Event::ShareRetained { era: 1, operator: 2, share: 400 }));
		assert_eq!(Rewards::pending_rewards(2), 100);
	});
}

#[test]
fn a_plain_transfer_to_the_pot_funds_it_like_fund_pot() {
	use frame_support::traits::fungible::Mutate;
	ExtBuilder::default().build_and_execute(|| {
		join(1, 100);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		assert_ok!(<Balances as Mutate<_>>::transfer(
			&FUNDED_ACCOUNTS,
			&Rewards::pot_account(),
			600,
			frame_support::traits::tokens::Preservation::Preserve,
		));
		System::reset_events();
		run_to_era(2);
		assert!(events().contains(&Event::EraEnded {
			era: 1,
			emission: 0,
			pot: 600,
			weighted_points: 1
		}));
		assert_eq!(Rewards::pending_rewards(1), 600);
	});
}
