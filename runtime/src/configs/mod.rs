//! Each pallet's configuration and the runtime's parameters.
//!
//! FRAME's own pallets are configured here; Warden's pallets in [`warden`].

pub mod validators;
pub mod warden;
pub use validators::*;
pub use warden::*;

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU8, EitherOfDiverse, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients,
		WeightToFeePolynomial,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	weights, AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, SlashingCommitteeInstance, System, DAYS, EXISTENTIAL_DEPOSIT, MICRO_UNIT,
	MILLI_UNIT, VERSION,
};

/// The part of a block normal transactions may fill.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	/// How many recent block hashes the chain keeps: four hours of blocks.
	pub const BlockHashCount: BlockNumber = 2400;
	/// The runtime's version, as the system pallet reports it.
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per six-second block, 75% of it for normal transactions, the
	/// rest kept for operational ones. The base weights of a block and of an extrinsic are
	/// Warden's own, measured by `warden-node benchmark overhead`.
	pub RuntimeBlockWeights: BlockWeights = {
		let block = Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);
		let normal = NORMAL_DISPATCH_RATIO * block;
		BlockWeights::builder()
			.base_block(weights::block_weights::BlockExecutionWeight::get())
			.for_class(DispatchClass::all(), |class| {
				class.base_extrinsic = weights::extrinsic_weights::ExtrinsicBaseWeight::get();
			})
			.for_class(DispatchClass::Normal, |class| class.max_total = Some(normal))
			.for_class(DispatchClass::Operational, |class| {
				class.max_total = Some(block);
				class.reserved = Some(block.saturating_sub(normal));
			})
			.avg_block_initialization(Perbill::from_percent(10))
			.build_or_panic()
	};
	/// Blocks of at most 5 MiB, 75% of it for normal transactions.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	/// The generic Substrate address format.
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node's database is ParityDB.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type SystemWeightInfo = weights::frame_system::WeightInfo<Runtime>;
	/// The transaction extensions' weights, measured on this runtime and its database.
	type ExtensionsWeightInfo = weights::frame_system_extensions::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	/// A validator disabled for an offence authors no block until the next session.
	type DisabledValidators = crate::Session;
	type MaxAuthorities = MaxValidators;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Half the slot length, which the genesis may choose (`validatorSet.slotDuration`;
	/// 6 s by default): Aura's slots are twice this.
	type MinimumPeriod = pallet_warden_validators::MinimumPeriod<Runtime>;
	type WeightInfo = weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// What the weight of a `transfer_keep_alive` costs, base extrinsic weight included: a
/// hundredth of a WRD. Every other transaction's weight fee is in proportion.
pub const TRANSFER_WEIGHT_FEE: Balance = 10 * MILLI_UNIT;

/// What one byte of a transaction costs: ten millionths of a WRD.
pub const TRANSACTION_BYTE_FEE: Balance = 10 * MICRO_UNIT;

parameter_types! {
	/// Fees don't move with block fullness: the multiplier stays one.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	pub const TransactionByteFee: Balance = TRANSACTION_BYTE_FEE;
}

/// Weight to fee, linear and calibrated on a balance transfer: the whole weight of a
/// `transfer_keep_alive` transaction (the base extrinsic weight, the call and the
/// transaction extensions) costs [`TRANSFER_WEIGHT_FEE`].
pub struct WeightToFee;

impl WeightToFee {
	/// The whole weight of a signed `transfer_keep_alive` transaction.
	pub fn transfer_weight() -> Weight {
		let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: sp_runtime::MultiAddress::Id(AccountId::new([0; 32])),
			value: 0,
		});
		transaction_weight(&call)
	}
}

/// The whole weight `call` is accounted as a signed transaction: the base extrinsic weight,
/// the call's own weight and the weight of the transaction extensions.
pub fn transaction_weight(call: &RuntimeCall) -> Weight {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::TransactionExtension;
	let extension: super::TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(0),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let base = RuntimeBlockWeights::get().get(call.get_dispatch_info().class).base_extrinsic;
	base.saturating_add(call.get_dispatch_info().call_weight).saturating_add(extension.weight(call))
}

impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;

	fn polynomial() -> WeightToFeeCoefficients<Balance> {
		let per_ps = Balance::from(Self::transfer_weight().ref_time()).max(1);
		let mut polynomial = WeightToFeeCoefficients::new();
		polynomial.push(WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(TRANSFER_WEIGHT_FEE % per_ps, per_ps),
			coeff_integer: TRANSFER_WEIGHT_FEE / per_ps,
		});
		polynomial
	}
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = weights::pallet_sudo::WeightInfo<Runtime>;
}

parameter_types! {
	/// How long a committee motion stays open.
	pub const CommitteeMotionDuration: BlockNumber = 3 * DAYS;
	/// The heaviest call a committee motion may carry: half a block.
	pub MaxCommitteeProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// Root, or at least half of the slashing committee: may veto pending slashes.
pub type RootOrHalfCommittee = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, SlashingCommitteeInstance, 1, 2>,
>;

/// The slashing committee: reviews pending slashes and vetoes unfounded ones.
impl pallet_collective::Config<SlashingCommitteeInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CommitteeMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<32>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = weights::pallet_collective::WeightInfo<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCommitteeProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}
