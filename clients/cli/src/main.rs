//! `warden`: one command-line tool for every Warden flow. See `warden --help`.

mod args;
mod blueprint;
mod channel;
mod cmd;
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

/// What exit code `code` means, as `--json` errors say it.
fn meaning(code: u8) -> &'static str {
	match code {
		exit::REFUSED => "refused: the chain or the node refused the call",
		exit::USAGE => "usage: bad input, nothing was sent",
		exit::UNREACHABLE => "unreachable: the node can't be reached, nothing was sent",
		exit::NO_WALLET => "no wardend answers, nothing was sent",
		_ => "failed",
	}
}

/// Reports `error` (on stderr, and with `--json` as one JSON object on stdout) and returns
/// its exit code.
fn fail(error: &Error, json: bool) -> ExitCode {
	let code = match error {
		Error::Input(_) => exit::USAGE,
		Error::Unreachable { .. } => exit::UNREACHABLE,
		Error::NoWallet { .. } => exit::NO_WALLET,
		_ => exit::REFUSED,
	};
	eprintln!("error: {error}");
	if json {
		// The same fields as wardend's JSON-RPC errors: `kind`, then what the kind has
		// (`pallet`, `error` and `docs` for a refusal by the chain).
		let mut object = warden_client::wallet::error_json(error)["data"].clone();
		object["message"] = serde_json::json!(error.to_string());
		let report = serde_json::json!({
			"error": object,
			"exit_code": code,
			"meaning": meaning(code),
		});
		output::Output { json: true, quiet: true }.value(&report);
	}
	ExitCode::from(code)
}

fn main() -> ExitCode {
	let json = std::env::args().any(|arg| arg == "--json");
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		// `--help` and `--version` print and exit 0; usage errors exit 2 (as JSON too with
		// `--json`).
		Err(error) if json && error.use_stderr() => {
			let text = error.render().to_string();
			let first = text.lines().next().unwrap_or_default().trim_start_matches("error: ");
			return fail(&Error::Input(first.to_string()), true);
		}
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
	let json = cli.global.json;
	let mut context = Context::new(cli.global);
	match runtime.block_on(commands::run(cli.command, &mut context)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => fail(&error, json),
	}
}
