//! The channels pallet's types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use warden_primitives::{schedule::DueQueue, BalanceProof, ChannelId, ChannelParams, ChannelPhase};

use crate::{Config, SettlementCursor, SettlementTails, Settlements};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A balance proof as the pallet's calls take it.
pub type BalanceProofOf<T> = BalanceProof<BalanceOf<T>, <T as Config>::Signature>;

/// A channel as stored.
pub type ChannelOf<T> =
	Channel<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// The runtime parameters as stored.
pub type ParamsOf<T> = ChannelParams<BlockNumberFor<T>, BalanceOf<T>>;

/// A unidirectional payment channel: `sender` pays `receiver` off-chain with balance
/// proofs backed by `deposit`, held on the sender's account.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Channel<AccountId, Balance, BlockNumber> {
	/// Who pays, and whose deposit is held.
	pub sender: AccountId,
	/// Who is paid.
	pub receiver: AccountId,
	/// What the sender holds for the channel; only grows until settlement.
	pub deposit: Balance,
	/// The nonce of the newest balance proof submitted for the receiver; 0 if none.
	pub nonce: u64,
	/// What the receiver gets at settlement; never above `deposit`.
	pub transferred: Balance,
	/// Open, or closing with its challenge window.
	pub phase: ChannelPhase<BlockNumber>,
}

/// Who started a close.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Closer {
	/// The sender, with its own proof or none.
	Sender,
	/// The receiver, with a proof.
	Receiver,
}

/// The settlement queue of closing channels.
pub type SettlementSchedule<T> =
	DueQueue<BlockNumberFor<T>, ChannelId, Settlements<T>, SettlementTails<T>, SettlementCursor<T>>;
