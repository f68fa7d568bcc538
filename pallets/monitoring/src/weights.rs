//! PLACEHOLDER: regenerate with benchmarks/generate-weights.sh
//!
//! Weights for `pallet_warden_monitoring`, in the shape `benchmarks/templates/pallet-weights.hbs`
//! generates. These values are placeholders until the script measures the real runtime.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// The weight of each call and hook path of `pallet_warden_monitoring`.
pub trait WeightInfo {
	fn register_monitor() -> Weight;
	fn renew_monitor() -> Weight;
	fn unregister_monitor() -> Weight;
	fn release_monitor_deposit() -> Weight;
	fn fund_monitoring() -> Weight;
	fn withdraw_escrow() -> Weight;
	fn monitor_update() -> Weight;
	fn claim_reward() -> Weight;
	fn set_params() -> Weight;
	fn on_channel_settled() -> Weight;
}

/// Measured weights, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_monitor() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn renew_monitor() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn unregister_monitor() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn release_monitor_deposit() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn fund_monitoring() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn withdraw_escrow() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn monitor_update() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn claim_reward() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn set_params() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(0))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn on_channel_settled() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

/// The same measurements with ParityDB's database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_monitor() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(3))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn renew_monitor() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(3))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn unregister_monitor() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(2))
			.saturating_add(ParityDbWeight::get().writes(1))
	}
	fn release_monitor_deposit() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(3))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn fund_monitoring() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(4))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn withdraw_escrow() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(3))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn monitor_update() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(6))
			.saturating_add(ParityDbWeight::get().writes(3))
	}
	fn claim_reward() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(5))
			.saturating_add(ParityDbWeight::get().writes(5))
	}
	fn set_params() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(0))
			.saturating_add(ParityDbWeight::get().writes(1))
	}
	fn on_channel_settled() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(1))
			.saturating_add(ParityDbWeight::get().writes(1))
	}
}
