//! `warden-node new-chain-spec`: a chain spec for a network of one's own validators, from
//! the `local_testnet` preset with the validators (accounts and their Aura and GRANDPA
//! keys), the sudo key, the committee and the endowed accounts given on the command line
//! or in a TOML file. A spec naming a well-known development key is refused unless
//! `--allow-dev-keys`: anyone can sign with those.

use std::path::PathBuf;

use sc_service::ChainType;
use serde::Deserialize;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, ed25519, sr25519};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::chain_spec::{self, ChainSpec};

/// Writes a chain spec for a network of your own validators.
///
/// Starts from the `local_testnet` preset and replaces its validators, session keys, sudo
/// key, committee and balances with those given, by flags or in `--config` (flags add to
/// the file's lists and override its values):
///
/// ```toml
/// name = "My Warden"            # optional: "Warden"
/// id = "my_warden"              # optional: "warden"
/// sudo = "5G…"
/// committee = ["5G…", "5F…"]
/// session_length = 600          # blocks; optional
/// min_validators = 2            # optional: the number of validators
/// slot_duration = 6000          # milliseconds, even; optional
/// [[validators]]
/// account = "5G…"               # SS58 or 0x hex
/// aura = "5G…"                  # sr25519 public key
/// grandpa = "5F…"               # ed25519 public key
/// [[endowed]]
/// account = "5G…"
/// balance = "1000000"           # WRD; or "…planck"
/// ```
#[derive(Debug, clap::Parser)]
pub struct NewChainSpecCmd {
	/// A TOML file describing the network (see above).
	#[arg(long)]
	pub config: Option<PathBuf>,

	/// A validator: `<account>,<aura>,<grandpa>` (SS58 or 0x hex). Repeat for each.
	#[arg(long = "validator", value_name = "ACCOUNT,AURA,GRANDPA")]
	pub validators: Vec<String>,

	/// The sudo key's account.
	#[arg(long)]
	pub sudo: Option<String>,

	/// A member of the committee (slashing vetoes, validator-set motions). Repeat for each.
	#[arg(long = "committee-member", value_name = "ACCOUNT")]
	pub committee: Vec<String>,

	/// An account and its balance at genesis: `<account>=<amount>` (`1000000` in WRD, or
	/// `…planck`). Repeat for each; validators need some to register keys later.
	#[arg(long = "endow", value_name = "ACCOUNT=AMOUNT")]
	pub endowed: Vec<String>,

	/// The chain's name.
	#[arg(long)]
	pub name: Option<String>,

	/// The chain's id (its database directory's name).
	#[arg(long)]
	pub id: Option<String>,

	/// Blocks per session, fixed for the chain's life.
	#[arg(long)]
	pub session_length: Option<u32>,

	/// The fewest validators governance may leave (the number of validators by default).
	#[arg(long)]
	pub min_validators: Option<u32>,

	/// The block time in milliseconds (even), fixed for the chain's life (6000 by default).
	#[arg(long)]
	pub slot_duration: Option<u64>,

	/// Write the raw (storage) form, what nodes start from.
	#[arg(long)]
	pub raw: bool,

	/// Accept the well-known development keys (Alice, Bob, …): for test networks only.
	#[arg(long)]
	pub allow_dev_keys: bool,

	/// Where to write it (stdout by default).
	#[arg(long, short)]
	pub output: Option<PathBuf>,
}

/// The network, as the TOML file describes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Network {
	name: Option<String>,
	id: Option<String>,
	sudo: Option<String>,
	#[serde(default)]
	committee: Vec<String>,
	session_length: Option<u32>,
	min_validators: Option<u32>,
	slot_duration: Option<u64>,
	#[serde(default)]
	validators: Vec<Validator>,
	#[serde(default)]
	endowed: Vec<Endowed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Validator {
	account: String,
	aura: String,
	grandpa: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Endowed {
	account: String,
	balance: String,
}

/// The 32 bytes `text` names: SS58 or 0x hex.
fn key_bytes(field: &str, text: &str) -> Result<[u8; 32], String> {
	let text = text.trim();
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = sp_core::bytes::from_hex(hex).map_err(|e| format!("{field} {text}: {e}"))?;
		return bytes.try_into().map_err(|_| format!("{field} {text}: not 32 bytes"));
	}
	sr25519::Public::from_ss58check(text)
		.map(|public| public.0)
		.map_err(|e| format!("{field} {text}: not an SS58 address or 0x hex ({e:?})"))
}

/// `bytes` as the chain's SS58 (prefix 42).
fn ss58(bytes: [u8; 32]) -> String {
	sr25519::Public::from_raw(bytes).to_ss58check()
}

/// An amount: a whole number or decimal of WRD (12 decimals), or `…planck`.
fn planck(text: &str) -> Result<u128, String> {
	let text = text.trim().replace('_', "");
	if let Some(planck) = text.strip_suffix("planck") {
		return planck.trim().parse().map_err(|_| format!("{text}: not a number of planck"));
	}
	let wrd = text.trim_end_matches("WRD").trim();
	let (whole, fraction) = wrd.split_once('.').unwrap_or((wrd, ""));
	if fraction.len() > 12 || !fraction.chars().all(|c| c.is_ascii_digit()) {
		return Err(format!("{text}: at most 12 decimals"));
	}
	let whole: u128 = whole.parse().map_err(|_| format!("{text}: not an amount"))?;
	let fraction: u128 =
		format!("{fraction:0<12}").parse().map_err(|_| format!("{text}: not an amount"))?;
	whole
		.checked_mul(1_000_000_000_000)
		.and_then(|planck| planck.checked_add(fraction))
		.ok_or_else(|| format!("{text}: too large"))
}

