//! The benchmark's accounts and the chain spec that funds them: the development chain's
//! spec (`warden-node build-spec --dev`), patched so that every sender is endowed, every
//! operator is bonded and registered for the demo blueprint, and the windows a scenario
//! must finish in (request expiry, challenge period) outlast its setup.

use std::{path::Path, process::Command};

use serde_json::{json, Value};
use warden_client::{AccountId32, Keypair, Scheme};

/// 1 WRD in planck.
pub const UNIT: u128 = 1_000_000_000_000;

/// What every load account is endowed with: 100,000 WRD.
pub const ENDOWMENT: u128 = 100_000 * UNIT;

/// An operator's bond: 2,000 WRD, above the development chain's minimum of 1,000.
pub const OPERATOR_BOND: u128 = 2_000 * UNIT;

/// The demo blueprint of the development genesis: job 0 (`echo`) has a result deadline of
/// 10 blocks, and its heartbeat interval is 10 blocks.
pub const BLUEPRINT: u64 = 0;

/// How many of each thing a run makes.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Sizes {
	/// Accounts sending transfers.
	pub senders: usize,
	/// Transfers in the `transfer` scenario.
	pub transfers: usize,
	/// Services of the `submit_result` scenario: one operator and one owner each.
	pub job_services: usize,
	/// Calls per service in the `submit_result` scenario (at most the runtime's open
	/// calls per service, 16).
	pub calls_per_service: usize,
	/// Groups of heartbeat operators: each group serves its own services together.
	pub heartbeat_groups: usize,
	/// Operators per heartbeat service (at most 16).
	pub heartbeat_operators_per_service: usize,
	/// Services per heartbeat group (at most 32: an operator's instance limit).
	pub heartbeat_services_per_group: usize,
	/// Channels closing, each with its own monitor, in the `monitor_update` scenario.
	pub channels: usize,
	/// Monitor updates per channel, each with a higher nonce.
	pub updates_per_channel: usize,
	/// The `mix` scenario's transfers; it adds one heartbeat per operator and service and
	/// this many monitor updates per channel.
	pub mix_transfers: usize,
	/// The `mix` scenario's monitor updates per channel.
	pub mix_updates_per_channel: usize,
}

impl Sizes {
	/// The full run: each scenario several blocks' worth of its transactions.
	pub const FULL: Sizes = Sizes {
		senders: 256,
		transfers: 12_288,
		job_services: 512,
		calls_per_service: 16,
		heartbeat_groups: 8,
		heartbeat_operators_per_service: 16,
		heartbeat_services_per_group: 32,
		channels: 16,
		updates_per_channel: 384,
		mix_transfers: 4_096,
		mix_updates_per_channel: 128,
	};

	/// The smoke test: every scenario, at most 200 transactions in all.
	pub const QUICK: Sizes = Sizes {
		senders: 4,
		transfers: 40,
		job_services: 2,
		calls_per_service: 5,
		heartbeat_groups: 1,
		heartbeat_operators_per_service: 2,
		heartbeat_services_per_group: 2,
		channels: 2,
		updates_per_channel: 10,
		mix_transfers: 12,
		mix_updates_per_channel: 4,
	};

	/// Heartbeat operators in all.
	pub fn heartbeat_operators(&self) -> usize {
		self.heartbeat_groups * self.heartbeat_operators_per_service
	}

	/// Heartbeat services in all.
	pub fn heartbeat_services(&self) -> usize {
		self.heartbeat_groups * self.heartbeat_services_per_group
	}

	/// Refuses sizes the runtime's limits don't allow.
	pub fn check(&self) -> Result<(), String> {
		let limit = |what: &str, value: usize, max: usize| {
			if value == 0 || value > max {
				Err(format!("{what} must be between 1 and {max}, not {value}"))
			} else {
				Ok(())
			}
		};
		limit("--senders", self.senders, 100_000)?;
		limit("--calls-per-service", self.calls_per_service, 16)?;
		limit("--heartbeat-operators-per-service", self.heartbeat_operators_per_service, 16)?;
		limit("--heartbeat-services-per-group", self.heartbeat_services_per_group, 32)?;
		limit("--job-services", self.job_services, 10_000)?;
		limit("--heartbeat-groups", self.heartbeat_groups, 1_000)?;
		limit("--channels", self.channels, 10_000)?;
		Ok(())
	}
}

