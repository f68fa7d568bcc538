//! `wardend`: a channel party's daemon. See `wardend --help`.

use std::process::ExitCode;

use clap::Parser;
use warden_wallet::daemon::{self, Config};

fn main() -> ExitCode {
	let config = Config::parse();
	warden_daemon::exit::main(config.log_json, daemon::run(config))
}
