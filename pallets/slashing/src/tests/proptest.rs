//! Random proposal / dispute / veto / apply / roll sequences, with the invariants checked
//! after every step.

use std::{cell::RefCell, collections::BTreeSet};

use frame_support::{storage::with_transaction, weights::Weight};
use proptest::prelude::*;
use sp_runtime::{DispatchError, Perbill, Percent, StateVersion, TransactionOutcome};
use warden_primitives::{SlashId, SlashInspect, SlashQueue, SlashingParams};

use crate::{mock::*, Event, NextSlashId, PendingSlashes, VetoReason};

const OPERATORS: [AccountId; 3] = [1, 2, 3];
const REPORTERS: [AccountId; 4] = [10, 11, 12, PAUPER];
const DELEGATORS: [AccountId; 3] = [20, 21, 22];

#[derive(Debug, Clone)]
enum Op {
	Propose { offender: usize, reporter: usize, fraction: u32, exposure: u8, count: u8 },
	Dispute { slash: u64, by_offender: bool },
	Veto { slash: u64, unfounded: bool, by_governance: bool },
	Apply { slash: u64, oldest: bool },
	Undelegate { delegator: usize, operator: usize },
	Withdraw { delegator: usize, operator: usize },
	Leave { operator: usize },
	Roll { blocks: u64 },
	SetParams { defer: u64, window: u64, deposit: u128, reward: u32, min: u32, per: u32 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		// Offender 3 is not an operator; reporter 3 can't pay; reporter 4 is an operator.
		// Several proposals at once build a backlog for the one-per-block hook.
		4 => (0..4usize, 0..5usize, 0..=1_000_000_000u32, 0..=100u8, 1..5u8).prop_map(
			|(offender, reporter, fraction, exposure, count)| Op::Propose {
				offender,
				reporter,
				fraction,
				exposure,
				count,
			}
		),
		2 => (0..40u64, any::<bool>()).prop_map(|(slash, by_offender)| Op::Dispute { slash, by_offender }),
		2 => (0..40u64, any::<bool>(), prop::bool::weighted(0.9))
			.prop_map(|(slash, unfounded, by_governance)| Op::Veto { slash, unfounded, by_governance }),
		2 => (0..40u64, any::<bool>()).prop_map(|(slash, oldest)| Op::Apply { slash, oldest }),
		1 => (0..3usize, 0..3usize).prop_map(|(delegator, operator)| Op::Undelegate { delegator, operator }),
		1 => (0..3usize, 0..3usize).prop_map(|(delegator, operator)| Op::Withdraw { delegator, operator }),
		1 => (0..3usize).prop_map(|operator| Op::Leave { operator }),
		3 => (1..4u64).prop_map(|blocks| Op::Roll { blocks }),
		1 => (0..15u64, 0..6u64, 0..200u128, 0..=1_000_000_000u32, 0..=50_000_000u32, 0..=100_000_000u32)
			.prop_map(|(defer, window, deposit, reward, min, per)| {
				Op::SetParams { defer, window, deposit, reward, min, per }
			}),
	]
}

/// Runs one step. Returns whether it succeeded; a failed step must change nothing.
fn step(op: &Op) -> bool {
	// Mostly existing slashes, sometimes the next (unknown) id.
	let slash_id = |raw: u64| raw % NextSlashId::<Test>::get().saturating_add(1);
	match op.clone() {
		Op::Propose { offender, reporter, fraction, exposure, count } => {
			let offender = *OPERATORS.get(offender).unwrap_or(&DELEGATOR);
			let reporter = *REPORTERS.get(reporter).unwrap_or(&OPERATOR);
			// All or nothing: the proposals are identical, so the first decides.
			(0..count).all(|_| {
				Slashing::propose(proposal(
					offender,
					reporter,
					Perbill::from_parts(fraction),
					Percent::from_percent(exposure),
				))
				.is_ok()
			})
		}
		Op::Dispute { slash, by_offender } => {
			let id = slash_id(slash);
			let who = match (PendingSlashes::<Test>::get(id), by_offender) {
				(Some(pending), true) => pending.offender,
				_ => REPORTER,
			};
			Slashing::dispute(RuntimeOrigin::signed(who), id, statement(b"disputed")).is_ok()
		}
		Op::Veto { slash, unfounded, by_governance } => {
			let origin =
				if by_governance { RuntimeOrigin::root() } else { RuntimeOrigin::signed(REPORTER) };
			let reason = if unfounded { VetoReason::Unfounded } else { VetoReason::Pardoned };
			Slashing::veto(origin, slash_id(slash), reason).is_ok()
		}
		Op::Apply { slash, oldest } => {
			// The oldest pending slash is the likeliest to be overdue.
			let oldest_pending = PendingSlashes::<Test>::iter_keys().min();
			let id = if oldest { oldest_pending.unwrap_or(slash) } else { slash_id(slash) };
			Slashing::apply_slash(RuntimeOrigin::signed(PAUPER), id).is_ok()
		}
		Op::Undelegate { delegator, operator } => {
			let (delegator, operator) = (DELEGATORS[delegator], OPERATORS[operator]);
			if let Some(amount) = MockOperators::stake(operator).delegations.get(&delegator) {
				MockOperators::schedule_undelegate(delegator, operator, *amount);
			}
			true
		}
		Op::Withdraw { delegator, operator } => {
			let (delegator, operator) = (DELEGATORS[delegator], OPERATORS[operator]);
			let held = <Slashing as SlashInspect<_, _, _>>::held_back(&operator, &delegator);
			let before = MockOperators::stake(operator);
			if MockOperators::withdraw_unbonded(delegator, operator).is_ok() {
				// Never below what pending slashes may still take.
				let position = |stake: &MockStake| {
					stake.delegations.get(&delegator).copied().unwrap_or_default()
						+ stake.unbonding.get(&delegator).copied().unwrap_or_default()
				};
				let after = position(&MockOperators::stake(operator));
				assert!(after >= held.min(position(&before)), "released stake held back");
			}
			true
		}
		Op::Leave { operator } => {
			if MockOperators::stake(OPERATORS[operator]) != Default::default() {
				MockOperators::execute_leave(OPERATORS[operator]);
			}
			true
		}
		Op::Roll { blocks } => {
			run_to_block(System::block_number() + blocks);
			true
		}
		Op::SetParams { defer, window, deposit, reward, min, per } => Slashing::set_params(
			RuntimeOrigin::root(),
			SlashingParams {
				defer_duration: defer,
				report_window: window,
				max_offence_age: 8,
				reporter_reward: Perbill::from_parts(reward),
				min_fraction: Perbill::from_parts(min),
				max_fraction: Perbill::from_percent(100),
				report_deposit: deposit,
				deposit_per_slashed: Perbill::from_parts(per),
			},
		)
		.is_ok(),
	}
}

