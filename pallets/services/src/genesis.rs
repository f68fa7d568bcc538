//! Building the genesis state: parameters, blueprints (their deposits held from their
//! owners, who must be funded by the balances genesis) and registrations.
//!
//! Registrations are built without asking the operators pallet about the operator's state
//! or stake, so the order in which the runtime builds the two pallets doesn't matter. The
//! genesis of the operators pallet is expected to make them Active operators.

use alloc::vec::Vec;
use frame_support::{traits::Get, BoundedVec};
use warden_primitives::{BlueprintMetadataInfo, JobInfo};

use frame_system::pallet_prelude::BlockNumberFor;

use crate::*;

fn bounded<S: Get<u32>>(bytes: &[u8], what: &str) -> BoundedVec<u8, S> {
	BoundedVec::try_from(bytes.to_vec())
		.unwrap_or_else(|_| panic!("genesis: {what} longer than its bound"))
}

fn metadata<T: Config>(info: &BlueprintMetadataInfo) -> BlueprintMetadata<T> {
	BlueprintMetadata {
		name: bounded(&info.name, "blueprint name"),
		description: bounded(&info.description, "blueprint description"),
		author: bounded(&info.author, "blueprint author"),
		code_url: bounded(&info.code_url, "blueprint code URL"),
	}
}

fn jobs<T: Config>(infos: &[JobInfo<BlockNumberFor<T>>]) -> JobsOf<T> {
	let jobs: Vec<JobDefinition<T>> = infos
		.iter()
		.map(|job| JobDefinition {
			name: bounded(&job.name, "job name"),
			max_args_len: job.max_args_len,
			result_deadline: job.result_deadline,
		})
		.collect();
	BoundedVec::try_from(jobs).unwrap_or_else(|_| panic!("genesis: more than MaxJobs jobs"))
}

/// Builds the genesis state. Panics on an invalid configuration, so a bad chain spec is
/// caught before the chain starts.
pub(crate) fn build<T: Config>(config: &GenesisConfig<T>) {
	Pallet::<T>::ensure_valid_params(&config.params)
		.unwrap_or_else(|e| panic!("genesis: invalid services params: {e:?}"));
	Params::<T>::put(config.params);
	// A chain that starts late doesn't walk its empty history.
	let now = frame_system::Pallet::<T>::block_number();
	ExpirySchedule::<T>::start_at(now);
	ServiceEndSchedule::<T>::start_at(now);
	CallDeadlineSchedule::<T>::start_at(now);
	EndedServiceSchedule::<T>::start_at(now);

	for (owner, info, job_infos, policy) in &config.blueprints {
		Pallet::<T>::do_create_blueprint(
			owner.clone(),
			metadata::<T>(info),
			jobs::<T>(job_infos),
			*policy,
		)
		.unwrap_or_else(|e| panic!("genesis: invalid blueprint: {e:?}"));
	}

	for (operator, blueprint, prefs) in &config.registrations {
		assert!(
			Blueprints::<T>::contains_key(blueprint),
			"genesis: registration for a missing blueprint"
		);
		assert!(
			!Registrations::<T>::contains_key(operator, blueprint),
			"genesis: duplicate registration"
		);
		assert!(prefs.max_instances >= 1, "genesis: registration with zero max_instances");
		assert!(
			prefs.max_instances <= T::MaxInstancesPerRegistration::get(),
			"genesis: registration with more than MaxInstancesPerRegistration instances"
		);
		let count = RegistrationCount::<T>::get(operator);
		assert!(
			count < T::MaxBlueprintsPerOperator::get(),
			"genesis: more than MaxBlueprintsPerOperator registrations"
		);
		Registrations::<T>::insert(
			operator,
			blueprint,
			Registration::new(
				OperatorPreferences {
					operator_key: prefs.operator_key,
					rpc_address: bounded(&prefs.rpc_address, "rpc address"),
					max_instances: prefs.max_instances,
					price_per_block: prefs.price_per_block,
				},
				now,
			),
		);
		RegistrationCount::<T>::insert(operator, count.saturating_add(1));
		Pallet::<T>::blueprint_used(
			*blueprint,
			crate::features::blueprints::BlueprintUse::Registration,
		);
	}
}
