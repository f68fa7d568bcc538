#![doc = include_str!("../README.md")]
//!
//! ## Example
//!
//! An operator joins, takes a delegation, leaves, and the delegator reclaims its stake:
#![doc = docify::embed!("src/tests/lifecycle.rs", join_delegate_leave_reclaim)]
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod features;
mod invariants;
mod ledger;
mod runtime_api;
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
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, MutateHold},
			BuildGenesisConfig,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::One;
	use warden_primitives::{
		BlueprintId, BlueprintSelection, ServiceInspect, SlashInspect, StakeObserver,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the operators pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The native currency: bonds and delegations are held in it, and slashed from holds.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::hold::Balanced<Self::AccountId>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// What the services pallet knows about an operator: exit is refused while it serves
		/// services or is registered for blueprints.
		type Services: ServiceInspect<Self::AccountId>;

		/// What the slashing pallet knows about an operator: what pending slashes hold back
		/// of each position (never released while they may take it), and the windows the
		/// unbonding delays must exceed.
		type Slashing: SlashInspect<Self::AccountId, BlockNumberFor<Self>, BalanceOf<Self>>;

		/// Told before any active stake position changes (the rewards pallet).
		type StakeObserver: StakeObserver<Self::AccountId, BalanceOf<Self>>;

		/// The origin that may change [`Params`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most operators one account may delegate to at once (delegations still
		/// unbonding included).
		#[pallet::constant]
		type MaxDelegationsPerDelegator: Get<u32>;

		/// The most delegators with active stake one operator may have at once: its
		/// delegator slots. Bounds, with the next bound, the work of `execute_leave` and of a
		/// slash.
		#[pallet::constant]
		type MaxDelegatorsPerOperator: Get<u32>;

		/// The most delegations only unbonding one operator may have at once, taking no slot.
		/// Beyond it a delegation that stops being active keeps its slot until released.
		#[pallet::constant]
		type MaxUnbondingDelegatorsPerOperator: Get<u32>;

		/// The most unbonding chunks one stake position (an operator's own bond, or one
		/// delegation) may have at once. Requests unlocking in the same block share a chunk.
		#[pallet::constant]
		type MaxUnbondingRequests: Get<u32>;

		/// The most blueprints a delegation to a list of blueprints may name.
		#[pallet::constant]
		type MaxBlueprintsPerDelegation: Get<u32>;

		/// The most increases one delegation remembers: how many times (in distinct
		/// blocks) it may grow within the slashing pallet's `max_offence_age`.
		#[pallet::constant]
		type MaxRecentIncreases: Get<u32>;

		/// Weights of the calls, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An operator's own bond, active and unbonding.
		OperatorBond,
		/// Delegated stake, active and unbonding.
		Delegation,
	}

	/// The runtime parameters in force: delays and minimums.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery>;

	/// Every operator's ledger, by operator account.
	#[pallet::storage]
	pub type Operators<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Operator<T>>;

	/// How many entries [`Operators`] has.
	#[pallet::storage]
	pub type OperatorCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Every delegation, by operator then delegator. A delegation outlives its operator's
	/// exit until its unbonding chunks are released.
	#[pallet::storage]
	pub type Delegations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		Delegation<T>,
	>;

	/// The sum of the [`Delegations`] recorded on each operator account.
	#[pallet::storage]
	pub type DelegationTotals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DelegationSummary<BalanceOf<T>>, ValueQuery>;

	/// The stake (active and unbonding) delegated to each operator by delegations to a list
	/// of blueprints, by operator and named blueprint. With the stake of the delegations to
	/// all of an operator's blueprints it makes the stake backing one blueprint. No zero
	/// entries.
	#[pallet::storage]
	pub type BlueprintDelegations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		BlueprintId,
		BalanceOf<T>,
		ValueQuery,
	>;

	/// The bond an account left behind when it stopped being an operator: one unbonding
	/// chunk, slashable until released with `release_exit_bond`. Held under
	/// [`HoldReason::OperatorBond`]. The account can't join again while it has one.
	#[pallet::storage]
	pub type ExitBonds<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, UnbondingChunkOf<T>>;

	/// The operators each delegator has a [`Delegations`] record with.
	#[pallet::storage]
	pub type DelegationsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<T::AccountId, T::MaxDelegationsPerDelegator>,
		ValueQuery,
	>;

	/// Events of the operators pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account bonded and became an Active operator.
		OperatorJoined {
			/// The new operator.
			operator: T::AccountId,
			/// Its bond.
			bond: BalanceOf<T>,
		},
		/// An operator went Inactive: it accepts no new services.
		OperatorWentOffline {
			/// The operator.
			operator: T::AccountId,
		},
		/// An operator went back to Active.
		OperatorWentOnline {
			/// The operator.
			operator: T::AccountId,
		},
		/// An operator scheduled its exit.
		LeaveScheduled {
			/// The operator.
			operator: T::AccountId,
			/// The first block `execute_leave` is allowed.
			at: BlockNumberFor<T>,
		},
		/// An operator cancelled its exit and is Active again.
		LeaveCancelled {
			/// The operator.
			operator: T::AccountId,
		},
		/// An operator left: its whole bond moved to unbonding as its exit bond (slashable
		/// until `unlock_at`), and its delegations moved to unbonding.
		OperatorLeft {
			/// The former operator.
			operator: T::AccountId,
			/// The exit bond (active and unbonding).
			bond: BalanceOf<T>,
			/// The first block the whole exit bond can be released in.
			unlock_at: BlockNumberFor<T>,
		},
		/// Due chunks of a former operator's exit bond were released to it.
		ExitBondReleased {
			/// The former operator.
			operator: T::AccountId,
			/// What was released.
			amount: BalanceOf<T>,
		},
		/// An operator set the smallest delegation it accepts.
		MinDelegationSet {
			/// The operator.
			operator: T::AccountId,
			/// Its minimum; delegations must also meet the chain's.
			min_delegation: BalanceOf<T>,
		},
		/// An operator increased its bond.
		BondIncreased {
			/// The operator.
			operator: T::AccountId,
			/// What was added.
			amount: BalanceOf<T>,
			/// The active bond now.
			bond: BalanceOf<T>,
		},
		/// An operator moved part of its bond to unbonding.
		BondLessScheduled {
			/// The operator.
			operator: T::AccountId,
			/// What is unbonding.
			amount: BalanceOf<T>,
			/// The first block it can be released.
			unlock_at: BlockNumberFor<T>,
		},
		/// Due bond-less chunks were released to an operator.
		BondLessReleased {
			/// The operator.
			operator: T::AccountId,
			/// What was released.
			amount: BalanceOf<T>,
		},
		/// An operator moved unbonding stake back to its active bond.
		BondLessCancelled {
			/// The operator.
			operator: T::AccountId,
			/// What went back to the active bond.
			amount: BalanceOf<T>,
		},
		/// A delegator delegated stake to an operator.
		Delegated {
			/// The delegator.
			delegator: T::AccountId,
			/// The operator.
			operator: T::AccountId,
			/// What was added.
			amount: BalanceOf<T>,
		},
		/// A new delegation backs only the blueprints it names: it is never slashed for, nor
		/// counted towards the operator's stake in, any other. Emitted before its
		/// [`Event::Delegated`].
		DelegationScoped {
			/// The delegator.
			delegator: T::AccountId,
			/// The operator.
			operator: T::AccountId,
			/// The blueprints it backs, in increasing order.
			blueprints: BoundedVec<BlueprintId, T::MaxBlueprintsPerDelegation>,
		},
		/// Delegated stake moved to unbonding, on the delegator's request or because the
		/// operator left.
		UndelegationScheduled {
			/// The delegator.
			delegator: T::AccountId,
			/// The operator.
			operator: T::AccountId,
			/// What is unbonding.
			amount: BalanceOf<T>,
			/// The first block it can be released.
			unlock_at: BlockNumberFor<T>,
		},
		/// An operator evicted a delegation below its minimum: its active stake is
		/// unbonding, as if the delegator had undelegated it.
		DelegationEvicted {
			/// The operator.
			operator: T::AccountId,
			/// The delegator.
			delegator: T::AccountId,
			/// The active stake moved into unbonding.
			amount: BalanceOf<T>,
			/// The first block it can be released.
			unlock_at: BlockNumberFor<T>,
		},
		/// Due undelegation chunks were released to a delegator.
		UndelegationReleased {
			/// The delegator.
			delegator: T::AccountId,
			/// The operator.
			operator: T::AccountId,
			/// What was released.
			amount: BalanceOf<T>,
		},
		/// A delegator moved unbonding stake back to active delegation.
		UndelegationCancelled {
			/// The delegator.
			delegator: T::AccountId,
			/// The operator.
			operator: T::AccountId,
			/// What went back to active delegation.
			amount: BalanceOf<T>,
		},
		/// A slash of an operator took stake from one account: the operator's own stake
		/// (`staker == operator`) or a delegation.
		Slashed {
			/// The slashed operator.
			operator: T::AccountId,
			/// Whose stake was taken.
			staker: T::AccountId,
			/// What was taken, active and unbonding.
			amount: BalanceOf<T>,
		},
		/// The runtime parameters changed.
		ParamsSet {
			/// The new parameters.
			params: ParamsOf<T>,
		},
	}

	/// Errors of the operators pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already an operator.
		AlreadyOperator,
		/// The account is not an operator.
		NotOperator,
		/// The bond (or the bond left) is below the minimum operator bond.
		BondTooLow,
		/// The amount is zero.
		ZeroAmount,
		/// The operator is already Inactive.
		AlreadyOffline,
		/// The operator is already Active.
		AlreadyOnline,
		/// The operator is Leaving and accepts nothing new.
		OperatorLeaving,
		/// The operator has already scheduled its exit.
		AlreadyLeaving,
		/// The operator has not scheduled an exit.
		NotLeaving,
		/// The leave delay has not passed yet.
		LeaveNotDue,
		/// The operator still serves services or has approved pending requests.
		HasActiveServices,
		/// The operator is still registered for blueprints.
		HasRegistrations,
		/// What is due is held back by pending slashes against the operator: nothing can be
		/// released before they conclude.
		HeldBackForSlash,
		/// The account left a bond that is still unbonding: release it before joining again.
		ExitBondUnreleased,
		/// The account has no exit bond.
		NoExitBond,
		/// The amount is more than the operator's active bond.
		NotEnoughBond,
		/// The stake position already has the most unbonding chunks allowed.
		TooManyUnbondingRequests,
		/// Nothing is unbonding.
		NoUnbonding,
		/// No unbonding chunk is due yet.
		UnbondingNotDue,
		/// The amount is more than what is unbonding.
		NotEnoughUnbonding,
		/// The operator is not Active.
		OperatorNotActive,
		/// An operator can't delegate to itself: its bond is its own stake.
		SelfDelegation,
		/// The delegation (or the delegation left) is below the minimum delegation.
		DelegationBelowMinimum,
		/// The operator already has the most delegators allowed.
		TooManyDelegators,
		/// The delegator already has the most delegations allowed.
		TooManyDelegations,
		/// The account has no delegation on this operator.
		NotDelegated,
		/// A list of blueprints must be non-empty, in increasing order and name each once.
		InvalidBlueprintSelection,
		/// The delegation already backs other blueprints: a delegation keeps the blueprints
		/// it was made for until it is fully released.
		BlueprintSelectionMismatch,
		/// The delegation grew in too many blocks within the slashing pallet's offence age
		/// cap: wait for the oldest of those increases to age out.
		TooManyRecentIncreases,
		/// The delegation meets the operator's minimum: it can't be evicted.
		DelegationNotBelowMinimum,
		/// The delegation has no active stake left to evict (it is only unbonding).
		NothingToEvict,
		/// The amount is more than the active delegation.
		NotEnoughDelegation,
		/// The leave delay is zero.
		ZeroLeaveDelay,
		/// A minimum bond or delegation is zero.
		ZeroMinimum,
		/// The unbonding delay is not longer than the slash defer window plus the report
		/// window, or than the offence age cap.
		UnbondingDelayTooShort,
		/// The bond-less delay is not longer than the slash defer window plus the report
		/// window, or than the offence age cap.
		BondLessDelayTooShort,
	}

	/// Genesis: parameters, operators and delegations, with their funds held.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The runtime parameters. Checked like [`Pallet::set_params`] does; building panics
		/// if they are invalid.
		pub params: ParamsOf<T>,
		/// Operators as `(account, bond)`: each becomes Active with its bond held.
		pub operators: Vec<(T::AccountId, BalanceOf<T>)>,
		/// Delegations as `(delegator, operator, amount)`, held.
		pub delegations: Vec<(T::AccountId, T::AccountId, BalanceOf<T>)>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		/// Delays of 20 blocks, longer than the slashing pallet's default defer window of 10.
		fn default() -> Self {
			let delay = BlockNumberFor::<T>::from(20u32);
			Self {
				params: ParamsOf::<T> {
					leave_delay: delay,
					bond_less_delay: delay,
					unbonding_delay: delay,
					min_operator_bond: BalanceOf::<T>::one(),
					min_delegation: BalanceOf::<T>::one(),
				},
				operators: Vec::new(),
				delegations: Vec::new(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(e) = Pallet::<T>::ensure_valid_params(&self.params) {
				panic!(
					"operators genesis: invalid params {:?} (slash defer window {:?}): {:?}",
					self.params,
					T::Slashing::defer_duration(),
					e
				);
			}
			Params::<T>::put(&self.params);
			for (operator, bond) in &self.operators {
				if let Err(e) = Pallet::<T>::do_join_operators(operator, *bond) {
					panic!("operators genesis: {operator:?} can't join with bond {bond:?}: {e:?}");
				}
			}
			for (delegator, operator, amount) in &self.delegations {
				if let Err(e) = Pallet::<T>::do_delegate(delegator, operator, *amount, None) {
					panic!(
						"operators genesis: {delegator:?} can't delegate {amount:?} to {operator:?}: {e:?}"
					);
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxDelegationsPerDelegator::get() > 0, "MaxDelegationsPerDelegator is zero");
			assert!(T::MaxDelegatorsPerOperator::get() > 0, "MaxDelegatorsPerOperator is zero");
			assert!(T::MaxUnbondingRequests::get() > 0, "MaxUnbondingRequests is zero");
			assert!(T::MaxBlueprintsPerDelegation::get() > 0, "MaxBlueprintsPerDelegation is zero");
			assert!(T::MaxRecentIncreases::get() > 0, "MaxRecentIncreases is zero");
			// The default delays must outlast the slashing pallet's default windows.
			if let Err(e) = Self::ensure_valid_params(&GenesisConfig::<T>::default().params) {
				panic!("the default operators params are invalid: {e:?}");
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Bond `bond` (at least the minimum operator bond) and become an Active operator.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::join_operators().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn join_operators(
			origin: OriginFor<T>,
			#[pallet::compact] bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_join_operators(&who, bond)
		}

		/// Go Inactive: keep serving existing services, accept no new ones.
		#[pallet::call_index(1)]
		pub fn go_offline(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_go_offline(&who)
		}

		/// Go back from Inactive to Active.
		#[pallet::call_index(2)]
		pub fn go_online(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_go_online(&who)
		}

		/// Start leaving: the operator becomes `Leaving { at: now + leave_delay }` and
		/// accepts nothing new.
		#[pallet::call_index(3)]
		pub fn schedule_leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_schedule_leave(&who)
		}

		/// Stop leaving: the operator is Active again.
		#[pallet::call_index(4)]
		pub fn cancel_leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_leave(&who)
		}

		/// Leave, once the leave delay passed and the operator has no active services and no
		/// blueprint registrations: remove the operator, move its whole bond into its exit
		/// bond (slashable until the unbonding delay passed, released with
		/// `release_exit_bond`), and move every delegation to it into unbonding.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::execute_leave().saturating_add(
			Pallet::<T>::observer_weight(T::MaxDelegatorsPerOperator::get().saturating_add(1))
		))]
		pub fn execute_leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_execute_leave(&who)
		}

		/// Add `amount` to the operator's active bond.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::bond_more().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn bond_more(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_more(&who, amount)
		}

		/// Move `amount` of the active bond to unbonding; the bond left must stay at or above
		/// the minimum. It stays slashable until released after the bond-less delay.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::schedule_bond_less().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn schedule_bond_less(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_schedule_bond_less(&who, amount)
		}

		/// Release the due bond-less chunks, except what pending slashes against the operator
		/// may still take from its bond.
		#[pallet::call_index(8)]
		pub fn execute_bond_less(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_execute_bond_less(&who)
		}

		/// Move `amount` of the unbonding bond back to the active bond, newest chunks first.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::cancel_bond_less().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn cancel_bond_less(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_bond_less(&who, amount)
		}

		/// Delegate `amount` (at least the chain's minimum delegation) to an Active operator;
		/// the delegation must end at or above the operator's own minimum too. A new
		/// delegation backs all of the operator's blueprints; adding to one made with
		/// [`Pallet::delegate_with_selection`] keeps its list.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::delegate()
			.max(T::WeightInfo::delegate_with_selection())
			.saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn delegate(
			origin: OriginFor<T>,
			operator: T::AccountId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delegate(&who, &operator, amount, None)
		}

		/// Move `amount` of the delegation to `operator` into unbonding; what stays active
		/// must be zero or at least the minimum delegation (the chain's and the operator's). It
		/// stays slashable until released after the unbonding delay.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::schedule_undelegate().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn schedule_undelegate(
			origin: OriginFor<T>,
			operator: T::AccountId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_schedule_undelegate(&who, &operator, amount)
		}

		/// Release the due undelegation chunks of the delegation to `operator`, except what
		/// pending slashes against `operator` may still take from it.
		#[pallet::call_index(12)]
		pub fn execute_undelegate(origin: OriginFor<T>, operator: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_execute_undelegate(&who, &operator)
		}

		/// Move `amount` of the unbonding delegation to `operator` back to active, newest
		/// chunks first. The operator must still exist and not be Leaving.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::cancel_undelegate().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn cancel_undelegate(
			origin: OriginFor<T>,
			operator: T::AccountId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_undelegate(&who, &operator, amount)
		}

		/// Replace the runtime parameters. The leave delay and the minimums must be non-zero,
		/// and the unbonding and bond-less delays longer than the slash defer window.
		#[pallet::call_index(14)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Release the former operator's exit bond once due, except what pending slashes
		/// may still take from it. What is held back stays, to be released later.
		#[pallet::call_index(15)]
		pub fn release_exit_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_exit_bond(&who)
		}

		/// Set the smallest delegation the operator accepts, on top of the chain's minimum.
		/// Existing delegations keep their amount; a delegation that changes must meet it,
		/// and the operator may evict those below it ([`Pallet::evict_delegation`]).
		#[pallet::call_index(16)]
		pub fn set_min_delegation(
			origin: OriginFor<T>,
			#[pallet::compact] min_delegation: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_min_delegation(&who, min_delegation)
		}

		/// The calling operator evicts `delegator`'s delegation, whose active stake is below
		/// the operator's minimum (its own, or the chain's if higher): that stake moves into
		/// unbonding, releasable after the unbonding delay, as if the delegator had
		/// undelegated it. Nothing is slashed or lost. Frees the slot of a delegation too
		/// small to be worth its place (while there is room among the unbonding-only
		/// delegations, as for any undelegation).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::evict_delegation().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn evict_delegation(origin: OriginFor<T>, delegator: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_evict_delegation(&who, &delegator)
		}

		/// Delegate `amount` to an Active operator, as [`Pallet::delegate`] does, backing
		/// only the blueprints `blueprints` names (or all of them): stake delegated to a list
		/// is never slashed for a service of a blueprint outside it, and counts towards the
		/// operator's stake only for the blueprints it names. A new delegation takes the
		/// selection for its whole life; adding to an existing one must name the selection
		/// it has.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::delegate_with_selection().saturating_add(Pallet::<T>::observer_weight(1)))]
		pub fn delegate_with_selection(
			origin: OriginFor<T>,
			operator: T::AccountId,
			#[pallet::compact] amount: BalanceOf<T>,
			blueprints: BlueprintSelection<T::MaxBlueprintsPerDelegation>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delegate(&who, &operator, amount, Some(blueprints))
		}
	}
}
