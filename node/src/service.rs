//! Assembles the node: client, database, network, RPC and block production.
//!
//! Two ways to produce blocks:
//! - [`new_dev`]: development chains seal blocks locally with manual seal, driven by the
//!   `--sealing` mode and the `engine_*` RPCs;
//! - [`new_full`]: every other chain authors with Aura and finalizes with GRANDPA.

use std::{pin::Pin, sync::Arc, time::Duration};

use futures::{channel::mpsc, Stream, StreamExt};
use sc_client_api::{BlockBackend, StorageProvider};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_consensus_manual_seal::{
	consensus::aura::AuraConsensusDataProvider, EngineCommand, ManualSealParams,
};
use sc_network::config::NetworkBackendType;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};
use sp_core::storage::StorageKey;
use sp_runtime::traits::Block as BlockT;
use warden_runtime::{apis::RuntimeApi, opaque::Block, SLOT_DURATION};

use crate::cli::Sealing;

/// The client with the runtime executed in wasm.
pub type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;
type BlockHash = <Block as BlockT>::Hash;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLink = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// GRANDPA justifications are kept at least every this many blocks.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// What every node needs, whichever way it produces blocks.
struct Parts {
	client: Arc<FullClient>,
	backend: Arc<FullBackend>,
	keystore_container: sc_service::KeystoreContainer,
	task_manager: TaskManager,
	select_chain: FullSelectChain,
	transaction_pool: Arc<FullPool>,
	telemetry: Option<Telemetry>,
}

fn new_parts(config: &Configuration) -> Result<Parts, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	Ok(Parts {
		client,
		backend,
		keystore_container,
		task_manager,
		select_chain,
		transaction_pool,
		telemetry,
	})
}

fn grandpa_block_import(parts: &Parts) -> Result<(GrandpaBlockImport, GrandpaLink), ServiceError> {
	Ok(sc_consensus_grandpa::block_import(
		parts.client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&parts.client,
		parts.select_chain.clone(),
		parts.telemetry.as_ref().map(|x| x.handle()),
	)?)
}

/// The Aura import queue, which checks block authors' seals and slots.
fn aura_import_queue(
	parts: &Parts,
	grandpa_block_import: GrandpaBlockImport,
	config: &Configuration,
) -> Result<sc_consensus::DefaultImportQueue<Block>, ServiceError> {
	let cidp_client = parts.client.clone();
	Ok(sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
		block_import: grandpa_block_import.clone(),
		justification_import: Some(Box::new(grandpa_block_import)),
		client: parts.client.clone(),
		create_inherent_data_providers: move |parent_hash, _| {
			let cidp_client = cidp_client.clone();
			async move {
				let slot_duration =
					sc_consensus_aura::standalone::slot_duration_at(&*cidp_client, parent_hash)?;
				let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
				let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
					*timestamp,
					slot_duration,
				);
				Ok((slot, timestamp))
			}
		},
		spawner: &parts.task_manager.spawn_essential_handle(),
		registry: config.prometheus_registry(),
		check_for_equivocation: Default::default(),
		telemetry: parts.telemetry.as_ref().map(|x| x.handle()),
		compatibility_mode: Default::default(),
	})?)
}

/// What the chain-maintenance subcommands (`check-block`, `import-blocks`, …) need.
pub struct ChainOps {
	/// The client.
	pub client: Arc<FullClient>,
	/// The database backend.
	pub backend: Arc<FullBackend>,
	/// An import queue that accepts this chain's blocks.
	pub import_queue: sc_consensus::DefaultImportQueue<Block>,
	/// The task manager the subcommand runs on.
	pub task_manager: TaskManager,
}

/// Opens the chain for a maintenance subcommand, with the import queue that matches how
/// the chain seals blocks.
pub fn new_chain_ops(config: &Configuration) -> Result<ChainOps, ServiceError> {
	let parts = new_parts(config)?;
	let import_queue = if config.chain_spec.chain_type() == sc_service::ChainType::Development {
		sc_consensus_manual_seal::import_queue(
			Box::new(parts.client.clone()),
			&parts.task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
		)
	} else {
		let (block_import, _link) = grandpa_block_import(&parts)?;
		aura_import_queue(&parts, block_import, config)?
	};
	Ok(ChainOps {
		client: parts.client,
		backend: parts.backend,
		import_queue,
		task_manager: parts.task_manager,
	})
}

