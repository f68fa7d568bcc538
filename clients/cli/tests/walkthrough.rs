//! End to end: the real `warden` binary against a real `warden-node --dev`, through the
//! README walkthrough, every step checked by reading the chain back with the CLI's own
//! `show` commands (`--json`); the channel side through `warden-client` in Rust (the CLI's
//! channel commands come with the channel daemon). One node serves the whole walkthrough.
//!
//! The node binary is the `warden-node` built next to `warden` (`cargo test --workspace`
//! builds both).

use std::{
	path::PathBuf,
	process::{Command, Output},
	time::{Duration, Instant},
};

use serde_json::{json, Value};
use warden_client::{
	api, parse_account, signing, units::UNIT, Client, FinalizedEvents, Keypair, Scheme, Wait,
};
use warden_tests::node::{temp_dir, Node, NodeConfig};

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
	channels_and_monitors(&cli).await;
	let url = cli.url.clone();
	tokio::task::spawn_blocking(move || refusals_and_bad_input(&Cli { url }))
		.await
		.expect("refusals");
	drop(node);
}

/// Join, delegate, register, request, approve, call, result, heartbeat, stats; report,
/// dispute, a committee veto and a slash that applies; rewards.
fn operators_services_and_slashes(cli: &Cli) {
	let (eve, ferdie) = (ss58("eve"), ss58("ferdie"));

	// Eve becomes an operator with 1 000 WRD; Ferdie delegates 50 WRD to her, backing
	// blueprint 0 only.
	cli.tx("//Eve", &["operator", "join", "1000"]);
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
	cli.tx(
		"//Eve",
		&[
			"registration",
			"register",
			"0",
			"--operator-key",
			&key,
			"--rpc-address",
			"ws://eve:9955",
			"--max-instances",
			"4",
		],
	);
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

	// Dave calls the echo job; Eve answers and sends a heartbeat.
	let events = cli.tx("//Dave", &["service", "call", &service, "0", "ping"]);
	let call = number(&event(&events, "Services", "JobCalled")["call_id"]).to_string();
	cli.tx("//Eve", &["service", "result", &service, &call, "ping"]);
	let events = cli.tx("//Eve", &["service", "heartbeat", &service]);
	event(&events, "Services", "HeartbeatRecorded");
	let stats = cli.read(&["service", "stats", &service]);
	let eve_stats = &stats["operators"][0];
	assert_eq!(eve_stats[0], json!(eve), "{stats}");
	assert_eq!(eve_stats[1]["successes"], json!(1), "{stats}");
	assert_eq!(eve_stats[1]["heartbeats"], json!(1), "{stats}");

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

/// The channel side: a proof signed by the client, a stale close by the sender, a monitor
/// registered with `warden`, an escrow and a reward authorization signed by the client, the
/// monitor's update, settlement, and `warden claim-reward` paying the payout address.
async fn channels_and_monitors(cli: &Cli) {
	let client = Client::connect(&cli.url).await.expect("the client connects");
	let key = |name: &str| Keypair::from_suri(name, Scheme::Sr25519).expect("dev key");
	let (ferdie, dave, charlie) = (key("//Ferdie"), key("//Dave"), key("//Charlie"));
	let payout = key("//Payout").account_id();
	let genesis = client.genesis_hash();

	// Ferdie opens a channel to Dave with 100 WRD and pays him off-chain.
	let done = client
		.submit(
			&api::tx().channels().open(dave.account_id(), 100 * UNIT),
			&ferdie,
			Wait::Finalized,
			|_| {},
		)
		.await
		.expect("the channel opens");
	let channel =
		number(&done.event("Channels", "ChannelOpened").expect("opened").fields["channel"]) as u64;
	let opened_at = done.block.expect("in a block").number;

	// The finalized-event stream resumes from any block: each block once, in order, the
	// channel's opening in its block.
	let mut stream = FinalizedEvents::from(&client, opened_at - 2).await.expect("a stream");
	for number in opened_at - 2..=opened_at {
		let block = tokio::time::timeout(CHAIN_WAIT, stream.next())
			.await
			.expect("finalized in time")
			.expect("the block's events");
		assert_eq!(block.block.number, number);
		let opened =
			block.events.iter().any(|e| e.pallet == "Channels" && e.name == "ChannelOpened");
		assert_eq!(opened, number == opened_at, "block {number}");
	}
	let stale = signing::balance_proof(&ferdie, genesis, channel, 2, 30 * UNIT);
	let newest = signing::balance_proof(&ferdie, genesis, channel, 4, 70 * UNIT);

	// Charlie registers as a monitor with the CLI.
	let registered = cli
		.tx("//Charlie", &["monitor", "register", "10", "--endpoint", "https://charlie.example"]);
	event(&registered, "Monitoring", "MonitorRegistered");
	let shown = cli.read(&["monitor", "show", "charlie"]);
	assert_eq!(shown["endpoint"], json!("https://charlie.example"), "{shown}");

	// Dave funds the escrow and authorizes 5 WRD for Charlie only, for the newest proof.
	client
		.submit(
			&api::tx().monitoring().fund_monitoring(channel, 10 * UNIT),
			&dave,
			Wait::Finalized,
			|_| {},
		)
		.await
		.expect("the escrow is funded");
	let authorization = signing::reward_authorization(
		&dave,
		genesis,
		&newest,
		5 * UNIT,
		Some(&charlie.account_id()),
	);

	// Ferdie closes with the stale proof; Charlie submits the newest one.
	client
		.submit(
			&api::tx().channels().close(channel, Some(signing::proof_arg(&stale))),
			&ferdie,
			Wait::Finalized,
			|_| {},
		)
		.await
		.expect("the close starts");
	let update = api::tx().monitoring().monitor_update(
		signing::proof_arg(&newest),
		signing::authorization_arg(&authorization),
		payout,
	);
	client
		.submit(&update, &charlie, Wait::Finalized, |_| {})
		.await
		.expect("the monitor's update is accepted");
	let slot = cli.read(&["monitor", "slot", &channel.to_string(), "charlie"]);
	assert!(!slot["first_allowed_block"].is_null(), "{slot}");

	// After the challenge window the channel settles with the newest proof; anyone claims
	// the reward for Charlie's payout address.
	let dave_before = client.free_balance(&dave.account_id()).await.expect("balance");
	let deadline = Instant::now() + CHAIN_WAIT;
	loop {
		let open =
			client.read(api::runtime_apis().channels_api().channel(channel)).await.expect("read");
		if open.is_none() {
			break;
		}
		assert!(Instant::now() < deadline, "the channel never settled");
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	let dave_after = client.free_balance(&dave.account_id()).await.expect("balance");
	assert_eq!(dave_after - dave_before, 70 * UNIT, "Dave is paid the newest proof");
	let url = cli.url.clone();
	let channel_text = channel.to_string();
	tokio::task::spawn_blocking(move || {
		let events = Cli { url }.tx("//Eve", &["claim-reward", &channel_text]);
		let claimed = event(&events, "Monitoring", "RewardClaimed");
		assert_eq!(number(&claimed["amount"]), 5 * UNIT);
	})
	.await
	.expect("claim");
	assert_eq!(client.free_balance(&payout).await.expect("balance"), 5 * UNIT);
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
