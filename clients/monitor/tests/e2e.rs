//! End to end: the real `warden-monitor` binary against one real `warden-node --dev`, the
//! channel parties driven through `warden-client`.
//!
//! - a sender closes with a stale proof while the receiver is offline; the monitor, killed
//!   after the close and restarted before its slot, submits the newest proof exactly once;
//!   the channel settles with it; the reward reaches the payout address and the rest of the
//!   escrow returns to the receiver, to the unit;
//! - two monitors hold the same proof: only the one whose slot comes first sends; the
//!   other stands down and pays nothing;
//! - the receiver updates herself first: no monitor transaction, no reward;
//! - the receiver withdraws the escrow after handing over her proof: the monitor stands
//!   down before sending;
//! - the API refuses bad submissions with their codes and stores nothing; a proof for a
//!   channel not issued yet is held and stored when the channel opens, or dropped after
//!   `--pending-blocks`; the protected endpoints need the token;
//! - startup: an unreachable node, an unregistered account, bad flags, `--help`;
//! - a monitor SIGKILLed right after sending its update sends no second one after the
//!   restart; with `--min-reward auto` its minimum is the chain's update fee times the
//!   margin;
//! - a flood of made-up pending proofs doesn't blind the watcher: a stale close is still
//!   answered in the slot, the lag stays within its bound, the API keeps answering;
//! - the node restarts between a stale close and the slot: the daemon reconnects by itself
//!   and its update lands in the window, once; one client address over the intake's rate
//!   limit gets 429 with `Retry-After` while another is served.
//!
//! The node binary is the `warden-node` built next to `warden-monitor` (`cargo test
//! --workspace` builds both).

use std::{
	fs::File,
	net::SocketAddr,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::Mutex,
	time::{Duration, Instant},
};

use serde_json::{json, Value};
use warden_client::{
	api, signing,
	signing::{Authorization, Proof},
	units::UNIT,
	AccountId32, Client, Keypair, Scheme, Wait, H256,
};
use warden_monitor::{actor::update_fee, http, wire::Submission};
use warden_tests::node::{free_port, temp_dir, Node, NodeConfig};

const MONITOR: &str = env!("CARGO_BIN_EXE_warden-monitor");

/// How long a condition on the chain may take to come true.
const CHAIN_WAIT: Duration = Duration::from_secs(120);

/// How long one HTTP request may take.
const HTTP_WAIT: Duration = Duration::from_secs(10);

const TOKEN: &str = "test-token";

fn node_binary() -> PathBuf {
	let path = PathBuf::from(MONITOR).with_file_name("warden-node");
	assert!(
		path.exists(),
		"{} is missing: build it with `cargo build -p warden-node`",
		path.display()
	);
	path
}

fn key(suri: &str) -> Keypair {
	Keypair::from_suri(suri, Scheme::Sr25519).expect("a key")
}

/// A running `warden-monitor`, killed on drop.
struct Daemon {
	child: Mutex<Option<Child>>,
	args: Vec<String>,
	api: SocketAddr,
	log: PathBuf,
	name: String,
}

impl Daemon {
	/// Starts `warden-monitor` for `suri` on the node at `url`, with its database and log in
	/// `dir`, registering it with 10 WRD if it isn't a monitor yet.
	fn start(name: &str, url: &str, suri: &str, dir: &Path, extra: &[&str]) -> Self {
		let api: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("an address");
		let db = dir.join(format!("{name}.redb"));
		let mut args: Vec<String> = [
			"--url",
			url,
			"--suri",
			suri,
			"--db",
			db.to_str().expect("a path"),
			"--api",
			&api.to_string(),
			"--api-token",
			TOKEN,
			"--register",
			"10",
			"--public-url",
			&format!("http://{api}"),
		]
		.iter()
		.map(|s| s.to_string())
		.collect();
		args.extend(extra.iter().map(|s| s.to_string()));
		let daemon = Self {
			child: Mutex::new(None),
			args,
			api,
			log: dir.join(format!("{name}.log")),
			name: name.into(),
		};
		daemon.spawn();
		daemon
	}

	fn spawn(&self) {
		let log = File::options().create(true).append(true).open(&self.log).expect("a log file");
		let child = Command::new(MONITOR)
			.args(&self.args)
			.env("RUST_LOG", "info,warden_monitor=debug")
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("warden-monitor starts");
		*self.child.lock().expect("not poisoned") = Some(child);
	}

	fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	fn fail(&self, why: &str) -> ! {
		panic!("{} ({}): {why}\n--- its log ---\n{}", self.name, self.api, self.log_text())
	}