/// Everything the network layer hands back.
struct Network {
	network: Arc<dyn sc_network::service::traits::NetworkService>,
	system_rpc_tx: sc_utils::mpsc::TracingUnboundedSender<sc_rpc::system::Request<Block>>,
	tx_handler_controller: sc_network_transactions::TransactionsHandlerController<BlockHash>,
	sync_service: Arc<sc_network_sync::SyncingService<Block>>,
}

/// Starts the RPC server and the node's background tasks.
fn spawn_rpc_and_tasks(
	config: Configuration,
	parts: &mut Parts,
	net: Network,
	manual_seal: Option<mpsc::Sender<EngineCommand<BlockHash>>>,
) -> Result<(), ServiceError> {
	let rpc_builder = {
		let client = parts.client.clone();
		let pool = parts.transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				manual_seal: manual_seal.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: net.network,
		client: parts.client.clone(),
		keystore: parts.keystore_container.keystore(),
		task_manager: &mut parts.task_manager,
		transaction_pool: parts.transaction_pool.clone(),
		rpc_builder,
		backend: parts.backend.clone(),
		system_rpc_tx: net.system_rpc_tx,
		tx_handler_controller: net.tx_handler_controller,
		sync_service: net.sync_service,
		config,
		telemetry: parts.telemetry.as_mut(),
		tracing_execute_block: None,
	})?;
	Ok(())
}

/// Starts a development-chain node that seals its own blocks.
pub fn new_dev(config: Configuration, sealing: Sealing) -> Result<TaskManager, ServiceError> {
	match config.network.network_backend {
		NetworkBackendType::Libp2p => {
			new_dev_with::<sc_network::NetworkWorker<Block, BlockHash>>(config, sealing)
		}
		NetworkBackendType::Litep2p => {
			new_dev_with::<sc_network::Litep2pNetworkBackend>(config, sealing)
		}
	}
}

fn new_dev_with<N: sc_network::NetworkBackend<Block, BlockHash>>(
	config: Configuration,
	sealing: Sealing,
) -> Result<TaskManager, ServiceError> {
	let mut parts = new_parts(&config)?;
	let import_queue = sc_consensus_manual_seal::import_queue(
		Box::new(parts.client.clone()),
		&parts.task_manager.spawn_essential_handle(),
		config.prometheus_registry(),
	);

	let net_config = sc_network::config::FullNetworkConfiguration::<Block, BlockHash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: parts.client.clone(),
			transaction_pool: parts.transaction_pool.clone(),
			spawn_handle: parts.task_manager.spawn_handle(),
			spawn_essential_handle: parts.task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: None,
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;
	let net = Network { network, system_rpc_tx, tx_handler_controller, sync_service };

	let (rpc_sink, rpc_commands) = mpsc::channel::<EngineCommand<BlockHash>>(1024);
	let prometheus_registry = config.prometheus_registry().cloned();
	spawn_rpc_and_tasks(config, &mut parts, net, Some(rpc_sink))?;

	let seal_command = |create_empty| EngineCommand::SealNewBlock {
		create_empty,
		finalize: true,
		parent_hash: None,
		sender: None,
	};
	let commands: Pin<Box<dyn Stream<Item = EngineCommand<BlockHash>> + Send>> = match sealing {
		Sealing::Manual => Box::pin(rpc_commands),
		Sealing::Instant => {
			let on_transaction = parts
				.transaction_pool
				.import_notification_stream()
				.map(move |_| seal_command(false));
			Box::pin(futures::stream::select(rpc_commands, on_transaction))
		}
		Sealing::Interval(ms) => {
			let ticks = futures::stream::unfold((), move |()| async move {
				futures_timer::Delay::new(Duration::from_millis(ms)).await;
				Some((seal_command(true), ()))
			});
			Box::pin(futures::stream::select(rpc_commands, ticks))
		}
	};

	let proposer = sc_basic_authorship::ProposerFactory::new(
		parts.task_manager.spawn_handle(),
		parts.client.clone(),
		parts.transaction_pool.clone(),
		prometheus_registry.as_ref(),
		parts.telemetry.as_ref().map(|x| x.handle()),
	);

	let cidp_client = parts.client.clone();
	let authorship = sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
		block_import: parts.client.clone(),
		env: proposer,
		client: parts.client.clone(),
		pool: parts.transaction_pool.clone(),
		commands_stream: commands,
		select_chain: parts.select_chain.clone(),
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new(
			parts.client.clone(),
		))),
		create_inherent_data_providers: move |parent_hash, ()| {
			let timestamp = dev_block_timestamp(&cidp_client, parent_hash);
			async move { Ok(sp_timestamp::InherentDataProvider::new(timestamp.into())) }
		},
	});
	parts.task_manager.spawn_essential_handle().spawn_blocking("manual-seal", None, authorship);

	Ok(parts.task_manager)
}

