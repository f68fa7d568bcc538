//! Applying a slash to an operator's stake, and the [`OperatorRegistry`] other pallets use.

use alloc::vec::Vec;
use frame_support::{
	defensive,
	traits::{fungible, Get, Imbalance},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	Rounding, SaturatedConversion,
};
use warden_primitives::{BlueprintId, OperatorRegistry, OperatorState};

use crate::{
	BalanceOf, BlueprintDelegations, Config, CreditOf, DelegationTotals, Delegations, Event,
	ExitBonds, HoldReason, Operators, Pallet, Params, UnbondingQueue,
};

/// Splits `take` (at most the sum of `parts`) across `parts` in proportion to their size:
/// each part gives the floor of its exact share, then what rounding left over is taken part
/// by part in order, never beyond what a part holds.
pub(crate) fn proportional_shares(parts: &[u128], take: u128) -> Vec<u128> {
	let total = parts.iter().fold(0u128, |sum, part| sum.saturating_add(*part));
	let take = take.min(total);
	if take == 0 {
		return parts.iter().map(|_| 0).collect();
	}
	let mut shares: Vec<u128> = parts
		.iter()
		.map(|part| {
			multiply_by_rational_with_rounding(take, *part, total, Rounding::Down)
				.unwrap_or(0)
				.min(*part)
		})
		.collect();
	let given = shares.iter().fold(0u128, |sum, share| sum.saturating_add(*share));
	let mut left = take.saturating_sub(given);
	for (share, part) in shares.iter_mut().zip(parts) {
		if left == 0 {
			break;
		}
		let extra = part.saturating_sub(*share).min(left);
		*share = share.saturating_add(extra);
		left = left.saturating_sub(extra);
	}
	shares
}

/// Takes `taken` out of an active amount and its chunks, up to each part's planned share, in
/// part order; chunks left empty go.
fn cut<T: Config>(
	active: &mut BalanceOf<T>,
	chunks: &mut UnbondingQueue<T>,
	shares: &[u128],
	taken: u128,
) {
	let mut left = taken;
	let mut take_part = |amount: &mut BalanceOf<T>, share: u128| {
		let cut = share.min(left).min((*amount).saturated_into::<u128>());
		*amount = amount.saturating_sub(cut.saturated_into());
		left = left.saturating_sub(cut);
	};
	let mut shares = shares.iter().copied();
	take_part(active, shares.next().unwrap_or(0));
	for chunk in chunks.iter_mut() {
		take_part(&mut chunk.amount, shares.next().unwrap_or(0));
	}
	chunks.retain(|chunk| !chunk.amount.is_zero());
}

impl<T: Config> Pallet<T> {
	/// Takes from each position on `operator` at most the amount `takes` names for its
	/// staker, spread over the position's active stake and unbonding chunks in proportion to
	/// their size (see the crate docs for the rounding), never more than it holds. The
	/// staker `operator` names its own bond: its ledger while it is an operator, its exit
	/// bond after it left. Returns the funds taken and their total. Delegations whose
	/// operator has left are still slashed.
	pub(crate) fn do_slash_positions(
		operator: &T::AccountId,
		takes: &[(T::AccountId, BalanceOf<T>)],
	) -> (CreditOf<T>, BalanceOf<T>) {
		let mut credit = CreditOf::<T>::zero();
		let mut slashed = BalanceOf::<T>::zero();
		for (staker, amount) in takes {
			if amount.is_zero() {
				continue;
			}
			let taken = if staker == operator {
				Self::slash_own(operator, *amount)
			} else {
				Self::slash_delegation(operator, staker, *amount)
			};
			let taken_amount = taken.peek();
			credit.subsume(taken);
			if taken_amount.is_zero() {
				continue;
			}
			slashed = slashed.saturating_add(taken_amount);
			Self::deposit_event(Event::Slashed {
				operator: operator.clone(),
				staker: staker.clone(),
				amount: taken_amount,
			});
		}
		(credit, slashed)
	}

	/// Takes up to `amount` from `operator`'s own bond: its ledger, or its exit bond.
	fn slash_own(operator: &T::AccountId, amount: BalanceOf<T>) -> CreditOf<T> {
		if let Some(mut own) = Operators::<T>::get(operator) {
			let shares = proportional_shares(
				&parts_of::<T>(own.bond, &own.unbonding),
				amount.saturated_into(),
			);
			let credit = Self::slash_held(HoldReason::OperatorBond, operator, &shares);
			let old_bond = own.bond;
			cut::<T>(&mut own.bond, &mut own.unbonding, &shares, credit.peek().saturated_into());
			Self::put_operator(operator, old_bond, own);
			credit
		} else if let Some(mut exit) = ExitBonds::<T>::get(operator) {
			let credit = Self::slash_held(
				HoldReason::OperatorBond,
				operator,
				&[amount.min(exit.amount).saturated_into()],
			);
			exit.amount = exit.amount.saturating_sub(credit.peek());
			if exit.amount.is_zero() {
				ExitBonds::<T>::remove(operator);
			} else {
				ExitBonds::<T>::insert(operator, exit);
			}
			credit
		} else {
			CreditOf::<T>::zero()
		}
	}

