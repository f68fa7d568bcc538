//! The answers to the [`ServicesApi`](warden_primitives::ServicesApi) runtime API.

use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::{
	BlueprintId, BlueprintInfo, BlueprintMetadataInfo, JobInfo, PreferencesInfo, RegistrationInfo,
	RequestId, RequestInfo, ServiceId, ServiceInfo, MAX_BLUEPRINTS_PER_QUERY,
};

use frame_support::traits::Get;

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
					reward_points: job.reward_points,
				})
				.collect(),
			policy: bp.policy,
			active: bp.active,
		})
	}

	/// Every registration of `operator`.
	pub fn registrations_of(operator: T::AccountId) -> Vec<RegistrationInfo<BlockNumberFor<T>>> {
		Registrations::<T>::iter_prefix(&operator)
			.take(T::MaxBlueprintsPerOperator::get() as usize)
			.map(|(blueprint, reg)| RegistrationInfo {
				blueprint,
				preferences: PreferencesInfo {
					operator_key: reg.preferences.operator_key,
					rpc_address: reg.preferences.rpc_address.into_inner(),
					max_instances: reg.preferences.max_instances,
				},
				active_instances: reg.active_instances,
				pending_approvals: reg.pending_approvals,
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

	/// The services parameters in force.
	pub fn services_params() -> ParamsOf<T> {
		Params::<T>::get()
	}
}
