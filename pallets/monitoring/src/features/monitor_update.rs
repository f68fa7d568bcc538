//! A monitor submits the receiver's newest balance proof for an authorized reward.
//!
//! A monitor is paid only for help: its proof must raise what the receiver gets above what
//! the channel already records (the sender's admission at close, or an earlier update).
//! An authorization may name the monitor that may use it; then no other monitor can copy
//! a pending update and take the reward, and the named monitor may act from the start of
//! the challenge window, without waiting for its slot.

use frame_support::{ensure, pallet_prelude::DispatchResult, traits::fungible::Inspect};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{ChannelPhase, ChannelUpdate, PairMismatch};

use crate::{
	BalanceProofOf, Config, Error, Escrows, Event, Monitors, Pallet, RewardAuthorizationOf,
	StandingUpdate,
};

impl<T: Config> Pallet<T> {
	/// Checks the monitor, its slot, the authorization and the escrow, submits `proof`
	/// through [`Config::Channels`], and records the update as the channel's standing one.
	pub(crate) fn do_monitor_update(
		monitor: T::AccountId,
		proof: BalanceProofOf<T>,
		authorization: RewardAuthorizationOf<T>,
		payout: T::AccountId,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let registration = Monitors::<T>::get(&monitor).ok_or(Error::<T>::NotMonitor)?;
		ensure!(registration.release_at.is_none(), Error::<T>::MonitorUnregistering);
		ensure!(now <= registration.valid_until, Error::<T>::MonitorExpired);

		let channel = proof.channel;
		let phase = T::Channels::phase(channel).ok_or(Error::<T>::UnknownChannel)?;
		let ChannelPhase::Closing { closed_at, settle_from } = phase else {
			return Err(Error::<T>::ChannelNotClosing.into());
		};
		ensure!(now < settle_from, Error::<T>::ChallengePeriodOver);
		// The authorization goes with exactly this proof and may be used by this monitor.
		authorization.check_pair::<T::Hashing, _>(&proof, &monitor).map_err(|mismatch| {
			match mismatch {
				PairMismatch::NotNamedMonitor => Error::<T>::NotNamedMonitor,
				PairMismatch::Channel => Error::<T>::AuthorizationChannelMismatch,
				PairMismatch::Nonce => Error::<T>::AuthorizationNonceMismatch,
				PairMismatch::Proof => Error::<T>::AuthorizationProofMismatch,
			}
		})?;
		let named = authorization.monitor.is_some();
		if !named {
			let period = settle_from.saturating_sub(closed_at);
			let slot = closed_at.saturating_add(Self::slot_offset(channel, &monitor, period));
			ensure!(now >= slot, Error::<T>::BeforeSlot);
		}
		let on_chain = T::Channels::current_nonce(channel).unwrap_or_default();
		ensure!(proof.nonce > on_chain, Error::<T>::StaleNonce);
		let transferred = T::Channels::transferred(channel).unwrap_or_default();
		ensure!(proof.transferred > transferred, Error::<T>::NoImprovement);

		let mut escrow = Escrows::<T>::get(channel).ok_or(Error::<T>::NoEscrow)?;
		let reward = authorization.reward;
		ensure!(reward <= escrow.amount, Error::<T>::RewardOverEscrow);
		ensure!(
			reward.is_zero() || reward >= T::Currency::minimum_balance(),
			Error::<T>::RewardBelowMinimum
		);
		let receiver = T::Channels::receiver(channel).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(
			authorization.is_signed_by(Self::genesis_hash(), &receiver),
			Error::<T>::BadAuthorizationSignature
		);

		let (nonce, proof_transferred) = (proof.nonce, proof.transferred);
		T::Channels::update_for_receiver(channel, proof)?;

		let superseded = escrow
			.standing
			.replace(StandingUpdate {
				monitor: monitor.clone(),
				payout: payout.clone(),
				reward,
				nonce,
				transferred: proof_transferred,
			})
			.map(|previous| previous.monitor);
		Escrows::<T>::insert(channel, escrow);
		Self::deposit_event(Event::MonitorUpdateAccepted {
			channel,
			monitor,
			payout,
			nonce,
			reward,
			superseded,
		});
		Ok(())
	}

	/// The chain's genesis hash, which every signed payload names.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}
}
