//! The services boundary: what the services pallet tells others about operators, the
//! blueprint policy types other pallets read, and the [`ServicesApi`] runtime API.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Percent};

use crate::{BlueprintId, RequestId, ServiceId};

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
	/// The reward points a successful result earns.
	pub reward_points: u32,
}

/// An operator's registration preferences, unbounded: for genesis and runtime API answers.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct PreferencesInfo {
	/// The key the operator's service software signs with.
	pub operator_key: [u8; 32],
	/// Where the operator's service endpoint listens.
	pub rpc_address: Vec<u8>,
	/// The most instances of the blueprint the operator runs at once (≥ 1).
	pub max_instances: u32,
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
}

/// An operator's registration for a blueprint, as returned by [`ServicesApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RegistrationInfo<BlockNumber> {
	/// The blueprint registered for.
	pub blueprint: BlueprintId,
	/// The operator's preferences for it.
	pub preferences: PreferencesInfo,
	/// Services of the blueprint the operator runs now.
	pub active_instances: u32,
	/// Pending requests of the blueprint the operator has approved.
	pub pending_approvals: u32,
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

sp_api::decl_runtime_apis! {
	/// Read access to blueprints, registrations, requests and services, for customers and
	/// operators' service software.
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
		fn registrations_of(operator: AccountId) -> Vec<RegistrationInfo<BlockNumber>>;
		/// The pending requests naming `operator`, at most the pallet's per-operator limit.
		fn pending_requests_of(operator: AccountId) -> Vec<RequestInfo<AccountId, Balance, BlockNumber>>;
		/// The pending request `id`, if it exists.
		fn request(id: RequestId) -> Option<RequestInfo<AccountId, Balance, BlockNumber>>;
		/// The service `id`, if it is active.
		fn service(id: ServiceId) -> Option<ServiceInfo<AccountId, Balance, BlockNumber>>;
		/// The services parameters in force.
		fn services_params() -> ServicesParams<BlockNumber>;
	}
}
