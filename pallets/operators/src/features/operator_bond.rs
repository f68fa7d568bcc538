//! An operator's own bond: bond more, and bond less through unbonding chunks.

use frame_support::ensure;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchResult,
};
use warden_primitives::{OperatorState, SlashInspect};

use crate::{
	features::unbonding, BalanceOf, Config, Error, Event, HoldReason, Operator, Pallet, Params,
};

impl<T: Config> Pallet<T> {
	/// Reads the operator `who`, failing if it is not one or is Leaving.
	fn staying_operator(who: &T::AccountId) -> Result<Operator<T>, Error<T>> {
		let operator = Self::operator(who)?;
		ensure!(
			!matches!(operator.state, OperatorState::Leaving { .. }),
			Error::<T>::OperatorLeaving
		);
		Ok(operator)
	}

	/// Holds `amount` more and adds it to the active bond.
	pub(crate) fn do_bond_more(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		let mut operator = Self::staying_operator(who)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let old_bond = operator.bond;
		operator.bond = old_bond.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		Self::hold(HoldReason::OperatorBond, who, amount)?;
		let bond = operator.bond;
		Self::put_operator(who, old_bond, operator);
		Self::deposit_event(Event::BondIncreased { operator: who.clone(), amount, bond });
		Ok(())
	}

	/// Moves `amount` of the active bond into a chunk unlocking after the bond-less delay.
	pub(crate) fn do_schedule_bond_less(
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut operator = Self::staying_operator(who)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(amount <= operator.bond, Error::<T>::NotEnoughBond);
		let params = Params::<T>::get();
		let old_bond = operator.bond;
		operator.bond = old_bond.saturating_sub(amount);
		ensure!(operator.bond >= params.min_operator_bond, Error::<T>::BondTooLow);
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(params.bond_less_delay);
		unbonding::schedule::<T>(&mut operator.unbonding, amount, unlock_at)?;
		Self::put_operator(who, old_bond, operator);
		Self::deposit_event(Event::BondLessScheduled { operator: who.clone(), amount, unlock_at });
		Ok(())
	}

	/// Releases the due bond-less chunks, but never what pending slashes against the
	/// operator may still take from its own stake.
	pub(crate) fn do_execute_bond_less(who: &T::AccountId) -> DispatchResult {
		let mut operator = Self::operator(who)?;
		ensure!(!operator.unbonding.is_empty(), Error::<T>::NoUnbonding);
		let now = frame_system::Pallet::<T>::block_number();
		let total = operator.total();
		let amount = unbonding::release_due::<T>(
			&mut operator.unbonding,
			now,
			total,
			T::Slashing::held_back(who, who),
		)?;
		let bond = operator.bond;
		Self::put_operator(who, bond, operator);
		Self::release(HoldReason::OperatorBond, who, amount)?;
		Self::deposit_event(Event::BondLessReleased { operator: who.clone(), amount });
		Ok(())
	}

	/// Moves `amount` of the unbonding chunks, newest first, back to the active bond.
	pub(crate) fn do_cancel_bond_less(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		let mut operator = Self::staying_operator(who)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		unbonding::cancel::<T>(&mut operator.unbonding, amount)?;
		let old_bond = operator.bond;
		operator.bond = old_bond.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
		Self::put_operator(who, old_bond, operator);
		Self::deposit_event(Event::BondLessCancelled { operator: who.clone(), amount });
		Ok(())
	}
}
