//! PLACEHOLDER: regenerate with benchmarks/generate-weights.sh
//!
//! Weights for `pallet_warden_operators`, in the shape the generator emits. The values
//! are rough stand-ins until the script runs the benchmarks on the Warden runtime.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// The weight of each call and hook path of `pallet_warden_operators`.
pub trait WeightInfo {
	fn join_operators() -> Weight;
	fn go_offline() -> Weight;
	fn go_online() -> Weight;
	fn schedule_leave() -> Weight;
	fn cancel_leave() -> Weight;
	fn execute_leave() -> Weight;
	fn bond_more() -> Weight;
	fn schedule_bond_less() -> Weight;
	fn execute_bond_less() -> Weight;
	fn cancel_bond_less() -> Weight;
	fn delegate() -> Weight;
	fn schedule_undelegate() -> Weight;
	fn execute_undelegate() -> Weight;
	fn cancel_undelegate() -> Weight;
	fn set_params() -> Weight;
	fn slash() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn join_operators() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn go_offline() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn go_online() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn schedule_leave() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn cancel_leave() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn execute_leave() -> Weight {
		Weight::from_parts(200000000, 40000)
			.saturating_add(T::DbWeight::get().reads(70))
			.saturating_add(T::DbWeight::get().writes(70))
	}
	fn bond_more() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn schedule_bond_less() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn execute_bond_less() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn cancel_bond_less() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn delegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn schedule_undelegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn execute_undelegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn cancel_undelegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn set_params() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn slash() -> Weight {
		Weight::from_parts(250000000, 40000)
			.saturating_add(T::DbWeight::get().reads(70))
			.saturating_add(T::DbWeight::get().writes(70))
	}
}

/// The same measurements with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn join_operators() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn go_offline() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn go_online() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn schedule_leave() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn cancel_leave() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn execute_leave() -> Weight {
		Weight::from_parts(200000000, 40000)
			.saturating_add(ParityDbWeight::get().reads(70))
			.saturating_add(ParityDbWeight::get().writes(70))
	}
	fn bond_more() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn schedule_bond_less() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn execute_bond_less() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn cancel_bond_less() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn delegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn schedule_undelegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn execute_undelegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn cancel_undelegate() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn set_params() -> Weight {
		Weight::from_parts(20000000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(4))
	}
	fn slash() -> Weight {
		Weight::from_parts(250000000, 40000)
			.saturating_add(ParityDbWeight::get().reads(70))
			.saturating_add(ParityDbWeight::get().writes(70))
	}
}
