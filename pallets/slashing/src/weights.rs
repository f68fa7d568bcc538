//! PLACEHOLDER: regenerate with benchmarks/generate-weights.sh
//!
//! Weights for `pallet_warden_slashing`, in the shape the generator emits. The values
//! are placeholders until the script runs the benchmarks on the Warden runtime.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// The weight of each call and hook path of `pallet_warden_slashing`.
pub trait WeightInfo {
	fn dispute() -> Weight;
	fn veto() -> Weight;
	fn apply_slash() -> Weight;
	fn set_params() -> Weight;
	fn propose() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn on_initialize_apply() -> Weight;
	fn on_initialize_prune() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn dispute() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn veto() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(8))
	}
	fn apply_slash() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn set_params() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn propose() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn on_initialize_apply() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn on_initialize_prune() -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(2))
	}
}

/// The same measurements with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn dispute() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn veto() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn apply_slash() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn set_params() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn propose() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn on_initialize_apply() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
	fn on_initialize_prune() -> Weight {
		Weight::from_parts(10_000_000, 0)
	}
}
