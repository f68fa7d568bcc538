//! Reports: misbehaviour of a service's operators goes to the slashing pallet as a pending
//! slash, through [`Config::SlashQueue`].
//!
//! - [`Pallet::report`]: allowed only if the service's blueprint has a reporting policy, and
//!   only for the reporters it names: the service's owner, the blueprint's owner, and/or the
//!   service's other operators. The offender must be an operator of the service, and the
//!   fraction must be non-zero and at most the policy's maximum for the kind of report
//!   (`max_job_slash` for job misbehaviour, `max_qos_slash` for quality of service). A
//!   job-misbehaviour report names a call of the service that is open or among its
//!   [`Config::MaxClosedCallsKept`] most recently closed.
//! - [`Pallet::report_missed_heartbeats`]: missed heartbeats are objective, so anyone may
//!   report them, once the operator has missed more than the blueprint's
//!   `missed_heartbeat_threshold` whole windows in a row. The fraction is the policy's
//!   `max_qos_slash`. The report covers the windows from the first unsettled one to the last
//!   whole one; they can't be reported again, and a new report needs more than the
//!   threshold of new missed windows.
//!
//! Either way the slash asks for a fraction of the offender's committed exposure to the
//! service, for an offence at a block: a job call's block for job misbehaviour, the first
//! reported window's start for missed heartbeats (or the oldest block still reportable, for
//! a longer run), the report's block for quality of service. Only stake present at that
//! block answers for it, and the slashing pallet refuses offences older than its
//! `max_offence_age`. The slashing pallet holds the reporter's deposit (the report fails if
//! it can't), and [`Event::OperatorReported`] carries the pending slash's identifier.
//!
//! ## After a service ends
//!
//! An operator could misbehave in a service's last blocks and leave as soon as it ends.
//! So [`Pallet::report`] still takes reports on a service for the slashing pallet's report
//! window after it ended, against the operators and exposures it had (kept in
//! [`EndedServices`]), naming its open calls at the end or its last closed ones. The
//! operators pallet keeps an operator's bond slashable for longer than the slash defer
//! window plus this window after it leaves. Missed heartbeats can only be reported while
//! the service runs.

use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use sp_runtime::Perbill;
use warden_primitives::{Evidence, ServiceId, SlashId, SlashProposal, SlashQueue, SlashReason};

use crate::*;

impl<T: Config> Pallet<T> {
	/// `reporter` reports `offender` in `service` for `kind`, asking for `fraction`.
	pub(crate) fn do_report(
		reporter: T::AccountId,
		service: ServiceId,
		offender: T::AccountId,
		kind: ReportKind,
		evidence: Evidence,
		fraction: Perbill,
	) -> Result<SlashId, DispatchError> {
		let target = Self::reportable(service)?;
		let policy = target.reporting.ok_or(Error::<T>::NoReportingPolicy)?;
		let exposure_of = |who: &T::AccountId| {
			target.operators.iter().find(|o| &o.operator == who).map(|o| o.exposure)
		};
		let named = (policy.reporters.service_owner && reporter == target.owner)
			|| (policy.reporters.blueprint_owner && reporter == target.blueprint_owner)
			|| (policy.reporters.service_operators && exposure_of(&reporter).is_some());
		ensure!(named, Error::<T>::NotPermittedReporter);
		let exposure = exposure_of(&offender).ok_or(Error::<T>::OffenderNotInService)?;
		ensure!(reporter != offender, Error::<T>::SelfReport);
		let now = frame_system::Pallet::<T>::block_number();
		let (max, reason, offence_at) = match kind {
			ReportKind::JobMisbehaviour { call_id } => {
				let called_at = JobCalls::<T>::get(service, call_id)
					.map(|call| call.called_at)
					.or_else(|| {
						ClosedCalls::<T>::get(service)
							.iter()
							.find(|(id, _)| *id == call_id)
							.map(|(_, at)| *at)
					})
					.ok_or(Error::<T>::CallNotFound)?;
				(policy.max_job_slash, SlashReason::JobMisbehaviour { call_id }, called_at)
			}
			ReportKind::QualityOfService { metric } => {
				(policy.max_qos_slash, SlashReason::QualityOfService { metric }, now)
			}
		};
		ensure!(!fraction.is_zero(), Error::<T>::ZeroFraction);
		ensure!(fraction <= max, Error::<T>::FractionTooHigh);
		ensure!(!exposure.is_zero(), Error::<T>::NothingExposed);

		Self::propose_slash(SlashProposal {
			offender,
			service,
			blueprint: target.blueprint,
			fraction,
			exposure,
			reporter,
			reason,
			evidence,
			offence_at,
		})
	}

