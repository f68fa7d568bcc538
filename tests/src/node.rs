//! A real `warden-node` process for end-to-end tests.
//!
//! Each [`Node`] runs on ports the OS reported free, logs to a file in its own
//! directory, and is killed when dropped. Every wait has a deadline.

use std::{
	fs,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use serde_json::Value;
use subxt::{
	rpcs::{client::RpcClient, rpc_params},
	OnlineClient, PolkadotConfig,
};

/// How long a node may take to answer RPC after it starts.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

/// A port that was free a moment ago, for a process to listen on.
///
/// Taken from 20000–32767, below the range the OS hands out for outgoing connections and
/// for `bind(…:0)` (32768–60999 on Linux): a port the OS chose could be given to a client's
/// connection or to another test between the moment it is read and the moment a node
/// binds it. Each test process walks the range from its own starting point, and skips a
/// port it can't bind.
pub fn free_port() -> u16 {
	use std::sync::atomic::{AtomicU32, Ordering};
	const FIRST: u32 = 20_000;
	const COUNT: u32 = 12_768;
	static NEXT: AtomicU32 = AtomicU32::new(0);
	let start = std::process::id().wrapping_mul(7_919) % COUNT;
	for _ in 0..COUNT {
		let step = NEXT.fetch_add(1, Ordering::Relaxed);
		let port = FIRST + (start + step.wrapping_mul(101)) % COUNT;
		let port = u16::try_from(port).expect("below 32768");
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
	panic!("no free port in 20000–32767")
}

/// A running `warden-node`.
pub struct Node {
	child: Option<Child>,
	/// Port of the JSON-RPC server (HTTP and WebSocket).
	pub rpc_port: u16,
	/// Port of the p2p listener.
	pub p2p_port: u16,
	/// Where the node keeps its database and keys; `None` with `--tmp`.
	pub base_path: Option<PathBuf>,
	/// Where its stderr goes.
	pub log_path: PathBuf,
	name: String,
}

/// How to start a [`Node`].
pub struct NodeConfig {
	/// Path of the `warden-node` binary.
	pub binary: PathBuf,
	/// Extra command-line arguments, e.g. `["--dev"]`.
	pub args: Vec<String>,
	/// The base path; `None` runs the node with `--tmp`.
	pub base_path: Option<PathBuf>,
	/// A name for logs.
	pub name: String,
	/// The JSON-RPC port; `None` takes one the OS reports free. A node restarted on the
	/// same port keeps its URL for the clients that reconnect to it.
	pub rpc_port: Option<u16>,
}

impl NodeConfig {
	/// A node of `binary` with no arguments yet.
	pub fn new(binary: impl AsRef<Path>) -> Self {
		Self {
			binary: binary.as_ref().to_path_buf(),
			args: vec![],
			base_path: None,
			name: "node".into(),
			rpc_port: None,
		}
	}

	/// A dev node (`--dev`) of `binary`.
	pub fn dev(binary: impl AsRef<Path>) -> Self {
		Self::new(binary).args(["--dev"]).name("dev")
	}

	/// Adds arguments.
	pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
		self.args.extend(args.into_iter().map(Into::into));
		self
	}

	/// Uses `path` as base path, so the state outlives the process.
	pub fn base_path(mut self, path: impl AsRef<Path>) -> Self {
		self.base_path = Some(path.as_ref().to_path_buf());
		self
	}

	/// Names the node in logs.
	pub fn name(mut self, name: &str) -> Self {
		self.name = name.into();
		self
	}

	/// Serves JSON-RPC on `port`.
	pub fn rpc_port(mut self, port: u16) -> Self {
		self.rpc_port = Some(port);
		self
	}
}

/// A fresh directory under the system's temp dir, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
	tempfile::Builder::new().prefix("warden-e2e-").tempdir().expect("a temp dir")
}

impl Node {
	/// Starts the node. It is not ready yet: see [`Node::wait_ready`].
	pub fn start(config: NodeConfig, scratch: &Path) -> Node {
		let rpc_port = config.rpc_port.unwrap_or_else(free_port);
		let p2p_port = free_port();
		let log_path = scratch.join(format!("{}-{}.log", config.name, rpc_port));
		let log = fs::File::create(&log_path).expect("log file can be created");

		let mut command = Command::new(&config.binary);
		command.args(&config.args);
		match &config.base_path {
			Some(path) => {
				fs::create_dir_all(path).expect("base path can be created");
				command.arg("--base-path").arg(path)
			}
			None => command.arg("--tmp"),
		};
		let child = command
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.unwrap_or_else(|e| {
				panic!(
					"can't start {}: {e}; build it with `cargo build -p warden-node`",
					config.binary.display()
				)
			});
		Node {
			child: Some(child),
			rpc_port,
			p2p_port,
			base_path: config.base_path,
			log_path,
			name: config.name,
		}
	}

