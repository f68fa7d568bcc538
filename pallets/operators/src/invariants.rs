//! The pallet's invariants, checked by `try_state` and after every test.

use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

use warden_primitives::{BlueprintId, BlueprintSelection};

use crate::{
	BalanceOf, BlueprintDelegations, Config, DelegationSummary, DelegationTotals, Delegations,
	DelegationsOf, ExitBonds, HoldReason, OperatorCount, Operators, Pallet, Params,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet:
	///
	/// - the parameters are valid, including delays longer than the slash defer window;
	/// - [`OperatorCount`] is the number of [`Operators`];
	/// - no unbonding chunk is empty and no delegation record is empty;
	/// - every delegation's list of blueprints is non-empty and in increasing order, and its
	///   remembered increases are non-empty, in increasing block order and not in the future;
	/// - [`BlueprintDelegations`] has, for each operator and blueprint, the stake of the
	///   delegations to lists naming it, and no zero entry;
	/// - [`DelegationTotals`] of each operator account equals the sum of its
	///   [`Delegations`] (and of those to lists) and the count of those taking a slot (within
	///   `MaxDelegatorsPerOperator`) and of those only unbonding without one (within
	///   `MaxUnbondingDelegatorsPerOperator`); every delegation with active stake takes a
	///   slot;
	/// - no account is both an operator and has an [`ExitBonds`] entry, and no exit bond is
	///   empty;
	/// - [`DelegationsOf`] of each delegator lists exactly the operators it has a delegation
	///   record with, each once;
	/// - for every operator and delegator, the balance held under [`HoldReason::OperatorBond`]
	///   equals its operator ledger (active and unbonding) or its exit bond, and the balance
	///   held under
	///   [`HoldReason::Delegation`] equals the sum of its delegations (active and unbonding).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::ensure_valid_params(&Params::<T>::get())
			.map_err(|_| TryRuntimeError::Other("operators params are invalid"))?;

		let bond_reason = T::RuntimeHoldReason::from(HoldReason::OperatorBond);
		let delegation_reason = T::RuntimeHoldReason::from(HoldReason::Delegation);

		let mut operators = BTreeSet::new();
		for (who, operator) in Operators::<T>::iter() {
			ensure!(
				operator.unbonding.iter().all(|c| !c.amount.is_zero()),
				"an operator has an empty unbonding chunk"
			);
			ensure!(
				T::Currency::balance_on_hold(&bond_reason, &who) == operator.total(),
				"an operator's held bond differs from its ledger"
			);
			operators.insert(who);
		}
		ensure!(
			operators.len() == OperatorCount::<T>::get() as usize,
			"OperatorCount differs from Operators"
		);
		let mut bonded = operators.clone();
		for (who, chunk) in ExitBonds::<T>::iter() {
			ensure!(!operators.contains(&who), "an operator also has an exit bond");
			ensure!(!chunk.amount.is_zero(), "an empty exit bond remains");
			ensure!(
				T::Currency::balance_on_hold(&bond_reason, &who) == chunk.amount,
				"a former operator's held bond differs from its exit bond"
			);
			bonded.insert(who);
		}

		let mut totals: BTreeMap<T::AccountId, DelegationSummary<BalanceOf<T>>> = BTreeMap::new();
		// The stake of delegations to lists, by operator and named blueprint.
		let mut scoped: BTreeMap<(T::AccountId, BlueprintId), BalanceOf<T>> = BTreeMap::new();
		let now = frame_system::Pallet::<T>::block_number();
		// Each operator's delegators and the sum of their delegations.
		type Delegated<T> = (Vec<<T as frame_system::Config>::AccountId>, BalanceOf<T>);
		let mut delegated_by: BTreeMap<T::AccountId, Delegated<T>> = BTreeMap::new();
		for (operator, delegator, delegation) in Delegations::<T>::iter() {
			ensure!(!delegation.is_empty(), "an empty delegation record remains");
			ensure!(
				delegation.unbonding.iter().all(|c| !c.amount.is_zero()),
				"a delegation has an empty unbonding chunk"
			);
			ensure!(
				delegation.amount.is_zero() || delegation.slot,
				"a delegation with active stake takes no slot"
			);
			let sum = totals.entry(operator.clone()).or_default();
			if delegation.slot {
				sum.delegators = sum.delegators.saturating_add(1);
			} else {
				sum.unbonding_only = sum.unbonding_only.saturating_add(1);
			}
			sum.active = sum.active.saturating_add(delegation.amount);
			sum.unbonding = sum.unbonding.saturating_add(delegation.unbonding_total());
			ensure!(
				delegation.blueprints.is_well_formed(),
				"a delegation's list of blueprints is empty or out of order"
			);
			if let BlueprintSelection::Only(list) = &delegation.blueprints {
				sum.scoped = sum.scoped.saturating_add(delegation.total());
				for blueprint in list.iter() {
					let stake = scoped.entry((operator.clone(), *blueprint)).or_default();
					*stake = stake.saturating_add(delegation.total());
				}
			}
			ensure!(
				delegation.increases.windows(2).all(|w| w[0].0 < w[1].0),
				"a delegation's increases are not in increasing block order"
			);
			ensure!(
				delegation
					.increases
					.iter()
					.all(|(block, amount)| !amount.is_zero() && *block <= now),
				"a delegation remembers an empty or future increase"
			);
			let entry = delegated_by.entry(delegator).or_default();
			entry.0.push(operator);
			entry.1 = entry.1.saturating_add(delegation.total());
		}

		let mut totals_entries = 0usize;
		for (operator, recorded) in DelegationTotals::<T>::iter() {
			totals_entries = totals_entries.saturating_add(1);
			ensure!(
				totals.get(&operator) == Some(&recorded),
				"DelegationTotals differs from Delegations"
			);
			ensure!(
				recorded.delegators <= T::MaxDelegatorsPerOperator::get(),
				"an operator has more delegators than allowed"
			);
			ensure!(
				recorded.unbonding_only <= T::MaxUnbondingDelegatorsPerOperator::get(),
				"an operator has more unbonding-only delegations than allowed"
			);
		}
		ensure!(totals_entries == totals.len(), "an operator's delegations have no totals");

		let mut scoped_entries = 0usize;
		for (operator, blueprint, stake) in BlueprintDelegations::<T>::iter() {
			scoped_entries = scoped_entries.saturating_add(1);
			ensure!(!stake.is_zero(), "an empty BlueprintDelegations entry remains");
			ensure!(
				scoped.get(&(operator, blueprint)) == Some(&stake),
				"BlueprintDelegations differs from the delegations to lists"
			);
		}
		ensure!(
			scoped_entries == scoped.values().filter(|stake| !stake.is_zero()).count(),
			"a blueprint backed by delegations to lists has no BlueprintDelegations entry"
		);

		let mut index_entries = 0usize;
		for (delegator, mut listed) in DelegationsOf::<T>::iter() {
			index_entries = index_entries.saturating_add(1);
			let mut actual =
				delegated_by.get(&delegator).map(|(ops, _)| ops.clone()).unwrap_or_default();
			listed.sort();
			actual.sort();
			ensure!(listed.len() == actual.len(), "DelegationsOf differs from Delegations");
			ensure!(
				listed.iter().zip(actual.iter()).all(|(a, b)| a == b),
				"DelegationsOf differs from Delegations"
			);
		}
		ensure!(index_entries == delegated_by.len(), "a delegator is missing from DelegationsOf");

		for who in operators.iter().filter(|who| !delegated_by.contains_key(*who)) {
			ensure!(
				T::Currency::balance_on_hold(&delegation_reason, who).is_zero(),
				"an operator holds delegation funds without delegations"
			);
		}
		for (who, (_, total)) in delegated_by.iter() {
			ensure!(
				T::Currency::balance_on_hold(&delegation_reason, who) == *total,
				"a delegator's held stake differs from its delegations"
			);
			if !bonded.contains(who) {
				ensure!(
					T::Currency::balance_on_hold(&bond_reason, who).is_zero(),
					"a non-operator holds bond funds"
				);
			}
		}
		Ok(())
	}
}
