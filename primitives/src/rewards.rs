//! The rewards boundary: verifiable work in, the current era out; and the rewards runtime
//! API.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{Balance, BlueprintId, EraIndex, ServiceId};

/// The outcome of a job call for one operator, as told to the rewards pallet.
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
pub enum WorkOutcome {
	/// A successful result.
	Success,
	/// A failed result.
	Failure,
	/// No result before the deadline.
	Missed,
}

/// Records what operators did, for rewards. Implemented by the rewards pallet.
///
/// Only availability earns points, weighted by the stake at risk: the owner of a service
/// can call its jobs and its operators can send heartbeats as often as they like, so
/// counting results or heartbeats would let an operator farm the era pot with services it
/// requested itself. Results and heartbeats are counted for the era's statistics.
pub trait RewardRecorder<AccountId, Balance> {
	/// An operator answered a job call of `service` with `outcome` (or missed it).
	fn record_work(
		operator: &AccountId,
		service: ServiceId,
		blueprint: BlueprintId,
		outcome: WorkOutcome,
	);
	/// An operator sent a valid heartbeat for `service`.
	fn record_heartbeat(operator: &AccountId, service: ServiceId, blueprint: BlueprintId);
	/// An operator was available on `blueprint` for one heartbeat window of `blocks` blocks,
	/// with `at_risk` of its stake committed to its services of the blueprint. Told at most
	/// once per operator, blueprint and window.
	fn record_availability(
		operator: &AccountId,
		blueprint: BlueprintId,
		at_risk: Balance,
		blocks: u32,
	);
}

impl<AccountId, Balance> RewardRecorder<AccountId, Balance> for () {
	fn record_work(_: &AccountId, _: ServiceId, _: BlueprintId, _: WorkOutcome) {}
	fn record_heartbeat(_: &AccountId, _: ServiceId, _: BlueprintId) {}
	fn record_availability(_: &AccountId, _: BlueprintId, _: Balance, _: u32) {}
}

/// The reward era in progress. Implemented by the rewards pallet; other pallets key
/// per-era statistics by it.
pub trait EraClock {
	/// The current era.
	fn current_era() -> EraIndex;
}

impl EraClock for () {
	fn current_era() -> EraIndex {
		0
	}
}

/// The governance-set parameters of the rewards pallet.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct RewardParams<BlockNumber> {
	/// How many blocks an era lasts. Never zero.
	pub era_length: BlockNumber,
	/// What is minted into the pot at each era's end. May be zero.
	pub emission_per_era: Balance,
}

/// One operator's work in an era and what it earned, as the runtime API reports it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct OperatorEraReport<AccountId, Balance> {
	/// The operator.
	pub operator: AccountId,
	/// Points earned on incentivized blueprints, before the blueprints' weights: the stake
	/// at risk times the blocks it was available.
	pub points: u128,
	/// Points earned on incentivized blueprints, each times its blueprint's weight: what the
	/// era pot is split by.
	pub weighted_points: u128,
	/// Successful job results, on any blueprint.
	pub successes: u32,
	/// Failed job results, on any blueprint.
	pub failures: u32,
	/// Job calls left unanswered until their deadline, on any blueprint.
	pub missed: u32,
	/// Heartbeats, on any blueprint.
	pub heartbeats: u32,
	/// The operator's share of the era pot.
	pub share: Balance,
	/// The part of the share the operator took as commission.
	pub commission: Balance,
	/// The part of the share allocated to the operator's stakers (its own bond included).
	pub stakers: Balance,
}

/// The distribution of one settled era, as the runtime API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct EraReport<AccountId, Balance> {
	/// The era.
	pub era: EraIndex,
	/// What its operators shared.
	pub pot: Balance,
	/// The weighted points of every operator in that era.
	pub weighted_points: u128,
	/// What was allocated; the rest of the pot stayed in it.
	pub distributed: Balance,
	/// Every operator with recorded work in that era, with or without points.
	pub operators: Vec<OperatorEraReport<AccountId, Balance>>,
}

/// The era in progress, as returned by [`RewardsApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EraInfo<BlockNumber> {
	/// Its index.
	pub index: EraIndex,
	/// The block it started at.
	pub start: BlockNumber,
	/// The block it ends at: its start plus the era length in force.
	pub end: BlockNumber,
}

sp_api::decl_runtime_apis! {
	/// Reward information for wallets and dashboards.
	pub trait RewardsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// What `who` would receive by claiming now: its unclaimed balance plus everything
		/// its stake positions earned.
		fn pending_rewards(who: AccountId) -> Balance;
		/// The last settled era's distribution per operator, with work counters. `None`
		/// before the first era is settled.
		fn last_era_report() -> Option<EraReport<AccountId, Balance>>;
		/// The era in progress.
		fn active_era() -> EraInfo<BlockNumber>;
		/// The rewards parameters in force.
		fn reward_params() -> RewardParams<BlockNumber>;
	}
}
