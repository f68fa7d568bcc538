//! The operators boundary: operator state and stake, read and slashed by other pallets.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, weights::Weight, BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound,
	EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

use crate::BlueprintId;

/// The lifecycle state of an operator.
///
/// ```text
///            go_offline              schedule_leave
///   Active ─────────────▶ Inactive ──────────────┐
///     ▲  ◀─────────────              │            ▼
///     │      go_online               └──▶ Leaving { at } ──execute_leave (≥ at)──▶ removed
///     └──────────────── cancel_leave ───────────┘
/// ```
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum OperatorState<BlockNumber> {
	/// Accepts new registrations, requests and approvals.
	Active,
	/// Keeps serving its existing services; accepts nothing new.
	Inactive,
	/// Leaving: accepts nothing new; may execute the leave from block `at`.
	Leaving {
		/// The first block at which `execute_leave` is allowed.
		at: BlockNumber,
	},
}

impl<B> OperatorState<B> {
	/// Whether the operator accepts new services, registrations and approvals.
	pub fn is_active(&self) -> bool {
		matches!(self, OperatorState::Active)
	}
}

/// The blueprints a delegation backs: what its stake earns from and may be slashed for.
///
/// A delegation to [`Self::All`] backs every blueprint its operator serves, now and later.
/// A delegation to [`Self::Only`] a list is never slashed for a service of a blueprint
/// outside it, and doesn't count towards the operator's stake for those blueprints. A
/// delegation keeps its selection for its whole life.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
)]
#[scale_info(skip_type_params(MaxBlueprints))]
pub enum BlueprintSelection<MaxBlueprints: Get<u32>> {
	/// Every blueprint of the operator.
	#[default]
	All,
	/// Only these blueprints: non-empty, in increasing order, each once.
	Only(BoundedVec<BlueprintId, MaxBlueprints>),
}

impl<MaxBlueprints: Get<u32>> BlueprintSelection<MaxBlueprints> {
	/// Whether a delegation with this selection backs `blueprint`.
	pub fn covers(&self, blueprint: BlueprintId) -> bool {
		match self {
			Self::All => true,
			Self::Only(list) => list.binary_search(&blueprint).is_ok(),
		}
	}

	/// The blueprints named, none for [`Self::All`].
	pub fn named(&self) -> &[BlueprintId] {
		match self {
			Self::All => &[],
			Self::Only(list) => list,
		}
	}

	/// Whether the selection is well formed: [`Self::All`], or a non-empty list in strictly
	/// increasing order.
	pub fn is_well_formed(&self) -> bool {
		match self {
			Self::All => true,
			Self::Only(list) => !list.is_empty() && list.windows(2).all(|w| w[0] < w[1]),
		}
	}
}

/// Operators, their state and their stake. Implemented by the operators pallet.
pub trait OperatorRegistry<AccountId, Balance, BlockNumber> {
	/// Funds taken by [`Self::slash_positions`], not yet placed anywhere. Dropping it burns
	/// them.
	type Credit;

	/// The operator's state, or `None` if it is not an operator.
	fn state(operator: &AccountId) -> Option<OperatorState<BlockNumber>>;

	/// Whether `operator` exists and is Active.
	fn is_active(operator: &AccountId) -> bool {
		Self::state(operator).map(|s| s.is_active()).unwrap_or(false)
	}

	/// The operator's own bond, unbonding parts and a bond unbonding after its exit
	/// included (all of it is slashable).
	fn own_stake(operator: &AccountId) -> Balance;

	/// The stake delegated to the operator, unbonding parts included.
	fn delegated_stake(operator: &AccountId) -> Balance;

	/// Own plus delegated stake, unbonding parts included: what backs the operator's
	/// services and what a slash is measured against.
	fn total_stake(operator: &AccountId) -> Balance;

	/// Every stake position on the operator as `(staker, active stake)`: the operator's own
	/// bond first, then each delegation. Unbonding parts are left out: they earn nothing.
	/// Bounded by the operators pallet's delegator limit.
	fn stake_positions(operator: &AccountId) -> Vec<(AccountId, Balance)>;

	/// The stake that backs the operator's services of `blueprint`: its own stake, and the
	/// delegations (active and unbonding) to all of its blueprints or to a list naming
	/// `blueprint`.
	fn blueprint_stake(operator: &AccountId, blueprint: BlueprintId) -> Balance;

	/// Every position that answers for an offence of the operator in a service of
	/// `blueprint` committed at block `offence_at`, as `(staker, slashable stake)`: its own
	/// bond first (active, unbonding, and unbonding after its exit), then each delegation
	/// that backs `blueprint` (see [`BlueprintSelection`]), with the stake it had at
	/// `offence_at` that it still holds (active and unbonding). Stake delegated after the
	/// offence answers for nothing. At most [`Self::max_slashable_positions`].
	fn slashable_positions(
		operator: &AccountId,
		blueprint: BlueprintId,
		offence_at: BlockNumber,
	) -> Vec<(AccountId, Balance)>;

	/// The most positions [`Self::slashable_positions`] returns.
	fn max_slashable_positions() -> u32;

	/// Takes from each position of `operator` up to the amount `takes` names for its
	/// staker, spread over the position's active and unbonding parts in proportion to their
	/// size, never more than the position holds. Returns the funds and their total.
	fn slash_positions(
		operator: &AccountId,
		takes: &[(AccountId, Balance)],
	) -> (Self::Credit, Balance);

