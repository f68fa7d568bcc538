//! The node's command line: subcommands work, bad input exits with code 2.

use std::process::{Command, Output};

use serde_json::Value;
use warden_tests::node::{best_number, poll_until, temp_dir, Node, NodeConfig};

use crate::NODE;

fn run(args: &[&str]) -> Output {
	Command::new(NODE).args(args).output().expect("the node binary runs")
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn unknown_chain_exits_with_code_2_and_says_why() {
	let output = run(&["--chain", "no-such-chain", "--tmp"]);
	assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
	let message = stderr(&output);
	assert!(message.contains("unknown chain `no-such-chain`"), "{message}");
	assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn unknown_flag_exits_with_code_2() {
	let output = run(&["--no-such-flag"]);
	assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
	assert!(stderr(&output).contains("--no-such-flag"));
}

#[test]
fn bad_sealing_mode_exits_with_code_2() {
	let output = run(&["--dev", "--tmp", "--sealing", "sometimes"]);
	assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
	assert!(stderr(&output).contains("not a sealing mode"), "{}", stderr(&output));
}

#[test]
fn export_chain_spec_writes_both_chains() {
	for (chain, name) in [("dev", "Warden Development"), ("local", "Warden Local Testnet")] {
		let output = run(&["export-chain-spec", "--chain", chain]);
		assert!(output.status.success(), "stderr: {}", stderr(&output));
		let spec: Value = serde_json::from_slice(&output.stdout).expect("the spec is JSON");
		assert_eq!(spec["name"], name);
		assert_eq!(spec["properties"]["tokenSymbol"], "WRD");
	}
	let raw = run(&["build-spec", "--chain", "local", "--raw"]);
	assert!(raw.status.success(), "stderr: {}", stderr(&raw));
	let spec: Value = serde_json::from_slice(&raw.stdout).expect("the raw spec is JSON");
	assert!(spec["genesis"]["raw"]["top"].as_object().map(|top| !top.is_empty()).unwrap_or(false));
}

#[test]
fn new_chain_spec_takes_own_keys_keeps_balances_exact_and_refuses_dev_keys() {
	use sp_core::{crypto::Ss58Codec, ed25519, sr25519, Pair};
	let scratch = temp_dir();
	let account =
		|seed: &str| sr25519::Pair::from_string(seed, None).unwrap().public().to_ss58check();
	let grandpa = ed25519::Pair::from_string("//Warden//v1", None).unwrap().public().to_ss58check();
	let (v1, sudo, member) =
		(account("//Warden//v1"), account("//Warden//sudo"), account("//Warden//m"));
	// 20 000 000 WRD is 2·10¹⁹ planck, past what a 64-bit number holds.
	let config = scratch.path().join("network.toml");
	std::fs::write(
		&config,
		format!(
			"name = \"Test Warden\"\nid = \"test_warden\"\nsudo = \"{sudo}\"\ncommittee = [\"{member}\"]\n\
			 session_length = 50\n[[validators]]\naccount = \"{v1}\"\naura = \"{v1}\"\ngrandpa = \"{grandpa}\"\n\
			 [[endowed]]\naccount = \"{v1}\"\nbalance = \"20000000\"\n"
		),
	)
	.unwrap();
	let config = config.to_str().unwrap();
	let output = run(&["new-chain-spec", "--config", config]);
	assert!(output.status.success(), "stderr: {}", stderr(&output));
	let text = String::from_utf8_lossy(&output.stdout).into_owned();
	assert!(text.contains("20000000000000000000"), "the balance is exact: {text}");
	let spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
	assert_eq!(
		(spec["name"].as_str(), spec["chainType"].as_str()),
		(Some("Test Warden"), Some("Live"))
	);
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	assert_eq!(patch["validatorSet"]["validators"], serde_json::json!([v1]), "{patch}");
	assert_eq!(patch["validatorSet"]["minValidators"], 1);
	assert_eq!(patch["validatorSet"]["sessionLength"], 50);
	assert_eq!(patch["session"]["keys"][0][2]["grandpa"], serde_json::json!(grandpa));
	assert_eq!(patch["sudo"]["key"], serde_json::json!(sudo));
	assert_eq!(patch["slashingCommittee"]["members"], serde_json::json!([member]));
	let raw = run(&["new-chain-spec", "--config", config, "--raw"]);
	assert!(raw.status.success(), "stderr: {}", stderr(&raw));
	let raw: Value = serde_json::from_slice(&raw.stdout).expect("the raw spec is JSON");
	assert!(raw["genesis"]["raw"]["top"].as_object().is_some_and(|top| !top.is_empty()));

	// Alice's well-known key anywhere (here as the sudo key) is refused, unless allowed.
	let alice = account("//Alice");
	let dev = run(&["new-chain-spec", "--config", config, "--sudo", &alice]);
	assert_eq!(dev.status.code(), Some(2));
	assert!(stderr(&dev).contains("well-known development key"), "{}", stderr(&dev));
	let allowed =
		run(&["new-chain-spec", "--config", config, "--sudo", &alice, "--allow-dev-keys"]);
	assert!(allowed.status.success(), "stderr: {}", stderr(&allowed));
	let missing = run(&["new-chain-spec", "--sudo", &sudo]);
	assert_eq!(missing.status.code(), Some(2));
	assert!(stderr(&missing).contains("at least one validator"), "{}", stderr(&missing));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_block_and_purge_chain_work_on_a_stopped_chain() {
	let scratch = temp_dir();
	let base = scratch.path().join("chain");
	{
		let mut node = Node::start(NodeConfig::dev(NODE).base_path(&base), scratch.path());
		let rpc = node.wait_ready().await;
		if poll_until(std::time::Duration::from_secs(30), || async {
			(best_number(&rpc).await >= 2).then_some(())
		})
		.await
		.is_none()
		{
			node.fail("no blocks to check");
		}
		node.stop();
	}
	let base = base.to_string_lossy().into_owned();

	let check = run(&["check-block", "--chain", "dev", "--base-path", &base, "1"]);
	assert!(check.status.success(), "check-block failed: {}", stderr(&check));

	let db = std::path::Path::new(&base).join("chains/warden_dev/paritydb");
	assert!(db.exists(), "the dev chain uses ParityDB at {}", db.display());
	let purge = run(&["purge-chain", "--chain", "dev", "--base-path", &base, "-y"]);
	assert!(purge.status.success(), "purge-chain failed: {}", stderr(&purge));
	assert!(!db.join("full").exists(), "the database is gone");
}
