//! The pallets `benchmark pallet` can measure on this runtime.

pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<crate::Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<crate::Runtime>]
	[pallet_balances, crate::Balances]
	[pallet_transaction_payment, crate::TransactionPayment]
	[pallet_timestamp, crate::Timestamp]
	[pallet_sudo, crate::Sudo]
	[pallet_collective, crate::SlashingCommittee]
	[pallet_warden_operators, crate::Operators]
	[pallet_warden_services, crate::Services]
	[pallet_warden_slashing, crate::Slashing]
	[pallet_warden_rewards, crate::Rewards]
	[pallet_warden_channels, crate::Channels]
	[pallet_warden_monitoring, crate::Monitoring]
	[pallet_warden_validators, crate::ValidatorSet]
);

impl frame_system_benchmarking::Config for crate::Runtime {}

impl pallet_transaction_payment::BenchmarkConfig for crate::Runtime {}
