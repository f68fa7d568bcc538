//! The invariants `try_state` checks.

use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{traits::Saturating, TryRuntimeError};
use warden_primitives::ChannelPhase;

use crate::{
	BalanceOf, Channels, Config, HoldReason, NextChannelId, NextSettlementBlock, Pallet, Params,
	SettlementCount, SettlementQueue,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - what each sender holds for channels equals the deposits of its channels;
	/// - every channel id is below [`NextChannelId`]; `transferred` never exceeds the
	///   deposit; an open channel has no proof on chain yet;
	/// - the settlement queue and its counts agree; every queued channel is closing with
	///   that `settle_from`; every closing channel whose window ends at or after the
	///   cursor is queued; nothing is queued before the cursor;
	/// - the parameters are valid.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::validate_params(&Params::<T>::get())
			.map_err(|_| TryRuntimeError::Other("invalid channel parameters"))?;

		let next_id = NextChannelId::<T>::get();
		let cursor = NextSettlementBlock::<T>::get();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, channel) in Channels::<T>::iter() {
			ensure!(id < next_id, "channel id at or above NextChannelId");
			ensure!(channel.transferred <= channel.deposit, "channel transfers over its deposit");
			match channel.phase {
				ChannelPhase::Open => {
					ensure!(channel.nonce == 0, "open channel with a nonce");
					ensure!(channel.transferred == 0u32.into(), "open channel with a transfer");
				}
				ChannelPhase::Closing { closed_at, settle_from } => {
					ensure!(closed_at < settle_from, "challenge window ends before it starts");
					if settle_from >= cursor {
						ensure!(
							SettlementQueue::<T>::contains_key(settle_from, id),
							"closing channel missing from the settlement queue"
						);
					}
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

		let mut counted: BTreeMap<_, u32> = BTreeMap::new();
		for (block, id, ()) in SettlementQueue::<T>::iter() {
			ensure!(block >= cursor, "settlement queued before the cursor");
			let channel = Channels::<T>::get(id).ok_or("queued channel doesn't exist")?;
			match channel.phase {
				ChannelPhase::Closing { settle_from, .. } => ensure!(
					settle_from == block,
					"channel queued at another block than its settle_from"
				),
				ChannelPhase::Open => return Err("open channel in the settlement queue".into()),
			}
			let count = counted.entry(block).or_default();
			*count = count.saturating_add(1);
		}
		for (block, count) in SettlementCount::<T>::iter() {
			ensure!(count > 0, "zero settlement count stored");
			ensure!(count <= T::MaxSettlementsPerBlock::get(), "settlement count over the bound");
			ensure!(
				counted.remove(&block) == Some(count),
				"settlement count differs from the queue"
			);
		}
		ensure!(counted.is_empty(), "queued settlements without a count");
		Ok(())
	}
}