	/// What a report on `service` needs, from the active service and its blueprint or,
	/// within its report window, from what was kept when it ended.
	fn reportable(service: ServiceId) -> Result<EndedService<T>, DispatchError> {
		if let Some(instance) = ServiceInstances::<T>::get(service) {
			let bp =
				Blueprints::<T>::get(instance.blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
			return Ok(EndedService {
				blueprint: instance.blueprint,
				owner: instance.owner,
				operators: instance.operators,
				blueprint_owner: bp.owner,
				reporting: bp.policy.reporting,
				// Not used for an active service.
				report_until: instance.end,
			});
		}
		let ended = EndedServices::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < ended.report_until, Error::<T>::ReportWindowOver);
		Ok(ended)
	}

	/// `reporter` reports `operator` of `service` for missed heartbeats.
	pub(crate) fn do_report_missed_heartbeats(
		reporter: T::AccountId,
		service: ServiceId,
		operator: T::AccountId,
	) -> Result<SlashId, DispatchError> {
		let instance = ServiceInstances::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		let bp = Blueprints::<T>::get(instance.blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
		let policy = bp.policy.reporting.ok_or(Error::<T>::NoReportingPolicy)?;
		let exposure = instance.exposure_of(&operator).ok_or(Error::<T>::OffenderNotInService)?;
		ensure!(reporter != operator, Error::<T>::SelfReport);
		let now = frame_system::Pallet::<T>::block_number();
		let current = Self::heartbeat_window(&instance, bp.policy.heartbeat_interval, now);
		let mut record = Heartbeats::<T>::get(service, &operator).unwrap_or_default();
		let threshold = bp.policy.missed_heartbeat_threshold;
		let (since_heartbeat, unsettled) = Self::missed_windows(&record, current);
		if unsettled <= threshold {
			return Err(if since_heartbeat > threshold {
				Error::<T>::MissedHeartbeatsAlreadyReported
			} else {
				Error::<T>::NotEnoughMissedHeartbeats
			}
			.into());
		}
		ensure!(!policy.max_qos_slash.is_zero(), Error::<T>::ZeroFraction);
		ensure!(!exposure.is_zero(), Error::<T>::NothingExposed);
		let from_interval = record.first_unsettled_window();
		// The offence began with the first reported window; for a run of missed windows
		// longer than the offence age cap, it counts from as far back as can be reported.
		let offence_at = instance
			.start
			.saturating_add(bp.policy.heartbeat_interval.saturating_mul(from_interval.into()))
			.max(now.saturating_sub(T::SlashQueue::max_offence_age()))
			.min(now);

		let slash_id = Self::propose_slash(SlashProposal {
			offender: operator.clone(),
			service,
			blueprint: instance.blueprint,
			fraction: policy.max_qos_slash,
			exposure,
			reporter,
			reason: SlashReason::MissedHeartbeats { from_interval, missed: unsettled },
			evidence: Default::default(),
			offence_at,
		})?;
		// `unsettled > threshold ≥ 0`, so the current window is at least 1.
		record.last_reported_window = Some(current.saturating_sub(1));
		Heartbeats::<T>::insert(service, &operator, record);
		Ok(slash_id)
	}

	/// Hands `proposal` to the slashing pallet and tells the world.
	fn propose_slash(
		proposal: SlashProposal<T::AccountId, BlockNumberFor<T>>,
	) -> Result<SlashId, DispatchError> {
		let (service, offender, reporter, reason, fraction) = (
			proposal.service,
			proposal.offender.clone(),
			proposal.reporter.clone(),
			proposal.reason.clone(),
			proposal.fraction,
		);
		let slash_id = T::SlashQueue::propose(proposal)?;
		Self::deposit_event(Event::OperatorReported {
			service,
			offender,
			reporter,
			reason,
			fraction,
			slash_id,
		});
		Ok(slash_id)
	}
}
