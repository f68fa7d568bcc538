//! Warden's daemons as end-to-end tests run them: a `wardend` per party, driven through the
//! real `warden` CLI, and a `warden-monitor`. The binaries are looked up next to the test's
//! own (`cargo test --workspace` and nextest build them all into one directory).

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

use serde_json::Value;

use crate::node::{free_port, wait_until};

/// How long a daemon may take to start, or a condition on the chain to come true.
pub const WAIT: Duration = Duration::from_secs(120);

/// The binary `name` in `dir`, asserted to exist.
pub fn binary(dir: &Path, name: &str) -> PathBuf {
	let path = dir.join(name);
	assert!(path.exists(), "{} is missing: build the workspace first", path.display());
	path
}

/// Sends `signal` (`-TERM`, `-KILL`) to `child` and returns its exit code (`None` if a
/// signal ended it).
pub fn stop(child: &mut Child, signal: &str) -> Option<i32> {
	Command::new("kill").args([signal, &child.id().to_string()]).status().expect("kill");
	child.wait().expect("exits").code()
}

/// An amount as the daemons print it: a decimal string of planck.
pub fn amount(value: &Value) -> u128 {
	value.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("an amount: {value}"))
}

/// A daemon's process, killed when dropped (a failing test leaves nothing running).
pub struct Daemon(Child);

impl std::ops::Deref for Daemon {
	type Target = Child;
	fn deref(&self) -> &Child {
		&self.0
	}
}

impl std::ops::DerefMut for Daemon {
	fn deref_mut(&mut self) -> &mut Child {
		&mut self.0
	}
}

impl Drop for Daemon {
	fn drop(&mut self) {
		if let Ok(None) = self.0.try_wait() {
			let _ = self.0.kill();
			let _ = self.0.wait();
		}
	}
}

/// One party's `wardend`: its JSON-RPC and peer API addresses, token file, database and log.
pub struct Wardend {
	/// The directory holding `wardend` and `warden`.
	pub bin: PathBuf,
	/// The account's secret URI.
	pub suri: &'static str,
	/// Its JSON-RPC address.
	pub rpc: String,
	/// Its peer API address.
	pub peer: String,
	/// Its token file.
	pub token: PathBuf,
	/// Its database.
	pub db: PathBuf,
	/// Its log file.
	pub log: PathBuf,
}

impl Wardend {
	/// The daemon of `suri`, its files in `dir`, the binaries in `bin`.
	pub fn new(bin: &Path, suri: &'static str, dir: &Path) -> Self {
		Self {
			bin: bin.to_path_buf(),
			suri,
			rpc: format!("127.0.0.1:{}", free_port()),
			peer: format!("127.0.0.1:{}", free_port()),
			token: dir.join(format!("{suri}.token")),
			db: dir.join(format!("{suri}.redb")),
			log: dir.join(format!("{suri}.log")),
		}
	}

	/// Its flags for the node at `url`.
	pub fn args<'a>(&'a self, url: &'a str) -> Vec<&'a str> {
		vec![
			"--suri",
			self.suri,
			"--url",
			url,
			"--rpc",
			&self.rpc,
			"--peer-api",
			&self.peer,
			"--token-file",
			self.token.to_str().expect("a UTF-8 path"),
			"--db",
			self.db.to_str().expect("a UTF-8 path"),
		]
	}

	/// Starts it with `env`, and waits until it answers.
	pub fn start(&self, url: &str, env: &[(&str, &str)]) -> Daemon {
		self.start_with(url, &[], env)
	}

	/// Starts it with more `flags` and `env`, and waits until it answers.
	pub fn start_with(&self, url: &str, flags: &[&str], env: &[(&str, &str)]) -> Daemon {
		let child = Command::new(binary(&self.bin, "wardend"))
			.args(self.args(url))
			.args(flags)
			.envs(env.iter().copied())
			.stdout(Stdio::null())
			.stderr(std::fs::File::create(&self.log).expect("a log"))
			.spawn()
			.expect("wardend starts");
		let child = Daemon(child);
		let deadline = Instant::now() + WAIT;
		while !self.cli(url, &["wallet", "status"]).status.success() {
			assert!(Instant::now() < deadline, "wardend didn't start: {}", self.log_text());
			std::thread::sleep(Duration::from_millis(200));
		}
		child
	}

	/// Its peer API's URL.
	pub fn peer_url(&self) -> String {
		format!("http://{}", self.peer)
	}

	/// Its log so far.
	pub fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Runs `warden --json …` through this daemon.
	pub fn cli(&self, url: &str, args: &[&str]) -> Output {
		Command::new(binary(&self.bin, "warden"))
			.args(["--url", url, "--quiet", "--json", "--wallet", &format!("http://{}", self.rpc)])
			.args(["--wallet-token-file", self.token.to_str().expect("a UTF-8 path")])
			.args(args)
			.env_remove("WARDEN_SURI")
			.output()
			.expect("warden runs")
	}

	/// Runs `warden --json …` through this daemon and returns its JSON; panics unless it
	/// succeeds.
	pub fn ok(&self, url: &str, args: &[&str]) -> Value {
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

/// Starts `warden-monitor` for `suri` (registering it with a 10 WRD deposit and its API's
/// URL) with its files in `dir`, and waits until its API answers and the chain lists its
/// endpoint. Returns the process and the API's address.
pub async fn start_monitor(bin: &Path, suri: &str, url: &str, dir: &Path) -> (Daemon, String) {
	let api = format!("127.0.0.1:{}", free_port());
	let name = suri.trim_start_matches("//").to_lowercase();
	let child = Command::new(binary(bin, "warden-monitor"))
		.args(["--suri", suri, "--register", "10", "--url", url, "--api", &api])
		.args(["--public-url", &format!("http://{api}")])
		.args(["--db", dir.join(format!("{name}-monitor.redb")).to_str().expect("UTF-8")])
		.stdout(Stdio::null())
		.stderr(std::fs::File::create(dir.join(format!("{name}-monitor.log"))).expect("a log"))
		.spawn()
		.expect("warden-monitor starts");
	let child = Daemon(child);
	let warden = binary(bin, "warden");
	wait_until(WAIT, "the monitor's API and registration", || async {
		let shown = Command::new(&warden)
			.args(["--url", url, "--json", "monitor", "show", &name])
			.output()
			.ok()?;
		let shown: Value = serde_json::from_slice(&shown.stdout).ok()?;
		let listed = shown["endpoint"].as_str().is_some_and(|e| !e.is_empty());
		let answers = std::net::TcpStream::connect(&api).is_ok();
		(listed && answers).then_some(())
	})
	.await;
	(child, api)
}
