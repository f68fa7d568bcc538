//! `wardend` and `warden channel …` against a real dev node: the CLI refuses to act with no
//! daemon; a sender's and a receiver's daemons pay and receive proofs; the receiver's
//! daemon, down while the sender closes with a stale state, restarts and defends the
//! channel before its window ends, and the settlement pays it the newest proof's amount; a
//! daemon killed between committing a nonce and signing never reuses it; a second daemon on
//! the same database, and a call without the token, are refused.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

use serde_json::Value;
use warden_client::{api, units::UNIT, Client};
use warden_tests::node::{free_port, temp_dir, wait_until, Node, NodeConfig};

const WARDEND: &str = env!("CARGO_BIN_EXE_wardend");

/// How long a condition on the chain may take to come true.
const WAIT: Duration = Duration::from_secs(120);

fn sibling(name: &str) -> PathBuf {
	let path = PathBuf::from(WARDEND).with_file_name(name);
	assert!(path.exists(), "{} is missing: build the workspace first", path.display());
	path
}

/// One party's daemon: its address, token file, database and log.
struct Party {
	suri: &'static str,
	rpc: String,
	token: PathBuf,
	db: PathBuf,
	log: PathBuf,
}

impl Party {
	fn new(suri: &'static str, dir: &Path) -> Self {
		Self {
			suri,
			rpc: format!("127.0.0.1:{}", free_port()),
			token: dir.join(format!("{suri}.token")),
			db: dir.join(format!("{suri}.redb")),
			log: dir.join(format!("{suri}.log")),
		}
	}

	fn args<'a>(&'a self, url: &'a str) -> Vec<&'a str> {
		vec![
			"--suri",
			self.suri,
			"--url",
			url,
			"--rpc",
			&self.rpc,
			"--token-file",
			self.token.to_str().unwrap(),
			"--db",
			self.db.to_str().unwrap(),
		]
	}

	/// Starts its daemon, with `env`, and waits until it answers.
	fn start(&self, url: &str, env: &[(&str, &str)]) -> Child {
		self.start_with(url, &[], env)
	}

	/// Starts its daemon with more `flags` and `env`, and waits until it answers.
	fn start_with(&self, url: &str, flags: &[&str], env: &[(&str, &str)]) -> Child {
		let child = Command::new(WARDEND)
			.args(self.args(url))
			.args(flags)
			.envs(env.iter().copied())
			.stdout(Stdio::null())
			.stderr(std::fs::File::create(&self.log).expect("a log"))
			.spawn()
			.expect("wardend starts");
		let deadline = Instant::now() + WAIT;
		while !self.cli(url, &["wallet", "status"]).status.success() {
			assert!(Instant::now() < deadline, "wardend didn't start: {}", self.log_text());
			std::thread::sleep(Duration::from_millis(200));
		}
		child
	}

	fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Runs `warden --json …` through this party's daemon.
	fn cli(&self, url: &str, args: &[&str]) -> Output {
		Command::new(sibling("warden"))
			.args(["--url", url, "--quiet", "--json", "--wallet", &format!("http://{}", self.rpc)])
			.args(["--wallet-token-file", self.token.to_str().unwrap()])
			.args(args)
			.env_remove("WARDEN_SURI")
			.output()
			.expect("warden runs")
	}

	/// Runs `warden --json …` and returns its JSON; panics unless it succeeds.
	fn ok(&self, url: &str, args: &[&str]) -> Value {
		let output = self.cli(url, args);
		assert!(
			output.status.success(),
			"warden {args:?}: {}\n{}",
			String::from_utf8_lossy(&output.stderr),
			self.log_text()
		);
		serde_json::from_slice(&output.stdout).expect("JSON")
	}
}

fn stop(child: &mut Child, signal: &str) -> Option<i32> {
	Command::new("kill").args([signal, &child.id().to_string()]).status().expect("kill");
	child.wait().expect("exits").code()
}

