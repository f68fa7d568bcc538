//! # Warden node
//!
//! Runs the Warden chain:
//! - `warden-node --dev`: a single-node development chain whose blocks are sealed
//!   locally (every `--sealing` milliseconds by default, or instantly on each
//!   transaction, or only on request through the `engine_createBlock` RPC);
//! - `warden-node --chain local --alice` (and `--bob`): a validator of the local
//!   testnet, authoring with Aura and finalizing with GRANDPA.
//!
//! Its database is ParityDB. Standard subcommands (`export-chain-spec`, `purge-chain`,
//! `check-block`, …) come from `sc-cli`; `benchmark pallet` is built in with the
//! `runtime-benchmarks` feature.

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are the node framework's own error types, returned
// once on the way out; their size does not matter here.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod new_spec;
mod rpc;
mod service;

fn main() -> std::process::ExitCode {
	match command::run() {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("Error: {error}");
			std::process::ExitCode::from(command::exit_code(&error))
		}
	}
}
