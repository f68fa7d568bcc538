#![doc = include_str!("../README.md")]
//!
//! ## Examples
//!
//! A blueprint, two registered operators, a request they both approve, and the owner
//! terminating the service half-way through its lifetime:
#![doc = docify::embed!("src/tests/services.rs", service_lifecycle_example)]
//!
//! A job call answered by one operator, failed by another and missed by a third, then
//! closed at its deadline:
#![doc = docify::embed!("src/tests/jobs.rs", job_call_example)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod features;
mod genesis;
mod hooks;
mod invariants;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// The target of the pallet's log lines.
pub const LOG_TARGET: &str = "runtime::warden-services";

/// Prepares state the benchmarks need in other pallets. The runtime implements it with the
/// real operators and rewards pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Makes `who` an Active operator with a total stake of at least `stake`, funding it as
	/// needed.
	fn make_operator(who: &AccountId, stake: Balance);

	/// Makes `blueprint` earn rewards, if the rewards pallet distinguishes blueprints, so
	/// that recording work for it is at its most expensive.
	fn incentivize_blueprint(_blueprint: warden_primitives::BlueprintId) {}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::PostDispatchInfo,
		pallet_prelude::*,
		traits::{fungible, BuildGenesisConfig},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{Perbill, Percent};
	use warden_primitives::{
		schedule::QueuePosition, BlueprintId, CallId, EraClock, EraIndex, Evidence,
		OperatorRegistry, OperatorStats, PreferencesInfo, RequestId, RewardRecorder, ServiceId,
		SlashId, SlashQueue, SlashReason,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The services pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		// --- Other pallets, origins and money ---
		/// The currency payments are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// Operators' state and stake: the operators pallet.
		type Operators: OperatorRegistry<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;

		/// Where reports are proposed as pending slashes: the slashing pallet. It holds the
		/// reporter's deposit and refuses the report if it can't.
		type SlashQueue: SlashQueue<Self::AccountId, BlockNumberFor<Self>>;

		/// Where job results, missed calls and heartbeats are recorded for rewards: the
		/// rewards pallet.
		type Rewards: RewardRecorder<Self::AccountId, BalanceOf<Self>>;

		/// The reward era in progress, which keys the statistics: the rewards pallet.
		type EraClock: EraClock;

		/// Who may change the [`Params`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Where the deposits of expired requests go.
		type TreasuryAccount: Get<Self::AccountId>;

		// --- Blueprints ---
		/// The longest blueprint name, author and job name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The longest blueprint description, in bytes.
		#[pallet::constant]
		type MaxDescriptionLen: Get<u32>;

		/// The longest blueprint code URL, in bytes.
		#[pallet::constant]
		type MaxUrlLen: Get<u32>;

		/// The most jobs a blueprint defines.
		#[pallet::constant]
		type MaxJobs: Get<u32>;

		/// The largest `max_args_len` a job may declare, in bytes.
		#[pallet::constant]
		type MaxJobArgsLen: Get<u32>;

		/// What a blueprint's owner holds for it whatever its size.
		#[pallet::constant]
		type BlueprintDepositBase: Get<BalanceOf<Self>>;

		/// What a blueprint's owner holds for each byte of its encoding.
		#[pallet::constant]
		type BlueprintDepositPerByte: Get<BalanceOf<Self>>;

		// --- Registrations ---
		/// The longest rpc address in a registration, in bytes.
		#[pallet::constant]
		type MaxRpcAddressLen: Get<u32>;

		/// The most blueprints an operator is registered for at once.
		#[pallet::constant]
		type MaxBlueprintsPerOperator: Get<u32>;

		/// The largest `max_instances` a registration may set.
		#[pallet::constant]
		type MaxInstancesPerRegistration: Get<u32>;

		// --- Requests and services ---
		/// The most operators a request (and so a service) names.
		#[pallet::constant]
		type MaxOperatorsPerService: Get<u32>;

		/// The most permitted callers a request (and so a service) names.
		#[pallet::constant]
		type MaxPermittedCallers: Get<u32>;

		/// The longest lifetime a service may be requested with, in blocks.
		#[pallet::constant]
		type MaxServiceTtl: Get<BlockNumberFor<Self>>;

		/// The most pending requests that may name one operator.
		#[pallet::constant]
		type MaxPendingRequestsPerOperator: Get<u32>;

		/// The most pending requests one requester may have.
		#[pallet::constant]
		type MaxPendingRequestsPerRequester: Get<u32>;

		/// How many named operators of requests cancelled in one block are remembered for
		/// the rest of that block, so that their rejects, which a cancellation may have
		/// front-run, are free. Cancellations beyond it still happen.
		#[pallet::constant]
		type MaxCancelledOperatorsPerBlock: Get<u32>;

		/// What a requester holds for each operator its request names: returned when the
		/// request becomes a service or is cancelled, paid to an operator that rejects it,
		/// lost to [`Config::TreasuryAccount`] if the request expires.
		#[pallet::constant]
		type RequestDeposit: Get<BalanceOf<Self>>;

		// --- Jobs ---
		/// The most job calls a service has open at once.
		#[pallet::constant]
		type MaxOpenCallsPerService: Get<u32>;

		/// How many of its most recently closed calls a service remembers, so that
		/// job-misbehaviour reports can name them.
		#[pallet::constant]
		type MaxClosedCallsKept: Get<u32>;

		/// The longest job result output or failure reason, in bytes.
		#[pallet::constant]
		type MaxResultLen: Get<u32>;

		// --- Heartbeats ---
		/// The longest heartbeat metrics, in bytes.
		#[pallet::constant]
		type MaxHeartbeatMetricsLen: Get<u32>;

		/// How many valid heartbeats of one operator are free in one block; the rest pay
		/// their fee. Bounds the block space one account can take for free.
		#[pallet::constant]
		type MaxFreeHeartbeatsPerBlock: Get<u32>;

		/// How many valid heartbeats of all operators together are free in one block; the
		/// rest pay their fee. Bounds the block space all operators take for free, however
		/// many there are (a small fraction of the block's normal class).
		#[pallet::constant]
		type MaxFreeHeartbeatsPerBlockTotal: Get<u32>;

		// --- Statistics ---
		/// How many eras of statistics are kept before the current one. Older eras are
		/// pruned by `on_initialize`.
		#[pallet::constant]
		type StatsHistoryDepth: Get<EraIndex>;

		/// The most statistics entries of each kind (per service, per blueprint) one pruning
		/// step of `on_initialize` removes.
		#[pallet::constant]
		type MaxStatsPrunedPerStep: Get<u32>;

		// --- Per-block work (hooks.rs) ---
		/// The most services `on_initialize` terminates at the end of their lifetime in one
		/// block.
		#[pallet::constant]
		type MaxServiceEndsPerBlock: Get<u32>;

		/// The most overdue job calls `on_initialize` closes in one block.
		#[pallet::constant]
		type MaxCallClosesPerBlock: Get<u32>;

		/// The most requests `on_initialize` expires in one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// The most weight `on_initialize` spends in one block: lifetime ends, call closes,
		/// expiries and statistics pruning together.
		#[pallet::constant]
		type MaxHookWeight: Get<Weight>;

		// --- Weights and benchmarks ---
		/// The weight of each call and hook path, from the benchmarks.
		type WeightInfo: WeightInfo;

		/// Prepares operators (and rewards) for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId, BalanceOf<Self>>;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A service's payment: held from the requester while the request is pending and
		/// from the owner while the service runs.
		#[codec(index = 0)]
		Payment,
		/// A blueprint's storage deposit, held from its owner until it is removed.
		#[codec(index = 1)]
		BlueprintDeposit,
		/// A pending request's deposit, held from the requester per named operator.
		#[codec(index = 2)]
		RequestDeposit,
	}

	/// The runtime parameters in force.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery>;

	/// The identifier the next blueprint gets.
	#[pallet::storage]
	pub type NextBlueprintId<T: Config> = StorageValue<_, BlueprintId, ValueQuery>;

	/// Every blueprint, active or deactivated.
	#[pallet::storage]
	pub type Blueprints<T: Config> = StorageMap<_, Twox64Concat, BlueprintId, Blueprint<T>>;

	/// Operators' registrations: operator → blueprint → registration.
	#[pallet::storage]
	pub type Registrations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		BlueprintId,
		Registration<T>,
	>;

	/// How many blueprints each operator is registered for.
	#[pallet::storage]
	pub type RegistrationCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The identifier the next request gets.
	#[pallet::storage]
	pub type NextRequestId<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// Pending requests. A request leaves this map when it becomes a service or is
	/// cancelled, rejected or expired.
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Twox64Concat, RequestId, ServiceRequest<T>>;

	/// The pending requests naming each operator, oldest first.
	#[pallet::storage]
	pub type OperatorRequests<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<RequestId, T::MaxPendingRequestsPerOperator>,
		ValueQuery,
	>;

	/// The exposure each operator has committed, in percent of its stake: the sum over its
	/// running services and its approvals of pending requests. At most 100, so everything
	/// an operator can be slashed for at once is backed by its stake. Absent means zero.
	#[pallet::storage]
	pub type CommittedExposure<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many free heartbeats each operator sent in a block: `(block, count)`. Removed
	/// when the operator's last registration goes.
	#[pallet::storage]
	pub type FreeHeartbeats<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, u32), OptionQuery>;

	/// How many free heartbeats all operators sent in a block: `(block, count)`.
	#[pallet::storage]
	pub type BlockFreeHeartbeats<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, u32), OptionQuery>;

	/// The named operators of the requests cancelled in a block: `(block, [(request,
	/// operator)])`. An operator's reject of such a request in the same block is free.
	#[pallet::storage]
	pub type CancelledInBlock<T: Config> = StorageValue<
		_,
		(
			BlockNumberFor<T>,
			BoundedVec<(RequestId, T::AccountId), T::MaxCancelledOperatorsPerBlock>,
		),
		OptionQuery,
	>;

	/// How many pending requests each requester has.
	#[pallet::storage]
	pub type RequesterPendingCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The expiry queue: pending requests by the block they expire at, numbered in the order
	/// they were scheduled. Drained through [`ExpirySchedule`]; an entry of a request that
	/// was since updated, approved, cancelled or rejected is stale.
	#[pallet::storage]
	pub type RequestExpiries<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		QueuePosition,
		RequestId,
	>;

	/// How many requests were ever queued in each block of [`RequestExpiries`] not yet
	/// drained.
	#[pallet::storage]
	pub type RequestExpiryTails<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, QueuePosition, ValueQuery>;

	/// The first entry of [`RequestExpiries`] not drained yet.
	#[pallet::storage]
	pub type RequestExpiryCursor<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, QueuePosition), ValueQuery>;

	/// The identifier the next service gets.
	#[pallet::storage]
	pub type NextServiceId<T: Config> = StorageValue<_, ServiceId, ValueQuery>;

	/// Active services. A service leaves this map when it is terminated.
	#[pallet::storage]
	pub type ServiceInstances<T: Config> =
		StorageMap<_, Twox64Concat, ServiceId, ServiceInstance<T>>;

	/// The lifetime queue: active services by the block their lifetime ends at, numbered in
	/// the order they were activated. Drained through [`ServiceEndSchedule`]; an entry of a
	/// service terminated early is stale.
	#[pallet::storage]
	pub type ServiceEnds<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		QueuePosition,
		ServiceId,
	>;

	/// How many services were ever queued in each block of [`ServiceEnds`] not yet drained.
	#[pallet::storage]
	pub type ServiceEndTails<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, QueuePosition, ValueQuery>;

	/// The first entry of [`ServiceEnds`] not drained yet.
	#[pallet::storage]
	pub type ServiceEndCursor<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, QueuePosition), ValueQuery>;

	/// Services that ended less than the slashing pallet's report window ago: what a report
	/// against their operators needs. Removed when the window closes.
	#[pallet::storage]
	pub type EndedServices<T: Config> = StorageMap<_, Twox64Concat, ServiceId, EndedService<T>>;

	/// The report-window queue: ended services by the block their report window closes in,
	/// numbered in the order they ended. Drained through [`EndedServiceSchedule`].
	#[pallet::storage]
	pub type ReportWindowEnds<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		QueuePosition,
		ServiceId,
	>;

	/// How many services were ever queued in each block of [`ReportWindowEnds`] not yet
	/// drained.
	#[pallet::storage]
	pub type ReportWindowEndTails<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, QueuePosition, ValueQuery>;

	/// The first entry of [`ReportWindowEnds`] not drained yet.
	#[pallet::storage]
	pub type ReportWindowEndCursor<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, QueuePosition), ValueQuery>;

	/// The identifier the next job call gets.
	#[pallet::storage]
	pub type NextCallId<T: Config> = StorageValue<_, CallId, ValueQuery>;

	/// Open job calls: service → call → call. A call leaves this map when it is closed, or
	/// cancelled when its service terminates.
	#[pallet::storage]
	pub type JobCalls<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ServiceId, Twox64Concat, CallId, JobCall<T>>;

	/// The results of open job calls: (service, call, operator) → outcome. At most one per
	/// operator of the service; removed when the call is closed or cancelled (the outcome
	/// stays in the [`Event::ResultSubmitted`] event).
	#[pallet::storage]
	pub type JobResults<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, ServiceId>,
			NMapKey<Twox64Concat, CallId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		JobOutcome<T>,
	>;

	/// How many job calls each service has open.
	#[pallet::storage]
	pub type OpenCallCount<T: Config> = StorageMap<_, Twox64Concat, ServiceId, u32, ValueQuery>;

	/// The deadline queue: open calls by the block their results are late from, numbered
	/// in the order they were made. Drained through [`CallDeadlineSchedule`]; an entry of a
	/// call closed by hand or cancelled is stale.
	#[pallet::storage]
	pub type CallDeadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, QueuePosition, CallKey>;

	/// How many calls were ever queued in each block of [`CallDeadlines`] not yet drained.
	#[pallet::storage]
	pub type CallDeadlineTails<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, QueuePosition, ValueQuery>;

	/// The first entry of [`CallDeadlines`] not drained yet.
	#[pallet::storage]
	pub type CallDeadlineCursor<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, QueuePosition), ValueQuery>;

	/// Each active or recently ended service's most recently closed calls, oldest first, at
	/// most [`Config::MaxClosedCallsKept`], each with the block it was made in (the
	/// offence's block if it is reported): the calls a job-misbehaviour report may still
	/// name besides the open ones. Removed when the service's report window closes.
	#[pallet::storage]
	pub type ClosedCalls<T: Config> = StorageMap<
		_,
		Twox64Concat,
		ServiceId,
		BoundedVec<(CallId, BlockNumberFor<T>), T::MaxClosedCallsKept>,
		ValueQuery,
	>;

	/// The active services of each operator, by operator then service: what
	/// `ServicesApi::services_of` pages through. An entry per operator of every active
	/// service, so bounded like the services themselves (an operator serves at most its
	/// registrations' `max_instances`).
	#[pallet::storage]
	pub type ServicesOf<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, ServiceId, ()>;

	/// Heartbeats of the operators of active services: service → operator → record. Removed
	/// when the service terminates.
	#[pallet::storage]
	pub type Heartbeats<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ServiceId,
		Blake2_128Concat,
		T::AccountId,
		HeartbeatRecord<T>,
	>;

	/// Statistics per era, service and operator. Kept for [`Config::StatsHistoryDepth`] eras
	/// before the current one, after the service terminates too.
	#[pallet::storage]
	pub type ServiceStats<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, EraIndex>,
			NMapKey<Twox64Concat, ServiceId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		OperatorStats,
		ValueQuery,
	>;

	/// Statistics per era, blueprint and operator: the sums over the blueprint's services.
	/// Kept as long as [`ServiceStats`].
	#[pallet::storage]
	pub type BlueprintStats<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, EraIndex>,
			NMapKey<Twox64Concat, BlueprintId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		OperatorStats,
		ValueQuery,
	>;

	/// The oldest era that may still have statistics: pruning has removed every era before
	/// it. Era 0 until the first era is pruned, so that recording statistics never writes it.
	#[pallet::storage]
	pub type OldestStatsEra<T: Config> = StorageValue<_, EraIndex, ValueQuery>;

	/// The pallet's events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		// --- Blueprints ---
		/// A blueprint was created.
		BlueprintCreated {
			/// The new blueprint.
			blueprint: BlueprintId,
			/// Its owner.
			owner: T::AccountId,
			/// The storage deposit held from the owner.
			deposit: BalanceOf<T>,
		},
		/// A blueprint's metadata was replaced.
		BlueprintMetadataUpdated {
			/// The blueprint.
			blueprint: BlueprintId,
			/// The storage deposit held from the owner now.
			deposit: BalanceOf<T>,
		},
		/// A blueprint was deactivated: no new registrations, requests or approvals.
		BlueprintDeactivated {
			/// The blueprint.
			blueprint: BlueprintId,
		},
		/// A blueprint nothing used any more was removed; its deposit was released.
		BlueprintRemoved {
			/// The blueprint.
			blueprint: BlueprintId,
			/// The deposit released to the owner.
			deposit: BalanceOf<T>,
		},
		// --- Registrations ---
		/// An operator registered for a blueprint.
		Registered {
			/// The operator.
			operator: T::AccountId,
			/// The blueprint.
			blueprint: BlueprintId,
			/// Its limit on concurrent instances.
			max_instances: u32,
			/// Its price per block of a service's lifetime.
			price_per_block: BalanceOf<T>,
		},
		/// An operator changed its registration.
		RegistrationUpdated {
			/// The operator.
			operator: T::AccountId,
			/// The blueprint.
			blueprint: BlueprintId,
			/// Its limit on concurrent instances now.
			max_instances: u32,
			/// Its price per block of a service's lifetime now.
			price_per_block: BalanceOf<T>,
		},
		/// An operator unregistered from a blueprint.
		Unregistered {
			/// The operator.
			operator: T::AccountId,
			/// The blueprint.
			blueprint: BlueprintId,
		},
		// --- Requests ---
		/// A service was requested and its payment held.
		ServiceRequested {
			/// The new request.
			request: RequestId,
			/// The blueprint requested.
			blueprint: BlueprintId,
			/// Who requested it.
			requester: T::AccountId,
			/// The payment held.
			payment: BalanceOf<T>,
			/// The deposit held, per named operator.
			deposit: BalanceOf<T>,
			/// The block it expires at.
			expires_at: BlockNumberFor<T>,
		},
		/// A request's terms were replaced; every approval was reset.
		RequestUpdated {
			/// The request.
			request: RequestId,
			/// The payment held now.
			payment: BalanceOf<T>,
			/// The version of its terms now; approvals must name it.
			version: u32,
			/// The block it expires at now.
			expires_at: BlockNumberFor<T>,
		},
		/// A named operator approved a request.
		RequestApproved {
			/// The request.
			request: RequestId,
			/// The operator.
			operator: T::AccountId,
			/// The part of its stake it commits to the service.
			exposure: Percent,
		},
		/// The requester cancelled a request; its payment was refunded.
		RequestCancelled {
			/// The request.
			request: RequestId,
			/// The payment refunded.
			refunded: BalanceOf<T>,
		},
		/// A named operator rejected a request its requester had cancelled earlier in the
		/// block: nothing was left to reject, and the reject was free.
		RejectedAfterCancel {
			/// The request.
			request: RequestId,
			/// The operator.
			operator: T::AccountId,
		},
		/// A named operator rejected a request; it is finished and its payment was refunded.
		RequestRejected {
			/// The request.
			request: RequestId,
			/// The operator that rejected it.
			operator: T::AccountId,
			/// The payment refunded.
			refunded: BalanceOf<T>,
			/// The requester's deposit for this operator, paid to it.
			compensation: BalanceOf<T>,
		},
		/// A request expired; its payment was refunded.
		RequestExpired {
			/// The request.
			request: RequestId,
			/// The payment refunded.
			refunded: BalanceOf<T>,
			/// The requester's deposit, lost to the treasury.
			forfeited: BalanceOf<T>,
		},
		// --- Services ---
		/// Every named operator approved a request: the service is active.
		ServiceActivated {
			/// The new service.
			service: ServiceId,
			/// The request it came from.
			request: RequestId,
			/// Its blueprint.
			blueprint: BlueprintId,
			/// Its owner.
			owner: T::AccountId,
			/// The block its lifetime ends at.
			end: BlockNumberFor<T>,
		},
		/// A service was terminated and its escrow settled.
		ServiceTerminated {
			/// The service.
			service: ServiceId,
			/// Why it was terminated.
			reason: TerminationReason,
			/// How many blocks of its lifetime it served.
			served: BlockNumberFor<T>,
			/// What each operator was owed.
			paid_per_operator: BalanceOf<T>,
			/// What went back to the owner.
			refunded: BalanceOf<T>,
		},
		/// The report window of an ended service closed: its operators can no longer be
		/// reported for it.
		ReportWindowClosed {
			/// The service.
			service: ServiceId,
		},
		/// An operator's share of a terminated service's escrow could not be paid to it and
		/// went back to the owner.
		OperatorPayoutFailed {
			/// The service.
			service: ServiceId,
			/// The operator.
			operator: T::AccountId,
			/// Its share.
			amount: BalanceOf<T>,
		},
		// --- Jobs ---
		/// A job of a service was called.
		JobCalled {
			/// The service.
			service: ServiceId,
			/// The new call.
			call_id: CallId,
			/// The index of the job in the service's blueprint.
			job: u32,
			/// Who called it.
			caller: T::AccountId,
			/// The first block at which results are late.
			deadline: BlockNumberFor<T>,
		},
		/// An operator submitted its result for a job call. The outcome is kept in storage
		/// only until the call is closed; this event is its lasting record.
		ResultSubmitted {
			/// The service.
			service: ServiceId,
			/// The call.
			call_id: CallId,
			/// The operator.
			operator: T::AccountId,
			/// Its result.
			outcome: JobOutcome<T>,
		},
		/// A job call was closed after its deadline; operators without a result got a missed
		/// mark.
		CallClosed {
			/// The service.
			service: ServiceId,
			/// The call.
			call_id: CallId,
			/// Successful results.
			successes: u32,
			/// Failed results.
			failures: u32,
			/// Operators that submitted nothing.
			missed: u32,
		},
		/// A job call was cancelled before its deadline because its service terminated;
		/// operators without a result got no mark.
		CallCancelled {
			/// The service.
			service: ServiceId,
			/// The call.
			call_id: CallId,
			/// Successful results.
			successes: u32,
			/// Failed results.
			failures: u32,
		},
		// --- Heartbeats ---
		/// An operator sent a heartbeat for a service.
		HeartbeatRecorded {
			/// The service.
			service: ServiceId,
			/// The operator.
			operator: T::AccountId,
			/// The heartbeat window it counts for, counted from the service's start.
			window: u32,
			/// The metrics it carried.
			metrics: MetricsOf<T>,
			/// Whether it was free: one of the operator's first
			/// [`Config::MaxFreeHeartbeatsPerBlock`] in the block, and one of the block's
			/// first [`Config::MaxFreeHeartbeatsPerBlockTotal`]. Otherwise it paid its fee.
			free: bool,
		},
		// --- Reports ---
		/// An operator of a service was reported; a pending slash was proposed.
		OperatorReported {
			/// The service.
			service: ServiceId,
			/// The reported operator.
			offender: T::AccountId,
			/// Who reported it; its report deposit is held by the slashing pallet.
			reporter: T::AccountId,
			/// What was reported.
			reason: SlashReason,
			/// The part of the offender's committed exposure the slash asks for.
			fraction: Perbill,
			/// The pending slash's identifier in the slashing pallet.
			slash_id: SlashId,
		},
		// --- Statistics ---
		/// The statistics of an era older than the history depth were removed.
		StatsPruned {
			/// The era.
			era: EraIndex,
		},
		// --- Parameters ---
		/// The runtime parameters changed.
		ParamsSet {
			/// The parameters in force now.
			params: ParamsOf<T>,
		},
	}

	/// The pallet's errors.
	#[pallet::error]
	pub enum Error<T> {
		// --- Blueprints ---
		/// No blueprint has this identifier.
		BlueprintNotFound,
		/// Only the blueprint's owner may do this.
		NotBlueprintOwner,
		/// The blueprint is deactivated.
		BlueprintInactive,
		/// A job's result deadline is zero.
		ZeroResultDeadline,
		/// A job's `max_args_len` is over [`Config::MaxJobArgsLen`].
		JobArgsTooLarge,
		/// The policy's heartbeat interval is zero.
		ZeroHeartbeatInterval,
		/// The policy's heartbeat interval is below the minimum in force.
		HeartbeatIntervalTooShort,
		/// The owner can't put the blueprint's storage deposit on hold.
		CannotHoldDeposit,
		/// The blueprint still has registrations or pending requests.
		BlueprintInUse,
		/// The reporting policy names nobody who may report.
		NoReporters,
		// --- Operators ---
		/// The account is not an operator.
		NotOperator,
		/// The operator is Inactive (offline).
		OperatorInactive,
		/// The operator is leaving.
		OperatorLeaving,
		/// The operator's total stake is below the blueprint's minimum.
		StakeTooLow,
		// --- Registrations ---
		/// The operator is already registered for this blueprint.
		AlreadyRegistered,
		/// The caller is not registered for this blueprint.
		NotRegistered,
		/// The operator is registered for [`Config::MaxBlueprintsPerOperator`] blueprints.
		TooManyRegistrations,
		/// `max_instances` is zero.
		ZeroMaxInstances,
		/// `max_instances` is over [`Config::MaxInstancesPerRegistration`].
		TooManyInstances,
		/// The update changes nothing.
		NothingToUpdate,
		/// The operator runs services or has approved pending requests in this blueprint.
		RegistrationInUse,
		// --- Requests ---
		/// The request names no operator.
		NoOperators,
		/// The request names an operator twice.
		DuplicateOperator,
		/// A named operator is not registered for the blueprint.
		OperatorNotRegistered,
		/// The request names a permitted caller twice.
		DuplicateCaller,
		/// The ttl is zero.
		ZeroTtl,
		/// The ttl is over [`Config::MaxServiceTtl`].
		TtlTooLong,
		/// The requester has [`Config::MaxPendingRequestsPerRequester`] pending requests.
		TooManyRequests,
		/// A named operator has [`Config::MaxPendingRequestsPerOperator`] pending requests.
		TooManyOperatorRequests,
		/// The requester can't pay: its free balance can't cover the payment and deposit.
		InsufficientBalance,
		/// The payment is below a named operator's price: each operator must get at least
		/// its `price_per_block` for every block of the ttl.
		PaymentBelowPrice,
		/// No pending request has this identifier.
		RequestNotFound,
		/// Only the requester may do this.
		NotRequester,
		/// The request has expired.
		RequestExpired,
		/// The request has not expired yet.
		RequestNotExpired,
		// --- Approval ---
		/// The caller is not named in the request.
		NotRequestOperator,
		/// The caller has already approved this request.
		AlreadyApproved,
		/// The exposure is below the request's minimum.
		ExposureTooLow,
		/// An approval must commit some stake: zero exposure can't be slashed.
		ZeroExposure,
		/// The operator would commit more than 100% of its stake over its services and
		/// approvals.
		ExposureOverCommitted,
		/// The request's terms changed since the version the approval names.
		RequestChanged,
		/// Approving would take the operator over its `max_instances` for the blueprint.
		InstanceLimitReached,
		// --- Services ---
		/// No active service, nor one that ended within the report window, has this
		/// identifier.
		ServiceNotFound,
		/// The service ended longer ago than the report window: its operators can no longer
		/// be reported for it.
		ReportWindowOver,
		/// Only the service's owner may do this.
		NotServiceOwner,
		/// The service's lifetime has not ended yet.
		ServiceNotEnded,
		/// The service's lifetime has ended; it only waits to be terminated.
		ServiceEnded,
		// --- Jobs ---
		/// Only the service's owner or a permitted caller may call its jobs.
		NotPermittedCaller,
		/// The service's blueprint has no job with this index.
		JobNotFound,
		/// The arguments are longer than the job's `max_args_len`.
		ArgsTooLarge,
		/// The service has [`Config::MaxOpenCallsPerService`] open calls.
		TooManyOpenCalls,
		/// The caller is not an operator of this service.
		NotServiceOperator,
		/// The service has no open call with this identifier.
		CallNotFound,
		/// The call's deadline has passed: results are late.
		DeadlinePassed,
		/// The operator has already submitted a result for this call.
		AlreadySubmitted,
		/// The call's deadline has not passed yet.
		DeadlineNotReached,
		// --- Heartbeats ---
		/// The operator has already sent a heartbeat in this heartbeat window.
		HeartbeatTooEarly,
		// --- Reports ---
		/// The service's blueprint has no reporting policy: its operators can't be reported.
		NoReportingPolicy,
		/// The blueprint's reporting policy does not name the caller as a reporter.
		NotPermittedReporter,
		/// The reported account is not an operator of this service.
		OffenderNotInService,
		/// An operator can't report itself.
		SelfReport,
		/// The fraction is zero: there is nothing to slash.
		ZeroFraction,
		/// The fraction is over the reporting policy's maximum for this kind of report.
		FractionTooHigh,
		/// The offender committed no exposure to the service: there is nothing to slash.
		NothingExposed,
		/// The operator has not missed more heartbeat intervals than the blueprint's
		/// threshold.
		NotEnoughMissedHeartbeats,
		/// The operator's missed heartbeat intervals have already been reported; not enough
		/// new ones were missed since.
		MissedHeartbeatsAlreadyReported,
		// --- Parameters ---
		/// The request expiry parameter is zero.
		ZeroRequestExpiry,
		/// The minimum heartbeat interval parameter is zero.
		ZeroMinHeartbeatInterval,
	}

	/// Initial state: parameters, blueprints and registrations.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The runtime parameters.
		pub params: ParamsOf<T>,
		/// Blueprints as `(owner, metadata, jobs, policy)`. They get identifiers 0, 1, … in
		/// this order.
		pub blueprints: Vec<GenesisBlueprintOf<T>>,
		/// Registrations as `(operator, blueprint, preferences)`. The operator's state and
		/// stake are not checked, so the operators pallet may be built before or after this
		/// one.
		pub registrations: Vec<(T::AccountId, BlueprintId, PreferencesInfo<BalanceOf<T>>)>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				params: ParamsOf::<T> {
					request_expiry: 1000u32.into(),
					min_heartbeat_interval: 100u32.into(),
				},
				blueprints: Vec::new(),
				registrations: Vec::new(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			crate::genesis::build::<T>(self);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_on_initialize(now)
		}

		fn integrity_test() {
			assert!(T::MaxOperatorsPerService::get() >= 1, "MaxOperatorsPerService must be ≥ 1");
			assert!(
				T::MaxInstancesPerRegistration::get() >= 1,
				"MaxInstancesPerRegistration must be ≥ 1"
			);
			assert!(
				T::MaxBlueprintsPerOperator::get() >= 1,
				"MaxBlueprintsPerOperator must be ≥ 1"
			);
			assert!(
				T::MaxPendingRequestsPerOperator::get() >= 1,
				"MaxPendingRequestsPerOperator must be ≥ 1"
			);
			assert!(
				T::MaxPendingRequestsPerRequester::get() >= 1,
				"MaxPendingRequestsPerRequester must be ≥ 1"
			);
			assert!(T::MaxExpiriesPerBlock::get() >= 1, "MaxExpiriesPerBlock must be ≥ 1");
			assert!(T::MaxServiceEndsPerBlock::get() >= 1, "MaxServiceEndsPerBlock must be ≥ 1");
			assert!(!T::MaxServiceTtl::get().is_zero(), "MaxServiceTtl must be non-zero");
			assert!(T::MaxOpenCallsPerService::get() >= 1, "MaxOpenCallsPerService must be ≥ 1");
			assert!(T::MaxCallClosesPerBlock::get() >= 1, "MaxCallClosesPerBlock must be ≥ 1");
			assert!(T::MaxStatsPrunedPerStep::get() >= 1, "MaxStatsPrunedPerStep must be ≥ 1");
			let idle = T::WeightInfo::on_initialize_idle();
			for item in [
				T::WeightInfo::on_initialize_expire_request(),
				T::WeightInfo::on_initialize_end_service(),
				T::WeightInfo::on_initialize_close_call(T::MaxOperatorsPerService::get()),
				T::WeightInfo::on_initialize_prune_stats(),
			] {
				assert!(
					T::MaxHookWeight::get().all_gte(idle.saturating_add(item)),
					"MaxHookWeight must fit at least one item of each kind of per-block work"
				);
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Creates a blueprint owned by the caller.
		#[pallet::call_index(0)]
		pub fn create_blueprint(
			origin: OriginFor<T>,
			metadata: BlueprintMetadata<T>,
			jobs: JobsOf<T>,
			policy: PolicyOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_blueprint(owner, metadata, jobs, policy).map(|_| ())
		}

		/// Replaces a blueprint's metadata. Owner only.
		#[pallet::call_index(1)]
		pub fn update_blueprint_metadata(
			origin: OriginFor<T>,
			blueprint: BlueprintId,
			metadata: BlueprintMetadata<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_blueprint_metadata(who, blueprint, metadata)
		}

		/// Deactivates a blueprint: no new registrations, requests or approvals. Running
		/// services go on. Owner only.
		#[pallet::call_index(2)]
		pub fn deactivate_blueprint(
			origin: OriginFor<T>,
			blueprint: BlueprintId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deactivate_blueprint(who, blueprint)
		}

		/// Registers the calling operator for a blueprint.
		#[pallet::call_index(3)]
		pub fn register(
			origin: OriginFor<T>,
			blueprint: BlueprintId,
			preferences: OperatorPreferences<T>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_register(operator, blueprint, preferences)
		}

		/// Changes the caller's `max_instances`, rpc address and/or price for a blueprint. A
		/// limit below the current count is allowed: it blocks approvals until the count is
		/// under it. A new price applies to requests made or updated after it.
		#[pallet::call_index(4)]
		pub fn update_registration(
			origin: OriginFor<T>,
			blueprint: BlueprintId,
			max_instances: Option<u32>,
			rpc_address: Option<BoundedVec<u8, T::MaxRpcAddressLen>>,
			price_per_block: Option<BalanceOf<T>>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_update_registration(
				operator,
				blueprint,
				max_instances,
				rpc_address,
				price_per_block,
			)
		}

		/// Unregisters the caller from a blueprint. Refused while it runs services or has
		/// approved pending requests in that blueprint.
		#[pallet::call_index(5)]
		pub fn unregister(origin: OriginFor<T>, blueprint: BlueprintId) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_unregister(operator, blueprint)
		}

		/// Requests a service instance of `blueprint` from `operators`, holding `payment` and
		/// a deposit per named operator. The payment must meet every named operator's price.
		/// Pays for its expiry too, which anyone may then do for free. Charged for the
		/// operators it names.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::request(operators.len() as u32).saturating_add(
			T::WeightInfo::expire_request(operators.len() as u32)
		))]
		pub fn request(
			origin: OriginFor<T>,
			blueprint: BlueprintId,
			operators: OperatorListOf<T>,
			permitted_callers: PermittedCallersOf<T>,
			ttl: BlockNumberFor<T>,
			min_exposure: Percent,
			payment: BalanceOf<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_request(
				requester,
				blueprint,
				operators,
				permitted_callers,
				ttl,
				min_exposure,
				payment,
			)
			.map(|_| ())
		}

		/// Replaces a pending request's terms. Requester only. Resets every approval,
		/// adjusts the held payment and deposit and bumps the terms' version. The request
		/// keeps its expiry: updates can't keep it pending for ever. Charged for the most
		/// operators the request may have named, refunded down to those it did.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::update_request(
			T::MaxOperatorsPerService::get(),
			operators.len() as u32,
		))]
		pub fn update_request(
			origin: OriginFor<T>,
			request: RequestId,
			operators: OperatorListOf<T>,
			permitted_callers: PermittedCallersOf<T>,
			ttl: BlockNumberFor<T>,
			min_exposure: Percent,
			payment: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let named = operators.len() as u32;
			let before = Self::do_update_request(
				who,
				request,
				operators,
				permitted_callers,
				ttl,
				min_exposure,
				payment,
			)?;
			Ok(Some(T::WeightInfo::update_request(before, named)).into())
		}

		/// Cancels a pending request and refunds its payment. Requester only. Charged for
		/// the most operators a request names, refunded down to those it named.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::cancel_request(T::MaxOperatorsPerService::get()))]
		pub fn cancel_request(
			origin: OriginFor<T>,
			request: RequestId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let named = Self::do_cancel_request(who, request)?;
			Ok(Some(T::WeightInfo::cancel_request(named)).into())
		}

		/// Approves version `version` of a pending request naming the caller, committing
		/// `exposure` of its stake. Refused if the terms changed since that version. The
		/// last approval activates the service, and pays for its termination when its
		/// lifetime ends, which anyone may then do for free (the calls still open then were
		/// paid for by their `call`).
		///
		/// Charged for the activation of a service of the most operators; refunded down to
		/// [`WeightInfo::approve_pending`] for an approval that doesn't activate, and to the
		/// service's own operators for one that does.
		#[pallet::call_index(9)]
		#[pallet::weight(Pallet::<T>::approve_weight(T::MaxOperatorsPerService::get()))]
		pub fn approve(
			origin: OriginFor<T>,
			request: RequestId,
			version: u32,
			exposure: Percent,
		) -> DispatchResultWithPostInfo {
			let operator = ensure_signed(origin)?;
			let used = match Self::do_approve(operator, request, version, exposure)? {
				Some((_, operators)) => Self::approve_weight(operators),
				None => T::WeightInfo::approve_pending(),
			};
			Ok(Some(used).into())
		}

		/// Rejects a pending request naming the caller: the request is finished and its
		/// payment refunded. If its requester cancelled it earlier in the block (a cancel may
		/// front-run a reject), the reject does nothing, says so, and is free.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::reject().max(T::WeightInfo::reject_after_cancel()))]
		pub fn reject(origin: OriginFor<T>, request: RequestId) -> DispatchResultWithPostInfo {
			let operator = ensure_signed(origin)?;
			if Self::take_cancelled(request, &operator) {
				Self::deposit_event(Event::RejectedAfterCancel { request, operator });
				return Ok(Pays::No.into());
			}
			Self::do_reject(operator, request)?;
			Ok(().into())
		}

		/// Expires a request whose expiry block has passed, refunding its payment. Anyone
		/// may call it; free when it succeeds, since the request paid for it.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::expire_request(T::MaxOperatorsPerService::get()))]
		pub fn expire_request(
			origin: OriginFor<T>,
			request: RequestId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let operators = Self::do_expire_request(request)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(T::WeightInfo::expire_request(operators)),
				pays_fee: Pays::No,
			})
		}

		/// Terminates a service before the end of its lifetime and settles its escrow.
		/// Owner only.
		#[pallet::call_index(12)]
		pub fn terminate(origin: OriginFor<T>, service: ServiceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_terminate(who, service)
		}

		/// Terminates a service whose lifetime has ended and settles its escrow. Anyone may
		/// call it; free when it succeeds, since the approval that activated it paid for it.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::terminate_expired(
			T::MaxOperatorsPerService::get(),
			T::MaxOpenCallsPerService::get(),
		))]
		pub fn terminate_expired(
			origin: OriginFor<T>,
			service: ServiceId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (operators, calls) = Self::do_terminate_expired(service)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(T::WeightInfo::terminate_expired(operators, calls)),
				pays_fee: Pays::No,
			})
		}

		/// Sets the runtime parameters.
		#[pallet::call_index(14)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Calls job `job` of `service` with `args`. The service's owner or a permitted
		/// caller only, while the service is active. Its operators have until
		/// `now + result_deadline` to submit results.
		///
		/// The caller prepays the call's close (by its operators or at its deadline), which
		/// is free: charged up front for the most operators a service has, then refunded
		/// down to the service's own.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::call().saturating_add(
			T::WeightInfo::close_call(T::MaxOperatorsPerService::get())
		))]
		pub fn call(
			origin: OriginFor<T>,
			service: ServiceId,
			job: u32,
			args: JobArgsOf<T>,
		) -> DispatchResultWithPostInfo {
			let caller = ensure_signed(origin)?;
			let (_, operators) = Self::do_call(caller, service, job, args)?;
			Ok(Some(T::WeightInfo::call().saturating_add(T::WeightInfo::close_call(operators)))
				.into())
		}

		/// Submits the caller's result for open call `call_id` of `service`. Operators of
		/// that service only, once each, before the call's deadline.
		#[pallet::call_index(16)]
		pub fn submit_result(
			origin: OriginFor<T>,
			service: ServiceId,
			call_id: CallId,
			outcome: JobOutcome<T>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_submit_result(operator, service, call_id, outcome)
		}

		/// Closes call `call_id` of `service` once its deadline has passed: operators
		/// without a result get a missed mark. Anyone may call it; free when it succeeds,
		/// since the call paid for it.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::close_call(T::MaxOperatorsPerService::get()))]
		pub fn close_call(
			origin: OriginFor<T>,
			service: ServiceId,
			call_id: CallId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let operators = Self::do_close_call(service, call_id)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(T::WeightInfo::close_call(operators)),
				pays_fee: Pays::No,
			})
		}

		/// Records the caller's heartbeat for `service`, with `metrics`. Operators of that
		/// service only, once per heartbeat window. Free when it is valid, among the
		/// operator's first [`Config::MaxFreeHeartbeatsPerBlock`] of the block and among the
		/// block's first [`Config::MaxFreeHeartbeatsPerBlockTotal`]; an invalid one, or one
		/// beyond either budget, pays its fee (and is still recorded).
		#[pallet::call_index(18)]
		pub fn heartbeat(
			origin: OriginFor<T>,
			service: ServiceId,
			metrics: MetricsOf<T>,
		) -> DispatchResultWithPostInfo {
			let operator = ensure_signed(origin)?;
			let free = Self::do_heartbeat(operator, service, metrics)?;
			Ok(if free { Pays::No } else { Pays::Yes }.into())
		}

		/// Reports `offender`, an operator of `service`, asking to slash `fraction` of its
		/// committed exposure. Only reporters the blueprint's reporting policy names, within
		/// the policy's maximum for `kind`. The slashing pallet holds the caller's report
		/// deposit. A service that ended can still be reported on within the slashing
		/// pallet's report window.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::report().saturating_add(T::SlashQueue::propose_weight()))]
		pub fn report(
			origin: OriginFor<T>,
			service: ServiceId,
			offender: T::AccountId,
			kind: ReportKind,
			evidence: Evidence,
			fraction: Perbill,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_report(reporter, service, offender, kind, evidence, fraction).map(|_| ())
		}

		/// Reports `operator` of `service` for missing more heartbeat intervals in a row than
		/// the blueprint's threshold, asking for the policy's quality-of-service fraction.
		/// Anyone may report it, once per missed stretch; the slashing pallet holds the
		/// caller's report deposit.
		#[pallet::call_index(20)]
		#[pallet::weight(
			T::WeightInfo::report_missed_heartbeats().saturating_add(T::SlashQueue::propose_weight())
		)]
		pub fn report_missed_heartbeats(
			origin: OriginFor<T>,
			service: ServiceId,
			operator: T::AccountId,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_report_missed_heartbeats(reporter, service, operator).map(|_| ())
		}

		/// Removes a blueprint nothing uses any more (no registration, and so no service,
		/// and no pending request) and releases its deposit. Owner only.
		#[pallet::call_index(21)]
		pub fn remove_blueprint(origin: OriginFor<T>, blueprint: BlueprintId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_blueprint(who, blueprint)
		}
	}
}
