//! `warden-monitor`: Warden's monitoring service. See `warden-monitor --help` and the
//! crate's README.

use std::process::ExitCode;

use clap::Parser;
use warden_monitor::{config::Config, daemon};

fn main() -> ExitCode {
	let config = Config::parse();
	warden_daemon::exit::main(config.log_json, daemon::run(config))
}
