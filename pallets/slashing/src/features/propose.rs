//! Proposing a slash: the [`SlashQueue`] the services pallet files reports through.
//!
//! A proposal records the offender's slashable positions for the offence, each with what
//! the slash may take from it (fraction × exposure × its stake), and holds that back from
//! release until the slash concludes. A position's stake is what it had at the offence
//! block and still holds: stake delegated after the offence pays nothing for it, nor does
//! a delegation to a list of blueprints without the offence's. Stake above what the slash
//! can take stays free to leave: the model is pallet-staking's exposure snapshot.
//!
//! An offence can be reported for at most `max_offence_age` blocks: shorter than the
//! unbonding delays, so stake present at the offence is still there (and its later
//! increases still remembered) when the report comes.

use frame_support::{ensure, traits::fungible::MutateHold, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	DispatchError,
};
use warden_primitives::{OperatorRegistry, SlashId, SlashProposal, SlashQueue};

use crate::{
	BalanceOf, Config, Error, Event, HeldBack, HoldReason, NextSlashId, Pallet, Params,
	PendingSlash, PendingSlashCount, PendingSlashes, PositionsOf, ReportDeposits, SlashSchedule,
	WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// Records a pending slash due `defer_duration` from now with the offender's positions,
	/// holds back what it may take of each, queues it for application and holds the
	/// reporter's deposit. Every check comes before the first write, so a failure changes
	/// nothing.
	pub(crate) fn do_propose(
		proposal: SlashProposal<T::AccountId, BlockNumberFor<T>>,
	) -> Result<SlashId, DispatchError> {
		let SlashProposal {
			offender,
			service,
			blueprint,
			fraction,
			exposure,
			reporter,
			reason,
			evidence,
			offence_at,
		} = proposal;
		ensure!(!fraction.is_zero() && !exposure.is_zero(), Error::<T>::NothingToSlash);
		ensure!(reporter != offender, Error::<T>::SelfReport);
		let params = Params::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(offence_at <= now, Error::<T>::OffenceInFuture);
		ensure!(
			now.saturating_sub(offence_at) <= params.max_offence_age,
			Error::<T>::OffenceTooOld
		);
		ensure!(fraction >= params.min_fraction, Error::<T>::FractionBelowMinimum);
		// Whatever the blueprint's policy allows, one slash takes at most the cap.
		let fraction = fraction.min(params.max_fraction);

		// Bounded by the registry's `max_slashable_positions`.
		let slashable = T::Operators::slashable_positions(&offender, blueprint, offence_at);
		ensure!(!slashable.is_empty(), Error::<T>::NoSlashableStake);
		let mut stake = BalanceOf::<T>::zero();
		let mut amount = BalanceOf::<T>::zero();
		let mut positions = PositionsOf::<T>::new();
		for (staker, position_stake) in slashable {
			stake = stake.saturating_add(position_stake);
			let take = Self::slash_amount(position_stake, exposure, fraction);
			if !take.is_zero() {
				amount = amount.saturating_add(take);
				positions.try_push((staker, take)).map_err(|_| Error::<T>::TooManyPositions)?;
			}
		}

		let apply_at = now.checked_add(&params.defer_duration).ok_or(Error::<T>::Overflow)?;
		let slash_id = NextSlashId::<T>::get();
		let next_id = slash_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let count =
			PendingSlashCount::<T>::get(&offender).checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit =
			params.report_deposit.saturating_add(params.deposit_per_slashed.mul_ceil(amount));
		let held = ReportDeposits::<T>::get(&reporter)
			.checked_add(&deposit)
			.ok_or(Error::<T>::Overflow)?;
		let held_back = positions
			.iter()
			.map(|(staker, take)| {
				HeldBack::<T>::get(staker, &offender)
					.checked_add(take)
					.map(|held| (staker.clone(), held))
					.ok_or(Error::<T>::Overflow)
			})
			.collect::<Result<alloc::vec::Vec<_>, _>>()?;
		T::Currency::hold(&HoldReason::ReportDeposit.into(), &reporter, deposit)
			.map_err(|_| Error::<T>::CannotHoldDeposit)?;

		NextSlashId::<T>::put(next_id);
		SlashSchedule::<T>::schedule(apply_at, slash_id);
		PendingSlashCount::<T>::insert(&offender, count);
		ReportDeposits::<T>::insert(&reporter, held);
		for (staker, held) in held_back {
			HeldBack::<T>::insert(staker, &offender, held);
		}
		PendingSlashes::<T>::insert(
			slash_id,
			PendingSlash {
				offender: offender.clone(),
				service,
				blueprint,
				fraction,
				exposure,
				stake,
				positions,
				reporter: reporter.clone(),
				deposit,
				reporter_reward: params.reporter_reward,
				reason: reason.clone(),
				evidence,
				offence_at,
				proposed_at: now,
				apply_at,
				dispute: None,
			},
		);
		Self::deposit_event(Event::SlashProposed {
			slash_id,
			offender,
			service,
			blueprint,
			fraction,
			exposure,
			stake,
			amount,
			reporter,
			deposit,
			reason,
			offence_at,
			apply_at,
		});
		Ok(slash_id)
	}
}

impl<T: Config> SlashQueue<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn propose(
		proposal: SlashProposal<T::AccountId, BlockNumberFor<T>>,
	) -> Result<SlashId, DispatchError> {
		Self::do_propose(proposal)
	}

	fn propose_weight() -> Weight {
		T::WeightInfo::propose()
	}

	fn report_window() -> BlockNumberFor<T> {
		Params::<T>::get().report_window
	}

	fn max_offence_age() -> BlockNumberFor<T> {
		Params::<T>::get().max_offence_age
	}
}
