//! Requests: a customer asks named operators for a service instance, holding the payment
//! until the request becomes a service or finishes (cancelled, rejected or expired).
//!
//! A request can't occupy an operator's queue of pending requests for nothing:
//! - its payment must meet every named operator's price: each operator is paid
//!   `payment / operators` over the ttl, which must be at least its `price_per_block × ttl`;
//! - it holds [`Config::RequestDeposit`] per named operator. The deposit comes back when
//!   the request becomes a service or is cancelled; an operator that rejects the request
//!   gets its part, for the fee it paid; if the request expires, the deposit goes to
//!   [`Config::TreasuryAccount`].

use alloc::collections::BTreeSet;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	ArithmeticError, Percent, SaturatedConversion,
};
use warden_primitives::{BlueprintId, RequestId};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::{features::blueprints::BlueprintUse, *};

/// How a pending request ended without becoming a service.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RequestEnd<AccountId> {
	/// The requester cancelled it: the deposit comes back.
	Cancelled,
	/// A named operator rejected it: its part of the deposit goes to it.
	Rejected(AccountId),
	/// It expired: the deposit goes to the treasury.
	Expired,
}

/// What finishing a request paid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Finished<Balance> {
	/// The payment refunded to the requester.
	pub refunded: Balance,
	/// The deposit paid to a rejecting operator or forfeited to the treasury.
	pub deposit_paid: Balance,
}

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
		Self::ensure_payment_meets_prices(blueprint, &operators, ttl, payment)?;
		let pending = RequesterPendingCount::<T>::get(&requester);
		ensure!(pending < T::MaxPendingRequestsPerRequester::get(), Error::<T>::TooManyRequests);
		for operator in operators.iter() {
			Self::ensure_operator_has_room(operator)?;
		}
		let request = NextRequestId::<T>::get();
		let next = request.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = now.saturating_add(Params::<T>::get().request_expiry);
		let deposit = T::RequestDeposit::get();
		Self::hold_payment(&requester, payment)?;
		Self::hold_deposit(&requester, deposit.saturating_mul((operators.len() as u32).into()))?;

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
				deposit,
				version: 0,
				created_at: now,
				expires_at,
			},
		);
		ExpirySchedule::<T>::schedule(expires_at, request);
		RequesterPendingCount::<T>::insert(&requester, pending.saturating_add(1));
		NextRequestId::<T>::put(next);
		Self::blueprint_used(blueprint, BlueprintUse::Request);
		Self::deposit_event(Event::ServiceRequested {
			request,
			blueprint,
			requester,
			payment,
			deposit,
			expires_at,
		});
		Ok(request)
	}

	/// Replaces the terms of pending request `request`, made by `who`: resets every
	/// approval, adjusts the held payment and deposit and bumps the terms' version; the
	/// expiry stays. Returns how many operators the request named before: what the work
	/// cost, with the new list's length.
	pub(crate) fn do_update_request(
		who: T::AccountId,
		request: RequestId,
		operators: OperatorListOf<T>,
		permitted_callers: PermittedCallersOf<T>,
		ttl: BlockNumberFor<T>,
		min_exposure: Percent,
		payment: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let mut req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		ensure!(req.requester == who, Error::<T>::NotRequester);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < req.expires_at, Error::<T>::RequestExpired);
		Self::ensure_valid_terms(req.blueprint, &operators, &permitted_callers, ttl)?;
		Self::ensure_payment_meets_prices(req.blueprint, &operators, ttl, payment)?;
		let version = req.version.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let named_before_count = req.operators.len() as u32;
		let named_before = |who: &T::AccountId| req.operators.iter().any(|o| &o.operator == who);
		for operator in operators.iter().filter(|o| !named_before(o)) {
			Self::ensure_operator_has_room(operator)?;
		}
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
		let held_deposit = req.total_deposit();
		let deposit = req.deposit.saturating_mul((operators.len() as u32).into());
		if deposit > held_deposit {
			Self::hold_deposit(&who, deposit.saturating_sub(held_deposit))?;
		} else if deposit < held_deposit {
			T::Currency::release(
				&HoldReason::RequestDeposit.into(),
				&who,
				held_deposit.saturating_sub(deposit),
				Precision::Exact,
			)?;
		}

		// Nothing below can fail.
		for old in req.operators.iter() {
			if let Some(exposure) = old.approval {
				Self::release_approval_slot(&old.operator, req.blueprint, exposure);
			}
			if !operators.contains(&old.operator) {
				Self::remove_from_operator_requests(&old.operator, request);
			}
		}
		for operator in operators.iter().filter(|o| !named_before(o)) {
			Self::add_to_operator_requests(operator, request);
		}
		req.operators = Self::unapproved(operators);
		req.permitted_callers = permitted_callers;
		req.ttl = ttl;
		req.min_exposure = min_exposure;
		req.payment = payment;
		req.version = version;
		req.created_at = now;
		// The expiry stays: updates can't keep a request pending for ever.
		let expires_at = req.expires_at;
		Requests::<T>::insert(request, req);
		Self::deposit_event(Event::RequestUpdated { request, payment, version, expires_at });
		Ok(named_before_count)
	}

	/// Cancels pending request `request`, made by `who`, and refunds it.
	/// Returns how many operators it named: what the work cost.
	pub(crate) fn do_cancel_request(
		who: T::AccountId,
		request: RequestId,
	) -> Result<u32, DispatchError> {
		let req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		ensure!(req.requester == who, Error::<T>::NotRequester);
		let named: alloc::vec::Vec<T::AccountId> =
			req.operators.iter().map(|o| o.operator.clone()).collect();
		let finished = Self::finish_request(request, req, RequestEnd::Cancelled);
		let count = named.len() as u32;
		Self::remember_cancelled(request, named);
		Self::deposit_event(Event::RequestCancelled { request, refunded: finished.refunded });
		Ok(count)
	}

	/// Remembers the named `operators` of `request`, cancelled now, for the rest of the
	/// block (as many as [`Config::MaxCancelledOperatorsPerBlock`] allows).
	fn remember_cancelled(request: RequestId, operators: alloc::vec::Vec<T::AccountId>) {
		let now = frame_system::Pallet::<T>::block_number();
		let mut cancelled = CancelledInBlock::<T>::get()
			.filter(|(block, _)| *block == now)
			.map(|(_, list)| list)
			.unwrap_or_default();
		for operator in operators {
			if cancelled.try_push((request, operator)).is_err() {
				break;
			}
		}
		CancelledInBlock::<T>::put((now, cancelled));
	}

	/// Whether `operator` was named in `request`, cancelled earlier in this block; forgets
	/// it, so each such operator gets one free reject.
	pub(crate) fn take_cancelled(request: RequestId, operator: &T::AccountId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		let Some((block, mut cancelled)) = CancelledInBlock::<T>::get() else { return false };
		if block != now {
			return false;
		}
		let Some(at) = cancelled.iter().position(|(r, o)| *r == request && o == operator) else {
			return false;
		};
		cancelled.remove(at);
		CancelledInBlock::<T>::put((now, cancelled));
		true
	}

	/// `operator`, named in pending request `request`, rejects it: the request is finished
	/// and refunded, and the operator gets its part of the deposit. An operator that
	/// approved may still reject while the request is pending.
	pub(crate) fn do_reject(operator: T::AccountId, request: RequestId) -> DispatchResult {
		let req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < req.expires_at, Error::<T>::RequestExpired);
		ensure!(
			req.operators.iter().any(|o| o.operator == operator),
			Error::<T>::NotRequestOperator
		);
		let finished = Self::finish_request(request, req, RequestEnd::Rejected(operator.clone()));
		Self::deposit_event(Event::RequestRejected {
			request,
			operator,
			refunded: finished.refunded,
			compensation: finished.deposit_paid,
		});
		Ok(())
	}

	/// Expires pending request `request` if its expiry block has come: refunds its payment
	/// and forfeits its deposit. Returns how many operators it named.
	pub(crate) fn do_expire_request(request: RequestId) -> Result<u32, DispatchError> {
		let req = Requests::<T>::get(request).ok_or(Error::<T>::RequestNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= req.expires_at, Error::<T>::RequestNotExpired);
		let operators = req.operators.len() as u32;
		Self::expire(request, req);
		Ok(operators)
	}

	/// Finishes `req` as expired, with its event.
	pub(crate) fn expire(request: RequestId, req: ServiceRequest<T>) {
		let finished = Self::finish_request(request, req, RequestEnd::Expired);
		Self::deposit_event(Event::RequestExpired {
			request,
			refunded: finished.refunded,
			forfeited: finished.deposit_paid,
		});
	}

	/// Checks that `payment` meets the price of every operator of `operators` for `ttl`
	/// blocks: split equally, each gets at least `price_per_block × ttl`.
	pub(crate) fn ensure_payment_meets_prices(
		blueprint: BlueprintId,
		operators: &OperatorListOf<T>,
		ttl: BlockNumberFor<T>,
		payment: BalanceOf<T>,
	) -> DispatchResult {
		let count: BalanceOf<T> = (operators.len() as u32).into();
		let blocks: BalanceOf<T> = ttl.saturated_into::<u32>().into();
		for operator in operators.iter() {
			let price = Registrations::<T>::get(operator, blueprint)
				.map(|reg| reg.preferences.price_per_block)
				.unwrap_or_default();
			let owed = price.saturating_mul(blocks).saturating_mul(count);
			ensure!(payment >= owed, Error::<T>::PaymentBelowPrice);
		}
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
			Self::ensure_eligible(operator, blueprint, bp.policy.min_operator_stake)?;
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

	/// Holds `amount` of `who`'s free balance as a request deposit.
	fn hold_deposit(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&HoldReason::RequestDeposit.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
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

	/// Refunds a request that did not become a service, settles its deposit as `end` says
	/// and removes every trace of it.
	pub(crate) fn finish_request(
		request: RequestId,
		req: ServiceRequest<T>,
		end: RequestEnd<T::AccountId>,
	) -> Finished<BalanceOf<T>> {
		let refunded = Self::release_payment(&req.requester, req.payment);
		for named in req.operators.iter() {
			if let Some(exposure) = named.approval {
				Self::release_approval_slot(&named.operator, req.blueprint, exposure);
			}
		}
		let deposit = req.total_deposit();
		let (paid_to, paid) = match end {
			RequestEnd::Cancelled => (None, Zero::zero()),
			RequestEnd::Rejected(operator) => (Some(operator), req.deposit.min(deposit)),
			RequestEnd::Expired => (Some(T::TreasuryAccount::get()), deposit),
		};
		let paid = match paid_to {
			Some(to) if !paid.is_zero() => Self::pay_deposit(&req.requester, &to, paid),
			_ => Zero::zero(),
		};
		Self::release_deposit(&req.requester, deposit.saturating_sub(paid));
		Self::forget_request(request, &req);
		Finished { refunded, deposit_paid: paid }
	}

	/// Moves `amount` of `requester`'s request deposit to `to`. Returns what moved: nothing
	/// if it can't (then the caller releases it to the requester).
	fn pay_deposit(
		requester: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> BalanceOf<T> {
		T::Currency::transfer_on_hold(
			&HoldReason::RequestDeposit.into(),
			requester,
			to,
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_else(|e| {
			log::warn!(target: LOG_TARGET, "paying a request deposit to {to:?} failed: {e:?}");
			Zero::zero()
		})
	}

	/// Releases up to `amount` of `who`'s request deposit.
	pub(crate) fn release_deposit(who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		if let Err(e) = T::Currency::release(
			&HoldReason::RequestDeposit.into(),
			who,
			amount,
			Precision::BestEffort,
		) {
			log::error!(target: LOG_TARGET, "releasing a request deposit of {who:?} failed: {e:?}");
		}
	}

	/// Removes a request from storage and from every counter; its expiry entry is stale from
	/// now on. Its payment, deposit and the approvals' slots are the caller's business.
	pub(crate) fn forget_request(request: RequestId, req: &ServiceRequest<T>) {
		for named in req.operators.iter() {
			Self::remove_from_operator_requests(&named.operator, request);
		}
		RequesterPendingCount::<T>::mutate_exists(&req.requester, |count| {
			let left = count.unwrap_or(0).saturating_sub(1);
			*count = if left == 0 { None } else { Some(left) };
		});
		Self::blueprint_released(req.blueprint, BlueprintUse::Request);
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
