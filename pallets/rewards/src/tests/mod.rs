//! The rewards pallet's tests, by topic.

mod claims;
mod distribution;
mod eras;
mod governance;
mod points;
mod proptest;
mod stake;
