//! Disputing a pending slash: the offender's statement for the reviewers.

use frame_support::{dispatch::DispatchResult, ensure};
use warden_primitives::SlashId;

use crate::{Config, Dispute, Error, Event, Pallet, PendingSlashes, StatementOf};

impl<T: Config> Pallet<T> {
	/// Marks a pending slash Disputed. Only its offender may, once, before `apply_at`.
	pub(crate) fn do_dispute(
		who: T::AccountId,
		slash_id: SlashId,
		statement: StatementOf<T>,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		PendingSlashes::<T>::try_mutate(slash_id, |maybe_slash| -> DispatchResult {
			let slash = maybe_slash.as_mut().ok_or_else(|| Self::not_pending_error(slash_id))?;
			ensure!(slash.offender == who, Error::<T>::NotOffender);
			ensure!(now < slash.apply_at, Error::<T>::DisputeWindowClosed);
			ensure!(slash.dispute.is_none(), Error::<T>::AlreadyDisputed);
			slash.dispute = Some(Dispute { at: now, statement: statement.clone() });
			Ok(())
		})?;
		Self::deposit_event(Event::SlashDisputed { slash_id, offender: who, statement });
		Ok(())
	}
}
