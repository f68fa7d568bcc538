//! The rewards pallet's tests, by topic.

mod claims;
mod distribution;
mod eras;
mod flat_hooks;
mod governance;
mod points;
mod proptest;
mod stake;
