//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{
	pallet::*,
	types::{EraWork, Pool, Position, Promotion},
};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{fungible::Inspect, Get},
};
use sp_runtime::{traits::Zero, TryRuntimeError};
use warden_primitives::{Balance, EraIndex};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage:
	///
	/// - the pot holds every liability plus its existential deposit, and the liability is
	///   exactly the unclaimed rewards plus the pools' outstanding rewards;
	/// - no more was claimed and released than allocated;
	/// - each pool's counters equal its positions, its pending stake equals the positions'
	///   unpromoted stake, each promotion is referenced by exactly its count of positions,
	///   and what its positions earned is covered by its outstanding rewards;
	/// - positions and the per-staker index agree;
	/// - statistics exist only for the active era, the era being settled and the last
	///   settled one, and their points add up to the era totals;
	/// - the incentivized blueprints are within bounds.
	///
	/// Iterates over all of the pallet's storage: never call it from a transaction.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(!Params::<T>::get().era_length.is_zero(), "era length is zero");
		Self::check_incentives()?;
		let outstanding = Self::check_pools()?;
		Self::check_money(outstanding)?;
		Self::check_eras()?;
		Ok(())
	}

	fn check_incentives() -> Result<(), TryRuntimeError> {
		let mut count = 0u32;
		for (_, weight) in IncentivizedBlueprints::<T>::iter() {
			ensure!(weight > 0, "an incentivized blueprint has weight zero");
			count = count.saturating_add(1);
		}
		ensure!(count == IncentivizedBlueprints::<T>::count(), "incentive counter is wrong");
		ensure!(count <= T::MaxIncentivizedBlueprints::get(), "too many incentivized blueprints");
		Ok(())
	}

	/// Checks each pool against its positions and the per-staker index; returns the sum of
	/// the pools' outstanding rewards. Reads each map once.
	fn check_pools() -> Result<Balance, TryRuntimeError> {
		let active = ActiveEra::<T>::get().index;
		let mut positions_of: BTreeMap<T::AccountId, Vec<Position>> = BTreeMap::new();
		let mut position_keys: BTreeSet<(T::AccountId, T::AccountId)> = BTreeSet::new();
		for (operator, staker, position) in Positions::<T>::iter() {
			ensure!(position.total() > 0, "an empty position is stored");
			position_keys.insert((operator.clone(), staker));
			positions_of.entry(operator).or_default().push(position);
		}
		let mut promotions_of: BTreeMap<T::AccountId, BTreeMap<EraIndex, Promotion>> =
			BTreeMap::new();
		for (operator, era, promotion) in Promotions::<T>::iter() {
			promotions_of.entry(operator).or_default().insert(era, promotion);
		}

		let mut total_outstanding: Balance = 0;
		for (operator, pool) in Pools::<T>::iter() {
			let positions = positions_of.remove(&operator).unwrap_or_default();
			let promotions = promotions_of.remove(&operator).unwrap_or_default();
			Self::check_pool(&pool, &positions, &promotions, active)?;
			total_outstanding = total_outstanding.saturating_add(pool.outstanding);
		}
		ensure!(positions_of.is_empty(), "a position without its pool");
		ensure!(promotions_of.is_empty(), "a promotion without its pool");

		let mut indexed = 0usize;
		for (staker, operators) in StakerPositions::<T>::iter() {
			ensure!(!operators.is_empty(), "an empty staker index is stored");
			let unique: BTreeSet<_> = operators.iter().collect();
			ensure!(unique.len() == operators.len(), "a staker index lists an operator twice");
			for operator in operators.iter() {
				ensure!(
					position_keys.contains(&(operator.clone(), staker.clone())),
					"a staker index lists a missing position"
				);
			}
			indexed = indexed.saturating_add(operators.len());
		}
		ensure!(position_keys.len() == indexed, "a position is not indexed");
		Ok(total_outstanding)
	}

	/// Checks one pool's counters, pending stake, promotions and outstanding rewards against
	/// its positions.
	fn check_pool(
		pool: &Pool,
		positions: &[Position],
		promotions: &BTreeMap<EraIndex, Promotion>,
		active: EraIndex,
	) -> Result<(), TryRuntimeError> {
		let mut stake: Balance = 0;
		let mut unpromoted: Balance = 0;
		let mut unpromoted_positions = 0u32;
		let mut references: BTreeMap<EraIndex, u32> = BTreeMap::new();
		let mut earned: Balance = 0;
		for position in positions {
			stake = stake.saturating_add(position.total());
			ensure!(
				position.reward_per_share_paid <= pool.reward_per_share,
				"a position is ahead of its pool"
			);
			let promoted_at = if position.pending == 0 {
				None
			} else if let Some(promotion) = promotions.get(&position.pending_era) {
				let count = references.entry(position.pending_era).or_default();
				*count = count.saturating_add(1);
				Some(promotion.reward_per_share)
			} else {
				ensure!(
					position.pending_era == pool.pending_era,
					"pending stake of an era its pool has no record of"
				);
				unpromoted = unpromoted.saturating_add(position.pending);
				unpromoted_positions = unpromoted_positions.saturating_add(1);
				None
			};
			earned = earned.saturating_add(match promoted_at {
				Some(at) => Self::earned(position.earning, position.reward_per_share_paid, at)
					.saturating_add(Self::earned(position.total(), at, pool.reward_per_share)),
				None => Self::earned(
					position.earning,
					position.reward_per_share_paid,
					pool.reward_per_share,
				),
			});
		}
		ensure!(positions.len() == pool.positions as usize, "pool position counter is wrong");
		ensure!(
			stake == pool.earning.saturating_add(pool.pending),
			"pool stake differs from its positions"
		);
		ensure!(unpromoted == pool.pending, "pool pending stake differs from its positions");
		ensure!(
			unpromoted_positions == pool.pending_positions,
			"pool pending position counter is wrong"
		);
		ensure!(pool.pending == 0 || pool.pending_era <= active, "stake pending in the future");
		for (era, promotion) in promotions {
			ensure!(*era < active, "a promotion of the active era");
			ensure!(promotion.positions > 0, "a promotion nobody references is kept");
			ensure!(
				references.get(era).copied().unwrap_or(0) == promotion.positions,
				"promotion reference count is wrong"
			);
			ensure!(
				promotion.reward_per_share <= pool.reward_per_share,
				"a promotion is ahead of its pool"
			);
		}
		ensure!(earned <= pool.outstanding, "stakers earned more than was allocated");
		Ok(())
	}

	fn check_money(outstanding: Balance) -> Result<(), TryRuntimeError> {
		let totals = Totals::<T>::get();
		ensure!(
			totals.claimed.saturating_add(totals.released) <= totals.allocated,
			"more claimed and released than allocated"
		);
		let mut unclaimed: Balance = 0;
		for (_, amount) in Unclaimed::<T>::iter() {
			ensure!(amount > 0, "a zero unclaimed balance is stored");
			unclaimed = unclaimed.saturating_add(amount);
		}
		ensure!(
			unclaimed.saturating_add(outstanding) == totals.liability(),
			"liability differs from unclaimed plus outstanding rewards"
		);
		ensure!(
			T::Currency::balance(&Self::pot_account())
				>= totals.liability().saturating_add(T::Currency::minimum_balance()),
			"the pot does not cover its liability"
		);
		Ok(())
	}

	fn check_eras() -> Result<(), TryRuntimeError> {
		let active = ActiveEra::<T>::get();
		// Per era: weighted points and allocated amounts of its statistics.
		let mut sums: BTreeMap<EraIndex, (u128, Balance)> = BTreeMap::new();
		for (era, _, stats) in EraStats::<T>::iter() {
			let sum = sums.entry(era).or_default();
			sum.0 = sum.0.saturating_add(stats.weighted_points);
			if let Some(payout) = stats.payout {
				ensure!(era != active.index, "the active era has a payout");
				ensure!(
					payout.commission.saturating_add(payout.stakers) <= payout.share,
					"an operator got more than its share"
				);
				sum.1 = sum.1.saturating_add(payout.commission).saturating_add(payout.stakers);
			}
		}
		let (active_points, _) = sums.remove(&active.index).unwrap_or_default();
		ensure!(active_points == active.weighted_points, "active era points differ");

		if let Some(last) = LastSettledEra::<T>::get() {
			ensure!(last.era < active.index, "the last settled era is not over");
			ensure!(last.distributed <= last.pot, "an era distributed more than its pot");
			sums.remove(&last.era);
		}
		match CurrentEraWork::<T>::get() {
			EraWork::Idle => {}
			EraWork::Settling(settlement) => {
				ensure!(
					settlement.era.saturating_add(1) == active.index,
					"the era being settled is not the previous one"
				);
				ensure!(settlement.distributed <= settlement.pot, "settlement over its pot");
				let (weighted, distributed) = sums.remove(&settlement.era).unwrap_or_default();
				ensure!(weighted == settlement.weighted_points, "settled points differ");
				ensure!(distributed == settlement.distributed, "settled amounts differ");
			}
			EraWork::Pruning { era } => {
				sums.remove(&era);
			}
		}
		ensure!(sums.is_empty(), "statistics of an era that should be pruned");
		Ok(())
	}
}
