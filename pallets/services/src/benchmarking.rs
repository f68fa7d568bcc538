//! Benchmarks of every call and hook path at its worst case: the largest metadata, jobs
//! and preferences, [`Config::MaxOperatorsPerService`] operators whose pending-request lists
//! are full, and every approval slot in use. For jobs, heartbeats and reports: the largest
//! arguments, results, metrics and evidence, [`Config::MaxOpenCallsPerService`] open calls
//! (overdue and unanswered when a service terminates, so every operator gets a missed mark
//! for each), a full list of kept closed calls, and the account looked for last in every
//! list it is looked for in.
//!
//! Operators are made through [`Config::BenchmarkHelper`], so on the runtime they are real
//! operators of the operators pallet; reports go to the real slashing pallet (the reporters
//! are funded generously for its deposit) and work to the real rewards pallet.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get, Hooks,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, Pallet as System, RawOrigin};
use sp_runtime::{traits::Saturating, Perbill, Percent};
use warden_primitives::{
	BlueprintId, CallId, OperatorStats, Reporters, ReportingPolicy, RequestId, ServiceId,
	SlashReason,
};

const SEED: u32 = 0;

/// A lifetime long enough for any benchmark.
fn ttl<T: Config>() -> BlockNumberFor<T> {
	T::MaxServiceTtl::get()
}

/// Plenty for any payment, held or transferred.
fn endowment<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000_000_000u32.into())
}

/// The payment of benchmark requests.
fn payment<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000_000u32.into())
}

/// The stake operators get and the blueprint asks for.
fn stake<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, endowment::<T>());
	who
}

fn bytes<S: Get<u32>>(fill: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![fill; S::get() as usize])
}

/// Every operator in `ops` answers call `call_id` of `service` with the longest result.
fn answer_all<T: Config>(service: ServiceId, call_id: CallId, ops: &[T::AccountId]) {
	for operator in ops {
		JobResults::<T>::insert(
			(service, call_id, operator),
			JobOutcome::<T>::Success(bytes(b'r')),
		);
	}
}

fn max_metadata<T: Config>(fill: u8) -> BlueprintMetadata<T> {
	BlueprintMetadata {
		name: bytes(fill),
		description: bytes(fill),
		author: bytes(fill),
		code_url: bytes(fill),
	}
}

fn max_jobs<T: Config>() -> JobsOf<T> {
	let job = JobDefinition {
		name: bytes(b'j'),
		max_args_len: T::MaxJobArgsLen::get(),
		result_deadline: 10u32.into(),
	};
	BoundedVec::truncate_from(vec![job; T::MaxJobs::get() as usize])
}

fn policy<T: Config>() -> PolicyOf<T> {
	PolicyOf::<T> {
		min_operator_stake: stake::<T>(),
		reporting: Some(ReportingPolicy {
			reporters: Reporters {
				service_owner: true,
				blueprint_owner: true,
				service_operators: true,
			},
			max_job_slash: Perbill::from_percent(10),
			max_qos_slash: Perbill::from_percent(5),
		}),
		heartbeat_interval: heartbeat_interval::<T>(),
		missed_heartbeat_threshold: 3,
	}
}

/// The shortest heartbeat interval a blueprint may have, at least 10 blocks.
fn heartbeat_interval<T: Config>() -> BlockNumberFor<T> {
	Params::<T>::get().min_heartbeat_interval.max(10u32.into())
}

/// An operator's price: a planck per block, so every request's payment is checked against
/// it.
fn price<T: Config>() -> BalanceOf<T> {
	1u32.into()
}

fn max_preferences<T: Config>() -> OperatorPreferences<T> {
	OperatorPreferences {
		operator_key: [7u8; 32],
		rpc_address: bytes(b'r'),
		max_instances: T::MaxInstancesPerRegistration::get(),
		price_per_block: price::<T>(),
	}
}

/// The exposure benchmark approvals commit: small, so an operator may approve many.
fn exposure() -> Percent {
	Percent::from_percent(1)
}

fn max_callers<T: Config>() -> PermittedCallersOf<T> {
	let callers: Vec<T::AccountId> =
		(0..T::MaxPermittedCallers::get()).map(|i| account("caller", i, SEED)).collect();
	BoundedVec::truncate_from(callers)
}

