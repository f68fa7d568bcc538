#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod channels;
pub mod operators;
pub mod rewards;
pub mod schedule;
pub mod services;
pub mod slashing;
pub mod validators;

pub use channels::*;
pub use operators::*;
pub use rewards::*;
pub use services::*;
pub use slashing::*;
pub use validators::*;

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// The signature scheme of transactions and of Warden's off-chain messages.
pub type Signature = MultiSignature;
/// An account on the chain: the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance of the native token, in its smallest unit.
pub type Balance = u128;
/// A block height.
pub type BlockNumber = u32;
/// The number of transactions an account has sent.
pub type Nonce = u32;
/// A block or state hash.
pub type Hash = sp_core::H256;

/// Identifies a service blueprint.
pub type BlueprintId = u64;
/// Identifies a service request, pending until every operator approved it.
pub type RequestId = u64;
/// Identifies a service instance.
pub type ServiceId = u64;
/// Identifies one job call on a service.
pub type CallId = u64;
/// Identifies a pending slash.
pub type SlashId = u64;
/// Identifies a payment channel. Never reused.
pub type ChannelId = u64;
/// Identifies a reward era.
pub type EraIndex = u32;

/// One unit of the native token: 10^12 of its smallest unit.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of [`UNIT`].
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// A millionth of [`UNIT`].
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