/// Every key the benchmark signs with, derived from `//load/<role>/<index>`.
pub struct Accounts {
	/// Transfer senders.
	pub senders: Vec<Keypair>,
	/// Where transfers go.
	pub sink: Keypair,
	/// The operator of each job service.
	pub job_operators: Vec<Keypair>,
	/// The owner (caller) of each job service.
	pub job_owners: Vec<Keypair>,
	/// Heartbeat operators, group by group.
	pub heartbeat_operators: Vec<Keypair>,
	/// The owner of each heartbeat service.
	pub heartbeat_owners: Vec<Keypair>,
	/// Each channel's sender.
	pub channel_senders: Vec<Keypair>,
	/// Each channel's receiver, which funds its escrow and authorizes its monitor.
	pub channel_receivers: Vec<Keypair>,
	/// Each channel's monitor.
	pub monitors: Vec<Keypair>,
	/// Closes job calls whose deadline passed (anyone may).
	pub closer: Keypair,
}

fn key(role: &str, index: usize) -> Keypair {
	Keypair::from_suri(&format!("//load/{role}/{index}"), Scheme::Sr25519)
		.expect("a derivation path is a valid secret URI")
}

fn keys(role: &str, count: usize) -> Vec<Keypair> {
	(0..count).map(|i| key(role, i)).collect()
}

impl Accounts {
	/// The keys for `sizes`.
	pub fn new(sizes: &Sizes) -> Self {
		Accounts {
			senders: keys("sender", sizes.senders),
			sink: key("sink", 0),
			job_operators: keys("job-operator", sizes.job_services),
			job_owners: keys("job-owner", sizes.job_services),
			heartbeat_operators: keys("heartbeat-operator", sizes.heartbeat_operators()),
			heartbeat_owners: keys("heartbeat-owner", sizes.heartbeat_services()),
			channel_senders: keys("channel-sender", sizes.channels),
			channel_receivers: keys("channel-receiver", sizes.channels),
			monitors: keys("monitor", sizes.channels),
			closer: key("closer", 0),
		}
	}

	/// Every operator: the job operators, then the heartbeat operators.
	pub fn operators(&self) -> impl Iterator<Item = &Keypair> {
		self.job_operators.iter().chain(&self.heartbeat_operators)
	}

	/// Every account the genesis endows.
	pub fn all(&self) -> impl Iterator<Item = &Keypair> {
		self.senders
			.iter()
			.chain(self.operators())
			.chain(&self.job_owners)
			.chain(&self.heartbeat_owners)
			.chain(&self.channel_senders)
			.chain(&self.channel_receivers)
			.chain(&self.monitors)
			.chain([&self.closer])
	}
}

fn ss58(account: &AccountId32) -> String {
	account.to_string()
}

/// Patches the genesis of a development chain spec (as `build-spec --dev` prints it) for
/// `accounts`.
pub fn patch(spec: &mut Value, accounts: &Accounts) -> Result<(), String> {
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.ok_or("the chain spec has no genesis patch (/genesis/runtimeGenesis/patch)")?;
	let array = |value: &mut Value, pointer: &str| -> Result<Vec<Value>, String> {
		match value.pointer_mut(pointer) {
			Some(Value::Array(items)) => Ok(std::mem::take(items)),
			_ => Err(format!("the genesis patch has no {pointer} list")),
		}
	};

	let mut balances = array(patch, "/balances/balances")?;
	balances.extend(accounts.all().map(|key| json!([ss58(&key.account_id()), ENDOWMENT])));
	patch["balances"]["balances"] = Value::Array(balances);

	let mut operators = array(patch, "/operators/operators")?;
	operators
		.extend(accounts.operators().map(|key| json!([ss58(&key.account_id()), OPERATOR_BOND])));
	patch["operators"]["operators"] = Value::Array(operators);

	let mut registrations = array(patch, "/services/registrations")?;
	registrations.extend(accounts.operators().enumerate().map(|(i, key)| {
		let mut operator_key = [0u8; 32];
		operator_key[..8].copy_from_slice(&(i as u64 + 1_000).to_le_bytes());
		json!([
			ss58(&key.account_id()),
			BLUEPRINT,
			{
				"max_instances": 32,
				"operator_key": operator_key,
				"price_per_block": 0,
				"rpc_address": b"ws://127.0.0.1:1".to_vec(),
			}
		])
	}));
	patch["services"]["registrations"] = Value::Array(registrations);

	// Windows long enough that no request expires and no challenge period ends while the
	// benchmark sets up and runs, however slowly blocks come.
	patch["services"]["params"]["request_expiry"] = json!(10_000);
	patch["channels"]["params"]["challenge_period"] = json!(10_000);
	Ok(())
}

