//! Delegation: delegate, and undelegate through unbonding chunks.

use frame_support::ensure;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchResult,
};
use warden_primitives::{BlueprintSelection, OperatorState, SlashInspect};

use crate::{
	features::unbonding, BalanceOf, BlueprintSelectionOf, Config, Delegations, Error, Event,
	HoldReason, Pallet, Params,
};

impl<T: Config> Pallet<T> {
	/// Holds `amount` from `delegator` and adds it to its delegation on the Active
	/// `operator`, remembering the increase. `amount` must meet the chain's minimum
	/// delegation, and the delegation it makes the operator's own minimum. A new delegation
	/// backs the blueprints `selection` names (all if `None`); adding to an existing one
	/// keeps its selection, and a `selection` given must be it.
	pub(crate) fn do_delegate(
		delegator: &T::AccountId,
		operator: &T::AccountId,
		amount: BalanceOf<T>,
		selection: Option<BlueprintSelectionOf<T>>,
	) -> DispatchResult {
		ensure!(delegator != operator, Error::<T>::SelfDelegation);
		if let Some(selection) = &selection {
			ensure!(selection.is_well_formed(), Error::<T>::InvalidBlueprintSelection);
		}
		ensure!(Self::operator(operator)?.state.is_active(), Error::<T>::OperatorNotActive);
		ensure!(amount >= Params::<T>::get().min_delegation, Error::<T>::DelegationBelowMinimum);
		let min_delegation = Self::min_delegation_of(operator);
		let now = frame_system::Pallet::<T>::block_number();
		let max_age = T::Slashing::max_offence_age();
		// A failure after the hold reverts it with the rest of the dispatch.
		Self::hold(HoldReason::Delegation, delegator, amount)?;
		let scoped = Self::mutate_delegation(operator, delegator, |delegation| {
			let is_new = delegation.is_empty();
			match selection {
				Some(selection) if is_new => delegation.blueprints = selection,
				Some(selection) => ensure!(
					selection == delegation.blueprints,
					Error::<T>::BlueprintSelectionMismatch
				),
				None => {}
			}
			delegation.amount =
				delegation.amount.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
			ensure!(delegation.amount >= min_delegation, Error::<T>::DelegationBelowMinimum);
			delegation.record_increase(now, amount, max_age)?;
			Ok(match &delegation.blueprints {
				BlueprintSelection::Only(list) if is_new => Some(list.clone()),
				_ => None,
			})
		})?;
		if let Some(blueprints) = scoped {
			Self::deposit_event(Event::DelegationScoped {
				delegator: delegator.clone(),
				operator: operator.clone(),
				blueprints,
			});
		}
		Self::deposit_event(Event::Delegated {
			delegator: delegator.clone(),
			operator: operator.clone(),
			amount,
		});
		Ok(())
	}

	/// Moves `amount` of the active delegation into a chunk unlocking after the unbonding
	/// delay.
	pub(crate) fn do_schedule_undelegate(
		delegator: &T::AccountId,
		operator: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(Delegations::<T>::contains_key(operator, delegator), Error::<T>::NotDelegated);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let unlock_at = frame_system::Pallet::<T>::block_number()
			.saturating_add(Params::<T>::get().unbonding_delay);
		let min_delegation = Self::min_delegation_of(operator);
		Self::mutate_delegation(operator, delegator, |delegation| {
			ensure!(amount <= delegation.amount, Error::<T>::NotEnoughDelegation);
			let remaining = delegation.amount.saturating_sub(amount);
			ensure!(
				remaining.is_zero() || remaining >= min_delegation,
				Error::<T>::DelegationBelowMinimum
			);
			unbonding::schedule::<T>(&mut delegation.unbonding, amount, unlock_at)?;
			delegation.amount = remaining;
			Ok(())
		})?;
		Self::deposit_event(Event::UndelegationScheduled {
			delegator: delegator.clone(),
			operator: operator.clone(),
			amount,
			unlock_at,
		});
		Ok(())
	}

	/// `operator` evicts the delegation of `delegator`, whose active amount is below the
	/// operator's minimum: all of it moves into a chunk unlocking after the unbonding
	/// delay, as if the delegator had undelegated it. Nothing is slashed or lost; it stays
	/// slashable for offences before the eviction until released, like any undelegation.
	pub(crate) fn do_evict_delegation(
		operator: &T::AccountId,
		delegator: &T::AccountId,
	) -> DispatchResult {
		Self::operator(operator)?;
		let delegation =
			Delegations::<T>::get(operator, delegator).ok_or(Error::<T>::NotDelegated)?;
		let amount = delegation.amount;
		ensure!(!amount.is_zero(), Error::<T>::NothingToEvict);
		ensure!(amount < Self::min_delegation_of(operator), Error::<T>::DelegationNotBelowMinimum);
		let unlock_at = frame_system::Pallet::<T>::block_number()
			.saturating_add(Params::<T>::get().unbonding_delay);
		Self::mutate_delegation(operator, delegator, |delegation| {
			unbonding::schedule::<T>(&mut delegation.unbonding, amount, unlock_at)?;
			delegation.amount = Zero::zero();
			Ok(())
		})?;
		Self::deposit_event(Event::DelegationEvicted {
			operator: operator.clone(),
			delegator: delegator.clone(),
			amount,
			unlock_at,
		});
		Ok(())
	}

	/// Releases the due undelegation chunks, except what pending slashes against `operator`
	/// may still take from the delegation. A delegation with nothing left is removed.
	pub(crate) fn do_execute_undelegate(
		delegator: &T::AccountId,
		operator: &T::AccountId,
	) -> DispatchResult {
		let delegation =
			Delegations::<T>::get(operator, delegator).ok_or(Error::<T>::NotDelegated)?;
		ensure!(!delegation.unbonding.is_empty(), Error::<T>::NoUnbonding);
		let now = frame_system::Pallet::<T>::block_number();
		let held_back = T::Slashing::held_back(operator, delegator);
		let amount = Self::mutate_delegation(operator, delegator, |delegation| {
			let total = delegation.total();
			unbonding::release_due::<T>(&mut delegation.unbonding, now, total, held_back)
		})?;
		Self::release(HoldReason::Delegation, delegator, amount)?;
		Self::deposit_event(Event::UndelegationReleased {
			delegator: delegator.clone(),
			operator: operator.clone(),
			amount,
		});
		Ok(())
	}

	/// Moves `amount` of the undelegation chunks, newest first, back to the active
	/// delegation. The operator must exist and not be Leaving, and the active delegation
	/// must end at or above the minimum.
	pub(crate) fn do_cancel_undelegate(
		delegator: &T::AccountId,
		operator: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(Delegations::<T>::contains_key(operator, delegator), Error::<T>::NotDelegated);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			!matches!(Self::operator(operator)?.state, OperatorState::Leaving { .. }),
			Error::<T>::OperatorLeaving
		);
		let min_delegation = Self::min_delegation_of(operator);
		Self::mutate_delegation(operator, delegator, |delegation| {
			unbonding::cancel::<T>(&mut delegation.unbonding, amount)?;
			delegation.amount =
				delegation.amount.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
			ensure!(delegation.amount >= min_delegation, Error::<T>::DelegationBelowMinimum);
			Ok(())
		})?;
		Self::deposit_event(Event::UndelegationCancelled {
			delegator: delegator.clone(),
			operator: operator.clone(),
			amount,
		});
		Ok(())
	}
}
