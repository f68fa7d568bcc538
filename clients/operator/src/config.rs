//! The agent's configuration: a TOML file for the policy (per blueprint: what requests to
//! approve, the published terms, a program per job), and flags with `WARDEN_OPERATOR_*`
//! twins for where it runs (node, key, database). Everything is checked at start, before
//! the node is contacted: bad configuration exits with code 2.

use std::{
	collections::BTreeSet,
	path::{Path, PathBuf},
	time::Duration,
};

use serde::Deserialize;
use warden_client::{parse_account, units::parse_amount, AccountId32};

/// The policy file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
	/// The most fee one transaction may cost, e.g. `"0.5 WRD"`.
	max_fee: Option<String>,
	/// How many job programs may run at once.
	#[serde(default = "default_concurrency")]
	concurrency: usize,
	/// What each heartbeat reports.
	#[serde(default = "default_metrics")]
	heartbeat_metrics: String,
	/// One entry per blueprint the operator serves.
	#[serde(default, rename = "blueprint")]
	blueprints: Vec<BlueprintFile>,
}

fn default_concurrency() -> usize {
	4
}

fn default_metrics() -> String {
	"ok".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlueprintFile {
	id: u64,
	/// The longest service, in blocks, it approves.
	max_ttl: u32,
	/// The part of its stake it commits to each service, e.g. `"20%"`.
	exposure: String,
	/// The accounts whose requests it approves; everyone's if absent.
	requesters: Option<Vec<String>>,
	/// Its price per block, published with `update_registration` if it differs.
	price_per_block: Option<String>,
	/// Its most instances, published with `update_registration` if it differs.
	max_instances: Option<u32>,
	/// One entry per job of the blueprint.
	#[serde(default, rename = "job")]
	jobs: Vec<JobFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFile {
	id: u32,
	/// The program, run directly (no shell).
	program: PathBuf,
	#[serde(default)]
	args: Vec<String>,
	/// The most seconds it may run; it always ends before the call's deadline too.
	timeout_secs: Option<u64>,
}

/// The checked policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
	/// The most fee one transaction may cost, in planck.
	pub max_fee: Option<u128>,
	/// How many job programs may run at once (at least 1).
	pub concurrency: usize,
	/// What each heartbeat reports (checked against the chain's `MaxHeartbeatMetricsLen` at
	/// start).
	pub heartbeat_metrics: Vec<u8>,
	/// The blueprints served, by increasing id.
	pub blueprints: Vec<BlueprintPolicy>,
}

/// What the operator does for one blueprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlueprintPolicy {
	/// The blueprint.
	pub id: u64,
	/// The longest service it approves, in blocks.
	pub max_ttl: u32,
	/// The part of its stake it commits to each service, in percent (1 to 100).
	pub exposure: u8,
	/// The requesters it approves; everyone if `None`.
	pub requesters: Option<BTreeSet<AccountId32>>,
	/// Its price per block, in planck, to publish.
	pub price_per_block: Option<u128>,
	/// Its most instances, to publish.
	pub max_instances: Option<u32>,
	/// The program of each job, by increasing job id.
	pub jobs: Vec<JobPolicy>,
}

/// The program that answers one job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobPolicy {
	/// The job's index in the blueprint.
	pub id: u32,
	/// The program, run directly (no shell).
	pub program: PathBuf,
	/// Its arguments.
	pub args: Vec<String>,
	/// The most time it may run, if the file sets one.
	pub timeout: Option<Duration>,
}

impl BlueprintPolicy {
	/// The program of job `id`, if the policy has one.
	pub fn job(&self, id: u32) -> Option<&JobPolicy> {
		self.jobs.iter().find(|job| job.id == id)
	}

