//! Startup (key, node, database, token), the daemon's tasks, and shutdown.

use std::{path::PathBuf, sync::Arc};

use clap::Parser;
use warden_client::{api, AccountId32, Client, Keypair, Scheme};
use warden_daemon::{Failure, Heads, Node};

use crate::{
	db::{ChannelRecord, Db, Phase, Role},
	defender,
	ops::{Options, Wallet},
	peer, rpc, watcher,
};

/// `wardend`: a channel party's daemon.
///
/// Owns the account's payment channels: it watches the chain for as long as they are open
/// and answers a stale close with the newest proof by itself, signs the sender's proofs
/// (never two with one nonce), checks the proofs it receives, and serves the `warden
/// channel …` commands over JSON-RPC on 127.0.0.1, authenticated by the token it writes
/// (owner-only) at start. Every flag can also be set by its environment variable.
///
/// Exit codes: 0 stopped by a signal or `daemon_shutdown`; 1 a fatal error while running;
/// 2 bad configuration (key, database of another chain or account or in use by another
/// wardend, an address in use); 3 the node is unreachable at start.
#[derive(Parser, Debug, Clone)]
#[command(name = "wardend", version, about, long_about)]
pub struct Config {
	/// WebSocket URL of a Warden node.
	#[arg(long, env = "WARDEND_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	/// Secret URI of the account (a development name such as `alice`, `//Name`, a mnemonic
	/// or a hex seed). Prefer `--key-file`.
	#[arg(long, env = "WARDEND_SURI", conflicts_with = "key_file", hide_env_values = true)]
	pub suri: Option<String>,

	/// File holding the account's secret URI (readable by its owner only).
	#[arg(long, env = "WARDEND_KEY_FILE")]
	pub key_file: Option<PathBuf>,

	/// Signature scheme of the key: sr25519 or ecdsa.
	#[arg(long, env = "WARDEND_SCHEME", default_value = "sr25519")]
	pub scheme: Scheme,

	/// The database file.
	#[arg(long, env = "WARDEND_DB", default_value = "wardend.redb")]
	pub db: PathBuf,

	/// Where to serve JSON-RPC (and `GET /metrics`): a loopback address.
	#[arg(long, env = "WARDEND_RPC", default_value = "127.0.0.1:9966")]
	pub rpc: std::net::SocketAddr,

	/// Where to write the token callers present; the CLI reads the same default
	/// (`$HOME/.local/share/warden/wardend.token`).
	#[arg(long, env = "WARDEND_TOKEN_FILE")]
	pub token_file: Option<PathBuf>,

	/// Channel operations are refused while the watcher is more finalized blocks than this
	/// behind the node.
	#[arg(long, env = "WARDEND_MAX_LAG", default_value_t = 3)]
	pub max_lag: u64,

	/// The most reward a hand-off offers a monitor (`monitor_handOff` may say otherwise): a
	/// monitor asking more is passed over. An amount: `1`, `0.5WRD`, `10planck`.
	#[arg(long, env = "WARDEND_MAX_REWARD", default_value = "1")]
	pub max_reward: String,

	/// On SIGINT, SIGTERM or `daemon_shutdown`, hand the newest proof of every channel the
	/// account receives on to the registered monitors (as `monitor_handOff`) before exiting;
	/// exit 1 if a monitor didn't take it.
	#[arg(long, env = "WARDEND_HANDOFF_ON_SHUTDOWN")]
	pub handoff_on_shutdown: bool,

	/// Where to serve the peer API other parties' `wardend`s send proofs, co-signature
	/// requests and SWAP messages to (every message signed; see the README). Off if not
	/// given.
	#[arg(long, env = "WARDEND_PEER_API")]
	pub peer_api: Option<std::net::SocketAddr>,

	/// SWAP: the price of one unit this side provides. An amount: `0.01`, `10planck`.
	#[arg(long, env = "WARDEND_SWAP_PRICE", default_value = "0.001")]
	pub swap_price: String,

	/// SWAP: the debt of a peer at which this side expects a cheque.
	#[arg(long, env = "WARDEND_SWAP_PAYMENT", default_value = "0.1")]
	pub swap_payment: String,

	/// SWAP: the debt of a peer past which this side stops serving it (above the payment
	/// threshold).
	#[arg(long, env = "WARDEND_SWAP_DISCONNECT", default_value = "0.2")]
	pub swap_disconnect: String,

	/// SWAP: how many units a peer's count may differ from ours before it is disconnected.
	#[arg(long, env = "WARDEND_SWAP_TOLERANCE", default_value_t = 0)]
	pub swap_tolerance: u64,

