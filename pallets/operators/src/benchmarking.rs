//! Benchmarks of every call at its worst case: every bound filled. The stake observer's
//! worst case can't be set up for each position here; calls add its weight per position
//! on top (see [`Pallet::observer_weight`]).
//!
//! They only use this pallet's own calls to build state, and assume the services and
//! slashing pallets report no services, registrations or pending slashes for fresh
//! accounts, as the real ones do.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Saturating, Zero};
use warden_primitives::{BlueprintSelection, OperatorState};

const SEED: u32 = 0;

/// Enough to bond, delegate and fill every bound many times over.
fn endowment<T: Config>() -> BalanceOf<T> {
	let params = Params::<T>::get();
	params
		.min_operator_bond
		.max(params.min_delegation)
		.saturating_mul(10_000u32.into())
		.saturating_add(T::Currency::minimum_balance().saturating_mul(100u32.into()))
}

/// A new account with [`endowment`] free.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, endowment::<T>());
	who
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn set_block<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

fn max_chunks<T: Config>() -> u32 {
	T::MaxUnbondingRequests::get()
}

/// An Active operator with `chunks` bond-less chunks, each unlocking in its own block.
fn operator_with_chunks<T: Config>(index: u32, chunks: u32) -> T::AccountId {
	let operator = funded::<T>("operator", index);
	let min = Params::<T>::get().min_operator_bond;
	let bond = min.saturating_mul(chunks.saturating_add(2).into());
	Pallet::<T>::do_join_operators(&operator, bond).expect("a funded account joins");
	let start = now::<T>();
	for i in 0..chunks {
		set_block::<T>(start.saturating_add(i.into()));
		Pallet::<T>::do_schedule_bond_less(&operator, min).expect("room for a chunk");
	}
	set_block::<T>(start);
	operator
}

/// The longest list of blueprints a delegation may back: each of its stake changes
/// updates the most [`BlueprintDelegations`] entries.
fn full_selection<T: Config>() -> BlueprintSelectionOf<T> {
	let blueprints = (0..u64::from(T::MaxBlueprintsPerDelegation::get())).collect::<Vec<_>>();
	BlueprintSelection::Only(BoundedVec::truncate_from(blueprints))
}

/// `delegator` delegates to `operator` for the longest list of blueprints and schedules
/// `chunks` undelegations, each unlocking in its own block, keeping `keep` minimum
/// delegations active.
fn delegate_with_chunks<T: Config>(
	delegator: &T::AccountId,
	operator: &T::AccountId,
	chunks: u32,
	keep: u32,
) {
	let min = Params::<T>::get().min_delegation;
	let amount = min.saturating_mul(chunks.saturating_add(keep).into());
	Pallet::<T>::do_delegate(delegator, operator, amount, Some(full_selection::<T>()))
		.expect("the operator is Active");
	let start = now::<T>();
	for i in 0..chunks {
		set_block::<T>(start.saturating_add(i.into()));
		Pallet::<T>::do_schedule_undelegate(delegator, operator, min).expect("room for a chunk");
	}
	set_block::<T>(start);
}

/// An operator with full bond-less chunks, the most delegators, each with full
/// undelegation chunks and active stake left, and the most delegations only unbonding.
fn fully_staked_operator<T: Config>() -> T::AccountId {
	let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
	// Each delegation only unbonding needs a free slot to delegate before it gives it back.
	for i in 0..T::MaxUnbondingDelegatorsPerOperator::get() {
		let delegator = funded::<T>("unbonding", i);
		delegate_with_chunks::<T>(&delegator, &operator, max_chunks::<T>(), 0);
	}
	for i in 0..T::MaxDelegatorsPerOperator::get() {
		let delegator = funded::<T>("delegator", i);
		delegate_with_chunks::<T>(&delegator, &operator, max_chunks::<T>(), 2);
	}
	operator
}

/// An operator with one delegator slot left and a caller with one delegation left: a new
/// delegation from the caller fills both.
fn last_slots<T: Config>() -> (T::AccountId, T::AccountId) {
	let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
	for i in 0..T::MaxDelegatorsPerOperator::get().saturating_sub(1) {
		let other = funded::<T>("delegator", i);
		delegate_with_chunks::<T>(&other, &operator, 0, 1);
	}
	let caller = funded::<T>("caller", 0);
	fill_delegations::<T>(&caller, T::MaxDelegationsPerDelegator::get().saturating_sub(1));
	(operator, caller)
}

