//! Work due at a block: the one shape every Warden pallet uses for it.
//!
//! A pallet that must do something at a future block (end a service, close a job call,
//! expire a request, apply a slash, settle a channel) schedules the item in a
//! [`DueQueue`]. Its `on_initialize` drains the queue under a [`WeightMeter`]; whatever
//! doesn't fit stays queued, in order, for the next blocks, and a permissionless call lets
//! anyone do an overdue item by hand.
//!
//! ## Shape
//!
//! A queue is three storage items the pallet declares and hands to [`DueQueue`]:
//!
//! - `Entries`: `(block, position) → item`, the items due at each block, numbered from 0 in
//!   the order they were scheduled;
//! - `Tails`: `block → next position`, how many items were ever scheduled at the block;
//! - `Cursor`: `(block, position)`, the first entry not drained yet. Every block before it
//!   is fully drained, and so is every position before it in its block.
//!
//! Items due at the same block come out in the order they were scheduled, and items of
//! earlier blocks before those of later ones. Scheduling never fails because a block is
//! busy: a block takes 2³² items, far more than any block can schedule.
//!
//! ## Stale entries
//!
//! An item handled early, by hand (`apply_slash`, `settle`, …) or by another path (a
//! cancelled request, a terminated service), leaves its entry in the queue. The pallet's
//! handler recognises such an entry when it is drained (the item is gone, or not due yet)
//! and reports it [`Handled::Stale`]: it costs the read that found it and doesn't count
//! toward the per-block cap. So removing an item never has to find its queue entry.

use alloc::{collections::BTreeMap, vec::Vec};
use codec::FullCodec;
use core::marker::PhantomData;
use frame_support::{
	storage::{
		IterableStorageDoubleMap, IterableStorageMap, StorageDoubleMap, StorageMap, StorageValue,
	},
	weights::{Weight, WeightMeter},
};
use sp_runtime::traits::{AtLeast32BitUnsigned, Saturating};

/// The position of an item in its block's queue: 0 for the first item scheduled at the
/// block, 1 for the second, and so on.
pub type QueuePosition = u32;

/// What handling one drained entry did, and the weight it used.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Handled {
	/// The item was due and its work was done. Counts toward the per-block cap.
	Done(Weight),
	/// The entry was stale: its item was already handled or is due later.
	Stale(Weight),
}

impl Handled {
	fn weight(&self) -> Weight {
		match self {
			Handled::Done(weight) | Handled::Stale(weight) => *weight,
		}
	}
}

/// What one drain may spend.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DrainLimits {
	/// The most items handled ([`Handled::Done`]) in one drain.
	pub max_items: u32,
	/// The cost of looking at one block: reading its tail and removing it once drained.
	pub per_block: Weight,
	/// The most one entry may cost, stale or not: a drain only takes an entry when the meter
	/// can still pay this much.
	pub per_item: Weight,
}

/// What one drain did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct DrainOutcome {
	/// Items handled.
	pub done: u32,
	/// Stale entries dropped.
	pub stale: u32,
	/// Whether every entry due by `now` was drained.
	pub caught_up: bool,
}

/// A per-block queue of due items over three storage items of the pallet: see the
/// [module docs](self).
pub struct DueQueue<Block, Item, Entries, Tails, Cursor>(
	PhantomData<(Block, Item, Entries, Tails, Cursor)>,
);

