//! Startup (policy, key, node, database), the agent's two tasks, and shutdown.

use std::{path::PathBuf, sync::Arc, time::Duration};

use clap::Parser;
use warden_client::{api, AccountId32, Client, Keypair, Scheme};
use warden_daemon::{exit, Failure, Heads, Node};

use crate::{actor::Actor, config::Policy, db::Db, limits::Limits, watcher};

/// `warden-operator`: the service operator's agent.
///
/// Approves the service requests its policy accepts and rejects the others, runs a program
/// for each job call of its services and submits the result before the deadline, and sends
/// a heartbeat as each window opens. Every flag can also be set by its environment variable.
///
/// Exit codes: 0 stopped by a signal; 1 a fatal error while running; 2 bad configuration
/// (policy, key, database of another chain or account or in use by another agent, another
/// signer of the same key); 3 the node is unreachable at start; 4 the account is not an
/// operator.
#[derive(Parser, Debug, Clone)]
#[command(name = "warden-operator", version, about, long_about)]
pub struct Config {
	/// The policy file (TOML): per blueprint, what to approve and a program per job.
	#[arg(long, env = "WARDEN_OPERATOR_POLICY")]
	pub policy: PathBuf,

	/// WebSocket URL of a Warden node.
	#[arg(long, env = "WARDEN_OPERATOR_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,

	/// Secret URI of the operator's account (a development name such as `alice`, `//Name`,
	/// a mnemonic or a hex seed). Prefer `--key-file`.
	#[arg(long, env = "WARDEN_OPERATOR_SURI", conflicts_with = "key_file", hide_env_values = true)]
	pub suri: Option<String>,

	/// File holding the operator's secret URI (readable by its owner only).
	#[arg(long, env = "WARDEN_OPERATOR_KEY_FILE")]
	pub key_file: Option<PathBuf>,

	/// Signature scheme of the key: sr25519 or ecdsa.
	#[arg(long, env = "WARDEN_OPERATOR_SCHEME", default_value = "sr25519")]
	pub scheme: Scheme,

	/// The database file.
	#[arg(long, env = "WARDEN_OPERATOR_DB", default_value = "warden-operator.redb")]
	pub db: PathBuf,

	/// The chain's block time in milliseconds: how long a program may run is counted in
	/// blocks before the call's deadline.
	#[arg(long, env = "WARDEN_OPERATOR_BLOCK_TIME_MS", default_value_t = 6_000)]
	pub block_time_ms: u64,

	/// Best blocks to watch the account before acting: if its nonce moves meanwhile, another
	/// signer uses the key (a second agent, or a copy of this one), and the agent refuses to
	/// start, so the two never send conflicting transactions. 0 skips the check.
	#[arg(long, env = "WARDEN_OPERATOR_DOPPELGANGER_BLOCKS", default_value_t = 3)]
	pub doppelganger_blocks: u64,

	/// Start even if another signer seems to use the key.
	#[arg(long, env = "WARDEN_OPERATOR_ALLOW_DOPPELGANGER")]
	pub allow_doppelganger: bool,

	/// Where to serve `GET /status` and `GET /metrics`.
	#[arg(long, env = "WARDEN_OPERATOR_HTTP", default_value = "127.0.0.1:9956")]
	pub http: std::net::SocketAddr,

	/// Log JSON lines instead of text.
	#[arg(long, env = "WARDEN_OPERATOR_LOG_JSON")]
	pub log_json: bool,
}

/// Publishes the price and most instances the policy sets for each blueprint, where they
/// differ from the operator's registration (as `update_registration`); refuses to start if
/// the operator isn't registered for a blueprint of the policy.
async fn publish_terms(client: &Client, key: &Keypair, policy: &Policy) -> Result<(), Failure> {
	let me = key.account_id();
	let registrations = client
		.read(api::runtime_apis().services_api().registrations_of(me))
		.await
		.map_err(Failure::node)?;
	for bp in &policy.blueprints {
		let Some(reg) = registrations.iter().find(|r| r.blueprint == bp.id) else {
			return Err(Failure::config(format!(
				"{me} is not registered for blueprint {}: register first (`warden registration register`)",
				bp.id
			)));
		};
		let max_instances = bp.max_instances.filter(|m| *m != reg.preferences.max_instances);
		let price = bp.price_per_block.filter(|p| *p != reg.preferences.price_per_block);
		if max_instances.is_none() && price.is_none() {
			continue;
		}
		let call = api::tx().services().update_registration(bp.id, max_instances, None, price);
		client.submit(&call, key, warden_client::Wait::InBlock, |_| {}).await.map_err(|e| {
			Failure::fatal(format!("publishing the terms of blueprint {} failed: {e}", bp.id))
		})?;
		tracing::info!(blueprint = bp.id, ?max_instances, ?price, "terms published");
	}
	Ok(())
}

