//! Configuration of Warden's pallets.
//!
//! Durations and amounts governance may change are runtime parameters of each pallet, set
//! at genesis by the presets in [`crate::genesis_config_presets`]. The bounds here are
//! compile-time constants.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU32},
	weights::Weight,
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::AccountIdConversion, MultiSignature, MultiSigner, Perbill};

use super::{
	super::{
		AccountId, Balance, Balances, Channels, Monitoring, Operators, Rewards, Runtime,
		RuntimeHoldReason, Services, Slashing, DAYS, MILLI_UNIT, UNIT,
	},
	RootOrHalfCommittee, RuntimeBlockWeights,
};

/// The most operators one account may delegate to at once.
pub type MaxDelegationsPerDelegator = ConstU32<16>;

/// The delegator slots of one operator: delegations with active stake.
pub type MaxDelegatorsPerOperator = ConstU32<128>;

/// The delegations only unbonding one operator may have besides its slots.
pub type MaxUnbondingDelegatorsPerOperator = ConstU32<128>;

/// Every slashable position of one operator: its own bond, and every delegation with a
/// slot or only unbonding.
pub type MaxSlashedPositions = ConstU32<257>;

/// The origin that may change Warden's runtime parameters.
pub type WardenParamsOrigin = EnsureRoot<AccountId>;

impl pallet_warden_operators::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Services = Services;
	type Slashing = Slashing;
	type StakeObserver = Rewards;
	type ParamsOrigin = WardenParamsOrigin;
	type MaxDelegationsPerDelegator = MaxDelegationsPerDelegator;
	type MaxDelegatorsPerOperator = MaxDelegatorsPerOperator;
	type MaxUnbondingDelegatorsPerOperator = MaxUnbondingDelegatorsPerOperator;
	type MaxUnbondingRequests = ConstU32<8>;
	/// A delegation to a list names at most 16 blueprints.
	type MaxBlueprintsPerDelegation = ConstU32<16>;
	/// A delegation may grow in 8 distinct blocks within the offence age cap (7 days on
	/// production-like chains): topping up more often than that waits.
	type MaxRecentIncreases = ConstU32<8>;
	type WeightInfo = pallet_warden_operators::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Expiry and lifetime-end processing may use at most a tenth of a block.
	pub ServicesHookWeight: Weight = RuntimeBlockWeights::get().max_block / 10;
	/// The longest a service may be requested for.
	pub const MaxServiceTtl: u32 = 30 * DAYS;
}

parameter_types! {
	/// A blueprint's storage deposit: 1 WRD plus 0.01 WRD per byte of its encoding.
	pub const BlueprintDepositBase: Balance = UNIT;
	pub const BlueprintDepositPerByte: Balance = 10 * MILLI_UNIT;
	/// A request's deposit per named operator: 1 WRD.
	pub const RequestDeposit: Balance = UNIT;
}

