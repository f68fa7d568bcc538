//! Benchmarks of every call and hook path, each at its worst case: an offender with the
//! most slashable positions, the longest statement, reason and evidence. Applying a slash
//! is measured against its number of positions. The queue's cost doesn't depend on how many
//! slashes fall due in the same block.
//!
//! Operators come from [`Config::BenchmarkHelper`], so the benchmarks run unchanged on the
//! real runtime, where the operators pallet slashes real delegations.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	weights::WeightMeter,
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{One, Saturating},
	Perbill, Percent,
};
use warden_primitives::{
	MaxEvidenceLen, MaxMetricLen, SlashId, SlashProposal, SlashQueue, SlashReason,
};

const SEED: u32 = 0;
/// How many slashes the benchmarks queue in one block at most.
const QUEUED: u32 = 8;

/// An Active operator with `positions` slashable positions, its own bond included.
fn operator<T: Config>(positions: u32) -> T::AccountId {
	let who: T::AccountId = account("operator", 0, SEED);
	let stake = T::Currency::minimum_balance().saturating_mul(1_000_000u32.into());
	T::BenchmarkHelper::setup_operator(&who, stake, positions.max(1));
	who
}

/// The most positions a slash records.
fn max_positions<T: Config>() -> u32 {
	T::MaxSlashedPositions::get()
}

/// A reporter who can pay the deposits of every queued slash, however large, and then
/// some.
fn reporter<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("reporter", 0, SEED);
	let plenty = T::Currency::minimum_balance()
		.saturating_mul(1_000_000u32.into())
		.saturating_mul(1_000_000u32.into());
	let _ = T::Currency::set_balance(&who, plenty);
	who
}

/// The largest proposal: the longest reason and evidence, all of the exposure, for an
/// offence in the current block.
fn proposal<T: Config>(
	offender: &T::AccountId,
	reporter: &T::AccountId,
) -> SlashProposal<T::AccountId, BlockNumberFor<T>> {
	SlashProposal {
		offender: offender.clone(),
		service: 1,
		blueprint: 1,
		fraction: Perbill::from_percent(50),
		exposure: Percent::from_percent(100),
		reporter: reporter.clone(),
		reason: SlashReason::QualityOfService {
			metric: BoundedVec::truncate_from(vec![
				b'm';
				<MaxMetricLen as Get<u32>>::get() as usize
			]),
		},
		evidence: BoundedVec::truncate_from(vec![
			b'e';
			<MaxEvidenceLen as Get<u32>>::get() as usize
		]),
		offence_at: frame_system::Pallet::<T>::block_number(),
	}
}

