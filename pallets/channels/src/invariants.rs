//! The invariants `try_state` checks.

use alloc::collections::btree_map::BTreeMap;
use alloc::vec::Vec;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Saturating, TryRuntimeError};
use warden_primitives::ChannelPhase;

use crate::{
	BalanceOf, Channels, ChannelsOf, Config, HoldReason, NextChannelId, Pallet, Params,
	SettlementSchedule,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - what each sender holds for channels equals the deposits of its channels;
	/// - every channel id is below [`NextChannelId`]; `transferred` never exceeds the
	///   deposit; an open channel has no proof on chain yet;
	/// - [`ChannelsOf`] lists exactly the sender and the receiver of every channel;
	/// - the settlement queue is well formed, and every closing channel is queued at its
	///   `settle_from` or later (entries of channels settled by hand are stale);
	/// - the parameters are valid.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::validate_params(&Params::<T>::get())
			.map_err(|_| TryRuntimeError::Other("invalid channel parameters"))?;

		let next_id = NextChannelId::<T>::get();
		let mut closing = Vec::new();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut parties = 0usize;
		for (id, channel) in Channels::<T>::iter() {
			ensure!(
				ChannelsOf::<T>::contains_key(&channel.sender, id)
					&& ChannelsOf::<T>::contains_key(&channel.receiver, id),
				"a channel missing from its parties' ChannelsOf"
			);
			parties = parties.saturating_add(2);
			ensure!(id < next_id, "channel id at or above NextChannelId");
			ensure!(channel.transferred <= channel.deposit, "channel transfers over its deposit");
			match channel.phase {
				ChannelPhase::Open => {
					ensure!(channel.nonce == 0, "open channel with a nonce");
					ensure!(channel.transferred == 0u32.into(), "open channel with a transfer");
				}
				ChannelPhase::Closing { closed_at, settle_from } => {
					ensure!(closed_at < settle_from, "challenge window ends before it starts");
					closing.push((id, settle_from));
				}
			}
			let sum = held.entry(channel.sender.clone()).or_default();
			*sum = sum.saturating_add(channel.deposit);
		}
		for (sender, deposits) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ChannelDeposit.into(), &sender)
					== deposits,
				"held channel deposits differ from the channels' deposits"
			);
		}

		ensure!(
			ChannelsOf::<T>::iter().count() == parties,
			"ChannelsOf lists a channel that is gone"
		);

		SettlementSchedule::<T>::check()?;
		SettlementSchedule::<T>::check_scheduled(closing)?;
		Ok(())
	}
}
