//! The channels pallet's tests, by topic.

mod closing;
mod opening;
mod params;
mod proptest;
mod runtime_api;
mod settlement;
