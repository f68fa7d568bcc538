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

mod chain_spec;
mod cli;
mod command;
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