impl<Block, Item, Entries, Tails, Cursor> DueQueue<Block, Item, Entries, Tails, Cursor>
where
	Block: AtLeast32BitUnsigned + Copy + FullCodec,
	Item: FullCodec,
	Entries: StorageDoubleMap<Block, QueuePosition, Item, Query = Option<Item>>,
	Tails: StorageMap<Block, QueuePosition, Query = QueuePosition>,
	Cursor: StorageValue<(Block, QueuePosition), Query = (Block, QueuePosition)>,
{
	/// Schedules `item` for block `at`, after every item already scheduled there, and
	/// returns the block it was queued at.
	///
	/// An item due at a block the queue has already drained past is queued at the cursor's
	/// block instead, so the next drain handles it. A block whose positions have all been
	/// used passes the item on to the next block.
	pub fn schedule(at: Block, item: Item) -> Block {
		let (cursor, _) = Cursor::get();
		let mut block = at.max(cursor);
		loop {
			let position = Tails::get(block);
			match position.checked_add(1) {
				Some(next) => {
					Tails::insert(block, next);
					Entries::insert(block, position, item);
					return block;
				}
				None => {
					let later = block.saturating_add(Block::one());
					if later == block {
						// The last block number: nothing can be due after it anyway.
						Entries::insert(block, position, item);
						return block;
					}
					block = later;
				}
			}
		}
	}

	/// Drains entries due by `now`, oldest first, within `meter` and `limits`.
	///
	/// `handle` gets each entry's block and item and says what it did. The meter is charged
	/// [`DrainLimits::per_block`] for each block looked at and, for each entry, what
	/// `handle` reports (at most [`DrainLimits::per_item`], which must fit in the meter
	/// before the entry is taken). Whatever doesn't fit stays queued and the cursor stays
	/// on it.
	pub fn drain(
		now: Block,
		meter: &mut WeightMeter,
		limits: DrainLimits,
		mut handle: impl FnMut(Block, Item) -> Handled,
	) -> DrainOutcome {
		let (mut block, mut position) = Cursor::get();
		let mut outcome = DrainOutcome::default();
		'blocks: while block <= now {
			if meter.try_consume(limits.per_block).is_err() {
				break;
			}
			let tail = Tails::get(block);
			while position < tail {
				if outcome.done >= limits.max_items || !meter.can_consume(limits.per_item) {
					break 'blocks;
				}
				if let Some(item) = Entries::take(block, position) {
					let handled = handle(block, item);
					meter.consume(handled.weight().min(limits.per_item));
					match handled {
						Handled::Done(_) => outcome.done.saturating_inc(),
						Handled::Stale(_) => outcome.stale.saturating_inc(),
					}
				}
				position.saturating_inc();
			}
			Tails::remove(block);
			let next = block.saturating_add(Block::one());
			if next == block {
				break;
			}
			block = next;
			position = 0;
		}
		Cursor::put((block, position));
		outcome.caught_up = block > now;
		outcome
	}

	/// The first entry not drained yet: every entry before it was drained.
	pub fn cursor() -> (Block, QueuePosition) {
		Cursor::get()
	}

	/// Starts the queue at `block`: nothing before it is ever looked at. For genesis, so a
	/// chain that starts late doesn't walk its empty history.
	pub fn start_at(block: Block) {
		Cursor::put((block, 0));
	}

	/// How many entries are queued at `block` and not drained yet.
	pub fn queued_at(block: Block) -> u32 {
		let (cursor, position) = Cursor::get();
		let tail = Tails::get(block);
		if block < cursor {
			0
		} else if block == cursor {
			tail.saturating_sub(position)
		} else {
			tail
		}
	}

	/// Every entry at `block` not drained yet, in queue order, with its position.
	pub fn entries_at(block: Block) -> impl Iterator<Item = (QueuePosition, Item)> {
		let (cursor, first) = Cursor::get();
		let start = if block == cursor { first } else { 0 };
		let end = if block < cursor { 0 } else { Tails::get(block) };
		(start..end)
			.filter_map(move |position| Entries::get(block, position).map(|item| (position, item)))
	}
}

