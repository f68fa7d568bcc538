#![doc = include_str!("../README.md")]

mod cmd;
mod context;
mod global;
mod output;
mod parse;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use warden_client::Error;

use crate::{cmd::Command, context::Context, global::Global};

/// `warden`: operate, delegate, buy services, report, collect rewards and monitor channels
/// on a Warden chain.
///
/// Every command that changes the chain signs with the key of `--suri` (or `--key-file`)
/// and waits for finalization unless `--wait` says otherwise; progress goes to stderr, the
/// result to stdout (a table, or JSON with `--json`). Exit codes: 0 success, 1 the chain
/// refused (the error and its documentation are printed), 2 bad usage or input, 3 the node
/// can't be reached, 4 no `wardend` answers (`channel` and `wallet` commands). With
/// `--json`, failures are JSON on stdout too.
#[derive(Debug, Parser)]
#[command(
	name = "warden",
	version,
	propagate_version = true,
	max_term_width = 100,
	after_help = "Amounts: 1.5, 1.5WRD or 1500000000000planck (a bare number is WRD, 12 \
	              decimals). Percentages: 50 or 50%. Accounts: SS58, 0x and 32 bytes, or a \
	              development name (alice … ferdie)."
)]
struct Cli {
	#[command(flatten)]
	global: Global,

	#[command(subcommand)]
	command: Command,
}

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
		exit::REFUSED => {
			"refused: the chain or the node refused the call, or a check before sending did"
		}
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
	match runtime.block_on(cmd::run(cli.command, &mut context)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => fail(&error, json),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::cmd::{channel::ChannelCmd, service::ServiceCmd};

	#[test]
	fn the_command_line_is_consistent() {
		use clap::CommandFactory;
		Cli::command().debug_assert();
	}

	#[test]
	fn command_lines_parse_into_their_values() {
		let parse = |line: &str| {
			Cli::try_parse_from(std::iter::once("warden").chain(line.split(' ')))
				.unwrap_or_else(|e| panic!("{line}: {e}"))
				.command
		};
		let Command::Service(ServiceCmd::Call { service: 3, job: 0, args }) =
			parse("service call 3 0 ping")
		else {
			panic!("a call")
		};
		assert_eq!(args, b"ping");
		let Command::Channel(ChannelCmd::Pay { channel: 3, amount }) = parse("channel pay 3 1.5")
		else {
			panic!("a payment")
		};
		assert_eq!(amount, 1_500_000_000_000);
		let Command::Channel(ChannelCmd::Receive { proof }) = parse("channel receive @proof.json")
		else {
			panic!("a proof")
		};
		assert_eq!(proof, "@proof.json");
		let Command::Service(ServiceCmd::Result { output, failure: true, .. }) =
			parse("service result 3 1 0x0102 --failure")
		else {
			panic!("a result")
		};
		assert_eq!(output, vec![1, 2]);
		let Command::Service(ServiceCmd::Heartbeat { metrics, .. }) =
			parse("service heartbeat 3 --metrics ok")
		else {
			panic!("a heartbeat")
		};
		assert_eq!(metrics, b"ok");
		let Command::Report(report) =
			parse("report 3 eve --job-call 1 --fraction 10% --evidence wrong")
		else {
			panic!("a report")
		};
		assert_eq!((report.evidence, report.fraction), (b"wrong".to_vec(), 100_000_000));
		let Command::Service(ServiceCmd::Request(terms)) = parse(
			"service request --blueprint 0 --operator eve --operator bob --ttl 5 --payment 1.5",
		) else {
			panic!("a request")
		};
		assert_eq!(terms.operators.len(), 2);
		assert_eq!(terms.payment, 1_500_000_000_000);
	}
}
