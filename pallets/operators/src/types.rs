//! The pallet's ledger types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{OperatorParams, OperatorState, UnbondingChunk};

use crate::Config;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Funds a slash took, not yet placed anywhere. Dropping it burns them.
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

/// The runtime parameters of the pallet.
pub type ParamsOf<T> = OperatorParams<BalanceOf<T>, BlockNumberFor<T>>;

/// One unbonding chunk.
pub type UnbondingChunkOf<T> = UnbondingChunk<BalanceOf<T>, BlockNumberFor<T>>;

/// The unbonding chunks of one stake position, bounded by [`Config::MaxUnbondingRequests`].
pub type UnbondingQueue<T> = BoundedVec<UnbondingChunkOf<T>, <T as Config>::MaxUnbondingRequests>;

/// The state of an operator.
pub type OperatorStateOf<T> = OperatorState<BlockNumberFor<T>>;

/// An operator's own ledger. What it lists is held under [`crate::HoldReason::OperatorBond`].
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
)]
#[scale_info(skip_type_params(T))]
pub struct Operator<T: Config> {
	/// Its lifecycle state.
	pub state: OperatorStateOf<T>,
	/// Its active bond: earns rewards, backs services, slashable.
	pub bond: BalanceOf<T>,
	/// Its bond-less requests: slashable, released by `execute_bond_less` once due.
	pub unbonding: UnbondingQueue<T>,
	/// The smallest delegation it accepts, on top of the chain's `min_delegation`: raises
	/// the cost of taking its delegator slots.
	pub min_delegation: BalanceOf<T>,
}

impl<T: Config> Operator<T> {
	/// Active bond plus unbonding chunks: everything held for this operator's own stake.
	pub fn total(&self) -> BalanceOf<T> {
		self.bond.saturating_add(total_of::<T>(&self.unbonding))
	}
}

/// One delegator's stake on one operator. What it lists is held under
/// [`crate::HoldReason::Delegation`].
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
)]
#[scale_info(skip_type_params(T))]
pub struct Delegation<T: Config> {
	/// The active delegated stake: earns rewards, slashable.
	pub amount: BalanceOf<T>,
	/// The undelegation requests: slashable, released by `execute_undelegate` once due.
	pub unbonding: UnbondingQueue<T>,
	/// Whether it takes one of the operator's `MaxDelegatorsPerOperator` slots. Every
	/// delegation with active stake does; one only unbonding doesn't, unless the operator
	/// had no room left for unbonding-only delegations when it became one.
	pub slot: bool,
}

impl<T: Config> Default for Delegation<T> {
	fn default() -> Self {
		Self { amount: Zero::zero(), unbonding: BoundedVec::new(), slot: false }
	}
}

impl<T: Config> Delegation<T> {
	/// The unbonding part of the delegation.
	pub fn unbonding_total(&self) -> BalanceOf<T> {
		total_of::<T>(&self.unbonding)
	}

	/// Active plus unbonding: everything held for this delegation.
	pub fn total(&self) -> BalanceOf<T> {
		self.amount.saturating_add(self.unbonding_total())
	}

	/// Whether nothing is left in it, so its record goes.
	pub fn is_empty(&self) -> bool {
		self.amount.is_zero() && self.unbonding.is_empty()
	}
}

/// The sum of every delegation recorded on an operator (which may have left since).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct DelegationSummary<Balance> {
	/// How many delegation records take a slot: at most `MaxDelegatorsPerOperator`.
	pub delegators: u32,
	/// How many delegation records only unbond and take no slot: at most
	/// `MaxUnbondingDelegatorsPerOperator`.
	pub unbonding_only: u32,
	/// Their active stake.
	pub active: Balance,
	/// Their unbonding stake.
	pub unbonding: Balance,
}

/// The sum of the amounts of `chunks`.
pub fn total_of<T: Config>(chunks: &[UnbondingChunkOf<T>]) -> BalanceOf<T> {
	chunks.iter().fold(Zero::zero(), |sum: BalanceOf<T>, c| sum.saturating_add(c.amount))
}
