//! The application queue in `on_initialize`: order, bounds, carry-over and pruning.

use frame_support::{assert_ok, traits::Get, weights::Weight};
use warden_primitives::SlashId;

use crate::{
	mock::*, weights::WeightInfo, ConcludedSlashes, Event, NextToPrune, PendingSlashes,
	SlashSchedule, VetoReason,
};

/// The ids of the slashes applied in the events since the last call.
fn applied() -> Vec<SlashId> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::SlashApplied { slash_id, .. } => Some(slash_id),
			_ => None,
		})
		.collect()
}

/// What the hook sets aside for each slash: one over the most positions a slash records.
fn unit() -> Weight {
	Slashing::apply_weight(<Test as crate::Config>::MaxSlashedPositions::get(), true)
}

/// Gives both operators the most positions a slash records, so that every slash in these
/// tests costs exactly [`unit`].
fn full_positions() {
	let max = <Test as crate::Config>::MaxSlashedPositions::get() as u64;
	for (operator, first) in [(OPERATOR, 100), (OTHER_OPERATOR, 200)] {
		for delegator in first..first + max - 1 {
			MockOperators::delegate(delegator, operator, 1_000);
		}
	}
}

#[test]
fn more_slashes_due_in_one_block_than_any_old_bound_are_applied_over_several_blocks_in_order() {
	// Room for one visit and 10 slashes per block, below the count cap of 100.
	let limit = unit().saturating_mul(11);
	ExtBuilder::default().max_slashes_per_block(100).max_hook_weight(limit).build_and_execute(
		|| {
			full_positions();
			let reporters = [10, 11, 12, 13];
			for i in 0..1_000u64 {
				let offender = if i % 2 == 0 { OPERATOR } else { OTHER_OPERATOR };
				propose(offender, reporters[(i % 4) as usize]);
			}
			assert_eq!(SlashSchedule::<Test>::queued_at(11), 1_000);
			// Three more, a block later: they must wait for the whole backlog.
			next_block();
			let later: Vec<SlashId> = (0..3).map(|_| propose(OPERATOR, 14)).collect();
			assert_eq!(later, vec![1_000, 1_001, 1_002]);
			events();

			run_to_block(10);
			assert!(applied().is_empty());

			let max_block = <<Test as frame_system::Config>::BlockWeights as Get<
				frame_system::limits::BlockWeights,
			>>::get()
			.max_block;
			let mut order = Vec::new();
			let mut blocks_used = 0;
			while order.len() < 1_003 {
				let weight = next_block();
				assert!(weight.all_lte(limit), "hook stays within MaxHookWeight");
				assert!(weight.all_lte(max_block), "hook stays within the block");
				let now_applied = applied();
				assert!(now_applied.len() <= 10);
				if !now_applied.is_empty() {
					blocks_used += 1;
				}
				order.extend(now_applied);
				assert!(System::block_number() < 200, "the queue drains");
			}
			assert_eq!(order, (0..1_003).collect::<Vec<_>>());
			// 1_000 at 10 per block, then the three later ones.
			assert_eq!(blocks_used, 101);
			assert_eq!(System::block_number(), 111);
			assert_eq!(PendingSlashes::<Test>::iter().count(), 0);
			assert!(SlashSchedule::<Test>::all_entries().is_empty());
		},
	);
}

#[test]
fn the_count_cap_bounds_each_block() {
	// Weight for more than 16 slashes: the count cap is what binds.
	let limit = unit().saturating_mul(20);
	ExtBuilder::default().max_slashes_per_block(16).max_hook_weight(limit).build_and_execute(
		|| {
			full_positions();
			for _ in 0..50 {
				propose(OPERATOR, REPORTER);
			}
			events();
			run_to_block(10);
			let per_block: Vec<usize> = (0..4)
				.map(|_| {
					next_block();
					applied().len()
				})
				.collect();
			assert_eq!(per_block, vec![16, 16, 16, 2]);
		},
	);
}

