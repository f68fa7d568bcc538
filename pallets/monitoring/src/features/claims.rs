//! After settlement: learning the final nonce, and paying the escrow out exactly once.

use frame_support::{
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
	weights::Weight,
};
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{ChannelId, OnChannelSettled};

use crate::{Config, Error, Escrows, Event, HoldReason, Pallet, WeightInfo};

impl<T: Config> OnChannelSettled for Pallet<T> {
	fn on_channel_settled(channel: ChannelId, final_nonce: u64) {
		Escrows::<T>::mutate(channel, |escrow| {
			if let Some(escrow) = escrow {
				escrow.settled_nonce = Some(final_nonce);
				Self::deposit_event(Event::EscrowClaimable { channel, final_nonce });
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
		let final_nonce = escrow.settled_nonce.ok_or(Error::<T>::NotSettled)?;
		let reason = HoldReason::MonitoringEscrow.into();

		let mut rest = escrow.amount;
		if let Some(standing) = escrow.standing.filter(|standing| standing.nonce == final_nonce) {
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
