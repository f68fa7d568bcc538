//! The slashing boundary: reported offences in, pending-slash facts out, and the
//! [`SlashingApi`] runtime API.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, weights::Weight, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, Perbill, Percent};

use crate::{BlueprintId, CallId, ServiceId, SlashId};

/// Maximum length of a report's evidence.
pub type MaxEvidenceLen = ConstU32<256>;
/// Evidence attached to a report: bytes, or a hash of something kept off-chain.
pub type Evidence = BoundedVec<u8, MaxEvidenceLen>;
/// Maximum length of a quality-of-service metric name.
pub type MaxMetricLen = ConstU32<32>;

/// Why an operator is reported.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum SlashReason {
	/// The operator misbehaved when answering a job call.
	JobMisbehaviour {
		/// The call the misbehaviour is about.
		call_id: CallId,
	},
	/// The operator's quality of service fell short.
	QualityOfService {
		/// Which metric fell short.
		metric: BoundedVec<u8, MaxMetricLen>,
	},
	/// The operator missed more heartbeats than the blueprint allows.
	MissedHeartbeats {
		/// The first heartbeat interval of the reported window.
		from_interval: u32,
		/// How many intervals were missed.
		missed: u32,
	},
}

/// A slash the services pallet proposes to the slashing pallet.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SlashProposal<AccountId, BlockNumber> {
	/// The operator to slash.
	pub offender: AccountId,
	/// The service the offence happened in.
	pub service: ServiceId,
	/// The blueprint of that service.
	pub blueprint: BlueprintId,
	/// The part of the offender's committed exposure to take.
	pub fraction: Perbill,
	/// The part of its stake the offender committed to the service.
	pub exposure: Percent,
	/// Who reported it: posts the report deposit and earns the reporter reward.
	pub reporter: AccountId,
	/// What was reported.
	pub reason: SlashReason,
	/// Evidence for the reviewers.
	pub evidence: Evidence,
	/// The block the offence was committed in (for a job misbehaviour, the block the call
	/// was made in): only stake present then answers for it, and it can be reported for at
	/// most the slashing parameters' `max_offence_age` blocks after.
	pub offence_at: BlockNumber,
}

/// Queues a slash for review. Implemented by the slashing pallet.
pub trait SlashQueue<AccountId, BlockNumber> {
	/// Records a pending slash and holds the reporter's deposit, returning the slash's
	/// identifier. Fails, changing nothing, if the proposal is invalid or the deposit can't
	/// be held.
	fn propose(proposal: SlashProposal<AccountId, BlockNumber>) -> Result<SlashId, DispatchError>;

	/// The most weight one [`Self::propose`] uses: callers add it to their own weight.
	fn propose_weight() -> Weight;

	/// How long after a service ends its operators may still be reported for it.
	fn report_window() -> BlockNumber;

	/// The most blocks between an offence and its report.
	fn max_offence_age() -> BlockNumber;
}

/// What the slashing pallet knows about an operator. Implemented by the slashing pallet.
pub trait SlashInspect<AccountId, BlockNumber, Balance> {
	/// Whether a slash against `operator` is pending (proposed, not yet applied or vetoed).
	fn has_pending_slash(operator: &AccountId) -> bool;
	/// What the pending slashes against `operator` may still take from `staker`'s position
	/// on it (its own bond if `staker == operator`): the part of it that can't be released.
	fn held_back(operator: &AccountId, staker: &AccountId) -> Balance;
	/// The window between a slash's proposal and its application.
	fn defer_duration() -> BlockNumber;
	/// How long after a service ends its operators may still be reported for it.
	fn report_window() -> BlockNumber;
	/// The most blocks between an offence and its report: how long a stake position's
	/// increases must be remembered.
	fn max_offence_age() -> BlockNumber;
}

impl<AccountId, BlockNumber: Default, Balance: Default>
	SlashInspect<AccountId, BlockNumber, Balance> for ()
{
	fn has_pending_slash(_: &AccountId) -> bool {
		false
	}
	fn held_back(_: &AccountId, _: &AccountId) -> Balance {
		Balance::default()
	}
	fn defer_duration() -> BlockNumber {
		BlockNumber::default()
	}
	fn report_window() -> BlockNumber {
		BlockNumber::default()
	}
	fn max_offence_age() -> BlockNumber {
		BlockNumber::default()
	}
}