thread_local! {
	/// One genesis state for every case; each case runs in a storage transaction that is
	/// rolled back, which is much faster than building new externalities.
	static GENESIS: RefCell<Option<sp_io::TestExternalities>> = const { RefCell::new(None) };
}

/// Runs `case` from the same genesis state: three operators with one delegator each, a
/// two-block defer window, one slash per block and a three-block record retention.
fn in_fresh_state(case: impl FnOnce()) {
	let builder = || {
		ExtBuilder::default()
			.defer_duration(2)
			.unbonding_delay(12)
			.params(|p| p.max_offence_age = 8)
			.max_slashes_per_block(1)
			.retention(3)
	};
	// Taken out while the case runs: a failing case drops it, so the next one starts clean.
	let mut ext = GENESIS.with(|g| g.borrow_mut().take()).unwrap_or_else(|| builder().build());
	ext.execute_with(|| {
		builder().set_knobs();
		MockOperators::clear();
		for (i, operator) in OPERATORS.iter().enumerate() {
			MockOperators::join(*operator, 10_000);
			MockOperators::delegate(DELEGATORS[i], *operator, 5_000);
		}
		with_transaction(|| -> TransactionOutcome<Result<(), DispatchError>> {
			case();
			Slashing::do_try_state().unwrap();
			TransactionOutcome::Rollback(Ok(()))
		})
		.unwrap();
	});
	GENESIS.with(|g| *g.borrow_mut() = Some(ext));
}

proptest! {
	#![proptest_config(ProptestConfig {
		// `PROPTEST_CASES` overrides the default of 10_000 for quick local runs.
		cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000),
		failure_persistence: None,
		..ProptestConfig::default()
	})]

	#[test]
	fn random_sequences_keep_the_invariants(ops in prop::collection::vec(op(), 1..12)) {
		in_fresh_state(|| {
			let issuance = Balances::total_issuance();
			let mut applied = BTreeSet::<SlashId>::new();
			let mut vetoed = BTreeSet::<SlashId>::new();
			let record = |applied: &mut BTreeSet<SlashId>, vetoed: &mut BTreeSet<SlashId>| {
				for event in events() {
					match event {
						Event::SlashApplied { slash_id, taken, amount, .. } => {
							assert!(taken <= amount, "never takes more than asked");
							assert!(applied.insert(slash_id), "applied twice");
							assert!(!vetoed.contains(&slash_id), "applied after a veto");
						},
						Event::SlashVetoed { slash_id, .. } => {
							assert!(vetoed.insert(slash_id), "vetoed twice");
							assert!(!applied.contains(&slash_id), "vetoed after application");
						},
						_ => {},
					}
				}
			};

			// The state root before a step that may fail; recomputed only when needed.
			let mut root: Option<Vec<u8>> = None;
			for op in &ops {
				let may_fail = !matches!(op, Op::Roll { .. } | Op::Undelegate { .. });
				if may_fail && root.is_none() {
					root = Some(sp_io::storage::root(StateVersion::V1));
				}
				if step(op) {
					root = None;
				} else {
					// A failed step must change nothing.
					assert_eq!(root, Some(sp_io::storage::root(StateVersion::V1)), "failed {op:?} changed state");
				}
				Slashing::do_try_state().unwrap();
				assert_eq!(Balances::total_issuance(), issuance, "slashing only moves money");
				// Events are cleared here, after the root was taken: no failed step emits any.
				record(&mut applied, &mut vetoed);
			}

			// Nothing is ever dropped: with time, every slash is applied or vetoed. Jump
			// past every apply_at and let one roomy hook drain the queue.
			MaxSlashesPerBlock::set(1_000);
			MaxHookWeight::set(Weight::from_parts(u64::MAX, u64::MAX));
			// Every apply_at is at most `defer_duration` (< 15) blocks ahead.
			System::set_block_number(System::block_number() + 15);
			next_block();
			Slashing::do_try_state().unwrap();
			record(&mut applied, &mut vetoed);
			assert_eq!(PendingSlashes::<Test>::iter().count(), 0);
			let all: BTreeSet<SlashId> = (0..NextSlashId::<Test>::get()).collect();
			let concluded: BTreeSet<SlashId> = applied.union(&vetoed).copied().collect();
			assert_eq!(concluded, all);
		});
	}
}
