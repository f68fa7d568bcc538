//! Requests: a customer asks named operators for a service instance, holding the payment
//! until the request becomes a service or finishes (cancelled, rejected or expired).

use alloc::collections::BTreeSet;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	ArithmeticError, Percent,
};
use warden_primitives::{BlueprintId, RequestId};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Records a request from `requester` and holds its payment. Returns its identifier.
	pub(crate) fn do_request(
		requester: T::AccountId,
		blueprint: BlueprintId,
		operators: OperatorListOf<T>,
		permitted_callers: PermittedCallersOf<T>,
		ttl: BlockNumberFor<T>,
		min_exposure: Percent,
		payment: BalanceOf<T>,
	) -> Result<RequestId, DispatchError> {
		Self::ensure_valid_terms(blueprint, &operators, &permitted_callers, ttl)?;
		let pending = RequesterPendingCount::<T>::get(&requester);
		ensure!(pending < T::MaxPendingRequestsPerRequester::get(), Error::<T>::TooManyRequests);
		for operator in operators.iter() {
			Self::ensure_operator_has_room(operator)?;
		}
		let request = NextRequestId::<T>::get();
		let next = request.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = now.saturating_add(Params::<T>::get().request_expiry);
		Self::hold_payment(&requester, payment)?;

		// Nothing below can fail.
		for operator in operators.iter() {
			Self::add_to_operator_requests(operator, request);
		}
		let requested = Self::unapproved(operators);
		Requests::<T>::insert(
			request,
			ServiceRequest {
				blueprint,
				requester: requester.clone(),
				operators: requested,
				permitted_callers,
				ttl,
				min_exposure,
				payment,
				created_at: now,
				expires_at,
			},
		);
		ExpirySchedule::<T>::schedule(expires_at, request);
		RequesterPendingCount::<T>::insert(&requester, pending.saturating_add(1));
		NextRequestId::<T>::put(next);
		Self::deposit_event(Event::ServiceRequested {
			request,
			blueprint,
			requester,
			payment,
			expires_at,
		});
		Ok(request)
	}

	/// Replaces the terms of pending request `request`, made by `who`: resets every
	/// approval, adjusts the held payment and restarts the expiry.
	pub(crate) fn do_update_request(
		who: T::AccountId,
		request: RequestId,
		operators: OperatorListOf<T>,
		permitted_callers: PermittedCallersOf<T>,
		ttl: BlockNumberFor<T>,
		min_exposure: Percent,
		payment: BalanceOf<T>,
	) -> DispatchResult {
		let mut req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		ensure!(req.requester == who, Error::<T>::NotRequester);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < req.expires_at, Error::<T>::RequestExpired);
		Self::ensure_valid_terms(req.blueprint, &operators, &permitted_callers, ttl)?;
		let named_before = |who: &T::AccountId| req.operators.iter().any(|o| &o.operator == who);
		for operator in operators.iter().filter(|o| !named_before(o)) {
			Self::ensure_operator_has_room(operator)?;
		}
		let expires_at = now.saturating_add(Params::<T>::get().request_expiry);
		if payment > req.payment {
			Self::hold_payment(&who, payment.saturating_sub(req.payment))?;
		} else if payment < req.payment {
			T::Currency::release(
				&HoldReason::Payment.into(),
				&who,
				req.payment.saturating_sub(payment),
				Precision::Exact,
			)?;
		}

		// Nothing below can fail.
		for old in req.operators.iter() {
			if old.approval.is_some() {
				Self::release_approval_slot(&old.operator, req.blueprint);
			}
			if !operators.contains(&old.operator) {
				Self::remove_from_operator_requests(&old.operator, request);
			}
		}
		for operator in operators.iter().filter(|o| !named_before(o)) {
			Self::add_to_operator_requests(operator, request);
		}
		// The old expiry's entry is stale from now on.
		ExpirySchedule::<T>::schedule(expires_at, request);
		req.operators = Self::unapproved(operators);
		req.permitted_callers = permitted_callers;
		req.ttl = ttl;
		req.min_exposure = min_exposure;
		req.payment = payment;
		req.created_at = now;
		req.expires_at = expires_at;
		Requests::<T>::insert(request, req);
		Self::deposit_event(Event::RequestUpdated { request, payment, expires_at });
		Ok(())
	}

	/// Cancels pending request `request`, made by `who`, and refunds it.
	pub(crate) fn do_cancel_request(who: T::AccountId, request: RequestId) -> DispatchResult {
		let req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		ensure!(req.requester == who, Error::<T>::NotRequester);
		let refunded = Self::finish_request(request, req);
		Self::deposit_event(Event::RequestCancelled { request, refunded });
		Ok(())
	}

	/// `operator`, named in pending request `request`, rejects it: the request is finished
	/// and refunded. An operator that approved may still reject while the request is pending.
	pub(crate) fn do_reject(operator: T::AccountId, request: RequestId) -> DispatchResult {
		let req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < req.expires_at, Error::<T>::RequestExpired);
		ensure!(
			req.operators.iter().any(|o| o.operator == operator),
			Error::<T>::NotRequestOperator
		);
		let refunded = Self::finish_request(request, req);
		Self::deposit_event(Event::RequestRejected { request, operator, refunded });
		Ok(())
	}

	/// Expires pending request `request` if its expiry block has come, and refunds it.
	pub(crate) fn do_expire_request(request: RequestId) -> DispatchResult {
		let req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= req.expires_at, Error::<T>::RequestNotExpired);
		let refunded = Self::finish_request(request, req);
		Self::deposit_event(Event::RequestExpired { request, refunded });
		Ok(())
	}

	/// Checks a request's terms: an active blueprint; 1 to `MaxOperatorsPerService` distinct
	/// operators, each registered for it, Active and with enough stake; distinct permitted
	/// callers; a ttl in `1..=MaxServiceTtl`.
	pub(crate) fn ensure_valid_terms(
		blueprint: BlueprintId,
		operators: &OperatorListOf<T>,
		permitted_callers: &PermittedCallersOf<T>,
		ttl: BlockNumberFor<T>,
	) -> Result<Blueprint<T>, DispatchError> {
		let bp = Self::active_blueprint(blueprint)?;
		ensure!(!operators.is_empty(), Error::<T>::NoOperators);
		let mut seen = BTreeSet::new();
		for operator in operators.iter() {
			ensure!(seen.insert(operator), Error::<T>::DuplicateOperator);
		}
		for operator in operators.iter() {
			ensure!(
				Registrations::<T>::contains_key(operator, blueprint),
				Error::<T>::OperatorNotRegistered
			);
			Self::ensure_eligible(operator, bp.policy.min_operator_stake)?;
		}
		let mut seen = BTreeSet::new();
		for caller in permitted_callers.iter() {
			ensure!(seen.insert(caller), Error::<T>::DuplicateCaller);
		}
		ensure!(!ttl.is_zero(), Error::<T>::ZeroTtl);
		ensure!(ttl <= T::MaxServiceTtl::get(), Error::<T>::TtlTooLong);
		Ok(bp)
	}

	/// Checks that one more pending request may name `operator`.
	fn ensure_operator_has_room(operator: &T::AccountId) -> DispatchResult {
		let named = OperatorRequests::<T>::decode_len(operator).unwrap_or(0);
		ensure!(
			named < T::MaxPendingRequestsPerOperator::get() as usize,
			Error::<T>::TooManyOperatorRequests
		);
		Ok(())
	}

	/// Holds `amount` of `who`'s free balance as service payment.
	pub(crate) fn hold_payment(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&HoldReason::Payment.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	/// The named operators, none of them approved yet.
	fn unapproved(operators: OperatorListOf<T>) -> RequestedOperatorsOf<T> {
		let list: alloc::vec::Vec<_> = operators
			.into_iter()
			.map(|operator| RequestedOperator { operator, approval: None })
			.collect();
		// Same length as `operators`, so within the same bound.
		BoundedVec::truncate_from(list)
	}

	/// Refunds a request that did not become a service and removes every trace of it.
	/// Returns the refund.
	pub(crate) fn finish_request(request: RequestId, req: ServiceRequest<T>) -> BalanceOf<T> {
		let refunded = Self::release_payment(&req.requester, req.payment);
		for named in req.operators.iter() {
			if named.approval.is_some() {
				Self::release_approval_slot(&named.operator, req.blueprint);
			}
		}
		Self::forget_request(request, &req);
		refunded
	}

	/// Removes a request from storage and from every counter; its expiry entry is stale from
	/// now on. Its payment and the approvals' slots are the caller's business.
	pub(crate) fn forget_request(request: RequestId, req: &ServiceRequest<T>) {
		for named in req.operators.iter() {
			Self::remove_from_operator_requests(&named.operator, request);
		}
		RequesterPendingCount::<T>::mutate_exists(&req.requester, |count| {
			let left = count.unwrap_or(0).saturating_sub(1);
			*count = if left == 0 { None } else { Some(left) };
		});
		Requests::<T>::remove(request);
	}

	/// Releases up to `amount` of `who`'s held payment. Returns what was released.
	pub(crate) fn release_payment(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		T::Currency::release(&HoldReason::Payment.into(), who, amount, Precision::BestEffort)
			.unwrap_or_else(|e| {
				log::error!(target: LOG_TARGET, "releasing a payment of {who:?} failed: {e:?}");
				Zero::zero()
			})
	}

	/// Appends `request` to the pending requests naming `operator`.
	fn add_to_operator_requests(operator: &T::AccountId, request: RequestId) {
		OperatorRequests::<T>::mutate(operator, |list| {
			if list.try_push(request).is_err() {
				// Room was checked before any write.
				log::error!(target: LOG_TARGET, "pending requests of {operator:?} full");
			}
		});
	}

	/// Removes `request` from the pending requests naming `operator`.
	fn remove_from_operator_requests(operator: &T::AccountId, request: RequestId) {
		OperatorRequests::<T>::mutate_exists(operator, |maybe| {
			if let Some(list) = maybe {
				list.retain(|r| *r != request);
				if list.is_empty() {
					*maybe = None;
				}
			}
		});
	}
}
