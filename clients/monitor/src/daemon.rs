//! Startup (key, node, registration, database), the daemon's tasks, and shutdown.

use std::{path::PathBuf, sync::Arc};

use tokio::net::TcpListener;
use warden_client::{
	api::{self, runtime_types::bounded_collections::bounded_vec::BoundedVec},
	parse_account,
	units::{format_amount, parse_amount},
	Error, Keypair, Scheme, Wait,
};

use crate::{
	actor::{fee_and_era, Actor},
	api::router,
	chain::{Heads, Node, RpcChain},
	config::Config,
	db::Db,
	intake::{App, MinReward, Settings, Writer},
	metrics::Metrics,
	watcher,
};

/// The daemon's exit codes.
pub mod exit {
	/// Stopped by a signal.
	pub const OK: u8 = 0;
	/// A fatal error while running.
	pub const FATAL: u8 = 1;
	/// Bad configuration.
	pub const CONFIG: u8 = 2;
	/// The node is unreachable at start.
	pub const UNREACHABLE: u8 = 3;
	/// The account is not a registered monitor (or is unregistering).
	pub const NOT_REGISTERED: u8 = 4;
}

/// Why the daemon stopped: an exit code and a message.
#[derive(Debug)]
pub struct Failure {
	/// The exit code ([`exit`]).
	pub code: u8,
	/// What happened.
	pub message: String,
}

fn fail(code: u8, message: impl Into<String>) -> Failure {
	Failure { code, message: message.into() }
}

fn config_error(error: Error) -> Failure {
	fail(exit::CONFIG, error.to_string())
}

fn node_error(error: Error) -> Failure {
	match error {
		Error::Unreachable { .. } | Error::Timeout(_) => fail(exit::UNREACHABLE, error.to_string()),
		other => fail(exit::FATAL, other.to_string()),
	}
}

/// Starts logging: text or JSON lines on stderr, the level from `RUST_LOG` (default `info`).
pub fn init_logging(json: bool) {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
	let builder = tracing_subscriber::fmt()
		.with_env_filter(filter)
		.with_ansi(ansi)
		.with_writer(std::io::stderr);
	if json {
		builder.json().init();
	} else {
		builder.init();
	}
}

fn key_of(config: &Config) -> Result<Keypair, Failure> {
	let scheme: Scheme = config.scheme.parse().map_err(config_error)?;
	match (&config.suri, &config.key_file) {
		(Some(suri), None) => Keypair::from_suri(suri, scheme).map_err(config_error),
		(None, Some(path)) => Keypair::from_key_file(path, scheme).map_err(config_error),
		_ => Err(fail(exit::CONFIG, "the monitor's key is needed: --suri or --key-file")),
	}
}

/// Makes sure the account is a registered monitor publishing `public_url`: registers it if
/// `register` gives a deposit.
async fn ensure_registered(node: &Node, key: &Keypair, config: &Config) -> Result<(), Failure> {
	let me = key.account_id();
	let client = node.client().await;
	let info =
		client.read(api::runtime_apis().monitoring_api().monitor(me)).await.map_err(node_error)?;
	let endpoint = config.public_url.clone().unwrap_or_default().into_bytes();
	match info {
		None => {
			let Some(deposit) = &config.register else {
				return Err(fail(
					exit::NOT_REGISTERED,
					format!("{me} is not a registered monitor: start with --register <deposit> to register"),
				));
			};
			let deposit = parse_amount(deposit).map_err(config_error)?;
			tracing::info!(deposit = %format_amount(deposit), "registering as a monitor");
			let call = api::tx().monitoring().register_monitor(deposit, BoundedVec(endpoint));
			client.submit(&call, key, Wait::Finalized, |_| {}).await.map_err(|error| {
				fail(exit::NOT_REGISTERED, format!("registering as a monitor failed: {error}"))
			})?;
			tracing::info!(monitor = %me, "registered");
		}
		Some(info) if info.release_at.is_some() => {
			return Err(fail(
				exit::NOT_REGISTERED,
				format!("{me} is unregistering: it can't act as a monitor any more"),
			));
		}
		Some(info) => {
			if config.public_url.is_some() && info.endpoint != endpoint {
				let call = api::tx().monitoring().set_endpoint(BoundedVec(endpoint));
				client.submit(&call, key, Wait::Finalized, |_| {}).await.map_err(|error| {
					fail(exit::FATAL, format!("publishing the endpoint failed: {error}"))
				})?;
				tracing::info!(endpoint = ?config.public_url, "endpoint published");
			}
		}
	}
	Ok(())
}