/// The slashing parameters governance may change, with their genesis values.
///
/// Changing them affects only slashes proposed afterwards: a pending slash keeps the
/// `apply_at` and the deposit it was proposed with.
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
pub struct SlashingParams<Balance, BlockNumber> {
	/// Blocks between a slash's proposal and its application: the review window. Non-zero;
	/// with the report window, shorter than the operators' unbonding delays, so stake can't
	/// leave before a pending slash lands.
	pub defer_duration: BlockNumber,
	/// Blocks after a service ends during which its operators may still be reported for it.
	pub report_window: BlockNumber,
	/// The most blocks between an offence and its report (for a job misbehaviour, between
	/// the call and the report). Shorter than the operators' unbonding delays, so stake
	/// present at the offence can't leave before it is reported.
	#[serde(
		default = "default_max_offence_age",
		bound(deserialize = "BlockNumber: serde::Deserialize<'de> + From<u32>")
	)]
	pub max_offence_age: BlockNumber,
	/// The part of what a slash actually took that goes to the reporter.
	pub reporter_reward: Perbill,
	/// The smallest fraction a report may ask for: dust reports are refused.
	pub min_fraction: Perbill,
	/// The largest fraction of an operator's committed exposure one slash takes, whatever
	/// a blueprint's policy allows and a report asks (a report for more is slashed this
	/// much). At least `min_fraction`.
	#[serde(default = "default_max_fraction")]
	pub max_fraction: Perbill,
	/// What a reporter posts, held, with each report, whatever it asks for. At least the
	/// existential deposit, so a forfeited deposit can always be moved to the treasury.
	pub report_deposit: Balance,
	/// What a reporter posts on top, as a part of what the report would slash: the deposit
	/// grows with what the report puts at stake.
	pub deposit_per_slashed: Perbill,
}

/// The cap on one slash's fraction a chain spec that doesn't name one gets: a half, as
/// restaking protocols commonly cap a single slash.
pub fn default_max_fraction() -> Perbill {
	Perbill::from_percent(50)
}

/// The offence age cap a chain spec that doesn't name one gets: 600 blocks, an hour of
/// six-second blocks.
pub fn default_max_offence_age<BlockNumber: From<u32>>() -> BlockNumber {
	BlockNumber::from(600)
}

/// The offender's dispute of a pending slash, as returned by [`SlashingApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DisputeInfo<BlockNumber> {
	/// The block the dispute was filed in.
	pub at: BlockNumber,
	/// The offender's statement for the reviewers.
	pub statement: Vec<u8>,
}

/// A pending slash, as returned by [`SlashingApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PendingSlashInfo<AccountId, Balance, BlockNumber> {
	/// The slash's identifier.
	pub id: SlashId,
	/// The operator to slash.
	pub offender: AccountId,
	/// The service the offence happened in.
	pub service: ServiceId,
	/// The blueprint of that service.
	pub blueprint: BlueprintId,
	/// The part of the offender's committed exposure to take.
	pub fraction: Perbill,
	/// The part of its stake the offender committed to the service.
	pub exposure: Percent,
	/// Who reported it.
	pub reporter: AccountId,
	/// The reporter's deposit, held until the slash is applied or vetoed.
	pub deposit: Balance,
	/// The offender's total slashable stake when the slash was proposed: what it is
	/// measured against.
	pub stake: Balance,
	/// What the slash takes at most, position by position, as `(staker, amount)`:
	/// fraction × exposure × each position's slashable stake when it was proposed. Stake
	/// added later pays nothing for it.
	pub positions: Vec<(AccountId, Balance)>,
	/// The part of what the slash takes that goes to the reporter, fixed at proposal.
	pub reporter_reward: Perbill,
	/// What was reported.
	pub reason: SlashReason,
	/// Evidence for the reviewers.
	pub evidence: Evidence,
	/// The block the offence was committed in: only stake present then answers for it.
	pub offence_at: BlockNumber,
	/// The block the slash was proposed in.
	pub proposed_at: BlockNumber,
	/// The first block the slash may be applied in.
	pub apply_at: BlockNumber,
	/// The offender's dispute, if it filed one.
	pub dispute: Option<DisputeInfo<BlockNumber>>,
}

/// The most pending slashes one [`SlashingApi`] query returns.
pub const MAX_PENDING_SLASHES_PER_QUERY: u32 = 512;

sp_api::decl_runtime_apis! {
	/// Read access to the slashing pallet's pending slashes, for reviewers and operators.
	pub trait SlashingApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The pending slashes against `operator`, oldest first, at most
		/// [`MAX_PENDING_SLASHES_PER_QUERY`].
		fn pending_slashes_of_operator(
			operator: AccountId,
		) -> Vec<PendingSlashInfo<AccountId, Balance, BlockNumber>>;
		/// The pending slashes for offences in `service`, oldest first, at most
		/// [`MAX_PENDING_SLASHES_PER_QUERY`].
		fn pending_slashes_of_service(
			service: ServiceId,
		) -> Vec<PendingSlashInfo<AccountId, Balance, BlockNumber>>;
		/// The slashing parameters in force.
		fn slashing_params() -> SlashingParams<Balance, BlockNumber>;
		/// What pending slashes hold back of `staker`'s positions: `(operator, amount)` for
		/// each operator `staker` has stake on (its own bond included) that a pending slash
		/// may still take from. That part can't be released until the slash concludes.
		fn held_back_of(staker: AccountId) -> Vec<(AccountId, Balance)>;
	}
}
