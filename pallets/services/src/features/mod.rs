//! The pallet's logic, one file per capability. Each call in `lib.rs` checks its origin and
//! hands over to a `do_*` function here.
//!
//! - [`blueprints`]: creating, describing and deactivating blueprints;
//! - [`registration`]: operators registering for blueprints, with their instance limits;
//! - [`requests`]: requesting, updating, cancelling, rejecting and expiring requests;
//! - [`approval`]: approving requests and activating services;
//! - [`termination`]: terminating services and settling their escrow;
//! - [`params`]: the runtime parameters.

pub mod approval;
pub mod blueprints;
pub mod params;
pub mod registration;
pub mod requests;
pub mod termination;
