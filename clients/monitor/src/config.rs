//! The daemon's configuration: flags, each with an environment-variable twin.

use std::{net::SocketAddr, path::PathBuf};

use clap::Parser;
use warden_client::Scheme;

/// `warden-monitor`: Warden's monitoring service.
///
/// Takes channel receivers' balance proofs and reward authorizations over HTTP, follows the
/// chain's finalized blocks, submits the newest proof of a channel closed with an older one
/// in the monitor's slot of the challenge window, and claims the reward once the channel
/// settles. Every flag can also be set by its environment variable.
///
/// Exit codes: 0 stopped by a signal; 1 a fatal error while running (the database); 2 bad
/// configuration (flags, key, database of another chain or account, API address in use);
/// 3 the node is unreachable at start; 4 the account is not a registered monitor.
#[derive(Parser, Debug, Clone)]
#[command(name = "warden-monitor", version, about, long_about)]
pub struct Config {
	/// WebSocket URL of a Warden node (an archive node, or one keeping at least as many
	/// blocks of state as the longest outage of the monitor to backfill).
	#[arg(long, env = "WARDEN_MONITOR_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	/// Secret URI of the monitor's account (a development name such as `alice`, `//Name`, a
	/// mnemonic, or a hex seed). Prefer `--key-file`: secrets in flags show up in process
	/// lists.
	#[arg(long, env = "WARDEN_MONITOR_SURI", conflicts_with = "key_file", hide_env_values = true)]
	pub suri: Option<String>,

	/// File holding the monitor's secret URI (readable by its owner only).
	#[arg(long, env = "WARDEN_MONITOR_KEY_FILE")]
	pub key_file: Option<PathBuf>,

	/// Signature scheme of the key: sr25519 or ecdsa.
	#[arg(long, env = "WARDEN_MONITOR_SCHEME", default_value = "sr25519")]
	pub scheme: Scheme,

	/// Account the rewards are paid to (SS58 or a development name). Default: the
	/// monitor's own account.
	#[arg(long, env = "WARDEN_MONITOR_PAYOUT")]
	pub payout: Option<String>,

	/// The smallest reward accepted for a proof, in WRD (e.g. `0.5` or `0.5 WRD`) or in
	/// planck with the `planck` suffix; or `auto`: the chain's fee for a `monitor_update`
	/// (`TransactionPaymentApi`) times `--min-reward-margin`, read again every rewards era.
	/// A proof earns nothing unless its channel is closed with an older proof, so this is
	/// the price of watching one channel.
	#[arg(long, env = "WARDEN_MONITOR_MIN_REWARD", default_value = "0.01")]
	pub min_reward: String,

	/// With `--min-reward auto`: the minimum reward as a multiple of the update's fee (at
	/// least 1; the update and the reward's claim are two transactions).
	#[arg(long, env = "WARDEN_MONITOR_MIN_REWARD_MARGIN", default_value_t = 3.0)]
	pub min_reward_margin: f64,

	/// The database file. Default: `<data dir>/warden-monitor/monitor.redb` (e.g.
	/// `~/.local/share/warden-monitor/monitor.redb`).
	#[arg(long, env = "WARDEN_MONITOR_DB")]
	pub db: Option<PathBuf>,

	/// Where the HTTP API listens.
	#[arg(long, env = "WARDEN_MONITOR_API", default_value = "127.0.0.1:6001")]
	pub api: SocketAddr,

	/// Bearer token for the protected endpoints (listing and deleting stored proofs).
	/// Without it those endpoints are disabled.
	#[arg(long, env = "WARDEN_MONITOR_API_TOKEN", hide_env_values = true)]
	pub api_token: Option<String>,

	/// The public URL of the API, published on chain as the monitor's endpoint so channel
	/// parties find it through `MonitoringApi.monitors`.
	#[arg(long, env = "WARDEN_MONITOR_PUBLIC_URL")]
	pub public_url: Option<String>,

	/// Register as a monitor with this deposit (in WRD) if the account isn't one yet.
	#[arg(long, env = "WARDEN_MONITOR_REGISTER")]
	pub register: Option<String>,

	/// How many finalized blocks a proof for a channel id the chain hasn't issued yet is
	/// held before it is checked again or dropped.
	#[arg(long, env = "WARDEN_MONITOR_PENDING_BLOCKS", default_value_t = 10)]
	pub pending_blocks: u64,

	/// The most proofs held for channels not yet issued.
	#[arg(long, env = "WARDEN_MONITOR_MAX_PENDING", default_value_t = 10_000)]
	pub max_pending: u64,

	/// How far above the chain's `NextChannelId` a channel id may be for its proof to be
	/// held: a receiver sends a proof for a channel whose opening isn't finalized yet, never
	/// for one thousands of openings away.
	#[arg(long, env = "WARDEN_MONITOR_MAX_PENDING_DISTANCE", default_value_t = 1_000)]
	pub max_pending_distance: u64,

	/// Proof submissions a second one client address may make on average
	/// (`PUT /api/1/balance_proofs`); over it the API answers 429 with `Retry-After`. 0
	/// turns the limit off (e.g. behind a proxy that limits, since then every client
	/// shares the proxy's address).
	#[arg(long, env = "WARDEN_MONITOR_RATE_LIMIT", default_value_t = 50)]
	pub rate_limit: u64,

	/// How many submissions one client address may make at once, before the average rate
	/// applies.
	#[arg(long, env = "WARDEN_MONITOR_RATE_BURST", default_value_t = 100)]
	pub rate_burst: u32,

	/// Blocks before the end of a challenge window after which no update is sent: a
	/// transaction sent later could be included after the window.
	#[arg(long, env = "WARDEN_MONITOR_SAFETY_MARGIN", default_value_t = 2)]
	pub safety_margin: u64,

	/// Renew the registration when it has this many blocks left or fewer. Default: a tenth
	/// of the chain's registration period; at most half of it.
	#[arg(long, env = "WARDEN_MONITOR_RENEW_BEFORE")]
	pub renew_before: Option<u64>,

	/// How many finalized blocks the record of an update is kept after its channel settled.
	#[arg(long, env = "WARDEN_MONITOR_HISTORY_BLOCKS", default_value_t = 14_400)]
	pub history_blocks: u64,

	/// The largest request body the API reads, in bytes.
	#[arg(long, env = "WARDEN_MONITOR_MAX_BODY", default_value_t = 16 * 1024)]
	pub max_body: usize,

	/// Log as JSON lines instead of text. The level is set by `RUST_LOG` (default `info`).
	#[arg(long, env = "WARDEN_MONITOR_LOG_JSON")]
	pub log_json: bool,
}

impl Config {
	/// The database file to use.
	pub fn db_path(&self) -> PathBuf {
		self.db.clone().unwrap_or_else(|| {
			dirs::data_dir()
				.unwrap_or_else(|| PathBuf::from("."))
				.join("warden-monitor")
				.join("monitor.redb")
		})
	}
}
