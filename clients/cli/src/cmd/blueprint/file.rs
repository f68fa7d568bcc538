//! Blueprint files: a blueprint's metadata, jobs and policy in TOML or JSON.
//!
//! ```toml
//! [metadata]
//! name = "echo"
//! description = "Operators answer each call with its arguments."
//! author = "Warden"
//! code_url = "https://example.com/warden/echo"
//!
//! [[jobs]]
//! name = "echo"
//! max_args_len = 256
//! result_deadline = 10      # blocks
//!
//! [policy]
//! min_operator_stake = "1000 WRD"
//! heartbeat_interval = 10   # blocks
//! missed_heartbeat_threshold = 3
//!
//! [policy.reporting]        # leave out for no reports at all
//! service_owner = true
//! blueprint_owner = true
//! service_operators = true
//! max_job_slash = "10%"
//! max_qos_slash = "1%"
//! ```

use std::path::Path;

use serde::Deserialize;
use warden_client::{
	api::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec,
		pallet_warden_services::types::{BlueprintMetadata, JobDefinition},
		sp_arithmetic::per_things::Perbill,
		warden_primitives::services::{BlueprintPolicy, Reporters, ReportingPolicy},
	},
	units, Error,
};

use crate::{context::bytes, parse::parse_perbill};

/// A blueprint file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlueprintFile {
	metadata: Metadata,
	jobs: Vec<Job>,
	policy: Policy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
	name: String,
	#[serde(default)]
	description: String,
	#[serde(default)]
	author: String,
	#[serde(default)]
	code_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Job {
	name: String,
	max_args_len: u32,
	result_deadline: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Policy {
	min_operator_stake: String,
	heartbeat_interval: u32,
	missed_heartbeat_threshold: u32,
	reporting: Option<Reporting>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reporting {
	#[serde(default)]
	service_owner: bool,
	#[serde(default)]
	blueprint_owner: bool,
	#[serde(default)]
	service_operators: bool,
	max_job_slash: String,
	max_qos_slash: String,
}

/// The arguments of `create_blueprint`.
pub type CallArgs = (BlueprintMetadata, BoundedVec<JobDefinition>, BlueprintPolicy<u128, u32>);

/// Reads a blueprint file: TOML, or JSON if it ends in `.json`.
pub fn load(path: &Path) -> Result<BlueprintFile, Error> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Error::Input(format!("can't read {}: {e}", path.display())))?;
	let bad = |e: String| Error::Input(format!("{} is not a blueprint file: {e}", path.display()));
	if path.extension().is_some_and(|ext| ext == "json") {
		serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
	} else {
		toml::from_str(&text).map_err(|e| bad(e.to_string()))
	}
}

impl BlueprintFile {
	/// The call arguments.
	pub fn into_call_args(self) -> Result<CallArgs, Error> {
		let metadata = BlueprintMetadata {
			name: bytes(self.metadata.name.into_bytes()),
			description: bytes(self.metadata.description.into_bytes()),
			author: bytes(self.metadata.author.into_bytes()),
			code_url: bytes(self.metadata.code_url.into_bytes()),
		};
		let jobs = self
			.jobs
			.into_iter()
			.map(|job| JobDefinition {
				name: bytes(job.name.into_bytes()),
				max_args_len: job.max_args_len,
				result_deadline: job.result_deadline,
			})
			.collect();
		let fraction = |text: &str| parse_perbill(text).map(Perbill).map_err(Error::Input);
		let reporting = match self.policy.reporting {
			Some(r) => Some(ReportingPolicy {
				reporters: Reporters {
					service_owner: r.service_owner,
					blueprint_owner: r.blueprint_owner,
					service_operators: r.service_operators,
				},
				max_job_slash: fraction(&r.max_job_slash)?,
				max_qos_slash: fraction(&r.max_qos_slash)?,
			}),
			None => None,
		};
		let policy = BlueprintPolicy {
			min_operator_stake: units::parse_amount(&self.policy.min_operator_stake)?,
			reporting,
			heartbeat_interval: self.policy.heartbeat_interval,
			missed_heartbeat_threshold: self.policy.missed_heartbeat_threshold,
		};
		Ok((metadata, BoundedVec(jobs), policy))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const EXAMPLE: &str = r#"
[metadata]
name = "echo"
description = "Operators answer each call with its arguments."

[[jobs]]
name = "echo"
max_args_len = 256
result_deadline = 10

[policy]
min_operator_stake = "1000 WRD"
heartbeat_interval = 10
missed_heartbeat_threshold = 3

[policy.reporting]
service_owner = true
max_job_slash = "10%"
max_qos_slash = "1%"
"#;

	#[test]
	fn a_blueprint_file_becomes_the_call_arguments() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("echo.toml");
		std::fs::write(&path, EXAMPLE).unwrap();
		let (metadata, jobs, policy) = load(&path).unwrap().into_call_args().unwrap();
		assert_eq!(metadata.name.0, b"echo".to_vec());
		assert_eq!(jobs.0.len(), 1);
		assert_eq!(policy.min_operator_stake, 1_000 * units::UNIT);
		let reporting = policy.reporting.unwrap();
		assert_eq!(reporting.max_job_slash.0, 100_000_000);
		assert!(reporting.reporters.service_owner && !reporting.reporters.blueprint_owner);
	}

	#[test]
	fn bad_blueprint_files_say_what_is_wrong() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("bad.toml");
		std::fs::write(&path, EXAMPLE.replace("heartbeat_interval", "heartbeat")).unwrap();
		let Err(Error::Input(message)) = load(&path) else { panic!("a bad file loaded") };
		assert!(message.contains("not a blueprint file"), "{message}");
		std::fs::write(&path, EXAMPLE.replace("1000 WRD", "lots")).unwrap();
		let Err(Error::Input(message)) = load(&path).unwrap().into_call_args() else {
			panic!("a bad amount passed")
		};
		assert!(message.contains("not an amount"), "{message}");
	}
}
