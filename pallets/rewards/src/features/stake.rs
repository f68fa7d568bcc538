//! Stake tracking and the reward-per-share accumulators.
//!
//! Each operator has a [`Pool`]; each staker on it a [`Position`]. A pool's
//! `reward_per_share` grows when an era is settled for the operator by
//! `stakers' part × SCALE / earning stake`, and a position is owed
//! `earning × (reward_per_share − reward_per_share_paid) / SCALE`, rounded down, so paying
//! a position is O(1) however many eras passed.
//!
//! Stake added in era `e` is pending and must not take part in the settlement of era `e`
//! (which happens during era `e + 1`). Nothing iterates positions to promote it: a pool is
//! *refreshed* whenever it is touched (a stake change, a claim, a commission change or the
//! settlement walk) and, in this order,
//!
//! 1. if the era being settled is not settled yet for the operator: promotes stake pending
//!    from before that era, then settles it (the pool's earning stake is exactly the stake
//!    held through that whole era);
//! 2. promotes stake pending from before the active era, recording the accumulator at that
//!    moment in [`Promotions`];
//! 3. applies a commission change that has become effective.
//!
//! A position picks up its own promotion (the recorded accumulator value) the next time it
//! is touched. Pools and positions keep one pending bucket each: anything touching them in
//! a later era promotes the old bucket before adding to a new one.

use crate::{
	pallet::*,
	types::{Pool, Position, REWARD_PER_SHARE_SCALE},
	LOG_TARGET,
};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use warden_primitives::{Balance, EraIndex, StakeObserver};

impl<T: Config> Pallet<T> {
	/// `stake × (to − from) / SCALE`, rounded down: what `stake` earned while the
	/// accumulator went from `from` to `to`.
	pub(crate) fn earned(stake: Balance, from: u128, to: u128) -> Balance {
		let growth = to.saturating_sub(from);
		if stake == 0 || growth == 0 {
			return 0;
		}
		// Never more than was allocated, which fits in a `u128`; `None` can't happen.
		multiply_by_rational_with_rounding(stake, growth, REWARD_PER_SHARE_SCALE, Rounding::Down)
			.unwrap_or(0)
	}

	/// The operator's pool, brought up to date with the active era (see the module docs).
	/// The caller stores it back.
	pub(crate) fn refreshed_pool(operator: &T::AccountId) -> Option<Pool> {
		let mut pool = Pools::<T>::get(operator);
		Self::settle_if_due(operator, pool.as_mut());
		if let Some(pool) = pool.as_mut() {
			let era = ActiveEra::<T>::get().index;
			Self::promote_pool(operator, pool, era);
			if let Some((next, from)) = pool.next_commission {
				if from <= era {
					pool.commission = next;
					pool.next_commission = None;
				}
			}
		}
		pool
	}

	/// Promotes the pool's pending stake if it was added before era `before`.
	pub(crate) fn promote_pool(operator: &T::AccountId, pool: &mut Pool, before: EraIndex) {
		if pool.pending == 0 || pool.pending_era >= before {
			return;
		}
		Promotions::<T>::insert(
			operator,
			pool.pending_era,
			crate::types::Promotion {
				reward_per_share: pool.reward_per_share,
				positions: pool.pending_positions,
			},
		);
		pool.earning = pool.earning.saturating_add(pool.pending);
		pool.pending = 0;
		pool.pending_positions = 0;
	}

	/// Brings a position up to date with its (refreshed) pool: picks up its promotion and
	/// moves what it earned out of the pool's outstanding rewards. Returns what it earned;
	/// the caller credits it to the staker.
	pub(crate) fn accrue_position(
		operator: &T::AccountId,
		pool: &mut Pool,
		position: &mut Position,
	) -> Balance {
		let era = ActiveEra::<T>::get().index;
		let mut earned: Balance = 0;
		if position.pending > 0 && position.pending_era < era {
			let promoted_at = match Promotions::<T>::get(operator, position.pending_era) {
				Some(mut promotion) => {
					promotion.positions = promotion.positions.saturating_sub(1);
					if promotion.positions == 0 {
						Promotions::<T>::remove(operator, position.pending_era);
					} else {
						Promotions::<T>::insert(operator, position.pending_era, promotion);
					}
					promotion.reward_per_share
				}
				None => {
					// Can't happen: the refreshed pool promoted every era before the active
					// one. Starting the stake at the current value only underpays it.
					log::error!(target: LOG_TARGET, "missing promotion of a pending stake");
					pool.reward_per_share
				}
			};
			earned = Self::earned(position.earning, position.reward_per_share_paid, promoted_at);
			position.reward_per_share_paid = promoted_at;
			position.earning = position.earning.saturating_add(position.pending);
			position.pending = 0;
		}
		earned = earned.saturating_add(Self::earned(
			position.earning,
			position.reward_per_share_paid,
			pool.reward_per_share,
		));
		position.reward_per_share_paid = pool.reward_per_share;
		// The pool's outstanding rewards cover every position's earnings (they are rounded
		// down, the allocation up); the cap only guards against a broken invariant.
		let earned = earned.min(pool.outstanding);
		pool.outstanding = pool.outstanding.saturating_sub(earned);
		earned
	}

