//! What the runtime's `OperatorsApi` implementation returns.

use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::Saturating;
use warden_primitives::{BlueprintSelection, DelegationInfo, OperatorInfo};

use crate::{
	BalanceOf, Config, DelegationTotals, Delegations, DelegationsOf, ExitBonds, Operators, Pallet,
	Params, ParamsOf, UnbondingChunkOf,
};

impl<T: Config> Pallet<T> {
	/// The operator `who` with its stake, or `None` if it is not an operator.
	pub fn operator_info(
		who: &T::AccountId,
	) -> Option<OperatorInfo<BalanceOf<T>, BlockNumberFor<T>>> {
		let operator = Operators::<T>::get(who)?;
		let totals = DelegationTotals::<T>::get(who);
		let total_stake =
			operator.total().saturating_add(totals.active).saturating_add(totals.unbonding);
		Some(OperatorInfo {
			state: operator.state,
			bond: operator.bond,
			unbonding: operator.unbonding.into_inner(),
			delegated_active: totals.active,
			delegated_unbonding: totals.unbonding,
			delegator_count: totals.delegators,
			min_delegation: operator.min_delegation.max(Params::<T>::get().min_delegation),
			total_stake,
		})
	}

	/// Every delegation of `who`, in the order they were made (at most
	/// `MaxDelegationsPerDelegator`).
	pub fn delegations_of(
		who: &T::AccountId,
	) -> Vec<DelegationInfo<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		DelegationsOf::<T>::get(who)
			.into_iter()
			.filter_map(|operator| {
				let delegation = Delegations::<T>::get(&operator, who)?;
				Some(DelegationInfo {
					operator,
					amount: delegation.amount,
					unbonding: delegation.unbonding.into_inner(),
					blueprints: match delegation.blueprints {
						BlueprintSelection::All => None,
						BlueprintSelection::Only(list) => Some(list.into_inner()),
					},
				})
			})
			.collect()
	}

	/// The exit bond `who` left behind when it stopped being an operator, if any: its
	/// amount (slashable) and the block it unlocks in.
	pub fn exit_bond(who: &T::AccountId) -> Option<UnbondingChunkOf<T>> {
		ExitBonds::<T>::get(who)
	}

	/// The runtime parameters in force.
	pub fn operator_params() -> ParamsOf<T> {
		Params::<T>::get()
	}
}
