//! The pallet's logic, one file per feature. The calls in `lib.rs` check the origin and
//! hand over to the `do_*` functions here.

mod claims;
mod escrow;
mod monitor_update;
mod params;
mod registry;
mod slots;
