//! The answers to the [`ServicesApi`](warden_primitives::ServicesApi) runtime API.

use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::{
	BlueprintId, BlueprintInfo, BlueprintMetadataInfo, EraIndex, HeartbeatInfo, JobCallInfo,
	JobInfo, JobOutcomeInfo, OperatorStats, PreferencesInfo, RegistrationInfo, RequestId,
	RequestInfo, ServiceId, ServiceInfo, MAX_BLUEPRINTS_PER_QUERY, MAX_SERVICES_PER_QUERY,
	MAX_STATS_PER_QUERY,
};

use frame_support::traits::Get;
use warden_primitives::EraClock;

use crate::*;

/// A blueprint as the runtime API returns it.
pub type BlueprintInfoOf<T> =
	BlueprintInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A request as the runtime API returns it.
pub type RequestInfoOf<T> =
	RequestInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A service as the runtime API returns it.
pub type ServiceInfoOf<T> =
	ServiceInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// An open job call as the runtime API returns it.
pub type JobCallInfoOf<T> = JobCallInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// An operator's heartbeat status as the runtime API returns it.
pub type HeartbeatInfoOf<T> =
	HeartbeatInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// Blueprints with identifiers from `from` on, in order, at most
	/// `min(max, MAX_BLUEPRINTS_PER_QUERY)`.
	pub fn blueprints(from: BlueprintId, max: u32) -> Vec<BlueprintInfoOf<T>> {
		let max = max.min(MAX_BLUEPRINTS_PER_QUERY) as u64;
		let end = NextBlueprintId::<T>::get().min(from.saturating_add(max));
		(from..end).filter_map(Self::blueprint_info).collect()
	}

	/// The blueprint `id`, if it exists.
	pub fn blueprint_info(id: BlueprintId) -> Option<BlueprintInfoOf<T>> {
		Blueprints::<T>::get(id).map(|bp| BlueprintInfo {
			id,
			owner: bp.owner,
			metadata: BlueprintMetadataInfo {
				name: bp.metadata.name.into_inner(),
				description: bp.metadata.description.into_inner(),
				author: bp.metadata.author.into_inner(),
				code_url: bp.metadata.code_url.into_inner(),
			},
			jobs: bp
				.jobs
				.into_iter()
				.map(|job| JobInfo {
					name: job.name.into_inner(),
					max_args_len: job.max_args_len,
					result_deadline: job.result_deadline,
				})
				.collect(),
			policy: bp.policy,
			active: bp.active,
			deposit: bp.deposit,
			registrations: bp.registrations,
			pending_requests: bp.pending_requests,
		})
	}

	/// Every registration of `operator`.
	pub fn registrations_of(
		operator: T::AccountId,
	) -> Vec<RegistrationInfo<BalanceOf<T>, BlockNumberFor<T>>> {
		Registrations::<T>::iter_prefix(&operator)
			.take(T::MaxBlueprintsPerOperator::get() as usize)
			.map(|(blueprint, reg)| RegistrationInfo {
				blueprint,
				preferences: PreferencesInfo {
					operator_key: reg.preferences.operator_key,
					rpc_address: reg.preferences.rpc_address.into_inner(),
					max_instances: reg.preferences.max_instances,
					price_per_block: reg.preferences.price_per_block,
				},
				active_instances: reg.active_instances,
				pending_approvals: reg.pending_approvals,
				committed_exposure: reg.committed_exposure,
				registered_at: reg.registered_at,
			})
			.collect()
	}

	/// The pending requests naming `operator`, oldest first.
	pub fn pending_requests_of(operator: T::AccountId) -> Vec<RequestInfoOf<T>> {
		OperatorRequests::<T>::get(&operator).into_iter().filter_map(Self::request_info).collect()
	}

	/// The pending request `id`, if it exists.
	pub fn request_info(id: RequestId) -> Option<RequestInfoOf<T>> {
		Requests::<T>::get(id).map(|req| RequestInfo {
			id,
			blueprint: req.blueprint,
			requester: req.requester,
			operators: req.operators.into_iter().map(|o| (o.operator, o.approval)).collect(),
			permitted_callers: req.permitted_callers.into_inner(),
			ttl: req.ttl,
			min_exposure: req.min_exposure,
			payment: req.payment,
			deposit: req.deposit,
			version: req.version,
			created_at: req.created_at,
			expires_at: req.expires_at,
		})
	}

	/// The active service `id`, if it exists.
	pub fn service_info(id: ServiceId) -> Option<ServiceInfoOf<T>> {
		ServiceInstances::<T>::get(id).map(|s| ServiceInfo {
			id,
			request: s.request,
			blueprint: s.blueprint,
			owner: s.owner,
			operators: s.operators.into_iter().map(|o| (o.operator, o.exposure)).collect(),
			permitted_callers: s.permitted_callers.into_inner(),
			start: s.start,
			end: s.end,
			escrow: s.escrow,
		})
	}

	/// The active services `operator` serves, in storage order, after `start_after` if
	/// given: at most `min(max, MAX_SERVICES_PER_QUERY)`.
	pub fn services_of(
		operator: &T::AccountId,
		start_after: Option<ServiceId>,
		max: u32,
	) -> Vec<ServiceInfoOf<T>> {
		let ids = match start_after {
			Some(after) => ServicesOf::<T>::iter_key_prefix_from(
				operator,
				ServicesOf::<T>::hashed_key_for(operator, after),
			),
			None => ServicesOf::<T>::iter_key_prefix(operator),
		};
		ids.take(max.min(MAX_SERVICES_PER_QUERY) as usize).filter_map(Self::service_info).collect()
	}

	/// The services parameters in force.
	pub fn services_params() -> ParamsOf<T> {
		Params::<T>::get()
	}

	/// The open calls of `service`, oldest first, with their results so far.
	pub fn open_calls(service: ServiceId) -> Vec<JobCallInfoOf<T>> {
		let mut calls: Vec<JobCallInfoOf<T>> = JobCalls::<T>::iter_prefix(service)
			.take(T::MaxOpenCallsPerService::get() as usize)
			.map(|(id, call)| JobCallInfo {
				id,
				service,
				job: call.job,
				caller: call.caller,
				args: call.args.into_inner(),
				called_at: call.called_at,
				deadline: call.deadline,
				results: JobResults::<T>::iter_prefix((service, id))
					.take(T::MaxOperatorsPerService::get() as usize)
					.map(|(operator, outcome)| {
						let outcome = match outcome {
							JobOutcome::Success(bytes) => {
								JobOutcomeInfo::Success(bytes.into_inner())
							}
							JobOutcome::Failure(bytes) => {
								JobOutcomeInfo::Failure(bytes.into_inner())
							}
						};
						(operator, outcome)
					})
					.collect(),
			})
			.collect();
		calls.sort_by_key(|call| call.id);
		calls
	}

	/// The heartbeat status of each operator of active service `service`.
	pub fn heartbeat_status(service: ServiceId) -> Vec<HeartbeatInfoOf<T>> {
		let Some(instance) = ServiceInstances::<T>::get(service) else { return Vec::new() };
		let Some(bp) = Blueprints::<T>::get(instance.blueprint) else { return Vec::new() };
		let now = frame_system::Pallet::<T>::block_number();
		let current = Self::heartbeat_window(&instance, bp.policy.heartbeat_interval, now);
		let threshold = bp.policy.missed_heartbeat_threshold;
		instance
			.operators
			.iter()
			.map(|op| {
				let record = Heartbeats::<T>::get(service, &op.operator).unwrap_or_default();
				let (_, unsettled) = Self::missed_windows(&record, current);
				HeartbeatInfo {
					operator: op.operator.clone(),
					last_heartbeat: record.last_heartbeat,
					missed_intervals: unsettled,
					reportable: bp
						.policy
						.reporting
						.is_some_and(|policy| !policy.max_qos_slash.is_zero())
						&& unsettled > threshold
						&& !op.exposure.is_zero(),
				}
			})
			.collect()
	}

	/// The statistics of `service` in `era`, per operator: its operators first, in the
	/// service's order (with zeros for those that did nothing) while it is active, then any
	/// other operator with recorded work.
	pub fn service_stats(service: ServiceId, era: EraIndex) -> Vec<(T::AccountId, OperatorStats)> {
		let mut recorded: alloc::collections::BTreeMap<T::AccountId, OperatorStats> =
			ServiceStats::<T>::iter_prefix((era, service))
				.take(T::MaxOperatorsPerService::get() as usize)
				.collect();
		let mut stats = Vec::new();
		let kept = era >= Self::first_kept_era() && era <= T::EraClock::current_era();
		if let Some(instance) = ServiceInstances::<T>::get(service).filter(|_| kept) {
			for op in instance.operators.iter() {
				let entry = recorded.remove(&op.operator).unwrap_or_default();
				stats.push((op.operator.clone(), entry));
			}
		}
		stats.extend(recorded);
		stats
	}

	/// The statistics of `blueprint` in `era`, per operator with recorded work, in storage
	/// order: at most `min(max, MAX_STATS_PER_QUERY)`, after `start_after` if given.
	pub fn blueprint_stats(
		blueprint: BlueprintId,
		era: EraIndex,
		start_after: Option<T::AccountId>,
		max: u32,
	) -> Vec<(T::AccountId, OperatorStats)> {
		let max = max.min(MAX_STATS_PER_QUERY) as usize;
		match start_after {
			Some(after) => {
				let from = BlueprintStats::<T>::hashed_key_for((era, blueprint, after));
				BlueprintStats::<T>::iter_prefix_from((era, blueprint), from).take(max).collect()
			}
			None => BlueprintStats::<T>::iter_prefix((era, blueprint)).take(max).collect(),
		}
	}
}