fn blueprint<T: Config>() -> BlueprintId {
	let owner = funded::<T>("owner", 0);
	Pallet::<T>::do_create_blueprint(owner, max_metadata::<T>(b'a'), max_jobs::<T>(), policy::<T>())
		.expect("a valid blueprint")
}

/// `count` Active operators registered for `blueprint`, named `name`.
fn operators<T: Config>(
	blueprint: BlueprintId,
	name: &'static str,
	count: u32,
) -> OperatorListOf<T> {
	let operators: Vec<T::AccountId> = (0..count)
		.map(|i| {
			let operator = funded::<T>(name, i);
			T::BenchmarkHelper::make_operator(&operator, stake::<T>());
			Pallet::<T>::do_register(operator.clone(), blueprint, max_preferences::<T>())
				.expect("an eligible operator");
			operator
		})
		.collect();
	BoundedVec::truncate_from(operators)
}

/// Fills each operator's pending-request list up to one below its bound, with requests from
/// distinct requesters.
fn fill_pending<T: Config>(
	blueprint: BlueprintId,
	operators: &OperatorListOf<T>,
	name: &'static str,
) {
	for i in 0..T::MaxPendingRequestsPerOperator::get().saturating_sub(1) {
		let requester = funded::<T>(name, i);
		Pallet::<T>::do_request(
			requester,
			blueprint,
			operators.clone(),
			BoundedVec::new(),
			ttl::<T>(),
			Percent::zero(),
			payment::<T>(),
		)
		.expect("room for a request");
	}
}

/// A worst-case pending request: the most operators and permitted callers, every operator's
/// list full, every operator but the last one approved. Returns the request, its requester
/// and its operators.
fn pending_request<T: Config>() -> (RequestId, T::AccountId, OperatorListOf<T>) {
	pending_request_with::<T>(T::MaxOperatorsPerService::get())
}

/// `count` cancelled operators of made-up requests remembered for the current block.
fn fill_cancelled<T: Config>(count: u32) {
	// The call runs at block 1 at least: so does the setup.
	let now = System::<T>::block_number().max(1u32.into());
	System::<T>::set_block_number(now);
	let list: Vec<(RequestId, T::AccountId)> =
		(0..count).map(|i| (u64::MAX - u64::from(i), account("cancelled", i, SEED))).collect();
	CancelledInBlock::<T>::put((now, BoundedVec::truncate_from(list)));
}

/// A pending request naming `count` operators, otherwise as [`pending_request`].
fn pending_request_with<T: Config>(count: u32) -> (RequestId, T::AccountId, OperatorListOf<T>) {
	pending_request_awaiting::<T>(count, 1)
}

/// A pending request naming `count` operators, all of them approved but the last `awaiting`,
/// otherwise as [`pending_request`].
fn pending_request_awaiting<T: Config>(
	count: u32,
	awaiting: u32,
) -> (RequestId, T::AccountId, OperatorListOf<T>) {
	let bp = blueprint::<T>();
	let ops = operators::<T>(bp, "operator", count);
	fill_pending::<T>(bp, &ops, "filler");
	let requester = funded::<T>("requester", 0);
	let request = Pallet::<T>::do_request(
		requester.clone(),
		bp,
		ops.clone(),
		max_callers::<T>(),
		ttl::<T>(),
		exposure(),
		payment::<T>(),
	)
	.expect("a valid request");
	let approving = ops.len().saturating_sub(awaiting as usize);
	for operator in ops.iter().take(approving) {
		Pallet::<T>::do_approve(operator.clone(), request, 0, exposure())
			.expect("a valid approval");
	}
	(request, requester, ops)
}

/// A worst-case active service: the most operators and permitted callers.
fn active_service<T: Config>() -> (ServiceId, T::AccountId, OperatorListOf<T>) {
	active_service_with::<T>(T::MaxOperatorsPerService::get())
}

/// An active service with `count` operators, otherwise as [`active_service`].
fn active_service_with<T: Config>(count: u32) -> (ServiceId, T::AccountId, OperatorListOf<T>) {
	let (request, owner, ops) = pending_request_with::<T>(count);
	let last = ops.last().expect("at least one operator").clone();
	let (service, _) = Pallet::<T>::do_approve(last, request, 0, exposure())
		.expect("a valid approval")
		.expect("the last approval");
	(service, owner, ops)
}

/// The last job of the benchmark blueprint, whose arguments may be the longest.
fn last_job<T: Config>() -> u32 {
	T::MaxJobs::get().saturating_sub(1)
}

