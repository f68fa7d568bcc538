//! `warden-load`: a load benchmark against a real `warden-node`.
//!
//! It starts a development node (or connects to one started from the chain spec it
//! writes), with every account it signs for funded, bonded and registered in the genesis.
//! It sets up the services, channels and monitors its scenarios need, signs every
//! transaction offline with explicit nonces, sends them from several connections at
//! once, and counts what is included in finalized blocks against wall-clock time. Each
//! scenario reports its included rate, transactions per block, how full its blocks were
//! by ref time and by proof size, and its ratio to the transfers of the same run.
//!
//! See the crate's README for the scenarios, the figures and how to read them.

mod driver;
mod scenarios;
mod spec;

use std::{
	path::{Path, PathBuf},
	process::ExitCode,
	time::Instant,
};

use clap::{Parser, ValueEnum};
use serde_json::{json, Value};
use warden_tests::node::{temp_dir, Node, NodeConfig};

use crate::{
	driver::Chain,
	scenarios::{Bench, Outcome, Setup},
	spec::{Accounts, Sizes},
};

/// Exit code: every scenario ran and every transaction sent was included.
const OK: u8 = 0;
/// Exit code: a transaction was refused, not included or failed, or the node misbehaved.
const FAILED: u8 = 1;
// Exit code 2: bad arguments (clap's own).

/// A scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scenario {
	/// Balances.transfer_keep_alive: the baseline.
	Transfer,
	/// A job's lifecycle: call, submit_result, and the close.
	SubmitResult,
	/// One heartbeat per operator and service.
	Heartbeat,
	/// Monitor updates on closing channels.
	MonitorUpdate,
	/// Transfers, heartbeats and monitor updates at once.
	Mix,
}

/// Load benchmark for Warden: included transactions per second and per block, block
/// fullness, and each scenario's ratio to plain transfers, on a real node.
#[derive(Parser, Debug)]
#[command(name = "warden-load", version)]
struct Args {
	/// The smoke test: every scenario with at most 200 transactions, on a node that seals
	/// a block only when the benchmark asks (`--sealing manual`). It checks that every
	/// transaction sent is included; its rates mean nothing.
	#[arg(long)]
	quick: bool,

	/// Scenarios to run, in order (all by default). `transfer` always runs first: the
	/// others' ratios are to it.
	#[arg(long = "scenario", value_enum)]
	scenarios: Vec<Scenario>,

	/// The `warden-node` binary to start. By default the one next to this binary.
	#[arg(long, value_name = "PATH")]
	node: Option<PathBuf>,

	/// The runtime (a wasm blob) the chain runs, instead of the one the node embeds. A
	/// node built with `--features runtime-benchmarks` embeds a runtime that only its
	/// `benchmark` subcommands can run: give it the runtime of a build without the feature,
	/// e.g. `$CARGO_TARGET_DIR/debug/wbuild/warden-runtime/warden_runtime.wasm`.
	#[arg(long, value_name = "PATH")]
	runtime: Option<PathBuf>,

	/// Use the node already running at this URL instead of starting one. It must run
	/// the chain spec `--write-spec` writes for the same sizes.
	#[arg(long, value_name = "WS_URL", conflicts_with = "node")]
	url: Option<String>,

	/// With `--url`: the node seals blocks only on `engine_createBlock`.
	#[arg(long, requires = "url")]
	manual: bool,

	/// Write the patched development chain spec for these sizes to PATH and exit.
	#[arg(long, value_name = "PATH")]
	write_spec: Option<PathBuf>,

	/// How the started node seals blocks: milliseconds between blocks, or `manual`
	/// (the default with `--quick`).
	#[arg(long, value_name = "MS|manual", default_value = "6000")]
	sealing: String,

	/// The started node's transaction pool: at most this many ready transactions
	/// (`--pool-limit`).
	#[arg(long, default_value_t = 100_000)]
	pool_limit: u32,

	/// The started node's transaction pool: at most this many kilobytes (`--pool-kbytes`).
	#[arg(long, default_value_t = 512_000)]
	pool_kbytes: u32,

	/// Connections sending transactions at once.
	#[arg(long, default_value_t = 4)]
	connections: usize,

	/// Where to write the JSON report.
	#[arg(long, value_name = "PATH", default_value = "warden-load.json")]
	out: PathBuf,

	/// Print the JSON report instead of the table (errors too, as `{"error": …}`).
	#[arg(long)]
	json: bool,