	/// The node's WebSocket RPC address.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// What the node logged so far.
	pub fn log(&self) -> String {
		fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// Waits until a log line contains `marker` and returns the rest of that line.
	pub async fn wait_for_log(&mut self, marker: &str, timeout: Duration) -> String {
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(line) = self.log().lines().find(|l| l.contains(marker)) {
				let at = line.find(marker).map(|i| i + marker.len()).unwrap_or_default();
				return line[at..].trim().to_string();
			}
			if !self.is_running() {
				self.fail(&format!("exited before logging `{marker}`"));
			}
			if Instant::now() > deadline {
				self.fail(&format!("never logged `{marker}`"));
			}
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
	}

	/// The OS process id.
	pub fn pid(&self) -> Option<u32> {
		self.child.as_ref().map(|c| c.id())
	}

	/// Whether the process is still running.
	pub fn is_running(&mut self) -> bool {
		matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
	}

	/// Panics with the node's log.
	pub fn fail(&self, why: &str) -> ! {
		panic!("{} node: {why}\n----- log -----\n{}", self.name, tail(&self.log(), 80))
	}

	/// Waits until the node answers RPC, or fails after [`STARTUP_TIMEOUT`].
	pub async fn wait_ready(&mut self) -> RpcClient {
		let deadline = Instant::now() + STARTUP_TIMEOUT;
		loop {
			if !self.is_running() {
				self.fail("exited while starting");
			}
			if let Ok(Ok(rpc)) = tokio::time::timeout(
				Duration::from_secs(5),
				RpcClient::from_insecure_url(self.ws_url()),
			)
			.await
			{
				let health: Result<Value, _> = rpc.request("system_health", rpc_params![]).await;
				if health.is_ok() {
					return rpc;
				}
			}
			if Instant::now() > deadline {
				self.fail("no RPC answer before the deadline");
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// An RPC client of the node, which must be running and ready.
	pub async fn rpc(&self) -> RpcClient {
		match tokio::time::timeout(
			Duration::from_secs(10),
			RpcClient::from_insecure_url(self.ws_url()),
		)
		.await
		{
			Ok(Ok(rpc)) => rpc,
			Ok(Err(e)) => self.fail(&format!("RPC connection failed: {e}")),
			Err(_) => self.fail("RPC connection timed out"),
		}
	}

	/// A subxt client of the node.
	pub async fn client(&self) -> OnlineClient<PolkadotConfig> {
		tokio::time::timeout(
			Duration::from_secs(30),
			OnlineClient::<PolkadotConfig>::from_insecure_url(self.ws_url()),
		)
		.await
		.unwrap_or_else(|_| self.fail("subxt client timed out"))
		.unwrap_or_else(|e| self.fail(&format!("subxt client: {e}")))
	}

	/// Stops the node with SIGINT, as Ctrl-C would, and waits for it to exit.
	pub fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
			let deadline = Instant::now() + Duration::from_secs(30);
			while Instant::now() < deadline {
				if let Ok(Some(_)) = child.try_wait() {
					return;
				}
				std::thread::sleep(Duration::from_millis(100));
			}
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
	let all: Vec<&str> = text.lines().collect();
	all[all.len().saturating_sub(lines)..].join("\n")
}

/// A block number from a header JSON object.
pub fn header_number(header: &Value) -> u64 {
	header
		.get("number")
		.and_then(Value::as_str)
		.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.unwrap_or_default()
}

/// The best block's number.
pub async fn best_number(rpc: &RpcClient) -> u64 {
	match rpc.request::<Value>("chain_getHeader", rpc_params![]).await {
		Ok(header) => header_number(&header),
		Err(_) => 0,
	}
}

/// The finalized block's number.
pub async fn finalized_number(rpc: &RpcClient) -> u64 {
	let Ok(hash) = rpc.request::<Value>("chain_getFinalizedHead", rpc_params![]).await else {
		return 0;
	};
	match rpc.request::<Value>("chain_getHeader", rpc_params![hash]).await {
		Ok(header) => header_number(&header),
		Err(_) => 0,
	}
}

/// Polls `probe` until it returns `Some` and returns its value; panics with `what` after
/// `timeout`.
pub async fn wait_until<T, F, Fut>(timeout: Duration, what: &str, probe: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	poll_until(timeout, probe).await.unwrap_or_else(|| panic!("timed out waiting for {what}"))
}

/// Polls `probe` every 250 ms until it returns `Some`, or returns `None` after `timeout`.
pub async fn poll_until<T, F, Fut>(timeout: Duration, mut probe: F) -> Option<T>
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let deadline = Instant::now() + timeout;
	loop {
		if let Ok(Some(value)) = tokio::time::timeout(Duration::from_secs(10), probe()).await {
			return Some(value);
		}
		if Instant::now() > deadline {
			return None;
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}
