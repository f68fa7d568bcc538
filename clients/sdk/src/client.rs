//! The connection to a Warden node: transactions with progress, runtime API reads and
//! balances, all typed through [`crate::api`].

use std::time::Duration;

use subxt::{
	config::{DefaultExtrinsicParamsBuilder, RpcConfigFor},
	rpcs::{LegacyRpcMethods, RpcClient},
	tx::{Payload, TransactionStatus},
	utils::{AccountId32, H256},
	OnlineClient, OnlineClientAtBlock, PolkadotConfig,
};

use crate::{
	api,
	events::{record_of, EventRecord},
	Error, Keypair,
};

/// The subxt configuration Warden's runtime matches: sr25519/ecdsa `MultiSignature`,
/// `MultiAddress<AccountId32, ()>`, Blake2-256, and the standard transaction extensions.
pub type WardenConfig = PolkadotConfig;

/// The client's view of the chain at one block.
pub type AtBlock = OnlineClientAtBlock<WardenConfig>;

/// How long connecting to a node may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a transaction may take to reach the state [`Wait`] asks for.
pub const SUBMIT_TIMEOUT: Duration = Duration::from_secs(120);

/// How long a transaction's submission waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Wait {
	/// Until the node accepted it into its pool.
	None,
	/// Until it is in a best block, with its events.
	InBlock,
	/// Until its block is finalized, with its events.
	#[default]
	Finalized,
}

impl std::str::FromStr for Wait {
	type Err = Error;

	fn from_str(s: &str) -> Result<Self, Error> {
		match s {
			"none" => Ok(Wait::None),
			"in-block" => Ok(Wait::InBlock),
			"finalized" => Ok(Wait::Finalized),
			other => Err(Error::Input(format!(
				"`{other}` is not a wait: use none, in-block or finalized"
			))),
		}
	}
}

/// A block: its number and hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockId {
	/// Its number.
	pub number: u64,
	/// Its hash.
	pub hash: H256,
}

/// Where a submitted transaction is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
	/// The node accepted it into its pool.
	Submitted {
		/// The extrinsic's hash.
		extrinsic: H256,
	},
	/// It is in a best block.
	InBlock(BlockId),
	/// Its block is finalized.
	Finalized(BlockId),
}

/// A transaction that reached the state its [`Wait`] asked for.
#[derive(Clone, Debug)]
pub struct Submitted {
	/// The extrinsic's hash.
	pub extrinsic: H256,
	/// The block it is in, unless the submission didn't wait for one.
	pub block: Option<BlockId>,
	/// Whether that block is finalized.
	pub finalized: bool,
	/// Its events, in order (empty if the submission didn't wait for a block).
	pub events: Vec<EventRecord>,
}

impl Submitted {
	/// The first event `pallet.name` of the transaction.
	pub fn event(&self, pallet: &str, name: &str) -> Option<&EventRecord> {
		self.events.iter().find(|event| event.pallet == pallet && event.name == name)
	}
}

/// A connection to a Warden node.
#[derive(Clone)]
pub struct Client {
	api: OnlineClient<WardenConfig>,
	legacy: LegacyRpcMethods<RpcConfigFor<WardenConfig>>,
	url: String,
}

