//! End to end: the real `warden` binary against a real `warden-node --dev`, through the
//! README walkthrough, every step checked by reading the chain back with the CLI's own
//! `show` commands (`--json`); the channel side through `wardend` (`warden channel …`) and a
//! `warden-monitor`. One node serves the whole walkthrough.
//!
//! The node binary is the `warden-node` built next to `warden` (`cargo test --workspace`
//! builds both).

use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
	time::{Duration, Instant},
};

use serde_json::{json, Value};
use warden_client::{api, parse_account, units::UNIT, Client, FinalizedEvents};
use warden_tests::{
	daemons::{amount, start_monitor, Wardend},
	node::{self, temp_dir, Node, NodeConfig},
};

const WARDEN: &str = env!("CARGO_BIN_EXE_warden");

/// How long a condition on the chain may take to come true.
const CHAIN_WAIT: Duration = Duration::from_secs(120);

fn node_binary() -> PathBuf {
	let path = PathBuf::from(WARDEN).with_file_name("warden-node");
	assert!(
		path.exists(),
		"{} is missing: build it with `cargo build -p warden-node`",
		path.display()
	);
	path
}

/// Runs `warden` with `args`.
fn warden(args: &[&str]) -> Output {
	Command::new(WARDEN).args(args).output().expect("the warden binary runs")
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// A CLI on one node, signing as one key.
struct Cli {
	url: String,
}

impl Cli {
	/// Runs `warden --url <node> [--suri <suri>] --json --quiet <args>`, asserts success and
	/// returns its JSON.
	fn ok(&self, suri: Option<&str>, args: &[&str]) -> Value {
		let output = self.run(suri, args);
		assert!(
			output.status.success(),
			"warden {args:?} failed ({:?}):\n{}",
			output.status.code(),
			text(&output.stderr)
		);
		serde_json::from_slice(&output.stdout)
			.unwrap_or_else(|e| panic!("warden {args:?}: not JSON ({e}): {}", text(&output.stdout)))
	}

	fn run(&self, suri: Option<&str>, args: &[&str]) -> Output {
		let mut all = vec!["--url", &self.url, "--json", "--quiet"];
		if let Some(suri) = suri {
			all.extend(["--suri", suri]);
		}
		all.extend(args);
		warden(&all)
	}

	/// A transaction signed by `suri`; returns its events.
	fn tx(&self, suri: &str, args: &[&str]) -> Vec<Value> {
		let out = self.ok(Some(suri), args);
		assert_eq!(out["finalized"], json!(true), "{out}");
		out["events"].as_array().cloned().unwrap_or_default()
	}

	/// A read.
	fn read(&self, args: &[&str]) -> Value {
		self.ok(None, args)
	}

	/// Runs `warden --url <node> --quiet [--suri <suri>] <args>` for a person (no `--json`),
	/// asserts success and returns what it printed.
	fn text(&self, suri: Option<&str>, args: &[&str]) -> String {
		let mut all = vec!["--url", &self.url, "--quiet"];
		if let Some(suri) = suri {
			all.extend(["--suri", suri]);
		}
		all.extend(args);
		let output = warden(&all);
		assert!(output.status.success(), "warden {args:?}: {}", text(&output.stderr));
		text(&output.stdout)
	}
}

/// The fields of event `pallet.name` among `events`.
fn event<'a>(events: &'a [Value], pallet: &str, name: &str) -> &'a Value {
	events
		.iter()
		.find(|e| e["pallet"] == pallet && e["event"] == name)
		.map(|e| &e["fields"])
		.unwrap_or_else(|| panic!("no {pallet}.{name} among {events:#?}"))
}

/// A number that may be a JSON number or a decimal string.
fn number(value: &Value) -> u128 {
	match value {
		Value::Number(n) => n.as_u64().map(u128::from).unwrap_or_else(|| panic!("{value}")),
		Value::String(s) => s.parse().unwrap_or_else(|_| panic!("not a number: {value}")),
		other => panic!("not a number: {other}"),
	}
}

fn ss58(name: &str) -> String {
	parse_account(name).expect("dev name").to_string()
}

/// Waits until `check` returns something, or fails after [`CHAIN_WAIT`].
fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
	let deadline = Instant::now() + CHAIN_WAIT;
	loop {
		if let Some(done) = check() {
			return done;
		}
		assert!(Instant::now() < deadline, "{what}: not within {} s", CHAIN_WAIT.as_secs());
		std::thread::sleep(Duration::from_millis(500));
	}
}

