//! Applying a slash to an operator's stake, and the [`OperatorRegistry`] other pallets use.

use alloc::vec::Vec;
use frame_support::{
	defensive,
	traits::{fungible, Imbalance},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	Rounding, SaturatedConversion,
};
use warden_primitives::{OperatorRegistry, OperatorState};

use crate::{
	BalanceOf, Config, CreditOf, DelegationTotals, Delegations, Event, HoldReason, Operators,
	Pallet, Params, UnbondingQueue, WeightInfo,
};

/// One account's stake on the slashed operator, as slashable parts: the active stake first,
/// then each unbonding chunk in order.
struct Position<AccountId> {
	/// Whose stake it is.
	staker: AccountId,
	/// The operator's own bond, or a delegation.
	is_operator: bool,
	/// The size of each part.
	parts: Vec<u128>,
}

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
	/// Takes up to `amount` from every stake position on `operator`, in proportion to their
	/// size, unbonding chunks included (see the crate docs for the rounding). Returns the
	/// funds taken and their total. Delegations whose operator has left are still slashed.
	pub(crate) fn do_slash(
		operator: &T::AccountId,
		amount: BalanceOf<T>,
	) -> (CreditOf<T>, BalanceOf<T>) {
		let mut credit = CreditOf::<T>::zero();
		if amount.is_zero() {
			return (credit, Zero::zero());
		}

		// Bounded by `MaxDelegatorsPerOperator` × (1 + `MaxUnbondingRequests`) parts.
		let own = Operators::<T>::get(operator);
		let mut positions = Vec::new();
		if let Some(own) = &own {
			positions.push(Position {
				staker: operator.clone(),
				is_operator: true,
				parts: parts_of::<T>(own.bond, &own.unbonding),
			});
		}
		for (delegator, delegation) in Delegations::<T>::iter_prefix(operator) {
			positions.push(Position {
				staker: delegator,
				is_operator: false,
				parts: parts_of::<T>(delegation.amount, &delegation.unbonding),
			});
		}

		let all_parts: Vec<u128> = positions.iter().flat_map(|p| p.parts.iter().copied()).collect();
		let all_shares = proportional_shares(&all_parts, amount.saturated_into());

		let mut slashed = BalanceOf::<T>::zero();
		let mut offset = 0usize;
		for position in positions {
			let count = position.parts.len();
			let shares = all_shares.get(offset..offset.saturating_add(count)).unwrap_or(&[]);
			offset = offset.saturating_add(count);
			let planned = shares.iter().fold(0u128, |sum, share| sum.saturating_add(*share));
			if planned == 0 {
				continue;
			}
			let reason = if position.is_operator {
				HoldReason::OperatorBond
			} else {
				HoldReason::Delegation
			};
			let (taken_credit, _) = <T::Currency as fungible::hold::Balanced<T::AccountId>>::slash(
				&reason.into(),
				&position.staker,
				planned.saturated_into(),
			);
			let taken = taken_credit.peek();
			credit.subsume(taken_credit);
			if taken.is_zero() {
				continue;
			}
			let taken_u128: u128 = taken.saturated_into();

			if position.is_operator {
				if let Some(mut own) = own.clone() {
					let old_bond = own.bond;
					cut::<T>(&mut own.bond, &mut own.unbonding, shares, taken_u128);
					Self::put_operator(operator, old_bond, own);
				}
			} else {
				let result = Self::mutate_delegation(operator, &position.staker, |delegation| {
					cut::<T>(&mut delegation.amount, &mut delegation.unbonding, shares, taken_u128);
					Ok(())
				});
				if result.is_err() {
					defensive!("a delegation's ledger did not match its totals while slashing");
				}
			}
			slashed = slashed.saturating_add(taken);
			Self::deposit_event(Event::Slashed {
				operator: operator.clone(),
				staker: position.staker,
				amount: taken,
			});
		}
		(credit, slashed)
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
		<T::MaxDelegationsPerDelegator as frame_support::traits::Get<u32>>::get().saturating_add(1)
	}

	type Credit = CreditOf<T>;

	fn state(operator: &T::AccountId) -> Option<OperatorState<BlockNumberFor<T>>> {
		Operators::<T>::get(operator).map(|o| o.state)
	}

	fn own_stake(operator: &T::AccountId) -> BalanceOf<T> {
		Operators::<T>::get(operator).map(|o| o.total()).unwrap_or_default()
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

	fn slash(operator: &T::AccountId, amount: BalanceOf<T>) -> (Self::Credit, BalanceOf<T>) {
		Self::do_slash(operator, amount)
	}

	/// The smaller of the unbonding delay and the bond-less delay.
	fn unbonding_delay() -> BlockNumberFor<T> {
		let params = Params::<T>::get();
		params.unbonding_delay.min(params.bond_less_delay)
	}

	fn slash_weight() -> Weight {
		T::WeightInfo::slash()
	}
}
