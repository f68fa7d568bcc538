//! Benchmarks of every call and hook path, at their worst case.
//!
//! The setup only uses this pallet's own entry points (the stake observer, the reward
//! recorder, the era functions) and `fungible::Mutate`, so it runs unchanged on the real
//! runtime. Only `set_commission` needs another pallet: [`crate::BenchmarkHelper`] makes an
//! account an operator.

use super::*;
use crate::{
	hooks::EraWorkStep,
	pallet::{Pallet as Rewards, *},
	types::EraWork,
};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::One, Perbill, Saturating};
use warden_primitives::{
	Balance, BlueprintId, EraClock, RewardRecorder, StakeObserver, WorkOutcome,
};

const SEED: u32 = 0;

/// A stake well above any existential deposit.
fn stake<T: Config>() -> Balance {
	T::Currency::minimum_balance().saturating_mul(1_000).max(1_000_000_000)
}

/// Gives `who` enough to exist and pay.
fn fund<T: Config>(who: &T::AccountId) {
	let amount = stake::<T>().saturating_mul(1_000);
	T::Currency::set_balance(who, amount);
}

/// Puts a large amount into the pot, to be distributed at the next era end.
fn fill_pot<T: Config>() {
	let amount = stake::<T>().saturating_mul(1_000);
	let _ = T::Currency::mint_into(&Rewards::<T>::pot_account(), amount);
}

/// An incentivized blueprint: an existing one, or a new one.
fn incentivized_blueprint<T: Config>() -> BlueprintId {
	if let Some((blueprint, _)) = IncentivizedBlueprints::<T>::iter().next() {
		return blueprint;
	}
	IncentivizedBlueprints::<T>::insert(BlueprintId::MAX, 1);
	BlueprintId::MAX
}

/// Moves to the next block.
fn next_block<T: Config>() -> BlockNumberFor<T> {
	let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
	frame_system::Pallet::<T>::set_block_number(now);
	now
}

/// Does all outstanding era work.
fn finish_era_work<T: Config>() {
	while Rewards::<T>::era_work_step() != EraWorkStep::Idle {}
}

/// Ends the active era and does all its work.
fn end_era_and_settle<T: Config>() {
	finish_era_work::<T>();
	Rewards::<T>::end_era(next_block::<T>());
	finish_era_work::<T>();
}

/// Records availability worth some points on an incentivized blueprint.
fn record_points<T: Config>(operator: &T::AccountId) {
	let blueprint = incentivized_blueprint::<T>();
	<Rewards<T> as RewardRecorder<T::AccountId, Balance>>::record_availability(
		operator,
		blueprint,
		stake::<T>(),
		10,
	);
}

/// Prepares the worst case of touching each of `operators`:
///
/// - the era being settled is not settled for it yet, and its pool has a commission;
/// - it has stake pending from the settled era, to be promoted right after settling;
/// - a commission change becomes effective;
/// - `staker`'s position on it is pending from the era before, promoted in the pool but not
///   picked up by the position yet.
fn prepare_operators<T: Config>(operators: &[T::AccountId], staker: &T::AccountId) {
	fill_pot::<T>();
	finish_era_work::<T>();
	let amount = stake::<T>();
	for operator in operators {
		Rewards::<T>::change_stake(operator, operator, amount);
		Rewards::<T>::change_stake(operator, staker, amount);
		record_points::<T>(operator);
	}
	// The pending stake is promoted when the era is settled.
	end_era_and_settle::<T>();

	let next_era = Rewards::<T>::current_era().saturating_add(1);
	for (i, operator) in operators.iter().enumerate() {
		let other: T::AccountId = account("other", i as u32, SEED);
		Rewards::<T>::change_stake(operator, &other, amount);
		record_points::<T>(operator);
		Pools::<T>::mutate(operator, |pool| {
			if let Some(pool) = pool {
				pool.commission = Perbill::from_percent(5);
				pool.next_commission = Some((Perbill::from_percent(10), next_era));
			}
		});
	}
	fill_pot::<T>();
	// Ends the era without settling it.
	Rewards::<T>::end_era(next_block::<T>());
}