	/// SWAP: the deposit of a channel opened to a peer by `swap_connect`.
	#[arg(long, env = "WARDEND_SWAP_DEPOSIT", default_value = "10")]
	pub swap_deposit: String,

	/// SWAP: the most a channel to a peer may hold through top-ups; past it this side stops
	/// consuming and tells the peer.
	#[arg(long, env = "WARDEND_SWAP_TOP_UP_LIMIT", default_value = "100")]
	pub swap_top_up_limit: String,

	/// Log JSON lines instead of text.
	#[arg(long, env = "WARDEND_LOG_JSON")]
	pub log_json: bool,
}

impl Config {
	/// The SWAP settings the flags give, checked.
	fn swap(&self) -> Result<(warden_swap::Settings, u128), Failure> {
		let amount = |flag: &str, text: &str| {
			warden_client::units::parse_amount(text)
				.map_err(|e| Failure::config(format!("--{flag}: {e}")))
		};
		let thresholds = warden_swap::Thresholds {
			price_per_unit: amount("swap-price", &self.swap_price)?,
			payment: amount("swap-payment", &self.swap_payment)?,
			disconnect: amount("swap-disconnect", &self.swap_disconnect)?,
		};
		thresholds
			.check()
			.map_err(|why| Failure::config(format!("the SWAP thresholds: {why:?}")))?;
		let settings = warden_swap::Settings {
			thresholds,
			tolerance: self.swap_tolerance,
			top_up_limit: amount("swap-top-up-limit", &self.swap_top_up_limit)?,
		};
		Ok((settings, amount("swap-deposit", &self.swap_deposit)?))
	}
}

/// Writes a fresh random token to `path`, readable and writable by its owner only.
fn write_token(path: &std::path::Path) -> Result<String, Failure> {
	use std::io::Read;
	use std::{io::Write, os::unix::fs::OpenOptionsExt};
	let mut bytes = [0u8; 32];
	std::fs::File::open("/dev/urandom")
		.and_then(|mut random| random.read_exact(&mut bytes))
		.map_err(|e| Failure::fatal(format!("can't read /dev/urandom for a token: {e}")))?;
	let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
	if let Some(dir) = path.parent() {
		std::fs::create_dir_all(dir)
			.map_err(|e| Failure::config(format!("can't create {}: {e}", dir.display())))?;
	}
	let _ = std::fs::remove_file(path);
	let mut file =
		std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(
			|e| Failure::config(format!("can't write the token {}: {e}", path.display())),
		)?;
	file.write_all(token.as_bytes())
		.map_err(|e| Failure::config(format!("can't write the token {}: {e}", path.display())))?;
	Ok(token)
}

/// Fills an empty database with the account's channels on chain, so a new `wardend` (or one
/// whose file was lost) defends what is already open.
async fn restore(client: &Client, db: &Db, me: &AccountId32) -> Result<(), Failure> {
	if db.cursor().map_err(|e| Failure::fatal(e.to_string()))?.is_some() {
		return Ok(());
	}
	let mut start_after = None;
	loop {
		let page = client
			.read(api::runtime_apis().channels_api().channels_of(*me, start_after, 64))
			.await
			.map_err(Failure::node)?;
		let Some(last) = page.last().map(|c| c.id) else { break };
		db.write(|tx| {
			for info in &page {
				let (role, counterparty) = if info.sender == *me {
					(Role::Sender, info.receiver)
				} else {
					(Role::Receiver, info.sender)
				};
				let phase = match info.phase {
					api::runtime_types::warden_primitives::channels::ChannelPhase::Open => {
						Phase::Open
					}
					api::runtime_types::warden_primitives::channels::ChannelPhase::Closing {
						settle_from,
						..
					} => Phase::Closing { settle_from: u64::from(settle_from) },
				};
				let record = ChannelRecord {
					role,
					counterparty: counterparty.to_string(),
					deposit: info.deposit,
					phase,
					chain_nonce: info.nonce,
					chain_transferred: info.transferred,
					newest: None,
					committed_nonce: 0,
				};
				tracing::info!(channel = info.id, ?role, "restored from the chain");
				tx.put_channel(info.id, &record)?;
			}
			Ok(())
		})
		.map_err(|e| Failure::fatal(e.to_string()))?;
		start_after = Some(last);
	}
	Ok(())
}

/// Hands every channel the account receives on (with a proof) off to the monitors.
async fn hand_off_all(wallet: &Wallet) -> Result<(), Failure> {
	let receiving = wallet
		.db
		.channels()
		.map_err(|e| Failure::fatal(e.to_string()))?
		.iter()
		.any(|(_, c)| c.role == Role::Receiver && c.newest.is_some());
	if !receiving {
		return Ok(());
	}
	tracing::info!("handing the channels off to monitors before stopping");
	let handed = wallet
		.call("monitor_handOff", serde_json::json!({}))
		.await
		.map_err(|e| Failure::fatal(format!("the hand-off on shutdown failed: {e}")))?;
	tracing::info!(%handed, "handed off");
	Ok(())
}

