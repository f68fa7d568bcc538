//! The data the services pallet stores and its calls carry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::fungible, BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound,
	PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{traits::Saturating, Percent, SaturatedConversion};
use warden_primitives::{
	schedule::DueQueue, BlueprintId, BlueprintPolicy, CallId, MaxMetricLen, ReportingPolicy,
	RequestId, ServiceId,
};

use crate::{
	CallDeadlineCursor, CallDeadlineTails, CallDeadlines, Config, ReportWindowEndCursor,
	ReportWindowEndTails, ReportWindowEnds, RequestExpiries, RequestExpiryCursor,
	RequestExpiryTails, ServiceEndCursor, ServiceEndTails, ServiceEnds,
};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A blueprint's policy with the runtime's balance and block number types.
pub type PolicyOf<T> = BlueprintPolicy<BalanceOf<T>, BlockNumberFor<T>>;

/// A blueprint as genesis gives it: `(owner, metadata, jobs, policy)`.
pub type GenesisBlueprintOf<T> = (
	<T as frame_system::Config>::AccountId,
	warden_primitives::BlueprintMetadataInfo,
	alloc::vec::Vec<warden_primitives::JobInfo<BlockNumberFor<T>>>,
	PolicyOf<T>,
);

/// The services parameters with the runtime's block number type.
pub type ParamsOf<T> = warden_primitives::ServicesParams<BlockNumberFor<T>>;

/// A blueprint's descriptive metadata.
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
#[codec(mel_bound())]
pub struct BlueprintMetadata<T: Config> {
	/// The service's name.
	pub name: BoundedVec<u8, T::MaxNameLen>,
	/// What the service does.
	pub description: BoundedVec<u8, T::MaxDescriptionLen>,
	/// Who wrote it.
	pub author: BoundedVec<u8, T::MaxNameLen>,
	/// Where its code lives.
	pub code_url: BoundedVec<u8, T::MaxUrlLen>,
}

/// A job the services of a blueprint answer. Part of the blueprint from its creation; the
/// job calls themselves are handled by the jobs feature.
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
#[codec(mel_bound())]
pub struct JobDefinition<T: Config> {
	/// The job's name.
	pub name: BoundedVec<u8, T::MaxNameLen>,
	/// The largest argument a call of this job may carry, in bytes. At most
	/// [`Config::MaxJobArgsLen`].
	pub max_args_len: u32,
	/// Blocks an operator has to submit a result after the call. Non-zero.
	pub result_deadline: BlockNumberFor<T>,
}

/// The jobs of a blueprint, indexed by position.
pub type JobsOf<T> = BoundedVec<JobDefinition<T>, <T as Config>::MaxJobs>;

/// A service blueprint: what a service is and the rules for its operators.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Blueprint<T: Config> {
	/// Who created it; the only one who may update its metadata or deactivate it.
	pub owner: T::AccountId,
	/// Its descriptive metadata.
	pub metadata: BlueprintMetadata<T>,
	/// Its jobs, indexed by position.
	pub jobs: JobsOf<T>,
	/// Its operator policy. Fixed at creation, so running services keep their rules.
	pub policy: PolicyOf<T>,
	/// Whether it accepts new registrations, requests and approvals.
	pub active: bool,
	/// The storage deposit held from the owner under
	/// [`crate::HoldReason::BlueprintDeposit`]: a base plus a price per byte of the
	/// blueprint's encoding. Released when the blueprint is removed.
	pub deposit: BalanceOf<T>,
	/// How many operators are registered for it.
	pub registrations: u32,
	/// How many pending requests ask for it.
	pub pending_requests: u32,
}

impl<T: Config> Blueprint<T> {
	/// Whether anything still uses it: a registration (and so any service, which needs its
	/// operators registered) or a pending request.
	pub fn in_use(&self) -> bool {
		self.registrations > 0 || self.pending_requests > 0
	}
}

/// An operator's preferences for a blueprint it registers for.
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
#[codec(mel_bound())]
pub struct OperatorPreferences<T: Config> {
	/// The key the operator's service software signs with.
	pub operator_key: [u8; 32],
	/// Where the operator's service endpoint listens.
	pub rpc_address: BoundedVec<u8, T::MaxRpcAddressLen>,
	/// The most instances of the blueprint the operator runs at once, pending approvals
	/// included. At least 1 and at most [`Config::MaxInstancesPerRegistration`].
	pub max_instances: u32,
	/// The operator's price: the least payment per block of a service's lifetime it
	/// takes. A request naming it must pay each named operator at least this much.
	pub price_per_block: BalanceOf<T>,
}

