//! `warden-operator`: the service operator's agent. See `warden-operator --help`.

use std::process::ExitCode;

use clap::Parser;
use warden_operator::daemon::{self, Config};

fn main() -> ExitCode {
	let config = Config::parse();
	warden_daemon::exit::main(config.log_json, daemon::run(config))
}
