//! Operator lifecycle: join, offline/online, and the exit flow.

use alloc::vec::Vec;
use frame_support::{ensure, BoundedVec};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};
use warden_primitives::{
	OperatorState, ServiceInspect, SlashInspect, StakeObserver, UnbondingChunk,
};

use crate::{
	features::unbonding, Config, Delegations, Error, Event, ExitBonds, HoldReason, Operator,
	OperatorCount, Operators, Pallet, Params,
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
		ensure!(!ExitBonds::<T>::contains_key(who), Error::<T>::ExitBondUnreleased);
		ensure!(bond >= Params::<T>::get().min_operator_bond, Error::<T>::BondTooLow);
		Self::hold(HoldReason::OperatorBond, who, bond)?;
		let operator = Operator {
			state: OperatorState::Active,
			bond,
			unbonding: BoundedVec::new(),
			min_delegation: Zero::zero(),
		};
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

	/// Leaving, due, and free of services and registrations → removed. Its whole bond
	/// (active and unbonding) becomes its exit bond, unlocking after the unbonding delay (or
	/// later, if a bond-less chunk unlocked later), and every delegation on the operator
	/// moves into unbonding for the unbonding delay. Pending slashes don't stop it: they
	/// still reach the exit bond and the delegations.
	pub(crate) fn do_execute_leave(who: &T::AccountId) -> DispatchResult {
		let operator = Self::operator(who)?;
		let OperatorState::Leaving { at } = operator.state else {
			return Err(Error::<T>::NotLeaving.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= at, Error::<T>::LeaveNotDue);
		ensure!(T::Services::active_services(who) == 0, Error::<T>::HasActiveServices);
		ensure!(T::Services::registrations(who) == 0, Error::<T>::HasRegistrations);

		let unlock_at = now.saturating_add(Params::<T>::get().unbonding_delay);
		let bond = operator.total();
		let exit_unlock_at =
			operator.unbonding.iter().map(|chunk| chunk.unlock_at).fold(unlock_at, |a, b| a.max(b));
		if !operator.bond.is_zero() {
			T::StakeObserver::before_stake_change(who, who, operator.bond, Zero::zero());
		}
		Operators::<T>::remove(who);
		OperatorCount::<T>::mutate(|count| *count = count.saturating_sub(1));
		if !bond.is_zero() {
			ExitBonds::<T>::insert(who, UnbondingChunk { amount: bond, unlock_at: exit_unlock_at });
		}
		Self::deposit_event(Event::OperatorLeft {
			operator: who.clone(),
			bond,
			unlock_at: exit_unlock_at,
		});

		// Bounded by `MaxDelegatorsPerOperator + MaxUnbondingDelegatorsPerOperator`.
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

	/// Releases the due exit bond of the former operator `who`, except what pending slashes
	/// may still take from it. The record goes once nothing is left.
	pub(crate) fn do_release_exit_bond(who: &T::AccountId) -> DispatchResult {
		let chunk = ExitBonds::<T>::get(who).ok_or(Error::<T>::NoExitBond)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(chunk.unlock_at <= now, Error::<T>::UnbondingNotDue);
		let held_back = T::Slashing::held_back(who, who);
		let amount = chunk.amount.saturating_sub(held_back);
		ensure!(!amount.is_zero(), Error::<T>::HeldBackForSlash);
		let left = chunk.amount.saturating_sub(amount);
		if left.is_zero() {
			ExitBonds::<T>::remove(who);
		} else {
			ExitBonds::<T>::insert(
				who,
				UnbondingChunk { amount: left, unlock_at: chunk.unlock_at },
			);
		}
		Self::release(HoldReason::OperatorBond, who, amount)?;
		Self::deposit_event(Event::ExitBondReleased { operator: who.clone(), amount });
		Ok(())
	}

	/// Sets the operator's own minimum delegation.
	pub(crate) fn do_set_min_delegation(
		who: &T::AccountId,
		min_delegation: crate::BalanceOf<T>,
	) -> DispatchResult {
		let mut operator = Self::operator(who)?;
		operator.min_delegation = min_delegation;
		Operators::<T>::insert(who, operator);
		Self::deposit_event(Event::MinDelegationSet { operator: who.clone(), min_delegation });
		Ok(())
	}

	/// The smallest delegation `operator` accepts: its own minimum, or the chain's if higher.
	pub(crate) fn min_delegation_of(operator: &T::AccountId) -> crate::BalanceOf<T> {
		let chain = Params::<T>::get().min_delegation;
		Operators::<T>::get(operator).map_or(chain, |o| o.min_delegation.max(chain))
	}
}
