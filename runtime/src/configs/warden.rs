//! Configuration of Warden's pallets.
//!
//! Durations and amounts governance may change are runtime parameters of each pallet, set
//! at genesis by the presets in [`crate::genesis_config_presets`]. The bounds here are
//! compile-time constants.

use frame_support::traits::ConstU32;
use frame_system::EnsureRoot;

use super::super::{AccountId, Balances, Runtime, RuntimeHoldReason};

/// The origin that may change Warden's runtime parameters.
pub type WardenParamsOrigin = EnsureRoot<AccountId>;

impl pallet_warden_operators::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Services = ();
	type Slashing = ();
	type StakeObserver = ();
	type ParamsOrigin = WardenParamsOrigin;
	type MaxDelegationsPerDelegator = ConstU32<16>;
	type MaxDelegatorsPerOperator = ConstU32<128>;
	type MaxUnbondingRequests = ConstU32<8>;
	type WeightInfo = pallet_warden_operators::weights::SubstrateWeight<Runtime>;
}
