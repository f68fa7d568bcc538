//! PLACEHOLDER: regenerate with benchmarks/generate-weights.sh
//!
//! Weights for `pallet_warden_services`, in the shape the generator emits. The values are
//! rough placeholders until the benchmarks are run on the Warden runtime.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// The weight of each call and hook path of `pallet_warden_services`.
pub trait WeightInfo {
	fn create_blueprint() -> Weight;
	fn update_blueprint_metadata() -> Weight;
	fn deactivate_blueprint() -> Weight;
	fn register() -> Weight;
	fn update_registration() -> Weight;
	fn unregister() -> Weight;
	fn request() -> Weight;
	fn update_request() -> Weight;
	fn cancel_request() -> Weight;
	fn approve() -> Weight;
	fn reject() -> Weight;
	fn expire_request() -> Weight;
	fn terminate() -> Weight;
	fn terminate_expired() -> Weight;
	fn set_params() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn on_initialize_expire_request() -> Weight;
	fn on_initialize_end_service() -> Weight;
	fn call() -> Weight;
	fn submit_result() -> Weight;
	fn close_call() -> Weight;
	fn heartbeat() -> Weight;
	fn report() -> Weight;
	fn report_missed_heartbeats() -> Weight;
	fn on_initialize_close_call() -> Weight;
	fn on_initialize_prune_stats() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_blueprint() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn update_blueprint_metadata() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn deactivate_blueprint() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn register() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn update_registration() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn unregister() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn request() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn update_request() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn approve() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn expire_request() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn terminate() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn terminate_expired() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn set_params() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn on_initialize_expire_request() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn on_initialize_end_service() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn call() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn submit_result() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn close_call() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn heartbeat() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn report() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn report_missed_heartbeats() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn on_initialize_close_call() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn on_initialize_prune_stats() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
}

/// The same measurements with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn create_blueprint() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn update_blueprint_metadata() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn deactivate_blueprint() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn register() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn update_registration() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn unregister() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn request() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn update_request() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn approve() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn reject() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn expire_request() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn terminate() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn terminate_expired() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn set_params() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn on_initialize_expire_request() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn on_initialize_end_service() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn call() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn submit_result() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn close_call() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn heartbeat() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn report() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn report_missed_heartbeats() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn on_initialize_close_call() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
	fn on_initialize_prune_stats() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
	}
}
