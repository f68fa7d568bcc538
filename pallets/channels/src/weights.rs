//! PLACEHOLDER: regenerate with benchmarks/generate-weights.sh
//!
//! Weights for `pallet_warden_channels`, in the shape `benchmarks/templates/pallet-weights.hbs`
//! generates. These values are placeholders until the script measures the real runtime.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// The weight of each call and hook path of `pallet_warden_channels`.
pub trait WeightInfo {
	fn open() -> Weight;
	fn top_up() -> Weight;
	fn close() -> Weight;
	fn update() -> Weight;
	fn cooperative_close() -> Weight;
	fn settle() -> Weight;
	fn set_params() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn on_initialize_settle() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn open() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn top_up() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn close() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn update() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn cooperative_close() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn settle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn set_params() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(0))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn on_initialize_settle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(7))
	}
}

/// The same measurements with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn open() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn top_up() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(3))
			.saturating_add(ParityDbWeight::get().writes(2))
	}
	fn close() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn update() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(2))
			.saturating_add(ParityDbWeight::get().writes(1))
	}
	fn cooperative_close() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn settle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(6))
			.saturating_add(ParityDbWeight::get().writes(6))
	}
	fn set_params() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(0))
			.saturating_add(ParityDbWeight::get().writes(1))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(2))
			.saturating_add(ParityDbWeight::get().writes(2))
	}
	fn on_initialize_settle() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(7))
			.saturating_add(ParityDbWeight::get().writes(7))
	}
}
