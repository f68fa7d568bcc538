//! Jobs: the owner or a permitted caller calls a job of an active service, each operator of
//! that service submits one result before the call's deadline, and the call is closed after
//! the deadline with a missed mark for every operator that stayed silent.
//!
//! ## Retention
//!
//! A call and its results stay in storage only while the call is open: at most
//! [`Config::MaxOpenCallsPerService`] calls per service, each with at most one result per
//! operator. Closing removes them; the outcomes live on in the [`Event::ResultSubmitted`]
//! and [`Event::CallClosed`] events. A service remembers only the identifiers of its last
//! [`Config::MaxClosedCallsKept`] closed or cancelled calls (for job-misbehaviour
//! reports), until its report window closes after it terminates.
//!
//! ## Counting
//!
//! A result is only stored when it is submitted: the operator's work is recorded (in the
//! rewards pallet and in the statistics) when the call is closed or cancelled, once per
//! operator, a success, a failure or, past the deadline without a result, a missed mark.
//! `call` prepays that close for every operator of the service, so a result costs one
//! write.
//!
//! ## Closing
//!
//! A call is closed at its deadline by `on_initialize` (through the [`CallDeadlines`] index,
//! under the hook's weight limit and [`Config::MaxCallClosesPerBlock`]), or earlier by anyone
//! through [`Pallet::close_call`] if the hook fell behind. When a service terminates, its
//! open calls are closed with it: calls past their deadline are closed as usual, the others
//! are cancelled without missed marks, since their operators still had time to answer.

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{traits::CheckedAdd, ArithmeticError};
use warden_primitives::{CallId, ServiceId, WorkOutcome};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

impl<T: Config> Pallet<T> {
	/// `caller` calls job `job` of `service` with `args`. Returns the call's identifier and
	/// the service's number of operators (what closing the call will cost).
	pub(crate) fn do_call(
		caller: T::AccountId,
		service: ServiceId,
		job: u32,
		args: JobArgsOf<T>,
	) -> Result<(CallId, u32), DispatchError> {
		let instance = ServiceInstances::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instance.end, Error::<T>::ServiceEnded);
		ensure!(instance.may_call(&caller), Error::<T>::NotPermittedCaller);
		let bp = Blueprints::<T>::get(instance.blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
		let definition = bp.jobs.get(job as usize).ok_or(Error::<T>::JobNotFound)?;
		ensure!(args.len() <= definition.max_args_len as usize, Error::<T>::ArgsTooLarge);
		let open = OpenCallCount::<T>::get(service);
		ensure!(open < T::MaxOpenCallsPerService::get(), Error::<T>::TooManyOpenCalls);
		let call_id = NextCallId::<T>::get();
		let next = call_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let deadline =
			now.checked_add(&definition.result_deadline).ok_or(ArithmeticError::Overflow)?;

		// Nothing below can fail.
		JobCalls::<T>::insert(
			service,
			call_id,
			JobCall { job, caller: caller.clone(), args, called_at: now, deadline },
		);
		CallDeadlineSchedule::<T>::schedule(deadline, (service, call_id));
		OpenCallCount::<T>::insert(service, open.saturating_add(1));
		NextCallId::<T>::put(next);
		Self::deposit_event(Event::JobCalled { service, call_id, job, caller, deadline });
		Ok((call_id, instance.operators.len() as u32))
	}

	/// `operator` submits `outcome` for open call `call_id` of `service`. The result is
	/// stored, and nothing else is written: it counts in the rewards pallet's work and in
	/// the statistics when the call is closed or cancelled (see [`Self::finish_call`]).
	pub(crate) fn do_submit_result(
		operator: T::AccountId,
		service: ServiceId,
		call_id: CallId,
		outcome: JobOutcome<T>,
	) -> DispatchResult {
		let instance = ServiceInstances::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		ensure!(instance.has_operator(&operator), Error::<T>::NotServiceOperator);
		let call = JobCalls::<T>::get(service, call_id).ok_or(Error::<T>::CallNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < call.deadline, Error::<T>::DeadlinePassed);
		let key = (service, call_id, operator.clone());
		ensure!(!JobResults::<T>::contains_key(&key), Error::<T>::AlreadySubmitted);

		JobResults::<T>::insert(&key, outcome.clone());
		Self::deposit_event(Event::ResultSubmitted { service, call_id, operator, outcome });
		Ok(())
	}