	/// Takes up to `amount` from `delegator`'s delegation on `operator`.
	fn slash_delegation(
		operator: &T::AccountId,
		delegator: &T::AccountId,
		amount: BalanceOf<T>,
	) -> CreditOf<T> {
		let Some(delegation) = Delegations::<T>::get(operator, delegator) else {
			return CreditOf::<T>::zero();
		};
		let shares = proportional_shares(
			&parts_of::<T>(delegation.amount, &delegation.unbonding),
			amount.saturated_into(),
		);
		let credit = Self::slash_held(HoldReason::Delegation, delegator, &shares);
		let taken: u128 = credit.peek().saturated_into();
		let result = Self::mutate_delegation(operator, delegator, |delegation| {
			cut::<T>(&mut delegation.amount, &mut delegation.unbonding, &shares, taken);
			Ok(())
		});
		if result.is_err() {
			defensive!("a delegation's ledger did not match its totals while slashing");
		}
		credit
	}

	/// Slashes the sum of `shares` from what `who` holds under `reason`.
	fn slash_held(reason: HoldReason, who: &T::AccountId, shares: &[u128]) -> CreditOf<T> {
		let planned = shares.iter().fold(0u128, |sum, share| sum.saturating_add(*share));
		if planned == 0 {
			return CreditOf::<T>::zero();
		}
		<T::Currency as fungible::hold::Balanced<T::AccountId>>::slash(
			&reason.into(),
			who,
			planned.saturated_into(),
		)
		.0
	}
}

/// The slashable parts of a stake position: active first, then each chunk.
fn parts_of<T: Config>(active: BalanceOf<T>, chunks: &UnbondingQueue<T>) -> Vec<u128> {
	core::iter::once(active.saturated_into())
		.chain(chunks.iter().map(|chunk| chunk.amount.saturated_into()))
		.collect()
}

impl<T: Config> OperatorRegistry<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn max_positions_per_staker() -> u32 {
		T::MaxDelegationsPerDelegator::get().saturating_add(1)
	}

	type Credit = CreditOf<T>;

	fn state(operator: &T::AccountId) -> Option<OperatorState<BlockNumberFor<T>>> {
		Operators::<T>::get(operator).map(|o| o.state)
	}

	/// The operator's ledger (active and unbonding), or the exit bond it left.
	fn own_stake(operator: &T::AccountId) -> BalanceOf<T> {
		match Operators::<T>::get(operator) {
			Some(own) => own.total(),
			None => ExitBonds::<T>::get(operator).map(|chunk| chunk.amount).unwrap_or_default(),
		}
	}

	fn delegated_stake(operator: &T::AccountId) -> BalanceOf<T> {
		let totals = DelegationTotals::<T>::get(operator);
		totals.active.saturating_add(totals.unbonding)
	}

	fn total_stake(operator: &T::AccountId) -> BalanceOf<T> {
		Self::own_stake(operator).saturating_add(Self::delegated_stake(operator))
	}

	/// The operator's own bond first (if it is an operator), then every delegation with
	/// active stake.
	fn stake_positions(operator: &T::AccountId) -> Vec<(T::AccountId, BalanceOf<T>)> {
		let own = Operators::<T>::get(operator).map(|o| (operator.clone(), o.bond));
		own.into_iter()
			.chain(
				Delegations::<T>::iter_prefix(operator)
					.filter(|(_, d)| !d.amount.is_zero())
					.map(|(delegator, d)| (delegator, d.amount)),
			)
			.collect()
	}

	/// Its own stake, the stake of the delegations to all of its blueprints, and what the
	/// delegations to lists naming `blueprint` hold: three reads, whatever the delegators.
	fn blueprint_stake(operator: &T::AccountId, blueprint: BlueprintId) -> BalanceOf<T> {
		let totals = DelegationTotals::<T>::get(operator);
		let to_all = totals.active.saturating_add(totals.unbonding).saturating_sub(totals.scoped);
		Self::own_stake(operator)
			.saturating_add(to_all)
			.saturating_add(BlueprintDelegations::<T>::get(operator, blueprint))
	}

	/// The offender's own stake is slashable whole: it committed the offence. A delegation
	/// answers only if it backs `blueprint`, and only with what it had at `offence_at` and
	/// still holds ([`crate::Delegation::stake_at`]). Bounded by
	/// `1 + MaxDelegatorsPerOperator + MaxUnbondingDelegatorsPerOperator`.
	fn slashable_positions(
		operator: &T::AccountId,
		blueprint: BlueprintId,
		offence_at: BlockNumberFor<T>,
	) -> Vec<(T::AccountId, BalanceOf<T>)> {
		let own = Self::own_stake(operator);
		let own = (!own.is_zero()).then(|| (operator.clone(), own));
		own.into_iter()
			.chain(
				Delegations::<T>::iter_prefix(operator)
					.filter(|(_, d)| d.blueprints.covers(blueprint))
					.map(|(delegator, d)| (delegator, d.stake_at(offence_at)))
					.filter(|(_, stake)| !stake.is_zero()),
			)
			.collect()
	}

	fn max_slashable_positions() -> u32 {
		T::MaxDelegatorsPerOperator::get()
			.saturating_add(T::MaxUnbondingDelegatorsPerOperator::get())
			.saturating_add(1)
	}

	fn slash_positions(
		operator: &T::AccountId,
		takes: &[(T::AccountId, BalanceOf<T>)],
	) -> (Self::Credit, BalanceOf<T>) {
		Self::do_slash_positions(operator, takes)
	}

	/// The smaller of the unbonding delay and the bond-less delay.
	fn unbonding_delay() -> BlockNumberFor<T> {
		let params = Params::<T>::get();
		params.unbonding_delay.min(params.bond_less_delay)
	}

	fn stake_change_weight() -> Weight {
		Self::observer_weight(1)
	}
}