/// `count` open calls of `service` by `caller` with the longest arguments, made now.
fn open_calls<T: Config>(service: ServiceId, caller: &T::AccountId, count: u32) -> Vec<CallId> {
	(0..count)
		.map(|_| {
			Pallet::<T>::do_call(caller.clone(), service, last_job::<T>(), bytes(b'x'))
				.expect("room for a call")
				.0
		})
		.collect()
}

/// Fills the closed calls `service` keeps; returns the most recent one, if any is kept.
fn fill_closed_calls<T: Config>(service: ServiceId) -> Option<CallId> {
	let kept = u64::from(T::MaxClosedCallsKept::get());
	let first = NextCallId::<T>::get();
	NextCallId::<T>::put(first.saturating_add(kept));
	let called_at = frame_system::Pallet::<T>::block_number();
	let ids: Vec<(CallId, BlockNumberFor<T>)> =
		(first..first.saturating_add(kept)).map(|id| (id, called_at)).collect();
	ClosedCalls::<T>::insert(service, BoundedVec::truncate_from(ids));
	first.saturating_add(kept).checked_sub(1).filter(|_| kept > 0)
}

/// A heartbeat now from every operator of `service`.
fn heartbeats_from_all<T: Config>(service: ServiceId, ops: &OperatorListOf<T>) {
	for op in ops.iter() {
		Pallet::<T>::do_heartbeat(op.clone(), service, bytes(b'm')).expect("a valid heartbeat");
	}
}

/// A worst-case active service about to terminate: the most open calls, each past its
/// deadline at `at` with no result, a heartbeat record per operator, and a full list of kept
/// closed calls.
fn loaded_service<T: Config>() -> (ServiceId, T::AccountId, OperatorListOf<T>) {
	loaded_service_with::<T>(T::MaxOperatorsPerService::get(), T::MaxOpenCallsPerService::get())
}

/// A service with `operators` operators and `calls` open calls, otherwise as
/// [`loaded_service`].
fn loaded_service_with<T: Config>(
	operators: u32,
	calls: u32,
) -> (ServiceId, T::AccountId, OperatorListOf<T>) {
	let (service, owner, ops) = active_service_with::<T>(operators);
	let bp = ServiceInstances::<T>::get(service).expect("active").blueprint;
	T::BenchmarkHelper::incentivize_blueprint(bp);
	open_calls::<T>(service, &owner, calls);
	heartbeats_from_all::<T>(service, &ops);
	fill_closed_calls::<T>(service);
	(service, owner, ops)
}

fn assert_last_event<T: Config>(event: Event<T>) {
	System::<T>::assert_last_event(event.into());
}

/// Asserts that the last event is `event` but for its trailing slash identifier, which the
/// slashing pallet chose.
fn assert_last_event_but_slash_id<T: Config>(event: Event<T>) {
	use codec::Encode;
	let expected = <T as frame_system::Config>::RuntimeEvent::from(event).encode();
	let last = System::<T>::events().pop().expect("an event").event.encode();
	let cut = |bytes: &[u8]| bytes[..bytes.len().saturating_sub(8)].to_vec();
	assert_eq!(cut(&last), cut(&expected), "a different last event");
}

