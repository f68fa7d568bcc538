//! Data types that cross pallet boundaries.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Percent};

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

/// Maximum length of a slash's evidence.
pub type MaxEvidenceLen = ConstU32<256>;
/// Evidence attached to a report: bytes or a hash of something kept off-chain.
pub type Evidence = BoundedVec<u8, MaxEvidenceLen>;

/// Why an operator is reported.
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
)]
pub enum SlashReason<CallId> {
	/// The operator misbehaved when answering a job call.
	JobMisbehaviour {
		/// The call the misbehaviour is about.
		call_id: CallId,
	},
	/// The operator's quality of service fell short.
	QualityOfService {
		/// Which metric fell short, as named by the blueprint.
		metric: BoundedVec<u8, ConstU32<32>>,
	},
	/// The operator missed more heartbeats than the blueprint allows.
	MissedHeartbeats {
		/// The first heartbeat interval of the reported window.
		from_interval: u32,
		/// How many intervals were missed.
		missed: u32,
	},
}

/// A slash proposed by the services pallet and queued by the slashing pallet.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SlashProposal<AccountId, ServiceId, BlueprintId, CallId> {
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
	/// Who reported it; posts the report deposit and earns the reporter reward.
	pub reporter: AccountId,
	/// What was reported.
	pub reason: SlashReason<CallId>,
	/// Evidence for the reviewers.
	pub evidence: Evidence,
}

/// The outcome of a job submission, as told to the rewards pallet.
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
	/// A successful result, worth the job's points.
	Success,
	/// A failed result.
	Failure,
	/// No result before the deadline.
	Missed,
}

/// Maximum size of a balance proof's or authorization's signature, SCALE encoded.
pub type MaxSignatureLen = ConstU32<128>;

/// A balance proof of a unidirectional payment channel: the sender's promise that
/// `transferred` (cumulative) belongs to the receiver. Signed off-chain by the sender
/// over [`BalanceProofPayload`].
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
)]
pub struct BalanceProof<ChannelId, Balance, Signature> {
	/// The channel.
	pub channel: ChannelId,
	/// Strictly increasing with every new proof of the channel.
	pub nonce: u64,
	/// Everything transferred to the receiver so far.
	pub transferred: Balance,
	/// The sender's signature over [`BalanceProofPayload`].
	pub signature: Signature,
}

/// Domain tag of balance proofs.
pub const BALANCE_PROOF_TAG: [u8; 16] = *b"warden/bal-proof";
/// Domain tag of the receiver's cooperative-close signature.
pub const COOPERATIVE_CLOSE_TAG: [u8; 16] = *b"warden/coop-clos";
/// Domain tag of monitoring reward authorizations.
pub const REWARD_AUTHORIZATION_TAG: [u8; 16] = *b"warden/mon-rewrd";

/// What a balance proof's signature signs, SCALE encoded.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BalanceProofPayload<Hash, ChannelId, Balance> {
	/// [`BALANCE_PROOF_TAG`] (or [`COOPERATIVE_CLOSE_TAG`] for the receiver's co-signature).
	pub tag: [u8; 16],
	/// The genesis hash of the chain, so proofs don't replay across chains.
	pub genesis_hash: Hash,
	/// The channel, so proofs don't replay across channels.
	pub channel: ChannelId,
	/// The proof's nonce.
	pub nonce: u64,
	/// Cumulative amount transferred.
	pub transferred: Balance,
}

/// What a reward authorization's signature signs, SCALE encoded.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RewardAuthorizationPayload<Hash, ChannelId, Balance> {
	/// [`REWARD_AUTHORIZATION_TAG`].
	pub tag: [u8; 16],
	/// The genesis hash of the chain.
	pub genesis_hash: Hash,
	/// The channel.
	pub channel: ChannelId,
	/// The nonce of the balance proof this reward is for.
	pub nonce: u64,
	/// The reward for submitting that proof.
	pub reward: Balance,
	/// Blake2-256 of the SCALE-encoded signature of that balance proof, binding the
	/// reward to exactly that proof.
	pub proof_signature_hash: Hash,
}

/// The closure state of a channel, as seen by the monitoring pallet.
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
pub enum ChannelPhase<BlockNumber> {
	/// Open: no close started.
	Open,
	/// Closing: updates are accepted from `closed_at` until `settle_from`.
	Closing {
		/// The block the close started.
		closed_at: BlockNumber,
		/// The first block `settle` is allowed; the challenge window ends before it.
		settle_from: BlockNumber,
	},
	/// Settled: funds paid out.
	Settled,
}