/// Runs the daemon until a signal stops it or a task fails.
pub async fn run(config: Config) -> Result<(), Failure> {
	let key = key_of(&config)?;
	let me = key.account_id();
	let payout = match &config.payout {
		Some(payout) => parse_account(payout).map_err(config_error)?,
		None => me,
	};
	let min_reward = if config.min_reward.trim() == "auto" {
		let margin = config.min_reward_margin;
		if !margin.is_finite() || margin < 1.0 {
			return Err(fail(
				exit::CONFIG,
				format!("--min-reward-margin {margin}: use a multiple of the fee of at least 1"),
			));
		}
		MinReward::auto(margin, 0)
	} else {
		MinReward::fixed(parse_amount(&config.min_reward).map_err(config_error)?)
	};
	if let Some(deposit) = &config.register {
		parse_amount(deposit).map_err(config_error)?;
	}
	let db_path: PathBuf = config.db_path();

	let node = Node::connect(&config.url).await.map_err(node_error)?;
	let client = node.client().await;
	let genesis = client.genesis_hash();
	let best = client.at_best().await.map_err(node_error)?;
	let spec_version = best.spec_version();
	let db = Arc::new(Db::open(&db_path, &genesis.0, &me.0).map_err(|e| fail(exit::CONFIG, e))?);
	ensure_registered(&node, &key, &config).await?;
	let params = client
		.read(api::runtime_apis().monitoring_api().monitoring_params())
		.await
		.map_err(node_error)?;
	// A renewal restarts the period; renewing with more than half of it left would renew
	// again at once.
	let period = u64::from(params.registration_period);
	let renew_before = config.renew_before.unwrap_or(period / 10).clamp(1, (period / 2).max(1));
	let start = client.at_finalized().await.map_err(node_error)?.block_number();
	// With `--min-reward auto`, the minimum is known before the API opens; the actor reads
	// it again an era later.
	let mut next_fee_read = 0;
	if min_reward.auto_margin.is_some() {
		let (fee, era_length) = fee_and_era(&client, &key).await.map_err(node_error)?;
		let planck = min_reward.follow_fee(fee).unwrap_or_default();
		tracing::info!(fee, min_reward = planck, "the minimum reward follows the update's fee");
		next_fee_read = best.block_number().saturating_add(era_length);
	}

	let listener = TcpListener::bind(config.api)
		.await
		.map_err(|e| fail(exit::CONFIG, format!("can't listen on {}: {e}", config.api)))?;
	let api_addr = listener.local_addr().map_err(|e| fail(exit::CONFIG, e.to_string()))?;
	let metrics = Arc::new(Metrics::default());
	let heads = Arc::new(Heads::new(best.block_number(), start));
	let app = Arc::new(App {
		db: db.clone(),
		chain: RpcChain::new(node.clone()).await,
		writer: Writer::spawn(db.clone(), config.max_pending),
		settings: Settings {
			me,
			payout,
			min_reward: Arc::new(min_reward),
			token: config.api_token.clone(),
			pending_blocks: config.pending_blocks,
			max_pending: config.max_pending,
			max_pending_distance: config.max_pending_distance,
			rate_limit: config.rate_limit,
			rate_burst: config.rate_burst,
			max_body: config.max_body,
			spec_version,
			public_url: config.public_url.clone(),
		},
		heads,
		metrics,
	});
	tracing::info!(
		monitor = %me,
		payout = %payout,
		api = %api_addr,
		db = %db_path.display(),
		node = %config.url,
		cursor = ?db.cursor().ok().flatten(),
		"warden-monitor ready"
	);

	let server = axum::serve(
		listener,
		router(app.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>(),
	)
	.with_graceful_shutdown(shutdown_signal());
	let watcher = watcher::run(app.clone(), node.clone(), start, config.history_blocks);
	let actor = Actor::new(app.clone(), node.clone(), key, config.safety_margin, renew_before);
	actor.read_fee_at(next_fee_read);
	let actor = actor.run();
	tokio::select! {
		served = server => {
			served.map_err(|e| fail(exit::FATAL, format!("the API failed: {e}")))?;
			tracing::info!("stopping");
			Ok(())
		}
		failed = watcher => Err(fail(exit::FATAL, failed.err().unwrap_or_default())),
		failed = actor => Err(fail(exit::FATAL, failed.err().unwrap_or_default())),
	}
}

async fn shutdown_signal() {
	let interrupt = tokio::signal::ctrl_c();
	#[cfg(unix)]
	{
		let mut terminate =
			match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
				Ok(signal) => signal,
				Err(_) => {
					let _ = interrupt.await;
					return;
				}
			};
		tokio::select! {
			_ = interrupt => {}
			_ = terminate.recv() => {}
		}
	}
	#[cfg(not(unix))]
	let _ = interrupt.await;
}
