//! The pallet's logic, one file per capability. Each call in `lib.rs` checks its origin and
//! hands over to a `do_*` function here.
//!
//! - [`blueprints`]: creating, describing, deactivating and removing blueprints, with their
//!   deposits;
//! - [`registration`]: operators registering for blueprints, with their instance limits;
//! - [`requests`]: requesting, updating, cancelling, rejecting and expiring requests;
//! - [`approval`]: approving requests and activating services;
//! - [`termination`]: terminating services and settling their escrow;
//! - [`jobs`]: calling jobs, submitting results, closing calls;
//! - [`heartbeats`]: operators' heartbeats and their windows;
//! - [`statistics`]: per-era quality-of-service statistics, recorded for rewards too;
//! - [`reports`]: reports and missed-heartbeat reports into the slashing pallet;
//! - [`params`]: the runtime parameters.

pub mod approval;
pub mod blueprints;
pub mod heartbeats;
pub mod jobs;
pub mod params;
pub mod registration;
pub mod reports;
pub mod requests;
pub mod statistics;
pub mod termination;
