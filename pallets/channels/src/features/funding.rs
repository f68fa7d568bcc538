//! Opening a channel and topping up its deposit.

use frame_support::{ensure, pallet_prelude::DispatchResult, traits::fungible::MutateHold};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	DispatchError,
};
use warden_primitives::{ChannelId, ChannelPhase};

use crate::{
	BalanceOf, Channel, Channels, ChannelsOf, Config, Error, Event, HoldReason, NextChannelId,
	Pallet, Params,
};

impl<T: Config> Pallet<T> {
	/// Opens a channel from `sender` to `receiver` and holds `deposit` on the sender.
	pub(crate) fn do_open(
		sender: T::AccountId,
		receiver: T::AccountId,
		deposit: BalanceOf<T>,
	) -> Result<ChannelId, DispatchError> {
		ensure!(sender != receiver, Error::<T>::ReceiverIsSender);
		ensure!(deposit >= Params::<T>::get().min_deposit, Error::<T>::DepositTooLow);

		let id = NextChannelId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;

		T::Currency::hold(&HoldReason::ChannelDeposit.into(), &sender, deposit)?;
		NextChannelId::<T>::put(next);
		Channels::<T>::insert(
			id,
			Channel {
				sender: sender.clone(),
				receiver: receiver.clone(),
				deposit,
				nonce: 0,
				transferred: Zero::zero(),
				phase: ChannelPhase::Open,
			},
		);
		ChannelsOf::<T>::insert(&sender, id, ());
		ChannelsOf::<T>::insert(&receiver, id, ());
		Self::deposit_event(Event::ChannelOpened { channel: id, sender, receiver, deposit });
		Ok(id)
	}

	/// Adds `amount` to an open channel's deposit; `who` must be its sender.
	pub(crate) fn do_top_up(
		who: T::AccountId,
		id: ChannelId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(channel.sender == who, Error::<T>::NotSender);
		ensure!(channel.phase == ChannelPhase::Open, Error::<T>::NotOpen);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let deposit = channel.deposit.checked_add(&amount).ok_or(Error::<T>::Overflow)?;

		T::Currency::hold(&HoldReason::ChannelDeposit.into(), &who, amount)?;
		channel.deposit = deposit;
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelToppedUp { channel: id, amount, deposit });
		Ok(())
	}
}
