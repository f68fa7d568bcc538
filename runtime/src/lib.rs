//! # Warden runtime
//!
//! The state transition function of the Warden chain. It wires Warden's pallets
//! (operators, services, slashing, rewards, channels, monitoring, the validator set)
//! together with the FRAME pallets a solo chain needs: system, timestamp, Aura block
//! authoring, GRANDPA finality, sessions (with historical sessions, offences and
//! authorship for GRANDPA equivocation reports), balances, transaction payment, sudo, and
//! a collective that acts as the slashing committee and validator-set governance.
//!
//! - [`configs`]: each pallet's `Config` and the runtime's parameters;
//! - [`apis`]: the runtime APIs the node and clients call;
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets.
//!
//! One wasm blob serves every chain; the presets differ only in genesis values.

#![cfg_attr(not(feature = "std"), no_std)]
// `#[frame_support::runtime]` and `impl_runtime_apis!` expand to public items at the crate
// root (`RuntimeCall`, `RuntimeApi`, …) that carry no docs. Every item written in this crate
// has one.
#![allow(missing_docs)]
// `construct_runtime`-generated code needs the higher recursion limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// `define_benchmarks!` defines `list_benchmarks!` and `add_benchmarks!`, which `apis` uses:
// the module must come first.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
mod weights;

extern crate alloc;

// `impl_opaque_keys!` and `#[frame_support::runtime]` expand to code naming `Vec`.
use alloc::vec::Vec;

use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, MultiAddress};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;
pub use warden_primitives::{
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature, MICRO_UNIT, MILLI_UNIT, UNIT,
};

/// Types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		/// Block authoring key.
		pub aura: Aura,
		/// Finality voting key.
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` with every change to the runtime's logic.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("warden"),
	impl_name: alloc::borrow::Cow::Borrowed("warden"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time. Aura slots have this length unless the genesis chooses another
/// (`validatorSet.slotDuration`); the durations below assume it.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Default length of an Aura slot. A chain spec may choose another at genesis; it can't
/// change once the chain runs.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// How a transaction names accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The checks and charges every transaction goes through.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as the runtime decodes it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a transaction's signature signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade, beside the pallets' own.
type Migrations = ();

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// The collective that reviews slashes and may veto them.
pub type SlashingCommitteeInstance = pallet_collective::Instance1;

use pallet_session::historical as pallet_session_historical;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type SlashingCommittee = pallet_collective<Instance1>;

	// The validator network. The validator set comes before Session: the session
	// pallet's genesis asks it for the first validators.
	#[runtime::pallet_index(8)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(9)]
	pub type ValidatorSet = pallet_warden_validators;

	#[runtime::pallet_index(10)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(11)]
	pub type Historical = pallet_session_historical;

	#[runtime::pallet_index(12)]
	pub type Offences = pallet_offences;

	// Warden. Operators comes after the pallets it asks at genesis.
	#[runtime::pallet_index(20)]
	pub type Operators = pallet_warden_operators;

	#[runtime::pallet_index(21)]
	pub type Services = pallet_warden_services;

	// After Operators: its genesis checks the defer window against their unbonding delay.
	#[runtime::pallet_index(22)]
	pub type Slashing = pallet_warden_slashing;

	#[runtime::pallet_index(23)]
	pub type Rewards = pallet_warden_rewards;

	#[runtime::pallet_index(24)]
	pub type Channels = pallet_warden_channels;

	#[runtime::pallet_index(25)]
	pub type Monitoring = pallet_warden_monitoring;
}
