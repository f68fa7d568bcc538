//! Termination: a service ends, by its owner's call or at the end of its lifetime, its open
//! job calls are finished, and its escrow is settled.
//!
//! ## Payout and rounding
//!
//! With `escrow` held, a lifetime of `ttl` blocks, `served = min(now, end) − start` blocks
//! served and `n` operators:
//!
//! - the operators are owed `due = floor(escrow × served / ttl)` together;
//! - each gets `share = floor(due / n)`;
//! - the owner gets back `escrow − n × share`, which includes both roundings.
//!
//! So the operators never receive more than the served part of the escrow, and nothing is
//! left held. A share that can't be paid to an operator (its account can't receive it) goes
//! back to the owner too, with an [`Event::OperatorPayoutFailed`].

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	Rounding, SaturatedConversion,
};
use warden_primitives::{ServiceId, SlashQueue};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// The owner `who` terminates `service` before the end of its lifetime.
	pub(crate) fn do_terminate(who: T::AccountId, service: ServiceId) -> DispatchResult {
		let instance = ServiceInstances::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		ensure!(instance.owner == who, Error::<T>::NotServiceOwner);
		Self::settle(service, instance, TerminationReason::ByOwner);
		Ok(())
	}

	/// Terminates `service` if its lifetime has ended. Returns how many operators it had and
	/// how many calls it had open: what the work cost.
	pub(crate) fn do_terminate_expired(service: ServiceId) -> Result<(u32, u32), DispatchError> {
		let instance = ServiceInstances::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= instance.end, Error::<T>::ServiceNotEnded);
		let work = (instance.operators.len() as u32, OpenCallCount::<T>::get(service));
		Self::settle(service, instance, TerminationReason::Ended);
		Ok(work)
	}

	/// Keeps what reports against the operators of `service`, ending at `now`, need until its
	/// report window closes. With no window, its closed calls go at once.
	fn keep_for_reports(service: ServiceId, instance: &ServiceInstance<T>, now: BlockNumberFor<T>) {
		let window = T::SlashQueue::report_window();
		if window.is_zero() {
			ClosedCalls::<T>::remove(service);
			return;
		}
		// Registrations keep a service's blueprint from being removed.
		let Some(bp) = Blueprints::<T>::get(instance.blueprint) else {
			ClosedCalls::<T>::remove(service);
			return;
		};
		let report_until = now.saturating_add(window);
		EndedServices::<T>::insert(
			service,
			EndedService {
				blueprint: instance.blueprint,
				owner: instance.owner.clone(),
				operators: instance.operators.clone(),
				blueprint_owner: bp.owner,
				reporting: bp.policy.reporting,
				report_until,
			},
		);
		EndedServiceSchedule::<T>::schedule(report_until, service);
	}

	/// Forgets ended service `service` once its report window closed: its record and its
	/// closed calls.
	pub(crate) fn forget_ended(service: ServiceId) {
		EndedServices::<T>::remove(service);
		ClosedCalls::<T>::remove(service);
		Self::deposit_event(Event::ReportWindowClosed { service });
	}

	/// What the operators of `instance` are owed if it stops at `now`.
	pub fn payout_at(
		instance: &ServiceInstance<T>,
		now: BlockNumberFor<T>,
	) -> Payout<BalanceOf<T>> {
		let served = now.min(instance.end).saturating_sub(instance.start);
		let ttl = instance.end.saturating_sub(instance.start);
		let escrow: u128 = instance.escrow.saturated_into();
		let due = multiply_by_rational_with_rounding(
			escrow,
			served.saturated_into::<u128>(),
			ttl.saturated_into::<u128>(),
			Rounding::Down,
		)
		// A zero ttl can't be requested; if it were, nothing was served.
		.unwrap_or(0)
		.min(escrow);
		let operators = instance.operators.len() as u128;
		let share = due.checked_div(operators).unwrap_or(0);
		let paid = share.saturating_mul(operators);
		Payout {
			per_operator: share.saturated_into(),
			paid: paid.saturated_into(),
			refunded: escrow.saturating_sub(paid).saturated_into(),
		}
	}

	/// Finishes the open calls of `service` (closing the overdue ones, cancelling the
	/// others), pays its operators for the blocks served, refunds the rest to its owner, and
	/// removes the service, its heartbeats and its instance counts. What reports need (its
	/// operators and their exposure, its closed calls) stays for the slashing pallet's
	/// report window. Its statistics stay until their era is pruned.
	pub(crate) fn settle(
		service: ServiceId,
		instance: ServiceInstance<T>,
		reason: TerminationReason,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		Self::finish_calls_of(service, &instance, now);
		Self::forget_heartbeats(service, &instance);
		let payout = Self::payout_at(&instance, now);
		let reason_hold: T::RuntimeHoldReason = HoldReason::Payment.into();
		let mut paid = BalanceOf::<T>::zero();
		for op in instance.operators.iter() {
			if !payout.per_operator.is_zero() {
				let sent = T::Currency::transfer_on_hold(
					&reason_hold,
					&instance.owner,
					&op.operator,
					payout.per_operator,
					Precision::Exact,
					Restriction::Free,
					// The escrow was committed to the service; freezes on the owner's account
					// must not keep it from the operators.
					Fortitude::Force,
				);
				match sent {
					Ok(amount) => paid = paid.saturating_add(amount),
					Err(e) => {
						log::warn!(target: LOG_TARGET, "payout of service {service} failed: {e:?}");
						Self::deposit_event(Event::OperatorPayoutFailed {
							service,
							operator: op.operator.clone(),
							amount: payout.per_operator,
						});
					}
				}
			}
			Self::release_instance_slot(&op.operator, instance.blueprint, op.exposure);
			ServicesOf::<T>::remove(&op.operator, service);
		}
		let refunded = Self::release_payment(&instance.owner, instance.escrow.saturating_sub(paid));
		ServiceInstances::<T>::remove(service);
		Self::keep_for_reports(service, &instance, now);
		Self::deposit_event(Event::ServiceTerminated {
			service,
			reason,
			served: now.min(instance.end).saturating_sub(instance.start),
			paid_per_operator: payout.per_operator,
			refunded,
		});
	}
}
