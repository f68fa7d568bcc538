//! A validator network on loopback, from a chain spec `warden-node new-chain-spec` wrote:
//! four validators finalize and survive one of them stopping and restarting; a fifth node's
//! operator generates session keys on it and registers them with `warden validator keys
//! rotate`, the committee adds it with `warden validator add` and `warden committee
//! vote|close`, `warden validator set` shows it queued and then active, it authors blocks,
//! then is removed the same way and stops; a full node syncs from genesis; governance's
//! limits hold, for the chain and for `warden` (exit codes, errors and their docs).
//!
//! The chain spec chooses 2-second slots and 3-block sessions, so a validator-set change,
//! active two session boundaries after it is made, shows within about 12 seconds.

use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

use codec::Decode;
use serde_json::json;
use serde_json::Value as Json;
use sp_runtime::AccountId32;
use subxt::{rpcs::rpc_params, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::{dev, Keypair};
use warden_primitives::ValidatorSetInfo;
use warden_tests::{
	network::{Network, ValidatorGenesis},
	node::{best_number, finalized_number, poll_until, Node},
};

use crate::{
	flows::{id, try_submit, Until},
	NODE,
};

/// Blocks per session on this network.
const SESSION_LENGTH: u32 = 3;
/// Milliseconds per Aura slot on this network (the runtime's default is 6000).
const SLOT_DURATION: u64 = 2000;

type Info = ValidatorSetInfo<AccountId32, u32>;

/// The validator set as the node's best block sees it.
async fn validator_set(client: &OnlineClient<PolkadotConfig>) -> Info {
	let at = client.at_current_block().await.expect("best block");
	let raw = at
		.runtime_apis()
		.call_raw("ValidatorSetApi_validator_set", None)
		.await
		.expect("ValidatorSetApi answers");
	Info::decode(&mut &raw[..]).expect("ValidatorSetInfo decodes")
}

fn account(keypair: &Keypair) -> AccountId32 {
	AccountId32::new(keypair.public_key().0)
}

/// `warden`, the CLI a chain operator runs, pointed at one node of the network.
struct Warden {
	binary: PathBuf,
	url: String,
}

/// What `warden` answered: its exit code, its JSON (`--json`: the outcome or the error)
/// and its stderr.
struct Answer {
	code: Option<i32>,
	json: Json,
	stderr: String,
}

impl Warden {
	fn new(url: String) -> Self {
		let binary = Path::new(NODE).with_file_name("warden");
		assert!(binary.exists(), "{} is missing: build the workspace first", binary.display());
		Self { binary, url }
	}

	/// Runs `warden --url <node> --json --quiet --wait in-block [--suri <suri>] <args>`
	/// (finality lags a block or two behind on this network, and later steps check it).
	async fn run(&self, suri: Option<&str>, args: &[&str]) -> Answer {
		let mut command = tokio::process::Command::new(&self.binary);
		command.args(["--url", &self.url, "--json", "--quiet", "--wait", "in-block"]);
		if let Some(suri) = suri {
			command.args(["--suri", suri]);
		}
		let output = tokio::time::timeout(Duration::from_secs(120), command.args(args).output())
			.await
			.unwrap_or_else(|_| panic!("warden {args:?}: no answer in 120 s"))
			.expect("warden runs");
		Answer {
			code: output.status.code(),
			json: serde_json::from_slice(&output.stdout).unwrap_or(Json::Null),
			stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
		}
	}

	/// As [`Warden::run`], asserting success; returns its JSON.
	async fn ok(&self, suri: Option<&str>, args: &[&str]) -> Json {
		let answer = self.run(suri, args).await;
		assert_eq!(answer.code, Some(0), "warden {args:?} failed: {}", answer.stderr);
		answer.json
	}

	/// `warden validator set`.
	async fn set(&self) -> Json {
		self.ok(None, &["validator", "set"]).await
	}
}

/// The fields of event `pallet.name` in a transaction's JSON.
fn event<'a>(done: &'a Json, pallet: &str, name: &str) -> &'a Json {
	done["events"]
		.as_array()
		.into_iter()
		.flatten()
		.find(|e| e["pallet"] == pallet && e["event"] == name)
		.map(|e| &e["fields"])
		.unwrap_or_else(|| panic!("no {pallet}.{name} in {done:#}"))
}