/// `n` distinct operators.
fn operators<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n).map(|i| account("operator", i, SEED)).collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn fund_pot() {
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller);
		let amount = stake::<T>();
		let before = T::Currency::balance(&Rewards::<T>::pot_account());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), amount);

		assert_eq!(T::Currency::balance(&Rewards::<T>::pot_account()), before + amount);
	}

	#[benchmark]
	fn set_commission() {
		let operator: T::AccountId = account("operator", 0, SEED);
		T::BenchmarkHelper::make_operator(&operator);
		let staker: T::AccountId = account("staker", 0, SEED);
		prepare_operators::<T>(core::slice::from_ref(&operator), &staker);
		let commission = T::MaxCommission::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), commission);

		let pool = Pools::<T>::get(&operator).expect("the operator has a pool");
		assert_eq!(pool.next_commission.map(|(c, _)| c), Some(commission));
	}

	#[benchmark]
	fn set_incentivized() -> Result<(), BenchmarkError> {
		let origin =
			T::IncentiveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let _ = IncentivizedBlueprints::<T>::clear(u32::MAX, None);
		for blueprint in 0..T::MaxIncentivizedBlueprints::get().saturating_sub(1) {
			IncentivizedBlueprints::<T>::insert(BlueprintId::from(blueprint), 1);
		}
		let blueprint = BlueprintId::MAX;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blueprint, 3);

		assert_eq!(IncentivizedBlueprints::<T>::get(blueprint), Some(3));
		Ok(())
	}

	#[benchmark]
	fn remove_incentivized() -> Result<(), BenchmarkError> {
		let origin =
			T::IncentiveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let blueprint = incentivized_blueprint::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blueprint);

		assert!(!IncentivizedBlueprints::<T>::contains_key(blueprint));
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = RewardParams { era_length: 50u32.into(), emission_per_era: stake::<T>() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// `p` positions, each on an operator that must be settled and promoted first.
	#[benchmark]
	fn claim(p: Linear<1, { T::MaxPositionsPerStaker::get() }>) {
		let staker: T::AccountId = whitelisted_caller();
		fund::<T>(&staker);
		prepare_operators::<T>(&operators::<T>(p), &staker);
		let before = T::Currency::balance(&staker);

		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()));

		assert!(T::Currency::balance(&staker) > before);
		assert_eq!(Unclaimed::<T>::get(&staker), 0);
	}

	/// As `claim`, paid to another account.
	#[benchmark]
	fn claim_for(p: Linear<1, { T::MaxPositionsPerStaker::get() }>) {
		let caller: T::AccountId = whitelisted_caller();
		let staker: T::AccountId = account("staker", 0, SEED);
		fund::<T>(&staker);
		prepare_operators::<T>(&operators::<T>(p), &staker);
		let before = T::Currency::balance(&staker);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), staker.clone());

		assert!(T::Currency::balance(&staker) > before);
	}

	/// Settling an operator: its share, commission, accumulator and promotions.
	#[benchmark]
	fn settle_next() {
		let caller: T::AccountId = whitelisted_caller();
		let staker: T::AccountId = account("staker", 0, SEED);
		let operator: T::AccountId = account("operator", 0, SEED);
		prepare_operators::<T>(core::slice::from_ref(&operator), &staker);
		let era = Rewards::<T>::settling_era().expect("an era is being settled");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller));

		assert!(EraStats::<T>::get(era, &operator).and_then(|s| s.payout).is_some());
	}

	/// `on_initialize` with nothing to do: the checks every block pays.
	#[benchmark]
	fn on_initialize_idle() {
		finish_era_work::<T>();
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Rewards::<T>::do_on_initialize(now);
		}

		assert_eq!(CurrentEraWork::<T>::get(), EraWork::Idle);
	}

	/// Ending an era with an emission to mint and points to settle.
	#[benchmark]
	fn on_initialize_era_start() {
		finish_era_work::<T>();
		Params::<T>::mutate(|params| params.emission_per_era = stake::<T>());
		let operator: T::AccountId = account("operator", 0, SEED);
		record_points::<T>(&operator);
		let era = Rewards::<T>::current_era();
		let now = next_block::<T>();

		#[block]
		{
			Rewards::<T>::end_era(now);
		}

		assert_eq!(Rewards::<T>::settling_era(), Some(era));
	}

	/// One operator of the settlement walk, at the worst case of `settle_next`.
	#[benchmark]
	fn on_initialize_settle_operator() {
		let staker: T::AccountId = account("staker", 0, SEED);
		let operator: T::AccountId = account("operator", 0, SEED);
		prepare_operators::<T>(core::slice::from_ref(&operator), &staker);
		let era = Rewards::<T>::settling_era().expect("an era is being settled");

		#[block]
		{
			Rewards::<T>::era_work_step();
		}

		assert!(EraStats::<T>::get(era, &operator).and_then(|s| s.payout).is_some());
	}

	/// One statistics entry of an old era removed.
	#[benchmark]
	fn on_initialize_prune_stats() {
		let staker: T::AccountId = account("staker", 0, SEED);
		let operator: T::AccountId = account("operator", 0, SEED);
		prepare_operators::<T>(core::slice::from_ref(&operator), &staker);
		while !matches!(CurrentEraWork::<T>::get(), EraWork::Pruning { .. } | EraWork::Idle) {
			Rewards::<T>::era_work_step();
		}
		let EraWork::Pruning { era } = CurrentEraWork::<T>::get() else {
			panic!("pruning expected");
		};
		assert!(EraStats::<T>::contains_key(era, &operator));

		#[block]
		{
			Rewards::<T>::era_work_step();
		}

		assert!(!EraStats::<T>::contains_key(era, &operator));
	}

	/// A staker with the most positions closing one on an operator that must be settled and
	/// promoted first: what the operators pallet pays for each stake change.
	#[benchmark]
	fn hook_before_stake_change() {
		let staker: T::AccountId = account("staker", 0, SEED);
		let operators = operators::<T>(T::MaxPositionsPerStaker::get());
		prepare_operators::<T>(&operators, &staker);
		let operator = operators.last().cloned().expect("at least one position");
		let old = Positions::<T>::get(&operator, &staker).map(|p| p.total()).unwrap_or(0);

		#[block]
		{
			<Rewards<T> as StakeObserver<T::AccountId, Balance>>::before_stake_change(
				&operator, &staker, old, 0,
			);
		}

		assert!(Positions::<T>::get(&operator, &staker).is_none());
	}

	/// A first success of an operator in the era, on an incentivized blueprint.
	#[benchmark]
	fn hook_record_work() {
		let operator: T::AccountId = account("operator", 0, SEED);
		let blueprint = incentivized_blueprint::<T>();
		let era = Rewards::<T>::current_era();

		#[block]
		{
			<Rewards<T> as RewardRecorder<T::AccountId, Balance>>::record_work(
				&operator,
				0,
				blueprint,
				WorkOutcome::Success,
			);
		}

		assert!(EraStats::<T>::contains_key(era, &operator));
	}

	/// A first availability of an operator in the era, on an incentivized blueprint.
	#[benchmark]
	fn hook_record_availability() {
		let operator: T::AccountId = account("operator", 0, SEED);
		let blueprint = incentivized_blueprint::<T>();
		let era = Rewards::<T>::current_era();

		#[block]
		{
			<Rewards<T> as RewardRecorder<T::AccountId, Balance>>::record_availability(
				&operator,
				blueprint,
				stake::<T>(),
				10,
			);
		}

		assert!(EraStats::<T>::get(era, &operator).is_some_and(|stats| stats.points > 0));
	}

	/// A first heartbeat of an operator in the era, on an incentivized blueprint.
	#[benchmark]
	fn hook_record_heartbeat() {
		let operator: T::AccountId = account("operator", 0, SEED);
		let blueprint = incentivized_blueprint::<T>();
		let era = Rewards::<T>::current_era();

		#[block]
		{
			<Rewards<T> as RewardRecorder<T::AccountId, Balance>>::record_heartbeat(
				&operator, 0, blueprint,
			);
		}

		assert!(EraStats::<T>::contains_key(era, &operator));
	}

	impl_benchmark_test_suite!(
		Rewards,
		warden_testing::at_genesis::<crate::mock::Test>(crate::mock::new_test_ext()),
		crate::mock::Test
	);
}