	/// Whether a request from `requester` for `ttl` blocks asking at least `min_exposure`
	/// percent meets the policy; if not, why.
	pub fn judge(&self, requester: &AccountId32, ttl: u32, min_exposure: u8) -> Result<(), String> {
		if ttl > self.max_ttl {
			return Err(format!("its ttl of {ttl} blocks is over the policy's {}", self.max_ttl));
		}
		if min_exposure > self.exposure {
			return Err(format!(
				"it asks for at least {min_exposure}% exposure, the policy commits {}%",
				self.exposure
			));
		}
		if let Some(permitted) = &self.requesters {
			if !permitted.contains(requester) {
				return Err(format!("{requester} is not a permitted requester"));
			}
		}
		Ok(())
	}
}

impl Policy {
	/// Reads and checks the policy file at `path`.
	pub fn load(path: &Path) -> Result<Self, String> {
		let text = std::fs::read_to_string(path)
			.map_err(|e| format!("can't read the policy file {}: {e}", path.display()))?;
		Self::parse(&text).map_err(|e| format!("the policy file {}: {e}", path.display()))
	}

	/// Parses and checks a policy.
	pub fn parse(text: &str) -> Result<Self, String> {
		let file: File = toml::from_str(text).map_err(|e| format!("invalid TOML: {e}"))?;
		if file.concurrency == 0 {
			return Err("concurrency must be at least 1".into());
		}
		let heartbeat_metrics = file.heartbeat_metrics.into_bytes();
		let max_fee = file
			.max_fee
			.as_deref()
			.map(parse_amount)
			.transpose()
			.map_err(|e| format!("max_fee: {e}"))?;
		if file.blueprints.is_empty() {
			return Err("no [[blueprint]]: the agent would serve nothing".into());
		}
		let mut blueprints = Vec::new();
		for bp in file.blueprints {
			blueprints.push(BlueprintPolicy::check(bp)?);
		}
		blueprints.sort_by_key(|bp| bp.id);
		if let Some(pair) = blueprints.windows(2).find(|pair| pair[0].id == pair[1].id) {
			return Err(format!("blueprint {} is configured twice", pair[0].id));
		}
		Ok(Self { max_fee, concurrency: file.concurrency, heartbeat_metrics, blueprints })
	}

	/// The policy for blueprint `id`, if the operator serves it.
	pub fn blueprint(&self, id: u64) -> Option<&BlueprintPolicy> {
		self.blueprints.iter().find(|bp| bp.id == id)
	}
}

impl BlueprintPolicy {
	fn check(file: BlueprintFile) -> Result<Self, String> {
		let id = file.id;
		let exposure =
			parse_percent(&file.exposure).map_err(|e| format!("blueprint {id}: exposure: {e}"))?;
		let requesters = file
			.requesters
			.map(|list| {
				list.iter()
					.map(|who| {
						parse_account(who)
							.map_err(|e| format!("blueprint {id}: requester {who}: {e}"))
					})
					.collect::<Result<BTreeSet<_>, _>>()
			})
			.transpose()?;
		let price_per_block = file
			.price_per_block
			.as_deref()
			.map(parse_amount)
			.transpose()
			.map_err(|e| format!("blueprint {id}: price_per_block: {e}"))?;
		if file.max_instances == Some(0) {
			return Err(format!("blueprint {id}: max_instances must be at least 1"));
		}
		if file.jobs.is_empty() {
			return Err(format!(
				"blueprint {id}: no [[blueprint.job]]: its calls would go unanswered"
			));
		}
		let mut jobs: Vec<JobPolicy> = file
			.jobs
			.into_iter()
			.map(|job| {
				if job.program.as_os_str().is_empty() {
					return Err(format!("blueprint {id}: job {}: the program is empty", job.id));
				}
				if job.timeout_secs == Some(0) {
					return Err(format!(
						"blueprint {id}: job {}: timeout_secs must be at least 1",
						job.id
					));
				}
				Ok(JobPolicy {
					id: job.id,
					program: job.program,
					args: job.args,
					timeout: job.timeout_secs.map(Duration::from_secs),
				})
			})
			.collect::<Result<_, _>>()?;
		jobs.sort_by_key(|job| job.id);
		if let Some(pair) = jobs.windows(2).find(|pair| pair[0].id == pair[1].id) {
			return Err(format!("blueprint {id}: job {} is configured twice", pair[0].id));
		}
		Ok(Self {
			id,
			max_ttl: file.max_ttl,
			exposure,
			requesters,
			price_per_block,
			max_instances: file.max_instances,
			jobs,
		})
	}
}