/// Whether `account` is in the list `set[field]` of `warden validator set`.
fn lists(set: &Json, field: &str, account: &str) -> bool {
	set[field].as_array().is_some_and(|list| list.iter().any(|a| a == account))
}

/// Passes `args` (a `warden validator …` change) as a committee motion: Bob, a member but
/// not the sudo key, proposes it with `warden` (two of the three members as threshold),
/// Bob and Charlie vote aye, Alice closes it. Returns the close's JSON.
async fn committee_motion(warden: &Warden, args: &[&str]) -> Json {
	let proposed = warden.ok(Some("//Bob"), args).await;
	let motion = event(&proposed, "SlashingCommittee", "Proposed");
	let hash = motion["proposal_hash"].as_str().expect("the motion's hash").to_string();
	let index = motion["proposal_index"].to_string();
	assert_eq!(motion["threshold"], json!(2), "two thirds of three: {motion}");
	let vote = |voter: &'static str| {
		let (hash, index) = (hash.clone(), index.clone());
		async move { warden.ok(Some(voter), &["committee", "vote", &hash, &index]).await }
	};
	tokio::join!(vote("//Bob"), vote("//Charlie"));
	let closed = warden.ok(Some("//Alice"), &["committee", "close", &hash, &index]).await;
	event(&closed, "SlashingCommittee", "Executed");
	closed
}

/// The blocks node `node` authored so far: `(number, hash)` from its log.
fn authored(node: &Node) -> Vec<(u64, String)> {
	const MARKER: &str = "Pre-sealed block for proposal at ";
	node.log()
		.lines()
		.filter_map(|line| {
			let rest = &line[line.find(MARKER)? + MARKER.len()..];
			let number = rest.split('.').next()?.trim().parse().ok()?;
			let hash = rest.split("Hash now ").nth(1)?.split(',').next()?.trim().to_string();
			Some((number, hash))
		})
		.collect()
}

/// Waits until `check` holds for the validator set, or fails with it after `timeout`.
async fn wait_for_set(
	network: &Network,
	client: &OnlineClient<PolkadotConfig>,
	what: &str,
	timeout: Duration,
	check: impl Fn(&Info) -> bool,
) {
	let reached = poll_until(timeout, || async {
		let info = validator_set(client).await;
		check(&info).then_some(())
	})
	.await;
	if reached.is_none() {
		let info = validator_set(client).await;
		network.node("alice").fail(&format!("{what} not reached in {timeout:?}: {info:?}"));
	}
}

