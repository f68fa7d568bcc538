//! The channels pallet's types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use warden_primitives::{BalanceProof, ChannelPhase};

use crate::Config;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A balance proof as the pallet's calls take it.
pub type BalanceProofOf<T> =
	BalanceProof<warden_primitives::ChannelId, BalanceOf<T>, <T as Config>::Signature>;

/// A channel as stored.
pub type ChannelOf<T> =
	Channel<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// The runtime parameters as stored.
pub type ChannelParamsOf<T> = ChannelParams<BlockNumberFor<T>, BalanceOf<T>>;

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

/// The channels parameters governance may change.
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
pub struct ChannelParams<BlockNumber, Balance> {
	/// How many blocks a close stays open to updates before the channel can settle.
	/// Applies to closes started after it is set. Non-zero.
	pub challenge_period: BlockNumber,
	/// The smallest deposit a channel may be opened with. Non-zero.
	pub min_deposit: Balance,
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
