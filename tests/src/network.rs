//! An N-node `warden-node` network on loopback: validators and full nodes started from one
//! chain spec, wired to a bootnode, each killed when dropped, every wait bounded.
//!
//! The chain spec is made the way an operator makes one for their own validators (see
//! the README's "Run a validator network"): `warden-node new-chain-spec` with the
//! validators' accounts and keys, the sudo key, the committee and the endowed accounts
//! ([`write_chain_spec`]), in its raw form.

use std::{
	path::{Path, PathBuf},
	process::Command,
	time::Duration,
};

use serde_json::Value;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use subxt::rpcs::client::RpcClient;

use crate::node::{finalized_number, poll_until, temp_dir, Node, NodeConfig};

/// The well-known dev keys of a validator named `name` (`alice` … `ferdie`).
pub fn dev_keys(name: &str) -> (Sr25519Keyring, Ed25519Keyring) {
	match name {
		"alice" => (Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		"bob" => (Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		"charlie" => (Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		"dave" => (Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		"eve" => (Sr25519Keyring::Eve, Ed25519Keyring::Eve),
		"ferdie" => (Sr25519Keyring::Ferdie, Ed25519Keyring::Ferdie),
		other => panic!("no dev keys named {other}"),
	}
}

/// The validator-set part of a genesis: the validators (by dev name), the fewest allowed,
/// blocks per session and the slot length.
#[derive(Clone, Debug)]
pub struct ValidatorGenesis {
	/// Dev names of the genesis validators, in authoring order.
	pub validators: Vec<&'static str>,
	/// The fewest validators governance may leave.
	pub min_validators: u32,
	/// Blocks per session.
	pub session_length: u32,
	/// The Aura slot length in milliseconds; `None` keeps the runtime's 6 s. Tests choose
	/// short slots so that sessions and set changes pass in seconds.
	pub slot_duration: Option<u64>,
}

/// Writes a raw chain spec for `genesis` into `dir` with `binary new-chain-spec`, as an
/// operator makes one: the validators' accounts and keys (the dev keys, so with
/// `--allow-dev-keys`), Alice as the sudo key, Alice, Bob and Charlie as the committee,
/// and every dev account endowed with 1 000 000 WRD.
pub fn write_chain_spec(binary: &Path, dir: &Path, genesis: &ValidatorGenesis) -> PathBuf {
	use sp_core::crypto::Ss58Codec;
	let path = dir.join("chain-spec.json");
	let name = |key: Sr25519Keyring| key.to_account_id().to_ss58check();
	let mut args: Vec<String> =
		["new-chain-spec", "--allow-dev-keys", "--raw"].into_iter().map(String::from).collect();
	args.extend(["--id".into(), "warden_local_testnet".into()]);
	args.extend(["--sudo".into(), name(Sr25519Keyring::Alice)]);
	for member in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie] {
		args.extend(["--committee-member".into(), name(member)]);
	}
	for validator in &genesis.validators {
		let (account, grandpa) = dev_keys(validator);
		let grandpa = grandpa.public().to_ss58check();
		args.extend(["--validator".into(), format!("{0},{0},{grandpa}", name(account))]);
	}
	for account in ["alice", "bob", "charlie", "dave", "eve", "ferdie"] {
		args.extend(["--endow".into(), format!("{}=1000000", name(dev_keys(account).0))]);
	}
	args.extend(["--min-validators".into(), genesis.min_validators.to_string()]);
	args.extend(["--session-length".into(), genesis.session_length.to_string()]);
	if let Some(slot) = genesis.slot_duration {
		args.extend(["--slot-duration".into(), slot.to_string()]);
	}
	args.extend(["--output".into(), path.display().to_string()]);
	let output = Command::new(binary).args(&args).output().expect("new-chain-spec runs");
	assert!(
		output.status.success(),
		"new-chain-spec failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	path
}

/// A network of nodes sharing one chain spec, the first one the bootnode of the others.
pub struct Network {
	binary: PathBuf,
	spec: PathBuf,
	bootnode: String,
	/// Every node by name, in start order. `None` once stopped.
	pub nodes: Vec<(String, Option<Node>)>,
	scratch: tempfile::TempDir,
}

impl Network {
	/// Starts one validator per genesis validator (with its dev keys, `--alice` …), waits
	/// until each answers RPC and has a peer.
	pub async fn start(binary: impl AsRef<Path>, genesis: &ValidatorGenesis) -> Network {
		let scratch = temp_dir();
		let binary = binary.as_ref().to_path_buf();
		let spec = write_chain_spec(&binary, scratch.path(), genesis);
		let mut network =
			Network { binary, spec, bootnode: String::new(), nodes: Vec::new(), scratch };
		for (i, name) in genesis.validators.iter().enumerate() {
			let flag = format!("--{name}");
			network.start_node(name, &[flag.as_str()]);
			if i == 0 {
				let first = network.node_mut(name);
				let peer =
					first.wait_for_log("Local node identity is:", Duration::from_secs(60)).await;
				network.bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", first.p2p_port, peer);
			}
		}
		for name in &genesis.validators {
			network.wait_ready(name).await;
		}
		network
	}

	/// The chain spec file.
	pub fn spec(&self) -> &Path {
		&self.spec
	}

	/// Starts node `name` with `args` on the network's chain, its state under the scratch
	/// directory (kept across [`Network::stop`] and restart). Not ready yet: see
	/// [`Network::wait_ready`].
	pub fn start_node(&mut self, name: &str, args: &[&str]) {
		let mut config = NodeConfig::new(&self.binary)
			.args(["--chain".to_string(), self.spec.display().to_string()])
			.args(["--unsafe-force-node-key-generation"])
			.args(args.iter().copied())
			.base_path(self.scratch.path().join(name))
			.name(name);
		if !self.bootnode.is_empty() {
			config = config.args(["--bootnodes", self.bootnode.as_str()]);
		}
		let node = Node::start(config, self.scratch.path());
		match self.nodes.iter_mut().find(|(n, _)| n == name) {
			Some(slot) => slot.1 = Some(node),
			None => self.nodes.push((name.to_string(), Some(node))),
		}
	}

	/// The running node `name`.
	pub fn node(&self, name: &str) -> &Node {
		self.nodes
			.iter()
			.find(|(n, _)| n == name)
			.and_then(|(_, node)| node.as_ref())
			.unwrap_or_else(|| panic!("node {name} isn't running"))
	}

	/// The running node `name`, mutably.
	pub fn node_mut(&mut self, name: &str) -> &mut Node {
		self.nodes
			.iter_mut()
			.find(|(n, _)| n == name)
			.and_then(|(_, node)| node.as_mut())
			.unwrap_or_else(|| panic!("node {name} isn't running"))
	}

	/// Waits until node `name` answers RPC and has at least one peer.
	pub async fn wait_ready(&mut self, name: &str) -> RpcClient {
		let node = self.node_mut(name);
		let rpc = node.wait_ready().await;
		let peered = poll_until(Duration::from_secs(60), || async {
			let health: Value =
				rpc.request("system_health", subxt::rpcs::rpc_params![]).await.ok()?;
			(health.get("peers").and_then(Value::as_u64)? >= 1).then_some(())
		})
		.await;
		if peered.is_none() {
			node.fail("no peer within 60 s");
		}
		rpc
	}

	/// Stops node `name` (SIGINT) and keeps its state for a restart.
	pub fn stop(&mut self, name: &str) {
		self.node_mut(name).stop();
		if let Some(slot) = self.nodes.iter_mut().find(|(n, _)| n == name) {
			slot.1 = None;
		}
	}

	/// Waits until every node in `names` has finalized block `number`, or fails with
	/// everyone's progress after `timeout`.
	pub async fn wait_finalized(&self, names: &[&str], number: u64, timeout: Duration) {
		let mut clients = Vec::new();
		for name in names {
			clients.push(self.node(name).rpc().await);
		}
		let reached = poll_until(timeout, || async {
			for rpc in &clients {
				if finalized_number(rpc).await < number {
					return None;
				}
			}
			Some(())
		})
		.await;
		if reached.is_none() {
			let mut progress = Vec::new();
			for (name, rpc) in names.iter().zip(&clients) {
				progress.push(format!("{name} {}", finalized_number(rpc).await));
			}
			self.node(names[0]).fail(&format!(
				"not all finalized #{number} within {timeout:?}: {}",
				progress.join(", ")
			));
		}
	}

	/// The highest block node `name` has finalized.
	pub async fn finalized(&self, name: &str) -> u64 {
		finalized_number(&self.node(name).rpc().await).await
	}
}
