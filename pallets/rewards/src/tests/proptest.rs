//! Random sequences of stake changes, work, funding, claims, governance and blocks, with
//! the invariants checked after every step.
//!
//! 2,000 cases of up to 40 steps run by default (about 40 s in a debug build, most of it in
//! `do_try_state`); `PROPTEST_CASES=10000` runs a longer search.

use crate::{mock::*, Event, RewardParams, Totals};
use frame_support::{assert_ok, traits::fungible::Inspect};
use proptest::prelude::*;
use sp_runtime::Perbill;
use warden_primitives::{BlueprintId, WorkOutcome};

/// Operators 1..=3; stakers 1..=6 (operators stake on each other too).
const OPERATORS: u64 = 3;
const STAKERS: u64 = 6;
const BLUEPRINTS: [BlueprintId; 3] = [BLUEPRINT_A, BLUEPRINT_B, PLAIN_BLUEPRINT];

#[derive(Clone, Debug)]
enum Op {
	Stake { operator: u64, staker: u64, amount: u128 },
	Work { operator: u64, blueprint: usize, points: u32 },
	Fail { operator: u64, missed: bool },
	Heartbeat { operator: u64, blueprint: usize },
	Fund { amount: u128 },
	Claim { who: u64 },
	ClaimFor { caller: u64, who: u64 },
	SetCommission { operator: u64, percent: u32 },
	SetIncentive { blueprint: usize, weight: u32 },
	RemoveIncentive { blueprint: usize },
	SetParams { era_length: u64, emission: u128 },
	Blocks { count: u64 },
	SettleNext,
}

fn operator() -> impl Strategy<Value = u64> {
	1..=OPERATORS
}

fn staker() -> impl Strategy<Value = u64> {
	1..=STAKERS
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		6 => (operator(), staker(), prop_oneof![Just(0u128), 1u128..3_000])
			.prop_map(|(operator, staker, amount)| Op::Stake { operator, staker, amount }),
		5 => (operator(), 0..3usize, 0u32..50)
			.prop_map(|(operator, blueprint, points)| Op::Work { operator, blueprint, points }),
		1 => (operator(), any::<bool>()).prop_map(|(operator, missed)| Op::Fail { operator, missed }),
		2 => (operator(), 0..3usize)
			.prop_map(|(operator, blueprint)| Op::Heartbeat { operator, blueprint }),
		3 => (0u128..10_000).prop_map(|amount| Op::Fund { amount }),
		3 => staker().prop_map(|who| Op::Claim { who }),
		1 => (staker(), staker()).prop_map(|(caller, who)| Op::ClaimFor { caller, who }),
		1 => (operator(), 0u32..=60)
			.prop_map(|(operator, percent)| Op::SetCommission { operator, percent }),
		1 => (0..3usize, 0u32..4)
			.prop_map(|(blueprint, weight)| Op::SetIncentive { blueprint, weight }),
		1 => (0..3usize).prop_map(|blueprint| Op::RemoveIncentive { blueprint }),
		1 => (1u64..8, 0u128..500).prop_map(|(era_length, emission)| {
			Op::SetParams { era_length, emission }
		}),
		5 => (1u64..8).prop_map(|count| Op::Blocks { count }),
		2 => Just(Op::SettleNext),
	]
}

fn apply(op: &Op) {
	// Calls may fail (nothing to claim, a commission above the cap, ...): a failed call
	// changes nothing, which the invariants check too.
	match op.clone() {
		Op::Stake { operator, staker, amount } => set_stake(operator, staker, amount),
		Op::Work { operator, blueprint, points } => work(operator, BLUEPRINTS[blueprint], points),
		Op::Fail { operator, missed } => outcome(
			operator,
			BLUEPRINT_A,
			if missed { WorkOutcome::Missed } else { WorkOutcome::Failure },
		),
		Op::Heartbeat { operator, blueprint } => heartbeat(operator, BLUEPRINTS[blueprint]),
		Op::Fund { amount } => {
			let _ = Rewards::fund_pot(RuntimeOrigin::signed(FUNDED_ACCOUNTS), amount);
		}
		Op::Claim { who } => {
			let _ = Rewards::claim(RuntimeOrigin::signed(who));
		}
		Op::ClaimFor { caller, who } => {
			let _ = Rewards::claim_for(RuntimeOrigin::signed(caller), who);
		}
		Op::SetCommission { operator, percent } => {
			let _ = Rewards::set_commission(
				RuntimeOrigin::signed(operator),
				Perbill::from_percent(percent),
			);
		}
		Op::SetIncentive { blueprint, weight } => {
			let _ = Rewards::set_incentivized(RuntimeOrigin::root(), BLUEPRINTS[blueprint], weight);
		}
		Op::RemoveIncentive { blueprint } => {
			let _ = Rewards::remove_incentivized(RuntimeOrigin::root(), BLUEPRINTS[blueprint]);
		}
		Op::SetParams { era_length, emission } => {
			let _ = Rewards::set_params(
				RuntimeOrigin::root(),
				RewardParams { era_length, emission_per_era: emission },
			);
		}
		Op::Blocks { count } => {
			for _ in 0..count {
				next_block();
			}
		}
		Op::SettleNext => {
			let _ = Rewards::settle_next(RuntimeOrigin::signed(FUNDED_ACCOUNTS));
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2_000))]

	/// Claims never exceed allocations, the pot always covers what it owes, and every
	/// invariant holds after every step.
	#[test]
	fn claims_never_exceed_allocations(
		ops in prop::collection::vec(op(), 1..40),
		work_items in prop_oneof![Just(0u32), Just(1), Just(100)],
		era_length in 2u64..8,
	) {
		ExtBuilder::default()
			.era_length(era_length)
			.emission(300)
			.work_items(work_items)
			.build_and_execute(|| {
				for operator in 1..=OPERATORS {
					join(operator, 1_000);
				}
				let mut allocated: u128 = 0;
				let mut claimed: u128 = 0;
				let paid_out_before: u128 = (1..=STAKERS).map(balance).sum();
				for op in &ops {
					apply(op);
					for event in events() {
						match event {
							Event::OperatorRewarded { commission, stakers, .. } =>
								allocated += commission + stakers,
							Event::Claimed { amount, .. } => claimed += amount,
							_ => {},
						}
					}
					assert_ok!(Rewards::do_try_state());
					let totals = Totals::<Test>::get();
					assert_eq!(totals.allocated, allocated);
					assert_eq!(totals.claimed, claimed);
					assert!(claimed <= allocated);
					assert!(pot_balance() >= totals.liability() + Balances::minimum_balance());
				}
				// Stakers received exactly what was claimed (account 50 funds the pot and
				// isn't a staker).
				let paid_out: u128 = (1..=STAKERS).map(balance).sum();
				assert_eq!(paid_out - paid_out_before, claimed);
			});
	}
}