/// An operator's registration for one blueprint, with its exact instance counts.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Registration<T: Config> {
	/// The operator's preferences.
	pub preferences: OperatorPreferences<T>,
	/// Active services of the blueprint the operator runs.
	pub active_instances: u32,
	/// Pending requests of the blueprint the operator has approved. Each holds an instance
	/// slot, so that all of them can become active without going over `max_instances`.
	pub pending_approvals: u32,
	/// The exposure the operator committed to its running services of the blueprint, in
	/// percent of its stake: the stake at risk its availability is rewarded with.
	pub committed_exposure: u32,
	/// The last heartbeat window of the blueprint (counted from block 0 in steps of the
	/// blueprint's interval) the operator's availability was recorded for.
	pub last_available_window: Option<BlockNumberFor<T>>,
	/// The block it registered in.
	pub registered_at: BlockNumberFor<T>,
	/// The committed exposure held since `credited_at`, in percent × blocks, counted up to
	/// `accrued_at`: what the next availability record is made of.
	pub exposure_blocks: u64,
	/// The block up to which `exposure_blocks` is counted.
	pub accrued_at: BlockNumberFor<T>,
	/// The block up to which availability was recorded (at first, the registration's).
	pub credited_at: BlockNumberFor<T>,
}

impl<T: Config> Registration<T> {
	/// A new registration with `preferences` at block `now`: nothing running, nothing
	/// accrued.
	pub fn new(preferences: OperatorPreferences<T>, now: BlockNumberFor<T>) -> Self {
		Self {
			preferences,
			active_instances: 0,
			pending_approvals: 0,
			committed_exposure: 0,
			last_available_window: None,
			registered_at: now,
			exposure_blocks: 0,
			accrued_at: now,
			credited_at: now,
		}
	}

	/// Counts the exposure committed to running services up to block `now` into
	/// `exposure_blocks`. Called before the exposure changes and before availability is
	/// recorded, so `exposure_blocks` is the integral of the exposure over the blocks.
	pub fn accrue(&mut self, now: BlockNumberFor<T>) {
		let blocks: u64 = now.saturating_sub(self.accrued_at).saturated_into();
		let exposure = u64::from(self.committed_exposure.min(100));
		self.exposure_blocks = self.exposure_blocks.saturating_add(exposure.saturating_mul(blocks));
		self.accrued_at = self.accrued_at.max(now);
	}

	/// Instance slots in use: active services plus approvals on pending requests.
	pub fn used_slots(&self) -> u32 {
		self.active_instances.saturating_add(self.pending_approvals)
	}
}

/// A named operator of a request and its approval.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct RequestedOperator<T: Config> {
	/// The operator.
	pub operator: T::AccountId,
	/// The exposure it approved with, `None` while it has not approved.
	pub approval: Option<Percent>,
}

/// The operators a request names.
pub type RequestedOperatorsOf<T> =
	BoundedVec<RequestedOperator<T>, <T as Config>::MaxOperatorsPerService>;

/// The accounts besides the owner that may call a service's jobs.
pub type PermittedCallersOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxPermittedCallers>;

/// The operators a request or update names, as the calls take them.
pub type OperatorListOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxOperatorsPerService>;

/// A request for a service instance, pending until every named operator approved it.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ServiceRequest<T: Config> {
	/// The blueprint requested.
	pub blueprint: BlueprintId,
	/// Who asked for it; pays for it and will own the service.
	pub requester: T::AccountId,
	/// The named operators, distinct, with their approvals.
	pub operators: RequestedOperatorsOf<T>,
	/// Who besides the owner may call the service's jobs.
	pub permitted_callers: PermittedCallersOf<T>,
	/// The service's lifetime in blocks once active. Non-zero and at most
	/// [`Config::MaxServiceTtl`].
	pub ttl: BlockNumberFor<T>,
	/// The smallest exposure an operator may approve with.
	pub min_exposure: Percent,
	/// The payment, held from the requester under [`crate::HoldReason::Payment`].
	pub payment: BalanceOf<T>,
	/// The deposit per named operator, held from the requester under
	/// [`crate::HoldReason::RequestDeposit`]: returned when the request becomes a service
	/// or is cancelled, paid to an operator that rejects it, lost if it expires.
	pub deposit: BalanceOf<T>,
	/// The version of its terms: 0 when made, one more with each update. An approval
	/// names the version it approves, so an update can't change terms under it.
	pub version: u32,
	/// The block it was made (or last updated) in.
	pub created_at: BlockNumberFor<T>,
	/// The first block at which it is expired. Its entry in
	/// [`crate::RequestExpiries`] is at this block.
	pub expires_at: BlockNumberFor<T>,
}

