//! Blueprints: what a service is, its jobs, and the rules for its operators.

use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{traits::Zero, ArithmeticError};
use warden_primitives::BlueprintId;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Creates a blueprint owned by `owner` and returns its identifier.
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

		Blueprints::<T>::insert(
			blueprint,
			Blueprint { owner: owner.clone(), metadata, jobs, policy, active: true },
		);
		NextBlueprintId::<T>::put(next);
		Self::deposit_event(Event::BlueprintCreated { blueprint, owner });
		Ok(blueprint)
	}

	/// Replaces the metadata of `blueprint`, owned by `who`.
	pub(crate) fn do_update_blueprint_metadata(
		who: T::AccountId,
		blueprint: BlueprintId,
		metadata: BlueprintMetadata<T>,
	) -> DispatchResult {
		Blueprints::<T>::try_mutate(blueprint, |maybe| -> DispatchResult {
			let bp = maybe.as_mut().ok_or(Error::<T>::BlueprintNotFound)?;
			ensure!(bp.owner == who, Error::<T>::NotBlueprintOwner);
			bp.metadata = metadata;
			Ok(())
		})?;
		Self::deposit_event(Event::BlueprintMetadataUpdated { blueprint });
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

	/// Checks a policy: a non-zero heartbeat interval, and someone who may report if there
	/// is a reporting policy.
	pub(crate) fn ensure_valid_policy(policy: &PolicyOf<T>) -> DispatchResult {
		ensure!(!policy.heartbeat_interval.is_zero(), Error::<T>::ZeroHeartbeatInterval);
		if let Some(reporting) = &policy.reporting {
			ensure!(!reporting.reporters.is_empty(), Error::<T>::NoReporters);
		}
		Ok(())
	}
}
