//! The answers to the [`RewardsApi`](warden_primitives::RewardsApi) runtime API.

use crate::pallet::*;
use alloc::vec::Vec;
use frame_support::storage::{with_transaction, TransactionOutcome};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::DispatchError;
use sp_runtime::Saturating;
use warden_primitives::{Balance, EraInfo, EraReport, OperatorEraReport};

impl<T: Config> Pallet<T> {
	/// What `who` would be paid by claiming now. Changes nothing.
	pub fn pending_rewards(who: T::AccountId) -> Balance {
		with_transaction(|| {
			Self::accrue_all(&who);
			TransactionOutcome::Rollback(Ok::<_, DispatchError>(Unclaimed::<T>::get(&who)))
		})
		.unwrap_or_default()
	}

	/// The era in progress.
	pub fn active_era() -> EraInfo<BlockNumberFor<T>> {
		let active = ActiveEra::<T>::get();
		EraInfo {
			index: active.index,
			start: active.start,
			end: active.start.saturating_add(Params::<T>::get().era_length),
		}
	}

	/// The parameters in force.
	pub fn reward_params() -> warden_primitives::RewardParams<BlockNumberFor<T>> {
		Params::<T>::get()
	}

	/// The last settled era's distribution per operator, with work counters. Iterates over
	/// the era's operators: for the runtime API only, never for transactions.
	pub fn last_era_report() -> Option<EraReport<T::AccountId, Balance>> {
		let settled = LastSettledEra::<T>::get()?;
		let operators: Vec<_> = EraStats::<T>::iter_prefix(settled.era)
			.map(|(operator, stats)| {
				let payout = stats.payout.unwrap_or_default();
				OperatorEraReport {
					operator,
					points: stats.points,
					weighted_points: stats.weighted_points,
					successes: stats.successes,
					failures: stats.failures,
					missed: stats.missed,
					heartbeats: stats.heartbeats,
					share: payout.share,
					commission: payout.commission,
					stakers: payout.stakers,
				}
			})
			.collect();
		Some(EraReport {
			era: settled.era,
			pot: settled.pot,
			weighted_points: settled.weighted_points,
			distributed: settled.distributed,
			operators,
		})
	}
}
