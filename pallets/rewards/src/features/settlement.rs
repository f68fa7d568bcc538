//! Splitting an ended era's pot: one operator at a time, by the settlement walk or lazily
//! when its pool is touched first.

use crate::{
	pallet::*,
	types::{
		EraSettlement, EraWork, OperatorEraStats, OperatorPayout, Pool, REWARD_PER_SHARE_SCALE,
	},
	LOG_TARGET,
};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use warden_primitives::Balance;

impl<T: Config> Pallet<T> {
	/// Settles the era being settled for `operator`, unless done already or the operator
	/// has no work in it.
	pub(crate) fn settle_if_due(operator: &T::AccountId, mut pool: Option<&mut Pool>) {
		let EraWork::Settling(mut settlement) = CurrentEraWork::<T>::get() else { return };
		let Some(mut stats) = EraStats::<T>::get(settlement.era, operator) else { return };
		if stats.payout.is_some() {
			return;
		}
		if let Some(pool) = pool.as_deref_mut() {
			// Stake pending from before the settled era was held through all of it.
			Self::promote_pool(operator, pool, settlement.era);
		}
		let payout = Self::settle_operator(operator, pool, &stats, &settlement);
		stats.payout = Some(payout);
		EraStats::<T>::insert(settlement.era, operator, stats);
		let allocated = payout.commission.saturating_add(payout.stakers);
		if allocated > 0 {
			settlement.distributed = settlement.distributed.saturating_add(allocated);
			CurrentEraWork::<T>::put(EraWork::Settling(settlement));
		}
	}

	/// Allocates the operator's share of the era pot: its commission to its unclaimed
	/// rewards, the rest to its pool's accumulator.
	fn settle_operator(
		operator: &T::AccountId,
		pool: Option<&mut Pool>,
		stats: &OperatorEraStats,
		settlement: &EraSettlement<T::AccountId>,
	) -> OperatorPayout {
		let era = settlement.era;
		let share = multiply_by_rational_with_rounding(
			settlement.pot,
			stats.weighted_points,
			settlement.weighted_points,
			Rounding::Down,
		)
		.unwrap_or(0);
		if share == 0 {
			return OperatorPayout::default();
		}
		let Some(pool) = pool else {
			Self::deposit_event(Event::ShareRetained { era, operator: operator.clone(), share });
			return OperatorPayout { share, commission: 0, stakers: 0 };
		};
		let commission = pool.commission_in(era).mul_floor(share);
		if pool.earning == 0 {
			// No stake held through the era: the stakers' part stays in the pot, but the
			// operator still did the work its commission pays for.
			Self::credit(operator, commission);
			Totals::<T>::mutate(|totals| {
				totals.allocated = totals.allocated.saturating_add(commission)
			});
			Self::deposit_event(Event::OperatorRewarded {
				era,
				operator: operator.clone(),
				share,
				commission,
				stakers: 0,
			});
			Self::deposit_event(Event::ShareRetained {
				era,
				operator: operator.clone(),
				share: share.saturating_sub(commission),
			});
			return OperatorPayout { share, commission, stakers: 0 };
		}
		let stakers_part = share.saturating_sub(commission);
		let increment = multiply_by_rational_with_rounding(
			stakers_part,
			REWARD_PER_SHARE_SCALE,
			pool.earning,
			Rounding::Down,
		)
		.filter(|increment| pool.reward_per_share.checked_add(*increment).is_some())
		.unwrap_or_else(|| {
			log::error!(target: LOG_TARGET, "reward accumulator overflow: the stakers' part stays");
			0
		});
		// The smallest whole amount covering what the positions can draw: each position's
		// earnings are rounded down from `earning × increment / SCALE`, whose sum is at most
		// this, which is at most `stakers_part`.
		let stakers: Balance = multiply_by_rational_with_rounding(
			pool.earning,
			increment,
			REWARD_PER_SHARE_SCALE,
			Rounding::Up,
		)
		.unwrap_or(0)
		.min(stakers_part);
		pool.reward_per_share = pool.reward_per_share.saturating_add(increment);
		pool.outstanding = pool.outstanding.saturating_add(stakers);

		Self::credit(operator, commission);
		Totals::<T>::mutate(|totals| {
			totals.allocated = totals.allocated.saturating_add(commission).saturating_add(stakers)
		});
		Self::deposit_event(Event::OperatorRewarded {
			era,
			operator: operator.clone(),
			share,
			commission,
			stakers,
		});
		OperatorPayout { share, commission, stakers }
	}
}
