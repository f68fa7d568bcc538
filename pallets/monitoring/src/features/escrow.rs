//! The per-channel monitoring escrow: funding and withdrawal.

use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};
use warden_primitives::{ChannelId, ChannelUpdate};

use crate::{BalanceOf, Config, Error, Escrow, EscrowOf, Escrows, Event, HoldReason, Pallet};

impl<T: Config> Pallet<T> {
	/// Adds `amount` to the escrow of `channel`, held on `who`, its receiver.
	pub(crate) fn do_fund_monitoring(
		who: T::AccountId,
		channel: ChannelId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let receiver = T::Channels::receiver(channel).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(receiver == who, Error::<T>::NotReceiver);
		let mut escrow = Escrows::<T>::get(channel).unwrap_or(Escrow {
			funder: who.clone(),
			amount: Zero::zero(),
			standing: None,
			settled_nonce: None,
		});
		let total = escrow.amount.checked_add(&amount).ok_or(Error::<T>::Overflow)?;

		T::Currency::hold(&HoldReason::MonitoringEscrow.into(), &who, amount)?;
		escrow.amount = total;
		Escrows::<T>::insert(channel, escrow);
		Self::deposit_event(Event::EscrowFunded { channel, funder: who, amount, escrow: total });
		Ok(())
	}

	/// Returns `amount` of the escrow of `channel` to `who`, its funder, if no reward is
	/// owed from it. An emptied escrow is removed.
	pub(crate) fn do_withdraw_escrow(
		who: T::AccountId,
		channel: ChannelId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut escrow = Escrows::<T>::get(channel).ok_or(Error::<T>::NoEscrow)?;
		ensure!(escrow.funder == who, Error::<T>::NotFunder);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!Self::reward_owed(&escrow), Error::<T>::RewardOwed);
		ensure!(amount <= escrow.amount, Error::<T>::AmountOverEscrow);

		T::Currency::release(&HoldReason::MonitoringEscrow.into(), &who, amount, Precision::Exact)?;
		escrow.amount = escrow.amount.saturating_sub(amount);
		let left = escrow.amount;
		if left.is_zero() {
			Escrows::<T>::remove(channel);
		} else {
			Escrows::<T>::insert(channel, escrow);
		}
		Self::deposit_event(Event::EscrowWithdrawn { channel, funder: who, amount, escrow: left });
		Ok(())
	}

	/// Whether a monitor's reward is owed from `escrow`: a monitor update stands (at
	/// settlement, only one the channel settled paying what it paid is kept).
	pub fn reward_owed(escrow: &EscrowOf<T>) -> bool {
		escrow.standing.is_some()
	}
}
