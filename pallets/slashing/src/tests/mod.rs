//! The slashing pallet's tests, by topic. Every test ends with `do_try_state`.

mod amounts;
mod apply;
mod dispute;
mod example;
mod inspect;
mod params;
mod propose;
mod proptest;
mod queue;
mod veto;