/// The timestamp of a dev block built on `parent`.
///
/// Aura needs every block in a new slot, so the timestamp is the wall clock but at least
/// one slot (the runtime's, which the genesis may choose) after the parent's. When blocks
/// are sealed faster than one per slot, block timestamps run ahead of the wall clock.
fn dev_block_timestamp(client: &FullClient, parent: BlockHash) -> u64 {
	let slot_duration = sc_consensus_aura::standalone::slot_duration_at(client, parent)
		.map(|duration| duration.as_millis())
		.unwrap_or(SLOT_DURATION);
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or_default();
	let key = StorageKey(
		[sp_io::hashing::twox_128(b"Timestamp"), sp_io::hashing::twox_128(b"Now")].concat(),
	);
	let parent_timestamp = client
		.storage(parent, &key)
		.ok()
		.flatten()
		.and_then(|data| <u64 as codec::Decode>::decode(&mut &data.0[..]).ok())
		.unwrap_or_default();
	if parent_timestamp == 0 {
		now
	} else {
		now.max(parent_timestamp.saturating_add(slot_duration))
	}
}

/// Starts a node of an Aura + GRANDPA network.
pub fn new_full(config: Configuration) -> Result<TaskManager, ServiceError> {
	match config.network.network_backend {
		NetworkBackendType::Libp2p => {
			new_full_with::<sc_network::NetworkWorker<Block, BlockHash>>(config)
		}
		NetworkBackendType::Litep2p => new_full_with::<sc_network::Litep2pNetworkBackend>(config),
	}
}

fn new_full_with<N: sc_network::NetworkBackend<Block, BlockHash>>(
	config: Configuration,
) -> Result<TaskManager, ServiceError> {
	let mut parts = new_parts(&config)?;
	let (block_import, grandpa_link) = grandpa_block_import(&parts)?;
	let import_queue = aura_import_queue(&parts, block_import.clone(), &config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<Block, BlockHash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let peer_store_handle = net_config.peer_store_handle();
	let genesis_hash = parts
		.client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		parts.backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: parts.client.clone(),
			transaction_pool: parts.transaction_pool.clone(),
			spawn_handle: parts.task_manager.spawn_handle(),
			spawn_essential_handle: parts.task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;
	let net = Network {
		network: network.clone(),
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
	};

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();
	spawn_rpc_and_tasks(config, &mut parts, net, None)?;

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			parts.task_manager.spawn_handle(),
			parts.client.clone(),
			parts.transaction_pool.clone(),
			prometheus_registry.as_ref(),
			parts.telemetry.as_ref().map(|x| x.handle()),
		);
		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*parts.client)?;

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client: parts.client.clone(),
				select_chain: parts.select_chain.clone(),
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
						*timestamp,
						slot_duration,
					);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: parts.keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: parts.telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;
		// Block authoring is essential: if it fails, the node stops.
		parts.task_manager.spawn_essential_handle().spawn_blocking(
			"aura",
			Some("block-authoring"),
			aura,
		);
	}

	if enable_grandpa {
		// Only authorities vote, so only they need the keystore.
		let keystore =
			if role.is_authority() { Some(parts.keystore_container.keystore()) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: parts.telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};
		let voter = sc_consensus_grandpa::run_grandpa_voter(sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: sync_service,
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: parts.telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(
				parts.transaction_pool.clone(),
			),
		})?;
		// Finality is essential too.
		parts.task_manager.spawn_essential_handle().spawn_blocking("grandpa-voter", None, voter);
	}

	Ok(parts.task_manager)
}