#[test]
fn bad_input_gets_its_own_message_and_exit_code_without_a_node() {
	// Nothing listens on port 1: the parse errors come first, then the connection.
	let url = "ws://127.0.0.1:1";
	for (args, code, says) in [
		(vec!["--suri", "//Eve", "transfer", "mallory", "1"], 2, "not an account"),
		(vec!["--suri", "//Eve", "transfer", "bob", "1.2.3"], 2, "not an amount"),
		(
			vec![
				"--suri",
				"//Eve",
				"transfer",
				"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ",
				"1",
			],
			2,
			"not an account",
		),
		(vec!["--suri", "//Eve", "operator", "join", "0.0000000000001"], 2, "at most 12 decimals"),
		(vec!["service", "approve", "1", "--exposure", "150%"], 2, "percentage"),
		(vec!["transfer", "bob", "1"], 2, "give --suri"),
		(vec!["no-such-command"], 2, "unrecognized subcommand"),
		(vec!["chain", "status"], 3, "ws://127.0.0.1:1"),
	] {
		let mut all = vec!["--url", url];
		all.extend(&args);
		let output = warden(&all);
		let stderr = text(&output.stderr);
		assert_eq!(output.status.code(), Some(code), "warden {args:?}: {stderr}");
		assert!(stderr.contains(says), "warden {args:?}: {stderr}");
		assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
	}
	// With --json, a failure is one JSON object on stdout too, with the same exit code.
	for (args, code, kind) in [
		(vec!["--json", "chain", "status"], 3, "unreachable"),
		(vec!["--json", "--suri", "//Eve", "transfer", "bob", "1.2.3"], 2, "input"),
		(vec!["--json", "no-such-command"], 2, "input"),
	] {
		let mut all = vec!["--url", url];
		all.extend(&args);
		let output = warden(&all);
		assert_eq!(output.status.code(), Some(code), "warden {args:?}");
		let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
			panic!("warden {args:?}: not JSON ({e}): {}", text(&output.stdout))
		});
		assert_eq!(report["error"]["kind"], json!(kind), "{report}");
		assert_eq!(report["exit_code"], json!(code), "{report}");
		assert!(report["meaning"].as_str().is_some_and(|m| !m.is_empty()), "{report}");
		assert!(!report["error"]["message"].as_str().unwrap_or_default().is_empty(), "{report}");
	}
	// Help is complete and exits 0.
	let help = warden(&["--help"]);
	assert!(help.status.success());
	for command in
		["operator", "delegate", "service", "report", "slash", "rewards", "monitor", "params"]
	{
		assert!(text(&help.stdout).contains(command), "--help lists {command}");
	}
	let completions = warden(&["completions", "bash"]);
	assert!(completions.status.success() && text(&completions.stdout).contains("warden"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_walkthrough_runs_on_a_dev_node() {
	let scratch = temp_dir();
	let mut node = Node::start(NodeConfig::dev(node_binary()), scratch.path());
	node.wait_ready().await;
	let cli = Cli { url: node.ws_url() };
	let url = node.ws_url();
	tokio::task::spawn_blocking(move || operators_services_and_slashes(&Cli { url }))
		.await
		.unwrap_or_else(|e| node.fail(&format!("the CLI walkthrough failed: {e}")));
	channels_and_monitors(&cli, scratch.path()).await;
	let url = cli.url.clone();
	tokio::task::spawn_blocking(move || {
		refusals_and_bad_input(&Cli { url: url.clone() });
		validators(&Cli { url });
	})
	.await
	.expect("refusals and validators");
	drop(node);
}

/// Join, delegate, register, request, approve, call, result, heartbeat, stats; report,
/// dispute, a committee veto and a slash that applies; rewards.
fn operators_services_and_slashes(cli: &Cli) {
	let (eve, ferdie) = (ss58("eve"), ss58("ferdie"));

	// Eve becomes an operator with 1 000 WRD (`--if-needed` a second time sends nothing);
	// Ferdie delegates 50 WRD to her, backing blueprint 0 only.
	cli.tx("//Eve", &["operator", "join", "1000", "--if-needed"]);
	if_needed_sends_nothing(cli, "//Eve", &["operator", "join", "1000", "--if-needed"]);
	cli.tx("//Ferdie", &["delegate", "eve", "50 WRD", "--blueprints", "0"]);
	let shown = cli.read(&["operator", "show", "eve"]);
	assert_eq!(shown["operator"]["state"], "Active", "{shown}");
	assert_eq!(number(&shown["operator"]["bond"]), 1_000 * UNIT);
	assert_eq!(number(&shown["operator"]["delegated_active"]), 50 * UNIT);
	let delegations = cli.read(&["delegations", "ferdie"]);
	assert_eq!(delegations[0]["operator"], json!(eve), "{delegations}");
	assert_eq!(number(&delegations[0]["amount"]), 50 * UNIT);
	assert_eq!(delegations[0]["blueprints"], json!([0]), "{delegations}");

	// She registers for the "echo" blueprint 0.
	let key = format!("0x{}", "01".repeat(32));
	let register = [
		"registration",
		"register",
		"0",
		"--operator-key",
		&key,
		"--rpc-address",
		"ws://eve:9955",
		"--max-instances",
		"4",
		"--if-needed",
	];
	cli.tx("//Eve", &register);
	let shown = if_needed_sends_nothing(cli, "//Eve", &register);
	assert_eq!(shown["preferences"]["rpc_address"], json!("ws://eve:9955"), "{shown}");
	let registration = cli.read(&["registration", "show", "0", "eve"]);
	assert_eq!(registration["preferences"]["max_instances"], json!(4), "{registration}");
	assert_eq!(registration["preferences"]["rpc_address"], json!("ws://eve:9955"));

	// Dave requests a service from her; she approves with half her stake.
	let events = cli.tx(
		"//Dave",
		&[
			"service",
			"request",
			"--blueprint",
			"0",
			"--operator",
			"eve",
			"--ttl",
			"500",
			"--payment",
			"10",
		],
	);
	let request = number(&event(&events, "Services", "ServiceRequested")["request"]).to_string();
	let events = cli.tx("//Eve", &["service", "approve", &request, "--exposure", "50%"]);
	let service = number(&event(&events, "Services", "ServiceActivated")["service"]).to_string();
	let shown = cli.read(&["service", "show", &service]);
	assert_eq!(shown["service"]["operators"][0], json!([eve, 50]), "{shown}");
	// For a person, the operators are a table with their exposure as a percentage.
	let shown = cli.text(None, &["service", "show", &service]);
	assert!(shown.contains("operator  ") && shown.contains("exposure"), "{shown}");
	let row = shown.lines().find(|line| line.starts_with(&eve)).unwrap_or_default();
	assert_eq!(row.split_whitespace().nth(1), Some("50%"), "{shown}");

	// Dave calls the echo job; Eve answers and sends a heartbeat.
	let events = cli.tx("//Dave", &["service", "call", &service, "0", "ping"]);
	let call = number(&event(&events, "Services", "JobCalled")["call_id"]).to_string();
	cli.tx("//Eve", &["service", "result", &service, &call, "ping"]);
	let events = cli.tx("//Eve", &["service", "heartbeat", &service]);
	event(&events, "Services", "HeartbeatRecorded");
	let stats = cli.read(&["service", "stats", &service]);
	let eve_stats = &stats["operators"][0];
	assert_eq!(eve_stats[0], json!(eve), "{stats}");
	assert_eq!(eve_stats[1]["heartbeats"], json!(1), "{stats}");
	// Her result counts when the call closes at its deadline, in the era it closes in
	// (this one or, across an era boundary, the next).
	wait_until("Eve's result counts once the call closes", || {
		let era = number(&cli.read(&["rewards", "era"])["active_era"]["index"]);
		let successes: u128 = (era.saturating_sub(1)..=era)
			.map(|era| {
				let stats = cli.read(&["service", "stats", &service, "--era", &era.to_string()]);
				number(&stats["operators"][0][1]["successes"])
			})
			.sum();
		(successes == 1).then_some(())
	});

	// Dave reports Eve's answer; she disputes; the committee vetoes it as unfounded.
	let events = cli.tx(
		"//Dave",
		&[
			"report",
			&service,
			"eve",
			"--job-call",
			&call,
			"--fraction",
			"10%",
			"--evidence",
			"wrong echo",
		],
	);
	let slash = number(&event(&events, "Slashing", "SlashProposed")["slash_id"]).to_string();
	cli.tx("//Eve", &["slash", "dispute", &slash, "the echo was right"]);
	let pending = cli.read(&["slash", "list", "--operator", "eve"]);
	assert_eq!(
		pending[0]["dispute"]["statement"],
		json!(format!("0x{}", hex(b"the echo was right")))
	);
	let events = cli.tx("//Alice", &["slash", "veto", &slash, "--reason", "unfounded"]);
	let proposed = event(&events, "SlashingCommittee", "Proposed");
	let (motion, index) = (
		proposed["proposal_hash"].as_str().expect("a hash").to_string(),
		number(&proposed["proposal_index"]).to_string(),
	);
	// Proposing a motion is not voting for it: Alice and Bob vote.
	cli.tx("//Alice", &["slash", "vote", &motion, &index]);
	cli.tx("//Bob", &["slash", "vote", &motion, &index]);
	let events = cli.tx("//Charlie", &["slash", "close", &motion, &index]);
	event(&events, "Slashing", "SlashVetoed");
	assert_eq!(cli.read(&["slash", "list", "--operator", "eve"]), json!([]));

	// A second report is applied after the defer window: 5% of half of Eve's 1 000 WRD.
	let events =
		cli.tx("//Dave", &["report", &service, "eve", "--job-call", &call, "--fraction", "5%"]);
	event(&events, "Slashing", "SlashProposed");
	let held = cli.read(&["slash", "held-back", "eve"]);
	assert_eq!(number(&held[0][1]), 25 * UNIT, "{held}");
	wait_until("the slash applies", || {
		(cli.read(&["slash", "list", "--operator", "eve"]) == json!([])).then_some(())
	});
	let shown = cli.read(&["operator", "show", "eve"]);
	assert_eq!(number(&shown["operator"]["bond"]), 975 * UNIT, "{shown}");

	// Rewards: what `rewards pending` shows is what `rewards claim` pays, to the unit.
	// Points are earned by availability on an incentivized blueprint with stake that was
	// bonded before the era began: a heartbeat now, then the era's settlement.
	let era_of = |cli: &Cli| number(&cli.read(&["rewards", "era"])["active_era"]["index"]);
	wait_until("a heartbeat in a new window", || {
		cli.run(Some("//Eve"), &["service", "heartbeat", &service]).status.success().then_some(())
	});
	let start = era_of(cli);
	assert!(start >= 1, "Eve joined in era 0");
	wait_until("an era with Eve's work settles", || {
		let report = cli.read(&["rewards", "era"]);
		(!report["last_settled"].is_null() && number(&report["last_settled"]["era"]) >= start)
			.then_some(())
	});
	let (pending, claimed) = wait_until("a claim within one era", || {
		let era = era_of(cli);
		let pending = number(&cli.read(&["rewards", "pending", "eve"])["pending_reward"]);
		let events = cli.tx("//Eve", &["rewards", "claim"]);
		let claimed = number(&event(&events, "Rewards", "Claimed")["amount"]);
		// An era boundary in between would add to the claim: try again then.
		(era_of(cli) == era).then_some((pending, claimed))
	});
	assert!(pending > 0, "Eve earned something");
	assert_eq!(claimed, pending);
	let _ = ferdie;
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The channel side, as the README's steps 6 and 7 run it: Ferdie's and Dave's `wardend`s;
/// a channel opened and paid with `warden channel`, each proof delivered to Dave's daemon;
/// Charlie's `warden-monitor`, listed by `warden monitor list`; Dave's hand-off to it; Dave
/// away while Ferdie closes admitting nothing; the monitor's update in its slot; settlement
/// paying Dave the newest proof; the monitor's reward claimed.
async fn channels_and_monitors(cli: &Cli, dir: &Path) {
	let client = Client::connect(&cli.url).await.expect("the client connects");
	let url = cli.url.as_str();
	let bin = Path::new(WARDEN).parent().expect("a directory");
	let (ferdie, dave) = (Wardend::new(bin, "ferdie", dir), Wardend::new(bin, "dave", dir));
	let _ferdie_daemon = ferdie.start(url, &[]);
	let mut dave_daemon = dave.start(url, &[]);

	// Ferdie opens a channel to Dave with 100 WRD, naming Dave's daemon, and pays him.
	let opened = ferdie.ok(url, &["channel", "open", "dave", "100", "--peer", &dave.peer_url()]);
	let channel = opened["channel"].as_u64().expect("an id");
	let id = channel.to_string();
	for pay in ["30", "40"] {
		let paid = ferdie.ok(url, &["channel", "pay", &id, pay]);
		assert_eq!(paid["delivered"], true, "{paid}");
	}
	let held = dave.ok(url, &["channel", "show", &id]);
	assert_eq!((held["nonce"].as_u64(), amount(&held["transferred"])), (Some(2), 70 * UNIT));

	// The finalized-event stream resumes from any block: each block once, in order, the
	// channel's opening in exactly one of them.
	let finalized = client.at_finalized().await.expect("finalized").block_number();
	let from = finalized.saturating_sub(8);
	let mut stream = FinalizedEvents::from(&client, from).await.expect("a stream");
	let mut openings = 0;
	for height in from..=finalized {
		let block = tokio::time::timeout(CHAIN_WAIT, stream.next())
			.await
			.expect("finalized in time")
			.expect("the block's events");
		assert_eq!(block.block.number, height);
		openings += block
			.events
			.iter()
			.filter(|e| e.pallet == "Channels" && e.name == "ChannelOpened")
			.filter(|e| number(&e.fields["channel"]) == u128::from(channel))
			.count();
	}
	assert_eq!(openings, 1);

	// Charlie runs a monitor, which registers with its endpoint; Eve registers with the CLI.
	let (_monitor, _) = start_monitor(bin, "//Charlie", url, dir).await;
	let register =
		["monitor", "register", "10", "--endpoint", "https://eve.example", "--if-needed"];
	let registered = cli.tx("//Eve", &register);
	event(&registered, "Monitoring", "MonitorRegistered");
	let shown = if_needed_sends_nothing(cli, "//Eve", &register);
	assert_eq!(shown["endpoint"], json!("https://eve.example"), "{shown}");
	let listed = cli.read(&["monitor", "list"]);
	assert!(listed.to_string().contains("https://eve.example"), "{listed}");
	assert_eq!(cli.read(&["monitor", "show", "eve"])["endpoint"], json!("https://eve.example"));

	// Dave hands his newest proof to Charlie's monitor and goes away.
	let handed = dave.ok(url, &["channel", "hand-off", "--monitor", "charlie"]);
	assert_eq!(handed["handed_off"][0]["monitor"], json!(ss58("charlie")), "{handed}");
	dave.ok(url, &["wallet", "shutdown"]);
	assert_eq!(dave_daemon.wait().expect("exits").code(), Some(0));

	// Ferdie closes admitting nothing; Charlie's monitor answers with Dave's proof.
	let closing = ferdie.ok(url, &["channel", "close", &id]);
	assert_eq!(closing["phase"], "closing");
	let channels = api::runtime_apis().channels_api();
	node::wait_until(CHAIN_WAIT, "the monitor's update", || async {
		let info = client.read(channels.channel(channel)).await.ok()??;
		(info.nonce == 2).then_some(())
	})
	.await;
	let slot = cli.read(&["monitor", "slot", &id, "charlie"]);
	assert!(!slot["first_allowed_block"].is_null(), "{slot}");

	// After the challenge window the channel settles with the newest proof, and the monitor
	// claims its reward from the escrow; a claim by anyone after that finds nothing.
	let settled = node::wait_until(CHAIN_WAIT, "the settlement", || async {
		let shown = ferdie.ok(url, &["channel", "show", &id]);
		(shown["phase"] == "settled").then_some(shown)
	})
	.await;
	assert_eq!(amount(&settled["to_receiver"]), 70 * UNIT, "{settled}");
	let monitoring = api::runtime_apis().monitoring_api();
	node::wait_until(CHAIN_WAIT, "the monitor's claim", || async {
		(client.read(monitoring.escrow_balance(channel)).await.ok()? == 0).then_some(())
	})
	.await;
	let late = cli.run(Some("//Eve"), &["claim-reward", &id]);
	assert_eq!(late.status.code(), Some(1), "{}", text(&late.stderr));
}

/// The validator set: Eve's node generates her session keys and she registers them; the
/// sudo key adds her; a committee motion removes her; removing the last validator is
/// refused with `TooFewValidators` and its documentation; Eve purges her keys.
fn validators(cli: &Cli) {
	let eve = ss58("eve");
	let set = cli.read(&["validator", "set"]);
	assert_eq!(set["active"], json!([ss58("alice")]), "{set}");
	assert_eq!(set["with_keys"], json!([ss58("alice")]), "{set}");
	assert_eq!(set["pending_change"], Value::Null, "{set}");

	// Eve's keys, generated in her node's keystore (the dev node, on a local port).
	cli.tx("//Eve", &["validator", "keys", "rotate", "--node-url", &cli.url]);
	let keys = cli.read(&["validator", "keys", "show", "eve"]);
	assert_eq!(keys["has_keys"], json!(true), "{keys}");
	assert_eq!(keys["keys"]["aura"].as_str().map(str::len), Some(66), "{keys}");

	// The sudo key adds her: the target changes, queued at the next boundary.
	let added = cli.tx("//Alice", &["validator", "add", "eve"]);
	event(&added, "ValidatorSet", "ValidatorAdded");
	let set = cli.read(&["validator", "set"]);
	assert!(set["target"].as_array().is_some_and(|t| t.contains(&json!(eve))), "{set}");
	assert!(set["with_keys"].as_array().is_some_and(|k| k.contains(&json!(eve))), "{set}");

	// Bob, a committee member, proposes her removal; two of three vote; it passes.
	let proposed = cli.tx("//Bob", &["validator", "remove", "eve"]);
	let proposed = event(&proposed, "SlashingCommittee", "Proposed");
	let (motion, index) = (
		proposed["proposal_hash"].as_str().expect("a hash").to_string(),
		number(&proposed["proposal_index"]).to_string(),
	);
	assert_eq!(number(&proposed["threshold"]), 2, "{proposed}");
	cli.tx("//Bob", &["committee", "vote", &motion, &index]);
	cli.tx("//Charlie", &["committee", "vote", &motion, &index]);
	let closed = cli.tx("//Bob", &["committee", "close", &motion, &index]);
	event(&closed, "ValidatorSet", "ValidatorRemoved");
	let set = cli.read(&["validator", "set"]);
	assert!(!set["target"].as_array().is_some_and(|t| t.contains(&json!(eve))), "{set}");

	// Neither sudo nor the committee may go below the minimum: the call sudo dispatched
	// failed, so the command fails, with the pallet's error and its documentation.
	let below = cli.run(Some("//Alice"), &["validator", "remove", "alice"]);
	let stderr = text(&below.stderr);
	assert_eq!(below.status.code(), Some(1), "{stderr}");
	assert!(stderr.contains("ValidatorSet::TooFewValidators"), "{stderr}");
	let report: Value = serde_json::from_slice(&below.stdout).expect("a JSON report");
	assert_eq!(report["error"]["error"], json!("TooFewValidators"), "{report}");
	assert!(!report["error"]["docs"].as_str().unwrap_or_default().is_empty(), "{report}");
	let outsider = cli.run(Some("//Eve"), &["validator", "add", "eve"]);
	assert_eq!(outsider.status.code(), Some(2), "{}", text(&outsider.stderr));
	assert!(text(&outsider.stderr).contains("neither the sudo key nor a committee member"));

	cli.tx("//Eve", &["validator", "keys", "purge"]);
	assert_eq!(cli.read(&["validator", "keys", "show", "eve"])["has_keys"], json!(false));
}

/// Runs an `--if-needed` command whose state is already there: exit 0, the state printed,
/// and no transaction (the account's nonce unchanged). Returns what it printed.
fn if_needed_sends_nothing(cli: &Cli, suri: &str, args: &[&str]) -> Value {
	let account = ss58(suri.trim_start_matches("//").to_lowercase().as_str());
	let nonce = || number(&cli.read(&["balance", &account])["nonce"]);
	let before = nonce();
	let shown = cli.ok(Some(suri), args);
	assert!(shown.get("events").is_none(), "{args:?} sent a transaction: {shown}");
	assert_eq!(nonce(), before, "{args:?} sent a transaction");
	shown
}

/// A refusal by the chain exits 1 with the decoded error and its documentation; bad input
/// exits 2 and submits nothing.
fn refusals_and_bad_input(cli: &Cli) {
	let nonce = |cli: &Cli| number(&cli.read(&["balance", "eve"])["nonce"]);
	let before = nonce(cli);
	for (args, says) in [
		(vec!["transfer", "mallory", "1"], "not an account"),
		(vec!["transfer", "bob", "twelve"], "not an amount"),
	] {
		let output = cli.run(Some("//Eve"), &args);
		assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output.stderr));
		assert!(text(&output.stderr).contains(says));
	}
	assert_eq!(nonce(cli), before, "bad input submits nothing");

	let output = cli.run(Some("//Eve"), &["delegate", "alice", "0.001"]);
	let stderr = text(&output.stderr);
	assert_eq!(output.status.code(), Some(1), "{stderr}");
	assert!(stderr.contains("Operators::DelegationBelowMinimum"), "{stderr}");
	// The error's documentation comes with it.
	assert!(stderr.contains("minimum delegation"), "{stderr}");
	assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
	// With --json, stdout says the same as one object.
	let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
	assert_eq!(report["error"]["kind"], json!("rejected"), "{report}");
	assert_eq!(report["error"]["pallet"], json!("Operators"), "{report}");
	assert_eq!(report["error"]["error"], json!("DelegationBelowMinimum"), "{report}");
	assert!(report["error"]["docs"].as_str().unwrap_or_default().contains("minimum delegation"));
	assert_eq!(report["exit_code"], json!(1), "{report}");

	// Into a closed pipe (`warden --json operator show eve | head -0`), a quiet end.
	let mut child = Command::new(WARDEN)
		.args(["--url", &cli.url, "--json", "operator", "show", "eve"])
		.stdout(std::process::Stdio::piped())
		.stderr(std::process::Stdio::piped())
		.spawn()
		.expect("warden runs");
	drop(child.stdout.take());
	let output = child.wait_with_output().expect("it ends");
	let stderr = text(&output.stderr);
	assert!(output.status.success(), "{stderr}");
	assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");

	// What the client can see beforehand is refused before sending (exit 1, nothing sent):
	// a transfer of nothing, a fee the account can't pay, a channel with no escrow.
	let before = nonce(cli);
	let empty = "//Nobody";
	for (suri, args, says) in [
		("//Eve", vec!["transfer", "bob", "0"], "a transfer of 0"),
		(empty, vec!["transfer", "bob", "1"], "can't pay the fee"),
		("//Eve", vec!["transfer", "bob", "1000000000"], "can't send 1000000000 WRD"),
		("//Eve", vec!["claim-reward", "4242"], "Monitoring::NoEscrow"),
	] {
		let output = cli.run(Some(suri), &args);
		let stderr = text(&output.stderr);
		assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
		assert!(stderr.contains(says), "{args:?}: {stderr}");
		let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
		assert_eq!(report["error"]["kind"], json!("not_sent"), "{report}");
	}
	assert_eq!(nonce(cli), before, "a refusal before sending sends nothing");

	// For a person: fractions as percentages, text as text, the fee paid as one line.
	let params = cli.text(None, &["params", "show", "slashing"]);
	assert!(
		params.lines().any(|l| l.starts_with("max_fraction") && l.ends_with("50%")),
		"{params}"
	);
	let blueprint = cli.text(None, &["blueprint", "show", "0"]);
	assert!(blueprint.contains("Demo service: operators answer"), "{blueprint}");
	let sent = cli.text(Some("//Eve"), &["transfer", "bob", "1"]);
	assert!(sent.lines().any(|line| line.trim().starts_with("fee paid: 0.")), "{sent}");
	assert!(!sent.contains("Withdraw") && !sent.contains("TransactionFeePaid"), "{sent}");

	// Parameters: the sudo key changes one field; anyone else is refused.
	cli.tx("//Alice", &["params", "set", "rewards", "emission_per_era=200"]);
	let params = cli.read(&["params", "show", "rewards"]);
	assert_eq!(number(&params["emission_per_era"]), 200 * UNIT, "{params}");
	let output = cli.run(Some("//Eve"), &["params", "set", "rewards", "emission_per_era=1"]);
	let stderr = text(&output.stderr);
	assert_eq!(output.status.code(), Some(1), "{stderr}");
	assert!(stderr.contains("Sudo::RequireSudo"), "{stderr}");
	let output = cli.run(Some("//Alice"), &["params", "set", "rewards", "no_such_field=1"]);
	assert_eq!(output.status.code(), Some(2));
	assert!(text(&output.stderr).contains("no parameter `no_such_field`"));
}
