//! The hook stays flat: the weight of a block's hook doesn't grow with the work queued for
//! later blocks (10 items or 10,000 cost the same), and 10,000 items due in one block drain
//! at the per-block cap or budget, every block within the hook's budget. For the queues of
//! service ends and of report windows, and for statistics pruning; the deadline and expiry
//! queues have their own tests.

use frame_support::weights::Weight;
use sp_runtime::Percent;

use crate::{mock::*, *};

const FEW: u64 = 10;
const MANY: u64 = 10_000;
/// Where the queued work is due in the flat-hook tests: far after the blocks run.
const LATER: BlockNumber = 1_000;

/// An ended service whose report window closes at `report_until`, as termination leaves
/// it.
fn ended(report_until: BlockNumber) -> EndedService<Test> {
	EndedService {
		blueprint: 0,
		owner: EVE,
		operators: vec![ServiceOperator { operator: ALICE, exposure: Percent::from_percent(10) }]
			.try_into()
			.expect("one operator fits"),
		blueprint_owner: EVE,
		reporting: None,
		report_until,
	}
}

/// Queues `count` ended services (ids `0..count`) whose report windows close at `at`.
fn end_services(count: u64, at: BlockNumber) {
	NextServiceId::<Test>::put(count);
	for id in 0..count {
		EndedServices::<Test>::insert(id, ended(at));
		EndedServiceSchedule::<Test>::schedule(at, id);
	}
}

/// The hook's weight in each of blocks 2 to 5 with `count` items queued for [`LATER`] by
/// `queue`.
fn hook_weights_with_later_work(count: u64, queue: fn(u64)) -> Vec<Weight> {
	let mut used = Vec::new();
	ExtBuilder::default().build_and_execute(|| {
		queue(count);
		used = run_to_block(5);
	});
	used
}

/// Whether `many` is within 10% of `few`, in both dimensions.
fn within_a_tenth(few: Weight, many: Weight) -> bool {
	let bound = few.saturating_add(Weight::from_parts(few.ref_time() / 10, few.proof_size() / 10));
	many.all_lte(bound)
}

#[test]
fn service_ends_queued_for_later_leave_the_hook_flat() {
	// Service ends of services that stopped early: the queue keeps their entries until
	// the block they were due.
	fn queue(count: u64) {
		for id in 0..count {
			ServiceEndSchedule::<Test>::schedule(LATER, id);
		}
	}
	let few = hook_weights_with_later_work(FEW, queue);
	let many = hook_weights_with_later_work(MANY, queue);
	assert_eq!(few.len(), 4, "blocks 2 to 5");
	for (few, many) in few.into_iter().zip(many) {
		assert!(within_a_tenth(few, many), "{few:?} with {FEW}, {many:?} with {MANY}");
	}
}

#[test]
fn report_windows_queued_for_later_leave_the_hook_flat() {
	fn queue(count: u64) {
		end_services(count, LATER);
	}
	let few = hook_weights_with_later_work(FEW, queue);
	let many = hook_weights_with_later_work(MANY, queue);
	for (few, many) in few.into_iter().zip(many) {
		assert!(within_a_tenth(few, many), "{few:?} with {FEW}, {many:?} with {MANY}");
	}
}

#[test]
fn ten_thousand_report_windows_closing_at_once_drain_at_the_cap_within_the_budget() {
	ExtBuilder::default().build_and_execute(|| {
		let due: BlockNumber = 3;
		end_services(MANY, due);
		let cap = u64::from(MaxServiceEndsPerBlock::get());
		let budget = MaxHookWeight::get();
		run_to_block(due - 1);
		events();
		let mut blocks = 0u64;
		while EndedServices::<Test>::iter_keys().next().is_some() {
			let used = run_to_block(System::block_number() + 1);
			assert!(used.iter().all(|w| w.all_lte(budget)), "over the budget: {used:?}");
			let closed =
				events().iter().filter(|e| matches!(e, Event::ReportWindowClosed { .. })).count()
					as u64;
			assert_eq!(closed, cap.min(MANY - blocks * cap), "block {}", System::block_number());
			blocks += 1;
			assert!(blocks <= MANY.div_ceil(cap), "still draining after {blocks} blocks");
		}
		assert_eq!(blocks, MANY.div_ceil(cap));
		// The queue is drained and its cursor past the block.
		assert_eq!(EndedServiceSchedule::<Test>::queued_at(due), 0);
		assert!(EndedServiceSchedule::<Test>::cursor().0 > due);
	});
}

/// Statistics of `count` operators (accounts `FIRST_OPERATOR..`), one heartbeat each in
/// their own service of blueprint 0, in era `era`.
fn stats_in_era(era: u32, count: u64) {
	const FIRST_OPERATOR: AccountId = 10_000;
	let one = warden_primitives::OperatorStats { successes: 0, failures: 0, heartbeats: 1 };
	for i in 0..count {
		let operator = FIRST_OPERATOR + i;
		ServiceStats::<Test>::insert((era, i, operator), one);
		BlueprintStats::<Test>::insert((era, 0, operator), one);
	}
	OldestStatsEra::<Test>::put(era);
}

#[test]
fn statistics_of_kept_eras_leave_the_hook_flat() {
	// Statistics of the current era are kept: nothing to prune, whatever their number.
	fn queue(count: u64) {
		stats_in_era(0, count);
	}
	let few = hook_weights_with_later_work(FEW, queue);
	let many = hook_weights_with_later_work(MANY, queue);
	for (few, many) in few.into_iter().zip(many) {
		assert!(within_a_tenth(few, many), "{few:?} with {FEW}, {many:?} with {MANY}");
	}
}

#[test]
fn ten_thousand_statistics_of_an_old_era_are_pruned_at_the_budgeted_rate() {
	// A hook budget of five pruning steps beyond its base, ten entries of each map a step.
	// An era not finished takes one step a block: ten entries of each map.
	const STEPS: u64 = 5;
	const PER_STEP: u32 = 10;
	let budget = <() as WeightInfo>::on_initialize_idle()
		.saturating_add(<() as WeightInfo>::on_initialize_prune_stats().saturating_mul(STEPS));
	ExtBuilder::default().stats_retention(0, PER_STEP).max_hook_weight(budget).build_and_execute(
		|| {
			stats_in_era(0, MANY);
			CurrentEra::set(1);
			events();
			let per_block = u64::from(PER_STEP);
			let mut blocks = 0u64;
			while ServiceStats::<Test>::iter_prefix((0,)).next().is_some() {
				let used = run_to_block(System::block_number() + 1);
				assert!(used.iter().all(|w| w.all_lte(budget)), "over the budget: {used:?}");
				blocks += 1;
				if blocks.is_multiple_of(100) {
					let left = ServiceStats::<Test>::iter_prefix((0,)).count() as u64;
					assert_eq!(left, MANY - blocks * per_block, "after {blocks} blocks");
				}
				assert!(blocks <= MANY.div_ceil(per_block), "still pruning after {blocks} blocks");
			}
			assert_eq!(blocks, MANY.div_ceil(per_block));
			// The last step finds both maps empty of era 0 and moves on.
			run_to_block(System::block_number() + 1);
			assert!(BlueprintStats::<Test>::iter_prefix((0,)).next().is_none());
			assert_eq!(OldestStatsEra::<Test>::get(), 1);
			assert!(events().contains(&Event::StatsPruned { era: 0 }));
		},
	);
}
