//! Benchmarks of every call and hook path at its worst case: the set is full (or one
//! short of full), so every scan of it reads the whole list.

use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use sp_runtime::Perbill;
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

use crate::*;

/// Puts `n` validators in the set, each with session keys, and returns them.
fn fill<T: Config>(n: u32) -> Vec<T::AccountId> {
	let validators: Vec<T::AccountId> = (0..n).map(|i| account("validator", i, 0)).collect();
	for validator in &validators {
		T::BenchmarkHelper::register_keys(validator);
	}
	Validators::<T>::put(BoundedVec::truncate_from(validators.clone()));
	MinValidators::<T>::put(1);
	validators
}

fn origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::ValidatorSetOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The set is one short of full: the duplicate check reads all of it.
	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxValidators::get().saturating_sub(1));
		let who: T::AccountId = account("new", 0, 0);
		T::BenchmarkHelper::register_keys(&who);
		let origin = origin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(Validators::<T>::get().contains(&who));
		Ok(())
	}

	/// The set is full and the last validator leaves: the search reads all of it.
	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let validators = fill::<T>(T::MaxValidators::get());
		let who = validators.last().cloned().ok_or(BenchmarkError::Weightless)?;
		let origin = origin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Validators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn set_min_validators() -> Result<(), BenchmarkError> {
		let max = T::MaxValidators::get();
		fill::<T>(max);
		let origin = origin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, max);

		assert_eq!(MinValidators::<T>::get(), max);
		Ok(())
	}

	/// A session boundary hands over a changed set of `v` validators.
	#[benchmark]
	fn new_session(v: Linear<1, { T::MaxValidators::get() }>) {
		fill::<T>(v);
		SetChanged::<T>::put(true);
		let handed;

		#[block]
		{
			handed = <Pallet<T> as pallet_session::SessionManager<T::AccountId>>::new_session(5);
		}

		assert_eq!(handed.map(|set| set.len() as u32), Some(v));
	}

	/// `n` offenders are reported in one call.
	#[benchmark]
	fn on_offence(n: Linear<1, { T::MaxValidators::get() }>) {
		let offenders: Vec<OffenceDetails<T::AccountId, (T::AccountId, ())>> = fill::<T>(n)
			.into_iter()
			.map(|validator| OffenceDetails { offender: (validator, ()), reporters: Vec::new() })
			.collect();
		let fractions: Vec<Perbill> = offenders.iter().map(|_| Perbill::from_percent(1)).collect();

		#[block]
		{
			let _ = <Pallet<T> as OnOffenceHandler<T::AccountId, (T::AccountId, ()), Weight>>::on_offence(
				&offenders, &fractions, 5,
			);
		}

		assert_eq!(frame_system::Pallet::<T>::events().len() as u32, n);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
