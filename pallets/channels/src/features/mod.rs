//! The pallet's logic, one file per feature. The calls in `lib.rs` check the origin and
//! hand over to the `do_*` functions here.

mod channel_update;
mod closing;
mod funding;
mod params;
mod settlement;
mod signatures;
