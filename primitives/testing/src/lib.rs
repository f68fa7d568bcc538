//! # warden-testing
//!
//! The few helpers every Warden pallet's mock runtime and benchmarks would otherwise write
//! again: the hook budget mocks give their per-block work, the externalities the
//! benchmark test suites start from, and the block benchmarked code runs in.
//!
//! A pallet depends on it as a dev-dependency for its mock, and optionally (under
//! `runtime-benchmarks`) for its benchmarks; the runtime never does.

#![cfg_attr(not(feature = "std"), no_std)]

use frame_support::weights::Weight;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Zero};

/// What a mock lets a pallet's `on_initialize` spend: a tenth of a 2-second block's
/// ref time, as the runtime gives the services and slashing hooks, with no proof-size
/// limit.
pub const HOOK_BUDGET: Weight = Weight::from_parts(200_000_000_000, u64::MAX);

/// The block the benchmarked code of a benchmark runs in.
///
/// The benchmarking CLI runs a benchmark's setup at genesis (block 0) and moves to block 1
/// just before the measured code, so a setup that keys storage by the current block (a
/// queue entry due `now + delay`, say) moves there first and keys it by this block.
pub fn block_of_measured_code<T: frame_system::Config>() -> BlockNumberFor<T> {
	if frame_system::Pallet::<T>::block_number().is_zero() {
		frame_system::Pallet::<T>::set_block_number(One::one());
	}
	frame_system::Pallet::<T>::block_number()
}

/// `ext` moved back to block 0, where the benchmarking CLI runs a benchmark's setup: the
/// externalities a pallet's benchmark test suite starts from, so a benchmark that only
/// works at block 1 fails in `cargo test` rather than on the real runtime.
///
/// The state is committed, as the CLI's genesis is: the test suite wipes what a benchmark
/// wrote after each run, which must not take the genesis with it.
#[cfg(feature = "std")]
pub fn at_genesis<T: frame_system::Config>(
	mut ext: sp_io::TestExternalities,
) -> sp_io::TestExternalities {
	ext.execute_with(|| frame_system::Pallet::<T>::set_block_number(Zero::zero()));
	ext.commit_all().expect("the test state commits");
	ext
}