/// Writes the patched development chain spec for `accounts` to `path`, from `node`'s
/// `build-spec --dev`; with `runtime`, the chain runs that wasm blob instead of the one
/// `node` embeds.
pub fn write(
	node: &Path,
	path: &Path,
	accounts: &Accounts,
	runtime: Option<&Path>,
) -> Result<(), String> {
	let output = Command::new(node)
		.args(["build-spec", "--dev"])
		.output()
		.map_err(|e| format!("can't run {} build-spec: {e}", node.display()))?;
	if !output.status.success() {
		return Err(format!(
			"{} build-spec --dev failed: {}",
			node.display(),
			String::from_utf8_lossy(&output.stderr)
		));
	}
	let mut spec: Value = serde_json::from_slice(&output.stdout)
		.map_err(|e| format!("build-spec printed no JSON: {e}"))?;
	patch(&mut spec, accounts)?;
	if let Some(runtime) = runtime {
		let code = std::fs::read(runtime)
			.map_err(|e| format!("can't read the runtime {}: {e}", runtime.display()))?;
		let slot = spec
			.pointer_mut("/genesis/runtimeGenesis/code")
			.ok_or("the chain spec has no genesis code (/genesis/runtimeGenesis/code)")?;
		*slot = Value::String(format!("0x{}", hex::encode(code)));
	}
	let text = serde_json::to_vec(&spec).map_err(|e| e.to_string())?;
	std::fs::write(path, text).map_err(|e| format!("can't write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn quick_sizes_stay_within_200_transactions() {
		let s = Sizes::QUICK;
		let setup = 2 * s.job_services // request, approve
			+ s.heartbeat_services() * (1 + s.heartbeat_operators_per_service)
			+ 4 * s.channels; // open, fund, register, close
		let measured = s.transfers
			+ 2 * s.job_services * s.calls_per_service // calls and results (the hook closes)
			+ s.heartbeat_services() * s.heartbeat_operators_per_service * 2 // alone and in the mix
			+ s.channels * s.updates_per_channel
			+ s.mix_transfers
			+ s.channels * s.mix_updates_per_channel;
		assert!(setup + measured <= 200, "{setup} + {measured}");
		assert!(s.check().is_ok() && Sizes::FULL.check().is_ok());
	}

	#[test]
	fn the_patch_endows_bonds_and_registers_every_account() {
		let sizes = Sizes::QUICK;
		let accounts = Accounts::new(&sizes);
		let mut spec = json!({"genesis": {"runtimeGenesis": {"patch": {
			"balances": {"balances": [["alice", 1]]},
			"operators": {"operators": []},
			"services": {"registrations": [], "params": {"request_expiry": 20}},
			"channels": {"params": {"challenge_period": 20}},
		}}}});
		patch(&mut spec, &accounts).unwrap();
		let genesis = &spec["genesis"]["runtimeGenesis"]["patch"];
		let len = |pointer: &str| genesis.pointer(pointer).and_then(Value::as_array).map(Vec::len);
		assert_eq!(len("/balances/balances"), Some(1 + accounts.all().count()));
		let operators = sizes.job_services + sizes.heartbeat_operators();
		assert_eq!(len("/operators/operators"), Some(operators));
		assert_eq!(len("/services/registrations"), Some(operators));
		assert_eq!(genesis["services"]["params"]["request_expiry"], 10_000);
		assert!(patch(&mut json!({}), &accounts).is_err());
	}
}
