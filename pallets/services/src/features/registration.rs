//! Registration: operators offering to run a blueprint's services, each with its own limit
//! on concurrent instances.

use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use warden_primitives::{BlueprintId, OperatorRegistry, OperatorState};

use crate::*;

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
		let count = RegistrationCount::<T>::get(&operator);
		ensure!(count < T::MaxBlueprintsPerOperator::get(), Error::<T>::TooManyRegistrations);
		Self::ensure_eligible(&operator, bp.policy.min_operator_stake)?;

		let max_instances = preferences.max_instances;
		Registrations::<T>::insert(
			&operator,
			blueprint,
			Registration {
				preferences,
				active_instances: 0,
				pending_approvals: 0,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		RegistrationCount::<T>::insert(&operator, count.saturating_add(1));
		Self::deposit_event(Event::Registered { operator, blueprint, max_instances });
		Ok(())
	}

	/// Changes `operator`'s instance limit and/or rpc address for `blueprint`. Works on a
	/// deactivated blueprint too, so operators can wind down.
	pub(crate) fn do_update_registration(
		operator: T::AccountId,
		blueprint: BlueprintId,
		max_instances: Option<u32>,
		rpc_address: Option<BoundedVec<u8, T::MaxRpcAddressLen>>,
	) -> DispatchResult {
		ensure!(max_instances.is_some() || rpc_address.is_some(), Error::<T>::NothingToUpdate);
		ensure!(max_instances != Some(0), Error::<T>::ZeroMaxInstances);
		let max_instances = Registrations::<T>::try_mutate(
			&operator,
			blueprint,
			|maybe| -> Result<u32, DispatchError> {
				let reg = maybe.as_mut().ok_or(Error::<T>::NotRegistered)?;
				if let Some(max) = max_instances {
					reg.preferences.max_instances = max;
				}
				if let Some(address) = rpc_address {
					reg.preferences.rpc_address = address;
				}
				Ok(reg.preferences.max_instances)
			},
		)?;
		Self::deposit_event(Event::RegistrationUpdated { operator, blueprint, max_instances });
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
		Self::deposit_event(Event::Unregistered { operator, blueprint });
		Ok(())
	}

	/// Checks that `operator` is an Active operator with a total stake of at least
	/// `min_stake`, with a specific error for each way it is not.
	pub(crate) fn ensure_eligible(
		operator: &T::AccountId,
		min_stake: BalanceOf<T>,
	) -> DispatchResult {
		match T::Operators::state(operator) {
			None => return Err(Error::<T>::NotOperator.into()),
			Some(OperatorState::Inactive) => return Err(Error::<T>::OperatorInactive.into()),
			Some(OperatorState::Leaving { .. }) => return Err(Error::<T>::OperatorLeaving.into()),
			Some(OperatorState::Active) => {}
		}
		ensure!(T::Operators::total_stake(operator) >= min_stake, Error::<T>::StakeTooLow);
		Ok(())
	}

	// --- Instance slots: an approval takes one, activation turns it into an instance,
	// termination gives it back. Unregistering is refused while any is used.

	/// An approval takes one of the registration's instance slots. The caller checked there
	/// is one free.
	pub(crate) fn take_approval_slot(reg: &mut Registration<T>) {
		reg.pending_approvals = reg.pending_approvals.saturating_add(1);
	}

	/// Gives back the instance slot an approval of `operator` held in `blueprint`.
	pub(crate) fn release_approval_slot(operator: &T::AccountId, blueprint: BlueprintId) {
		Registrations::<T>::mutate(operator, blueprint, |maybe| {
			if let Some(reg) = maybe {
				reg.pending_approvals = reg.pending_approvals.saturating_sub(1);
			}
		});
	}

	/// The approval of `operator` in `blueprint` became a running instance.
	pub(crate) fn approval_slot_to_instance(operator: &T::AccountId, blueprint: BlueprintId) {
		Registrations::<T>::mutate(operator, blueprint, |maybe| {
			if let Some(reg) = maybe {
				reg.pending_approvals = reg.pending_approvals.saturating_sub(1);
				reg.active_instances = reg.active_instances.saturating_add(1);
			}
		});
	}

	/// An instance of `blueprint` run by `operator` ended: its slot is free again.
	pub(crate) fn release_instance_slot(operator: &T::AccountId, blueprint: BlueprintId) {
		Registrations::<T>::mutate(operator, blueprint, |maybe| {
			if let Some(reg) = maybe {
				reg.active_instances = reg.active_instances.saturating_sub(1);
			}
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