	/// The shortest time unbonding stake stays slashable before it can be withdrawn: the
	/// smaller of the delegators' unbonding delay (which also applies to an operator's bond
	/// after its exit) and the operators' bond-less delay. The slash defer window plus the
	/// report window must stay shorter than this.
	fn unbonding_delay() -> BlockNumber;

	/// The most stake positions one account can hold: one per delegation it may have, plus
	/// its own bond if it is an operator. A registry without delegation keeps this default.
	fn max_positions_per_staker() -> u32 {
		1
	}

	/// The most weight the stake observer uses for one position whose active stake
	/// changes. A caller that benchmarks a [`Self::slash_positions`] adds it per position:
	/// its benchmark can't set up the observer's worst case for every position. Test
	/// implementations may keep this default of zero.
	fn stake_change_weight() -> Weight {
		Weight::zero()
	}
}

/// Told before any active stake position changes, so per-share reward accumulators stay
/// exact. Implemented by the rewards pallet.
///
/// "Active" stake is what earns rewards: bonded or delegated, not unbonding. The operator's
/// own bond is the position `(operator, operator)`.
pub trait StakeObserver<AccountId, Balance> {
	/// `staker`'s active stake on `operator` is about to change from `old` to `new` (a bond,
	/// delegation, unbonding request or its cancellation, a slash, or an exit).
	fn before_stake_change(operator: &AccountId, staker: &AccountId, old: Balance, new: Balance);

	/// The most weight one [`Self::before_stake_change`] uses. Every call and hook that
	/// changes stake charges it once per position it changes.
	fn before_stake_change_weight() -> Weight {
		Weight::zero()
	}
}

impl<AccountId, Balance> StakeObserver<AccountId, Balance> for () {
	fn before_stake_change(_: &AccountId, _: &AccountId, _: Balance, _: Balance) {}
}

/// The operators pallet's runtime parameters: durations and minimums governance may change.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct OperatorParams<Balance, BlockNumber> {
	/// Blocks between `schedule_leave` and the first block `execute_leave` is allowed.
	/// Non-zero.
	pub leave_delay: BlockNumber,
	/// Blocks an operator's bond-less request stays slashable before it can be released.
	/// Longer than the slash defer window.
	pub bond_less_delay: BlockNumber,
	/// Blocks an undelegation stays slashable before it can be released. Longer than the
	/// slash defer window.
	pub unbonding_delay: BlockNumber,
	/// The smallest bond an operator may join with or keep. Non-zero.
	pub min_operator_bond: Balance,
	/// The smallest amount one `delegate` may add, and the smallest active delegation that
	/// may remain after a partial undelegation. Non-zero.
	pub min_delegation: Balance,
}

/// A part of a stake position on its way out: still slashable until `unlock_at`, then
/// releasable.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct UnbondingChunk<Balance, BlockNumber> {
	/// What is unbonding.
	pub amount: Balance,
	/// The first block it can be released in.
	pub unlock_at: BlockNumber,
}

/// An operator, as returned by [`OperatorsApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OperatorInfo<Balance, BlockNumber> {
	/// Its lifecycle state.
	pub state: OperatorState<BlockNumber>,
	/// Its active bond.
	pub bond: Balance,
	/// Its bond-less requests, in the order they were made.
	pub unbonding: Vec<UnbondingChunk<Balance, BlockNumber>>,
	/// The active stake delegated to it.
	pub delegated_active: Balance,
	/// The delegated stake that is unbonding (still slashable).
	pub delegated_unbonding: Balance,
	/// How many delegators have active stake on it (the slots `MaxDelegatorsPerOperator`
	/// bounds); delegations only unbonding don't count.
	pub delegator_count: u32,
	/// The smallest delegation it accepts: its own minimum, or the chain's if higher.
	pub min_delegation: Balance,
	/// Own plus delegated stake, unbonding parts included: what a slash is measured against.
	pub total_stake: Balance,
}

/// A delegation, as returned by [`OperatorsApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DelegationInfo<AccountId, Balance, BlockNumber> {
	/// The operator delegated to. It may have left: then only unbonding parts remain.
	pub operator: AccountId,
	/// The active delegated stake.
	pub amount: Balance,
	/// The undelegation requests, in the order they were made.
	pub unbonding: Vec<UnbondingChunk<Balance, BlockNumber>>,
	/// The blueprints it backs, in increasing order; `None` for all of the operator's.
	pub blueprints: Option<Vec<BlueprintId>>,
}

sp_api::decl_runtime_apis! {
	/// Read access to operators and delegations, for wallets and operator dashboards.
	pub trait OperatorsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The operator `who`, or `None` if it is not an operator.
		fn operator(who: AccountId) -> Option<OperatorInfo<Balance, BlockNumber>>;
		/// Every delegation of `who`, at most the pallet's per-delegator limit.
		fn delegations_of(who: AccountId) -> Vec<DelegationInfo<AccountId, Balance, BlockNumber>>;
		/// The operators parameters in force.
		fn operator_params() -> OperatorParams<Balance, BlockNumber>;
		/// The bond `who` left behind when it stopped being an operator, still unbonding
		/// (slashable) until released, if any.
		fn exit_bond(who: AccountId) -> Option<UnbondingChunk<Balance, BlockNumber>>;
	}
}
