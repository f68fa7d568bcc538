//! `warden-operator` against a real dev node: bad configuration refused before any node is
//! contacted; a second agent on the same database refused; a permitted request approved
//! and served (a job's result from its program, a heartbeat in every window); a request
//! from someone the policy doesn't permit rejected with its reason logged; SIGTERM exits 0.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use warden_client::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec, sp_arithmetic::per_things::Percent,
			warden_primitives::services::JobOutcomeInfo,
		},
	},
	Client, Keypair, Scheme, Wait,
};
use warden_tests::node::{free_port, temp_dir, wait_until, Node, NodeConfig};

const AGENT: &str = env!("CARGO_BIN_EXE_warden-operator");

/// How long a condition on the chain may take to come true.
const WAIT: Duration = Duration::from_secs(120);

fn node_binary() -> PathBuf {
	let path = PathBuf::from(AGENT).with_file_name("warden-node");
	assert!(
		path.exists(),
		"{} is missing: build it with `cargo build -p warden-node`",
		path.display()
	);
	path
}

fn key(name: &str) -> Keypair {
	Keypair::dev(name, Scheme::Sr25519).expect("a dev key")
}

const POLICY: &str = r#"
[[blueprint]]
id = 0
max_ttl = 500
exposure = "20%"
requesters = ["charlie"]
max_instances = 7

[[blueprint.job]]
id = 0
program = "/bin/sh"
timeout_secs = 2
args = ["-c", '''
input=$(cat); printf '%s\n' "$input" >> "$RUNS"
case "$input" in
  *fail*) echo oops >&2; exit 3 ;;
  *hang*) sleep 600 ;;
  *slow*) echo "start $(date +%s%N)" >> "$RUNS.times"; sleep 1.5
          echo "end $(date +%s%N)" >> "$RUNS.times"; echo slow ;;
  *) echo pong ;;
esac
''']
"#;