/// Proposes `count` slashes in the current block, all due at the same block. Returns their
/// ids and that block.
fn fill_queue<T: Config>(
	offender: &T::AccountId,
	reporter: &T::AccountId,
	count: u32,
) -> (vec::Vec<SlashId>, BlockNumberFor<T>) {
	// The queue is filled in the block the measured code runs in.
	warden_testing::block_of_measured_code::<T>();
	let ids = (0..count)
		.map(|_| {
			<Pallet<T> as SlashQueue<_, _>>::propose(proposal::<T>(offender, reporter))
				.expect("benchmark proposal is valid")
		})
		.collect::<vec::Vec<_>>();
	let apply_at =
		frame_system::Pallet::<T>::block_number().saturating_add(Params::<T>::get().defer_duration);
	(ids, apply_at)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `SlashQueue::propose` against an operator with the most positions, behind other
	/// slashes due in the same block.
	#[benchmark]
	fn propose() {
		let offender = operator::<T>(max_positions::<T>());
		let reporter = reporter::<T>();
		let (ids, apply_at) = fill_queue::<T>(&offender, &reporter, QUEUED.saturating_sub(1));
		let next = ids.last().map_or(0, |id| id.saturating_add(1));

		#[block]
		{
			<Pallet<T> as SlashQueue<_, _>>::propose(proposal::<T>(&offender, &reporter))
				.expect("benchmark proposal is valid");
		}

		assert!(PendingSlashes::<T>::contains_key(next));
		assert_eq!(SlashSchedule::<T>::queued_at(apply_at), QUEUED);
	}

	/// A dispute with the longest statement.
	#[benchmark]
	fn dispute() -> Result<(), BenchmarkError> {
		let offender = operator::<T>(0);
		let reporter = reporter::<T>();
		let (ids, _) = fill_queue::<T>(&offender, &reporter, 1);
		let slash_id = *ids.first().ok_or(BenchmarkError::Stop("empty queue"))?;
		let statement: StatementOf<T> =
			BoundedVec::truncate_from(vec![b's'; T::MaxStatementLen::get() as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(offender), slash_id, statement);

		assert!(PendingSlashes::<T>::get(slash_id).is_some_and(|s| s.dispute.is_some()));
		Ok(())
	}

	/// An unfounded veto (the deposit moves to the treasury) freeing the most positions.
	#[benchmark]
	fn veto() -> Result<(), BenchmarkError> {
		let origin =
			T::VetoOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let offender = operator::<T>(max_positions::<T>());
		let reporter = reporter::<T>();
		let (ids, _) = fill_queue::<T>(&offender, &reporter, QUEUED);
		let slash_id = *ids.last().ok_or(BenchmarkError::Stop("empty queue"))?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, slash_id, VetoReason::Unfounded);

		assert!(!PendingSlashes::<T>::contains_key(slash_id));
		Ok(())
	}

	/// The manual application of a slash taking from `p` positions.
	#[benchmark]
	fn apply_slash(p: Linear<1, { max_positions::<T>() }>) -> Result<(), BenchmarkError> {
		let offender = operator::<T>(p);
		let reporter = reporter::<T>();
		let (ids, apply_at) = fill_queue::<T>(&offender, &reporter, QUEUED);
		let slash_id = *ids.last().ok_or(BenchmarkError::Stop("empty queue"))?;
		frame_system::Pallet::<T>::set_block_number(apply_at);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), slash_id);

		assert!(!PendingSlashes::<T>::contains_key(slash_id));
		Ok(())
	}

	/// New parameters, validated against the operators' unbonding delay.
	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut params = Params::<T>::get();
		params.reporter_reward = Perbill::from_percent(7);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// The hook visiting one block with nothing due.
	#[benchmark]
	fn on_initialize_idle() {
		let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);
		SlashSchedule::<T>::start_at(now);
		let mut meter = WeightMeter::with_limit(T::WeightInfo::on_initialize_idle());

		#[block]
		{
			Pallet::<T>::apply_due_slashes(now, &mut meter);
		}

		assert_eq!(SlashSchedule::<T>::cursor(), (now.saturating_add(One::one()), 0));
	}

	/// The hook applying the first of several slashes due in a block, taking from `p`
	/// positions.
	#[benchmark]
	fn on_initialize_apply(p: Linear<1, { max_positions::<T>() }>) -> Result<(), BenchmarkError> {
		let offender = operator::<T>(p);
		let reporter = reporter::<T>();
		let (ids, apply_at) = fill_queue::<T>(&offender, &reporter, QUEUED);
		let first = *ids.first().ok_or(BenchmarkError::Stop("empty queue"))?;
		frame_system::Pallet::<T>::set_block_number(apply_at);
		SlashSchedule::<T>::start_at(apply_at);
		let mut meter = WeightMeter::with_limit(
			T::WeightInfo::on_initialize_idle()
				.saturating_add(Pallet::<T>::apply_weight(max_positions::<T>(), true)),
		);

		#[block]
		{
			Pallet::<T>::apply_due_slashes(apply_at, &mut meter);
		}

		assert!(!PendingSlashes::<T>::contains_key(first));
		assert_eq!(SlashSchedule::<T>::queued_at(apply_at) as usize, ids.len() - 1);
		Ok(())
	}

	/// The hook pruning one concluded record.
	#[benchmark]
	fn on_initialize_prune() -> Result<(), BenchmarkError> {
		let offender = operator::<T>(0);
		let reporter = reporter::<T>();
		let (ids, _) = fill_queue::<T>(&offender, &reporter, 1);
		let slash_id = *ids.first().ok_or(BenchmarkError::Stop("empty queue"))?;
		Pallet::<T>::do_veto(slash_id, VetoReason::Pardoned)
			.map_err(|_| BenchmarkError::Stop("veto failed"))?;
		NextToPrune::<T>::put(slash_id);
		let now =
			frame_system::Pallet::<T>::block_number().saturating_add(T::OutcomeRetention::get());
		frame_system::Pallet::<T>::set_block_number(now);
		let mut meter = WeightMeter::with_limit(T::WeightInfo::on_initialize_prune());

		#[block]
		{
			Pallet::<T>::prune_concluded(now, &mut meter);
		}

		assert!(!ConcludedSlashes::<T>::contains_key(slash_id));
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		warden_testing::at_genesis::<crate::mock::Test>(crate::mock::new_test_ext()),
		crate::mock::Test
	);
}
