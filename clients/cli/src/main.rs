//! `warden`: one command-line tool for every Warden flow. See `warden --help`.

mod args;
mod blueprint;
mod channel;
mod commands;
mod output;
mod params;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use warden_client::Error;

use crate::{
	args::{Cli, Command},
	commands::Context,
};

/// Exit codes.
mod exit {
	/// The chain refused the call, or the node reported an error.
	pub const REFUSED: u8 = 1;
	/// Bad usage or input.
	pub const USAGE: u8 = 2;
	/// The node can't be reached.
	pub const UNREACHABLE: u8 = 3;
	/// No `wardend` answers (the `channel` and `wallet` commands).
	pub const NO_WALLET: u8 = 4;
}

fn main() -> ExitCode {
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		// `--help` and `--version` print and exit 0; usage errors exit 2.
		Err(error) => error.exit(),
	};
	if let Command::Completions { shell } = cli.command {
		clap_complete::generate(shell, &mut Cli::command(), "warden", &mut std::io::stdout());
		return ExitCode::SUCCESS;
	}
	let runtime =
		match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
			Ok(runtime) => runtime,
			Err(e) => {
				eprintln!("error: can't start: {e}");
				return ExitCode::from(exit::REFUSED);
			}
		};
	let mut context = Context::new(cli.global);
	match runtime.block_on(commands::run(cli.command, &mut context)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::from(match error {
				Error::Input(_) => exit::USAGE,
				Error::Unreachable { .. } => exit::UNREACHABLE,
				Error::NoWallet { .. } => exit::NO_WALLET,
				_ => exit::REFUSED,
			})
		}
	}
}
