//! Bookkeeping shared by every feature: writing ledgers so that counters, totals and the
//! delegator index stay in step, the stake observer hears about every active change, and
//! funds move in and out of holds.

use frame_support::{
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get},
	weights::Weight,
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Zero},
	ArithmeticError, DispatchError, DispatchResult,
};
use warden_primitives::StakeObserver;

use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use warden_primitives::{BlueprintId, BlueprintSelection};

use crate::{
	BalanceOf, BlueprintDelegations, BlueprintSelectionOf, Config, Delegation, DelegationSummary,
	DelegationTotals, Delegations, DelegationsOf, Error, HoldReason, Operator, Operators, Pallet,
};

impl<T: Config> Pallet<T> {
	/// What the stake observer may use to hear about `positions` stake changes: added to
	/// the benchmarked weight of every call that changes active stake, since a benchmark
	/// can't set up the observer's worst case for each position.
	pub fn observer_weight(positions: u32) -> Weight {
		T::StakeObserver::before_stake_change_weight().saturating_mul(u64::from(positions))
	}

	/// Writes an operator's ledger. Tells the stake observer first if its active bond moves
	/// from `old_bond`.
	pub(crate) fn put_operator(who: &T::AccountId, old_bond: BalanceOf<T>, operator: Operator<T>) {
		if old_bond != operator.bond {
			T::StakeObserver::before_stake_change(who, who, old_bond, operator.bond);
		}
		Operators::<T>::insert(who, operator);
	}

	/// Changes the delegation of `delegator` on `operator` with `f`, on a copy, then writes
	/// it with everything that depends on it: [`DelegationTotals`], [`BlueprintDelegations`]
	/// (for a delegation to a list of blueprints whose stake changes), [`DelegationsOf`] and
	/// the record's creation or removal (a delegation with nothing left goes). The stake
	/// observer hears about an active change before it is written.
	///
	/// A delegation with active stake takes a slot of the operator's
	/// `MaxDelegatorsPerOperator`; once only unbonding it gives the slot back if there is room
	/// among the operator's `MaxUnbondingDelegatorsPerOperator` unbonding-only delegations,
	/// and keeps it otherwise. Taking a slot checks the bound.
	///
	/// A missing record starts empty: creating one checks the delegator's bound. Nothing is
	/// written if `f` or a check fails.
	pub(crate) fn mutate_delegation<R>(
		operator: &T::AccountId,
		delegator: &T::AccountId,
		f: impl FnOnce(&mut Delegation<T>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		let existing = Delegations::<T>::get(operator, delegator);
		let is_new = existing.is_none();
		let old = existing.unwrap_or_default();
		let mut new = old.clone();
		let result = f(&mut new)?;

		let mut totals = DelegationTotals::<T>::get(operator);
		totals.active = totals
			.active
			.checked_sub(&old.amount)
			.ok_or(ArithmeticError::Underflow)?
			.checked_add(&new.amount)
			.ok_or(ArithmeticError::Overflow)?;
		totals.unbonding = totals
			.unbonding
			.checked_sub(&old.unbonding_total())
			.ok_or(ArithmeticError::Underflow)?
			.checked_add(&new.unbonding_total())
			.ok_or(ArithmeticError::Overflow)?;

		let scoped = Self::scoped_changes(operator, &old, &new, &mut totals)?;

		let removed = new.is_empty();
		// Give back what the old record took, then take what the new one needs.
		if !is_new {
			if old.slot {
				totals.delegators =
					totals.delegators.checked_sub(1).ok_or(ArithmeticError::Underflow)?;
			} else {
				totals.unbonding_only =
					totals.unbonding_only.checked_sub(1).ok_or(ArithmeticError::Underflow)?;
			}
		}
		if !removed {
			new.slot = !new.amount.is_zero()
				|| (old.slot
					&& !is_new && totals.unbonding_only
					>= T::MaxUnbondingDelegatorsPerOperator::get());
			if new.slot {
				ensure!(
					(old.slot && !is_new) || totals.delegators < T::MaxDelegatorsPerOperator::get(),
					Error::<T>::TooManyDelegators
				);
				totals.delegators =
					totals.delegators.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			} else {
				totals.unbonding_only =
					totals.unbonding_only.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			}
		}
		let mut index = DelegationsOf::<T>::get(delegator);
		if is_new && !removed {
			index.try_push(operator.clone()).map_err(|_| Error::<T>::TooManyDelegations)?;
		} else if !is_new && removed {
			index.retain(|o| o != operator);
		}

		if old.amount != new.amount {
			T::StakeObserver::before_stake_change(operator, delegator, old.amount, new.amount);
		}

		if is_new != removed {
			if index.is_empty() {
				DelegationsOf::<T>::remove(delegator);
			} else {
				DelegationsOf::<T>::insert(delegator, index);
			}
		}
		for (blueprint, stake) in scoped {
			if stake.is_zero() {
				BlueprintDelegations::<T>::remove(operator, blueprint);
			} else {
				BlueprintDelegations::<T>::insert(operator, blueprint, stake);
			}
		}
		if removed {
			Delegations::<T>::remove(operator, delegator);
		} else {
			Delegations::<T>::insert(operator, delegator, new);
		}
		if totals == Default::default() {
			DelegationTotals::<T>::remove(operator);
		} else {
			DelegationTotals::<T>::insert(operator, totals);
		}
		Ok(result)
	}

	/// What a delegation going from `old` to `new` changes in the stake of `operator`'s
	/// delegations to lists of blueprints: `totals.scoped` in place, and the new
	/// [`BlueprintDelegations`] entry of each blueprint either names, returned to be written.
	/// Nothing changes for delegations to all blueprints, or whose stake stays the same.
	fn scoped_changes(
		operator: &T::AccountId,
		old: &Delegation<T>,
		new: &Delegation<T>,
		totals: &mut DelegationSummary<BalanceOf<T>>,
	) -> Result<Vec<(BlueprintId, BalanceOf<T>)>, DispatchError> {
		let (old_total, new_total) = (old.total(), new.total());
		if old_total == new_total && old.blueprints == new.blueprints {
			return Ok(Vec::new());
		}
		let mut changes: BTreeMap<BlueprintId, BalanceOf<T>> = BTreeMap::new();
		// Takes `amount` off (or adds it to) the scoped total and each blueprint `selection`
		// names.
		let mut change = |selection: &BlueprintSelectionOf<T>, amount: BalanceOf<T>, add: bool| {
			let BlueprintSelection::Only(list) = selection else { return Ok(()) };
			let apply = |stake: BalanceOf<T>| -> Result<BalanceOf<T>, DispatchError> {
				if add {
					stake.checked_add(&amount).ok_or_else(|| ArithmeticError::Overflow.into())
				} else {
					stake.checked_sub(&amount).ok_or_else(|| ArithmeticError::Underflow.into())
				}
			};
			totals.scoped = apply(totals.scoped)?;
			for blueprint in list.iter() {
				let stake = changes
					.entry(*blueprint)
					.or_insert_with(|| BlueprintDelegations::<T>::get(operator, blueprint));
				*stake = apply(*stake)?;
			}
			Ok::<(), DispatchError>(())
		};
		change(&old.blueprints, old_total, false)?;
		change(&new.blueprints, new_total, true)?;
		Ok(changes.into_iter().collect())
	}

	/// Holds `amount` of `who`'s free balance under `reason`.
	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
	}

	/// Releases exactly `amount` held from `who` under `reason`.
	pub(crate) fn release(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::release(&reason.into(), who, amount, Precision::Exact).map(|_| ())
	}
}
