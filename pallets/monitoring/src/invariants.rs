//! The invariants `try_state` checks.

use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};
use warden_primitives::ChannelUpdate;

use crate::{BalanceOf, Config, Escrows, HoldReason, Monitors, Pallet, Params};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	///
	/// - each monitor's held registration deposit equals its recorded deposit, which is
	///   non-zero;
	/// - what each funder holds as monitoring escrow equals the sum of its escrows;
	/// - every escrow holds something, and at least the reward of its standing update while
	///   that reward is owed;
	/// - an escrow's funder is its channel's receiver while the channel exists, and an
	///   escrow is marked settled exactly when its channel is gone;
	/// - the parameters are valid.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::validate_params(&Params::<T>::get())
			.map_err(|_| TryRuntimeError::Other("invalid monitoring parameters"))?;

		for (monitor, registration) in Monitors::<T>::iter() {
			ensure!(!registration.deposit.is_zero(), "monitor without a deposit");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::MonitorDeposit.into(), &monitor)
					== registration.deposit,
				"held monitor deposit differs from the registry"
			);
		}

		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (channel, escrow) in Escrows::<T>::iter() {
			ensure!(!escrow.amount.is_zero(), "empty escrow kept");
			// A standing update superseded at settlement is owed nothing, so the funder may
			// withdraw below its reward.
			if let Some(standing) = escrow.standing.as_ref().filter(|_| Self::reward_owed(&escrow))
			{
				ensure!(standing.reward <= escrow.amount, "owed reward above the escrow");
			}
			match T::Channels::receiver(channel) {
				Some(receiver) => {
					ensure!(
						receiver == escrow.funder,
						"escrow funded by someone else than the receiver"
					);
					ensure!(escrow.settled_nonce.is_none(), "live channel's escrow marked settled");
				}
				None => {
					ensure!(escrow.settled_nonce.is_some(), "settled channel's escrow not marked")
				}
			}
			let sum = held.entry(escrow.funder.clone()).or_default();
			*sum = sum.saturating_add(escrow.amount);
		}
		for (funder, escrowed) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::MonitoringEscrow.into(), &funder)
					== escrowed,
				"held escrow differs from the escrows"
			);
		}
		Ok(())
	}
}