/// `delegator` delegates to `count` fresh operators.
fn fill_delegations<T: Config>(delegator: &T::AccountId, count: u32) {
	let min = Params::<T>::get().min_delegation;
	for i in 0..count {
		let other = operator_with_chunks::<T>(1_000 + i, 0);
		Pallet::<T>::do_delegate(delegator, &other, min, None).expect("the operator is Active");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn join_operators() {
		let caller = funded::<T>("caller", 0);
		let bond = Params::<T>::get().min_operator_bond;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), bond);

		assert_eq!(Operators::<T>::get(&caller).map(|o| o.bond), Some(bond));
	}

	#[benchmark]
	fn go_offline() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert_eq!(Operators::<T>::get(&operator).map(|o| o.state), Some(OperatorState::Inactive));
	}

	#[benchmark]
	fn go_online() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		Pallet::<T>::do_go_offline(&operator).expect("Active");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert_eq!(Operators::<T>::get(&operator).map(|o| o.state), Some(OperatorState::Active));
	}

	#[benchmark]
	fn schedule_leave() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert!(matches!(
			Operators::<T>::get(&operator).map(|o| o.state),
			Some(OperatorState::Leaving { .. })
		));
	}

	#[benchmark]
	fn cancel_leave() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		Pallet::<T>::do_schedule_leave(&operator).expect("Active");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert_eq!(Operators::<T>::get(&operator).map(|o| o.state), Some(OperatorState::Active));
	}

	/// The most delegators, each with full chunks, so every delegation's new chunk merges.
	#[benchmark]
	fn execute_leave() {
		let operator = fully_staked_operator::<T>();
		Pallet::<T>::do_schedule_leave(&operator).expect("Active");
		set_block::<T>(now::<T>().saturating_add(Params::<T>::get().leave_delay));

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert!(!Operators::<T>::contains_key(&operator));
		assert!(DelegationTotals::<T>::get(&operator).active.is_zero());
	}

	#[benchmark]
	fn bond_more() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		let before = Operators::<T>::get(&operator).map(|o| o.bond).unwrap_or_default();
		let amount = Params::<T>::get().min_operator_bond;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), amount);

		assert_eq!(
			Operators::<T>::get(&operator).map(|o| o.bond),
			Some(before.saturating_add(amount))
		);
	}

	#[benchmark]
	fn schedule_bond_less() {
		let chunks = max_chunks::<T>().saturating_sub(1);
		let operator = operator_with_chunks::<T>(0, chunks);
		set_block::<T>(now::<T>().saturating_add(chunks.into()));
		let amount = Params::<T>::get().min_operator_bond;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), amount);

		assert_eq!(
			Operators::<T>::get(&operator).map(|o| o.unbonding.len() as u32),
			Some(max_chunks::<T>())
		);
	}

	#[benchmark]
	fn execute_bond_less() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		set_block::<T>(
			now::<T>()
				.saturating_add(max_chunks::<T>().into())
				.saturating_add(Params::<T>::get().bond_less_delay),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert_eq!(Operators::<T>::get(&operator).map(|o| o.unbonding.len()), Some(0));
	}

	#[benchmark]
	fn cancel_bond_less() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		let unbonding =
			Operators::<T>::get(&operator).map(|o| total_of::<T>(&o.unbonding)).unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), unbonding);

		assert_eq!(Operators::<T>::get(&operator).map(|o| o.unbonding.len()), Some(0));
	}

	/// A new delegation that fills both the operator's and the delegator's last slot.
	#[benchmark]
	fn delegate() {
		let (operator, caller) = last_slots::<T>();
		let amount = Params::<T>::get().min_delegation;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), operator.clone(), amount);

		assert_eq!(Delegations::<T>::get(&operator, &caller).map(|d| d.amount), Some(amount));
	}

	/// A new delegation for the longest list of blueprints, filling both the operator's
	/// and the delegator's last slot: the most entries of [`BlueprintDelegations`] to write.
	/// Also the worst case of a plain `delegate` topping up such a delegation.
	#[benchmark]
	fn delegate_with_selection() {
		let (operator, caller) = last_slots::<T>();
		let amount = Params::<T>::get().min_delegation;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), operator.clone(), amount, full_selection::<T>());

		assert_eq!(Delegations::<T>::get(&operator, &caller).map(|d| d.amount), Some(amount));
		assert_eq!(
			BlueprintDelegations::<T>::iter_prefix(&operator).count() as u32,
			T::MaxBlueprintsPerDelegation::get()
		);
	}

	#[benchmark]
	fn schedule_undelegate() {
		let operator = operator_with_chunks::<T>(0, 0);
		let caller = funded::<T>("caller", 0);
		let chunks = max_chunks::<T>().saturating_sub(1);
		delegate_with_chunks::<T>(&caller, &operator, chunks, 2);
		set_block::<T>(now::<T>().saturating_add(chunks.into()));
		let amount = Params::<T>::get().min_delegation;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), operator.clone(), amount);

		assert_eq!(
			Delegations::<T>::get(&operator, &caller).map(|d| d.unbonding.len() as u32),
			Some(max_chunks::<T>())
		);
	}

	/// Every chunk due and nothing active left, so the record and its index entry go, from
	/// a delegator with the most delegations.
	#[benchmark]
	fn execute_undelegate() {
		let operator = operator_with_chunks::<T>(0, 0);
		let caller = funded::<T>("caller", 0);
		fill_delegations::<T>(&caller, T::MaxDelegationsPerDelegator::get().saturating_sub(1));
		delegate_with_chunks::<T>(&caller, &operator, max_chunks::<T>(), 0);
		set_block::<T>(
			now::<T>()
				.saturating_add(max_chunks::<T>().into())
				.saturating_add(Params::<T>::get().unbonding_delay),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), operator.clone());

		assert!(!Delegations::<T>::contains_key(&operator, &caller));
	}

	#[benchmark]
	fn cancel_undelegate() {
		let operator = operator_with_chunks::<T>(0, 0);
		let caller = funded::<T>("caller", 0);
		delegate_with_chunks::<T>(&caller, &operator, max_chunks::<T>(), 0);
		let unbonding = Delegations::<T>::get(&operator, &caller)
			.map(|d| d.unbonding_total())
			.unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), operator.clone(), unbonding);

		assert_eq!(Delegations::<T>::get(&operator, &caller).map(|d| d.amount), Some(unbonding));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut params = Params::<T>::get();
		params.leave_delay = params.leave_delay.saturating_add(1u32.into());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// A former operator's exit bond released whole, so the record goes.
	#[benchmark]
	fn release_exit_bond() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		Pallet::<T>::do_schedule_leave(&operator).expect("Active");
		set_block::<T>(now::<T>().saturating_add(Params::<T>::get().leave_delay));
		Pallet::<T>::do_execute_leave(&operator).expect("due, with nothing in the way");
		let unlock_at = ExitBonds::<T>::get(&operator).map(|chunk| chunk.unlock_at);
		set_block::<T>(unlock_at.unwrap_or_else(now::<T>));

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert!(!ExitBonds::<T>::contains_key(&operator));
	}

	/// A delegation with all but one chunk in use, evicted after the operator raised its
	/// minimum above it.
	#[benchmark]
	fn evict_delegation() {
		let operator = operator_with_chunks::<T>(0, 0);
		let delegator = funded::<T>("delegator", 0);
		let chunks = max_chunks::<T>().saturating_sub(1);
		delegate_with_chunks::<T>(&delegator, &operator, chunks, 1);
		set_block::<T>(now::<T>().saturating_add(chunks.into()));
		let min = Params::<T>::get().min_delegation.saturating_mul(2u32.into());
		Pallet::<T>::do_set_min_delegation(&operator, min).expect("an operator");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), delegator.clone());

		let evicted = Delegations::<T>::get(&operator, &delegator).expect("still unbonding");
		assert!(evicted.amount.is_zero());
		assert_eq!(evicted.unbonding.len() as u32, max_chunks::<T>());
	}

	#[benchmark]
	fn set_min_delegation() {
		let operator = operator_with_chunks::<T>(0, max_chunks::<T>());
		let min = Params::<T>::get().min_delegation.saturating_mul(2u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), min);

		assert_eq!(Operators::<T>::get(&operator).map(|o| o.min_delegation), Some(min));
	}

	impl_benchmark_test_suite!(
		Pallet,
		warden_testing::at_genesis::<crate::mock::Test>(crate::mock::new_test_ext()),
		crate::mock::Test
	);
}
