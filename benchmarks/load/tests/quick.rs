//! `warden-load --quick` against a real development node it starts: every scenario runs
//! and every transaction it sends is included, none fails. Not a speed: a smoke test that
//! the benchmark, and what it drives on the chain, still work.

use std::{
	path::{Path, PathBuf},
	process::Command,
};

use serde_json::Value;

const LOAD: &str = env!("CARGO_BIN_EXE_warden-load");

fn node_binary() -> PathBuf {
	let dir = Path::new(LOAD).parent().expect("the binary is in a directory");
	warden_tests::daemons::binary(dir, "warden-node")
}

#[test]
fn quick_load_includes_every_transaction_of_every_scenario() {
	let dir = tempfile::tempdir().expect("a temp dir");
	let out = dir.path().join("report.json");
	let output = Command::new(LOAD)
		.args(["--quick", "--json", "--node"])
		.arg(node_binary())
		.arg("--out")
		.arg(&out)
		.output()
		.expect("warden-load runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	assert!(
		output.status.success(),
		"exit {:?}\n{stdout}\n{}",
		output.status.code(),
		String::from_utf8_lossy(&output.stderr)
	);
	let report: Value = serde_json::from_str(&stdout).expect("a JSON report");
	let written: Value =
		serde_json::from_slice(&std::fs::read(&out).expect("the report file")).expect("JSON");
	assert_eq!(report, written, "the file holds the printed report");
	assert_eq!(report["all_included"], true);
	assert_eq!(report["node"]["sealing"], "manual");

	let scenarios = report["scenarios"].as_array().expect("scenarios");
	let names: Vec<&str> = scenarios.iter().filter_map(|s| s["name"].as_str()).collect();
	assert_eq!(names, ["transfer", "submit_result", "heartbeat", "monitor_update", "mix"]);
	let mut sent = 0;
	for scenario in scenarios {
		for phase in scenario["phases"].as_array().expect("phases") {
			let submitted = phase["submitted"].as_u64().unwrap();
			assert_eq!(phase["rejected"], 0, "{phase}");
			assert_eq!(phase["included"].as_u64(), Some(submitted), "{phase}");
			assert_eq!(phase["failed"], 0, "{phase}");
			sent += submitted;
		}
	}
	assert!(sent <= 200, "the quick run sends at most 200 transactions, not {sent}");
	// Sizes::QUICK: 40 transfers; 2 services × 5 calls; 1 group of 2 operators × 2
	// services; 2 channels × 10 updates; the mix adds 12 transfers, 4 heartbeats and
	// 2 × 4 updates.
	let done: Vec<u64> = scenarios.iter().filter_map(|s| s["done"].as_u64()).collect();
	assert_eq!(done, [40, 10, 4, 20, 24]);
	let baseline = &scenarios[0];
	assert_eq!(baseline["ratio_to_transfer"].as_f64(), Some(1.0));
	let lifecycle = &scenarios[1]["phases"];
	assert_eq!(lifecycle[0]["name"], "submit_result: call");
	assert_eq!(lifecycle[1]["included"], 10);
	// The per-block hook closed every call by its deadline: no close_call was needed.
	assert_eq!(lifecycle[2]["submitted"], 0);
	let fullness = lifecycle[0]["ref_time_fullness_pct"].as_f64().unwrap();
	assert!(fullness > 0.0 && fullness < 100.0, "{fullness}");
	assert!(lifecycle[0]["proof_size_kib"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_node_that_is_not_there_is_a_json_error_and_exit_1() {
	let output = Command::new(LOAD)
		.args(["--quick", "--json", "--url", "ws://127.0.0.1:1"])
		.output()
		.expect("warden-load runs");
	assert_eq!(output.status.code(), Some(1));
	let error: Value = serde_json::from_slice(&output.stdout).expect("a JSON error");
	assert!(error["error"].as_str().is_some_and(|e| e.contains("127.0.0.1:1")), "{error}");
}

#[test]
fn sizes_beyond_the_runtime_limits_are_refused() {
	let output = Command::new(LOAD)
		.args(["--quick", "--json", "--calls-per-service", "17"])
		.output()
		.expect("warden-load runs");
	assert_eq!(output.status.code(), Some(1));
	let error: Value = serde_json::from_slice(&output.stdout).expect("a JSON error");
	assert!(error["error"].as_str().is_some_and(|e| e.contains("--calls-per-service")));
	let output = Command::new(LOAD).arg("--help").output().expect("warden-load runs");
	assert!(output.status.success());
	assert!(String::from_utf8_lossy(&output.stdout).contains("--quick"));
}