fn amount(value: &Value) -> u128 {
	value.as_str().and_then(|s| s.parse().ok()).expect("an amount")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wardend_end_to_end() {
	let scratch = temp_dir();
	let dir = scratch.path();
	let ferdie = Party::new("ferdie", dir);
	let dave = Party::new("dave", dir);

	// No daemon: the CLI exits 4, says how to start one, and signs nothing; a key given to
	// it is refused, since only the daemon signs.
	let none = ferdie.cli("ws://127.0.0.1:1", &["channel", "open", "dave", "10"]);
	let said = String::from_utf8_lossy(&none.stderr);
	assert_eq!(none.status.code(), Some(4), "{said}");
	assert!(said.contains("no wardend at") && said.contains("start it with `wardend"), "{said}");
	std::fs::write(&ferdie.token, "stale").expect("writes");
	let refused = ferdie.cli("ws://127.0.0.1:1", &["channel", "list"]);
	assert_eq!(refused.status.code(), Some(4), "a token but no daemon");
	let keyed = ferdie.cli("ws://127.0.0.1:1", &["--suri", "//Ferdie", "channel", "list"]);
	assert_eq!(keyed.status.code(), Some(2), "{}", String::from_utf8_lossy(&keyed.stderr));

	let mut node = Node::start(NodeConfig::dev(sibling("warden-node")), dir);
	node.wait_ready().await;
	let url = node.ws_url();
	let client = Client::connect(&url).await.expect("a client");
	let nonce_before = client.account(&warden_client::parse_account("ferdie").unwrap()).await;
	assert!(nonce_before.is_ok_and(|a| a.nonce == 0), "the refused commands sent nothing");

	let mut sender = ferdie.start(&url, &[]);
	let mut receiver = dave.start(&url, &[]);

	// The token is owner-only, and a call without it is refused.
	use std::os::unix::fs::PermissionsExt;
	let mode = std::fs::metadata(&ferdie.token).expect("a token").permissions().mode();
	assert_eq!(mode & 0o777, 0o600);
	let addr: std::net::SocketAddr = ferdie.rpc.parse().expect("an address");
	let body = br#"{"jsonrpc":"2.0","id":1,"method":"daemon_status"}"#;
	let anonymous =
		warden_client::http::request(addr, "POST", "/", None, body, WAIT).expect("answers");
	assert_eq!(anonymous.status, 401, "{}", anonymous.text());

	// A second daemon on the same database refuses to start (before it binds its address or
	// writes a token).
	let second = Command::new(WARDEND).args(ferdie.args(&url)).output().expect("runs");
	let said = String::from_utf8_lossy(&second.stderr);
	assert_eq!(second.status.code(), Some(2), "{said}");
	assert!(said.contains("database"), "{said}");

	// Ferdie opens a channel to Dave; both daemons know it.
	let opened = ferdie.ok(&url, &["channel", "open", "dave", "100"]);
	let channel = opened["channel"].as_u64().expect("an id");
	let id = channel.to_string();
	assert_eq!(opened["role"], "sender");
	let shown = dave.ok(&url, &["channel", "show", &id]);
	assert_eq!((shown["role"].as_str(), shown["phase"].as_str()), (Some("receiver"), Some("open")));

	// Payments flow as proofs; Dave takes each newer one and refuses a replay.
	let first = ferdie.ok(&url, &["channel", "pay", &id, "10"]);
	let second_payment = ferdie.ok(&url, &["channel", "pay", &id, "20"]);
	assert_eq!(second_payment["proof"]["nonce"], 2);
	assert_eq!(amount(&second_payment["proof"]["transferred"]), 30 * UNIT);
	dave.ok(&url, &["channel", "receive", &first.to_string()]);
	let received = dave.ok(&url, &["channel", "receive", &second_payment.to_string()]);
	assert_eq!(amount(&received["received"]), 20 * UNIT);
	let replay = dave.cli(&url, &["channel", "receive", &first.to_string()]);
	assert_eq!(replay.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&replay.stderr).contains("not above the newest"));
	let overpaid = ferdie.cli(&url, &["channel", "pay", &id, "71"]);
	assert_eq!(overpaid.status.code(), Some(1), "over the deposit");

	// Dave's daemon goes down; Ferdie closes admitting nothing (a stale state).
	assert_eq!(stop(&mut receiver, "-KILL"), None);
	let closing = ferdie.ok(&url, &["channel", "close", &id]);
	assert_eq!(closing["phase"], "closing");
	// Dave's daemon comes back, sees the close and defends the channel by itself.
	let mut receiver = dave.start(&url, &[]);
	let channels = api::runtime_apis().channels_api();
	wait_until(WAIT, "the update", || async {
		let info = client.read(channels.channel(channel)).await.ok()??;
		(info.nonce == 2).then_some(())
	})
	.await;
	// The chain settles it when the window ends: Dave gets the newest proof's amount.
	let settled = wait_until(WAIT, "the settlement", || async {
		let shown = dave.ok(&url, &["channel", "show", &id]);
		(shown["phase"] == "settled").then_some(shown)
	})
	.await;
	assert_eq!(amount(&settled["to_receiver"]), 30 * UNIT, "{settled}");
	assert_eq!(amount(&settled["to_sender"]), 70 * UNIT, "{settled}");
	assert!(dave.log_text().contains("defending it"), "{}", dave.log_text());

	// Killed between committing a nonce and signing: the next payment takes a new nonce,
	// and the crashed one never happened.
	let opened = ferdie.ok(&url, &["channel", "open", "dave", "50"]);
	let id = opened["channel"].as_u64().expect("an id").to_string();
	let paid = ferdie.ok(&url, &["channel", "pay", &id, "5"]);
	dave.ok(&url, &["channel", "receive", &paid.to_string()]);
	assert_eq!(stop(&mut sender, "-TERM"), Some(0));
	let mut crashing = ferdie.start(&url, &[("WARDEND_FAILPOINT", "pay-committed")]);
	let crashed = ferdie.cli(&url, &["channel", "pay", &id, "5"]);
	assert!(!crashed.status.success());
	assert_eq!(crashing.wait().expect("exits").code(), Some(137), "{}", ferdie.log_text());
	let mut sender = ferdie.start(&url, &[]);
	let next = ferdie.ok(&url, &["channel", "pay", &id, "5"]);
	assert_eq!(next["proof"]["nonce"], 3, "nonce 2 was committed, never signed");
	assert_eq!(amount(&next["proof"]["transferred"]), 10 * UNIT);
	dave.ok(&url, &["channel", "receive", &next.to_string()]);
	let status = dave.ok(&url, &["wallet", "status"]);
	assert_eq!(status["channels"], 1, "{status}");

	// Hand-off: Dave's daemon, started with --handoff-on-shutdown, gives his newest proof to
	// Charlie's monitor as it stops; the monitor defends the channel against Ferdie's stale
	// close, and the settlement pays Dave the newest amount.
	let api = format!("127.0.0.1:{}", free_port());
	let mut monitor = Command::new(sibling("warden-monitor"))
		.args(["--suri", "//Charlie", "--register", "10", "--url", &url, "--api", &api])
		.args(["--public-url", &format!("http://{api}")])
		.args(["--db", dir.join("charlie.redb").to_str().unwrap()])
		.stdout(Stdio::null())
		.stderr(std::fs::File::create(dir.join("charlie.log")).expect("a log"))
		.spawn()
		.expect("warden-monitor starts");
	let monitor_addr: std::net::SocketAddr = api.parse().expect("an address");
	wait_until(WAIT, "the monitor's API", || async {
		let info =
			warden_client::http::request(monitor_addr, "GET", "/api/1/info", None, b"", WAIT)
				.ok()?;
		let registered = client
			.read(
				api::runtime_apis()
					.monitoring_api()
					.monitor(warden_client::parse_account("charlie").ok()?),
			)
			.await
			.ok()??;
		(info.status == 200 && !registered.endpoint.is_empty()).then_some(())
	})
	.await;
	// A monitor asking more than the most Dave offers is passed over: with no other, the
	// hand-off is refused and nothing is funded.
	let dear = dave.cli(&url, &["channel", "hand-off", "--max-reward", "0.001"]);
	assert_eq!(dear.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&dear.stderr).contains("no monitor takes the hand-off"));
	let channel: u64 = id.parse().expect("an id");
	let escrow_balance = || async {
		client
			.read(api::runtime_apis().monitoring_api().escrow_balance(channel))
			.await
			.expect("reads")
	};
	assert_eq!(escrow_balance().await, 0);
	let unknown = dave.cli(&url, &["channel", "hand-off", "--monitor", "eve"]);
	assert_eq!(unknown.status.code(), Some(1), "Eve is no monitor");
	assert!(String::from_utf8_lossy(&unknown.stderr).contains("not a registered monitor"));
	assert_eq!(stop(&mut receiver, "-TERM"), Some(0));
	let mut receiver = dave.start_with(&url, &["--handoff-on-shutdown"], &[]);
	dave.ok(&url, &["wallet", "shutdown"]);
	assert_eq!(receiver.wait().expect("exits").code(), Some(0), "{}", dave.log_text());
	assert!(dave.log_text().contains("handed off"), "{}", dave.log_text());
	assert!(escrow_balance().await > 0, "the escrow covers the reward");
	ferdie.ok(&url, &["channel", "close", &id]);
	wait_until(WAIT, "the monitor's update", || async {
		let info = client.read(channels.channel(channel)).await.ok()??;
		(info.nonce == 3).then_some(())
	})
	.await;
	let settled = wait_until(WAIT, "the settlement", || async {
		let shown = ferdie.ok(&url, &["channel", "show", &id]);
		(shown["phase"] == "settled").then_some(shown)
	})
	.await;
	assert_eq!(amount(&settled["to_receiver"]), 10 * UNIT, "{settled}");

	// `warden wallet shutdown` stops a daemon with exit 0.
	ferdie.ok(&url, &["wallet", "shutdown"]);
	assert_eq!(sender.wait().expect("exits").code(), Some(0), "{}", ferdie.log_text());
	let _ = stop(&mut monitor, "-TERM");
}
