//! Startup (key, node, registration, database), the daemon's tasks, and shutdown.

use std::{path::PathBuf, sync::Arc};

use tokio::net::TcpListener;
use warden_client::{
	api::{self, runtime_types::bounded_collections::bounded_vec::BoundedVec},
	parse_account,
	units::{format_amount, parse_amount},
	Error, Keypair, Wait,
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

pub use warden_daemon::exit;
use warden_daemon::Failure;

fn config_error(error: Error) -> Failure {
	Failure::config(error.to_string())
}

fn key_of(config: &Config) -> Result<Keypair, Failure> {
	Keypair::load(config.suri.as_deref(), config.key_file.as_deref(), config.scheme)
		.map_err(config_error)?
		.ok_or_else(|| {
			Failure::new(exit::CONFIG, "the monitor's key is needed: --suri or --key-file")
		})
}

/// Makes sure the account is a registered monitor publishing `public_url`: registers it if
/// `register` gives a deposit.
async fn ensure_registered(node: &Node, key: &Keypair, config: &Config) -> Result<(), Failure> {
	let me = key.account_id();
	let client = node.client().await;
	let info = client
		.read(api::runtime_apis().monitoring_api().monitor(me))
		.await
		.map_err(Failure::node)?;
	let endpoint = config.public_url.clone().unwrap_or_default().into_bytes();
	match info {
		None => {
			let Some(deposit) = &config.register else {
				return Err(Failure::new(
					exit::NOT_REGISTERED,
					format!("{me} is not a registered monitor: start with --register <deposit> to register"),
				));
			};
			let deposit = parse_amount(deposit).map_err(config_error)?;
			tracing::info!(deposit = %format_amount(deposit), "registering as a monitor");
			let call = api::tx().monitoring().register_monitor(deposit, BoundedVec(endpoint));
			client.submit(&call, key, Wait::Finalized, |_| {}).await.map_err(|error| {
				Failure::new(
					exit::NOT_REGISTERED,
					format!("registering as a monitor failed: {error}"),
				)
			})?;
			tracing::info!(monitor = %me, "registered");
		}
		Some(info) if info.release_at.is_some() => {
			return Err(Failure::new(
				exit::NOT_REGISTERED,
				format!("{me} is unregistering: it can't act as a monitor any more"),
			));
		}
		Some(info) => {
			if config.public_url.is_some() && info.endpoint != endpoint {
				let call = api::tx().monitoring().set_endpoint(BoundedVec(endpoint));
				client.submit(&call, key, Wait::Finalized, |_| {}).await.map_err(|error| {
					Failure::new(exit::FATAL, format!("publishing the endpoint failed: {error}"))
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
			return Err(Failure::new(
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

	let node = Node::connect(&config.url).await.map_err(Failure::node)?;
	let client = node.client().await;
	let genesis = client.genesis_hash();
	let best = client.at_best().await.map_err(Failure::node)?;
	let spec_version = best.spec_version();
	let db =
		Arc::new(Db::open(&db_path, &genesis.0, &me.0).map_err(|e| Failure::new(exit::CONFIG, e))?);
	ensure_registered(&node, &key, &config).await?;
	let params = client
		.read(api::runtime_apis().monitoring_api().monitoring_params())
		.await
		.map_err(Failure::node)?;
	// A renewal restarts the period; renewing with more than half of it left would renew
	// again at once.
	let period = u64::from(params.registration_period);
	let renew_before = config.renew_before.unwrap_or(period / 10).clamp(1, (period / 2).max(1));
	let start = client.at_finalized().await.map_err(Failure::node)?.block_number();
	// With `--min-reward auto`, the minimum is known before the API opens; the actor reads
	// it again an era later.
	let mut next_fee_read = 0;
	if min_reward.auto_margin.is_some() {
		let (fee, era_length) = fee_and_era(&client, &key).await.map_err(Failure::node)?;
		let planck = min_reward.follow_fee(fee).unwrap_or_default();
		tracing::info!(fee, min_reward = planck, "the minimum reward follows the update's fee");
		next_fee_read = best.block_number().saturating_add(era_length);
	}

	let listener = TcpListener::bind(config.api)
		.await
		.map_err(|e| Failure::new(exit::CONFIG, format!("can't listen on {}: {e}", config.api)))?;
	let api_addr = listener.local_addr().map_err(|e| Failure::new(exit::CONFIG, e.to_string()))?;
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
		issued: Default::default(),
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
	.with_graceful_shutdown(warden_daemon::shutdown::signal());
	let watcher = watcher::run(app.clone(), node.clone(), start, config.history_blocks);
	let actor = Actor::new(app.clone(), node.clone(), key, config.safety_margin, renew_before);
	actor.read_fee_at(next_fee_read);
	let actor = actor.run();
	tokio::select! {
		served = server => {
			served.map_err(|e| Failure::new(exit::FATAL, format!("the API failed: {e}")))?;
			tracing::info!("stopping");
			Ok(())
		}
		failed = watcher => Err(Failure::new(exit::FATAL, failed.err().unwrap_or_default())),
		failed = actor => Err(Failure::new(exit::FATAL, failed.err().unwrap_or_default())),
	}
}