impl<T: Config> ServiceRequest<T> {
	/// Whether every named operator has approved.
	pub fn fully_approved(&self) -> bool {
		self.operators.iter().all(|o| o.approval.is_some())
	}

	/// The deposit held for the whole request: the per-operator deposit for each named
	/// operator.
	pub fn total_deposit(&self) -> BalanceOf<T> {
		self.deposit.saturating_mul((self.operators.len() as u32).into())
	}
}

/// An operator of a service and the part of its stake it committed to it.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ServiceOperator<T: Config> {
	/// The operator.
	pub operator: T::AccountId,
	/// The part of its total stake that backs this service; slashes are measured on it.
	pub exposure: Percent,
}

/// The operators of a service.
pub type ServiceOperatorsOf<T> =
	BoundedVec<ServiceOperator<T>, <T as Config>::MaxOperatorsPerService>;

/// An active service instance.
///
/// Job calls, heartbeats and statistics of a service live in their own storage keyed by
/// [`ServiceId`], so this record stays what the request agreed.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ServiceInstance<T: Config> {
	/// The request it came from.
	pub request: RequestId,
	/// Its blueprint.
	pub blueprint: BlueprintId,
	/// Who owns it: the requester. Pays for it and may terminate it.
	pub owner: T::AccountId,
	/// Its operators with their committed exposure, in the request's order.
	pub operators: ServiceOperatorsOf<T>,
	/// Who besides the owner may call its jobs.
	pub permitted_callers: PermittedCallersOf<T>,
	/// The block it became active in.
	pub start: BlockNumberFor<T>,
	/// The block its lifetime ends at: `start + ttl`. Its entry in
	/// [`crate::ServiceEnds`] is at this block.
	pub end: BlockNumberFor<T>,
	/// The payment, still held from the owner until termination.
	pub escrow: BalanceOf<T>,
}

impl<T: Config> ServiceInstance<T> {
	/// Whether `who` is one of the service's operators.
	pub fn has_operator(&self, who: &T::AccountId) -> bool {
		self.operators.iter().any(|o| &o.operator == who)
	}

	/// The part of its stake `who` committed to the service, if it is one of its operators.
	pub fn exposure_of(&self, who: &T::AccountId) -> Option<Percent> {
		self.operators.iter().find(|o| &o.operator == who).map(|o| o.exposure)
	}

	/// Whether `who` may call the service's jobs: its owner or a permitted caller.
	pub fn may_call(&self, who: &T::AccountId) -> bool {
		&self.owner == who || self.permitted_callers.contains(who)
	}
}

/// Why a service was terminated.
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
pub enum TerminationReason {
	/// Its owner terminated it before the end of its lifetime.
	ByOwner,
	/// Its lifetime ended.
	Ended,
}

/// How a service's escrow was split at termination.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Payout<Balance> {
	/// What each operator is owed: `floor(floor(escrow × served / ttl) / operators)`.
	pub per_operator: Balance,
	/// What the operators actually received together.
	pub paid: Balance,
	/// What went back to the owner: the escrow minus `paid`.
	pub refunded: Balance,
}

/// A job call's arguments, at most [`Config::MaxJobArgsLen`] bytes (and at most its job's
/// `max_args_len`).
pub type JobArgsOf<T> = BoundedVec<u8, <T as Config>::MaxJobArgsLen>;

/// A job result's output or failure reason, at most [`Config::MaxResultLen`] bytes.
pub type ResultBytesOf<T> = BoundedVec<u8, <T as Config>::MaxResultLen>;

/// A heartbeat's metrics, at most [`Config::MaxHeartbeatMetricsLen`] bytes.
pub type MetricsOf<T> = BoundedVec<u8, <T as Config>::MaxHeartbeatMetricsLen>;

/// A job call: identified by its service and its [`CallId`].
pub type CallKey = (ServiceId, CallId);

/// The expiry queue of pending requests.
pub type ExpirySchedule<T> = DueQueue<
	BlockNumberFor<T>,
	RequestId,
	RequestExpiries<T>,
	RequestExpiryTails<T>,
	RequestExpiryCursor<T>,
>;

