//! Tests of the operators pallet, by topic. Every test runs through
//! [`crate::mock::ExtBuilder::build_and_execute`], which checks the pallet's invariants and
//! the stake observer afterwards.

mod bond;
mod delegation;
mod genesis;
mod lifecycle;
mod params;
mod proptest;
mod registry;
mod selection;
mod slash;
