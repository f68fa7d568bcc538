#![doc = include_str!("../README.md")]
//!
//! ## Example
//!
//! An operator with a 10% commission and a delegator with three times its bond share an
//! era's pot of 10,000:
#![doc = docify::embed!("src/tests/distribution.rs", commission_and_stakers_example)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod features;
mod hooks;
mod invariants;
pub mod runtime_api;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use warden_primitives::RewardParams;
pub use weights::WeightInfo;

/// The target of this pallet's log messages.
pub const LOG_TARGET: &str = "runtime::warden-rewards";

/// Sets up what another pallet must provide for this pallet's benchmarks to run on a real
/// runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` an operator, so that it may set a commission.
	fn make_operator(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, Get},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	};
	use warden_primitives::{Balance, BlueprintId, EraIndex, OperatorRegistry};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The rewards pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The rewards pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native token: minted into the pot as emission, paid out of it on claims.
		type Currency: fungible::Mutate<Self::AccountId, Balance = Balance>;

		/// The operator registry: tells who may set a commission.
		type Operators: OperatorRegistry<Self::AccountId, Balance, BlockNumberFor<Self>>;

		/// Who may choose the incentivized blueprints and their weights.
		type IncentiveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may change the [`RewardParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The pot's account is derived from this id.
		#[pallet::constant]
		type PotId: Get<PalletId>;

		/// The highest commission an operator may set.
		#[pallet::constant]
		type MaxCommission: Get<Perbill>;

		/// How many blueprints may be incentivized at once.
		#[pallet::constant]
		type MaxIncentivizedBlueprints: Get<u32>;

		/// How many stake positions one account may have: the operators pallet's
		/// delegations-per-delegator limit plus one (an operator's own bond).
		#[pallet::constant]
		type MaxPositionsPerStaker: Get<u32>;

		/// The weight `on_initialize` may spend on era-boundary work per block.
		#[pallet::constant]
		type EraWorkWeightLimit: Get<Weight>;

		/// How many items of era-boundary work (an operator settled or a statistics entry
		/// pruned) `on_initialize` does per block at most.
		#[pallet::constant]
		type MaxEraWorkItemsPerBlock: Get<u32>;

		/// The weights of this pallet's calls and hook paths.
		type WeightInfo: WeightInfo;

		/// Sets up other pallets' state for this pallet's benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The parameters governance may change.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, RewardParams<BlockNumberFor<T>>, ValueQuery>;

	/// The era in progress.
	#[pallet::storage]
	pub type ActiveEra<T: Config> = StorageValue<_, ActiveEraInfo<BlockNumberFor<T>>, ValueQuery>;

	/// The era-boundary work in progress.
	#[pallet::storage]
	pub type CurrentEraWork<T: Config> = StorageValue<_, EraWork<T::AccountId>, ValueQuery>;

	/// The outcome of the last settled era.
	#[pallet::storage]
	pub type LastSettledEra<T: Config> = StorageValue<_, SettledEra, OptionQuery>;

	/// The incentivized blueprints and their weights. Points on other blueprints earn
	/// nothing.
	#[pallet::storage]
	pub type IncentivizedBlueprints<T: Config> =
		CountedStorageMap<_, Twox64Concat, BlueprintId, u32, OptionQuery>;

	/// Each operator's work per era, kept for the active era, the era being settled and the
	/// last settled one.
	#[pallet::storage]
	pub type EraStats<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EraIndex,
		Blake2_128Concat,
		T::AccountId,
		OperatorEraStats,
		OptionQuery,
	>;

	/// Each operator's reward accumulator and commission.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Pool, OptionQuery>;

	/// Stake positions, by operator and staker.
	#[pallet::storage]
	pub type Positions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		Position,
		OptionQuery,
	>;

	/// The operators each staker has a position on.
	#[pallet::storage]
	pub type StakerPositions<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<T::AccountId, T::MaxPositionsPerStaker>,
		ValueQuery,
	>;

	/// The accumulator value at which an operator's pending stake of an era started to
	/// earn, until every position that added to it picked it up.
	#[pallet::storage]
	pub type Promotions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		EraIndex,
		Promotion,
		OptionQuery,
	>;

	/// Rewards credited to an account and not yet paid.
	#[pallet::storage]
	pub type Unclaimed<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// Allocated, claimed and released totals.
	#[pallet::storage]
	pub type Totals<T: Config> = StorageValue<_, RewardTotals, ValueQuery>;

	/// The rewards pallet's events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` paid `amount` into the pot.
		PotFunded {
			/// Who paid.
			who: T::AccountId,
			/// How much.
			amount: Balance,
		},
		/// An operator's commission changes from era `effective_from` on.
		CommissionSet {
			/// The operator.
			operator: T::AccountId,
			/// The new commission.
			commission: Perbill,
			/// The first era it applies to.
			effective_from: EraIndex,
		},
		/// A blueprint is incentivized with `weight`, or its weight changed.
		IncentiveSet {
			/// The blueprint.
			blueprint: BlueprintId,
			/// Its weight: points on it count this many times.
			weight: u32,
		},
		/// A blueprint is no longer incentivized.
		IncentiveRemoved {
			/// The blueprint.
			blueprint: BlueprintId,
		},
		/// The parameters changed.
		ParamsSet {
			/// The new parameters.
			params: RewardParams<BlockNumberFor<T>>,
		},
		/// An era ended and its pot is fixed.
		EraEnded {
			/// The era.
			era: EraIndex,
			/// What was minted into the pot for it.
			emission: Balance,
			/// What its operators share (everything in the pot that is not owed already).
			pot: Balance,
			/// The weighted points of all its operators. If zero, nothing is distributed.
			weighted_points: u128,
		},
		/// A new era started.
		EraStarted {
			/// The era.
			era: EraIndex,
			/// The block it started at.
			start: BlockNumberFor<T>,
		},
		/// An operator's share of an era pot was allocated.
		OperatorRewarded {
			/// The era.
			era: EraIndex,
			/// The operator.
			operator: T::AccountId,
			/// Its share of the era pot.
			share: Balance,
			/// Its commission, credited to it.
			commission: Balance,
			/// Allocated to its stakers.
			stakers: Balance,
		},
		/// An operator earned a share but no stake was held on it through the era: its
		/// commission is credited to it, the stakers' part stays in the pot.
		ShareRetained {
			/// The era.
			era: EraIndex,
			/// The operator.
			operator: T::AccountId,
			/// The part of the share that stays in the pot.
			share: Balance,
		},
		/// Every operator of an era has been settled.
		EraSettled {
			/// The era.
			era: EraIndex,
			/// What was allocated; the rest of its pot stays in the pot.
			distributed: Balance,
		},
		/// The statistics of an old era have been removed.
		EraStatisticsPruned {
			/// The era.
			era: EraIndex,
		},
		/// Rewards were paid.
		Claimed {
			/// Who was paid.
			who: T::AccountId,
			/// How much.
			amount: Balance,
		},
		/// An operator's last stake position left: the rounding dust still allocated to its
		/// stakers returns to the pot.
		DustReleased {
			/// The operator.
			operator: T::AccountId,
			/// The dust.
			amount: Balance,
		},
		/// A staker already has [`Config::MaxPositionsPerStaker`] positions: a new one is not
		/// tracked and earns nothing.
		PositionNotTracked {
			/// The operator staked on.
			operator: T::AccountId,
			/// The staker.
			staker: T::AccountId,
		},
	}

	/// The rewards pallet's errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The caller is not an operator.
		NotOperator,
		/// The commission is above [`Config::MaxCommission`].
		CommissionTooHigh,
		/// A blueprint's weight must not be zero; remove the incentive instead.
		ZeroWeight,
		/// [`Config::MaxIncentivizedBlueprints`] blueprints are incentivized already.
		TooManyIncentivized,
		/// The blueprint is not incentivized.
		NotIncentivized,
		/// An era must last at least one block.
		ZeroEraLength,
		/// The account has no rewards to claim.
		NothingToClaim,
		/// No era is being settled or pruned.
		NothingToSettle,
	}

	/// The rewards pallet's genesis configuration.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The parameters in force from genesis. `era_length` must not be zero.
		pub params: RewardParams<BlockNumberFor<T>>,
		/// The incentivized blueprints and their weights.
		pub incentivized: alloc::vec::Vec<(BlueprintId, u32)>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				params: RewardParams { era_length: 100u32.into(), emission_per_era: 0 },
				incentivized: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(!self.params.era_length.is_zero(), "rewards: era_length must not be zero");
			Params::<T>::put(self.params);
			assert!(
				self.incentivized.len() <= T::MaxIncentivizedBlueprints::get() as usize,
				"rewards: too many incentivized blueprints"
			);
			for (blueprint, weight) in &self.incentivized {
				assert!(*weight > 0, "rewards: an incentivized blueprint's weight is zero");
				IncentivizedBlueprints::<T>::insert(blueprint, weight);
			}
			// Blocks are numbered from the one after genesis: era 0 spans exactly
			// `era_length` blocks.
			let start = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
			ActiveEra::<T>::put(ActiveEraInfo { index: 0, start, weighted_points: 0 });
			Pallet::<T>::ensure_pot_exists();
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_on_initialize(now)
		}

		fn integrity_test() {
			assert!(
				T::MaxPositionsPerStaker::get() >= T::Operators::max_positions_per_staker(),
				"MaxPositionsPerStaker must cover every position a staker can hold, or some \
				 would earn nothing"
			);
			assert!(T::MaxEraWorkItemsPerBlock::get() > 0, "MaxEraWorkItemsPerBlock is zero");
			let one_item = T::WeightInfo::on_initialize_idle()
				.saturating_add(T::WeightInfo::on_initialize_era_start())
				.saturating_add(T::WeightInfo::on_initialize_settle_operator());
			assert!(
				one_item.all_lte(T::EraWorkWeightLimit::get()),
				"EraWorkWeightLimit can't fit an era start and one settlement"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Pays `amount` into the reward pot. It is distributed at the end of the active era.
		#[pallet::call_index(0)]
		pub fn fund_pot(
			origin: OriginFor<T>,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_fund_pot(who, amount)
		}

		/// Sets the caller's commission, from the next era on. The caller must be an
		/// operator.
		#[pallet::call_index(1)]
		pub fn set_commission(origin: OriginFor<T>, commission: Perbill) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_commission(who, commission)
		}

		/// Incentivizes `blueprint` with `weight`, or changes its weight. Applies to work
		/// recorded from now on.
		#[pallet::call_index(2)]
		pub fn set_incentivized(
			origin: OriginFor<T>,
			blueprint: BlueprintId,
			weight: u32,
		) -> DispatchResult {
			T::IncentiveOrigin::ensure_origin(origin)?;
			Self::do_set_incentivized(blueprint, weight)
		}

		/// Stops incentivizing `blueprint`. Points already recorded keep counting.
		#[pallet::call_index(3)]
		pub fn remove_incentivized(origin: OriginFor<T>, blueprint: BlueprintId) -> DispatchResult {
			T::IncentiveOrigin::ensure_origin(origin)?;
			Self::do_remove_incentivized(blueprint)
		}

		/// Changes the parameters. A new era length applies to the active era too.
		#[pallet::call_index(4)]
		pub fn set_params(
			origin: OriginFor<T>,
			params: RewardParams<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Pays all of the caller's rewards. Charged for the most positions a staker may
		/// hold, refunded down to the positions it holds.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::claim(T::MaxPositionsPerStaker::get()))]
		pub fn claim(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let positions = Self::do_claim(who)?;
			Ok(Some(T::WeightInfo::claim(positions.max(1))).into())
		}

		/// Pays all of `who`'s rewards to `who`. Anyone may call it. Charged as `claim`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::claim_for(T::MaxPositionsPerStaker::get()))]
		pub fn claim_for(origin: OriginFor<T>, who: T::AccountId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let positions = Self::do_claim(who)?;
			Ok(Some(T::WeightInfo::claim_for(positions.max(1))).into())
		}

		/// Does one item of the era-boundary work that `on_initialize` did not get to yet:
		/// settles the next operator of the era being settled, or prunes the next old
		/// statistics entry. Anyone may call it.
		#[pallet::call_index(7)]
		pub fn settle_next(origin: OriginFor<T>) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_next()
		}
	}
}
