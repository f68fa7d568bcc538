//! Registration: operators offering to run a blueprint's services, each with its own limit
//! on concurrent instances.

use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use sp_runtime::Percent;
use warden_primitives::{BlueprintId, OperatorRegistry, OperatorState};

use crate::{features::blueprints::BlueprintUse, *};

impl<T: Config> Pallet<T> {
	/// Registers `operator` for `blueprint` with `preferences`.
	pub(crate) fn do_register(
		operator: T::AccountId,
		blueprint: BlueprintId,
		preferences: OperatorPreferences<T>,
	) -> DispatchResult {
		let bp = Self::active_blueprint(blueprint)?;
		ensure!(
			!Registrations::<T>::contains_key(&operator, blueprint),
			Error::<T>::AlreadyRegistered
		);
		ensure!(preferences.max_instances >= 1, Error::<T>::ZeroMaxInstances);
		ensure!(
			preferences.max_instances <= T::MaxInstancesPerRegistration::get(),
			Error::<T>::TooManyInstances
		);
		let count = RegistrationCount::<T>::get(&operator);
		ensure!(count < T::MaxBlueprintsPerOperator::get(), Error::<T>::TooManyRegistrations);
		Self::ensure_eligible(&operator, blueprint, bp.policy.min_operator_stake)?;

		let (max_instances, price_per_block) =
			(preferences.max_instances, preferences.price_per_block);
		Registrations::<T>::insert(
			&operator,
			blueprint,
			Registration::new(preferences, frame_system::Pallet::<T>::block_number()),
		);
		RegistrationCount::<T>::insert(&operator, count.saturating_add(1));
		Self::blueprint_used(blueprint, BlueprintUse::Registration);
		Self::deposit_event(Event::Registered {
			operator,
			blueprint,
			max_instances,
			price_per_block,
		});
		Ok(())
	}

	/// Changes `operator`'s instance limit, rpc address and/or price for `blueprint`. Works
	/// on a deactivated blueprint too, so operators can wind down.
	pub(crate) fn do_update_registration(
		operator: T::AccountId,
		blueprint: BlueprintId,
		max_instances: Option<u32>,
		rpc_address: Option<BoundedVec<u8, T::MaxRpcAddressLen>>,
		price_per_block: Option<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(
			max_instances.is_some() || rpc_address.is_some() || price_per_block.is_some(),
			Error::<T>::NothingToUpdate
		);
		ensure!(max_instances != Some(0), Error::<T>::ZeroMaxInstances);
		ensure!(
			max_instances.is_none_or(|max| max <= T::MaxInstancesPerRegistration::get()),
			Error::<T>::TooManyInstances
		);
		let preferences = Registrations::<T>::try_mutate(
			&operator,
			blueprint,
			|maybe| -> Result<OperatorPreferences<T>, DispatchError> {
				let reg = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
				if let Some(max) = max_instances {
					reg.preferences.max_instances = max;
				}
				if let Some(address) = rpc_address {
					reg.preferences.rpc_address = address;
				}
				if let Some(price) = price_per_block {
					reg.preferences.price_per_block = price;
				}
				Ok(reg.preferences.clone())
			},
		)?;
		Self::deposit_event(Event::RegistrationUpdated {
			operator,
			blueprint,
			max_instances: preferences.max_instances,
			price_per_block: preferences.price_per_block,
		});
		Ok(())
	}

	/// Removes `operator`'s registration for `blueprint`, if it neither runs services nor has
	/// approved pending requests there.
	pub(crate) fn do_unregister(operator: T::AccountId, blueprint: BlueprintId) -> DispatchResult {
		let reg = Registrations::<T>::get(&operator, blueprint).ok_or(Error::<T>::NotRegistered)?;
		ensure!(reg.used_slots() == 0, Error::<T>::RegistrationInUse);

		Registrations::<T>::remove(&operator, blueprint);
		RegistrationCount::<T>::mutate_exists(&operator, |count| {
			let left = count.unwrap_or(0).saturating_sub(1);
			*count = if left == 0 { None } else { Some(left) };
		});
		if !RegistrationCount::<T>::contains_key(&operator) {
			// Without a registration the operator runs no service, so sends no heartbeat.
			FreeHeartbeats::<T>::remove(&operator);
		}
		Self::blueprint_released(blueprint, BlueprintUse::Registration);
		Self::deposit_event(Event::Unregistered { operator, blueprint });
		Ok(())
	}