/// A percentage from `"20%"` or `"20"`: 1 to 100.
pub fn parse_percent(input: &str) -> Result<u8, String> {
	let digits = input.trim().trim_end_matches('%').trim();
	let value: u8 = digits.parse().map_err(|_| format!("`{input}` is not a whole percentage"))?;
	if value == 0 || value > 100 {
		return Err(format!("`{input}` is not between 1% and 100%"));
	}
	Ok(value)
}

#[cfg(test)]
mod tests {
	use super::*;

	const DEMO: &str = r#"
		max_fee = "0.5 WRD"
		concurrency = 2

		[[blueprint]]
		id = 0
		max_ttl = 1000
		exposure = "20%"
		requesters = ["charlie"]
		price_per_block = "0"
		max_instances = 4

		[[blueprint.job]]
		id = 0
		program = "/bin/cat"
		timeout_secs = 5
	"#;

	#[test]
	fn the_demo_policy_parses() {
		let policy = Policy::parse(DEMO).expect("valid");
		assert_eq!(policy.concurrency, 2);
		assert_eq!(policy.max_fee, Some(parse_amount("0.5 WRD").unwrap()));
		assert_eq!(policy.heartbeat_metrics, b"ok".to_vec());
		let bp = policy.blueprint(0).expect("blueprint 0");
		assert_eq!(bp.exposure, 20);
		assert_eq!(bp.job(0).unwrap().program, PathBuf::from("/bin/cat"));
		assert_eq!(bp.job(0).unwrap().timeout, Some(Duration::from_secs(5)));
		assert!(bp.job(1).is_none());
		let charlie = parse_account("charlie").unwrap();
		assert_eq!(bp.judge(&charlie, 1000, 20), Ok(()));
		assert!(bp.judge(&charlie, 1001, 1).unwrap_err().contains("ttl"));
		assert!(bp.judge(&charlie, 10, 21).unwrap_err().contains("exposure"));
		let dave = parse_account("dave").unwrap();
		assert!(bp.judge(&dave, 10, 1).unwrap_err().contains("not a permitted requester"));
	}

	#[test]
	fn bad_policies_are_refused_with_what_is_wrong() {
		let job = "[[blueprint.job]]\nid = 0\nprogram = \"/bin/cat\"\n";
		let bp = |extra: &str, jobs: &str| {
			format!("[[blueprint]]\nid = 0\nmax_ttl = 10\n{extra}\n{jobs}")
		};
		for (text, says) in [
			("not toml [".to_string(), "invalid TOML"),
			(String::new(), "no [[blueprint]]"),
			(bp("exposure = \"101%\"", job), "between 1% and 100%"),
			(bp("exposure = \"0\"", job), "between 1% and 100%"),
			(bp("exposure = \"lots\"", job), "not a whole percentage"),
			(bp("exposure = \"20%\"", ""), "no [[blueprint.job]]"),
			(bp("exposure = \"20%\"\nrequesters = [\"mallory\"]", job), "requester mallory"),
			(bp("exposure = \"20%\"\nmax_instances = 0", job), "max_instances"),
			(bp("exposure = \"20%\"\ncolour = \"blue\"", job), "unknown field"),
			(
				format!("{}\n{}", bp("exposure = \"20%\"", job), bp("exposure = \"20%\"", job)),
				"configured twice",
			),
			(bp("exposure = \"20%\"", &format!("{job}{job}")), "job 0 is configured twice"),
			(format!("concurrency = 0\n{}", bp("exposure = \"20%\"", job)), "concurrency"),
		] {
			let error = Policy::parse(&text).expect_err(&text);
			assert!(error.contains(says), "{text:?}: {error}");
		}
	}
}
