//! `warden-monitor`: Warden's monitoring service. See `warden-monitor --help` and the
//! crate's README.

use std::process::ExitCode;

use clap::Parser;
use warden_monitor::{
	config::Config,
	daemon::{self, exit},
};

fn main() -> ExitCode {
	let config = Config::parse();
	let log_json = config.log_json;
	daemon::init_logging(log_json);
	let runtime =
		match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
			Ok(runtime) => runtime,
			Err(error) => {
				eprintln!("error: can't start the runtime: {error}");
				return ExitCode::from(exit::FATAL);
			}
		};
	match runtime.block_on(daemon::run(config)) {
		Ok(()) => ExitCode::from(exit::OK),
		Err(failure) => {
			// Once: as a JSON log line for log collectors, or as plain text for people.
			if log_json {
				tracing::error!(code = failure.code, "{}", failure.message);
			} else {
				eprintln!("error: {}", failure.message);
			}
			ExitCode::from(failure.code)
		}
	}
}
