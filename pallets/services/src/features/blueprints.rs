//! Blueprints: what a service is, its jobs, and the rules for its operators.
//!
//! A blueprint lives in storage until its owner removes it, so the owner holds a storage
//! deposit for it: [`Config::BlueprintDepositBase`] plus [`Config::BlueprintDepositPerByte`]
//! for each byte of its encoding, adjusted when its metadata changes and released when it
//! is removed. It can be removed once nothing uses it: no registration (and so no
//! service, whose operators must stay registered) and no pending request.

use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	ArithmeticError,
};
use warden_primitives::BlueprintId;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Creates a blueprint owned by `owner`, holding its deposit, and returns its
	/// identifier.
	pub(crate) fn do_create_blueprint(
		owner: T::AccountId,
		metadata: BlueprintMetadata<T>,
		jobs: JobsOf<T>,
		policy: PolicyOf<T>,
	) -> Result<BlueprintId, DispatchError> {
		Self::ensure_valid_jobs(&jobs)?;
		Self::ensure_valid_policy(&policy)?;
		let blueprint = NextBlueprintId::<T>::get();
		let next = blueprint.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		let mut bp = Blueprint {
			owner: owner.clone(),
			metadata,
			jobs,
			policy,
			active: true,
			deposit: Zero::zero(),
			registrations: 0,
			pending_requests: 0,
		};
		let deposit = Self::blueprint_deposit(&bp);
		T::Currency::hold(&HoldReason::BlueprintDeposit.into(), &owner, deposit)
			.map_err(|_| Error::<T>::CannotHoldDeposit)?;
		bp.deposit = deposit;

		Blueprints::<T>::insert(blueprint, bp);
		NextBlueprintId::<T>::put(next);
		Self::deposit_event(Event::BlueprintCreated { blueprint, owner, deposit });
		Ok(blueprint)
	}

	/// Replaces the metadata of `blueprint`, owned by `who`, adjusting its deposit to the
	/// new size.
	pub(crate) fn do_update_blueprint_metadata(
		who: T::AccountId,
		blueprint: BlueprintId,
		metadata: BlueprintMetadata<T>,
	) -> DispatchResult {
		let mut bp = Blueprints::<T>::get(blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
		ensure!(bp.owner == who, Error::<T>::NotBlueprintOwner);
		bp.metadata = metadata;
		let deposit = Self::blueprint_deposit(&bp);
		let reason = HoldReason::BlueprintDeposit.into();
		if deposit > bp.deposit {
			T::Currency::hold(&reason, &who, deposit.saturating_sub(bp.deposit))
				.map_err(|_| Error::<T>::CannotHoldDeposit)?;
		} else if deposit < bp.deposit {
			T::Currency::release(
				&reason,
				&who,
				bp.deposit.saturating_sub(deposit),
				Precision::Exact,
			)?;
		}
		bp.deposit = deposit;
		Blueprints::<T>::insert(blueprint, bp);
		Self::deposit_event(Event::BlueprintMetadataUpdated { blueprint, deposit });
		Ok(())
	}

	/// Deactivates `blueprint`, owned by `who`. Its running services and pending requests
	/// stay; pending requests can no longer be approved.
	pub(crate) fn do_deactivate_blueprint(
		who: T::AccountId,
		blueprint: BlueprintId,
	) -> DispatchResult {
		Blueprints::<T>::try_mutate(blueprint, |maybe| -> DispatchResult {
			let bp = maybe.as_mut().ok_or(Error::<T>::BlueprintNotFound)?;
			ensure!(bp.owner == who, Error::<T>::NotBlueprintOwner);
			ensure!(bp.active, Error::<T>::BlueprintInactive);
			bp.active = false;
			Ok(())
		})?;
		Self::deposit_event(Event::BlueprintDeactivated { blueprint });
		Ok(())
	}

	/// Removes `blueprint`, owned by `who`, once nothing uses it, and releases its deposit.
	pub(crate) fn do_remove_blueprint(who: T::AccountId, blueprint: BlueprintId) -> DispatchResult {
		let bp = Blueprints::<T>::get(blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
		ensure!(bp.owner == who, Error::<T>::NotBlueprintOwner);
		ensure!(!bp.in_use(), Error::<T>::BlueprintInUse);
		T::Currency::release(
			&HoldReason::BlueprintDeposit.into(),
			&who,
			bp.deposit,
			Precision::BestEffort,
		)?;
		Blueprints::<T>::remove(blueprint);
		Self::deposit_event(Event::BlueprintRemoved { blueprint, deposit: bp.deposit });
		Ok(())
	}

	/// The deposit `bp` needs: the base plus the price per byte of its encoding.
	pub fn blueprint_deposit(bp: &Blueprint<T>) -> BalanceOf<T> {
		let bytes: BalanceOf<T> = (bp.encoded_size() as u32).into();
		T::BlueprintDepositBase::get()
			.saturating_add(T::BlueprintDepositPerByte::get().saturating_mul(bytes))
	}

	/// The blueprint `blueprint`, if it exists and is active.
	pub(crate) fn active_blueprint(blueprint: BlueprintId) -> Result<Blueprint<T>, DispatchError> {
		let bp = Blueprints::<T>::get(blueprint).ok_or(Error::<T>::BlueprintNotFound)?;
		ensure!(bp.active, Error::<T>::BlueprintInactive);
		Ok(bp)
	}

	/// Checks each job: a non-zero result deadline and an argument bound within
	/// [`Config::MaxJobArgsLen`].
	pub(crate) fn ensure_valid_jobs(jobs: &JobsOf<T>) -> DispatchResult {
		for job in jobs.iter() {
			ensure!(!job.result_deadline.is_zero(), Error::<T>::ZeroResultDeadline);
			ensure!(job.max_args_len <= T::MaxJobArgsLen::get(), Error::<T>::JobArgsTooLarge);
		}
		Ok(())
	}

	/// Checks a policy: a heartbeat interval of at least the minimum in force, and someone
	/// who may report if there is a reporting policy.
	pub(crate) fn ensure_valid_policy(policy: &PolicyOf<T>) -> DispatchResult {
		ensure!(!policy.heartbeat_interval.is_zero(), Error::<T>::ZeroHeartbeatInterval);
		ensure!(
			policy.heartbeat_interval >= Params::<T>::get().min_heartbeat_interval,
			Error::<T>::HeartbeatIntervalTooShort
		);
		if let Some(reporting) = &policy.reporting {
			ensure!(!reporting.reporters.is_empty(), Error::<T>::NoReporters);
		}
		Ok(())
	}

	/// One more registration or pending request uses `blueprint`.
	pub(crate) fn blueprint_used(blueprint: BlueprintId, by: BlueprintUse) {
		Blueprints::<T>::mutate(blueprint, |maybe| {
			if let Some(bp) = maybe {
				match by {
					BlueprintUse::Registration => bp.registrations.saturating_inc(),
					BlueprintUse::Request => bp.pending_requests.saturating_inc(),
				}
			}
		});
	}

	/// One registration or pending request less uses `blueprint`.
	pub(crate) fn blueprint_released(blueprint: BlueprintId, by: BlueprintUse) {
		Blueprints::<T>::mutate(blueprint, |maybe| {
			if let Some(bp) = maybe {
				match by {
					BlueprintUse::Registration => bp.registrations.saturating_dec(),
					BlueprintUse::Request => bp.pending_requests.saturating_dec(),
				}
			}
		});
	}
}

/// What uses a blueprint and keeps it from being removed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BlueprintUse {
	/// An operator's registration.
	Registration,
	/// A pending request.
	Request,
}