/// Runs the daemon until a signal or `daemon_shutdown` stops it, or a task fails.
pub async fn run(config: Config) -> Result<(), Failure> {
	if !config.rpc.ip().is_loopback() {
		return Err(Failure::config(format!(
			"--rpc {} is not a loopback address: wardend serves its own machine only",
			config.rpc
		)));
	}
	let max_reward = warden_client::units::parse_amount(&config.max_reward)
		.map_err(|e| Failure::config(format!("--max-reward: {e}")))?;
	let (swap, swap_deposit) = config.swap()?;
	let key = Keypair::load(config.suri.as_deref(), config.key_file.as_deref(), config.scheme)
		.map_err(|e| Failure::config(e.to_string()))?
		.ok_or_else(|| Failure::config("the account's key is needed: --suri or --key-file"))?;
	let me = key.account_id();
	let node = Node::connect(&config.url).await.map_err(Failure::node)?;
	let client = node.client().await;
	let db =
		Arc::new(Db::open(&config.db, &client.genesis_hash().0, &me.0).map_err(Failure::config)?);
	restore(&client, &db, &me).await?;
	let best = client.at_best().await.map_err(Failure::node)?.block_number();
	let start = client.at_finalized().await.map_err(Failure::node)?.block_number();
	let heads = Arc::new(Heads::new(best, start));
	// A new database: nothing before the finalized block to apply (restored from the chain).
	if db.cursor().map_err(|e| Failure::fatal(e.to_string()))?.is_none() {
		db.write(|tx| tx.set_cursor(start)).map_err(|e| Failure::fatal(e.to_string()))?;
	}
	let listener = tokio::net::TcpListener::bind(config.rpc)
		.await
		.map_err(|e| Failure::config(format!("can't listen on {}: {e}", config.rpc)))?;
	let token_file =
		config.token_file.clone().unwrap_or_else(warden_client::wallet::default_token_file);
	let token = write_token(&token_file)?;
	let peer_listener = match config.peer_api {
		Some(addr) => Some(
			tokio::net::TcpListener::bind(addr)
				.await
				.map_err(|e| Failure::config(format!("can't listen on {addr}: {e}")))?,
		),
		None => None,
	};
	let options = Options { max_lag: config.max_lag, max_reward, swap, swap_deposit };
	let wallet =
		Arc::new(Wallet::new(node.clone(), db.clone(), key, heads, client.genesis_hash(), options));
	tracing::info!(
		account = %me,
		db = %config.db.display(),
		node = %config.url,
		rpc = %config.rpc,
		peer_api = ?config.peer_api,
		token = %token_file.display(),
		"wardend ready"
	);

	let follower = {
		let (db, node) = (db.clone(), node.clone());
		async move {
			let cursor = || db.cursor().map_err(|e| e.to_string());
			warden_daemon::follow::run(&node, start, cursor, async |block| {
				db.write(|tx| watcher::apply_block(tx, &block, &me))
					.map_err(|e| format!("applying block {} failed: {e}", block.block.number))
			})
			.await
		}
	};
	let server =
		axum::serve(listener, rpc::router(Arc::new(rpc::Server::new(wallet.clone(), token))));
	let peers = async {
		match peer_listener {
			Some(listener) => axum::serve(listener, peer::router(wallet.clone())).await,
			None => std::future::pending().await,
		}
	};
	// Stops on a signal or `daemon_shutdown`; with --handoff-on-shutdown, only after the
	// monitors took the channels, while the follower still runs (operations wait for it).
	let stop = async {
		tokio::select! {
			() = warden_daemon::shutdown::signal() => {}
			() = async {
				wallet.shutdown.notified().await;
				// Time for the answer to `daemon_shutdown` to leave.
				tokio::time::sleep(std::time::Duration::from_millis(200)).await;
			} => {}
		}
		if config.handoff_on_shutdown {
			hand_off_all(&wallet).await?;
		}
		Ok(())
	};
	let stopped = tokio::select! {
		stopped = stop => stopped,
		failed = follower => Err(Failure::fatal(failed.err().unwrap_or_default())),
		served = server => Err(Failure::fatal(format!("the RPC server stopped: {served:?}"))),
		served = peers => Err(Failure::fatal(format!("the peer API stopped: {served:?}"))),
		failed = defender::run(wallet.clone()) => Err(Failure::fatal(failed.err().unwrap_or_default())),
	};
	let _ = std::fs::remove_file(&token_file);
	tracing::info!("stopping");
	stopped
}
