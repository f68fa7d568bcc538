//! The pallet's tests, by topic. Each runs in [`ExtBuilder::build_and_execute`](crate::mock::ExtBuilder),
//! which checks every invariant afterwards.

mod api;
mod approval;
mod blueprints;
mod economics;
mod expiry;
mod flat_hooks;
mod heartbeats;
mod jobs;
mod params;
mod proptest;
mod registration;
mod reports;
mod requests;
mod scenario;
mod services;
mod statistics;
