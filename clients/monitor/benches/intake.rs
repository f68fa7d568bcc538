//! Intake benchmark: `PUT /api/1/balance_proofs` throughput with both signature checks and
//! group-committed storage, and the daemon's memory with that many channels stored.
//!
//! The server runs in a child process (this binary, re-executed), so its resident memory is
//! its own; the chain is an in-memory map of channel parties and escrows, so the figure is
//! the daemon's own work (HTTP, JSON, two sr25519 verifications, the database commit), not
//! the node's. Against a node, the first proof of a channel also costs one runtime-API read
//! of its parties (then cached) and each proof one read of its escrow.
//!
//! ```text
//! cargo bench -p warden-monitor --bench intake            # 100 000 channels
//! INTAKE_CHANNELS=20000 cargo bench -p warden-monitor --bench intake
//! ```

use std::{
	collections::HashMap,
	io::{BufRead, BufReader},
	net::SocketAddr,
	process::{Command, Stdio},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use warden_client::{keys::to_chain_account, signing, Error, Keypair, Scheme, H256};
use warden_monitor::{
	api::router,
	chain::{ChainView, ChannelFacts, Heads},
	db::Db,
	http,
	intake::{App, MinReward, Settings, Writer},
	metrics::Metrics,
	wire::Submission,
};

/// Distinct sender/receiver pairs; channel `c` belongs to pair `c % PAIRS`.
const PAIRS: u64 = 64;
const GENESIS: H256 = H256([9; 32]);
const CLIENTS: usize = 16;

fn pair(i: u64) -> (Keypair, Keypair) {
	let key = |s: String| Keypair::from_suri(&s, Scheme::Sr25519).expect("a key");
	(key(format!("//bench/sender/{i}")), key(format!("//bench/receiver/{i}")))
}

struct FakeChain {
	parties: HashMap<u64, (sp_runtime::AccountId32, sp_runtime::AccountId32)>,
	channels: u64,
}

impl ChainView for FakeChain {
	fn genesis(&self) -> sp_core::H256 {
		sp_core::H256(GENESIS.0)
	}

	async fn channel(&self, id: u64) -> Result<Option<ChannelFacts>, Error> {
		Ok((id < self.channels).then(|| {
			let (sender, receiver) = self.parties[&(id % PAIRS)].clone();
			ChannelFacts { sender, receiver, closing: false }
		}))
	}

	async fn next_channel_id(&self) -> Result<u64, Error> {
		Ok(self.channels)
	}

	async fn escrow(&self, _: u64) -> Result<u128, Error> {
		Ok(u128::MAX)
	}

	fn forget(&self, _: u64) {}
}

fn channels() -> u64 {
	std::env::var("INTAKE_CHANNELS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000)
}

/// The server: prints its address, serves until stdin closes.
fn serve(db_path: &str) {
	let runtime = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(2)
		.enable_all()
		.build()
		.expect("a runtime");
	runtime.block_on(async {
		let parties = (0..PAIRS)
			.map(|i| {
				let (s, r) = pair(i);
				(i, (to_chain_account(&s.account_id()), to_chain_account(&r.account_id())))
			})
			.collect();
		let me = Keypair::from_suri("//Charlie", Scheme::Sr25519).expect("a key").account_id();
		let db = Arc::new(Db::open(db_path.as_ref(), &GENESIS.0, &me.0).expect("a database"));
		let app = Arc::new(App {
			db: db.clone(),
			chain: FakeChain { parties, channels: channels() },
			writer: Writer::spawn(db, 10_000),
			settings: Settings {
				me,
				payout: me,
				min_reward: Arc::new(MinReward::fixed(1)),
				token: None,
				pending_blocks: 10,
				max_pending: 10_000,
				max_pending_distance: 1_000,
				// The benchmark measures the daemon's own work, not its limit.
				rate_limit: 0,
				rate_burst: 1,
				max_body: 16 * 1024,
				spec_version: 0,
				public_url: None,
			},
			heads: Arc::new(Heads::default()),
			issued: Default::default(),
			metrics: Arc::new(Metrics::default()),
		});
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
		println!("{}", listener.local_addr().expect("an address"));
		let stop = async {
			let _ = tokio::task::spawn_blocking(|| {
				let mut line = String::new();
				let _ = std::io::stdin().read_line(&mut line);
			})
			.await;
		};
		axum::serve(listener, router(app).into_make_service_with_connect_info::<SocketAddr>())
			.with_graceful_shutdown(stop)
			.await
			.expect("serves");
	});
}

fn rss_kib(pid: u32, field: &str) -> u64 {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	status
		.lines()
		.find(|l| l.starts_with(field))
		.and_then(|l| l.split_whitespace().nth(1))
		.and_then(|v| v.parse().ok())
		.unwrap_or(0)
}

fn main() {
	if let Ok(db) = std::env::var("INTAKE_SERVER_DB") {
		return serve(&db);
	}
	// `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run small.
	let n = if std::env::args().any(|a| a == "--bench") { channels() } else { 1_000 };
	let dir = tempfile::tempdir().expect("a temp dir");
	let db_path = dir.path().join("bench.redb");

	println!("signing {n} proofs and authorizations ...");
	let started = Instant::now();
	let pairs: Vec<(Keypair, Keypair)> = (0..PAIRS).map(pair).collect();
	let bodies: Vec<Vec<u8>> = (0..n)
		.map(|c| {
			let (sender, receiver) = &pairs[(c % PAIRS) as usize];
			let proof = signing::balance_proof(sender, GENESIS, c, 1, 1_000);
			let authorization = signing::reward_authorization(receiver, GENESIS, &proof, 10, None);
			serde_json::to_vec(&Submission::new(&proof, &authorization)).expect("json")
		})
		.collect();
	println!("signed in {:.1} s", started.elapsed().as_secs_f64());

	let mut server = Command::new(std::env::current_exe().expect("this binary"))
		.env("INTAKE_SERVER_DB", &db_path)
		.env("INTAKE_CHANNELS", n.to_string())
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.spawn()
		.expect("the server starts");
	let mut line = String::new();
	BufReader::new(server.stdout.take().expect("stdout")).read_line(&mut line).expect("an address");
	let addr: SocketAddr = line.trim().parse().expect("an address");
	let pid = server.id();
	let idle = rss_kib(pid, "VmRSS:");

	let bodies = Arc::new(bodies);
	let next = Arc::new(AtomicUsize::new(0));
	let started = Instant::now();
	let workers: Vec<_> = (0..CLIENTS)
		.map(|_| {
			let (bodies, next) = (bodies.clone(), next.clone());
			std::thread::spawn(move || loop {
				let i = next.fetch_add(1, Ordering::Relaxed);
				let Some(body) = bodies.get(i) else { return };
				let response = http::request(
					addr,
					"PUT",
					"/api/1/balance_proofs",
					None,
					body,
					Duration::from_secs(30),
				)
				.expect("an answer");
				assert_eq!(response.status, 201, "{}", response.text());
			})
		})
		.collect();
	for worker in workers {
		worker.join().expect("a client");
	}
	let took = started.elapsed().as_secs_f64();
	let stats = http::request(addr, "GET", "/api/1/stats", None, b"", Duration::from_secs(30))
		.expect("stats")
		.json();
	assert_eq!(stats["proofs_stored"], serde_json::json!(n), "{stats}");
	let (rss, peak) = (rss_kib(pid, "VmRSS:"), rss_kib(pid, "VmHWM:"));
	let file = std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);
	drop(server.stdin.take());
	let _ = server.wait();

	println!("intake: {n} proofs in {took:.1} s = {:.0} proofs/s ({CLIENTS} clients, one connection per request)", n as f64 / took);
	println!(
		"server memory with {n} channels stored: {:.1} MiB resident ({:.1} MiB peak; {:.1} MiB idle); database file {:.1} MiB",
		rss as f64 / 1024.0,
		peak as f64 / 1024.0,
		idle as f64 / 1024.0,
		file as f64 / (1024.0 * 1024.0)
	);
}
