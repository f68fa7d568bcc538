//! End-to-end tests: a real `warden-node` process driven through subxt and its CLI.
//!
//! Built as an integration test of the `warden-node` package so that Cargo builds the
//! node binary first and hands its path over in `CARGO_BIN_EXE_warden-node`.
//!
//! - [`chain`]: a dev node produces blocks, includes a signed transfer, keeps its state
//!   across a restart and survives a malformed extrinsic;
//! - [`cli`]: subcommands and bad input;
//! - [`flows`]: an operator and a customer run a service through Warden's extrinsics;
//! - [`network`]: validators join, leave, stop and restart on a multi-node network.

mod chain;
mod cli;
mod flows;
mod network;

/// The node binary under test.
pub const NODE: &str = env!("CARGO_BIN_EXE_warden-node");
