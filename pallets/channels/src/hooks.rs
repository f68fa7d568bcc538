//! The per-block work: settling the channels whose challenge window is over, from the
//! settlement queue, under a [`WeightMeter`].

use frame_support::{
	storage::with_storage_layer,
	traits::Get,
	weights::{Weight, WeightMeter},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};
use warden_primitives::{
	schedule::{DrainLimits, Handled},
	ChannelPhase, OnChannelSettled,
};

use crate::{Channels, Config, Pallet, SettlementSchedule, WeightInfo, LOG_TARGET};

impl<T: Config> Pallet<T> {
	/// The whole `on_initialize`: settles queued channels whose window ended by `now`,
	/// oldest first, at most [`Config::MaxSettlementsPerBlock`] and within the settlement
	/// budget. What doesn't fit stays queued, in order, for the next blocks.
	pub(crate) fn do_on_initialize(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(Self::settlement_budget());
		let limits = DrainLimits {
			max_items: T::MaxSettlementsPerBlock::get(),
			per_block: T::WeightInfo::on_initialize_idle(),
			per_item: Self::settlement_item_weight(),
		};
		SettlementSchedule::<T>::drain(now, &mut meter, limits, |_, id| {
			let Some(channel) = Channels::<T>::get(id) else {
				// Settled by hand with `settle`.
				return Handled::Stale(T::DbWeight::get().reads_writes(2, 1));
			};
			match channel.phase {
				ChannelPhase::Closing { settle_from, .. } if settle_from <= now => {
					let settled = with_storage_layer(|| Self::settle_channel(id, channel));
					if let Err(error) = settled {
						// The channel stays closing and is tried again in the next block;
						// `settle` can still settle it by hand.
						log::error!(target: LOG_TARGET, "settling channel {id} failed: {error:?}");
						SettlementSchedule::<T>::schedule(now.saturating_add(One::one()), id);
					}
					Handled::Done(limits.per_item)
				}
				_ => Handled::Stale(T::DbWeight::get().reads_writes(2, 1)),
			}
		});
		meter.consumed()
	}

	/// The most weight one block spends settling queued channels: a full block's worth of
	/// settlements and the look at their block, and the look at the next block.
	pub(crate) fn settlement_budget() -> Weight {
		let look = T::WeightInfo::on_initialize_idle();
		Self::settlement_item_weight()
			.saturating_add(look)
			.saturating_mul(T::MaxSettlementsPerBlock::get().into())
			.saturating_add(look)
	}

	/// The weight of settling one queued channel.
	pub(crate) fn settlement_item_weight() -> Weight {
		T::WeightInfo::on_initialize_settle()
			.saturating_add(T::OnSettled::on_channel_settled_weight())
	}
}