/// Runs the `warden` CLI against `url` with `args`; panics unless it succeeds.
fn warden(url: &str, args: &[&str]) -> String {
	let cli = PathBuf::from(AGENT).with_file_name("warden");
	let output = Command::new(&cli)
		.args(["--url", url, "--quiet"])
		.args(args)
		.output()
		.unwrap_or_else(|e| {
			panic!("{} doesn't run ({e}): build it with `cargo build -p warden-cli`", cli.display())
		});
	assert!(
		output.status.success(),
		"warden {args:?}: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	String::from_utf8_lossy(&output.stdout).into_owned()
}

const QUICK_BLUEPRINT: &str = r#"
[metadata]
name = "quick"
description = "heartbeats every other block"
author = "Warden tests"
code_url = "https://example.com/quick"

[[jobs]]
name = "echo"
max_args_len = 64
result_deadline = 10

[policy]
min_operator_stake = "1000 WRD"
heartbeat_interval = 2
missed_heartbeat_threshold = 1

[policy.reporting]
service_owner = true
blueprint_owner = true
service_operators = true
max_job_slash = "10%"
max_qos_slash = "1%"
"#;

/// `GET path` from the agent's HTTP endpoint at `addr`: the whole response.
fn get(addr: &str, path: &str) -> String {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(addr).expect("the agent listens");
	stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a timeout");
	write!(stream, "GET {path} HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n")
		.expect("sends");
	let mut response = String::new();
	stream.read_to_string(&mut response).expect("reads");
	assert!(response.starts_with("HTTP/1.1 200"), "{response}");
	response
}

/// Our result for the call of `service` with `args`, once the chain holds it.
async fn result_of(client: &Client, service: u64, args: &[u8]) -> Option<JobOutcomeInfo> {
	let me = key("alice").account_id();
	let calls = client.read(api::runtime_apis().services_api().open_calls(service)).await.ok()?;
	let call = calls.iter().find(|c| c.args == args)?;
	call.results.iter().find(|(who, _)| *who == me).map(|(_, outcome)| outcome.clone())
}

async fn call(client: &Client, service: u64, args: &[u8]) {
	let call = api::tx().services().call(service, 0, BoundedVec(args.to_vec()));
	client.submit(&call, &key("charlie"), Wait::InBlock, |_| {}).await.expect("called");
}

/// Runs the agent with `args`; stderr goes to `log`.
fn agent(args: &[&str], log: &Path) -> Child {
	agent_with(args, log, &[])
}

/// Runs the agent with `args` and environment variables `env`; stderr goes to `log`.
fn agent_with(args: &[&str], log: &Path, env: &[(&str, &str)]) -> Child {
	Command::new(AGENT)
		.args(args)
		.envs(env.iter().copied())
		.stdout(Stdio::null())
		.stderr(std::fs::File::create(log).expect("a log file"))
		.spawn()
		.expect("the agent starts")
}

/// Runs the agent with `args` and `env`, stderr to `log`, and waits until it is ready.
async fn ready_agent(args: &[&str], log: &Path, env: &[(&str, &str)]) -> Child {
	let child = agent_with(args, log, env);
	wait_until(WAIT, "the agent to start", || async {
		let text = std::fs::read_to_string(log).unwrap_or_default();
		text.contains("warden-operator ready").then_some(())
	})
	.await;
	child
}

/// Waits for `child` to exit within `within`: its exit code (`None` if a signal ended it).
fn exit_code(child: &mut Child, within: Duration) -> Option<i32> {
	let deadline = Instant::now() + within;
	loop {
		if let Some(status) = child.try_wait().expect("waits") {
			return status.code();
		}
		assert!(Instant::now() < deadline, "the agent didn't exit");
		std::thread::sleep(Duration::from_millis(50));
	}
}

/// Runs the agent to its end within a minute; returns its exit code and stderr.
fn agent_exits(args: &[&str], dir: &Path) -> (i32, String) {
	let log = dir.join("exit.log");
	let mut child = agent(args, &log);
	let code = exit_code(&mut child, Duration::from_secs(60)).unwrap_or(-1);
	(code, std::fs::read_to_string(&log).unwrap_or_default())
}

/// The id the next service request gets.
async fn next_request_id(client: &Client) -> u64 {
	client
		.at_best()
		.await
		.expect("a block")
		.storage()
		.fetch(api::storage().services().next_request_id(), ())
		.await
		.expect("reads")
		.decode()
		.expect("decodes")
}

/// `requester` asks Alice for a service of `blueprint` for `ttl` blocks: the request's id.
async fn request(client: &Client, blueprint: u64, requester: &str, ttl: u32) -> u64 {
	let id = next_request_id(client).await;
	let call = api::tx().services().request(
		blueprint,
		BoundedVec(vec![key("alice").account_id()]),
		BoundedVec(vec![]),
		ttl,
		Percent(10),
		0,
	);
	client.submit(&call, &key(requester), Wait::InBlock, |_| {}).await.expect("requested");
	id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_agent_end_to_end() {
	let scratch = temp_dir();
	let dir = scratch.path();
	let policy = dir.join("policy.toml");
	std::fs::write(&policy, POLICY).expect("writes");
	let db = dir.join("agent.redb");
	let (policy_arg, db_arg) = (policy.to_str().unwrap(), db.to_str().unwrap());

	// Bad configuration: exit 2 with what is wrong, before any node is contacted (none runs).
	let bad = dir.join("bad.toml");
	for (text, says) in [
		(POLICY.replace("20%", "101%"), "between 1% and 100%"),
		(POLICY.replace("[[blueprint.job]]", "[[blueprint.jobs]]"), "unknown field"),
		("not toml [".to_string(), "invalid TOML"),
	] {
		std::fs::write(&bad, text).expect("writes");
		let (code, stderr) = agent_exits(
			&["--policy", bad.to_str().unwrap(), "--suri", "alice", "--url", "ws://127.0.0.1:1"],
			dir,
		);
		assert_eq!(code, 2, "{stderr}");
		assert!(stderr.contains(says), "{stderr}");
	}
	let (code, stderr) = agent_exits(&["--policy", policy_arg, "--url", "ws://127.0.0.1:1"], dir);
	assert_eq!((code, stderr.contains("--suri or --key-file")), (2, true), "{stderr}");

	let mut node = Node::start(NodeConfig::dev(node_binary()), dir);
	node.wait_ready().await;
	let url = node.ws_url();
	let client = Client::connect(&url).await.expect("a client");
	let http = format!("127.0.0.1:{}", free_port());
	let args = [
		"--policy",
		policy_arg,
		"--suri",
		"alice",
		"--db",
		db_arg,
		"--url",
		&url,
		"--block-time-ms",
		"1000",
		"--doppelganger-blocks",
		"2",
		"--http",
		&http,
	];
	let log = dir.join("agent.log");
	// The job's program appends each call's input here.
	let runs = dir.join("runs.log");
	let runs_env = [("RUNS", runs.to_str().unwrap())];
	let mut running = ready_agent(&args, &log, &runs_env).await;
	let log_text = || std::fs::read_to_string(&log).unwrap_or_default();

	// A policy naming a blueprint the chain doesn't have is refused once connected.
	let unknown = dir.join("unknown.toml");
	std::fs::write(&unknown, POLICY.replace("id = 0\nmax_ttl", "id = 99\nmax_ttl"))
		.expect("writes");
	let other_db = dir.join("unknown.redb");
	let (code, stderr) = agent_exits(
		&[
			"--policy",
			unknown.to_str().unwrap(),
			"--suri",
			"alice",
			"--url",
			&url,
			"--db",
			other_db.to_str().unwrap(),
		],
		dir,
	);
	assert_eq!(code, 2, "{stderr}");
	assert!(stderr.contains("blueprint 99, which doesn't exist"), "{stderr}");

	// The policy's terms are published at start.
	let registrations = client
		.read(api::runtime_apis().services_api().registrations_of(key("alice").account_id()))
		.await
		.expect("reads");
	let demo = registrations.iter().find(|r| r.blueprint == 0).expect("registered");
	assert_eq!(demo.preferences.max_instances, 7);
	assert!(log_text().contains("terms published"), "{}", log_text());

	// A second agent on the same database refuses to start.
	let (code, stderr) = agent_exits(&args, dir);
	assert_eq!(code, 2, "{stderr}");
	assert!(stderr.contains("can't open the database"), "{stderr}");

	// Charlie's request is approved and becomes a service of Alice's.
	let approved = request(&client, 0, "charlie", 200).await;
	let services =
		api::runtime_apis().services_api().services_of(key("alice").account_id(), None, 10);
	let service = wait_until(WAIT, "the service", || async {
		let found = client.read(services.clone()).await.ok()?;
		found.into_iter().find(|s| s.request == approved).map(|s| s.id)
	})
	.await;

	// A request updated after the agent approved it is approved again, at its new version
	// (Bob, also named, never approves: it stays pending).
	let updated = next_request_id(&client).await;
	let both = BoundedVec(vec![key("alice").account_id(), key("bob").account_id()]);
	let ask =
		api::tx().services().request(0, both.clone(), BoundedVec(vec![]), 200, Percent(10), 0);
	client.submit(&ask, &key("charlie"), Wait::InBlock, |_| {}).await.expect("requested");
	let approved_at = |version: u32| {
		let client = &client;
		move || async move {
			let info =
				client.read(api::runtime_apis().services_api().request(updated)).await.ok()??;
			let alice = key("alice").account_id();
			let ours = info.operators.iter().find(|(who, _)| *who == alice)?;
			(info.version == version && ours.1.is_some()).then_some(())
		}
	};
	wait_until(WAIT, "the first approval", approved_at(0)).await;
	let update =
		api::tx().services().update_request(updated, both, BoundedVec(vec![]), 300, Percent(10), 0);
	client.submit(&update, &key("charlie"), Wait::InBlock, |_| {}).await.expect("updated");
	wait_until(WAIT, "the approval of version 1", approved_at(1)).await;

	// Dave isn't a permitted requester: rejected, with the reason in the log.
	let rejected = request(&client, 0, "dave", 200).await;
	wait_until(WAIT, "the rejection", || async {
		let pending =
			client.read(api::runtime_apis().services_api().request(rejected)).await.ok()?;
		pending.is_none().then_some(())
	})
	.await;
	assert!(log_text().contains("not a permitted requester"), "{}", log_text());

	// A call is answered with the program's output; a failing program and one that runs
	// past its timeout give a Failure saying why, never silence; two slow calls run at once.
	let me = key("alice").account_id();
	for args in [&b"ping"[..], b"fail", b"hang", b"slow 1", b"slow 2"] {
		call(&client, service, args).await;
	}
	let outcome = |args: &'static [u8]| {
		let client = &client;
		move || async move { result_of(client, service, args).await }
	};
	assert_eq!(
		wait_until(WAIT, "ping", outcome(b"ping")).await,
		JobOutcomeInfo::Success(b"pong\n".to_vec())
	);
	let JobOutcomeInfo::Failure(failed) = wait_until(WAIT, "fail", outcome(b"fail")).await else {
		panic!("a failing program succeeded");
	};
	let failed = String::from_utf8(failed).unwrap();
	assert!(failed.contains("exit status: 3") && failed.contains("oops"), "{failed}");
	assert_eq!(
		wait_until(WAIT, "hang", outcome(b"hang")).await,
		JobOutcomeInfo::Failure(b"timed out after 2000 ms".to_vec())
	);
	for slow in [&b"slow 1"[..], b"slow 2"] {
		let slow: &'static [u8] = slow;
		assert_eq!(
			wait_until(WAIT, "slow", outcome(slow)).await,
			JobOutcomeInfo::Success(b"slow\n".to_vec())
		);
	}
	let times = std::fs::read_to_string(format!("{}.times", runs.display())).unwrap();
	let stamps: Vec<(&str, u128)> = times
		.lines()
		.filter_map(|line| line.split_once(' '))
		.map(|(what, at)| (what, at.parse().unwrap()))
		.collect();
	let (starts, ends): (Vec<_>, Vec<_>) = stamps.iter().partition(|(what, _)| *what == "start");
	assert_eq!((starts.len(), ends.len()), (2, 2), "{times}");
	let last_start = starts.iter().map(|(_, at)| *at).max().unwrap();
	let first_end = ends.iter().map(|(_, at)| *at).min().unwrap();
	assert!(last_start < first_end, "the two slow programs didn't overlap: {times}");

	// Its status and metrics say what it did.
	let status = get(&http, "/status");
	let status: serde_json::Value =
		serde_json::from_str(status.split("\r\n\r\n").nth(1).unwrap_or_default()).expect("JSON");
	assert_eq!(status["operator"], key("alice").account_id().to_string(), "{status}");
	assert_eq!(status["services"], 1, "{status}");
	assert!(status["counters"]["results"].as_u64() >= Some(1), "{status}");
	let metrics = get(&http, "/metrics");
	assert!(metrics.contains("warden_operator_results_total"), "{metrics}");
	assert!(metrics.contains("warden_operator_heartbeats_total"), "{metrics}");
	assert!(status["counters"]["jobs_succeeded"].as_u64() >= Some(1), "{status}");
	assert!(status["counters"]["jobs_failed"].as_u64() >= Some(2), "failing and slow: {status}");
	assert_eq!(status["counters"]["heartbeats_missed"], 0, "{status}");
	assert_eq!(status["counters"]["jobs_late"], 0, "{status}");
	// The CLI shows it next to the chain's record of the operator.
	let agent_url = format!("http://{http}");
	let shown = warden(&url, &["--json", "operator", "status", "--agent", &agent_url]);
	let shown: serde_json::Value = serde_json::from_str(&shown).expect("JSON");
	assert_eq!(shown["account"], key("alice").account_id().to_string(), "{shown}");
	assert_eq!(shown["agent"]["services"], 1, "{shown}");
	assert!(shown["operator"].is_object(), "the chain's record: {shown}");

	// Heartbeats: none missed over the windows so far.
	let status = client
		.read(api::runtime_apis().services_api().heartbeat_status(service))
		.await
		.expect("reads");
	let ours = status.iter().find(|h| h.operator == me).expect("our status");
	assert_eq!(ours.missed_intervals, 0);
	assert!(ours.last_heartbeat.is_some());

	// Another signer of Alice's key: an agent on another database watches her nonce before
	// acting, sees it move (a remark signed meanwhile) and refuses to start.
	let other_db = dir.join("other.redb");
	let other_log = dir.join("other.log");
	let mut other = agent(
		&[
			"--policy",
			policy_arg,
			"--suri",
			"alice",
			"--db",
			other_db.to_str().unwrap(),
			"--url",
			&url,
			"--doppelganger-blocks",
			"1000",
		],
		&other_log,
	);
	let other_text = || std::fs::read_to_string(&other_log).unwrap_or_default();
	wait_until(WAIT, "the other agent to watch", || async {
		other_text().contains("watching for another signer").then_some(())
	})
	.await;
	let remark = api::tx().system().remark(b"someone else".to_vec());
	client.submit(&remark, &key("alice"), Wait::InBlock, |_| {}).await.expect("a remark");
	assert_eq!(exit_code(&mut other, WAIT), Some(2), "{}", other_text());
	assert!(other_text().contains("another signer uses"), "{}", other_text());

	// Heartbeats every other block (a blueprint of interval 2 once the minimum allows it):
	// over five windows the agent misses none, and a report of missed heartbeats is refused.
	warden(&url, &["--suri", "//Alice", "params", "set", "services", "min_heartbeat_interval=2"]);
	let quick_file = dir.join("quick.toml");
	std::fs::write(&quick_file, QUICK_BLUEPRINT).expect("writes");
	let quick: u64 = client
		.at_best()
		.await
		.expect("a block")
		.storage()
		.fetch(api::storage().services().next_blueprint_id(), ())
		.await
		.expect("reads")
		.decode()
		.expect("decodes");
	warden(&url, &["--suri", "//Alice", "blueprint", "create", quick_file.to_str().unwrap()]);
	let key_hex = format!("0x{}", "02".repeat(32));
	warden(
		&url,
		&[
			"--suri",
			"//Alice",
			"registration",
			"register",
			&quick.to_string(),
			"--operator-key",
			&key_hex,
			"--rpc-address",
			"ws://alice.example:9955",
		],
	);
	// The agent learns the new blueprint from its policy: restart it with one.
	Command::new("kill").args(["-TERM", &running.id().to_string()]).status().expect("kill");
	assert_eq!(running.wait().expect("exits").code(), Some(0));
	let with_quick = dir.join("with-quick.toml");
	std::fs::write(
		&with_quick,
		format!(
			"{POLICY}\n{}",
			POLICY.replace("id = 0\nmax_ttl", &format!("id = {quick}\nmax_ttl"))
		),
	)
	.expect("writes");
	let quick_args: Vec<&str> = args
		.iter()
		.map(|arg| if *arg == policy_arg { with_quick.to_str().unwrap() } else { arg })
		.collect();
	let mut running = agent_with(&quick_args, &log, &runs_env);
	let quick_request = request(&client, quick, "charlie", 200).await;
	let quick_service = wait_until(WAIT, "the quick service", || async {
		let found = client.read(services.clone()).await.ok()?;
		found.into_iter().find(|s| s.request == quick_request).map(|s| s.id)
	})
	.await;
	let started = client.at_best().await.expect("a block").block_number();
	wait_until(WAIT, "five windows", || async {
		let best = client.at_best().await.ok()?.block_number();
		(best >= started + 11).then_some(())
	})
	.await;
	let status = client
		.read(api::runtime_apis().services_api().heartbeat_status(quick_service))
		.await
		.expect("reads");
	let ours = status.iter().find(|h| h.operator == me).expect("our status");
	assert_eq!(ours.missed_intervals, 0, "{}", log_text());
	let report = api::tx().services().report_missed_heartbeats(quick_service, me);
	let refused =
		client.submit(&report, &key("dave"), Wait::InBlock, |_| {}).await.expect_err("refused");
	assert_eq!(
		refused.pallet_error().as_deref(),
		Some("Services::NotEnoughMissedHeartbeats"),
		"{refused}"
	);

	// SIGTERM: it stops and exits 0.
	let pid = running.id().to_string();
	Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
	let status = running.wait().expect("exits");
	assert_eq!(status.code(), Some(0), "{}", log_text());

	// A crash between recording a result and sending it: after the restart the recorded
	// bytes are sent, the program doesn't run again, and one result lands in time.
	let crash_log = dir.join("crash.log");
	let crash_env = [runs_env[0], ("WARDEN_OPERATOR_FAILPOINT", "result-recorded")];
	let mut crashing = ready_agent(&args, &crash_log, &crash_env).await;
	let crash_text = || std::fs::read_to_string(&crash_log).unwrap_or_default();
	call(&client, service, b"again").await;
	assert_eq!(exit_code(&mut crashing, WAIT), Some(137), "{}", crash_text());
	let mut restarted = agent_with(&args, &log, &runs_env);
	wait_until(WAIT, "the result after the restart", || async {
		let calls =
			client.read(api::runtime_apis().services_api().open_calls(service)).await.ok()?;
		let again = calls.iter().find(|c| c.args == b"again".to_vec())?;
		again.results.iter().any(|(who, _)| *who == me).then_some(())
	})
	.await;
	let runs = std::fs::read_to_string(&runs).unwrap_or_default();
	assert_eq!(runs.matches("\"args_text\":\"again\"").count(), 1, "{runs}");
	assert!(!log_text().contains("not accepted"), "{}", log_text());
	Command::new("kill").args(["-TERM", &restarted.id().to_string()]).status().expect("kill");
	assert_eq!(restarted.wait().expect("exits").code(), Some(0));

	// A result the node drops (a failpoint doesn't send it once signed and recorded): the
	// agent sends it within the same run, from the one run of its program.
	let drop_log = dir.join("drop.log");
	let drop_env = [runs_env[0], ("WARDEN_OPERATOR_FAILPOINT", "result-dropped")];
	let mut dropping = ready_agent(&args, &drop_log, &drop_env).await;
	let drop_text = || std::fs::read_to_string(&drop_log).unwrap_or_default();
	call(&client, service, b"dropped").await;
	wait_until(WAIT, "the dropped result, sent again", || async {
		result_of(&client, service, b"dropped").await.map(|_| ())
	})
	.await;
	assert!(drop_text().contains("failpoint: not sending the result"), "{}", drop_text());
	let runs = std::fs::read_to_string(dir.join("runs.log")).unwrap_or_default();
	assert_eq!(runs.matches("\"args_text\":\"dropped\"").count(), 1, "{runs}");
	Command::new("kill").args(["-TERM", &dropping.id().to_string()]).status().expect("kill");
	assert_eq!(dropping.wait().expect("exits").code(), Some(0), "{}", drop_text());
}
