//! The types the slashing pallet stores, takes and emits.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Percent};
use warden_primitives::{
	schedule::DueQueue, BlueprintId, Evidence, ServiceId, SlashId, SlashReason, SlashingParams,
};

use crate::{Config, SlashDueCursor, SlashDueTails, SlashesDue};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Funds taken from stakers and not yet placed anywhere. Dropping it burns them.
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

/// The slashing parameters, with the runtime's balance and block number types.
pub type ParamsOf<T> = SlashingParams<BalanceOf<T>, BlockNumberFor<T>>;

/// The application queue: slash ids by the block they fall due in, over [`SlashesDue`],
/// [`SlashDueTails`] and [`SlashDueCursor`].
pub type SlashSchedule<T> =
	DueQueue<BlockNumberFor<T>, SlashId, SlashesDue<T>, SlashDueTails<T>, SlashDueCursor<T>>;

/// What a pending slash takes from each position, bounded by [`Config::MaxSlashedPositions`].
pub type PositionsOf<T> = BoundedVec<
	(<T as frame_system::Config>::AccountId, BalanceOf<T>),
	<T as Config>::MaxSlashedPositions,
>;

/// An offender's dispute statement, bounded by [`Config::MaxStatementLen`].
pub type StatementOf<T> = BoundedVec<u8, <T as Config>::MaxStatementLen>;

/// The offender's dispute of a pending slash.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Dispute<T: Config> {
	/// The block the dispute was filed in.
	pub at: BlockNumberFor<T>,
	/// The offender's statement for the reviewers.
	pub statement: StatementOf<T>,
}

/// A slash waiting for its `apply_at` block, during which it can be disputed and vetoed.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct PendingSlash<T: Config> {
	/// The operator to slash.
	pub offender: T::AccountId,
	/// The service the offence happened in.
	pub service: ServiceId,
	/// The blueprint of that service.
	pub blueprint: BlueprintId,
	/// The part of the offender's committed exposure to take.
	pub fraction: Perbill,
	/// The part of its stake the offender committed to the service.
	pub exposure: Percent,
	/// The offender's slashable stake for the offence when the slash was proposed: its own,
	/// and what delegations backing the blueprint had at the offence and still held,
	/// unbonding included. What the slash is measured against.
	pub stake: BalanceOf<T>,
	/// What the slash takes at most from each position, as `(staker, amount)`: fraction ×
	/// exposure × the position's slashable stake for the offence, rounded down. Positions with
	/// nothing to take are left out. The staker equal to the offender is its own bond.
	pub positions: PositionsOf<T>,
	/// Who reported it.
	pub reporter: T::AccountId,
	/// The reporter's deposit, held under [`crate::HoldReason::ReportDeposit`].
	pub deposit: BalanceOf<T>,
	/// The part of what the slash takes that goes to the reporter, fixed at proposal.
	pub reporter_reward: Perbill,
	/// What was reported.
	pub reason: SlashReason,
	/// Evidence for the reviewers.
	pub evidence: Evidence,
	/// The block the offence was committed in: each position's stake is what it had then
	/// and still holds.
	pub offence_at: BlockNumberFor<T>,
	/// The block the slash was proposed in.
	pub proposed_at: BlockNumberFor<T>,
	/// The first block the slash may be applied in.
	pub apply_at: BlockNumberFor<T>,
	/// The offender's dispute, if it filed one. A dispute does not move `apply_at`.
	pub dispute: Option<Dispute<T>>,
}

/// Why governance vetoed a slash. It decides what happens to the report deposit.
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
)]
pub enum VetoReason {
	/// The report was wrong or made in bad faith: the deposit is forfeited to the treasury.
	Unfounded,
	/// The report was made in good faith but the slash should not happen (for example a
	/// fault outside the operator's control): the deposit is returned to the reporter.
	Pardoned,
}

/// How a slash ended.
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
)]
pub enum SlashOutcome {
	/// The slash was applied to the offender's stake.
	Applied,
	/// Governance vetoed the slash.
	Vetoed(VetoReason),
}

/// The short record a concluded slash leaves behind, kept for
/// [`Config::OutcomeRetention`] blocks so late calls get a precise error.
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
)]
pub struct ConcludedSlash<BlockNumber> {
	/// The block the slash was applied or vetoed in.
	pub at: BlockNumber,
	/// How it ended.
	pub outcome: SlashOutcome,
}

/// Sets up operators in benchmarks. The runtime implements it with the operators pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Makes `who` an Active operator with `stake` of its own bond and `positions - 1`
	/// other slashable positions (delegations, some of them only unbonding if there are
	/// more than the operator's delegator slots), each of `stake`. Funds every account it
	/// needs.
	/// `positions` is at most the registry's `max_slashable_positions`.
	fn setup_operator(who: &AccountId, stake: Balance, positions: u32);
}
