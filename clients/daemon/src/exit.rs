//! The exit codes every Warden daemon uses, and the failure it stops with.

use warden_client::Error;

/// Stopped by a signal, after finishing the work in flight.
pub const OK: u8 = 0;
/// A fatal error while running.
pub const FATAL: u8 = 1;
/// Bad configuration: refused at start, before anything is sent.
pub const CONFIG: u8 = 2;
/// The node is unreachable at start.
pub const UNREACHABLE: u8 = 3;
/// The account can't act in the daemon's role: not registered (or unregistering) for a
/// monitor, not an operator for an operator agent.
pub const NOT_REGISTERED: u8 = 4;

/// Why a daemon stopped: an exit code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
	/// The exit code: one of this module's constants.
	pub code: u8,
	/// What happened.
	pub message: String,
}

impl Failure {
	/// A failure with `code` and `message`.
	pub fn new(code: u8, message: impl Into<String>) -> Self {
		Self { code, message: message.into() }
	}

	/// Bad configuration ([`CONFIG`]).
	pub fn config(message: impl Into<String>) -> Self {
		Self::new(CONFIG, message)
	}

	/// A fatal error while running ([`FATAL`]).
	pub fn fatal(message: impl Into<String>) -> Self {
		Self::new(FATAL, message)
	}

	/// A client error met while talking to the node: [`UNREACHABLE`] if the node didn't
	/// answer, [`FATAL`] otherwise.
	pub fn node(error: Error) -> Self {
		match error {
			Error::Unreachable { .. } | Error::Timeout(_) => {
				Self::new(UNREACHABLE, error.to_string())
			}
			other => Self::fatal(other.to_string()),
		}
	}
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.message)
	}
}

/// Runs a daemon's `main`: starts logging, builds a two-thread runtime, runs `daemon` and
/// turns its outcome into the process's exit code. The failure is printed once: as a JSON
/// log line with `log_json`, for log collectors, or as plain text for people.
pub fn main<F>(log_json: bool, daemon: F) -> std::process::ExitCode
where
	F: std::future::Future<Output = Result<(), Failure>>,
{
	crate::logging::init(log_json);
	let runtime =
		match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
			Ok(runtime) => runtime,
			Err(error) => {
				eprintln!("error: can't start the runtime: {error}");
				return std::process::ExitCode::from(FATAL);
			}
		};
	match runtime.block_on(daemon) {
		Ok(()) => std::process::ExitCode::from(OK),
		Err(failure) => {
			if log_json {
				tracing::error!(code = failure.code, "{}", failure.message);
			} else {
				eprintln!("error: {}", failure.message);
			}
			std::process::ExitCode::from(failure.code)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_node_that_does_not_answer_is_unreachable_anything_else_fatal() {
		let down = Failure::node(Error::Timeout("no answer".into()));
		assert_eq!(down.code, UNREACHABLE);
		let refused = Failure::node(Error::Input("bad".into()));
		assert_eq!(refused.code, FATAL);
		assert_eq!(Failure::config("no key").code, CONFIG);
		assert_eq!(Failure::config("no key").to_string(), "no key");
	}
}
