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