/// The node's hash of block `number`.
async fn block_hash(node: &Node, number: u64) -> Option<String> {
	let rpc = node.rpc().await;
	rpc.request::<Option<String>>("chain_getBlockHash", rpc_params![number]).await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validator_network_grows_shrinks_and_recovers() {
	let started = Instant::now();
	let step = |what: &str| eprintln!("[network {:>5.1}s] {what}", started.elapsed().as_secs_f64());
	let genesis = ValidatorGenesis {
		validators: vec!["alice", "bob", "charlie", "dave"],
		min_validators: 4,
		session_length: SESSION_LENGTH,
		slot_duration: Some(SLOT_DURATION),
	};
	let mut network = Network::start(NODE, &genesis).await;
	// Eve runs a validator node without keys yet (its RPC may rotate keys); she starts
	// while the four finalize.
	network.start_node("eve", &["--validator", "--rpc-methods", "unsafe"]);
	let client = &network.node("alice").client().await;
	step("four validators up");

	// 1. Four validators finalize.
	let all = ["alice", "bob", "charlie", "dave"];
	network.wait_finalized(&all, 2, Duration::from_secs(120)).await;
	let info = validator_set(client).await;
	assert_eq!(info.active.len(), 4);
	assert_eq!(info.session_length, SESSION_LENGTH);
	assert_eq!(info.min_validators, 4);
	let at = client.at_current_block().await.expect("best block");
	let slot =
		at.runtime_apis().call_raw("AuraApi_slot_duration", None).await.expect("AuraApi answers");
	assert_eq!(u64::decode(&mut &slot[..]).ok(), Some(SLOT_DURATION), "the spec's slot length");
	step("four validators finalized #2");

	network.wait_ready("eve").await;
	step("eve up");

	// 2. Dave stops: three of four keep finalizing through everything up to his restart.
	network.stop("dave");
	let three = ["alice", "bob", "charlie"];
	let before = network.finalized("alice").await;
	step("dave stopped");

	// 3. Governance's limits (anyone else is refused, and so is going below the minimum)
	//    while Eve generates session keys on her node and registers them, all with
	//    `warden`.
	let warden = Warden::new(network.node("alice").ws_url());
	let eve = dev::eve();
	let eve_id = account(&eve);
	let (eve_ss58, dave_ss58) = (eve_id.to_string(), account(&dev::dave()).to_string());
	let limits = async {
		// The chain refuses a signed account, whatever the client.
		let refused = try_submit(
			client,
			&dev::bob(),
			"ValidatorSet",
			"remove_validator",
			vec![id(&dev::dave())],
			Until::InBestBlock,
			None,
		)
		.await
		.expect_err("a signed account is not governance");
		assert!(refused.contains("Bad origin"), "{refused}");
		// `warden` refuses an account that is neither the sudo key nor on the committee
		// before sending anything (exit 2).
		let outsider = warden.run(Some("//Ferdie"), &["validator", "remove", &dave_ss58]).await;
		assert_eq!(outsider.code, Some(2), "{}", outsider.stderr);
		assert!(outsider.stderr.contains("neither the sudo key nor a committee member"));
		// The sudo key can't go below the minimum either: exit 1 with the error and its doc.
		let below = warden.run(Some("//Alice"), &["validator", "remove", &dave_ss58]).await;
		assert_eq!(below.code, Some(1), "{}", below.stderr);
		assert!(below.stderr.contains("ValidatorSet::TooFewValidators"), "{}", below.stderr);
		let error = &below.json["error"];
		assert_eq!(
			(&error["pallet"], &error["error"]),
			(&json!("ValidatorSet"), &json!("TooFewValidators"))
		);
		assert!(
			error["docs"].as_str().unwrap_or_default().contains("fewer than the minimum"),
			"{error}"
		);
		assert_eq!(below.json["exit_code"], json!(1));
		assert_eq!(warden.set().await["target"].as_array().map(Vec::len), Some(4));
	};
	let register = async {
		let eve_url = network.node("eve").ws_url();
		warden.ok(Some("//Eve"), &["validator", "keys", "rotate", "--node-url", &eve_url]).await;
		let keys = warden.ok(None, &["validator", "keys", "show", &eve_ss58]).await;
		assert_eq!(keys["has_keys"], json!(true), "{keys}");
		for key in ["aura", "grandpa"] {
			assert_eq!(keys["keys"][key].as_str().map(str::len), Some(66), "{keys}");
		}
	};
	tokio::join!(limits, register);
	step("governance limits hold; eve registered her session keys");

	// 4. Governance adds her: a committee motion, through `warden`. `validator set` shows
	//    her in the target with the change pending: queued at the next boundary, active
	//    from the one after.
	let closed = committee_motion(&warden, &["validator", "add", &eve_ss58]).await;
	event(&closed, "ValidatorSet", "ValidatorAdded");
	let set = warden.set().await;
	assert!(lists(&set, "target", &eve_ss58) && lists(&set, "with_keys", &eve_ss58), "{set}");
	step("eve added by motion");
	network.wait_finalized(&three, before + 3, Duration::from_secs(120)).await;
	step("three of four finalized three more blocks");

	// Dave restarts from his database and catches up while Eve's change comes in.
	network.start_node("dave", &["--dave"]);
	network.wait_ready("dave").await;

	// 5. `validator set` shows Eve queued (next session's set), then active two boundaries
	//    after the motion.
	let queued = poll_until(Duration::from_secs(120), || async {
		let set = warden.set().await;
		(lists(&set, "queued", &eve_ss58) || lists(&set, "active", &eve_ss58)).then_some(set)
	})
	.await
	.unwrap_or_else(|| network.node("alice").fail("Eve never queued"));
	assert!(
		lists(&queued, "queued", &eve_ss58) && !lists(&queued, "active", &eve_ss58),
		"queued before active: {queued}"
	);
	wait_for_set(&network, client, "Eve active", Duration::from_secs(120), |info| {
		info.active.contains(&eve_id)
	})
	.await;
	assert!(lists(&warden.set().await, "active", &eve_ss58));
	step("eve queued, then active");
	let target = network.finalized("alice").await;
	network.wait_finalized(&["dave"], target, Duration::from_secs(90)).await;
	step("dave caught up");

	// 6. A full node syncs from genesis and serves RPC (started now: it syncs meanwhile).
	network.start_node("ferdie", &[]);
	let ferdie_rpc = network.wait_ready("ferdie").await;

	// 7. Eve authors a block on the finalized chain while the committee already votes to
	//    remove her (she stays an author until the second boundary after the motion).
	let authored_finalized = async {
		let first = poll_until(Duration::from_secs(90), || async {
			authored(network.node("eve")).into_iter().next()
		})
		.await
		.unwrap_or_else(|| network.node("eve").fail("Eve never authored a block"));
		let canonical = poll_until(Duration::from_secs(60), || async {
			let hash = block_hash(network.node("alice"), first.0).await?;
			(finalized_number(&network.node("alice").rpc().await).await >= first.0).then_some(hash)
		})
		.await
		.unwrap_or_else(|| network.node("alice").fail("Eve's block was never finalized"));
		assert_eq!(canonical, first.1, "Eve's block #{} is on the finalized chain", first.0);
		step("eve authored a finalized block");
	};
	let removal = async {
		let closed = committee_motion(&warden, &["validator", "remove", &eve_ss58]).await;
		event(&closed, "ValidatorSet", "ValidatorRemoved");
		step("eve removed by motion");
	};
	tokio::join!(authored_finalized, removal);

	// She leaves the active set two boundaries later, stops authoring, and finality goes on.
	wait_for_set(&network, client, "Eve inactive", Duration::from_secs(120), |info| {
		!info.active.contains(&eve_id) && info.active.len() == 4
	})
	.await;
	let removed_at = best_number(&network.node("alice").rpc().await).await;
	step("eve inactive");
	let finalized_then = network.finalized("alice").await;
	// A full round of Aura slots for five authors, had she stayed one.
	let quiet_until = removed_at + 5;
	let alice_rpc = network.node("alice").rpc().await;
	poll_until(Duration::from_secs(60), || async {
		(best_number(&alice_rpc).await >= quiet_until).then_some(())
	})
	.await
	.unwrap_or_else(|| network.node("alice").fail("no new blocks after Eve left"));
	network.wait_finalized(&all, removed_at + 1, Duration::from_secs(60)).await;
	let late: Vec<_> =
		authored(network.node("eve")).into_iter().filter(|(n, _)| *n > removed_at).collect();
	assert!(late.is_empty(), "Eve authored after leaving the set: {late:?}");
	assert!(network.finalized("alice").await > finalized_then);
	step("eve stopped authoring, finality continued");

	// The full node has the chain from genesis up to the finalized head, and answers reads.
	let head = network.finalized("alice").await;
	network.wait_finalized(&["ferdie"], head, Duration::from_secs(60)).await;
	let genesis_hash = block_hash(network.node("alice"), 0).await;
	let ferdie_genesis: Option<String> =
		ferdie_rpc.request("chain_getBlockHash", rpc_params![0]).await.expect("RPC answers");
	assert_eq!(ferdie_genesis, genesis_hash);
	let ferdie_client = network.node("ferdie").client().await;
	assert_eq!(validator_set(&ferdie_client).await.active.len(), 4);
	step("full node synced");
}
