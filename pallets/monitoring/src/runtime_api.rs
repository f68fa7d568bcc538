//! The answers to the [`MonitoringApi`](warden_primitives::MonitoringApi) runtime API.

use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use warden_primitives::{ChannelId, ChannelPhase, ChannelUpdate};

use crate::{BalanceOf, Config, Escrows, Pallet};

impl<T: Config> Pallet<T> {
	/// The first block at which `monitor` may submit an update for `channel`, or `None`
	/// if the channel isn't closing.
	pub fn first_allowed_block(
		channel: ChannelId,
		monitor: &T::AccountId,
	) -> Option<BlockNumberFor<T>> {
		match T::Channels::phase(channel)? {
			ChannelPhase::Closing { closed_at, settle_from } => {
				let period = settle_from.saturating_sub(closed_at);
				Some(closed_at.saturating_add(Self::slot_offset(channel, monitor, period)))
			}
			ChannelPhase::Open => None,
		}
	}

	/// What the escrow of `channel` holds (zero if it has none).
	pub fn escrow_balance(channel: ChannelId) -> BalanceOf<T> {
		Escrows::<T>::get(channel).map(|escrow| escrow.amount).unwrap_or_default()
	}
}