impl Client {
	/// Connects to the node at `url` (`ws://` or `wss://`), within [`CONNECT_TIMEOUT`].
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let unreachable = |reason: String| Error::Unreachable { url: url.to_string(), reason };
		let connect = async {
			let rpc =
				RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
			let api = OnlineClient::<WardenConfig>::from_rpc_client(rpc.clone())
				.await
				.map_err(|e| unreachable(e.to_string()))?;
			Ok(Client { api, legacy: LegacyRpcMethods::new(rpc), url: url.to_string() })
		};
		tokio::time::timeout(CONNECT_TIMEOUT, connect)
			.await
			.map_err(|_| unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))?
	}

	/// The URL it is connected to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// subxt's client, for anything this one doesn't wrap.
	pub fn subxt(&self) -> &OnlineClient<WardenConfig> {
		&self.api
	}

	/// The chain's genesis hash, which every signed payload names.
	pub fn genesis_hash(&self) -> H256 {
		self.api.genesis_hash()
	}

	/// The chain at its latest finalized block.
	pub async fn at_finalized(&self) -> Result<AtBlock, Error> {
		self.api.at_current_block().await.map_err(Error::rpc)
	}

	/// The chain at its best block.
	pub async fn at_best(&self) -> Result<AtBlock, Error> {
		let hash = self
			.legacy
			.chain_get_block_hash(None)
			.await
			.map_err(Error::rpc)?
			.ok_or_else(|| Error::Rpc("the node has no best block".into()))?;
		self.api.at_block(hash).await.map_err(Error::rpc)
	}

	/// The chain at block `number`.
	pub async fn at_number(&self, number: u64) -> Result<AtBlock, Error> {
		self.api.at_block(number).await.map_err(Error::rpc)
	}

	/// The best and finalized block numbers.
	pub async fn heads(&self) -> Result<(u64, u64), Error> {
		let best = self.at_best().await?.block_number();
		let finalized = self.at_finalized().await?.block_number();
		Ok((best, finalized))
	}

	/// Calls a runtime API at the best block, e.g.
	/// `client.read(api::runtime_apis().operators_api().operator(who)).await?`.
	pub async fn read<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
	) -> Result<P::ReturnType, Error> {
		self.at_best().await?.runtime_apis().call(payload).await.map_err(Error::rpc)
	}

	/// Calls runtime API `api_trait`'s `method` at the best block with `args` (values of the
	/// argument types, e.g. `Value::from_bytes(account.0)` for an account) and returns its
	/// answer as JSON (see [`crate::json`]). For tools that print what they read.
	pub async fn read_json(
		&self,
		api_trait: &str,
		method: &str,
		args: Vec<subxt::dynamic::Value>,
	) -> Result<serde_json::Value, Error> {
		let (value, metadata) = self.read_typed(api_trait, method, args).await?;
		Ok(crate::json::to_json(&value, metadata.types()))
	}

	/// Calls runtime API `api_trait`'s `method` at the best block with `args` and returns
	/// its answer decoded with its types (each value's context is its type id in the
	/// metadata returned with it).
	pub async fn read_typed(
		&self,
		api_trait: &str,
		method: &str,
		args: Vec<subxt::dynamic::Value>,
	) -> Result<(subxt::dynamic::Value<u32>, subxt::ArcMetadata), Error> {
		let at = self.at_best().await?;
		let metadata = at.metadata();
		let types = metadata.types();
		let method_metadata = metadata
			.runtime_api_trait_by_name(api_trait)
			.and_then(|t| t.method_by_name(method))
			.ok_or_else(|| Error::Rpc(format!("the runtime has no {api_trait}.{method}")))?;
		let inputs: Vec<u32> = method_metadata.inputs().map(|input| input.id).collect();
		if inputs.len() != args.len() {
			return Err(Error::Input(format!(
				"{api_trait}.{method} takes {} arguments, not {}",
				inputs.len(),
				args.len()
			)));
		}
		let mut encoded = Vec::new();
		for (arg, ty) in args.iter().zip(inputs) {
			subxt::ext::scale_value::scale::encode_as_type(arg, ty, types, &mut encoded)
				.map_err(|e| Error::Input(format!("{api_trait}.{method}: {e}")))?;
		}
		let bytes = at
			.runtime_apis()
			.call_raw(&format!("{api_trait}_{method}"), Some(&encoded))
			.await
			.map_err(Error::rpc)?;
		let output = method_metadata.output_ty();
		let value = subxt::ext::scale_value::scale::decode_as_type(&mut &bytes[..], output, types)
			.map_err(Error::rpc)?;
		Ok((value, metadata.clone()))
	}

	/// The free balance of `who` at the best block.
	pub async fn free_balance(&self, who: &AccountId32) -> Result<u128, Error> {
		Ok(self.account(who).await?.data.free)
	}

	/// The account record of `who` at the best block: nonce and balances.
	pub async fn account(
		&self,
		who: &AccountId32,
	) -> Result<
		api::runtime_types::frame_system::AccountInfo<
			u32,
			api::runtime_types::pallet_balances::types::AccountData<u128>,
		>,
		Error,
	> {
		let at = self.at_best().await?;
		at.storage()
			.fetch(api::storage().system().account(), (*who,))
			.await
			.map_err(Error::rpc)?
			.decode()
			.map_err(Error::rpc)
	}

	/// Signs `payload` with `signer` and submits it, telling `on_progress` each step, and
	/// waits as `wait` asks, within [`SUBMIT_TIMEOUT`]. The nonce comes from the node's pool,
	/// so transactions may follow each other without waiting.
	pub async fn submit<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
		wait: Wait,
		mut on_progress: impl FnMut(&Progress),
	) -> Result<Submitted, Error> {
		let nonce = self
			.legacy
			.system_account_next_index(&signer.account_id())
			.await
			.map_err(Error::rpc)?;
		let params = DefaultExtrinsicParamsBuilder::<WardenConfig>::new().nonce(nonce).build();
		let mut txs = self.at_finalized().await?.tx();
		let tx = txs
			.create_signed(payload, signer, params)
			.await
			.map_err(|e| Error::Invalid(e.to_string()))?;
		let extrinsic = tx.hash();
		if wait == Wait::None {
			tx.submit().await.map_err(|e| Error::Invalid(e.to_string()))?;
			on_progress(&Progress::Submitted { extrinsic });
			return Ok(Submitted { extrinsic, block: None, finalized: false, events: vec![] });
		}
		let mut progress =
			tx.submit_and_watch().await.map_err(|e| Error::Invalid(e.to_string()))?;
		on_progress(&Progress::Submitted { extrinsic });
		let deadline = tokio::time::Instant::now() + SUBMIT_TIMEOUT;
		loop {
			let status = tokio::time::timeout_at(deadline, progress.next())
				.await
				.map_err(|_| {
					Error::Timeout(format!(
						"transaction {extrinsic:?} not {} within {} s",
						if wait == Wait::Finalized { "finalized" } else { "in a block" },
						SUBMIT_TIMEOUT.as_secs()
					))
				})?
				.ok_or_else(|| Error::Invalid("the node stopped reporting its status".into()))?
				.map_err(Error::from)?;
			let (in_block, finalized) = match status {
				TransactionStatus::InBestBlock(in_block) => (in_block, false),
				TransactionStatus::InFinalizedBlock(in_block) => (in_block, true),
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => return Err(Error::Invalid(message)),
				_ => continue,
			};
			let at = in_block.at().await.map_err(Error::rpc)?;
			let block = BlockId { number: at.block_number(), hash: in_block.block_hash() };
			on_progress(&if finalized {
				Progress::Finalized(block)
			} else {
				Progress::InBlock(block)
			});
			if finalized || wait == Wait::InBlock {
				let events = in_block.wait_for_success().await?;
				let metadata = at.metadata();
				let events = events
					.iter()
					.map(|event| {
						event.map_err(Error::rpc).and_then(|event| record_of(&event, &metadata))
					})
					.collect::<Result<Vec<_>, _>>()?;
				return Ok(Submitted { extrinsic, block: Some(block), finalized, events });
			}
		}
	}
}
