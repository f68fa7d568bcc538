//! What the channels pallet offers other pallets: [`ChannelUpdate`] for the monitoring
//! pallet, and the helper its benchmarks use.

use frame_support::pallet_prelude::DispatchResult;
use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::{ChannelId, ChannelPhase, ChannelUpdate};

use crate::{BalanceOf, BalanceProofOf, Channels, Config, Error, Pallet};

impl<T: Config> ChannelUpdate<T::AccountId, BalanceOf<T>, BlockNumberFor<T>, BalanceProofOf<T>>
	for Pallet<T>
{
	fn receiver(channel: ChannelId) -> Option<T::AccountId> {
		Channels::<T>::get(channel).map(|channel| channel.receiver)
	}

	fn phase(channel: ChannelId) -> Option<ChannelPhase<BlockNumberFor<T>>> {
		Channels::<T>::get(channel).map(|channel| channel.phase)
	}

	fn current_nonce(channel: ChannelId) -> Option<u64> {
		Channels::<T>::get(channel).map(|channel| channel.nonce)
	}

	fn transferred(channel: ChannelId) -> Option<BalanceOf<T>> {
		Channels::<T>::get(channel).map(|channel| channel.transferred)
	}

	fn update_for_receiver(id: ChannelId, proof: BalanceProofOf<T>) -> DispatchResult {
		let channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		Self::apply_update(id, channel, proof)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> warden_primitives::ChannelBenchmarkHelper<T::AccountId, crate::BalanceOf<T>>
	for Pallet<T>
{
	fn open_channel(
		sender: &T::AccountId,
		receiver: &T::AccountId,
		deposit: crate::BalanceOf<T>,
	) -> Result<ChannelId, sp_runtime::DispatchError> {
		Self::do_open(sender.clone(), receiver.clone(), deposit)
	}

	fn start_close(channel: ChannelId) -> DispatchResult {
		let sender = Channels::<T>::get(channel).ok_or(Error::<T>::UnknownChannel)?.sender;
		Self::do_close(sender, channel, None)
	}

	fn settle_now(id: ChannelId) -> DispatchResult {
		let channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		Self::settle_channel(id, channel)
	}
}
