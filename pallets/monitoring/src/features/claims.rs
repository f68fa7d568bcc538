//! After settlement: learning the final nonce, and paying the escrow out exactly once.

use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
	weights::Weight,
};
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{ChannelId, OnChannelSettled};

use crate::{BalanceOf, Config, Error, Escrows, Event, HoldReason, Pallet, WeightInfo};

impl<T: Config> OnChannelSettled<BalanceOf<T>> for Pallet<T> {
	fn on_channel_settled(channel: ChannelId, final_nonce: u64, final_transferred: BalanceOf<T>) {
		Escrows::<T>::mutate(channel, |escrow| {
			if let Some(escrow) = escrow {
				// The standing update is rewarded if the channel settles paying what it paid:
				// its monitor brought the channel to its final amount first, and a newer
				// proof for the same amount (the receiver's) doesn't take that away. A proof
				// for more did the work instead: then no monitor is owed.
				if escrow.standing.as_ref().is_some_and(|s| s.transferred != final_transferred) {
					escrow.standing = None;
				}
				escrow.settled_nonce = Some(final_nonce);
				let rewarded = escrow.standing.as_ref().map(|standing| standing.monitor.clone());
				Self::deposit_event(Event::EscrowClaimable { channel, final_nonce, rewarded });
			}
		});
	}

	fn on_channel_settled_weight() -> Weight {
		T::WeightInfo::on_channel_settled()
	}
}

impl<T: Config> Pallet<T> {
	/// Pays out the escrow of a settled channel and removes it: the standing monitor's
	/// reward to its payout address, the rest to the funder.
	pub(crate) fn do_claim_reward(channel: ChannelId) -> DispatchResult {
		let escrow = Escrows::<T>::get(channel).ok_or(Error::<T>::NoEscrow)?;
		ensure!(escrow.settled_nonce.is_some(), Error::<T>::NotSettled);
		let reason = HoldReason::MonitoringEscrow.into();

		let mut rest = escrow.amount;
		// At settlement only a rewarded update was kept standing.
		if let Some(standing) = escrow.standing {
			let reward = standing.reward.min(escrow.amount);
			// Rewards below the existential deposit are refused on submission, so a payout
			// account can always be created; the check only guards against the impossible.
			let paid = if reward.is_zero()
				|| T::Currency::can_deposit(&standing.payout, reward, Provenance::Extant)
					!= DepositConsequence::Success
			{
				Zero::zero()
			} else {
				// The reward is owed: it moves even if the funder froze its balance.
				T::Currency::transfer_on_hold(
					&reason,
					&escrow.funder,
					&standing.payout,
					reward,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?
			};
			rest = rest.saturating_sub(paid);
			Self::deposit_event(Event::RewardClaimed {
				channel,
				monitor: standing.monitor,
				payout: standing.payout,
				amount: paid,
			});
		}
		if !rest.is_zero() {
			T::Currency::release(&reason, &escrow.funder, rest, Precision::Exact)?;
		}
		Escrows::<T>::remove(channel);
		Self::deposit_event(Event::EscrowReturned { channel, funder: escrow.funder, amount: rest });
		Ok(())
	}
}