	/// Adds `amount` to the staker's unclaimed rewards.
	pub(crate) fn credit(who: &T::AccountId, amount: Balance) {
		if amount > 0 {
			Unclaimed::<T>::mutate(who, |unclaimed| *unclaimed = unclaimed.saturating_add(amount));
		}
	}

	/// Records that `staker`'s active stake on `operator` becomes `new`.
	pub(crate) fn change_stake(operator: &T::AccountId, staker: &T::AccountId, new: Balance) {
		let era = ActiveEra::<T>::get().index;
		let refreshed = Self::refreshed_pool(operator);
		let pool_existed = refreshed.is_some();
		let existing = Positions::<T>::get(operator, staker);
		if existing.is_none() && new == 0 {
			if let Some(pool) = refreshed {
				Pools::<T>::insert(operator, pool);
			}
			return;
		}
		let mut pool = refreshed.unwrap_or_default();
		let mut position = match existing {
			Some(position) => position,
			None => {
				let tracked = StakerPositions::<T>::mutate(staker, |operators| {
					operators.try_push(operator.clone()).is_ok()
				});
				if !tracked {
					log::warn!(target: LOG_TARGET, "a staker has too many positions");
					Self::deposit_event(Event::PositionNotTracked {
						operator: operator.clone(),
						staker: staker.clone(),
					});
					if pool_existed {
						Pools::<T>::insert(operator, pool);
					}
					return;
				}
				pool.positions = pool.positions.saturating_add(1);
				Position { reward_per_share_paid: pool.reward_per_share, ..Default::default() }
			}
		};

		let earned = Self::accrue_position(operator, &mut pool, &mut position);
		Self::credit(staker, earned);

		let current = position.total();
		if new > current {
			// Added stake earns from the next era on.
			let added = new.saturating_sub(current);
			if position.pending == 0 {
				pool.pending_positions = pool.pending_positions.saturating_add(1);
			}
			position.pending = position.pending.saturating_add(added);
			position.pending_era = era;
			pool.pending = pool.pending.saturating_add(added);
			pool.pending_era = era;
		} else if new < current {
			// Removed stake stops earning at once; the newest stake goes first.
			let removed = current.saturating_sub(new);
			let from_pending = removed.min(position.pending);
			if from_pending > 0 {
				position.pending = position.pending.saturating_sub(from_pending);
				pool.pending = pool.pending.saturating_sub(from_pending);
				if position.pending == 0 {
					pool.pending_positions = pool.pending_positions.saturating_sub(1);
				}
			}
			let from_earning = removed.saturating_sub(from_pending);
			position.earning = position.earning.saturating_sub(from_earning);
			pool.earning = pool.earning.saturating_sub(from_earning);
		}

		if new == 0 {
			Positions::<T>::remove(operator, staker);
			StakerPositions::<T>::mutate_exists(staker, |operators| {
				if let Some(list) = operators {
					list.retain(|o| o != operator);
					if list.is_empty() {
						*operators = None;
					}
				}
			});
			pool.positions = pool.positions.saturating_sub(1);
			if pool.positions == 0 {
				Self::release_pool(operator, pool);
				return;
			}
		} else {
			Positions::<T>::insert(operator, staker, position);
		}
		Pools::<T>::insert(operator, pool);
	}

	/// Removes a pool whose last position left, returning its rounding dust to the pot.
	fn release_pool(operator: &T::AccountId, pool: Pool) {
		if pool.outstanding > 0 {
			Totals::<T>::mutate(|totals| {
				totals.released = totals.released.saturating_add(pool.outstanding)
			});
			Self::deposit_event(Event::DustReleased {
				operator: operator.clone(),
				amount: pool.outstanding,
			});
		}
		Pools::<T>::remove(operator);
	}
}

impl<T: Config> StakeObserver<T::AccountId, Balance> for Pallet<T> {
	/// Tracks the change from this pallet's own record of the position; `old` is only
	/// informative.
	fn before_stake_change(
		operator: &T::AccountId,
		staker: &T::AccountId,
		_old: Balance,
		new: Balance,
	) {
		Self::change_stake(operator, staker, new);
	}

	/// The benchmarked worst case: a position that must be settled and promoted first.
	fn before_stake_change_weight() -> frame_support::weights::Weight {
		<T::WeightInfo as crate::WeightInfo>::hook_before_stake_change()
	}
}
