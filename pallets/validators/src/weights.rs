//! Weights for `pallet_warden_validators`: placeholder until `benchmarks/generate-weights.sh`
//! writes the measured ones.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each call and hook path of `pallet_warden_validators`.
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
	fn set_min_validators() -> Weight;
	fn new_session(v: u32) -> Weight;
	fn on_offence(n: u32) -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_validator() -> Weight {
		Weight::zero()
	}
	fn remove_validator() -> Weight {
		Weight::zero()
	}
	fn set_min_validators() -> Weight {
		Weight::zero()
	}
	fn new_session(_v: u32) -> Weight {
		Weight::zero()
	}
	fn on_offence(_n: u32) -> Weight {
		Weight::zero()
	}
}

impl WeightInfo for () {
	fn add_validator() -> Weight {
		Weight::zero()
	}
	fn remove_validator() -> Weight {
		Weight::zero()
	}
	fn set_min_validators() -> Weight {
		Weight::zero()
	}
	fn new_session(_v: u32) -> Weight {
		Weight::zero()
	}
	fn on_offence(_n: u32) -> Weight {
		Weight::zero()
	}
}
