//! Settling channels: by hand once the challenge window is over, or by `on_initialize`
//! from the per-block settlement queue.

use frame_support::traits::Get;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
	weights::{Weight, WeightMeter},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{ChannelId, ChannelPhase, OnChannelSettled};

use crate::{
	ChannelOf, Channels, Config, Error, Event, HoldReason, NextSettlementBlock, Pallet,
	SettlementCount, SettlementQueue, WeightInfo, LOG_TARGET,
};

impl<T: Config> Pallet<T> {
	/// Settles a closing channel whose challenge window is over.
	pub(crate) fn do_settle(id: ChannelId) -> DispatchResult {
		let channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		let ChannelPhase::Closing { settle_from, .. } = channel.phase else {
			return Err(Error::<T>::NotClosing.into());
		};
		ensure!(
			frame_system::Pallet::<T>::block_number() >= settle_from,
			Error::<T>::ChallengePeriodActive
		);
		Self::dequeue(settle_from, id);
		Self::settle_channel(id, channel)
	}

	/// Removes `id` from the settlement queue of `block`, if it is there.
	pub(crate) fn dequeue(block: BlockNumberFor<T>, id: ChannelId) {
		if SettlementQueue::<T>::take(block, id).is_some() {
			let left = SettlementCount::<T>::get(block).saturating_sub(1);
			if left == 0 {
				SettlementCount::<T>::remove(block);
			} else {
				SettlementCount::<T>::insert(block, left);
			}
		}
	}

	/// Pays a channel out and removes it: `transferred` to the receiver, the rest of the
	/// deposit back to the sender. Tells [`Config::OnSettled`] the final nonce.
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
		T::OnSettled::on_channel_settled(id, channel.nonce);
		Self::deposit_event(Event::ChannelSettled {
			channel: id,
			nonce: channel.nonce,
			to_receiver,
			to_sender,
		});
		Ok(())
	}

	/// The most weight one block spends settling queued channels: a full block's queue,
	/// each channel with the probe that finds it, and the probe that finds the queue empty.
	pub(crate) fn settlement_budget() -> Weight {
		let probe = T::WeightInfo::on_initialize_idle();
		Self::settlement_item_weight()
			.saturating_add(probe)
			.saturating_mul(T::MaxSettlementsPerBlock::get().into())
			.saturating_add(probe)
	}

	/// The weight of settling one queued channel.
	pub(crate) fn settlement_item_weight() -> Weight {
		T::WeightInfo::on_initialize_settle()
			.saturating_add(T::OnSettled::on_channel_settled_weight())
	}

	/// Settles queued channels whose window ended by `now`, oldest first, within the
	/// settlement budget. What doesn't fit stays queued for the next blocks.
	pub(crate) fn settle_due_channels(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(Self::settlement_budget());
		let probe = T::WeightInfo::on_initialize_idle();
		let item = Self::settlement_item_weight();
		let mut cursor = NextSettlementBlock::<T>::get();

		while cursor <= now {
			if meter.try_consume(probe).is_err() {
				break;
			}
			let Some(id) = SettlementQueue::<T>::iter_key_prefix(cursor).next() else {
				SettlementCount::<T>::remove(cursor);
				cursor.saturating_inc();
				continue;
			};
			if meter.try_consume(item).is_err() {
				break;
			}
			Self::dequeue(cursor, id);
			let settled = with_storage_layer(|| match Channels::<T>::get(id) {
				Some(channel) => Self::settle_channel(id, channel),
				None => Ok(()),
			});
			if let Err(error) = settled {
				// The channel stays closing; `settle` can still settle it by hand.
				log::error!(target: LOG_TARGET, "settling channel {id} failed: {error:?}");
			}
		}

		NextSettlementBlock::<T>::put(cursor);
		// Reading and writing the cursor.
		meter.consumed().saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
}