#[test]
fn the_smallest_hook_budget_still_applies_one_slash_per_block() {
	let limit = <() as WeightInfo>::on_initialize_idle() + unit();
	ExtBuilder::default().max_hook_weight(limit).build_and_execute(|| {
		full_positions();
		let ids: Vec<_> = (0..3).map(|_| propose(OPERATOR, REPORTER)).collect();
		events();
		run_to_block(10);
		let mut order = Vec::new();
		for _ in 0..3 {
			assert!(next_block().all_lte(limit));
			let now_applied = applied();
			assert_eq!(now_applied.len(), 1);
			order.extend(now_applied);
		}
		assert_eq!(order, ids);
	});
}

#[test]
fn an_idle_block_costs_one_visit() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(3);
		assert_eq!(SlashSchedule::<Test>::cursor(), (4, 0));
		assert_eq!(next_block(), <() as WeightInfo>::on_initialize_idle());
		assert_eq!(SlashSchedule::<Test>::cursor(), (5, 0));
	});
}

#[test]
fn leftovers_carry_over_and_the_cursor_catches_up() {
	ExtBuilder::default().max_slashes_per_block(4).build_and_execute(|| {
		full_positions();
		for _ in 0..20 {
			propose(OPERATOR, REPORTER);
		}
		// Due at block 18, while the backlog of block 11 is still draining.
		run_to_block(8);
		let late = propose(OTHER_OPERATOR, REPORTER);
		events();
		let mut order = Vec::new();
		while order.len() < 21 {
			next_block();
			order.extend(applied());
			assert!(System::block_number() < 60);
		}
		let mut expected: Vec<SlashId> = (0..20).collect();
		expected.push(late);
		assert_eq!(order, expected);
		// The cursor ends up right after the current block.
		run_to_block(40);
		assert_eq!(SlashSchedule::<Test>::cursor(), (41, 0));
	});
}

#[test]
fn concluded_records_are_pruned_after_the_retention_in_id_order() {
	ExtBuilder::default().retention(5).build_and_execute(|| {
		let long = propose(OPERATOR, REPORTER);
		let vetoed = propose(OPERATOR, REPORTER);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), vetoed, VetoReason::Unfounded));
		assert!(ConcludedSlashes::<Test>::contains_key(vetoed));

		// The vetoed record is old enough at block 6, but the pending slash before it holds
		// the prune cursor.
		run_to_block(8);
		assert!(ConcludedSlashes::<Test>::contains_key(vetoed));
		assert_eq!(NextToPrune::<Test>::get(), long);

		run_to_block(11);
		assert!(ConcludedSlashes::<Test>::contains_key(long));
		run_to_block(15);
		assert!(ConcludedSlashes::<Test>::contains_key(long));
		run_to_block(16);
		assert!(!ConcludedSlashes::<Test>::contains_key(long));
		assert!(!ConcludedSlashes::<Test>::contains_key(vetoed));
		assert_eq!(NextToPrune::<Test>::get(), 2);
	});
}

#[test]
fn pruning_is_bounded_per_block() {
	ExtBuilder::default().retention(1).max_slashes_per_block(4).build_and_execute(|| {
		for _ in 0..10 {
			let id = propose(OPERATOR, REPORTER);
			assert_ok!(Slashing::veto(RuntimeOrigin::root(), id, VetoReason::Pardoned));
		}
		next_block();
		assert_eq!(NextToPrune::<Test>::get(), 4);
		next_block();
		assert_eq!(NextToPrune::<Test>::get(), 8);
		next_block();
		assert_eq!(NextToPrune::<Test>::get(), 10);
		assert_eq!(ConcludedSlashes::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_vetoed_or_hand_applied_slash_leaves_a_stale_entry_that_is_dropped_in_order() {
	ExtBuilder::default().build_and_execute(|| {
		let a = propose(OPERATOR, REPORTER);
		let b = propose(OPERATOR, REPORTER);
		let c = propose(OTHER_OPERATOR, REPORTER);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), b, VetoReason::Pardoned));
		// The entry stays until the hook reaches it.
		assert_eq!(queued_at(11), vec![a, b, c]);
		assert!(!is_queued(b));
		events();
		run_to_block(10);
		let weight = next_block();
		assert_eq!(applied(), vec![a, c]);
		assert!(SlashSchedule::<Test>::all_entries().is_empty());
		// Two applied, and the stale entry costs less than a third.
		assert!(weight.all_lt(
			<() as WeightInfo>::on_initialize_idle().saturating_add(unit().saturating_mul(3))
		));
	});
}
