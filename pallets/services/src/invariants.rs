//! The pallet's invariants, checked by `try_state` and after every test.

use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};
use frame_support::{ensure, traits::fungible::InspectHold, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, Percent, SaturatedConversion, TryRuntimeError};
use warden_primitives::{
	BlueprintId, CallId, EraClock, EraIndex, OperatorStats, RequestId, ServiceId,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// What each account should have on hold for [`HoldReason::Payment`]: its pending
	/// requests' payments plus its active services' escrow.
	pub fn expected_payment_holds() -> BTreeMap<T::AccountId, BalanceOf<T>> {
		Self::payment_holds(
			Requests::<T>::iter_values().map(|r| (r.requester, r.payment)),
			ServiceInstances::<T>::iter_values().map(|s| (s.owner, s.escrow)),
		)
	}

	/// Sums payments per account.
	fn payment_holds(
		requests: impl Iterator<Item = (T::AccountId, BalanceOf<T>)>,
		services: impl Iterator<Item = (T::AccountId, BalanceOf<T>)>,
	) -> BTreeMap<T::AccountId, BalanceOf<T>> {
		let mut holds = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (who, amount) in requests.chain(services) {
			let entry = holds.entry(who).or_default();
			*entry = entry.saturating_add(amount);
		}
		holds
	}

	/// Checks every invariant of the pallet's storage:
	///
	/// - the parameters are valid;
	/// - held payment equals pending payments plus active escrow, per account;
	/// - each registration's instance counts equal its active services and approvals on
	///   pending requests; registration counters equal the registrations;
	/// - requests and services are indexed exactly once, at their expiry or end block, and
	///   never before the index's cursor; the per-operator and per-requester request lists
	///   and counters match the requests;
	/// - identifiers are below their next values; `ServicesOf` lists exactly the operators of
	///   each active service;
	/// - open calls belong to active services and valid jobs, are indexed exactly once at
	///   their deadline (never before the cursor), and their counters match their results;
	///   results belong to open calls and operators of their service; kept closed calls
	///   belong to active services and are not open;
	/// - heartbeat records belong to operators of active services, and their windows agree
	///   with their blocks;
	/// - what each account holds as blueprint and request deposits equals the deposits of
	///   its blueprints and pending requests; each blueprint's registration and request
	///   counters equal its registrations and pending requests;
	/// - each operator's committed exposure equals the exposures of its running services and
	///   approvals, and is at most 100%; each registration's committed exposure equals the
	///   exposures of its running services;
	/// - per era and operator, statistics summed over services equal those summed over
	///   blueprints, and no era older than the oldest kept has any.
	///
	/// Each storage map is read once.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::ensure_valid_params(&Params::<T>::get())
			.map_err(|_| TryRuntimeError::Other("invalid params"))?;
		let requests: Vec<(RequestId, ServiceRequest<T>)> = Requests::<T>::iter().collect();
		let services: Vec<(ServiceId, ServiceInstance<T>)> =
			ServiceInstances::<T>::iter().collect();

		Self::check_escrow(&requests, &services)?;
		Self::check_registrations(&requests, &services)?;
		Self::check_requests(&requests)?;
		Self::check_services(&services)?;
		let services: BTreeMap<ServiceId, ServiceInstance<T>> = services.into_iter().collect();
		Self::check_ended_services(&services)?;
		Self::check_calls(&services)?;
		Self::check_heartbeats(&services)?;
		Self::check_stats()?;
		Self::check_deposits_and_exposure(&requests, &services)?;
		Ok(())
	}

	/// Deposits, blueprint usage counters and committed exposure agree with the blueprints,
	/// requests, registrations and services.
	fn check_deposits_and_exposure(
		requests: &[(RequestId, ServiceRequest<T>)],
		services: &BTreeMap<ServiceId, ServiceInstance<T>>,
	) -> Result<(), TryRuntimeError> {
		let add = |map: &mut BTreeMap<T::AccountId, BalanceOf<T>>, who: &T::AccountId, amount| {
			let entry = map.entry(who.clone()).or_default();
			*entry = entry.saturating_add(amount);
		};
		let mut blueprint_deposits = BTreeMap::new();
		let mut usage = BTreeMap::<BlueprintId, (u32, u32)>::new();
		for (id, bp) in Blueprints::<T>::iter() {
			ensure!(bp.deposit == Self::blueprint_deposit(&bp), "blueprint deposit off its size");
			add(&mut blueprint_deposits, &bp.owner, bp.deposit);
			usage.insert(id, (bp.registrations, bp.pending_requests));
		}
		let mut counted = BTreeMap::<BlueprintId, (u32, u32)>::new();
		for (_, blueprint, _) in Registrations::<T>::iter() {
			let entry = counted.entry(blueprint).or_default();
			entry.0 = entry.0.saturating_add(1);
		}
		let mut request_deposits = BTreeMap::new();
		let mut committed = BTreeMap::<T::AccountId, u32>::new();
		let mut commit = |who: &T::AccountId, exposure: Percent| {
			let entry = committed.entry(who.clone()).or_default();
			*entry = entry.saturating_add(u32::from(exposure.deconstruct()));
		};
		for (_, req) in requests {
			add(&mut request_deposits, &req.requester, req.total_deposit());
			let entry = counted.entry(req.blueprint).or_default();
			entry.1 = entry.1.saturating_add(1);
			for named in req.operators.iter() {
				if let Some(exposure) = named.approval {
					commit(&named.operator, exposure);
				}
			}
		}
		let mut on_blueprint = BTreeMap::<(T::AccountId, BlueprintId), u32>::new();
		for instance in services.values() {
			for op in instance.operators.iter() {
				commit(&op.operator, op.exposure);
				let entry =
					on_blueprint.entry((op.operator.clone(), instance.blueprint)).or_default();
				*entry = entry.saturating_add(u32::from(op.exposure.deconstruct()));
			}
		}
		for (id, (registrations, pending)) in usage {
			ensure!(
				counted.remove(&id).unwrap_or_default() == (registrations, pending),
				"blueprint usage counters differ from its registrations and requests"
			);
		}
		ensure!(counted.is_empty(), "registrations or requests of a missing blueprint");
		for (reason, expected) in [
			(HoldReason::BlueprintDeposit, blueprint_deposits),
			(HoldReason::RequestDeposit, request_deposits),
		] {
			for (who, amount) in &expected {
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), who) == *amount,
					"held deposit differs from the deposits on record"
				);
			}
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (operator, blueprint, reg) in Registrations::<T>::iter() {
			ensure!(
				reg.committed_exposure == on_blueprint.remove(&(operator, blueprint)).unwrap_or(0),
				"a registration's committed exposure differs from its running services"
			);
			ensure!(
				reg.registered_at <= reg.credited_at
					&& reg.credited_at <= reg.accrued_at
					&& reg.accrued_at <= now,
				"a registration's availability is counted out of order"
			);
			let blocks: u64 = reg.accrued_at.saturating_sub(reg.credited_at).saturated_into();
			ensure!(
				reg.exposure_blocks <= blocks.saturating_mul(100),
				"a registration accrued more than 100% of its stake over its blocks"
			);
		}
		for (operator, total) in CommittedExposure::<T>::iter() {
			ensure!(total > 0, "zero committed exposure kept");
			ensure!(total <= 100, "more than 100% of an operator's stake committed");
			ensure!(
				committed.remove(&operator) == Some(total),
				"committed exposure differs from services and approvals"
			);
		}
		ensure!(
			committed.values().all(|total| *total == 0),
			"an operator's exposure is not recorded as committed"
		);
		Ok(())
	}

	/// Open calls, their results, their deadline index, their counters and the kept closed
	/// calls agree, and belong to active services.
	fn check_calls(
		services: &BTreeMap<ServiceId, ServiceInstance<T>>,
	) -> Result<(), TryRuntimeError> {
		let next = NextCallId::<T>::get();
		let mut due = Vec::<(CallKey, BlockNumberFor<T>)>::new();
		let mut per_service = BTreeMap::<ServiceId, u32>::new();
		let mut calls = BTreeMap::<CallKey, JobCall<T>>::new();
		for (service, call_id, call) in JobCalls::<T>::iter() {
			let instance = services.get(&service).ok_or("open call of a service not active")?;
			ensure!(call_id < next, "call id not below NextCallId");
			let bp = Blueprints::<T>::get(instance.blueprint).ok_or("service without blueprint")?;
			let job = bp.jobs.get(call.job as usize).ok_or("call of a missing job")?;
			ensure!(call.args.len() <= job.max_args_len as usize, "call arguments too long");
			ensure!(call.deadline > call.called_at, "call deadline not after the call");
			due.push(((service, call_id), call.deadline));
			let entry = per_service.entry(service).or_default();
			*entry = entry.saturating_add(1);
			calls.insert((service, call_id), call);
		}
		CallDeadlineSchedule::<T>::check()?;
		CallDeadlineSchedule::<T>::check_scheduled(due)?;
		for (service, count) in OpenCallCount::<T>::iter() {
			ensure!(
				per_service.remove(&service) == Some(count),
				"OpenCallCount differs from open calls"
			);
			ensure!(count <= T::MaxOpenCallsPerService::get(), "too many open calls");
		}
		ensure!(per_service.is_empty(), "open calls without an OpenCallCount");

		for ((service, call_id, operator), _) in JobResults::<T>::iter() {
			ensure!(calls.contains_key(&(service, call_id)), "result of a call not open");
			let instance = services.get(&service).ok_or("result in a service not active")?;
			ensure!(instance.has_operator(&operator), "result of a non-operator");
		}

		for (service, kept) in ClosedCalls::<T>::iter() {
			ensure!(
				services.contains_key(&service) || EndedServices::<T>::contains_key(service),
				"closed calls kept for a service neither active nor in its report window"
			);
			let distinct: BTreeSet<CallId> = kept.iter().map(|(id, _)| *id).collect();
			ensure!(distinct.len() == kept.len(), "a closed call kept twice");
			for (call_id, called_at) in kept.iter() {
				ensure!(*call_id < next, "kept closed call id not below NextCallId");
				ensure!(!calls.contains_key(&(service, *call_id)), "a kept closed call is open");
				ensure!(
					*called_at <= frame_system::Pallet::<T>::block_number(),
					"a kept closed call was made in a future block"
				);
			}
		}
		Ok(())
	}

	/// Heartbeat records belong to operators of active services and agree with their windows.
	fn check_heartbeats(
		services: &BTreeMap<ServiceId, ServiceInstance<T>>,
	) -> Result<(), TryRuntimeError> {
		for (service, operator, record) in Heartbeats::<T>::iter() {
			let instance = services.get(&service).ok_or("heartbeats of a service not active")?;
			ensure!(instance.has_operator(&operator), "heartbeat record of a non-operator");
			let bp = Blueprints::<T>::get(instance.blueprint).ok_or("service without blueprint")?;
			let window = record
				.last_heartbeat
				.map(|at| Self::heartbeat_window(instance, bp.policy.heartbeat_interval, at));
			ensure!(window == record.last_heartbeat_window, "heartbeat window differs from block");
			let now = frame_system::Pallet::<T>::block_number();
			let current = Self::heartbeat_window(instance, bp.policy.heartbeat_interval, now);
			ensure!(
				record.last_heartbeat_window.is_none_or(|w| w <= current),
				"heartbeat in a future window"
			);
			ensure!(
				record.last_reported_window.is_none_or(|w| w < current),
				"reported window not yet over"
			);
		}
		Ok(())
	}

	/// Per era and operator, the statistics summed over services equal those summed over
	/// blueprints; none is empty, and none is older than the oldest era kept.
	fn check_stats() -> Result<(), TryRuntimeError> {
		let oldest = OldestStatsEra::<T>::get();
		let current = T::EraClock::current_era();
		let mut by_service = BTreeMap::<(EraIndex, T::AccountId), OperatorStats>::new();
		for ((era, _, operator), stats) in ServiceStats::<T>::iter() {
			ensure!(!stats.is_empty(), "empty service statistics");
			ensure!(era >= oldest && era <= current, "stats era out of range");
			by_service.entry((era, operator)).or_default().saturating_accrue(&stats);
		}
		let mut by_blueprint = BTreeMap::<(EraIndex, T::AccountId), OperatorStats>::new();
		for ((era, _, operator), stats) in BlueprintStats::<T>::iter() {
			ensure!(!stats.is_empty(), "empty blueprint statistics");
			ensure!(era >= oldest && era <= current, "stats era out of range");
			by_blueprint.entry((era, operator)).or_default().saturating_accrue(&stats);
		}
		ensure!(by_service == by_blueprint, "service and blueprint statistics differ");
		Ok(())
	}

	/// Held payment equals pending payments plus active escrow, per account.
	fn check_escrow(
		requests: &[(RequestId, ServiceRequest<T>)],
		services: &[(ServiceId, ServiceInstance<T>)],
	) -> Result<(), TryRuntimeError> {
		let reason: T::RuntimeHoldReason = HoldReason::Payment.into();
		let expected = Self::payment_holds(
			requests.iter().map(|(_, r)| (r.requester.clone(), r.payment)),
			services.iter().map(|(_, s)| (s.owner.clone(), s.escrow)),
		);
		for (who, expected) in expected {
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == expected,
				"held payment differs from pending payments plus active escrow"
			);
		}
		Ok(())
	}

	/// Registrations' instance counts and counters match requests and services.
	fn check_registrations(
		requests: &[(RequestId, ServiceRequest<T>)],
		services: &[(ServiceId, ServiceInstance<T>)],
	) -> Result<(), TryRuntimeError> {
		// Slots each (operator, blueprint) uses, counted from requests and services.
		let mut approvals = BTreeMap::<(T::AccountId, BlueprintId), u32>::new();
		for (_, req) in requests {
			for named in req.operators.iter().filter(|o| o.approval.is_some()) {
				let entry = approvals.entry((named.operator.clone(), req.blueprint)).or_default();
				*entry = entry.saturating_add(1);
			}
		}
		let mut instances = BTreeMap::<(T::AccountId, BlueprintId), u32>::new();
		for (_, instance) in services {
			for op in instance.operators.iter() {
				let entry = instances.entry((op.operator.clone(), instance.blueprint)).or_default();
				*entry = entry.saturating_add(1);
			}
		}

		let next_blueprint = NextBlueprintId::<T>::get();
		let mut per_operator = BTreeMap::<T::AccountId, u32>::new();
		for (operator, blueprint, reg) in Registrations::<T>::iter() {
			ensure!(blueprint < next_blueprint, "registration for a missing blueprint");
			ensure!(reg.preferences.max_instances >= 1, "registration with zero max_instances");
			let key = (operator.clone(), blueprint);
			ensure!(
				reg.pending_approvals == approvals.remove(&key).unwrap_or(0),
				"pending_approvals differs from approvals on pending requests"
			);
			ensure!(
				reg.active_instances == instances.remove(&key).unwrap_or(0),
				"active_instances differs from active services"
			);
			let entry = per_operator.entry(operator).or_default();
			*entry = entry.saturating_add(1);
		}
		ensure!(approvals.is_empty(), "an approval without a registration");
		ensure!(instances.is_empty(), "a service operator without a registration");

		for (operator, count) in RegistrationCount::<T>::iter() {
			ensure!(
				per_operator.remove(&operator) == Some(count),
				"RegistrationCount differs from registrations"
			);
			ensure!(count <= T::MaxBlueprintsPerOperator::get(), "too many registrations");
		}
		ensure!(per_operator.is_empty(), "registrations without a RegistrationCount");
		Ok(())
	}

	/// Requests are queued to expire, and their per-operator and per-requester records agree.
	fn check_requests(requests: &[(RequestId, ServiceRequest<T>)]) -> Result<(), TryRuntimeError> {
		let next = NextRequestId::<T>::get();
		let mut due = Vec::<(RequestId, BlockNumberFor<T>)>::new();
		let mut per_requester = BTreeMap::<T::AccountId, u32>::new();
		let mut per_operator = BTreeMap::<T::AccountId, BTreeSet<RequestId>>::new();
		for (id, req) in requests {
			ensure!(*id < next, "request id not below NextRequestId");
			ensure!(!req.operators.is_empty(), "request without operators");
			ensure!(!req.fully_approved(), "fully approved request still pending");
			due.push((*id, req.expires_at));
			for named in req.operators.iter() {
				ensure!(
					per_operator.entry(named.operator.clone()).or_default().insert(*id),
					"request names an operator twice"
				);
			}
			let entry = per_requester.entry(req.requester.clone()).or_default();
			*entry = entry.saturating_add(1);
		}
		ExpirySchedule::<T>::check()?;
		ExpirySchedule::<T>::check_scheduled(due)?;

		for (requester, count) in RequesterPendingCount::<T>::iter() {
			ensure!(
				per_requester.remove(&requester) == Some(count),
				"RequesterPendingCount differs from requests"
			);
			ensure!(count <= T::MaxPendingRequestsPerRequester::get(), "too many requests");
		}
		ensure!(per_requester.is_empty(), "requests without a RequesterPendingCount");

		for (operator, list) in OperatorRequests::<T>::iter() {
			let listed: BTreeSet<RequestId> = list.iter().copied().collect();
			ensure!(listed.len() == list.len(), "operator request list has duplicates");
			ensure!(
				per_operator.remove(&operator) == Some(listed),
				"OperatorRequests differs from requests"
			);
		}
		ensure!(per_operator.is_empty(), "requests missing from OperatorRequests");
		Ok(())
	}

	/// Ended services are no longer active, have operators, and each is queued exactly once
	/// at the block its report window closes.
	fn check_ended_services(
		services: &BTreeMap<ServiceId, ServiceInstance<T>>,
	) -> Result<(), TryRuntimeError> {
		let next = NextServiceId::<T>::get();
		let mut due = Vec::<(ServiceId, BlockNumberFor<T>)>::new();
		for (id, ended) in EndedServices::<T>::iter() {
			ensure!(id < next, "ended service id not below NextServiceId");
			ensure!(!services.contains_key(&id), "an ended service is still active");
			ensure!(!ended.operators.is_empty(), "ended service without operators");
			due.push((id, ended.report_until));
		}
		EndedServiceSchedule::<T>::check()?;
		EndedServiceSchedule::<T>::check_scheduled(due)?;
		Ok(())
	}

	/// Services are well formed and each is queued to end.
	fn check_services(services: &[(ServiceId, ServiceInstance<T>)]) -> Result<(), TryRuntimeError> {
		let next = NextServiceId::<T>::get();
		let mut due = Vec::<(ServiceId, BlockNumberFor<T>)>::new();
		for (id, instance) in services {
			ensure!(*id < next, "service id not below NextServiceId");
			ensure!(!instance.operators.is_empty(), "service without operators");
			ensure!(instance.start < instance.end, "service lifetime is empty");
			due.push((*id, instance.end));
		}
		// `ServicesOf` lists exactly the operators of each active service.
		let mut expected: BTreeSet<(T::AccountId, ServiceId)> = services
			.iter()
			.flat_map(|(id, instance)| instance.operators.iter().map(|o| (o.operator.clone(), *id)))
			.collect();
		for (operator, service, ()) in ServicesOf::<T>::iter() {
			ensure!(
				expected.remove(&(operator, service)),
				"ServicesOf lists a service its operator doesn't serve"
			);
		}
		ensure!(expected.is_empty(), "an operator's active service is missing from ServicesOf");
		ServiceEndSchedule::<T>::check()?;
		ServiceEndSchedule::<T>::check_scheduled(due)?;
		Ok(())
	}
}
