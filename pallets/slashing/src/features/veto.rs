//! Vetoing a pending slash, and what happens to the report deposit.

use frame_support::{
	dispatch::DispatchResult,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
};
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::SlashId;

use crate::{
	BalanceOf, ConcludedSlash, ConcludedSlashes, Config, Event, HoldReason, Pallet, PendingSlashes,
	ReportDeposits, SlashOutcome, VetoReason, LOG_TARGET,
};

impl<T: Config> Pallet<T> {
	/// Removes a pending slash for good. An unfounded report forfeits its deposit to the
	/// treasury; a pardon returns it.
	pub(crate) fn do_veto(slash_id: SlashId, reason: VetoReason) -> DispatchResult {
		let slash =
			PendingSlashes::<T>::get(slash_id).ok_or_else(|| Self::not_pending_error(slash_id))?;
		Self::remove_pending(slash_id, &slash);
		let now = frame_system::Pallet::<T>::block_number();
		ConcludedSlashes::<T>::insert(
			slash_id,
			ConcludedSlash { at: now, outcome: SlashOutcome::Vetoed(reason) },
		);
		Self::deposit_event(Event::SlashVetoed {
			slash_id,
			offender: slash.offender.clone(),
			reason,
		});
		match reason {
			VetoReason::Unfounded => {
				Self::forfeit_deposit(slash_id, &slash.reporter, slash.deposit)
			}
			VetoReason::Pardoned => Self::return_deposit(slash_id, &slash.reporter, slash.deposit),
		}
		Ok(())
	}

	/// Moves a report deposit from hold to the treasury account.
	///
	/// The deposit is at least the existential deposit, so the transfer can create the
	/// treasury account. Should it fail anyway, the deposit is burnt rather than returned:
	/// an unfounded report never gets its deposit back.
	pub(crate) fn forfeit_deposit(
		slash_id: SlashId,
		reporter: &T::AccountId,
		deposit: BalanceOf<T>,
	) {
		let reason = HoldReason::ReportDeposit.into();
		let forfeited = T::Currency::transfer_on_hold(
			&reason,
			reporter,
			&T::TreasuryAccount::get(),
			deposit,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.or_else(|e| {
			log::error!(
				target: LOG_TARGET,
				"report deposit of slash {slash_id} could not reach the treasury ({e:?}); burning it",
			);
			T::Currency::burn_held(
				&reason,
				reporter,
				deposit,
				Precision::BestEffort,
				Fortitude::Force,
			)
		})
		.unwrap_or_else(|_| Zero::zero());
		Self::unledger_deposit(reporter, deposit);
		Self::deposit_event(Event::ReportDepositForfeited {
			slash_id,
			reporter: reporter.clone(),
			amount: forfeited,
		});
	}

	/// Releases a report deposit back to the reporter.
	pub(crate) fn return_deposit(
		slash_id: SlashId,
		reporter: &T::AccountId,
		deposit: BalanceOf<T>,
	) {
		let returned = T::Currency::release(
			&HoldReason::ReportDeposit.into(),
			reporter,
			deposit,
			Precision::BestEffort,
		)
		.unwrap_or_else(|e| {
			log::error!(
				target: LOG_TARGET,
				"report deposit of slash {slash_id} could not be released: {e:?}",
			);
			Zero::zero()
		});
		Self::unledger_deposit(reporter, deposit);
		Self::deposit_event(Event::ReportDepositReturned {
			slash_id,
			reporter: reporter.clone(),
			amount: returned,
		});
	}

	/// Takes a deposit that left the hold off the reporter's ledger.
	fn unledger_deposit(reporter: &T::AccountId, deposit: BalanceOf<T>) {
		ReportDeposits::<T>::mutate_exists(reporter, |held| {
			let left = held.unwrap_or_else(Zero::zero).saturating_sub(deposit);
			*held = (!left.is_zero()).then_some(left);
		});
	}
}
