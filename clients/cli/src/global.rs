//! The options every command takes.

use std::path::PathBuf;

use clap::Args;
use warden_client::{Scheme, Wait};

use crate::parse::{parse_scheme, parse_wait};

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
	/// The node's WebSocket RPC endpoint.
	#[arg(
		long,
		global = true,
		help_heading = "Global options",
		env = "WARDEN_URL",
		default_value = "ws://127.0.0.1:9944"
	)]
	pub url: String,

	/// The secret URI of the signing key: `//Alice`, a mnemonic with an optional derivation
	/// path (`<words>//hard/soft`), or a 0x hex seed.
	#[arg(
		long,
		global = true,
		help_heading = "Global options",
		env = "WARDEN_SURI",
		conflicts_with = "key_file",
		hide_env_values = true
	)]
	pub suri: Option<String>,

	/// A file holding the secret URI on its first line. Refused if others may read it.
	#[arg(long, global = true, help_heading = "Global options", env = "WARDEN_KEY_FILE")]
	pub key_file: Option<PathBuf>,

	/// The key's signature scheme: sr25519 or ecdsa.
	#[arg(long, global = true, help_heading = "Global options", default_value = "sr25519", value_parser = parse_scheme)]
	pub scheme: Scheme,

	/// How long to wait for a transaction: `none` (until the node took it), `in-block` or
	/// `finalized`.
	#[arg(long, global = true, help_heading = "Global options", default_value = "finalized", value_parser = parse_wait)]
	pub wait: Wait,

	/// Print results as JSON instead of tables.
	#[arg(long, global = true, help_heading = "Global options")]
	pub json: bool,

	/// Print no progress lines on stderr.
	#[arg(long, short, global = true, help_heading = "Global options")]
	pub quiet: bool,
	/// Where `wardend` serves (the `channel` and `wallet` commands go through it).
	#[arg(long, global = true, help_heading = "Global options", env = "WARDEN_WALLET", default_value = warden_client::wallet::DEFAULT_URL)]
	pub wallet: String,
	/// The token file `wardend` wrote (default `$HOME/.local/share/warden/wardend.token`).
	#[arg(long, global = true, help_heading = "Global options", env = "WARDEN_WALLET_TOKEN_FILE")]
	pub wallet_token_file: Option<PathBuf>,
}