impl pallet_warden_services::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Operators = Operators;
	type ParamsOrigin = WardenParamsOrigin;
	/// Expired requests' deposits go to the treasury.
	type TreasuryAccount = TreasuryAccount;
	type BlueprintDepositBase = BlueprintDepositBase;
	type BlueprintDepositPerByte = BlueprintDepositPerByte;
	type RequestDeposit = RequestDeposit;
	/// At most 8 free heartbeats per operator per block.
	type MaxFreeHeartbeatsPerBlock = ConstU32<8>;
	/// At most 128 free heartbeats per block in all: the normal class holds about 1,350
	/// heartbeats, so free ones take at most a tenth of it (what sixteen operators'
	/// allowances of 8 fill), however many operators there are. Beyond it heartbeats pay
	/// their fee, which is what keeps the rest of the block for paying users.
	type MaxFreeHeartbeatsPerBlockTotal = ConstU32<128>;
	type MaxInstancesPerRegistration = ConstU32<32>;
	type MaxNameLen = ConstU32<64>;
	type MaxDescriptionLen = ConstU32<512>;
	type MaxUrlLen = ConstU32<256>;
	type MaxJobs = ConstU32<16>;
	type MaxJobArgsLen = ConstU32<4096>;
	type MaxRpcAddressLen = ConstU32<128>;
	type MaxBlueprintsPerOperator = ConstU32<16>;
	type MaxOperatorsPerService = ConstU32<16>;
	type MaxPermittedCallers = ConstU32<16>;
	type MaxServiceTtl = MaxServiceTtl;
	type MaxPendingRequestsPerOperator = ConstU32<64>;
	type MaxPendingRequestsPerRequester = ConstU32<32>;
	/// Sixteen cancelled requests naming sixteen operators each, per block.
	type MaxCancelledOperatorsPerBlock = ConstU32<256>;
	type MaxExpiriesPerBlock = ConstU32<50>;
	type MaxServiceEndsPerBlock = ConstU32<20>;
	type MaxHookWeight = ServicesHookWeight;
	type SlashQueue = Slashing;
	type Rewards = Rewards;
	type EraClock = Rewards;
	type MaxOpenCallsPerService = ConstU32<16>;
	type MaxClosedCallsKept = ConstU32<64>;
	type MaxResultLen = ConstU32<1024>;
	type MaxHeartbeatMetricsLen = ConstU32<256>;
	type MaxCallClosesPerBlock = ConstU32<128>;
	type StatsHistoryDepth = ConstU32<8>;
	type MaxStatsPrunedPerStep = ConstU32<128>;
	type WeightInfo = pallet_warden_services::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::WardenBenchmarkHelper;
}

parameter_types! {
	/// The treasury: where slashed funds and forfeited report deposits go.
	pub const TreasuryPalletId: PalletId = PalletId(*b"wd/trsry");
	/// The treasury's account, derived from its pallet id.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// Slash application may use at most a quarter of a block.
	pub SlashingHookWeight: Weight = RuntimeBlockWeights::get().max_block / 4;
	/// How long the outcome of an applied or vetoed slash stays queryable: a day.
	pub const SlashOutcomeRetention: u32 = DAYS;
}

impl pallet_warden_slashing::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Operators = Operators;
	type SlashDestination = ResolveTo<TreasuryAccount, Balances>;
	type TreasuryAccount = TreasuryAccount;
	/// Root, or at least half of the slashing committee.
	type VetoOrigin = RootOrHalfCommittee;
	type ParamsOrigin = WardenParamsOrigin;
	type MaxSlashedPositions = MaxSlashedPositions;
	type MaxSlashesPerBlock = ConstU32<16>;
	type MaxHookWeight = SlashingHookWeight;
	type MaxStatementLen = ConstU32<1024>;
	type OutcomeRetention = SlashOutcomeRetention;
	type WeightInfo = pallet_warden_slashing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::WardenBenchmarkHelper;
}

parameter_types! {
	/// The reward pot's account.
	pub const RewardsPotId: PalletId = PalletId(*b"wd/rewrd");
	/// The highest commission an operator may take.
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	/// Era settlement may use at most a tenth of a block.
	pub EraWorkWeightLimit: Weight = RuntimeBlockWeights::get().max_block / 10;
}

impl pallet_warden_rewards::Config for Runtime {
	type Currency = Balances;
	type Operators = Operators;
	type IncentiveOrigin = WardenParamsOrigin;
	type ParamsOrigin = WardenParamsOrigin;
	type PotId = RewardsPotId;
	type MaxCommission = MaxCommission;
	type MaxIncentivizedBlueprints = ConstU32<32>;
	/// Every delegation plus the operator's own bond.
	type MaxPositionsPerStaker = ConstU32<17>;
	type EraWorkWeightLimit = EraWorkWeightLimit;
	type MaxEraWorkItemsPerBlock = ConstU32<100>;
	type WeightInfo = pallet_warden_rewards::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::WardenBenchmarkHelper;
}

