//! The pallet's ledger types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{BlueprintSelection, OperatorParams, OperatorState, UnbondingChunk};

use crate::{Config, Error};

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

/// The blueprints a delegation backs, bounded by [`Config::MaxBlueprintsPerDelegation`].
pub type BlueprintSelectionOf<T> = BlueprintSelection<<T as Config>::MaxBlueprintsPerDelegation>;

/// A delegation's recent increases as `(block, amount)`, oldest first, one entry per block,
/// bounded by [`Config::MaxRecentIncreases`].
pub type RecentIncreases<T> =
	BoundedVec<(BlockNumberFor<T>, BalanceOf<T>), <T as Config>::MaxRecentIncreases>;

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
	/// The blueprints it backs: what it may be slashed for. Set when the delegation is
	/// made, kept until it is fully released.
	pub blueprints: BlueprintSelectionOf<T>,
	/// What was added to it in the last `max_offence_age` blocks, by block: stake added
	/// after an offence doesn't answer for it.
	pub increases: RecentIncreases<T>,
}

impl<T: Config> Default for Delegation<T> {
	fn default() -> Self {
		Self {
			amount: Zero::zero(),
			unbonding: BoundedVec::new(),
			slot: false,
			blueprints: BlueprintSelection::All,
			increases: BoundedVec::new(),
		}
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

	/// What of the delegation (active and unbonding) was there at block `at` and is still
	/// there: its total less what was added after `at`. Never more than either.
	pub fn stake_at(&self, at: BlockNumberFor<T>) -> BalanceOf<T> {
		let added_since = self
			.increases
			.iter()
			.filter(|(block, _)| *block > at)
			.fold(BalanceOf::<T>::zero(), |sum, (_, amount)| sum.saturating_add(*amount));
		self.total().saturating_sub(added_since)
	}

	/// Remembers that `amount` was added at block `now`. Forgets increases no offence
	/// reportable from `now` on (one at most `max_age` blocks old) can come before, and
	/// merges increases of the same block. Fails, changing nothing, if it already
	/// remembers the most increases.
	pub fn record_increase(
		&mut self,
		now: BlockNumberFor<T>,
		amount: BalanceOf<T>,
		max_age: BlockNumberFor<T>,
	) -> Result<(), Error<T>> {
		let mut increases = self.increases.clone();
		// An offence reportable from now on is at or after `now - max_age`: an increase at
		// or before that block was there before any of them.
		let oldest_offence = now.saturating_sub(max_age);
		increases.retain(|(block, _)| *block > oldest_offence);
		match increases.last_mut() {
			Some((block, added)) if *block == now => *added = added.saturating_add(amount),
			_ => {
				increases.try_push((now, amount)).map_err(|_| Error::<T>::TooManyRecentIncreases)?
			}
		}
		self.increases = increases;
		Ok(())
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
	/// The stake (active and unbonding) of those delegated to a list of blueprints rather
	/// than all of them: each named blueprint's share is in `BlueprintDelegations`.
	pub scoped: Balance,
}

/// The sum of the amounts of `chunks`.
pub fn total_of<T: Config>(chunks: &[UnbondingChunkOf<T>]) -> BalanceOf<T> {
	chunks.iter().fold(Zero::zero(), |sum: BalanceOf<T>, c| sum.saturating_add(c.amount))
}
