//! The monitoring pallet's types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible::Inspect, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use warden_primitives::{BalanceProof, MonitoringParams, RewardAuthorization};

use crate::Config;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A balance proof as `monitor_update` takes it.
pub type BalanceProofOf<T> = BalanceProof<BalanceOf<T>, <T as Config>::Signature>;

/// A reward authorization as `monitor_update` takes it.
pub type RewardAuthorizationOf<T> = RewardAuthorization<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	<T as frame_system::Config>::Hash,
	<T as Config>::Signature,
>;

/// A monitor's endpoint: the URL of its public API, at most [`Config::MaxEndpointLen`]
/// bytes.
pub type EndpointOf<T> = BoundedVec<u8, <T as Config>::MaxEndpointLen>;

/// A registered monitor as stored.
pub type MonitorOf<T> = Monitor<BalanceOf<T>, BlockNumberFor<T>, EndpointOf<T>>;

/// An escrow as stored.
pub type EscrowOf<T> = Escrow<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// The runtime parameters as stored.
pub type ParamsOf<T> = MonitoringParams<BalanceOf<T>, BlockNumberFor<T>>;

/// A registered monitor.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Monitor<Balance, BlockNumber, Endpoint> {
	/// What the monitor holds as its registration deposit.
	pub deposit: Balance,
	/// The last block the registration is valid; `renew_monitor` extends it.
	pub valid_until: BlockNumber,
	/// Set once the monitor unregistered: the first block its deposit may be released.
	/// An unregistering monitor may not submit updates.
	pub release_at: Option<BlockNumber>,
	/// Where its public API listens (a URL), so channel parties can hand it their proofs.
	/// Covered by its deposit.
	pub endpoint: Endpoint,
}

/// The monitor update that currently stands for a channel, and what it earns.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct StandingUpdate<AccountId, Balance> {
	/// The monitor that submitted it.
	pub monitor: AccountId,
	/// Where its reward goes.
	pub payout: AccountId,
	/// The reward the receiver authorized for it.
	pub reward: Balance,
	/// The nonce of the proof it submitted.
	pub nonce: u64,
	/// What that proof pays the receiver. The update is rewarded at settlement if the
	/// channel settles paying this much: the monitor brought it to its final amount first,
	/// whatever newer proof for the same amount followed.
	pub transferred: Balance,
}

/// The monitoring escrow of one channel, held on the funder's (the receiver's) account.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Escrow<AccountId, Balance> {
	/// Who funded it: the channel's receiver.
	pub funder: AccountId,
	/// What it holds.
	pub amount: Balance,
	/// The newest monitor update of the channel, if a monitor submitted one.
	pub standing: Option<StandingUpdate<AccountId, Balance>>,
	/// Set when the channel settled: the nonce it settled with. From then on
	/// `claim_reward` pays the escrow out.
	pub settled_nonce: Option<u64>,
}