/// The lifetime queue of active services.
pub type ServiceEndSchedule<T> =
	DueQueue<BlockNumberFor<T>, ServiceId, ServiceEnds<T>, ServiceEndTails<T>, ServiceEndCursor<T>>;

/// The report-window queue of ended services.
pub type EndedServiceSchedule<T> = DueQueue<
	BlockNumberFor<T>,
	ServiceId,
	ReportWindowEnds<T>,
	ReportWindowEndTails<T>,
	ReportWindowEndCursor<T>,
>;

/// What is kept of a service that ended, for reports within the report window.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct EndedService<T: Config> {
	/// Its blueprint.
	pub blueprint: BlueprintId,
	/// Who owned it.
	pub owner: T::AccountId,
	/// Its operators with their committed exposure.
	pub operators: ServiceOperatorsOf<T>,
	/// Its blueprint's owner and reporting policy when it ended: a blueprint may be removed
	/// once nothing uses it, and reports on the service still follow its rules.
	pub blueprint_owner: T::AccountId,
	/// See [`Self::blueprint_owner`].
	pub reporting: Option<ReportingPolicy>,
	/// The block its report window closes in: reports are taken before it.
	pub report_until: BlockNumberFor<T>,
}

/// The deadline queue of open job calls.
pub type CallDeadlineSchedule<T> = DueQueue<
	BlockNumberFor<T>,
	CallKey,
	CallDeadlines<T>,
	CallDeadlineTails<T>,
	CallDeadlineCursor<T>,
>;

/// The outcome of a job call, as an operator submits it.
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
#[codec(mel_bound())]
pub enum JobOutcome<T: Config> {
	/// The operator ran the job; its output.
	Success(ResultBytesOf<T>),
	/// The operator could not run the job; why. Counts as a failed submission.
	Failure(ResultBytesOf<T>),
}

impl<T: Config> JobOutcome<T> {
	/// Whether this is a success.
	pub fn is_success(&self) -> bool {
		matches!(self, JobOutcome::Success(_))
	}
}

/// An open job call on a service. Its results live in [`crate::JobResults`] until it is
/// closed; a result never rewrites the call, which can hold kilobytes of arguments.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct JobCall<T: Config> {
	/// The index of the job in the service's blueprint.
	pub job: u32,
	/// Who made the call: the service's owner or a permitted caller.
	pub caller: T::AccountId,
	/// The call's arguments, within the job's `max_args_len`.
	pub args: JobArgsOf<T>,
	/// The block it was made in.
	pub called_at: BlockNumberFor<T>,
	/// The first block at which a result is late: `called_at + result_deadline`. Its entry
	/// in [`crate::CallDeadlines`] is at this block.
	pub deadline: BlockNumberFor<T>,
}

/// Why an operator of a service is reported, as the reporter states it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum ReportKind {
	/// The operator misbehaved when answering a job call of the service. The call must be
	/// open or among the service's most recently closed calls.
	JobMisbehaviour {
		/// The call.
		call_id: CallId,
	},
	/// The operator's quality of service fell short on a metric.
	QualityOfService {
		/// The metric's name.
		metric: BoundedVec<u8, MaxMetricLen>,
	},
}

/// An operator's heartbeats in a service.
///
/// Heartbeat windows are counted from the service's start: window `w` covers the blocks
/// `start + w × interval .. start + (w + 1) × interval`. An operator owes one heartbeat per
/// window; windows before its last heartbeat, or covered by a missed-heartbeat report, are
/// settled.
#[derive(
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct HeartbeatRecord<T: Config> {
	/// The block of its last heartbeat.
	pub last_heartbeat: Option<BlockNumberFor<T>>,
	/// The window of its last heartbeat.
	pub last_heartbeat_window: Option<u32>,
	/// The last window covered by a missed-heartbeat report.
	pub last_reported_window: Option<u32>,
}

impl<T: Config> HeartbeatRecord<T> {
	/// The first window neither answered by a heartbeat nor covered by a report.
	pub fn first_unsettled_window(&self) -> u32 {
		let after = |w: Option<u32>| w.map(|w| w.saturating_add(1)).unwrap_or(0);
		after(self.last_heartbeat_window).max(after(self.last_reported_window))
	}

	/// The first window after the last heartbeat (window 0 if there was none).
	pub fn first_window_after_heartbeat(&self) -> u32 {
		self.last_heartbeat_window.map(|w| w.saturating_add(1)).unwrap_or(0)
	}
}
