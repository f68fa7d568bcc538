//! The services boundary: what the services pallet tells others about operators, the
//! blueprint policy types other pallets read, the per-era quality-of-service statistics, and
//! the [`ServicesApi`] runtime API.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Percent};

use crate::{BlueprintId, CallId, EraIndex, RequestId, ServiceId};

/// What the services pallet knows about an operator. Implemented by the services pallet.
pub trait ServiceInspect<AccountId> {
	/// How many services the operator serves now, plus approvals it has given on
	/// requests still pending. Exit is refused while this is non-zero.
	fn active_services(operator: &AccountId) -> u32;
	/// How many blueprints the operator is registered for. Exit is refused while this is
	/// non-zero.
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

/// Who may report an operator of a service under a blueprint's [`ReportingPolicy`].
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
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Reporters {
	/// The owner of the service the offence happened in.
	pub service_owner: bool,
	/// The owner of the service's blueprint.
	pub blueprint_owner: bool,
	/// The other operators of the service.
	pub service_operators: bool,
}

impl Reporters {
	/// Whether nobody may report.
	pub fn is_empty(&self) -> bool {
		!(self.service_owner || self.blueprint_owner || self.service_operators)
	}
}

/// How operators of a blueprint's services may be reported for slashing.
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
pub struct ReportingPolicy {
	/// Who may file a report. At least one of them.
	pub reporters: Reporters,
	/// The largest fraction of the offender's committed exposure a job-misbehaviour report
	/// may ask for.
	pub max_job_slash: Perbill,
	/// The largest fraction of the offender's committed exposure a quality-of-service report
	/// (missed heartbeats included) may ask for.
	pub max_qos_slash: Perbill,
}

/// The rules a blueprint sets for the operators of its services.
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
pub struct BlueprintPolicy<Balance, BlockNumber> {
	/// The total stake (own plus delegated) an operator needs to register, to be named in a
	/// request and to approve one.
	pub min_operator_stake: Balance,
	/// How operators may be reported; `None` means no reports at all.
	pub reporting: Option<ReportingPolicy>,
	/// Blocks between two heartbeats an operator of a service owes. Non-zero.
	pub heartbeat_interval: BlockNumber,
	/// How many heartbeat intervals in a row an operator may miss before it can be
	/// reported for missed heartbeats.
	pub missed_heartbeat_threshold: u32,
}

/// The services pallet's runtime parameters: what governance may change.
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
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ServicesParams<BlockNumber> {
	/// Blocks a request stays pending before it expires and its payment is refunded.
	/// Non-zero. Counted from the request, or from its last update.
	pub request_expiry: BlockNumber,
	/// The shortest heartbeat interval a new blueprint may set. Non-zero. Bounds how often
	/// an operator's heartbeats for one service can be free.
	pub min_heartbeat_interval: BlockNumber,
}

/// A blueprint's descriptive metadata, unbounded: for genesis and runtime API answers.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	TypeInfo,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct BlueprintMetadataInfo {
	/// The service's name.
	pub name: Vec<u8>,
	/// What the service does.
	pub description: Vec<u8>,
	/// Who wrote it.
	pub author: Vec<u8>,
	/// Where its code lives.
	pub code_url: Vec<u8>,
}

/// A job a blueprint's services answer, unbounded: for genesis and runtime API answers.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct JobInfo<BlockNumber> {
	/// The job's name.
	pub name: Vec<u8>,
	/// The largest argument a call of this job may carry, in bytes.
	pub max_args_len: u32,
	/// Blocks an operator has to submit a result after the call.
	pub result_deadline: BlockNumber,
}

/// An operator's registration preferences, unbounded: for genesis and runtime API answers.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct PreferencesInfo<Balance> {
	/// The key the operator's service software signs with.
	pub operator_key: [u8; 32],
	/// Where the operator's service endpoint listens.
	pub rpc_address: Vec<u8>,
	/// The most instances of the blueprint the operator runs at once (≥ 1, at most the
	/// runtime's per-registration limit).
	pub max_instances: u32,
	/// The operator's price: the least payment per block of a service's lifetime it takes.
	/// A request naming it must pay every named operator at least this much.
	pub price_per_block: Balance,
}