	/// Checks that `operator` is an Active operator whose stake backing `blueprint` (its own
	/// and the delegations that back the blueprint) is at least `min_stake`, with a specific
	/// error for each way it is not.
	pub(crate) fn ensure_eligible(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		min_stake: BalanceOf<T>,
	) -> DispatchResult {
		match T::Operators::state(operator) {
			None => return Err(Error::<T>::NotOperator.into()),
			Some(OperatorState::Inactive) => return Err(Error::<T>::OperatorInactive.into()),
			Some(OperatorState::Leaving { .. }) => return Err(Error::<T>::OperatorLeaving.into()),
			Some(OperatorState::Active) => {}
		}
		ensure!(
			T::Operators::blueprint_stake(operator, blueprint) >= min_stake,
			Error::<T>::StakeTooLow
		);
		Ok(())
	}

	// --- Instance slots and committed exposure: an approval takes a slot and commits its
	// exposure, activation turns them into a running instance, termination gives both back.
	// Unregistering is refused while any slot is used.

	/// Checks that `operator` can commit `exposure` more: its committed exposure stays at
	/// most 100% of its stake.
	pub(crate) fn ensure_can_commit(operator: &T::AccountId, exposure: Percent) -> DispatchResult {
		let committed =
			CommittedExposure::<T>::get(operator).saturating_add(u32::from(exposure.deconstruct()));
		ensure!(committed <= 100, Error::<T>::ExposureOverCommitted);
		Ok(())
	}

	/// An approval takes one of the registration's instance slots and commits `exposure` of
	/// the operator's stake. The caller checked there is a slot free and the exposure fits.
	pub(crate) fn take_approval_slot(
		operator: &T::AccountId,
		reg: &mut Registration<T>,
		exposure: Percent,
	) {
		reg.pending_approvals = reg.pending_approvals.saturating_add(1);
		Self::commit_exposure(operator, exposure);
	}

	/// Gives back the instance slot and the exposure an approval of `operator` held in
	/// `blueprint`.
	pub(crate) fn release_approval_slot(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		exposure: Percent,
	) {
		Registrations::<T>::mutate(operator, blueprint, |maybe| {
			if let Some(reg) = maybe {
				reg.pending_approvals = reg.pending_approvals.saturating_sub(1);
			}
		});
		Self::uncommit_exposure(operator, exposure);
	}

	/// The approval of `operator` in `blueprint` became a running instance: its exposure
	/// now backs the blueprint's availability.
	pub(crate) fn approval_slot_to_instance(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		exposure: Percent,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		Registrations::<T>::mutate(operator, blueprint, |maybe| {
			if let Some(reg) = maybe {
				reg.accrue(now);
				reg.pending_approvals = reg.pending_approvals.saturating_sub(1);
				reg.active_instances = reg.active_instances.saturating_add(1);
				reg.committed_exposure =
					reg.committed_exposure.saturating_add(u32::from(exposure.deconstruct()));
			}
		});
	}

	/// An instance of `blueprint` run by `operator` with `exposure` ended: its slot and its
	/// exposure are free again.
	pub(crate) fn release_instance_slot(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		exposure: Percent,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		Registrations::<T>::mutate(operator, blueprint, |maybe| {
			if let Some(reg) = maybe {
				reg.accrue(now);
				reg.active_instances = reg.active_instances.saturating_sub(1);
				reg.committed_exposure =
					reg.committed_exposure.saturating_sub(u32::from(exposure.deconstruct()));
			}
		});
		Self::uncommit_exposure(operator, exposure);
	}

	fn commit_exposure(operator: &T::AccountId, exposure: Percent) {
		CommittedExposure::<T>::mutate(operator, |committed| {
			*committed = committed.saturating_add(u32::from(exposure.deconstruct()))
		});
	}

	fn uncommit_exposure(operator: &T::AccountId, exposure: Percent) {
		CommittedExposure::<T>::mutate_exists(operator, |committed| {
			let left = committed.unwrap_or(0).saturating_sub(u32::from(exposure.deconstruct()));
			*committed = (left > 0).then_some(left);
		});
	}
}

impl<T: Config> warden_primitives::ServiceInspect<T::AccountId> for Pallet<T> {
	fn active_services(operator: &T::AccountId) -> u32 {
		// At most `MaxBlueprintsPerOperator` registrations; every instance and approval of an
		// operator belongs to one of them, since unregistering is refused while any remain.
		Registrations::<T>::iter_prefix_values(operator)
			.fold(0u32, |acc, r| acc.saturating_add(r.used_slots()))
	}

	fn registrations(operator: &T::AccountId) -> u32 {
		RegistrationCount::<T>::get(operator)
	}
}
