//! Running a job's program for one call: the call's arguments as JSON on its stdin, its
//! stdout the result. A non-zero exit, a timeout or output over the chain's limit is a
//! failure with a reason, never silence.

use std::{process::Stdio, time::Duration};

use serde::Serialize;
use tokio::{io::AsyncWriteExt, process::Command};

use crate::config::JobPolicy;

/// The services pallet's `MaxResultLen` on Warden's runtime; the agent reads the chain's own
/// at start ([`crate::limits::Limits`]).
pub const MAX_RESULT_LEN: usize = 1024;

/// What a program's stdin receives for a call.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CallInput {
	/// The service.
	pub service: u64,
	/// The call.
	pub call_id: u64,
	/// The job's index in the blueprint.
	pub job: u32,
	/// The call's arguments, as hex (`0x…`).
	pub args: String,
	/// The call's arguments as text, if they are UTF-8.
	pub args_text: Option<String>,
}

impl CallInput {
	/// The input for call `call_id` of job `job` in `service` with `args`.
	pub fn new(service: u64, call_id: u64, job: u32, args: &[u8]) -> Self {
		let hex: String = args.iter().map(|byte| format!("{byte:02x}")).collect();
		Self {
			service,
			call_id,
			job,
			args: format!("0x{hex}"),
			args_text: std::str::from_utf8(args).ok().map(str::to_owned),
		}
	}
}

/// A result to submit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
	/// The program's stdout.
	Success(Vec<u8>),
	/// Why there is no result: the program's exit and the tail of its stderr, a timeout, or
	/// output over the limit.
	Failure(Vec<u8>),
}

/// The last `max` bytes of `bytes`.
fn tail(bytes: &[u8], max: usize) -> &[u8] {
	&bytes[bytes.len().saturating_sub(max)..]
}

/// A failure saying `reason`, within `max_len` bytes.
fn failure(reason: String, max_len: usize) -> Outcome {
	let mut bytes = reason.into_bytes();
	bytes.truncate(max_len);
	Outcome::Failure(bytes)
}

/// Runs `job`'s program with `input` on its stdin for at most `timeout` (and the job's own
/// timeout if shorter), for a result of at most `max_len` bytes. The program is killed when
/// the time is up.
pub async fn run(job: &JobPolicy, input: &CallInput, timeout: Duration, max_len: usize) -> Outcome {
	let timeout = job.timeout.map_or(timeout, |own| own.min(timeout));
	let mut child = match Command::new(&job.program)
		.args(&job.args)
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.kill_on_drop(true)
		.spawn()
	{
		Ok(child) => child,
		Err(error) => {
			return failure(format!("can't start {}: {error}", job.program.display()), max_len);
		}
	};
	let json = serde_json::to_vec(input).unwrap_or_default();
	if let Some(mut stdin) = child.stdin.take() {
		// A program that doesn't read its input closes the pipe: that is its business.
		let _ = stdin.write_all(&json).await;
	}
	let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
		Ok(Ok(output)) => output,
		Ok(Err(error)) => {
			return failure(format!("{} failed: {error}", job.program.display()), max_len)
		}
		Err(_) => {
			return failure(format!("timed out after {} ms", timeout.as_millis()), max_len);
		}
	};
	if !output.status.success() {
		let stderr = String::from_utf8_lossy(tail(&output.stderr, max_len / 2));
		return failure(format!("{}: {}", output.status, stderr.trim()), max_len);
	}
	if output.stdout.len() > max_len {
		return failure(
			format!("the output of {} bytes is over the limit of {max_len}", output.stdout.len()),
			max_len,
		);
	}
	Outcome::Success(output.stdout)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::{path::PathBuf, time::Instant};

	fn shell(script: &str, timeout: Option<u64>) -> JobPolicy {
		JobPolicy {
			id: 0,
			program: PathBuf::from("/bin/sh"),
			args: vec!["-c".into(), script.into()],
			timeout: timeout.map(Duration::from_secs),
		}
	}

	fn input() -> CallInput {
		CallInput::new(3, 7, 0, b"BTC/USD")
	}

	#[tokio::test]
	async fn stdout_is_the_result_and_stdin_the_call() {
		let outcome =
			run(&shell("cat", None), &input(), Duration::from_secs(10), MAX_RESULT_LEN).await;
		let Outcome::Success(bytes) = outcome else { panic!("{outcome:?}") };
		let seen: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
		assert_eq!(seen["service"], 3);
		assert_eq!(seen["call_id"], 7);
		assert_eq!(seen["args"], "0x4254432f555344");
		assert_eq!(seen["args_text"], "BTC/USD");
	}

	#[tokio::test]
	async fn a_failing_program_is_a_failure_with_its_stderr() {
		let outcome = run(
			&shell("echo broken >&2; exit 3", None),
			&input(),
			Duration::from_secs(10),
			MAX_RESULT_LEN,
		)
		.await;
		let Outcome::Failure(bytes) = outcome else { panic!("{outcome:?}") };
		let text = String::from_utf8(bytes).unwrap();
		assert!(text.contains("exit status: 3") && text.contains("broken"), "{text}");
	}

	#[tokio::test]
	async fn a_slow_program_is_killed_at_the_timeout() {
		let started = Instant::now();
		let outcome =
			run(&shell("sleep 30", None), &input(), Duration::from_millis(300), MAX_RESULT_LEN)
				.await;
		assert!(started.elapsed() < Duration::from_secs(5));
		assert_eq!(outcome, Outcome::Failure(b"timed out after 300 ms".to_vec()));
		// The job's own timeout counts when shorter.
		let outcome =
			run(&shell("sleep 30", Some(1)), &input(), Duration::from_secs(60), MAX_RESULT_LEN)
				.await;
		assert_eq!(outcome, Outcome::Failure(b"timed out after 1000 ms".to_vec()));
	}

	#[tokio::test]
	async fn output_over_the_limit_and_a_missing_program_are_failures() {
		let outcome = run(
			&shell("head -c 2000 /dev/zero", None),
			&input(),
			Duration::from_secs(10),
			MAX_RESULT_LEN,
		)
		.await;
		let Outcome::Failure(bytes) = outcome else { panic!("{outcome:?}") };
		assert!(String::from_utf8(bytes).unwrap().contains("2000 bytes is over the limit"));
		let missing = JobPolicy {
			id: 0,
			program: PathBuf::from("/nonexistent/program"),
			args: vec![],
			timeout: None,
		};
		let Outcome::Failure(bytes) =
			run(&missing, &input(), Duration::from_secs(1), MAX_RESULT_LEN).await
		else {
			panic!("a missing program succeeded");
		};
		assert!(String::from_utf8(bytes).unwrap().contains("can't start"));
	}
}