/// A blueprint, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BlueprintInfo<AccountId, Balance, BlockNumber> {
	/// Its identifier.
	pub id: BlueprintId,
	/// Who created it and may update or deactivate it.
	pub owner: AccountId,
	/// Its descriptive metadata.
	pub metadata: BlueprintMetadataInfo,
	/// Its jobs, indexed by position.
	pub jobs: Vec<JobInfo<BlockNumber>>,
	/// Its operator policy.
	pub policy: BlueprintPolicy<Balance, BlockNumber>,
	/// Whether it accepts new registrations and requests.
	pub active: bool,
	/// The storage deposit held from its owner, released when it is removed.
	pub deposit: Balance,
	/// How many operators are registered for it.
	pub registrations: u32,
	/// How many pending requests ask for it.
	pub pending_requests: u32,
}

/// An operator's registration for a blueprint, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RegistrationInfo<Balance, BlockNumber> {
	/// The blueprint registered for.
	pub blueprint: BlueprintId,
	/// The operator's preferences for it.
	pub preferences: PreferencesInfo<Balance>,
	/// Services of the blueprint the operator runs now.
	pub active_instances: u32,
	/// Pending requests of the blueprint the operator has approved.
	pub pending_approvals: u32,
	/// The part of its stake the operator committed to its running services of the
	/// blueprint, in percent: the stake at risk its availability earns rewards with.
	pub committed_exposure: u32,
	/// The block it registered in.
	pub registered_at: BlockNumber,
}

/// A pending service request, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RequestInfo<AccountId, Balance, BlockNumber> {
	/// Its identifier.
	pub id: RequestId,
	/// The blueprint requested.
	pub blueprint: BlueprintId,
	/// Who asked for it and pays for it.
	pub requester: AccountId,
	/// Each named operator with the exposure it approved with, `None` if it has not yet.
	pub operators: Vec<(AccountId, Option<Percent>)>,
	/// Who besides the owner may call the service's jobs.
	pub permitted_callers: Vec<AccountId>,
	/// The service's lifetime in blocks once active.
	pub ttl: BlockNumber,
	/// The smallest exposure an operator may approve with.
	pub min_exposure: Percent,
	/// The payment held from the requester.
	pub payment: Balance,
	/// The deposit held from the requester, per named operator; lost if the request
	/// expires.
	pub deposit: Balance,
	/// The version of its terms: 0 when made, one more with each update. An approval names
	/// the version it approves.
	pub version: u32,
	/// The block it was made (or last updated) in.
	pub created_at: BlockNumber,
	/// The first block at which it is expired.
	pub expires_at: BlockNumber,
}

/// A service instance, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ServiceInfo<AccountId, Balance, BlockNumber> {
	/// Its identifier.
	pub id: ServiceId,
	/// The request it came from.
	pub request: RequestId,
	/// Its blueprint.
	pub blueprint: BlueprintId,
	/// Who owns it and pays for it.
	pub owner: AccountId,
	/// Each operator with the part of its stake it committed to the service.
	pub operators: Vec<(AccountId, Percent)>,
	/// Who besides the owner may call its jobs.
	pub permitted_callers: Vec<AccountId>,
	/// The block it became active in.
	pub start: BlockNumber,
	/// The block its lifetime ends at.
	pub end: BlockNumber,
	/// The payment held from the owner until termination.
	pub escrow: Balance,
}

/// The most blueprints one [`ServicesApi::blueprints`] query returns.
pub const MAX_BLUEPRINTS_PER_QUERY: u32 = 256;

/// The most services one [`ServicesApi::services_of`] query returns.
pub const MAX_SERVICES_PER_QUERY: u32 = 256;

/// The most operators one [`ServicesApi::blueprint_stats`] query returns.
pub const MAX_STATS_PER_QUERY: u32 = 512;

/// What an operator did for a service or blueprint in one era: its quality-of-service
/// statistics, kept by the services pallet for a bounded number of eras.
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
	Default,
)]
pub struct OperatorStats {
	/// Successful job results.
	pub successes: u32,
	/// Failed job results plus job calls left unanswered until their deadline.
	pub failures: u32,
	/// Valid heartbeats.
	pub heartbeats: u32,
}

impl OperatorStats {
	/// Adds `other` to these statistics, saturating.
	pub fn saturating_accrue(&mut self, other: &OperatorStats) {
		self.successes = self.successes.saturating_add(other.successes);
		self.failures = self.failures.saturating_add(other.failures);
		self.heartbeats = self.heartbeats.saturating_add(other.heartbeats);
	}

	/// Whether nothing was counted.
	pub fn is_empty(&self) -> bool {
		*self == OperatorStats::default()
	}
}

