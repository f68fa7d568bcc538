//! The pallet's logic, one file per feature. Calls in `lib.rs` check the origin and hand
//! off to the `do_*` functions here.

mod delegation;
mod operator_bond;
mod operator_lifecycle;
mod params;
pub(crate) mod slashing;
pub(crate) mod unbonding;
