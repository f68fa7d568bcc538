//! The traits between Warden's pallets.
//!
//! Each trait has a `()` implementation that does nothing or reports "nothing there",
//! so a pallet can be used before the pallet on the other side exists.

use alloc::vec::Vec;
use sp_runtime::{DispatchError, DispatchResult, Percent};

use crate::types::{ChannelPhase, OperatorState, SlashProposal, WorkOutcome};

/// Operators, their state and their stake. Implemented by the operators pallet.
pub trait OperatorRegistry<AccountId, Balance, BlockNumber> {
	/// Funds taken by [`Self::slash`], not yet placed anywhere. Dropping it burns them.
	type Credit;

	/// The operator's state, or `None` if it is not an operator.
	fn state(operator: &AccountId) -> Option<OperatorState<BlockNumber>>;

	/// Whether `operator` exists and is Active.
	fn is_active(operator: &AccountId) -> bool {
		Self::state(operator).map(|s| s.is_active()).unwrap_or(false)
	}

	/// The operator's own bond, unbonding parts included.
	fn own_stake(operator: &AccountId) -> Balance;

	/// The stake delegated to the operator, unbonding parts included.
	fn delegated_stake(operator: &AccountId) -> Balance;

	/// Own plus delegated stake: what backs the operator's services.
	fn total_stake(operator: &AccountId) -> Balance;

	/// Every stake position on the operator as `(staker, active stake)`: the operator's own
	/// bond first, then each delegation. Bounded by the operators pallet's delegator limit.
	fn stake_positions(operator: &AccountId) -> Vec<(AccountId, Balance)>;

	/// Takes up to `amount` from the operator's stake: its own bond and every delegation,
	/// unbonding parts included, in proportion to their size. Never takes more than
	/// `amount` and never more than anyone holds. Returns what was taken.
	fn slash(operator: &AccountId, amount: Balance) -> (Self::Credit, Balance);

	/// How long unbonding stake stays slashable before it can be withdrawn.
	fn unbonding_delay() -> BlockNumber;
}

/// What the services pallet knows about an operator. Implemented by the services pallet.
pub trait ServiceInspect<AccountId> {
	/// How many services the operator serves now, plus approvals it has given on
	/// requests that are still pending.
	fn active_services(operator: &AccountId) -> u32;
	/// How many blueprints the operator is registered for.
	fn registrations(operator: &AccountId) -> u32;
}

impl<AccountId> ServiceInspect<AccountId> for () {
	fn active_services(_: &AccountId) -> u32 {
		0
	}
	fn registrations(_: &AccountId) -> u32 {
		0
	}
}

/// Queues a slash for review. Implemented by the slashing pallet.
pub trait SlashQueue<AccountId, ServiceId, BlueprintId, CallId> {
	/// The identifier the queue gives a proposal.
	type SlashId;

	/// Records a pending slash and holds the reporter's deposit. Fails, changing nothing,
	/// if the deposit can't be held or the queue is full.
	fn propose(
		proposal: SlashProposal<AccountId, ServiceId, BlueprintId, CallId>,
	) -> Result<Self::SlashId, DispatchError>;
}

/// What the slashing pallet knows about an operator. Implemented by the slashing pallet.
pub trait SlashInspect<AccountId, BlockNumber> {
	/// Whether a slash against `operator` is pending (proposed, not yet applied or vetoed).
	fn has_pending_slash(operator: &AccountId) -> bool;
	/// The window between a slash's proposal and its application.
	fn defer_duration() -> BlockNumber;
}

impl<AccountId, BlockNumber: Default> SlashInspect<AccountId, BlockNumber> for () {
	fn has_pending_slash(_: &AccountId) -> bool {
		false
	}
	fn defer_duration() -> BlockNumber {
		BlockNumber::default()
	}
}

/// Records verifiable work for rewards. Implemented by the rewards pallet.
pub trait RewardRecorder<AccountId, ServiceId, BlueprintId> {
	/// An operator answered a job call of `service` with `outcome`. A success is worth
	/// `points`.
	fn record_work(
		operator: &AccountId,
		service: ServiceId,
		blueprint: BlueprintId,
		outcome: WorkOutcome,
		points: u32,
	);
	/// An operator sent a valid heartbeat for `service`.
	fn record_heartbeat(operator: &AccountId, service: ServiceId, blueprint: BlueprintId);
}

impl<AccountId, ServiceId, BlueprintId> RewardRecorder<AccountId, ServiceId, BlueprintId> for () {
	fn record_work(_: &AccountId, _: ServiceId, _: BlueprintId, _: WorkOutcome, _: u32) {}
	fn record_heartbeat(_: &AccountId, _: ServiceId, _: BlueprintId) {}
}

/// Told before any stake position changes, so per-share reward accumulators stay exact.
/// Implemented by the rewards pallet.
pub trait StakeObserver<AccountId> {
	/// `staker`'s stake on `operator` is about to change (bond, delegation, unbonding,
	/// slash or removal). The stake read through [`OperatorRegistry`] is still the old one.
	fn before_stake_change(operator: &AccountId, staker: &AccountId);
}

impl<AccountId> StakeObserver<AccountId> for () {
	fn before_stake_change(_: &AccountId, _: &AccountId) {}
}

/// Submits channel updates on a participant's behalf and reads closure state.
/// Implemented by the channels pallet.
pub trait ChannelUpdate<AccountId, ChannelId, BlockNumber, Proof> {
	/// The channel's receiver, the only party a monitor acts for.
	fn receiver(channel: ChannelId) -> Option<AccountId>;
	/// The channel's phase, or `None` if it doesn't exist.
	fn phase(channel: ChannelId) -> Option<ChannelPhase<BlockNumber>>;
	/// The nonce of the newest balance proof on chain (0 if none).
	fn current_nonce(channel: ChannelId) -> Option<u64>;
	/// Submits `proof` for the receiver, with all the checks of the receiver's own update.
	fn update_for_receiver(channel: ChannelId, proof: Proof) -> DispatchResult;
}

/// A committed exposure, as the services pallet reports it to slashing.
pub type Exposure = Percent;