/// A job result, unbounded: for runtime API answers.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum JobOutcomeInfo {
	/// The operator ran the job; its output.
	Success(Vec<u8>),
	/// The operator could not run the job; why.
	Failure(Vec<u8>),
}

/// An open job call, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct JobCallInfo<AccountId, BlockNumber> {
	/// The call's identifier.
	pub id: CallId,
	/// The service called.
	pub service: ServiceId,
	/// The index of the job in the service's blueprint.
	pub job: u32,
	/// Who made the call: the service's owner or a permitted caller.
	pub caller: AccountId,
	/// The call's arguments.
	pub args: Vec<u8>,
	/// The block the call was made in.
	pub called_at: BlockNumber,
	/// The first block at which a result is late and the call may be closed.
	pub deadline: BlockNumber,
	/// The results submitted so far, one per operator at most.
	pub results: Vec<(AccountId, JobOutcomeInfo)>,
}

/// An operator's heartbeat status in a service, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct HeartbeatInfo<AccountId, BlockNumber> {
	/// The operator.
	pub operator: AccountId,
	/// The block of its last heartbeat, if it sent one.
	pub last_heartbeat: Option<BlockNumber>,
	/// Whole heartbeat intervals missed in a row and not yet reported.
	pub missed_intervals: u32,
	/// Whether anyone may report it for missed heartbeats now.
	pub reportable: bool,
}

sp_api::decl_runtime_apis! {
	/// Read access to blueprints, registrations, requests, services, job calls, heartbeats
	/// and quality-of-service statistics, for customers, operators' service software and
	/// reward dashboards.
	pub trait ServicesApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Blueprints with identifiers from `from` on, in order, at most
		/// `min(max, MAX_BLUEPRINTS_PER_QUERY)` of them.
		fn blueprints(from: BlueprintId, max: u32) -> Vec<BlueprintInfo<AccountId, Balance, BlockNumber>>;
		/// The blueprint `id`, if it exists.
		fn blueprint(id: BlueprintId) -> Option<BlueprintInfo<AccountId, Balance, BlockNumber>>;
		/// Every registration of `operator`, at most the pallet's per-operator limit.
		fn registrations_of(operator: AccountId) -> Vec<RegistrationInfo<Balance, BlockNumber>>;
		/// The pending requests naming `operator`, at most the pallet's per-operator limit.
		fn pending_requests_of(operator: AccountId) -> Vec<RequestInfo<AccountId, Balance, BlockNumber>>;
		/// The pending request `id`, if it exists.
		fn request(id: RequestId) -> Option<RequestInfo<AccountId, Balance, BlockNumber>>;
		/// The service `id`, if it is active.
		fn service(id: ServiceId) -> Option<ServiceInfo<AccountId, Balance, BlockNumber>>;
		/// The active services `operator` serves, in storage order, after the service
		/// `start_after` if given: at most `min(max, MAX_SERVICES_PER_QUERY)`. An operator's
		/// agent rebuilds its view with it after a restart.
		fn services_of(
			operator: AccountId,
			start_after: Option<ServiceId>,
			max: u32,
		) -> Vec<ServiceInfo<AccountId, Balance, BlockNumber>>;
		/// The services parameters in force.
		fn services_params() -> ServicesParams<BlockNumber>;
		/// The open job calls of service `id`, oldest first, with the results submitted so
		/// far. At most the pallet's open-call limit.
		fn open_calls(id: ServiceId) -> Vec<JobCallInfo<AccountId, BlockNumber>>;
		/// The heartbeat status of each operator of the active service `id`; empty if it is
		/// not active.
		fn heartbeat_status(id: ServiceId) -> Vec<HeartbeatInfo<AccountId, BlockNumber>>;
		/// The statistics of service `id` in `era`, per operator: every operator of the
		/// service if it is still active (with zeros for those that did nothing), or those
		/// with recorded work otherwise. Empty for an era no longer kept.
		fn service_stats(id: ServiceId, era: EraIndex) -> Vec<(AccountId, OperatorStats)>;
		/// The statistics of blueprint `id` in `era`, per operator with recorded work, summed
		/// over the blueprint's services. Paged: at most `min(max, MAX_STATS_PER_QUERY)`
		/// operators, in storage order, starting after `start_after` if given.
		fn blueprint_stats(
			id: BlueprintId,
			era: EraIndex,
			start_after: Option<AccountId>,
			max: u32,
		) -> Vec<(AccountId, OperatorStats)>;
	}
}
