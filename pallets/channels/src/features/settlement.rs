//! Settling channels: by hand once the challenge window is over, or by `on_initialize`
//! from the settlement queue (`hooks.rs`).

use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
};
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{ChannelId, ChannelPhase, OnChannelSettled};

use crate::{ChannelOf, Channels, ChannelsOf, Config, Error, Event, HoldReason, Pallet};

impl<T: Config> Pallet<T> {
	/// Settles a closing channel whose challenge window is over. Its queue entry is left
	/// behind, and dropped as stale when the hook reaches it.
	pub(crate) fn do_settle(id: ChannelId) -> DispatchResult {
		let channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		let ChannelPhase::Closing { settle_from, .. } = channel.phase else {
			return Err(Error::<T>::NotClosing.into());
		};
		ensure!(
			frame_system::Pallet::<T>::block_number() >= settle_from,
			Error::<T>::ChallengePeriodActive
		);
		Self::settle_channel(id, channel)
	}

	/// Pays a channel out and removes it: `transferred` to the receiver, the rest of the
	/// deposit back to the sender. Tells [`Config::OnSettled`] the final nonce and amount.
	///
	/// An amount the receiver's account can't take (less than the existential deposit, for
	/// an account that doesn't exist) goes back to the sender instead: refusing it would
	/// leave the whole deposit stuck.
	pub(crate) fn settle_channel(id: ChannelId, channel: ChannelOf<T>) -> DispatchResult {
		let reason = HoldReason::ChannelDeposit.into();
		let mut to_receiver = Zero::zero();
		if !channel.transferred.is_zero()
			&& T::Currency::can_deposit(&channel.receiver, channel.transferred, Provenance::Extant)
				== DepositConsequence::Success
		{
			// Held funds owed to the receiver move even if the sender froze its balance.
			to_receiver = T::Currency::transfer_on_hold(
				&reason,
				&channel.sender,
				&channel.receiver,
				channel.transferred,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		let rest = channel.deposit.saturating_sub(to_receiver);
		let to_sender = if rest.is_zero() {
			Zero::zero()
		} else {
			T::Currency::release(&reason, &channel.sender, rest, Precision::Exact)?
		};

		Channels::<T>::remove(id);
		ChannelsOf::<T>::remove(&channel.sender, id);
		ChannelsOf::<T>::remove(&channel.receiver, id);
		T::OnSettled::on_channel_settled(id, channel.nonce, channel.transferred);
		Self::deposit_event(Event::ChannelSettled {
			channel: id,
			nonce: channel.nonce,
			to_receiver,
			to_sender,
		});
		Ok(())
	}
}