/// Every well-known development key, as SS58.
fn dev_keys() -> Vec<String> {
	let sr = Sr25519Keyring::iter().map(|k| ss58(k.public().0));
	let ed = Ed25519Keyring::iter().map(|k| ss58(k.public().0));
	sr.chain(ed).collect()
}

/// An exact JSON number for `amount` (the node's JSON keeps big integers exact).
fn number(amount: u128) -> Result<Value, String> {
	let value: Value = serde_json::from_str(&amount.to_string()).map_err(|e| e.to_string())?;
	if value.as_number().map(ToString::to_string) != Some(amount.to_string()) {
		return Err(format!("{amount} planck can't be written exactly"));
	}
	Ok(value)
}

impl NewChainSpecCmd {
	/// The spec as JSON text.
	pub fn build(&self) -> Result<String, String> {
		let mut network: Network = match &self.config {
			Some(path) => {
				let text = std::fs::read_to_string(path)
					.map_err(|e| format!("can't read {}: {e}", path.display()))?;
				toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
			}
			None => Network::default(),
		};
		for validator in &self.validators {
			let parts: Vec<&str> = validator.split(',').collect();
			let [account, aura, grandpa] = parts[..] else {
				return Err(format!("--validator {validator}: give ACCOUNT,AURA,GRANDPA"));
			};
			network.validators.push(Validator {
				account: account.into(),
				aura: aura.into(),
				grandpa: grandpa.into(),
			});
		}
		for endowed in &self.endowed {
			let Some((account, balance)) = endowed.split_once('=') else {
				return Err(format!("--endow {endowed}: give ACCOUNT=AMOUNT"));
			};
			network.endowed.push(Endowed { account: account.into(), balance: balance.into() });
		}
		network.committee.extend(self.committee.iter().cloned());
		let sudo = self.sudo.clone().or(network.sudo).ok_or("the sudo key is needed: --sudo")?;
		if network.validators.is_empty() {
			return Err("at least one validator is needed: --validator".into());
		}
		if network.committee.is_empty() {
			return Err("the committee needs a member: --committee-member".into());
		}

		let mut validators = Vec::new();
		let mut keys = Vec::new();
		for v in &network.validators {
			let account = ss58(key_bytes("validator account", &v.account)?);
			let aura = ss58(key_bytes("aura key", &v.aura)?);
			let grandpa =
				ed25519::Public::from_raw(key_bytes("grandpa key", &v.grandpa)?).to_ss58check();
			keys.push(json!([account, account, {"aura": aura, "grandpa": grandpa}]));
			validators.push(account);
		}
		let mut balances = Vec::new();
		for e in &network.endowed {
			let account = ss58(key_bytes("endowed account", &e.account)?);
			balances.push(json!([account, number(planck(&e.balance)?)?]));
		}
		let committee = network
			.committee
			.iter()
			.map(|member| key_bytes("committee member", member).map(ss58))
			.collect::<Result<Vec<_>, _>>()?;
		let sudo = ss58(key_bytes("sudo", &sudo)?);
		let count = u32::try_from(validators.len()).unwrap_or(u32::MAX);

		let mut patch = warden_runtime::genesis_config_presets::local_testnet_genesis();
		patch["balances"] = json!({"balances": balances});
		patch["sudo"] = json!({"key": sudo});
		patch["slashingCommittee"] = json!({"members": committee});
		let mut set = patch["validatorSet"].take();
		set["validators"] = json!(validators);
		set["minValidators"] =
			json!(self.min_validators.or(network.min_validators).unwrap_or(count));
		if let Some(length) = self.session_length.or(network.session_length) {
			set["sessionLength"] = json!(length);
		}
		if let Some(slot) = self.slot_duration.or(network.slot_duration) {
			set["slotDuration"] = json!(slot);
		}
		patch["validatorSet"] = set;
		patch["session"] = json!({"keys": keys});

		if !self.allow_dev_keys {
			let text = patch.to_string();
			if let Some(key) = dev_keys().into_iter().find(|key| text.contains(key.as_str())) {
				return Err(format!(
					"the spec names the well-known development key {key}, which anyone can sign \
					 with: use your own keys, or --allow-dev-keys for a test network"
				));
			}
		}

		let spec: ChainSpec = ChainSpec::builder(chain_spec::wasm_binary()?, None)
			.with_name(self.name.as_deref().or(network.name.as_deref()).unwrap_or("Warden"))
			.with_id(self.id.as_deref().or(network.id.as_deref()).unwrap_or("warden"))
			.with_chain_type(ChainType::Live)
			.with_genesis_config_patch(patch)
			.with_properties(chain_spec::properties())
			.build();
		sc_service::ChainSpec::as_json(&spec, self.raw)
	}

	/// Writes the spec.
	pub fn run(&self) -> Result<(), String> {
		let json = self.build()?;
		match &self.output {
			Some(path) => std::fs::write(path, json)
				.map_err(|e| format!("can't write {}: {e}", path.display())),
			None => {
				use std::io::Write;
				let _ = writeln!(std::io::stdout().lock(), "{json}");
				Ok(())
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_are_exact() {
		assert_eq!(planck("1"), Ok(1_000_000_000_000));
		assert_eq!(planck("1.5WRD"), Ok(1_500_000_000_000));
		assert_eq!(planck("7planck"), Ok(7));
		assert_eq!(planck("20000000"), Ok(20_000_000_000_000_000_000));
		assert!(planck("0.0000000000001").is_err());
		assert!(planck("lots").is_err());
	}
}
