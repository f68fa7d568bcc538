//! Closing a channel: cooperatively at once, or through a challenge window in which the
//! receiver's side submits newer balance proofs.

use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_runtime::traits::{CheckedAdd, Zero};
use warden_primitives::{ChannelId, ChannelPhase};

use crate::{
	BalanceProofOf, ChannelOf, Channels, Closer, Config, Error, Event, Pallet, Params,
	SettlementSchedule,
};

impl<T: Config> Pallet<T> {
	/// Starts the close of an open channel by one of its participants.
	///
	/// The sender's own proof only sets what it admits to owe (`transferred`); the nonce on
	/// chain stays 0, so any proof the receiver holds overrules it. The receiver's proof
	/// sets both.
	pub(crate) fn do_close(
		who: T::AccountId,
		id: ChannelId,
		proof: Option<BalanceProofOf<T>>,
	) -> DispatchResult {
		let mut channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		let closer = if who == channel.sender {
			Closer::Sender
		} else if who == channel.receiver {
			Closer::Receiver
		} else {
			return Err(Error::<T>::NotParticipant.into());
		};
		ensure!(channel.phase == ChannelPhase::Open, Error::<T>::NotOpen);

		match (closer, proof) {
			(Closer::Receiver, None) => return Err(Error::<T>::ProofRequired.into()),
			(Closer::Sender, None) => channel.transferred = Zero::zero(),
			(closer, Some(proof)) => {
				ensure!(proof.channel == id, Error::<T>::WrongChannel);
				if closer == Closer::Receiver {
					ensure!(proof.nonce > channel.nonce, Error::<T>::StaleNonce);
				}
				ensure!(proof.transferred <= channel.deposit, Error::<T>::AmountOverDeposit);
				ensure!(Self::signed_by_sender(&proof, &channel.sender), Error::<T>::BadSignature);
				if closer == Closer::Receiver {
					channel.nonce = proof.nonce;
				}
				channel.transferred = proof.transferred;
			}
		}

		let now = frame_system::Pallet::<T>::block_number();
		let settle_from =
			now.checked_add(&Params::<T>::get().challenge_period).ok_or(Error::<T>::Overflow)?;
		SettlementSchedule::<T>::schedule(settle_from, id);

		channel.phase = ChannelPhase::Closing { closed_at: now, settle_from };
		let (nonce, transferred) = (channel.nonce, channel.transferred);
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelCloseStarted {
			channel: id,
			closer,
			nonce,
			transferred,
			settle_from,
		});
		Ok(())
	}

	/// The receiver's update during the challenge window.
	pub(crate) fn do_update(
		who: T::AccountId,
		id: ChannelId,
		proof: BalanceProofOf<T>,
	) -> DispatchResult {
		let channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(channel.receiver == who, Error::<T>::NotReceiver);
		Self::apply_update(id, channel, proof)
	}

	/// Checks `proof` against a closing channel and makes it the channel's newest proof.
	/// Shared by the receiver's [`Pallet::update`] and monitors' updates. A proof newer than
	/// the channel's but for less than it records is refused: the receiver's side never
	/// lowers what she gets.
	pub(crate) fn apply_update(
		id: ChannelId,
		mut channel: ChannelOf<T>,
		proof: BalanceProofOf<T>,
	) -> DispatchResult {
		let ChannelPhase::Closing { settle_from, .. } = channel.phase else {
			return Err(Error::<T>::NotClosing.into());
		};
		ensure!(
			frame_system::Pallet::<T>::block_number() < settle_from,
			Error::<T>::ChallengePeriodOver
		);
		ensure!(proof.channel == id, Error::<T>::WrongChannel);
		ensure!(proof.nonce > channel.nonce, Error::<T>::StaleNonce);
		ensure!(proof.transferred <= channel.deposit, Error::<T>::AmountOverDeposit);
		// The receiver's side never takes less than the close already gave her, nor than an
		// earlier update: a proof the sender signed for less is older news.
		ensure!(proof.transferred >= channel.transferred, Error::<T>::TransferredWouldDecrease);
		ensure!(Self::signed_by_sender(&proof, &channel.sender), Error::<T>::BadSignature);

		channel.nonce = proof.nonce;
		channel.transferred = proof.transferred;
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelUpdated {
			channel: id,
			nonce: proof.nonce,
			transferred: proof.transferred,
		});
		Ok(())
	}

	/// Settles an open channel at once with a proof both participants signed.
	pub(crate) fn do_cooperative_close(
		who: T::AccountId,
		id: ChannelId,
		proof: BalanceProofOf<T>,
		receiver_signature: T::Signature,
	) -> DispatchResult {
		let mut channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(who == channel.sender || who == channel.receiver, Error::<T>::NotParticipant);
		ensure!(channel.phase == ChannelPhase::Open, Error::<T>::NotOpen);
		ensure!(proof.channel == id, Error::<T>::WrongChannel);
		ensure!(proof.transferred <= channel.deposit, Error::<T>::AmountOverDeposit);
		ensure!(Self::signed_by_sender(&proof, &channel.sender), Error::<T>::BadSignature);
		ensure!(
			Self::co_signed_by_receiver(&proof, &receiver_signature, &channel.receiver),
			Error::<T>::BadReceiverSignature
		);

		channel.nonce = proof.nonce;
		channel.transferred = proof.transferred;
		Self::settle_channel(id, channel)
	}
}
