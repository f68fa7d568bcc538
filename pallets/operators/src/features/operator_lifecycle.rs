//! Operator lifecycle: join, offline/online, and the exit flow.

use alloc::vec::Vec;
use frame_support::{ensure, BoundedVec};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};
use warden_primitives::{OperatorState, ServiceInspect, SlashInspect, StakeObserver};

use crate::{
	features::unbonding, Config, Delegations, Error, Event, HoldReason, Operator, OperatorCount,
	Operators, Pallet, Params,
};

impl<T: Config> Pallet<T> {
	/// Reads the operator `who`, or fails with [`Error::NotOperator`].
	pub(crate) fn operator(who: &T::AccountId) -> Result<Operator<T>, Error<T>> {
		Operators::<T>::get(who).ok_or(Error::<T>::NotOperator)
	}

	/// Holds `bond` and makes `who` an Active operator.
	pub(crate) fn do_join_operators(
		who: &T::AccountId,
		bond: crate::BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!Operators::<T>::contains_key(who), Error::<T>::AlreadyOperator);
		ensure!(bond >= Params::<T>::get().min_operator_bond, Error::<T>::BondTooLow);
		Self::hold(HoldReason::OperatorBond, who, bond)?;
		let operator =
			Operator { state: OperatorState::Active, bond, unbonding: BoundedVec::new() };
		Self::put_operator(who, Zero::zero(), operator);
		OperatorCount::<T>::mutate(|count| *count = count.saturating_add(1));
		Self::deposit_event(Event::OperatorJoined { operator: who.clone(), bond });
		Ok(())
	}

	/// Active → Inactive.
	pub(crate) fn do_go_offline(who: &T::AccountId) -> DispatchResult {
		let mut operator = Self::operator(who)?;
		match operator.state {
			OperatorState::Active => {}
			OperatorState::Inactive => return Err(Error::<T>::AlreadyOffline.into()),
			OperatorState::Leaving { .. } => return Err(Error::<T>::OperatorLeaving.into()),
		}
		operator.state = OperatorState::Inactive;
		Operators::<T>::insert(who, operator);
		Self::deposit_event(Event::OperatorWentOffline { operator: who.clone() });
		Ok(())
	}

	/// Inactive → Active.
	pub(crate) fn do_go_online(who: &T::AccountId) -> DispatchResult {
		let mut operator = Self::operator(who)?;
		match operator.state {
			OperatorState::Inactive => {}
			OperatorState::Active => return Err(Error::<T>::AlreadyOnline.into()),
			OperatorState::Leaving { .. } => return Err(Error::<T>::OperatorLeaving.into()),
		}
		operator.state = OperatorState::Active;
		Operators::<T>::insert(who, operator);
		Self::deposit_event(Event::OperatorWentOnline { operator: who.clone() });
		Ok(())
	}

	/// Active or Inactive → `Leaving { at: now + leave_delay }`.
	pub(crate) fn do_schedule_leave(who: &T::AccountId) -> DispatchResult {
		let mut operator = Self::operator(who)?;
		ensure!(
			!matches!(operator.state, OperatorState::Leaving { .. }),
			Error::<T>::AlreadyLeaving
		);
		let at = frame_system::Pallet::<T>::block_number()
			.saturating_add(Params::<T>::get().leave_delay);
		operator.state = OperatorState::Leaving { at };
		Operators::<T>::insert(who, operator);
		Self::deposit_event(Event::LeaveScheduled { operator: who.clone(), at });
		Ok(())
	}

	/// Leaving → Active.
	pub(crate) fn do_cancel_leave(who: &T::AccountId) -> DispatchResult {
		let mut operator = Self::operator(who)?;
		ensure!(matches!(operator.state, OperatorState::Leaving { .. }), Error::<T>::NotLeaving);
		operator.state = OperatorState::Active;
		Operators::<T>::insert(who, operator);
		Self::deposit_event(Event::LeaveCancelled { operator: who.clone() });
		Ok(())
	}

	/// Leaving, due, and free of services, registrations and pending slashes → removed.
	/// Releases the whole bond (active and unbonding) and moves every delegation on the
	/// operator into unbonding for the normal unbonding delay.
	pub(crate) fn do_execute_leave(who: &T::AccountId) -> DispatchResult {
		let operator = Self::operator(who)?;
		let OperatorState::Leaving { at } = operator.state else {
			return Err(Error::<T>::NotLeaving.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= at, Error::<T>::LeaveNotDue);
		ensure!(T::Services::active_services(who) == 0, Error::<T>::HasActiveServices);
		ensure!(T::Services::registrations(who) == 0, Error::<T>::HasRegistrations);
		ensure!(!T::Slashing::has_pending_slash(who), Error::<T>::PendingSlash);

		let released = operator.total();
		if !operator.bond.is_zero() {
			T::StakeObserver::before_stake_change(who, who, operator.bond, Zero::zero());
		}
		Operators::<T>::remove(who);
		OperatorCount::<T>::mutate(|count| *count = count.saturating_sub(1));
		Self::release(HoldReason::OperatorBond, who, released)?;
		Self::deposit_event(Event::OperatorLeft { operator: who.clone(), released });

		// Bounded by `MaxDelegatorsPerOperator`.
		let unlock_at = now.saturating_add(Params::<T>::get().unbonding_delay);
		let delegators: Vec<T::AccountId> = Delegations::<T>::iter_key_prefix(who).collect();
		for delegator in delegators {
			let amount = Self::mutate_delegation(who, &delegator, |delegation| {
				let amount = core::mem::take(&mut delegation.amount);
				if !amount.is_zero() {
					unbonding::schedule_forced::<T>(&mut delegation.unbonding, amount, unlock_at);
				}
				Ok(amount)
			})?;
			if !amount.is_zero() {
				Self::deposit_event(Event::UndelegationScheduled {
					delegator,
					operator: who.clone(),
					amount,
					unlock_at,
				});
			}
		}
		Ok(())
	}
}