/// Moves every per-block queue's cursor to `block`, so the hook looks at that block only.
fn start_queues_at<T: Config>(block: BlockNumberFor<T>) {
	ExpirySchedule::<T>::start_at(block);
	ServiceEndSchedule::<T>::start_at(block);
	CallDeadlineSchedule::<T>::start_at(block);
	EndedServiceSchedule::<T>::start_at(block);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_blueprint() {
		let owner = funded::<T>("owner", 0);
		let metadata = max_metadata::<T>(b'a');
		let jobs = max_jobs::<T>();
		let blueprint = NextBlueprintId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), metadata, jobs, policy::<T>());

		let deposit = Blueprints::<T>::get(blueprint).expect("created").deposit;
		assert_last_event::<T>(Event::BlueprintCreated { blueprint, owner, deposit });
	}

	#[benchmark]
	fn update_blueprint_metadata() {
		let bp = blueprint::<T>();
		let owner = Blueprints::<T>::get(bp).expect("created").owner;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), bp, max_metadata::<T>(b'b'));

		let deposit = Blueprints::<T>::get(bp).expect("kept").deposit;
		assert_last_event::<T>(Event::BlueprintMetadataUpdated { blueprint: bp, deposit });
	}

	/// Removing a blueprint nothing uses, releasing its deposit.
	#[benchmark]
	fn remove_blueprint() {
		let bp = blueprint::<T>();
		let owner = Blueprints::<T>::get(bp).expect("created").owner;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), bp);

		assert!(!Blueprints::<T>::contains_key(bp));
	}

	#[benchmark]
	fn deactivate_blueprint() {
		let bp = blueprint::<T>();
		let owner = Blueprints::<T>::get(bp).expect("created").owner;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), bp);

		assert_last_event::<T>(Event::BlueprintDeactivated { blueprint: bp });
	}

	#[benchmark]
	fn register() {
		let operator = funded::<T>("operator", 0);
		T::BenchmarkHelper::make_operator(&operator, stake::<T>());
		// Registered everywhere it may be but one.
		for _ in 1..T::MaxBlueprintsPerOperator::get() {
			let other = blueprint::<T>();
			Pallet::<T>::do_register(operator.clone(), other, max_preferences::<T>())
				.expect("room for a registration");
		}
		let bp = blueprint::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), bp, max_preferences::<T>());

		assert_last_event::<T>(Event::Registered {
			operator,
			blueprint: bp,
			max_instances: T::MaxInstancesPerRegistration::get(),
			price_per_block: price::<T>(),
		});
	}

	#[benchmark]
	fn update_registration() {
		let bp = blueprint::<T>();
		let operator = operators::<T>(bp, "operator", 1)[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), bp, Some(1), Some(bytes(b's')), Some(2u32.into()));

		assert_last_event::<T>(Event::RegistrationUpdated {
			operator,
			blueprint: bp,
			max_instances: 1,
			price_per_block: 2u32.into(),
		});
	}

	#[benchmark]
	fn unregister() {
		let bp = blueprint::<T>();
		let operator = operators::<T>(bp, "operator", 1)[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), bp);

		assert_last_event::<T>(Event::Unregistered { operator, blueprint: bp });
	}

	/// A request naming `o` operators, whose lists are full but for one.
	#[benchmark]
	fn request(o: Linear<1, { T::MaxOperatorsPerService::get() }>) {
		let bp = blueprint::<T>();
		let ops = operators::<T>(bp, "operator", o);
		fill_pending::<T>(bp, &ops, "filler");
		let requester = funded::<T>("requester", 0);
		let id = NextRequestId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(requester.clone()),
			bp,
			ops,
			max_callers::<T>(),
			ttl::<T>(),
			Percent::from_percent(10),
			payment::<T>(),
		);

		assert!(Requests::<T>::contains_key(id));
	}

	/// Replacing a request naming `o` operators, all but one of them approved, with `n`
	/// entirely new ones.
	#[benchmark]
	fn update_request(
		o: Linear<1, { T::MaxOperatorsPerService::get() }>,
		n: Linear<1, { T::MaxOperatorsPerService::get() }>,
	) {
		let (id, requester, _) = pending_request_with::<T>(o);
		let bp = Requests::<T>::get(id).expect("pending").blueprint;
		// An entirely new set of operators, whose lists are full but for one.
		let new_ops = operators::<T>(bp, "new operator", n);
		fill_pending::<T>(bp, &new_ops, "new filler");
		let more = payment::<T>().saturating_mul(2u32.into());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(requester),
			id,
			new_ops,
			max_callers::<T>(),
			ttl::<T>(),
			Percent::from_percent(20),
			more,
		);

		assert_eq!(Requests::<T>::get(id).expect("pending").payment, more);
	}

	/// Cancelling a request naming `o` operators, all but one of them approved; the
	/// cancelled operators of the block fill all but the room this request's take.
	#[benchmark]
	fn cancel_request(o: Linear<1, { T::MaxOperatorsPerService::get() }>) {
		let (id, requester, ops) = pending_request_with::<T>(o);
		let room = T::MaxCancelledOperatorsPerBlock::get().saturating_sub(ops.len() as u32);
		fill_cancelled::<T>(room);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), id);

		assert!(!Requests::<T>::contains_key(id));
		let remembered = CancelledInBlock::<T>::get().map(|(_, list)| list.len() as u32);
		assert_eq!(remembered, Some(T::MaxCancelledOperatorsPerBlock::get()));
	}

	/// The last approval of a request naming `o` operators: it activates a service of `o`
	/// operators.
	#[benchmark]
	fn approve(o: Linear<1, { T::MaxOperatorsPerService::get() }>) {
		let (id, _, ops) = pending_request_with::<T>(o);
		let last = ops.last().expect("at least one operator").clone();
		let service = NextServiceId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, 0, exposure());

		assert!(ServiceInstances::<T>::contains_key(service));
	}

	/// An approval that leaves the request pending: of a request naming the most
	/// operators, the last but one, with the last still to approve.
	#[benchmark]
	fn approve_pending() {
		let (id, _, ops) = pending_request_awaiting::<T>(T::MaxOperatorsPerService::get(), 2);
		let [.., approving, _] = ops.as_slice() else {
			panic!("a request of at least two operators");
		};

		#[extrinsic_call]
		approve(RawOrigin::Signed(approving.clone()), id, 0, exposure());

		let req = Requests::<T>::get(id).expect("still pending");
		assert!(req.operators.iter().any(|named| named.approval.is_none()));
	}

	#[benchmark]
	fn reject() {
		let (id, _, ops) = pending_request::<T>();
		let last = ops.last().expect("at least one operator").clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last), id);

		assert!(!Requests::<T>::contains_key(id));
	}

	/// A reject of a request cancelled earlier in the block, by the operator remembered
	/// last in a full list.
	#[benchmark]
	fn reject_after_cancel() {
		let (id, requester, ops) = pending_request::<T>();
		let room = T::MaxCancelledOperatorsPerBlock::get().saturating_sub(ops.len() as u32);
		fill_cancelled::<T>(room);
		Pallet::<T>::do_cancel_request(requester, id).expect("a pending request");
		let last = ops.last().expect("at least one operator").clone();

		#[extrinsic_call]
		reject(RawOrigin::Signed(last), id);

		let remembered = CancelledInBlock::<T>::get().map(|(_, list)| list.len() as u32);
		assert_eq!(remembered, Some(T::MaxCancelledOperatorsPerBlock::get().saturating_sub(1)));
	}

	/// Expiring a request naming `o` operators, all but one of them approved.
	#[benchmark]
	fn expire_request(o: Linear<1, { T::MaxOperatorsPerService::get() }>) {
		let (id, _, _) = pending_request_with::<T>(o);
		let expires_at = Requests::<T>::get(id).expect("pending").expires_at;
		System::<T>::set_block_number(expires_at);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!Requests::<T>::contains_key(id));
	}

	#[benchmark]
	fn terminate() {
		let (service, owner, _) = loaded_service::<T>();
		let instance = ServiceInstances::<T>::get(service).expect("active");
		// Half-way: every operator is paid and the owner refunded; every call is overdue.
		let half = instance.start.saturating_add(ttl::<T>() / 2u32.into());
		System::<T>::set_block_number(half);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), service);

		assert!(!ServiceInstances::<T>::contains_key(service));
		assert_eq!(JobCalls::<T>::iter_prefix(service).count(), 0);
	}

	/// Terminating a service of `o` operators with `c` open calls, every call overdue.
	#[benchmark]
	fn terminate_expired(
		o: Linear<1, { T::MaxOperatorsPerService::get() }>,
		c: Linear<0, { T::MaxOpenCallsPerService::get() }>,
	) {
		let (service, _, _) = loaded_service_with::<T>(o, c);
		let end = ServiceInstances::<T>::get(service).expect("active").end;
		System::<T>::set_block_number(end);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), service);

		assert!(!ServiceInstances::<T>::contains_key(service));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let params =
			ParamsOf::<T> { request_expiry: 77u32.into(), min_heartbeat_interval: 7u32.into() };
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	#[benchmark]
	fn on_initialize_idle() {
		let now: BlockNumberFor<T> = 100u32.into();
		System::<T>::set_block_number(now);
		start_queues_at::<T>(now);
		// Statistics exist but none is old enough to prune: the era is read too.
		OldestStatsEra::<T>::put(Pallet::<T>::first_kept_era());

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(ExpirySchedule::<T>::cursor(), (now.saturating_add(1u32.into()), 0));
	}

	#[benchmark]
	fn on_initialize_expire_request() {
		let (id, _, _) = pending_request::<T>();
		let expires_at = Requests::<T>::get(id).expect("pending").expires_at;
		System::<T>::set_block_number(expires_at);
		start_queues_at::<T>(expires_at);
		// The requests filling the operators' lists expire in the same block, queued before
		// this one, and may be more than a block's cap: start the hook at this request.
		let position = RequestExpiryTails::<T>::get(expires_at).saturating_sub(1);
		RequestExpiryCursor::<T>::put((expires_at, position));

		#[block]
		{
			Pallet::<T>::on_initialize(expires_at);
		}

		assert!(!Requests::<T>::contains_key(id));
	}

	#[benchmark]
	fn on_initialize_end_service() {
		let (service, _, _) = loaded_service::<T>();
		let end = ServiceInstances::<T>::get(service).expect("active").end;
		System::<T>::set_block_number(end);
		start_queues_at::<T>(end);

		#[block]
		{
			Pallet::<T>::on_initialize(end);
		}

		assert!(!ServiceInstances::<T>::contains_key(service));
		assert_eq!(JobCalls::<T>::iter_prefix(service).count(), 0);
	}

	/// The hook forgetting an ended service with the most closed calls kept.
	#[benchmark]
	fn on_initialize_close_report_window() {
		let (service, owner, _) = loaded_service::<T>();
		Pallet::<T>::do_terminate(owner, service).expect("the owner terminates");
		let report_until = EndedServices::<T>::get(service).expect("kept for reports").report_until;
		System::<T>::set_block_number(report_until);
		start_queues_at::<T>(report_until);

		#[block]
		{
			Pallet::<T>::on_initialize(report_until);
		}

		assert!(!EndedServices::<T>::contains_key(service));
		assert_eq!(ClosedCalls::<T>::get(service).len(), 0);
	}

	#[benchmark]
	fn call() {
		let (service, _, _) = active_service::<T>();
		let instance = ServiceInstances::<T>::get(service).expect("active");
		// The last permitted caller, with one call short of the limit open.
		let caller = instance.permitted_callers.last().cloned().unwrap_or(instance.owner.clone());
		open_calls::<T>(service, &instance.owner, T::MaxOpenCallsPerService::get() - 1);
		let call_id = NextCallId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), service, last_job::<T>(), bytes(b'a'));

		assert!(JobCalls::<T>::contains_key(service, call_id));
	}

	#[benchmark]
	fn submit_result() {
		let (service, owner, ops) = active_service::<T>();
		let bp = ServiceInstances::<T>::get(service).expect("active").blueprint;
		T::BenchmarkHelper::incentivize_blueprint(bp);
		open_calls::<T>(service, &owner, T::MaxOpenCallsPerService::get());
		let call_id = NextCallId::<T>::get().saturating_sub(1);
		let operator = ops.last().expect("at least one operator").clone();
		let outcome = JobOutcome::<T>::Success(bytes(b'r'));

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), service, call_id, outcome);

		assert!(JobResults::<T>::contains_key((service, call_id, operator)));
	}

	/// Closing an overdue call of a service of `o` operators, each of which answered with
	/// the longest result: every result is read and removed, and every operator's work is
	/// recorded (as a missed mark would be).
	#[benchmark]
	fn close_call(o: Linear<1, { T::MaxOperatorsPerService::get() }>) {
		let (service, owner, ops) = active_service_with::<T>(o);
		let call_id = open_calls::<T>(service, &owner, T::MaxOpenCallsPerService::get())
			.pop()
			.expect("at least one call");
		fill_closed_calls::<T>(service);
		answer_all::<T>(service, call_id, &ops);
		let deadline = JobCalls::<T>::get(service, call_id).expect("open").deadline;
		System::<T>::set_block_number(deadline);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), service, call_id);

		assert!(!JobCalls::<T>::contains_key(service, call_id));
	}

	#[benchmark]
	fn heartbeat() {
		let (service, _, ops) = active_service::<T>();
		heartbeats_from_all::<T>(service, &ops);
		let instance = ServiceInstances::<T>::get(service).expect("active");
		let interval = policy::<T>().heartbeat_interval;
		// The next window: the first heartbeat of the operator there, so its availability is
		// recorded.
		System::<T>::set_block_number(instance.start.saturating_add(interval));
		let operator = ops.last().expect("at least one operator").clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), service, bytes(b'm'));

		let record = Heartbeats::<T>::get(service, &operator).expect("recorded");
		assert_eq!(record.last_heartbeat_window, Some(1));
	}

	#[benchmark]
	fn report() {
		let (service, owner, ops) = active_service::<T>();
		// The reporter is the operator looked for last, the offender another one; without a
		// second operator, the owner reports.
		let (offender, reporter) = match ops.len() {
			0 | 1 => (ops[0].clone(), owner),
			n => (ops[n - 2].clone(), ops[n - 1].clone()),
		};
		T::Currency::set_balance(&reporter, endowment::<T>());
		// The call named is the most recently closed one: both lists are looked in.
		let call_id = match fill_closed_calls::<T>(service) {
			Some(call_id) => call_id,
			None => open_calls::<T>(service, &ops[0], 1)[0],
		};
		let kind = ReportKind::JobMisbehaviour { call_id };
		let fraction = Perbill::from_percent(10);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter.clone()),
			service,
			offender.clone(),
			kind,
			bytes(b'e'),
			fraction,
		);

		// The slash's identifier comes from the slashing pallet: compare everything else.
		assert_last_event_but_slash_id::<T>(Event::OperatorReported {
			service,
			offender,
			reporter,
			reason: SlashReason::JobMisbehaviour { call_id },
			fraction,
			slash_id: 0,
		});
	}

	#[benchmark]
	fn report_missed_heartbeats() {
		let (service, _, ops) = active_service::<T>();
		heartbeats_from_all::<T>(service, &ops);
		let instance = ServiceInstances::<T>::get(service).expect("active");
		let policy = policy::<T>();
		// Past the threshold since the heartbeats in window 0.
		let windows = policy.missed_heartbeat_threshold.saturating_add(2);
		let at =
			instance.start.saturating_add(policy.heartbeat_interval.saturating_mul(windows.into()));
		System::<T>::set_block_number(at);
		let operator = ops.last().expect("at least one operator").clone();
		let reporter = funded::<T>("reporter", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter.clone()), service, operator.clone());

		assert_last_event_but_slash_id::<T>(Event::OperatorReported {
			service,
			offender: operator.clone(),
			reporter,
			reason: SlashReason::MissedHeartbeats { from_interval: 1, missed: windows - 1 },
			fraction: policy.reporting.expect("a reporting policy").max_qos_slash,
			slash_id: 0,
		});
		let record = Heartbeats::<T>::get(service, &operator).expect("recorded");
		assert_eq!(record.last_reported_window, Some(windows.saturating_sub(1)));
	}

	/// The hook closing an overdue call of a service of `o` operators, every one of them
	/// answered with the longest result.
	#[benchmark]
	fn on_initialize_close_call(o: Linear<1, { T::MaxOperatorsPerService::get() }>) {
		let (service, owner, _) = active_service_with::<T>(o);
		let bp = ServiceInstances::<T>::get(service).expect("active").blueprint;
		T::BenchmarkHelper::incentivize_blueprint(bp);
		let call_id = open_calls::<T>(service, &owner, 1)[0];
		fill_closed_calls::<T>(service);
		let ops: Vec<T::AccountId> = ServiceInstances::<T>::get(service)
			.expect("active")
			.operators
			.iter()
			.map(|op| op.operator.clone())
			.collect();
		answer_all::<T>(service, call_id, &ops);
		let deadline = JobCalls::<T>::get(service, call_id).expect("open").deadline;
		System::<T>::set_block_number(deadline);
		start_queues_at::<T>(deadline);

		#[block]
		{
			Pallet::<T>::on_initialize(deadline);
		}

		assert!(!JobCalls::<T>::contains_key(service, call_id));
	}

	#[benchmark]
	fn on_initialize_prune_stats() {
		// A full step of each map for one era; the hook's reads of the era and of the
		// oldest era kept are part of `on_initialize_idle`.
		let era = 0;
		let count = T::MaxStatsPrunedPerStep::get();
		let stats = OperatorStats { successes: 1, failures: 1, heartbeats: 1 };
		for i in 0..count {
			let operator: T::AccountId = account("stats", i, SEED);
			ServiceStats::<T>::insert((era, u64::from(i), &operator), stats);
			BlueprintStats::<T>::insert((era, u64::from(i), &operator), stats);
		}
		OldestStatsEra::<T>::put(era);

		#[block]
		{
			Pallet::<T>::prune_stats_step(era);
		}

		assert_eq!(ServiceStats::<T>::iter_prefix((era,)).count(), 0);
	}

	impl_benchmark_test_suite!(
		Pallet,
		warden_testing::at_genesis::<crate::mock::Test>(crate::mock::new_test_ext()),
		crate::mock::Test
	);
}