	/// Closes call `call_id` of `service` if its deadline has passed. Returns how many
	/// operators the service has: what the work cost.
	pub(crate) fn do_close_call(service: ServiceId, call_id: CallId) -> Result<u32, DispatchError> {
		let call = JobCalls::<T>::get(service, call_id).ok_or(Error::<T>::CallNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= call.deadline, Error::<T>::DeadlineNotReached);
		match ServiceInstances::<T>::get(service) {
			Some(instance) => {
				let operators = instance.operators.len() as u32;
				Self::finish_call(service, &instance, call_id, call, now);
				Ok(operators)
			}
			// Termination finishes every open call of a service, so this can't happen; if it
			// did, the call is dropped without marks, since its operators are unknown.
			None => {
				Self::drop_orphan_call(service, call_id);
				Ok(0)
			}
		}
	}

	/// Finishes open call `call_id` of active service `service` at `now`: removes it and
	/// its results. Past its deadline it is closed and every operator without a result gets
	/// a missed mark; before, it is cancelled (its service is terminating).
	pub(crate) fn finish_call(
		service: ServiceId,
		instance: &ServiceInstance<T>,
		call_id: CallId,
		call: JobCall<T>,
		now: BlockNumberFor<T>,
	) {
		let overdue = now >= call.deadline;
		let (mut successes, mut failures, mut missed) = (0u32, 0u32, 0u32);
		// Every operator's result, or its silence past the deadline, counts now: one record
		// per operator, which the call prepaid.
		for op in instance.operators.iter() {
			let work = match JobResults::<T>::take((service, call_id, &op.operator)) {
				Some(outcome) if outcome.is_success() => {
					successes = successes.saturating_add(1);
					WorkOutcome::Success
				}
				Some(_) => {
					failures = failures.saturating_add(1);
					WorkOutcome::Failure
				}
				None if overdue => {
					missed = missed.saturating_add(1);
					WorkOutcome::Missed
				}
				None => continue,
			};
			Self::record_work(&op.operator, service, instance.blueprint, work);
		}
		Self::forget_call(service, call_id);
		// Closed or cancelled, its results may have misbehaved: it stays reportable.
		ClosedCalls::<T>::mutate(service, |kept| {
			if kept.is_full() && !kept.is_empty() {
				kept.remove(0);
			}
			// Fails only with a zero bound: then nothing is kept.
			let _ = kept.try_push((call_id, call.called_at));
		});
		if overdue {
			Self::deposit_event(Event::CallClosed {
				service,
				call_id,
				successes,
				failures,
				missed,
			});
		} else {
			Self::deposit_event(Event::CallCancelled { service, call_id, successes, failures });
		}
	}

	/// Removes call `call_id` of `service` and its count; its deadline entry is stale from
	/// now on. Its results are the caller's business.
	fn forget_call(service: ServiceId, call_id: CallId) {
		JobCalls::<T>::remove(service, call_id);
		OpenCallCount::<T>::mutate_exists(service, |count| {
			let left = count.unwrap_or(0).saturating_sub(1);
			*count = if left == 0 { None } else { Some(left) };
		});
	}

	/// Drops call `call_id` of `service`, which is no longer active, with its results and
	/// without marks.
	pub(crate) fn drop_orphan_call(service: ServiceId, call_id: CallId) {
		log::error!(target: LOG_TARGET, "call {call_id} of service {service} outlived it");
		let _ = JobResults::<T>::clear_prefix(
			(service, call_id),
			T::MaxOperatorsPerService::get(),
			None,
		);
		Self::forget_call(service, call_id);
	}

	/// Finishes every open call of terminating service `service` at `now`. Its closed calls
	/// stay for reports until its report window closes. At most [`Config::MaxOpenCallsPerService`] calls: `call` never lets a
	/// service open more. All of them are taken, so that none is left behind even if the
	/// bound was lowered since.
	pub(crate) fn finish_calls_of(
		service: ServiceId,
		instance: &ServiceInstance<T>,
		now: BlockNumberFor<T>,
	) {
		let mut open: alloc::vec::Vec<(CallId, JobCall<T>)> =
			JobCalls::<T>::iter_prefix(service).collect();
		open.sort_by_key(|(call_id, _)| *call_id);
		for (call_id, call) in open {
			Self::finish_call(service, instance, call_id, call, now);
		}
	}
}