impl pallet_warden_channels::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Public = MultiSigner;
	/// Monitoring learns each channel's final nonce, to pay the monitor whose update stood.
	type OnSettled = Monitoring;
	type ParamsOrigin = WardenParamsOrigin;
	type MaxSettlementsPerBlock = ConstU32<64>;
	type WeightInfo = pallet_warden_channels::weights::SubstrateWeight<Runtime>;
}

impl pallet_warden_monitoring::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Public = MultiSigner;
	type Channels = Channels;
	type MaxEndpointLen = ConstU32<256>;
	type ParamsOrigin = WardenParamsOrigin;
	type WeightInfo = pallet_warden_monitoring::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Channels;
}

/// Sets up state in one Warden pallet for another pallet's benchmarks on this runtime.
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark_helpers {
	use frame_support::traits::{fungible::Mutate, Get};

	use super::super::super::{AccountId, Balances, Runtime, RuntimeOrigin};

	/// Implements every Warden pallet's `BenchmarkHelper` with the real pallets.
	pub struct WardenBenchmarkHelper;

	/// Funds `who` and makes it an Active operator with `bond` (at least the minimum).
	pub fn make_operator(who: &AccountId, bond: u128) {
		let params = pallet_warden_operators::Params::<Runtime>::get();
		let bond = bond.max(params.min_operator_bond);
		let _ = Balances::mint_into(who, bond.saturating_mul(2).saturating_add(crate::UNIT));
		let _ = pallet_warden_operators::Pallet::<Runtime>::join_operators(
			RuntimeOrigin::signed(who.clone()),
			bond,
		);
	}

	impl pallet_warden_services::BenchmarkHelper<AccountId, u128> for WardenBenchmarkHelper {
		fn make_operator(who: &AccountId, stake: u128) {
			make_operator(who, stake);
		}

		fn incentivize_blueprint(blueprint: warden_primitives::BlueprintId) {
			let _ = pallet_warden_rewards::Pallet::<Runtime>::set_incentivized(
				RuntimeOrigin::root(),
				blueprint,
				1,
			);
		}
	}

	impl pallet_warden_slashing::BenchmarkHelper<AccountId, u128> for WardenBenchmarkHelper {
		/// The delegations only unbonding come first, since each needs a free slot to
		/// delegate before it gives it back; the rest keep their stake active.
		fn setup_operator(who: &AccountId, stake: u128, positions: u32) {
			use pallet_warden_operators::Pallet as Operators;
			make_operator(who, stake);
			let params = pallet_warden_operators::Params::<Runtime>::get();
			let amount = stake.max(params.min_delegation);
			let delegators = positions.saturating_sub(1);
			let unbonding_only = delegators
				.saturating_sub(super::MaxDelegatorsPerOperator::get())
				.min(super::MaxUnbondingDelegatorsPerOperator::get());
			// Each delegation backs the longest list of blueprints: a slash of it updates
			// the most entries.
			let max_blueprints: u32 =
				<Runtime as pallet_warden_operators::Config>::MaxBlueprintsPerDelegation::get();
			let every_blueprint = warden_primitives::BlueprintSelection::Only(
				frame_support::BoundedVec::truncate_from(
					(0..u64::from(max_blueprints)).collect::<alloc::vec::Vec<_>>(),
				),
			);
			for i in 0..delegators {
				let delegator: AccountId = frame_benchmarking::account("slashing-delegator", i, 0);
				let funds = amount.saturating_mul(2).saturating_add(crate::UNIT);
				let _ = Balances::mint_into(&delegator, funds);
				let origin = RuntimeOrigin::signed(delegator);
				let _ = Operators::<Runtime>::delegate_with_selection(
					origin.clone(),
					who.clone(),
					amount,
					every_blueprint.clone(),
				);
				if i < unbonding_only {
					let _ = Operators::<Runtime>::schedule_undelegate(origin, who.clone(), amount);
				}
			}
		}
	}

	impl pallet_warden_rewards::BenchmarkHelper<AccountId> for WardenBenchmarkHelper {
		fn make_operator(who: &AccountId) {
			make_operator(who, 0);
		}
	}
}