/// Structural checks of a queue, for the pallets' `try_state`.
impl<Block, Item, Entries, Tails, Cursor> DueQueue<Block, Item, Entries, Tails, Cursor>
where
	Block: AtLeast32BitUnsigned + Copy + FullCodec,
	Item: FullCodec,
	Entries: StorageDoubleMap<Block, QueuePosition, Item, Query = Option<Item>>
		+ IterableStorageDoubleMap<Block, QueuePosition, Item>,
	Tails: StorageMap<Block, QueuePosition, Query = QueuePosition>
		+ IterableStorageMap<Block, QueuePosition>,
	Cursor: StorageValue<(Block, QueuePosition), Query = (Block, QueuePosition)>,
{
	/// Every entry not drained yet, as `(block, position, item)`, in no particular order.
	/// Reads the whole queue: for `try_state` and tests only.
	pub fn all_entries() -> Vec<(Block, QueuePosition, Item)> {
		Entries::iter().collect()
	}

	/// Proves that every item of `live`, each with the block it is due at, has an entry at
	/// that block or later: the hook will reach it. Entries of other items are stale and
	/// allowed.
	pub fn check_scheduled(
		live: impl IntoIterator<Item = (Item, Block)>,
	) -> Result<(), &'static str>
	where
		Item: Ord,
	{
		let mut latest: BTreeMap<Item, Block> = BTreeMap::new();
		for (block, _, item) in Entries::iter() {
			let entry = latest.entry(item).or_insert(block);
			*entry = (*entry).max(block);
		}
		for (item, due) in live {
			match latest.get(&item) {
				Some(block) if *block >= due => {}
				Some(_) => return Err("an item is queued before it is due"),
				None => return Err("an item is not queued"),
			}
		}
		Ok(())
	}

	/// Proves that every entry lies between the cursor and its block's tail, and that no
	/// drained block keeps a tail.
	pub fn check() -> Result<(), &'static str> {
		let (cursor, first) = Cursor::get();
		for (block, position, _) in Entries::iter() {
			if block < cursor || (block == cursor && position < first) {
				return Err("a queue entry lies before the cursor");
			}
			if position >= Tails::get(block) {
				return Err("a queue entry lies at or after its block's tail");
			}
		}
		for (block, tail) in Tails::iter() {
			if block < cursor {
				return Err("a drained block keeps its tail");
			}
			if tail == 0 {
				return Err("an empty tail is kept");
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::{pallet_prelude::ValueQuery, storage_alias, Twox64Concat};

	#[storage_alias]
	type Entries = StorageDoubleMap<Test, Twox64Concat, u32, Twox64Concat, QueuePosition, u64>;
	#[storage_alias]
	type Tails = StorageMap<Test, Twox64Concat, u32, QueuePosition, ValueQuery>;
	#[storage_alias]
	type Cursor = StorageValue<Test, (u32, QueuePosition), ValueQuery>;

	type Queue = DueQueue<u32, u64, Entries, Tails, Cursor>;

	const ITEM: Weight = Weight::from_parts(10, 0);
	const BLOCK: Weight = Weight::from_parts(1, 0);

	fn limits(max_items: u32) -> DrainLimits {
		DrainLimits { max_items, per_block: BLOCK, per_item: ITEM }
	}

	fn drain_all(now: u32, max_items: u32, budget: u64) -> (Vec<(u32, u64)>, DrainOutcome) {
		let mut meter = WeightMeter::with_limit(Weight::from_parts(budget, 0));
		let mut seen = Vec::new();
		let outcome = Queue::drain(now, &mut meter, limits(max_items), |block, item| {
			seen.push((block, item));
			Handled::Done(ITEM)
		});
		(seen, outcome)
	}

	fn run(test: impl FnOnce()) {
		sp_io::TestExternalities::default().execute_with(test)
	}

	#[test]
	fn items_come_out_in_schedule_order_block_by_block() {
		run(|| {
			// Ids out of numeric order, and more than 256 in one block, so any byte-ordered
			// key iteration would shuffle them.
			let ids: Vec<u64> = (0..600u64).map(|i| (i * 7919) % 1000).collect();
			for id in &ids {
				assert_eq!(Queue::schedule(5, *id), 5);
			}
			Queue::schedule(3, 1);
			Queue::schedule(4, 2);
			let (seen, outcome) = drain_all(5, u32::MAX, u64::MAX);
			let mut expected = vec![(3, 1), (4, 2)];
			expected.extend(ids.iter().map(|id| (5, *id)));
			assert_eq!(seen, expected);
			assert_eq!(outcome, DrainOutcome { done: 602, stale: 0, caught_up: true });
			assert_eq!(Queue::cursor(), (6, 0));
			assert_eq!(Entries::iter().count(), 0);
			assert_eq!(Tails::iter().count(), 0);
		})
	}

	#[test]
	fn nothing_due_later_is_touched() {
		run(|| {
			Queue::schedule(7, 70);
			let (seen, outcome) = drain_all(6, u32::MAX, u64::MAX);
			assert!(seen.is_empty());
			assert!(outcome.caught_up);
			assert_eq!(Queue::cursor(), (7, 0));
			assert_eq!(Queue::queued_at(7), 1);
		})
	}

	#[test]
	fn the_cap_leaves_the_rest_in_order_for_the_next_drain() {
		run(|| {
			for id in 0..10 {
				Queue::schedule(2, id);
			}
			let (seen, outcome) = drain_all(2, 4, u64::MAX);
			assert_eq!(seen, (0..4).map(|id| (2, id)).collect::<Vec<_>>());
			assert!(!outcome.caught_up);
			assert_eq!(Queue::cursor(), (2, 4));
			assert_eq!(Queue::queued_at(2), 6);
			assert_eq!(
				Queue::entries_at(2).map(|(_, id)| id).collect::<Vec<_>>(),
				(4..10).collect::<Vec<_>>()
			);

			// A later drain picks up where this one stopped, before anything newer.
			Queue::schedule(3, 100);
			let (seen, outcome) = drain_all(3, u32::MAX, u64::MAX);
			let mut expected: Vec<_> = (4..10).map(|id| (2, id)).collect();
			expected.push((3, 100));
			assert_eq!(seen, expected);
			assert!(outcome.caught_up);
		})
	}

	#[test]
	fn the_meter_bounds_the_work() {
		run(|| {
			for id in 0..10 {
				Queue::schedule(1, id);
			}
			// Two block look-ups (0 and 1) and three items fit.
			let (seen, outcome) = drain_all(1, u32::MAX, 1 + 3 * 10 + 9);
			assert_eq!(seen.len(), 3);
			assert!(!outcome.caught_up);
			assert_eq!(Queue::cursor(), (1, 3));
			// Not even the block look-up fits: nothing moves.
			let (seen, _) = drain_all(1, u32::MAX, 0);
			assert!(seen.is_empty());
			assert_eq!(Queue::cursor(), (1, 3));
		})
	}

	#[test]
	fn stale_entries_cost_what_they_report_and_not_the_cap() {
		run(|| {
			for id in 0..6 {
				Queue::schedule(1, id);
			}
			let mut meter = WeightMeter::with_limit(Weight::from_parts(u64::MAX, 0));
			let mut done = Vec::new();
			let outcome = Queue::drain(1, &mut meter, limits(2), |_, id| {
				if id % 2 == 0 {
					Handled::Stale(Weight::from_parts(2, 0))
				} else {
					done.push(id);
					Handled::Done(ITEM)
				}
			});
			assert_eq!(done, vec![1, 3]);
			assert_eq!(outcome, DrainOutcome { done: 2, stale: 2, caught_up: false });
			// Blocks 0 and 1 looked at, two items done, two stale.
			assert_eq!(meter.consumed(), Weight::from_parts(2 + 2 * 10 + 2 * 2, 0));
			assert_eq!(Queue::cursor(), (1, 4));
		})
	}

	#[test]
	fn an_item_scheduled_behind_the_cursor_is_queued_at_the_cursor() {
		run(|| {
			Queue::start_at(10);
			assert_eq!(Queue::schedule(4, 40), 10);
			let (seen, _) = drain_all(10, u32::MAX, u64::MAX);
			assert_eq!(seen, vec![(10, 40)]);
		})
	}

	#[test]
	fn scheduling_into_the_block_being_drained_appends_after_the_cursor() {
		run(|| {
			for id in 0..4 {
				Queue::schedule(1, id);
			}
			drain_all(1, 2, u64::MAX);
			assert_eq!(Queue::cursor(), (1, 2));
			Queue::schedule(1, 99);
			let (seen, _) = drain_all(1, u32::MAX, u64::MAX);
			assert_eq!(seen, vec![(1, 2), (1, 3), (1, 99)]);
		})
	}

	#[test]
	fn a_full_block_passes_items_on_to_the_next() {
		run(|| {
			Tails::insert(8, QueuePosition::MAX);
			assert_eq!(Queue::schedule(8, 1), 9);
			assert_eq!(Queue::queued_at(9), 1);
		})
	}

	#[test]
	fn empty_blocks_cost_one_look_up_each() {
		run(|| {
			Queue::schedule(5, 1);
			let mut meter = WeightMeter::with_limit(Weight::from_parts(u64::MAX, 0));
			Queue::drain(5, &mut meter, limits(u32::MAX), |_, _| Handled::Done(ITEM));
			// Blocks 0 to 5 looked at, one item.
			assert_eq!(meter.consumed(), Weight::from_parts(6 + 10, 0));
		})
	}
}
