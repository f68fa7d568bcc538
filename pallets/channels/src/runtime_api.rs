//! The answers to the [`ChannelsApi`](warden_primitives::ChannelsApi) runtime API.

use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::{ChannelId, ChannelInfo, MAX_CHANNELS_PER_QUERY};

use crate::{BalanceOf, ChannelOf, Channels, ChannelsOf, Config, Pallet, Params, ParamsOf};

/// A channel as the runtime API returns it.
pub type ChannelInfoOf<T> =
	ChannelInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// The channel `id`, if it exists.
	pub fn channel_info(id: ChannelId) -> Option<ChannelInfoOf<T>> {
		Channels::<T>::get(id).map(|channel| Self::info(id, channel))
	}

	/// The channels `who` is a party of, in storage order, after `start_after` if given: at
	/// most `min(max, MAX_CHANNELS_PER_QUERY)`. Pass the last id returned to get the next
	/// page.
	pub fn channels_of(
		who: &T::AccountId,
		start_after: Option<ChannelId>,
		max: u32,
	) -> Vec<ChannelInfoOf<T>> {
		let ids = match start_after {
			Some(after) => ChannelsOf::<T>::iter_key_prefix_from(
				who,
				ChannelsOf::<T>::hashed_key_for(who, after),
			),
			None => ChannelsOf::<T>::iter_key_prefix(who),
		};
		ids.take(max.min(MAX_CHANNELS_PER_QUERY) as usize)
			.filter_map(|id| Self::channel_info(id))
			.collect()
	}

	/// The parameters in force.
	pub fn channel_params() -> ParamsOf<T> {
		Params::<T>::get()
	}

	fn info(id: ChannelId, channel: ChannelOf<T>) -> ChannelInfoOf<T> {
		ChannelInfo {
			id,
			sender: channel.sender,
			receiver: channel.receiver,
			deposit: channel.deposit,
			nonce: channel.nonce,
			transferred: channel.transferred,
			phase: channel.phase,
		}
	}
}
