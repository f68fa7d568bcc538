//! Approval: each named operator commits part of its stake; the last approval turns the
//! request into an active service instance.

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{traits::Saturating, ArithmeticError, Percent};
use warden_primitives::{RequestId, ServiceId};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// What an approval that activates a service of `operators` operators costs: the
	/// activation, and the service's termination at the end of its lifetime, which it
	/// prepays. The termination is charged without open calls: each call prepaid its own
	/// close, which termination does for the calls still open. At least what an approval
	/// that doesn't activate costs.
	pub fn approve_weight(operators: u32) -> Weight {
		T::WeightInfo::approve(operators)
			.saturating_add(T::WeightInfo::terminate_expired(operators, 0))
			.max(T::WeightInfo::approve_pending())
	}

	/// `operator` approves version `version` of pending request `request` with `exposure`.
	/// Returns the service's identifier and its number of operators if this was the last
	/// approval.
	pub(crate) fn do_approve(
		operator: T::AccountId,
		request: RequestId,
		version: u32,
		exposure: Percent,
	) -> Result<Option<(ServiceId, u32)>, DispatchError> {
		let mut req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		ensure!(req.version == version, Error::<T>::RequestChanged);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < req.expires_at, Error::<T>::RequestExpired);
		let bp = Self::active_blueprint(req.blueprint)?;
		let named = req
			.operators
			.iter_mut()
			.find(|o| o.operator == operator)
			.ok_or(Error::<T>::NotRequestOperator)?;
		ensure!(named.approval.is_none(), Error::<T>::AlreadyApproved);
		ensure!(!exposure.is_zero(), Error::<T>::ZeroExposure);
		ensure!(exposure >= req.min_exposure, Error::<T>::ExposureTooLow);
		Self::ensure_eligible(&operator, req.blueprint, bp.policy.min_operator_stake)?;
		Self::ensure_can_commit(&operator, exposure)?;
		let mut reg =
			Registrations::<T>::get(&operator, req.blueprint).ok_or(Error::<T>::NotRegistered)?;
		ensure!(reg.used_slots() < reg.preferences.max_instances, Error::<T>::InstanceLimitReached);
		named.approval = Some(exposure);
		let activate = req.fully_approved();
		let service = NextServiceId::<T>::get();
		let next_service = service.checked_add(1).ok_or(ArithmeticError::Overflow)?;

		// Nothing below can fail.
		Self::take_approval_slot(&operator, &mut reg, exposure);
		Registrations::<T>::insert(&operator, req.blueprint, reg);
		Self::deposit_event(Event::RequestApproved { request, operator, exposure });
		if !activate {
			Requests::<T>::insert(request, req);
			return Ok(None);
		}
		let operators = req.operators.len() as u32;
		Self::activate(request, req, service, now);
		NextServiceId::<T>::put(next_service);
		Ok(Some((service, operators)))
	}

	/// Turns fully approved request `request` into active service `service`, starting now.
	/// The payment stays held from the owner as the service's escrow; the deposit comes
	/// back.
	fn activate(
		request: RequestId,
		req: ServiceRequest<T>,
		service: ServiceId,
		now: BlockNumberFor<T>,
	) {
		Self::release_deposit(&req.requester, req.total_deposit());
		Self::forget_request(request, &req);
		let operators: alloc::vec::Vec<_> = req
			.operators
			.iter()
			.map(|named| {
				let exposure = named.approval.unwrap_or_default();
				Self::approval_slot_to_instance(&named.operator, req.blueprint, exposure);
				ServicesOf::<T>::insert(&named.operator, service, ());
				ServiceOperator { operator: named.operator.clone(), exposure }
			})
			.collect();
		let end = now.saturating_add(req.ttl);
		ServiceInstances::<T>::insert(
			service,
			ServiceInstance {
				request,
				blueprint: req.blueprint,
				owner: req.requester.clone(),
				// Same length as the request's operators, so within the same bound.
				operators: BoundedVec::truncate_from(operators),
				permitted_callers: req.permitted_callers,
				start: now,
				end,
				escrow: req.payment,
			},
		);
		ServiceEndSchedule::<T>::schedule(end, service);
		Self::deposit_event(Event::ServiceActivated {
			service,
			request,
			blueprint: req.blueprint,
			owner: req.requester,
			end,
		});
	}
}