	/// Waits until the API answers.
	async fn ready(&self) {
		let deadline = Instant::now() + CHAIN_WAIT;
		loop {
			let exited = self
				.child
				.lock()
				.expect("not poisoned")
				.as_mut()
				.and_then(|c| c.try_wait().ok().flatten());
			if let Some(status) = exited {
				self.fail(&format!("exited with {status}"));
			}
			if self.get("/api/1/info").is_ok_and(|r| r.status == 200) {
				return;
			}
			if Instant::now() > deadline {
				self.fail("never answered");
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}

	/// Kills it like a crash: SIGKILL, no shutdown.
	fn kill(&self) {
		let child = self.child.lock().map(|mut c| c.take()).unwrap_or(None);
		if let Some(mut child) = child {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	fn request(
		&self,
		method: &str,
		path: &str,
		token: Option<&str>,
		body: &[u8],
	) -> std::io::Result<http::Response> {
		http::request(self.api, method, path, token, body, HTTP_WAIT)
	}

	fn get(&self, path: &str) -> std::io::Result<http::Response> {
		self.request("GET", path, Some(TOKEN), b"")
	}

	fn json(&self, path: &str) -> Value {
		match self.get(path) {
			Ok(r) if r.status == 200 => r.json(),
			other => self.fail(&format!("GET {path}: {other:?}")),
		}
	}

	fn put(&self, submission: &Submission) -> http::Response {
		let body = serde_json::to_vec(submission).expect("json");
		self.put_raw(&body)
	}

	/// PUTs `body`, retrying while the daemon is down (it may be restarting) for at most
	/// [`CHAIN_WAIT`].
	fn put_raw(&self, body: &[u8]) -> http::Response {
		let deadline = Instant::now() + CHAIN_WAIT;
		loop {
			match self.request("PUT", "/api/1/balance_proofs", None, body) {
				Ok(response) => return response,
				Err(e) if Instant::now() > deadline => self.fail(&format!("PUT: {e}")),
				Err(_) => std::thread::sleep(Duration::from_millis(200)),
			}
		}
	}

	/// Waits until the update record of `channel` has `status`; returns it.
	async fn wait_update(&self, channel: u64, status: &str) -> Value {
		let deadline = Instant::now() + CHAIN_WAIT;
		loop {
			let record = self.get(&format!("/api/1/channel_update/{channel}")).map(|r| r.json());
			if let Ok(record) = &record {
				if record["status"] == json!(status) {
					return record.clone();
				}
			}
			if Instant::now() > deadline {
				self.fail(&format!("channel {channel} never got to {status}: {record:?}"));
			}
			tokio::time::sleep(Duration::from_millis(300)).await;
		}
	}
}

impl Drop for Daemon {
	fn drop(&mut self) {
		self.kill();
	}
}

fn expect_refusal(response: &http::Response, status: u16, code: &str) {
	assert_eq!(response.status, status, "{code}: {}", response.text());
	assert_eq!(response.json()["code"], json!(code), "{}", response.text());
	assert!(response.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// The chain, through the client.
struct Chain {
	client: Client,
	genesis: H256,
}

impl Chain {
	/// The chain of the node at `url`.
	async fn connect(url: &str) -> Self {
		let client = Client::connect(url).await.expect("the client connects");
		Self { genesis: client.genesis_hash(), client }
	}

	/// Opens a channel from `sender` to `receiver` and hands `monitor` its proof of
	/// `nonce` paying `transferred`, with a 2 WRD reward; returns the channel.
	async fn watched(
		&self,
		monitor: &Daemon,
		sender: &Keypair,
		receiver: &Keypair,
		nonce: u64,
		transferred: u128,
	) -> u64 {
		let channel = self.channel(sender, receiver).await;
		let proof = self.proof(sender, channel, nonce, transferred);
		let response =
			monitor.put(&Submission::new(&proof, &self.authorize(receiver, &proof, 2 * UNIT)));
		assert_eq!(response.status, 201, "{}", response.text());
		channel
	}

	async fn tx<P: subxt::tx::Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
	) -> warden_client::Submitted {
		self.client
			.submit(payload, signer, Wait::Finalized, |_| {})
			.await
			.unwrap_or_else(|e| panic!("a transaction failed: {e}"))
	}

	/// Gives each of `who` 1 000 WRD from Alice: the transfers follow each other without
	/// waiting, the last one waits for finality. The pool may drop a transfer it accepted
	/// (the next one then takes its nonce), so an account still without its funds is sent
	/// them again, at most twice.
	async fn fund(&self, who: &[&Keypair]) {
		let alice = key("//Alice");
		for round in 0..3 {
			let mut missing = Vec::new();
			for account in who {
				if self.free(&account.account_id()).await < 1_000 * UNIT {
					missing.push(*account);
				}
			}
			if missing.is_empty() {
				return;
			}
			if round > 0 {
				eprintln!("funding again {} account(s) whose transfer was dropped", missing.len());
			}
			for (i, account) in missing.iter().enumerate() {
				let call = api::tx()
					.balances()
					.transfer_keep_alive(account.account_id().into(), 1_000 * UNIT);
				let wait = if i + 1 == missing.len() { Wait::Finalized } else { Wait::None };
				self.client.submit(&call, &alice, wait, |_| {}).await.expect("a transfer");
			}
		}
		panic!("some accounts never received their funds");
	}

	/// `sender` opens a channel to `receiver` with 100 WRD, and `receiver` funds its
	/// escrow with 10 WRD.
	async fn channel(&self, sender: &Keypair, receiver: &Keypair) -> u64 {
		let done =
			self.tx(&api::tx().channels().open(receiver.account_id(), 100 * UNIT), sender).await;
		let channel = done.event("Channels", "ChannelOpened").expect("opened").fields["channel"]
			.as_u64()
			.expect("a channel id");
		self.tx(&api::tx().monitoring().fund_monitoring(channel, 10 * UNIT), receiver).await;
		channel
	}

	fn proof(&self, sender: &Keypair, channel: u64, nonce: u64, transferred: u128) -> Proof {
		signing::balance_proof(sender, self.genesis, channel, nonce, transferred)
	}

	fn authorize(&self, receiver: &Keypair, proof: &Proof, reward: u128) -> Authorization {
		signing::reward_authorization(receiver, self.genesis, proof, reward, None)
	}

	async fn close(&self, sender: &Keypair, channel: u64, stale: &Proof) -> u64 {
		let done = self
			.tx(&api::tx().channels().close(channel, Some(signing::proof_arg(stale))), sender)
			.await;
		done.block.expect("in a block").number
	}

	async fn slot(&self, channel: u64, monitor: &Keypair) -> u64 {
		let slot = self
			.client
			.read(
				api::runtime_apis()
					.monitoring_api()
					.first_allowed_block(channel, monitor.account_id()),
			)
			.await
			.expect("a read");
		u64::from(slot.expect("the channel is closing"))
	}

	async fn best(&self) -> u64 {
		self.client.heads().await.expect("heads").0
	}

	async fn nonce(&self, who: &Keypair) -> u32 {
		self.client.account(&who.account_id()).await.expect("an account").nonce
	}

	async fn free(&self, who: &AccountId32) -> u128 {
		self.client.free_balance(who).await.expect("a balance")
	}

	async fn wait_settled(&self, channel: u64) {
		let deadline = Instant::now() + CHAIN_WAIT;
		loop {
			let open = self
				.client
				.read(api::runtime_apis().channels_api().channel(channel))
				.await
				.expect("a read");
			if open.is_none() {
				return;
			}
			assert!(Instant::now() < deadline, "channel {channel} never settled");
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	async fn valid_until(&self, monitor: &Keypair) -> u64 {
		let who = monitor.account_id();
		let info = self
			.client
			.read(api::runtime_apis().monitoring_api().monitor(who))
			.await
			.expect("a read");
		u64::from(info.expect("registered").valid_until)
	}

	async fn next_channel_id(&self) -> u64 {
		let at = self.client.at_best().await.expect("best");
		at.storage()
			.fetch(api::storage().channels().next_channel_id(), ())
			.await
			.expect("a read")
			.decode()
			.expect("decodes")
	}
}

fn amount(value: &Value) -> u128 {
	value
		.as_str()
		.and_then(|s| s.parse().ok())
		.or_else(|| value.as_u64().map(u128::from))
		.unwrap_or_else(|| panic!("not an amount: {value}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_service_end_to_end() {
	let scratch = temp_dir();
	startup_failures(scratch.path());

	let mut node = Node::start(NodeConfig::dev(node_binary()), scratch.path());
	node.wait_ready().await;
	let url = node.ws_url();
	let client = Client::connect(&url).await.expect("the client connects");
	let chain = Chain { genesis: client.genesis_hash(), client };

	// Parties: fresh senders and receivers; the monitors are development accounts.
	let parties: Vec<Keypair> = (0..12).map(|i| key(&format!("//MonitorTest/{i}"))).collect();
	let killed_key = key(KILLED);
	chain.fund(&parties.iter().chain([&killed_key]).collect::<Vec<_>>()).await;
	let not_registered = Command::new(MONITOR)
		.args(["--url", &url, "--suri", "//Ferdie", "--db"])
		.arg(scratch.path().join("ferdie.redb"))
		.args(["--api", &format!("127.0.0.1:{}", free_port())])
		.output()
		.expect("runs");
	assert_eq!(
		not_registered.status.code(),
		Some(4),
		"{}",
		String::from_utf8_lossy(&not_registered.stderr)
	);
	assert!(String::from_utf8_lossy(&not_registered.stderr).contains("not a registered monitor"));

	let payout = key("//MonitorTest/payout");
	let payout_arg = payout.account_id().to_string();
	let charlie = Daemon::start(
		"charlie",
		&url,
		"//Charlie",
		scratch.path(),
		&["--payout", &payout_arg, "--min-reward", "1", "--pending-blocks", "5"],
	);
	let dave = Daemon::start("dave", &url, "//Dave", scratch.path(), &[]);
	let eve = Daemon::start("eve", &url, "//Eve", scratch.path(), &[]);
	let killed = Daemon::start(
		"killed",
		&url,
		KILLED,
		scratch.path(),
		&["--min-reward", "auto", "--min-reward-margin", "2"],
	);
	charlie.ready().await;
	dave.ready().await;
	eve.ready().await;
	killed.ready().await;
	let info = charlie.json("/api/1/info");
	assert_eq!(info["monitor"], json!(key("//Charlie").account_id().to_string()), "{info}");
	assert_eq!(info["payout"], json!(payout_arg));
	assert_eq!(info["min_reward"], json!(UNIT.to_string()));
	assert_eq!(info["genesis_hash"], json!(format!("{:?}", chain.genesis)));
	// Discovery: each monitor published its API on chain.
	let listed = chain
		.client
		.read(api::runtime_apis().monitoring_api().monitor(key("//Charlie").account_id()))
		.await
		.expect("a read")
		.expect("registered");
	assert_eq!(String::from_utf8_lossy(&listed.endpoint), format!("http://{}", charlie.api));

	api_refusals(&chain, &charlie, &parties[0], &parties[1]).await;

	// Each monitor's account nonce after its registration: what it sends from now on shows.
	let charlie_nonce = chain.nonce(&key("//Charlie")).await;
	let (dave_before, eve_before) = (
		(chain.nonce(&key("//Dave")).await, chain.free(&key("//Dave").account_id()).await),
		(chain.nonce(&key("//Eve")).await, chain.free(&key("//Eve").account_id()).await),
	);

	let ((), first_of_two, (), (), (), ()) = tokio::join!(
		stale_close_and_restart(&chain, &charlie, &parties[2], &parties[3], &payout),
		two_monitors(&chain, &dave, &eve, &parties[4], &parties[5]),
		receiver_updates_first(&chain, &charlie, &parties[6], &parties[7]),
		escrow_withdrawn(&chain, &charlie, &parties[8], &parties[9]),
		renews_itself(&chain, &url, scratch.path()),
		killed_after_sending(&chain, &killed, &parties[10], &parties[11]),
	);

	// Charlie sent exactly two transactions in all: one update and one claim.
	assert_eq!(chain.nonce(&key("//Charlie")).await, charlie_nonce + 2, "{}", charlie.log_text());
	let stats = charlie.json("/api/1/stats");
	assert_eq!(stats["updates_submitted"], json!(1), "{stats}");
	assert_eq!(stats["updates_succeeded"], json!(1), "{stats}");
	// The receiver who updated herself, and the one who withdrew the escrow.
	assert_eq!(stats["updates_stood_down"], json!(2), "{stats}");
	assert_eq!(stats["rewards_claimed"], json!(1), "{stats}");
	assert_eq!(stats["rewards_earned"], json!((5 * UNIT).to_string()), "{stats}");
	assert_eq!(stats["lag"].as_u64().map(|lag| lag < 5), Some(true), "{stats}");
	let metrics = charlie.get("/metrics").expect("metrics").text();
	assert!(metrics.contains("warden_monitor_updates_submitted_total 1"), "{metrics}");
	assert!(metrics.contains("warden_monitor_updates_stood_down_total 2"), "{metrics}");
	assert!(metrics.contains("warden_monitor_intake_seconds_count"), "{metrics}");

	// Of two monitors holding the same proof, the one with the later slot sent nothing and
	// paid nothing.
	let (later, before) =
		if first_of_two == "dave" { ("eve", eve_before) } else { ("dave", dave_before) };
	let later_key = key(if later == "dave" { "//Dave" } else { "//Eve" });
	assert_eq!(chain.nonce(&later_key).await, before.0, "{later} sent a transaction");
	assert_eq!(chain.free(&later_key.account_id()).await, before.1, "{later} paid a fee");
	drop(node);
}

/// Proofs an attacker sends for channel ids not issued yet, this many.
const FLOOD: u64 = 10_000;

/// Ids ahead of `NextChannelId` whose proofs a monitor holds (`--max-pending-distance`'s
/// default).
const DISTANCE: u64 = 1_000;

/// An attacker floods the public intake with proofs for channel ids not issued yet, signed
/// by parties of its own (as many as the distance and the per-id candidates allow, then
/// beyond), and tries to displace a receiver's genuine pending proof with one of nonce
/// `u64::MAX`; then the sender closes a watched channel with a stale proof. The watcher
/// keeps within its lag bound, the API keeps answering, the genuine pending proof is
/// stored when its channel opens, and the monitor's update lands in its slot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_pending_proofs_does_not_blind_the_watcher() {
	let scratch = temp_dir();
	let mut node = Node::start(NodeConfig::dev(node_binary()), scratch.path());
	node.wait_ready().await;
	let url = node.ws_url();
	let chain = Chain::connect(&url).await;
	let (sender, receiver) = (key("//FloodTest/sender"), key("//FloodTest/receiver"));
	chain.fund(&[&sender, &receiver]).await;
	// Held long enough that none expires during the flood; no per-address limit, as if the
	// attacker sent from as many addresses as it needs.
	let monitor = Daemon::start(
		"flood",
		&url,
		"//Charlie",
		scratch.path(),
		&["--pending-blocks", "600", "--rate-limit", "0"],
	);
	monitor.ready().await;

	// The watched channel and its newest proof, held by the monitor.
	let watched = chain.watched(&monitor, &sender, &receiver, 5, 60 * UNIT).await;

	// The receiver's proof for the next channel, sent before its opening is final: held.
	// The attacker's for the same id, with the highest nonce there is, is held beside it.
	let next = chain.next_channel_id().await;
	let named = |proof: &Proof, authorization: &Authorization, s: &Keypair, r: &Keypair| {
		Submission::with_parties(proof, authorization, &s.account_id(), &r.account_id())
	};
	let genuine = chain.proof(&sender, next, 2, 20 * UNIT);
	let response = monitor.put(&named(
		&genuine,
		&chain.authorize(&receiver, &genuine, UNIT),
		&sender,
		&receiver,
	));
	assert_eq!(response.status, 202, "{}", response.text());
	let (thief, fence) = (key("//FloodTest/thief"), key("//FloodTest/fence"));
	let forged = chain.proof(&thief, next, u64::MAX, 100 * UNIT);
	let response =
		monitor.put(&named(&forged, &chain.authorize(&fence, &forged, UNIT), &thief, &fence));
	assert_eq!(response.status, 202, "{}", response.text());
	assert_eq!(
		monitor.json(&format!("/api/1/balance_proofs/{next}"))["candidates"]
			.as_array()
			.map(Vec::len),
		Some(2)
	);

	// The flood, from five pairs of the attacker's own keys, each validly signed: four
	// pairs for every id up to the distance (held), a fifth for the same ids (refused: four
	// candidates per id), the rest beyond the distance (refused).
	let pairs: Vec<(Keypair, Keypair)> = (0..5)
		.map(|i| (key(&format!("//FloodTest/s{i}")), key(&format!("//FloodTest/r{i}"))))
		.collect();
	let near = DISTANCE - 1;
	let plan: Vec<(u64, usize)> = (0..5)
		.flat_map(|pair| (1..=near).map(move |offset| (next + offset, pair)))
		.chain((0..FLOOD - 5 * near).map(|offset| (next + DISTANCE + offset, 0)))
		.collect();
	assert_eq!(plan.len() as u64, FLOOD);
	let bodies: Vec<Vec<u8>> = plan
		.iter()
		.map(|(channel, pair)| {
			let (s, r) = &pairs[*pair];
			let proof = chain.proof(s, *channel, 1, UNIT);
			let body = named(&proof, &chain.authorize(r, &proof, UNIT), s, r);
			serde_json::to_vec(&body).expect("json")
		})
		.collect();
	let api = monitor.api;
	let flood_started = Instant::now();
	let flooding = std::sync::atomic::AtomicBool::new(true);
	let (statuses, info_latencies) = std::thread::scope(|scope| {
		let senders: Vec<_> = bodies
			.chunks(bodies.len() / 8)
			.map(|chunk| {
				scope.spawn(move || {
					let mut statuses = std::collections::BTreeMap::<String, u64>::new();
					for body in chunk {
						let answer = http::request(
							api,
							"PUT",
							"/api/1/balance_proofs",
							None,
							body,
							HTTP_WAIT,
						)
						.expect("the monitor answers");
						let code = match answer.status {
							202 => "held".to_string(),
							_ => answer.json()["code"].as_str().unwrap_or("?").to_string(),
						};
						*statuses.entry(code).or_default() += 1;
					}
					statuses
				})
			})
			.collect();
		let flooding = &flooding;
		let sampler = scope.spawn(move || {
			let mut latencies = Vec::new();
			while flooding.load(std::sync::atomic::Ordering::Relaxed) {
				let started = Instant::now();
				let answered = http::request(api, "GET", "/api/1/info", None, b"", HTTP_WAIT)
					.map(|r| r.status);
				assert_eq!(answered.ok(), Some(200), "GET /api/1/info during the flood");
				latencies.push(started.elapsed());
				std::thread::sleep(Duration::from_millis(20));
			}
			latencies
		});
		let mut statuses = std::collections::BTreeMap::<String, u64>::new();
		for sender in senders {
			for (code, count) in sender.join().expect("a sender") {
				*statuses.entry(code).or_default() += count;
			}
		}
		flooding.store(false, std::sync::atomic::Ordering::Relaxed);
		(statuses, sampler.join().expect("the sampler"))
	});
	let stats = monitor.json("/api/1/stats");
	let expected = std::collections::BTreeMap::from([
		("held".to_string(), 4 * near),
		("pending_candidates_full".to_string(), near),
		("channel_too_far".to_string(), FLOOD - 5 * near),
	]);
	assert_eq!(statuses, expected, "{stats}");
	assert_eq!(stats["proofs_pending"], json!(4 * near + 2), "{stats}");
	let mut latencies = info_latencies;
	latencies.sort();
	let p99 = latencies[latencies.len() * 99 / 100];
	eprintln!(
		"{FLOOD} PUTs in {:?}; GET /api/1/info p99 {p99:?} over {} samples",
		flood_started.elapsed(),
		latencies.len()
	);
	assert!(
		p99 < Duration::from_millis(100),
		"GET /api/1/info p99 {p99:?} during the flood ({} samples)",
		latencies.len()
	);

	// The next channel opens and its escrow is funded: the receiver's proof is stored, the
	// attacker's refused.
	let opened = chain.channel(&sender, &receiver).await;
	assert_eq!(opened, next);
	let deadline = Instant::now() + CHAIN_WAIT;
	loop {
		let held = monitor.json(&format!("/api/1/balance_proofs/{opened}"));
		if held["status"] == json!("stored") {
			assert_eq!(held["nonce"], json!(2), "the receiver's proof: {held}");
			break;
		}
		assert!(Instant::now() < deadline, "the genuine proof was never stored: {held}");
		tokio::time::sleep(Duration::from_millis(300)).await;
	}

	// The stale close is answered in the monitor's slot, while the watcher keeps within
	// its bound.
	chain.close(&sender, watched, &chain.proof(&sender, watched, 1, 10 * UNIT)).await;
	let slot = chain.slot(watched, &key("//Charlie")).await;
	let deadline = Instant::now() + CHAIN_WAIT;
	let record = loop {
		let stats = monitor.json("/api/1/stats");
		let (lag, bound) = (stats["lag"].as_u64(), stats["lag_bound"].as_u64());
		assert!(
			lag.zip(bound).is_some_and(|(lag, bound)| lag <= bound),
			"the watcher fell behind: {stats}"
		);
		let record = monitor.json(&format!("/api/1/channel_update/{watched}"));
		if record["status"] == json!("accepted") || record["status"] == json!("rewarded") {
			break record;
		}
		if Instant::now() > deadline {
			monitor.fail(&format!("the update never landed: {record}"));
		}
		tokio::time::sleep(Duration::from_millis(300)).await;
	};
	assert_eq!(record["nonce"], json!(5), "{record}");
	assert!(record["accepted_in"].as_u64().is_some_and(|block| block >= slot), "{record}");
	let metrics = monitor.get("/metrics").expect("metrics").text();
	assert!(metrics.contains("warden_monitor_lag_bound_blocks 3"), "{metrics}");
	assert!(metrics.contains("warden_monitor_node_reachable 1"), "{metrics}");
	drop(node);
}

/// With a short registration period set by governance, a new monitor renews its
/// registration by itself before it expires.
/// The monitor killed right after sending, which follows the chain's fee for its minimum.
const KILLED: &str = "//MonitorTest/killed";

/// `monitor` runs with `--min-reward auto --min-reward-margin 2`: its minimum is twice the
/// chain's fee for an update, and a reward below it is refused. Then it is SIGKILLed the
/// moment it has sent its update for a stale close: after the restart it finds the
/// transaction it recorded (in the pool, or already in a block) and sends no second one.
async fn killed_after_sending(
	chain: &Chain,
	monitor: &Daemon,
	sender: &Keypair,
	receiver: &Keypair,
) {
	let monitor_key = key(KILLED);
	let fee = update_fee(&chain.client, &monitor_key).await.expect("the fee");
	let info = monitor.json("/api/1/info");
	assert_eq!(info["min_reward"], json!((2 * fee).to_string()), "{info}");
	assert_eq!(info["min_reward_auto_margin"], json!(2.0), "{info}");

	let channel = chain.channel(sender, receiver).await;
	let newest = chain.proof(sender, channel, 3, 60 * UNIT);
	let cheap = Submission::new(&newest, &chain.authorize(receiver, &newest, 2 * fee - 1));
	expect_refusal(&monitor.put(&cheap), 422, "reward_below_minimum");
	let paid = Submission::new(&newest, &chain.authorize(receiver, &newest, 2 * UNIT));
	assert_eq!(monitor.put(&paid).status, 201);
	let nonce_before = chain.nonce(&monitor_key).await;

	chain.close(sender, channel, &chain.proof(sender, channel, 1, 10 * UNIT)).await;
	let deadline = Instant::now() + CHAIN_WAIT;
	while !monitor.log_text().contains("update sent") {
		if Instant::now() > deadline {
			monitor.fail("never sent its update");
		}
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
	monitor.kill();
	monitor.spawn();
	monitor.ready().await;

	let record = monitor.wait_update(channel, "rewarded").await;
	assert_eq!(record["attempts"], json!(1), "{record}");
	let stats = monitor.json("/api/1/stats");
	assert_eq!(stats["updates_submitted"], json!(1), "{stats}");
	// One update and one claim, besides renewals (the registration period may be short
	// while `renews_itself` runs).
	let renewals = stats["renewals"].as_u64().expect("a count") as u32;
	assert_eq!(
		chain.nonce(&monitor_key).await,
		nonce_before + 2 + renewals,
		"{}",
		monitor.log_text()
	);
}

async fn renews_itself(chain: &Chain, url: &str, dir: &Path) {
	use api::runtime_types::{
		pallet_warden_monitoring::pallet::Call, warden_primitives::channels::MonitoringParams,
		warden_runtime::RuntimeCall,
	};
	let params = MonitoringParams {
		min_monitor_deposit: 10 * UNIT,
		registration_period: 16,
		unregister_delay: 20,
	};
	let call = RuntimeCall::Monitoring(Call::set_params { params });
	chain.tx(&api::tx().sudo().sudo(call), &key("//Alice")).await;
	let ferdie = key("//Ferdie");
	let monitor = Daemon::start("ferdie", url, "//Ferdie", dir, &["--renew-before", "4"]);
	monitor.ready().await;
	let registered_until = chain.valid_until(&ferdie).await;
	let deadline = Instant::now() + CHAIN_WAIT;
	while monitor.json("/api/1/stats")["renewals"] == json!(0) {
		if Instant::now() > deadline {
			monitor.fail("never renewed");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	let renewed_until = chain.valid_until(&ferdie).await;
	assert!(renewed_until > registered_until, "{renewed_until} > {registered_until}");
	// Renewed before it expired: the renewal's block was at most `valid_until`.
	assert!(
		renewed_until - 16 <= registered_until,
		"renewed at {} after expiry {registered_until}",
		renewed_until - 16
	);
}

/// Runs the binary with `args`; returns its exit code and stderr.
fn run_monitor(args: &[&str]) -> (Option<i32>, String) {
	let output = Command::new(MONITOR).args(args).output().expect("runs");
	(output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Startup checks that need no node: `--help`, bad flags, an unreachable node.
fn startup_failures(dir: &Path) {
	// Secrets set in the environment never show in `--help`; other values do.
	let help = Command::new(MONITOR)
		.arg("--help")
		.env("WARDEN_MONITOR_SURI", "//SecretSeedInTheEnvironment")
		.env("WARDEN_MONITOR_API_TOKEN", "secret-token-in-the-environment")
		.env("WARDEN_MONITOR_MAX_PENDING", "777")
		.output()
		.expect("runs");
	assert_eq!(help.status.code(), Some(0));
	let help = String::from_utf8_lossy(&help.stdout);
	assert!(!help.contains("SecretSeedInTheEnvironment"), "--help shows the secret URI");
	assert!(!help.contains("secret-token-in-the-environment"), "--help shows the API token");
	assert!(help.contains("777"), "--help shows the values of other variables");
	for flag in [
		"--url",
		"--suri",
		"--key-file",
		"--scheme",
		"--payout",
		"--min-reward",
		"--min-reward-margin",
		"--db",
		"--api ",
		"--api-token",
		"--public-url",
		"--register",
		"--pending-blocks",
		"--max-pending",
		"--max-pending-distance",
		"--rate-limit",
		"--rate-burst",
		"--safety-margin",
		"--renew-before",
		"--history-blocks",
		"--max-body",
		"--log-json",
		"WARDEN_MONITOR_URL",
		"Exit codes",
	] {
		assert!(help.contains(flag), "--help doesn't document {flag}:\n{help}");
	}
	let (code, stderr) = run_monitor(&["--suri", "//Charlie", "--min-reward", "lots"]);
	assert_eq!(code, Some(2), "{stderr}");
	assert!(stderr.contains("not an amount"), "{stderr}");
	let (code, stderr) =
		run_monitor(&["--suri", "//Charlie", "--min-reward", "auto", "--min-reward-margin", "0.5"]);
	assert_eq!(code, Some(2), "{stderr}");
	assert!(stderr.contains("--min-reward-margin 0.5"), "{stderr}");
	let (code, stderr) = run_monitor(&["--url", "ws://127.0.0.1:1"]);
	assert_eq!(code, Some(2), "no key: {stderr}");
	let dead = format!("ws://127.0.0.1:{}", free_port());
	let db = dir.join("unreachable.redb");
	let (code, stderr) =
		run_monitor(&["--url", &dead, "--suri", "//Charlie", "--db", db.to_str().expect("a path")]);
	assert_eq!(code, Some(3), "{stderr}");
	assert!(stderr.contains(&dead), "the error names the URL: {stderr}");
}

/// Every refusal of the intake, each with its code, and nothing stored; pending proofs.
async fn api_refusals(chain: &Chain, monitor: &Daemon, sender: &Keypair, receiver: &Keypair) {
	// A proof for the next channel id, before the channel exists: held, then stored when
	// the channel opens.
	let next = chain.next_channel_id().await;
	let early = chain.proof(sender, next, 1, 10 * UNIT);
	let early_authorization = chain.authorize(receiver, &early, 2 * UNIT);
	let (sender_id, receiver_id) = (sender.account_id(), receiver.account_id());
	// Without the parties named, or named but not the signers: refused at once.
	let response = monitor.put(&Submission::new(&early, &early_authorization));
	expect_refusal(&response, 422, "parties_required");
	let response = monitor.put(&Submission::with_parties(
		&early,
		&early_authorization,
		&receiver_id,
		&sender_id,
	));
	expect_refusal(&response, 422, "bad_proof_signature");
	// Too far beyond the next id (`--max-pending-distance`, 1,000).
	let far = chain.proof(sender, next + 1_000, 1, 10 * UNIT);
	let response = monitor.put(&Submission::with_parties(
		&far,
		&chain.authorize(receiver, &far, 2 * UNIT),
		&sender_id,
		&receiver_id,
	));
	expect_refusal(&response, 422, "channel_too_far");
	let response = monitor.put(&Submission::with_parties(
		&early,
		&early_authorization,
		&sender_id,
		&receiver_id,
	));
	assert_eq!(response.status, 202, "{}", response.text());
	assert_eq!(monitor.json(&format!("/api/1/balance_proofs/{next}"))["status"], json!("pending"));
	let channel = chain.channel(sender, receiver).await;
	assert_eq!(channel, next);
	let deadline = Instant::now() + CHAIN_WAIT;
	while monitor.json(&format!("/api/1/balance_proofs/{next}"))["status"] != json!("stored") {
		assert!(Instant::now() < deadline, "the pending proof was never stored");
		tokio::time::sleep(Duration::from_millis(300)).await;
	}

	let proof = chain.proof(sender, channel, 3, 20 * UNIT);
	let good = Submission::new(&proof, &chain.authorize(receiver, &proof, 2 * UNIT));
	let stats = |m: &Daemon| m.json("/api/1/stats");
	let received = stats(monitor)["proofs_received"].clone();

	// Parties named that aren't the channel's.
	let response = monitor.put(&Submission::with_parties(
		&proof,
		&chain.authorize(receiver, &proof, 2 * UNIT),
		&sender_id,
		&sender_id,
	));
	expect_refusal(&response, 422, "bad_authorization_signature");
	let stranger = key("//MonitorTest/stranger");
	let by_stranger = chain.proof(&stranger, channel, 3, 20 * UNIT);
	let response = monitor.put(&Submission::with_parties(
		&by_stranger,
		&chain.authorize(receiver, &by_stranger, 2 * UNIT),
		&stranger.account_id(),
		&receiver_id,
	));
	expect_refusal(&response, 422, "parties_mismatch");

	// Signatures by the wrong party.
	let by_receiver = chain.proof(receiver, channel, 3, 20 * UNIT);
	let response = monitor
		.put(&Submission::new(&by_receiver, &chain.authorize(receiver, &by_receiver, 2 * UNIT)));
	expect_refusal(&response, 422, "bad_proof_signature");
	let response =
		monitor.put(&Submission::new(&proof, &chain.authorize(sender, &proof, 2 * UNIT)));
	expect_refusal(&response, 422, "bad_authorization_signature");
	// Rewards: below this monitor's minimum (1 WRD), over the escrow (10 WRD).
	let response =
		monitor.put(&Submission::new(&proof, &chain.authorize(receiver, &proof, UNIT / 2)));
	expect_refusal(&response, 422, "reward_below_minimum");
	let response =
		monitor.put(&Submission::new(&proof, &chain.authorize(receiver, &proof, 11 * UNIT)));
	expect_refusal(&response, 422, "reward_over_escrow");
	// Malformed and oversized bodies.
	expect_refusal(&monitor.put_raw(b"{\"proof\": 1"), 400, "bad_json");
	expect_refusal(&monitor.put_raw(&vec![b' '; 64 * 1024]), 413, "body_too_large");
	// Nothing was stored by the refusals: the held proof is still the first one.
	assert_eq!(stats(monitor)["proofs_received"], received);
	assert_eq!(monitor.json(&format!("/api/1/balance_proofs/{channel}"))["nonce"], json!(1));

	// The good one is stored; sent again unchanged, it is answered as held, and nothing
	// counts as a refusal; the same nonce with another authorization is stale.
	assert_eq!(monitor.put(&good).status, 201);
	let refusals = monitor.get("/metrics").expect("metrics").text();
	let again = monitor.put(&good);
	assert_eq!(again.status, 200, "{}", again.text());
	assert_eq!(again.json()["status"], json!("held"), "{}", again.text());
	assert_eq!(again.json()["nonce"], json!(3), "{}", again.text());
	let refusal_lines = |text: &str| -> Vec<String> {
		text.lines()
			.filter(|line| line.starts_with("warden_monitor_refusals_total{"))
			.map(String::from)
			.collect()
	};
	assert_eq!(
		refusal_lines(&monitor.get("/metrics").expect("metrics").text()),
		refusal_lines(&refusals)
	);
	let other = Submission::new(&proof, &chain.authorize(receiver, &proof, 3 * UNIT));
	expect_refusal(&monitor.put(&other), 409, "stale_nonce");

	// A channel that was issued but no longer exists: settled cooperatively.
	let gone = chain.channel(sender, receiver).await;
	let last = chain.proof(sender, gone, 1, 5 * UNIT);
	let cosigned = signing::cooperative_close_signature(receiver, chain.genesis, &last);
	let call = api::tx().channels().cooperative_close(
		gone,
		signing::proof_arg(&last),
		signing::signature_arg(&cosigned),
	);
	chain.tx(&call, sender).await;
	let response =
		monitor.put(&Submission::new(&last, &chain.authorize(receiver, &last, 2 * UNIT)));
	expect_refusal(&response, 422, "unknown_channel");

	// A channel id well beyond the next: held, and dropped after `--pending-blocks` (5).
	let never = chain.next_channel_id().await + 500;
	let phantom = chain.proof(sender, never, 1, UNIT);
	let response = monitor.put(&Submission::with_parties(
		&phantom,
		&chain.authorize(receiver, &phantom, 2 * UNIT),
		&sender_id,
		&receiver_id,
	));
	assert_eq!(response.status, 202, "{}", response.text());
	let deadline = Instant::now() + CHAIN_WAIT;
	while monitor.get(&format!("/api/1/balance_proofs/{never}")).expect("answers").status != 404 {
		assert!(Instant::now() < deadline, "the pending proof was never dropped");
		tokio::time::sleep(Duration::from_millis(300)).await;
	}
	assert_eq!(stats(monitor)["pending_dropped"], json!(1));

	// The protected endpoints need the token.
	for (method, path) in [
		("GET", "/api/1/balance_proofs".to_string()),
		("GET", format!("/api/1/balance_proofs/{channel}")),
		("DELETE", format!("/api/1/balance_proofs/{channel}")),
	] {
		for token in [None, Some("wrong")] {
			let response = monitor.request(method, &path, token, b"").expect("answers");
			expect_refusal(&response, 401, "unauthorized");
		}
	}
	let listed = monitor.json("/api/1/balance_proofs");
	let channels: Vec<u64> = listed["proofs"]
		.as_array()
		.expect("a list")
		.iter()
		.filter_map(|p| p["channel"].as_u64())
		.collect();
	assert_eq!(channels, vec![channel], "only the accepted proof is held: {listed}");
	assert_eq!(listed["proofs"][0]["nonce"], json!(3));
	// Deleting it with the token.
	let response = monitor
		.request("DELETE", &format!("/api/1/balance_proofs/{channel}"), Some(TOKEN), b"")
		.expect("answers");
	assert_eq!(response.status, 200, "{}", response.text());
	assert_eq!(
		monitor.get(&format!("/api/1/balance_proofs/{channel}")).expect("answers").status,
		404
	);
}

/// The sender closes with a stale proof while the receiver is offline; the monitor is
/// killed after the close and restarted before its slot; it still acts, once.
async fn stale_close_and_restart(
	chain: &Chain,
	monitor: &Daemon,
	sender: &Keypair,
	receiver: &Keypair,
	payout: &Keypair,
) {
	let channel = chain.channel(sender, receiver).await;
	let stale = chain.proof(sender, channel, 2, 30 * UNIT);
	let newest = chain.proof(sender, channel, 4, 70 * UNIT);
	let response =
		monitor.put(&Submission::new(&newest, &chain.authorize(receiver, &newest, 5 * UNIT)));
	assert_eq!(response.status, 201, "{}", response.text());
	let receiver_before = chain.free(&receiver.account_id()).await;

	chain.close(sender, channel, &stale).await;
	monitor.wait_update(channel, "scheduled").await;
	monitor.kill();
	let slot = chain.slot(channel, &key("//Charlie")).await;
	assert!(chain.best().await + 1 < slot, "the restart comes before the slot {slot}");
	monitor.spawn();
	monitor.ready().await;

	let record = monitor.wait_update(channel, "rewarded").await;
	assert_eq!(record["attempts"], json!(1), "{record}");
	assert_eq!(record["nonce"], json!(4));
	assert!(record["accepted_in"].as_u64().is_some_and(|block| block >= slot), "{record}");
	assert_eq!(amount(&record["claimed"]), 5 * UNIT);
	chain.wait_settled(channel).await;
	// The receiver got the newest proof's 70 WRD and the escrow's other 5 WRD back; the
	// payout address the reward.
	assert_eq!(chain.free(&receiver.account_id()).await - receiver_before, 70 * UNIT + 5 * UNIT);
	assert_eq!(chain.free(&payout.account_id()).await, 5 * UNIT);
	// Settled and claimed: the proof is pruned.
	assert_eq!(
		monitor.get(&format!("/api/1/balance_proofs/{channel}")).expect("answers").status,
		404
	);
}

/// Two monitors hold the same proof: the one whose slot comes first sends; the other
/// stands down. Returns the name of the first.
async fn two_monitors(
	chain: &Chain,
	dave: &Daemon,
	eve: &Daemon,
	sender: &Keypair,
	receiver: &Keypair,
) -> &'static str {
	let (dave_key, eve_key) = (key("//Dave"), key("//Eve"));
	// Slots come from a hash of (channel, monitor): close channels until the two differ by
	// at least two blocks. The first that do is handed to both monitors.
	for _ in 0..6 {
		let channel = chain.channel(sender, receiver).await;
		let stale = chain.proof(sender, channel, 1, 10 * UNIT);
		let newest = chain.proof(sender, channel, 2, 50 * UNIT);
		chain.close(sender, channel, &stale).await;
		let (dave_slot, eve_slot) =
			(chain.slot(channel, &dave_key).await, chain.slot(channel, &eve_key).await);
		if dave_slot.abs_diff(eve_slot) < 2 {
			continue;
		}
		let submission = Submission::new(&newest, &chain.authorize(receiver, &newest, 3 * UNIT));
		assert_eq!(dave.put(&submission).status, 201);
		assert_eq!(eve.put(&submission).status, 201);
		let (first, second, name) =
			if dave_slot < eve_slot { (dave, eve, "dave") } else { (eve, dave, "eve") };
		first.wait_update(channel, "rewarded").await;
		let record = second.wait_update(channel, "stood_down").await;
		assert_eq!(record["attempts"], json!(0), "{record}");
		return name;
	}
	panic!("no channel gave the two monitors slots two blocks apart");
}

/// The receiver comes back online and updates herself before the monitor's slot: the
/// monitor sends nothing and earns nothing; the escrow returns whole.
async fn receiver_updates_first(
	chain: &Chain,
	monitor: &Daemon,
	sender: &Keypair,
	receiver: &Keypair,
) {
	let channel = chain.channel(sender, receiver).await;
	let stale = chain.proof(sender, channel, 1, 10 * UNIT);
	let newest = chain.proof(sender, channel, 2, 40 * UNIT);
	assert_eq!(
		monitor
			.put(&Submission::new(&newest, &chain.authorize(receiver, &newest, 2 * UNIT)))
			.status,
		201
	);
	chain.close(sender, channel, &stale).await;
	chain.tx(&api::tx().channels().update(channel, signing::proof_arg(&newest)), receiver).await;
	let record = monitor.wait_update(channel, "stood_down").await;
	assert_eq!(record["attempts"], json!(0), "{record}");
	chain.wait_settled(channel).await;
	let done = chain.tx(&api::tx().monitoring().claim_reward(channel), receiver).await;
	assert!(done.event("Monitoring", "RewardClaimed").is_none(), "no reward was owed");
	let returned = done.event("Monitoring", "EscrowReturned").expect("the escrow returns");
	assert_eq!(amount(&returned.fields["amount"]), 10 * UNIT);
}

/// The receiver withdraws the escrow after the monitor stored her proof; the sender closes
/// with a stale one. The monitor re-reads the escrow before sending, finds it short of
/// the reward and stands down: no transaction, no fee.
async fn escrow_withdrawn(chain: &Chain, monitor: &Daemon, sender: &Keypair, receiver: &Keypair) {
	let channel = chain.watched(monitor, sender, receiver, 2, 40 * UNIT).await;
	let stale = chain.proof(sender, channel, 1, 10 * UNIT);
	chain.tx(&api::tx().monitoring().withdraw_escrow(channel, 10 * UNIT), receiver).await;
	chain.close(sender, channel, &stale).await;
	let record = monitor.wait_update(channel, "stood_down").await;
	assert_eq!(record["attempts"], json!(0), "{record}");
	assert!(record["detail"].as_str().is_some_and(|detail| detail.contains("escrow")), "{record}");
	chain.wait_settled(channel).await;
}

/// The node goes away between a stale close and the monitor's slot, and comes back on the
/// same database and port: meanwhile the API answers and says the node is unreachable;
/// then the daemon reconnects by itself, backfills the blocks it missed, and its update
/// lands in the window, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_survives_a_node_restart() {
	let scratch = temp_dir();
	let base = scratch.path().join("chain");
	let port = free_port();
	let config = || NodeConfig::dev(node_binary()).base_path(&base).rpc_port(port).name("chain");
	let mut node = Node::start(config(), scratch.path());
	node.wait_ready().await;
	let url = node.ws_url();
	let chain = Chain::connect(&url).await;
	let (sender, receiver) = (key("//RestartTest/sender"), key("//RestartTest/receiver"));
	chain.fund(&[&sender, &receiver]).await;
	// A tight intake limit: one submission a second per address, three at once.
	let monitor = Daemon::start(
		"restart",
		&url,
		"//Charlie",
		scratch.path(),
		&["--rate-limit", "1", "--rate-burst", "3"],
	);
	monitor.ready().await;

	let channel = chain.watched(&monitor, &sender, &receiver, 3, 50 * UNIT).await;
	rate_limited_per_address(monitor.api).await;
	let charlie_nonce = chain.nonce(&key("//Charlie")).await;
	chain.close(&sender, channel, &chain.proof(&sender, channel, 1, 10 * UNIT)).await;
	monitor.wait_update(channel, "scheduled").await;
	let slot = chain.slot(channel, &key("//Charlie")).await;
	assert!(chain.best().await + 1 < slot, "the node stops before the slot {slot}");

	// Away: no blocks are made, the API still answers and says since when the node is gone.
	node.stop();
	let deadline = Instant::now() + CHAIN_WAIT;
	let stats = loop {
		let stats = monitor.json("/api/1/stats");
		if stats["node_reachable"] == json!(false) {
			break stats;
		}
		assert!(Instant::now() < deadline, "the node's absence never showed: {stats}");
		tokio::time::sleep(Duration::from_millis(200)).await;
	};
	assert!(stats["node_unreachable_since_ms"].as_u64().is_some(), "{stats}");
	assert_eq!(stats["lag"], Value::Null, "no lag is known while the node is away: {stats}");
	assert_eq!(monitor.get("/api/1/info").expect("answers").status, 200);

	// Back on the same database and port.
	let mut node = Node::start(config(), scratch.path());
	node.wait_ready().await;
	let chain = Chain::connect(&url).await;
	let deadline = Instant::now() + CHAIN_WAIT;
	let record = loop {
		let record = monitor.json(&format!("/api/1/channel_update/{channel}"));
		if record["status"] == json!("accepted") || record["status"] == json!("rewarded") {
			break record;
		}
		if Instant::now() > deadline {
			monitor.fail(&format!("the update never landed after the restart: {record}"));
		}
		tokio::time::sleep(Duration::from_millis(300)).await;
	};
	assert_eq!(record["attempts"], json!(1), "sent once: {record}");
	assert!(record["accepted_in"].as_u64().is_some_and(|block| block >= slot), "{record}");
	// Once settled, the claim: two transactions in all.
	monitor.wait_update(channel, "rewarded").await;
	assert_eq!(chain.nonce(&key("//Charlie")).await, charlie_nonce + 2, "one update, one claim");
	assert_eq!(monitor.json("/api/1/stats")["node_reachable"], json!(true));
	drop(node);
}

/// `PUT /api/1/balance_proofs` with `body` from the local address `from`; the status line
/// and the rest of the answer.
async fn put_from(from: std::net::IpAddr, api: SocketAddr, body: &[u8]) -> (u16, String) {
	use std::io::{Read, Write};
	let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
	socket.bind(SocketAddr::new(from, 0)).expect("binds the source address");
	let stream = tokio::time::timeout(HTTP_WAIT, socket.connect(api))
		.await
		.expect("connects in time")
		.expect("connects");
	let mut stream = stream.into_std().expect("a std stream");
	stream.set_nonblocking(false).expect("blocking");
	stream.set_read_timeout(Some(HTTP_WAIT)).expect("a timeout");
	let head = format!(
		"PUT /api/1/balance_proofs HTTP/1.1\r\nHost: {api}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	);
	stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).expect("writes");
	let mut answer = String::new();
	stream.read_to_string(&mut answer).expect("reads the answer");
	let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
	(status, answer)
}

/// One address over its limit is refused with 429 and `Retry-After`; another address is
/// served meanwhile.
async fn rate_limited_per_address(api: SocketAddr) {
	let here: std::net::IpAddr = [127, 0, 0, 1].into();
	let elsewhere: std::net::IpAddr = [127, 0, 0, 2].into();
	let mut refused = None;
	for _ in 0..6 {
		let (status, answer) = put_from(here, api, b"{}").await;
		if status == 429 {
			refused = Some(answer);
			break;
		}
	}
	let answer = refused.expect("the fourth submission within a second is over the limit");
	let lower = answer.to_ascii_lowercase();
	assert!(lower.contains("retry-after: "), "{answer}");
	assert!(answer.contains("\"rate_limited\""), "{answer}");
	let (status, answer) = put_from(elsewhere, api, b"{}").await;
	assert_eq!(status, 400, "another address is served (and its body read): {answer}");
}