	/// Accounts sending transfers.
	#[arg(long)]
	senders: Option<usize>,
	/// Transfers in the `transfer` scenario.
	#[arg(long)]
	transfers: Option<usize>,
	/// One-operator services in the `submit_result` scenario.
	#[arg(long)]
	job_services: Option<usize>,
	/// Calls per job service (at most 16).
	#[arg(long)]
	calls_per_service: Option<usize>,
	/// Groups of heartbeat operators, each serving its own services.
	#[arg(long)]
	heartbeat_groups: Option<usize>,
	/// Closing channels in the `monitor_update` scenario, one monitor each.
	#[arg(long)]
	channels: Option<usize>,
	/// Monitor updates per channel.
	#[arg(long)]
	updates_per_channel: Option<usize>,
}

impl Args {
	fn sizes(&self) -> Sizes {
		let mut sizes = if self.quick { Sizes::QUICK } else { Sizes::FULL };
		let set = |field: &mut usize, value: Option<usize>| {
			if let Some(value) = value {
				*field = value;
			}
		};
		set(&mut sizes.senders, self.senders);
		set(&mut sizes.transfers, self.transfers);
		set(&mut sizes.job_services, self.job_services);
		set(&mut sizes.calls_per_service, self.calls_per_service);
		set(&mut sizes.heartbeat_groups, self.heartbeat_groups);
		set(&mut sizes.channels, self.channels);
		set(&mut sizes.updates_per_channel, self.updates_per_channel);
		sizes
	}

	fn scenarios(&self) -> Vec<Scenario> {
		let all = [
			Scenario::Transfer,
			Scenario::SubmitResult,
			Scenario::Heartbeat,
			Scenario::MonitorUpdate,
			Scenario::Mix,
		];
		let mut chosen: Vec<Scenario> = if self.scenarios.is_empty() {
			all.to_vec()
		} else {
			all.into_iter().filter(|s| self.scenarios.contains(s)).collect()
		};
		if chosen.first() != Some(&Scenario::Transfer) {
			chosen.insert(0, Scenario::Transfer);
		}
		chosen
	}

	fn sealing(&self) -> String {
		if self.quick && self.sealing == "6000" {
			"manual".into()
		} else {
			self.sealing.clone()
		}
	}
}

