//! The era hook stays flat: while an era runs, the hook's weight doesn't grow with the
//! operators that worked in it (10 or 10,000 cost the same), and settling 10,000 operators
//! once it ends takes the per-block item cap each block, every block within the era-work
//! budget, then prunes their statistics the same way.

use crate::{mock::*, types::EraWork, EraStats};
use frame_support::weights::Weight;

const FEW: u64 = 10;
const MANY: u64 = 10_000;
/// The first operator's account; operators are `FIRST..FIRST + count`.
const FIRST: u64 = 1_000;

/// `count` operators with a bond, each with a block of work in the active era.
fn operators_work(count: u64) {
	for operator in FIRST..FIRST + count {
		join(operator, 100);
		work(operator, BLUEPRINT_A, 1);
	}
}

/// The hook's weight in the blocks of era 0 after `count` operators worked in it.
fn hook_weights_while_the_era_runs(count: u64) -> Vec<Weight> {
	let mut used = Vec::new();
	ExtBuilder::default().era_length(10).build_and_execute(|| {
		operators_work(count);
		used = (0..5).map(|_| next_block()).collect();
		assert_eq!(active_era().index, 0);
	});
	used
}

#[test]
fn work_in_the_running_era_leaves_the_hook_flat() {
	let few = hook_weights_while_the_era_runs(FEW);
	let many = hook_weights_while_the_era_runs(MANY);
	for (few, many) in few.into_iter().zip(many) {
		let bound =
			few.saturating_add(Weight::from_parts(few.ref_time() / 10, few.proof_size() / 10));
		assert!(many.all_lte(bound), "{few:?} with {FEW} operators, {many:?} with {MANY}");
	}
}

/// The fewest operators a block settles: the item cap, or what the era-work budget pays
/// for after the hook's base cost and an era start.
fn settled_per_block() -> u64 {
	use crate::{weights::WeightInfo, Config};
	type Weights = <Test as Config>::WeightInfo;
	let budget = EraWorkWeightLimit::get()
		.saturating_sub(Weights::on_initialize_idle())
		.saturating_sub(Weights::on_initialize_era_start());
	let item = Weights::on_initialize_settle_operator();
	let by_ref_time = budget.ref_time() / item.ref_time().max(1);
	let by_proof = budget.proof_size() / item.proof_size().max(1);
	u64::from(MaxEraWorkItemsPerBlock::get()).min(by_ref_time).min(by_proof)
}

#[test]
fn ten_thousand_operators_settle_at_the_budgeted_rate_within_the_budget() {
	ExtBuilder::default().era_length(10).build_and_execute(|| {
		operators_work(MANY);
		fund(1_000_000);
		let (rate, budget) = (settled_per_block(), EraWorkWeightLimit::get());
		assert!(rate >= 1);
		run_to_block(10);
		// The era ends in block 11, and its settlement starts there.
		let settled =
			|| EraStats::<Test>::iter_prefix(0).filter(|(_, s)| s.payout.is_some()).count() as u64;
		// Counting the settled operators reads all 10,000: every tenth block is enough.
		let mut blocks = 0u64;
		let mut counted = (0u64, 0u64);
		while matches!(era_work(), EraWork::Idle | EraWork::Settling(_)) {
			let used = next_block();
			assert!(used.all_lte(budget), "over the budget: {used:?}");
			blocks += 1;
			if !matches!(era_work(), EraWork::Settling(_)) {
				break;
			}
			if blocks.is_multiple_of(10) {
				let (at, before) = counted;
				let now = settled();
				assert!(
					now - before >= rate * (blocks - at),
					"blocks {at}..{blocks}: {before} → {now}"
				);
				counted = (blocks, now);
			}
			assert!(blocks <= MANY.div_ceil(rate) + 1, "still settling after {blocks} blocks");
		}
		assert_eq!(settled(), MANY);
		assert_eq!(crate::LastSettledEra::<Test>::get().map(|s| s.era), Some(0));
		// Then the statistics of era 0 are pruned the same way, once era 1 settles.
		run_to_era(2);
		assert!(EraStats::<Test>::iter_prefix(0).next().is_none());
	});
}