/// Watches `me`'s nonce (the node's pool included) for `blocks` best blocks while the agent
/// sends nothing: if it moves, another signer uses the key.
async fn doppelganger_check(client: &Client, me: &AccountId32, blocks: u64) -> Result<(), Failure> {
	if blocks == 0 {
		return Ok(());
	}
	let start = client.at_best().await.map_err(Failure::node)?.block_number();
	let nonce = client.next_nonce(me).await.map_err(Failure::node)?;
	tracing::info!(blocks, nonce, "watching for another signer of this account before acting");
	loop {
		let now = client.next_nonce(me).await.map_err(Failure::node)?;
		if now != nonce {
			return Err(Failure::config(format!(
				"another signer uses {me}: its nonce moved from {nonce} to {now} while this agent \
				 sent nothing. Stop the other agent, or start with --allow-doppelganger"
			)));
		}
		let best = client.at_best().await.map_err(Failure::node)?.block_number();
		if best >= start.saturating_add(blocks) {
			return Ok(());
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// Runs the agent until a signal stops it or a task fails.
pub async fn run(config: Config) -> Result<(), Failure> {
	let policy = Arc::new(Policy::load(&config.policy).map_err(Failure::config)?);
	let key = Keypair::load(config.suri.as_deref(), config.key_file.as_deref(), config.scheme)
		.map_err(|e| Failure::config(e.to_string()))?
		.ok_or_else(|| Failure::config("the operator's key is needed: --suri or --key-file"))?;
	let me = key.account_id();

	let node = Node::connect(&config.url).await.map_err(Failure::node)?;
	let client = node.client().await;
	let operator = client
		.read(api::runtime_apis().operators_api().operator(me))
		.await
		.map_err(Failure::node)?;
	if operator.is_none() {
		return Err(Failure::new(exit::NOT_REGISTERED, format!("{me} is not an operator")));
	}
	for bp in &policy.blueprints {
		let found = client
			.read(api::runtime_apis().services_api().blueprint(bp.id))
			.await
			.map_err(Failure::node)?;
		if found.is_none() {
			return Err(Failure::config(format!(
				"the policy names blueprint {}, which doesn't exist",
				bp.id
			)));
		}
	}
	let limits = Limits::read(&client).await.map_err(Failure::node)?;
	if policy.heartbeat_metrics.len() > limits.metrics_len {
		return Err(Failure::config(format!(
			"heartbeat_metrics is over the chain's {} bytes",
			limits.metrics_len
		)));
	}
	publish_terms(&client, &key, &policy).await?;
	let db =
		Arc::new(Db::open(&config.db, &client.genesis_hash().0, &me.0).map_err(Failure::config)?);
	if !config.allow_doppelganger {
		doppelganger_check(&client, &me, config.doppelganger_blocks).await?;
	}
	let best = client.at_best().await.map_err(Failure::node)?.block_number();
	let start = client.at_finalized().await.map_err(Failure::node)?.block_number();
	let heads = Arc::new(Heads::new(best, start));
	tracing::info!(
		operator = %me,
		db = %config.db.display(),
		node = %config.url,
		http = %config.http,
		"warden-operator ready"
	);

	let follower = {
		let (db, node, me) = (db.clone(), node.clone(), me);
		async move {
			let cursor = || db.cursor().map_err(|e| e.to_string());
			warden_daemon::follow::run(&node, start, cursor, async |block| {
				db.write(|tx| watcher::apply_block(tx, &block, &me))
					.map_err(|e| format!("applying block {} failed: {e}", block.block.number))
			})
			.await
		}
	};
	let listener = tokio::net::TcpListener::bind(config.http)
		.await
		.map_err(|e| Failure::config(format!("can't listen on {}: {e}", config.http)))?;
	let status = Arc::new(crate::http::Status {
		db: db.clone(),
		heads: heads.clone(),
		operator: me.to_string(),
	});
	let server = axum::serve(listener, crate::http::router(status));
	let actor = Actor::new(
		node,
		db,
		policy,
		key,
		heads,
		Duration::from_millis(config.block_time_ms),
		limits,
	);
	tokio::select! {
		() = warden_daemon::shutdown::signal() => {
			tracing::info!("stopping");
			Ok(())
		}
		failed = follower => Err(Failure::fatal(failed.err().unwrap_or_default())),
		served = server => Err(Failure::fatal(format!("the HTTP server stopped: {served:?}"))),
		failed = actor.run() => Err(Failure::fatal(failed.err().unwrap_or_default())),
	}
}
