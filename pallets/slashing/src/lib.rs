#![doc = include_str!("../README.md")]
//!
//! ## Example
//!
//! A report becomes a pending slash, the offender disputes it, and with no veto it is
//! applied exactly at `apply_at`:
#![doc = docify::embed!("src/tests/example.rs", slash_lifecycle)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use warden_primitives::{OperatorRegistry, SlashInspect, SlashQueue, SlashingParams};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod hooks;
mod invariants;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::warden-slashing";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{fungible, OnUnbalanced},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{Perbill, Percent};
	use warden_primitives::{
		schedule::QueuePosition, BlueprintId, ServiceId, SlashId, SlashReason,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// What the runtime provides to the slashing pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The native currency: holds report deposits, pays reporter rewards and carries the
		/// slashed funds.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::hold::Balanced<Self::AccountId>
			+ fungible::Balanced<Self::AccountId>;

		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The operators: their slashable positions, recorded when a slash is proposed, and
		/// the slash itself.
		type Operators: OperatorRegistry<
			Self::AccountId,
			BalanceOf<Self>,
			BlockNumberFor<Self>,
			Credit = CreditOf<Self>,
		>;

		/// Where slashed funds go, minus the reporter's reward.
		type SlashDestination: OnUnbalanced<CreditOf<Self>>;

		/// The account forfeited report deposits are moved to.
		type TreasuryAccount: Get<Self::AccountId>;

		/// The origin that may veto a pending slash.
		type VetoOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The origin that may change the slashing parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most positions one slash records: at least the operators'
		/// `max_slashable_positions`.
		#[pallet::constant]
		type MaxSlashedPositions: Get<u32>;

		/// The most slashes `on_initialize` applies in one block.
		#[pallet::constant]
		type MaxSlashesPerBlock: Get<u32>;

		/// The most weight `on_initialize` spends in one block.
		#[pallet::constant]
		type MaxHookWeight: Get<Weight>;

		/// The longest dispute statement, in bytes.
		#[pallet::constant]
		type MaxStatementLen: Get<u32>;

		/// How many blocks the record of a concluded slash is kept.
		#[pallet::constant]
		type OutcomeRetention: Get<BlockNumberFor<Self>>;

		/// Weights of the calls and hook paths, from the benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates operators with delegators for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, BalanceOf<Self>>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A reporter's deposit for a pending slash.
		ReportDeposit,
	}

	/// The slashing parameters in force.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery, DefaultParams<T>>;

	/// The parameters used before genesis sets them.
	#[pallet::type_value]
	pub fn DefaultParams<T: Config>() -> ParamsOf<T> {
		default_params::<T>()
	}

	/// The identifier the next proposed slash gets.
	#[pallet::storage]
	pub type NextSlashId<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Slashes proposed and neither applied nor vetoed yet.
	#[pallet::storage]
	pub type PendingSlashes<T: Config> = StorageMap<_, Twox64Concat, SlashId, PendingSlash<T>>;

	/// The application queue: pending slashes by the block they fall due in, numbered in
	/// the order they were proposed. Drained through [`SlashSchedule`].
	#[pallet::storage]
	pub type SlashesDue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, QueuePosition, SlashId>;

	/// How many slashes were ever queued in each block of [`SlashesDue`] not yet drained.
	#[pallet::storage]
	pub type SlashDueTails<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, QueuePosition, ValueQuery>;

	/// The application queue's cursor: the first entry of [`SlashesDue`] not applied yet.
	#[pallet::storage]
	pub type SlashDueCursor<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, QueuePosition), ValueQuery>;

	/// How many pending slashes name each operator. Absent means none.
	#[pallet::storage]
	pub type PendingSlashCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// What the pending slashes against an operator may still take from a staker's position
	/// on it (its own bond if the staker is the operator), by staker then operator: the
	/// sum of their recorded amounts. The operators pallet never releases that part of the
	/// position while the slashes are pending. Absent means nothing.
	#[pallet::storage]
	pub type HeldBack<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		ValueQuery,
	>;

	/// The total report deposit each reporter has on hold. Absent means none.
	#[pallet::storage]
	pub type ReportDeposits<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	/// How recently concluded slashes ended, kept for [`Config::OutcomeRetention`] blocks.
	#[pallet::storage]
	pub type ConcludedSlashes<T: Config> =
		StorageMap<_, Twox64Concat, SlashId, ConcludedSlash<BlockNumberFor<T>>>;

	/// The lowest slash id whose concluded record has not been pruned.
	#[pallet::storage]
	pub type NextToPrune<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Events of the slashing pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A reported offence became a pending slash.
		SlashProposed {
			/// The new slash.
			slash_id: SlashId,
			/// The operator to slash.
			offender: T::AccountId,
			/// The service the offence happened in.
			service: ServiceId,
			/// The blueprint of that service.
			blueprint: BlueprintId,
			/// The part of the committed exposure to take.
			fraction: Perbill,
			/// The part of its stake the offender committed to the service.
			exposure: Percent,
			/// The offender's slashable stake for the offence: its own, and what delegations
			/// backing the blueprint had at the offence and still hold, unbonding included.
			stake: BalanceOf<T>,
			/// What the slash takes at most: fraction × exposure × each position's stake for
			/// the offence. Stake added after the offence pays nothing for it.
			amount: BalanceOf<T>,
			/// Who reported it.
			reporter: T::AccountId,
			/// The report deposit now held from the reporter: the base deposit plus its part
			/// of `amount`.
			deposit: BalanceOf<T>,
			/// What was reported.
			reason: SlashReason,
			/// The block the offence was committed in.
			offence_at: BlockNumberFor<T>,
			/// The first block the slash may be applied in.
			apply_at: BlockNumberFor<T>,
		},
		/// The offender disputed a pending slash; the clock keeps running.
		SlashDisputed {
			/// The disputed slash.
			slash_id: SlashId,
			/// The offender.
			offender: T::AccountId,
			/// The offender's statement for the reviewers.
			statement: StatementOf<T>,
		},
		/// Governance vetoed a pending slash; it will not be applied.
		SlashVetoed {
			/// The vetoed slash.
			slash_id: SlashId,
			/// The operator it named.
			offender: T::AccountId,
			/// Why it was vetoed.
			reason: VetoReason,
		},
		/// A slash was applied to the offender's stake.
		SlashApplied {
			/// The applied slash.
			slash_id: SlashId,
			/// The slashed operator.
			offender: T::AccountId,
			/// The service the offence happened in.
			service: ServiceId,
			/// The offender's slashable stake when the slash was proposed.
			stake: BalanceOf<T>,
			/// What the slash asked for: fraction × exposure × each position's stake at
			/// proposal, rounded down per position.
			amount: BalanceOf<T>,
			/// What was actually taken from the operator and its delegators: less than
			/// `amount` where a position holds less than it did.
			taken: BalanceOf<T>,
			/// The part of `taken` paid to the reporter.
			reporter_reward: BalanceOf<T>,
		},
		/// A report deposit was released back to the reporter.
		ReportDepositReturned {
			/// The slash the deposit was posted for.
			slash_id: SlashId,
			/// The reporter.
			reporter: T::AccountId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// A report deposit was forfeited to the treasury because the report was unfounded.
		ReportDepositForfeited {
			/// The slash the deposit was posted for.
			slash_id: SlashId,
			/// The reporter.
			reporter: T::AccountId,
			/// The amount forfeited.
			amount: BalanceOf<T>,
		},
		/// Governance changed the slashing parameters.
		ParamsSet {
			/// The parameters now in force.
			params: ParamsOf<T>,
		},
	}

	/// Errors of the slashing pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No slash with this id was ever proposed.
		UnknownSlash,
		/// The slash was already applied.
		AlreadyApplied,
		/// The slash was already vetoed.
		AlreadyVetoed,
		/// The slash was concluded long ago and its record pruned.
		SlashConcluded,
		/// Only the offender may dispute a slash.
		NotOffender,
		/// The slash is due: it can no longer be disputed.
		DisputeWindowClosed,
		/// The offender already disputed this slash.
		AlreadyDisputed,
		/// The slash is not due yet.
		NotDue,
		/// The offender has no slashable stake: it is not an operator, and has no exit bond
		/// or delegations left to slash.
		NoSlashableStake,
		/// The offender has more slashable positions than a slash can record.
		TooManyPositions,
		/// The fraction is below the minimum a report may ask for.
		FractionBelowMinimum,
		/// An operator can't report itself.
		SelfReport,
		/// The offence is older than `max_offence_age` blocks: it can no longer be reported.
		OffenceTooOld,
		/// The offence's block is after the current block.
		OffenceInFuture,
		/// A zero fraction or zero exposure would slash nothing.
		NothingToSlash,
		/// The reporter can't put the report deposit on hold.
		CannotHoldDeposit,
		/// The defer duration must be at least one block.
		ZeroDeferDuration,
		/// The defer duration plus the report window must be shorter than the operators'
		/// unbonding delay.
		DeferNotBelowUnbonding,
		/// The offence age cap must be shorter than the operators' unbonding delay.
		OffenceAgeNotBelowUnbonding,
		/// The minimum report fraction must be non-zero.
		ZeroMinFraction,
		/// The cap on one slash's fraction must be at least the minimum report fraction.
		MaxFractionBelowMinimum,
		/// The report deposit must be at least the existential deposit.
		DepositBelowMinimum,
		/// A counter or block number would overflow.
		Overflow,
	}

	/// The slashing parameters at genesis.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The parameters in force from genesis.
		pub params: ParamsOf<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { params: default_params::<T>() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// The operators pallet must be built first: its unbonding delay is checked here.
			if let Err(e) = Pallet::<T>::validate_params(&self.params) {
				panic!("invalid genesis slashing params: {:?}", e);
			}
			Params::<T>::put(self.params);
			SlashSchedule::<T>::start_at(frame_system::Pallet::<T>::block_number());
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_on_initialize(now)
		}

		fn integrity_test() {
			assert!(T::MaxSlashesPerBlock::get() > 0, "MaxSlashesPerBlock must be non-zero");
			assert!(
				T::MaxSlashedPositions::get() >= T::Operators::max_slashable_positions(),
				"MaxSlashedPositions must fit every slashable position of an operator"
			);
			assert!(
				T::MaxHookWeight::get().all_gte(
					T::WeightInfo::on_initialize_idle()
						.saturating_add(Self::apply_weight(T::MaxSlashedPositions::get(), true))
				),
				"MaxHookWeight must fit at least one applied slash"
			);
			// The defaults are usable on their own; that they fit the operators' unbonding
			// delay is checked by the operators pallet, which owns that delay.
			use sp_runtime::traits::Zero;
			let defaults = default_params::<T>();
			assert!(!defaults.defer_duration.is_zero(), "the default defer duration is zero");
			assert!(!defaults.min_fraction.is_zero(), "the default minimum fraction is zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Disputes a pending slash with a statement for the reviewers.
		///
		/// Only the offender may call it, once, before the slash's `apply_at`. The slash stays
		/// due at the same block: a dispute asks governance to look, it does not stop the
		/// clock.
		#[pallet::call_index(0)]
		pub fn dispute(
			origin: OriginFor<T>,
			slash_id: SlashId,
			statement: StatementOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute(who, slash_id, statement)
		}

		/// Vetoes a pending slash, which is then never applied, and frees what it held back.
		///
		/// [`VetoReason::Unfounded`] forfeits the report deposit to the treasury;
		/// [`VetoReason::Pardoned`] returns it to the reporter. Allowed until the slash is
		/// applied, even once it is due.
		#[pallet::call_index(1)]
		pub fn veto(origin: OriginFor<T>, slash_id: SlashId, reason: VetoReason) -> DispatchResult {
			T::VetoOrigin::ensure_origin(origin)?;
			Self::do_veto(slash_id, reason)
		}

		/// Applies a slash that is due but still queued. Anyone may call it, and it is free
		/// when it applies a slash.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::apply_weight(T::MaxSlashedPositions::get(), false))]
		pub fn apply_slash(origin: OriginFor<T>, slash_id: SlashId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let positions = Self::do_apply_slash(slash_id)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(Self::apply_weight(positions, false)),
				pays_fee: Pays::No,
			})
		}

		/// Changes the slashing parameters. Pending slashes keep the `apply_at`, deposit and
		/// reporter reward they were proposed with.
		#[pallet::call_index(3)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}
}

/// The parameters used when genesis does not set them: ten blocks of review, five blocks
/// to report an ended service, fifteen blocks to report an offence, a tenth of the slash to the reporter, reports of at least
/// 0.1% and slashes of at most 50%, and the existential deposit plus 5% of what a report
/// would slash as its deposit.
pub fn default_params<T: Config>() -> ParamsOf<T> {
	use frame_support::traits::fungible::Inspect;
	SlashingParams {
		defer_duration: 10u32.into(),
		report_window: 5u32.into(),
		max_offence_age: 15u32.into(),
		reporter_reward: sp_runtime::Perbill::from_percent(10),
		min_fraction: sp_runtime::Perbill::from_parts(1_000_000),
		max_fraction: warden_primitives::default_max_fraction(),
		report_deposit: T::Currency::minimum_balance(),
		deposit_per_slashed: sp_runtime::Perbill::from_percent(5),
	}
}