fn node_binary(args: &Args) -> Result<PathBuf, String> {
	let path = match &args.node {
		Some(path) => path.clone(),
		None => std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("warden-node"),
	};
	if path.exists() {
		Ok(path)
	} else {
		Err(format!(
			"{} is missing: build it with `cargo build -p warden-node` or name it with --node",
			path.display()
		))
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	let args = Args::parse();
	let json_errors = args.json;
	match run(args).await {
		Ok(true) => ExitCode::from(OK),
		Ok(false) => ExitCode::from(FAILED),
		Err(error) => {
			if json_errors {
				println!("{}", json!({ "error": error }));
			} else {
				eprintln!("warden-load: {error}");
			}
			ExitCode::from(FAILED)
		}
	}
}

async fn run(args: Args) -> Result<bool, String> {
	let sizes = args.sizes();
	sizes.check()?;
	let accounts = Accounts::new(&sizes);
	let sealing = args.sealing();

	if let Some(path) = &args.write_spec {
		spec::write(&node_binary(&args)?, path, &accounts, args.runtime.as_deref())?;
		if !args.json {
			println!("wrote {}", path.display());
		}
		return Ok(true);
	}

	// The node: the one named, or a development node started from the patched spec.
	let scratch = temp_dir();
	let mut node = None;
	let (url, manual, node_json) = match &args.url {
		Some(url) => (url.clone(), args.manual, json!({ "url": url, "started": false })),
		None => {
			let binary = node_binary(&args)?;
			let spec_path = scratch.path().join("load-spec.json");
			spec::write(&binary, &spec_path, &accounts, args.runtime.as_deref())?;
			let config = NodeConfig::new(&binary).name("load").args([
				"--chain".to_string(),
				spec_path.display().to_string(),
				"--sealing".into(),
				sealing.clone(),
				"--pool-limit".into(),
				args.pool_limit.to_string(),
				"--pool-kbytes".into(),
				args.pool_kbytes.to_string(),
				"--rpc-max-connections".into(),
				"1000".into(),
			]);
			let mut started = Node::start(config, scratch.path());
			started.wait_ready().await;
			let url = started.ws_url();
			node = Some(started);
			let node_json = json!({
				"url": url,
				"started": true,
				"binary": binary.display().to_string(),
				"runtime": args.runtime.as_ref().map(|r| r.display().to_string()),
				"sealing": sealing,
				"pool_limit": args.pool_limit,
				"pool_kbytes": args.pool_kbytes,
			});
			(url, sealing == "manual", node_json)
		}
	};
	let result = bench(&args, &url, manual, sizes, &accounts, node_json).await;
	if let Some(node) = &node {
		if result.is_err() {
			eprintln!("----- node log -----\n{}", warden_tests::node::tail(&node.log(), 40));
		}
		// The node's log next to the report: why a block held less than it could.
		let log = args.out.with_extension("node.log");
		if let Err(e) = std::fs::copy(&node.log_path, &log) {
			eprintln!("warden-load: can't keep the node's log in {}: {e}", log.display());
		}
	}
	drop(node);
	let report = result?;
	let clean = report["all_included"].as_bool().unwrap_or(false);
	write_report(&args.out, &report)?;
	if args.json {
		println!("{report}");
	} else {
		print!("{}", table(&report));
		println!("report: {}", args.out.display());
	}
	Ok(clean)
}

async fn bench(
	args: &Args,
	url: &str,
	manual: bool,
	sizes: Sizes,
	accounts: &Accounts,
	node: Value,
) -> Result<Value, String> {
	let started = Instant::now();
	let chain = Chain::connect(url, manual).await?;
	let chosen = args.scenarios();
	let mut bench = Bench {
		chain: &chain,
		accounts,
		sizes,
		connections: args.connections,
		nonces: Default::default(),
		setup: Setup::default(),
	};
	let jobs = chosen.contains(&Scenario::SubmitResult);
	let heartbeats = chosen.contains(&Scenario::Heartbeat) || chosen.contains(&Scenario::Mix);
	let channels = chosen.contains(&Scenario::MonitorUpdate) || chosen.contains(&Scenario::Mix);
	bench.set_up(jobs, heartbeats, channels).await?;
	let setup_s = started.elapsed().as_secs_f64();

	let mut outcomes: Vec<Outcome> = vec![];
	for scenario in chosen {
		let outcome = match scenario {
			Scenario::Transfer => bench.transfer().await?,
			Scenario::SubmitResult => bench.submit_result().await?,
			Scenario::Heartbeat => bench.heartbeat().await?,
			Scenario::MonitorUpdate => bench.monitor_update().await?,
			Scenario::Mix => bench.mix().await?,
		};
		if !args.json {
			eprintln!(
				"[load] {}: {} {} in {:.1} s",
				outcome.name,
				outcome.done,
				outcome.unit,
				outcome.phases.iter().map(|p| p.span_s).sum::<f64>()
			);
		}
		outcomes.push(outcome);
	}
	let baseline = outcomes.first().map(|o| o.per_s);
	Ok(json!({
		"node": node,
		"quick": args.quick,
		"sizes": sizes,
		"connections": args.connections,
		"normal_class_max": { "ref_time_ps": chain.normal_max.0, "proof_size_bytes": chain.normal_max.1 },
		"setup_s": setup_s,
		"all_included": outcomes.iter().all(Outcome::clean),
		"scenarios": outcomes.iter().map(|o| o.to_json(baseline)).collect::<Vec<_>>(),
	}))
}

fn write_report(path: &Path, report: &Value) -> Result<(), String> {
	if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
		std::fs::create_dir_all(dir).map_err(|e| format!("can't create {}: {e}", dir.display()))?;
	}
	let text = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
	std::fs::write(path, text).map_err(|e| format!("can't write {}: {e}", path.display()))
}

/// The report as a table: one row per scenario, then one per phase.
fn table(report: &Value) -> String {
	let mut out = String::new();
	let number = |v: &Value| v.as_f64().unwrap_or_default();
	out.push_str(&format!(
		"{:<30} {:>11} {:>9} {:>8} {:>7} {:>7} {:>7} {:>9}\n",
		"scenario / phase", "done", "per s", "vs xfer", "tx/blk", "max", "ref %", "proof KiB"
	));
	for scenario in report["scenarios"].as_array().into_iter().flatten() {
		let ratio = scenario["ratio_to_transfer"].as_f64().map(|r| format!("{r:.2}×"));
		out.push_str(&format!(
			"{:<30} {:>11} {:>9.1} {:>8} {:>7} {:>7} {:>7} {:>9}{}\n",
			scenario["name"].as_str().unwrap_or_default(),
			scenario["done"].to_string(),
			number(&scenario["per_s"]),
			ratio.unwrap_or_else(|| "-".into()),
			"",
			"",
			"",
			"",
			if scenario["all_included"].as_bool() == Some(true) {
				""
			} else {
				"  NOT ALL INCLUDED"
			},
		));
		for phase in scenario["phases"].as_array().into_iter().flatten() {
			out.push_str(&format!(
				"  {:<28} {:>11} {:>9.1} {:>8} {:>7.0} {:>7} {:>7.1} {:>9.1}\n",
				phase["name"].as_str().unwrap_or_default(),
				format!("{}/{}", phase["included"], phase["submitted"]),
				number(&phase["tx_per_s"]),
				"",
				number(&phase["tx_per_block"]),
				phase["max_tx_per_block"].to_string(),
				number(&phase["ref_time_fullness_pct"]),
				number(&phase["proof_size_kib"]),
			));
		}
	}
	out
}
