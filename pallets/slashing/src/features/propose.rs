//! Proposing a slash: the [`SlashQueue`] the services pallet files reports through.

use frame_support::{ensure, traits::fungible::MutateHold};
use sp_runtime::{traits::CheckedAdd, DispatchError};
use warden_primitives::{OperatorRegistry, SlashId, SlashProposal, SlashQueue};

use crate::{
	Config, Error, Event, HoldReason, NextSlashId, Pallet, Params, PendingSlash, PendingSlashCount,
	PendingSlashes, ReportDeposits, SlashSchedule,
};

impl<T: Config> Pallet<T> {
	/// Records a pending slash due `defer_duration` from now, queues it for application and
	/// holds the reporter's deposit. Every check comes before the first write, so a failure
	/// changes nothing.
	pub(crate) fn do_propose(
		proposal: SlashProposal<T::AccountId>,
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
		} = proposal;
		ensure!(!fraction.is_zero() && !exposure.is_zero(), Error::<T>::NothingToSlash);
		ensure!(reporter != offender, Error::<T>::SelfReport);
		ensure!(T::Operators::state(&offender).is_some(), Error::<T>::NotOperator);

		let params = Params::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let apply_at = now.checked_add(&params.defer_duration).ok_or(Error::<T>::Overflow)?;
		let slash_id = NextSlashId::<T>::get();
		let next_id = slash_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let count =
			PendingSlashCount::<T>::get(&offender).checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = params.report_deposit;
		let held = ReportDeposits::<T>::get(&reporter)
			.checked_add(&deposit)
			.ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::ReportDeposit.into(), &reporter, deposit)
			.map_err(|_| Error::<T>::CannotHoldDeposit)?;

		NextSlashId::<T>::put(next_id);
		SlashSchedule::<T>::schedule(apply_at, slash_id);
		PendingSlashCount::<T>::insert(&offender, count);
		ReportDeposits::<T>::insert(&reporter, held);
		PendingSlashes::<T>::insert(
			slash_id,
			PendingSlash {
				offender: offender.clone(),
				service,
				blueprint,
				fraction,
				exposure,
				reporter: reporter.clone(),
				deposit,
				reporter_reward: params.reporter_reward,
				reason: reason.clone(),
				evidence,
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
			reporter,
			deposit,
			reason,
			apply_at,
		});
		Ok(slash_id)
	}
}

impl<T: Config> SlashQueue<T::AccountId> for Pallet<T> {
	fn propose(proposal: SlashProposal<T::AccountId>) -> Result<SlashId, DispatchError> {
		Self::do_propose(proposal)
	}
}
