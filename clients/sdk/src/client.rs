//! The connection to a Warden node: transactions with progress, runtime API reads and
//! balances, all typed through [`crate::api`].

use std::{sync::Arc, time::Duration};

use subxt::{
	backend::LegacyBackend,
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

/// How [`Client::sign`] signs a transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TxOptions {
	/// The account nonce to use; by default the next one, counting the node's pool.
	pub nonce: Option<u64>,
	/// The last block the transaction may be included in. Its mortality is the longest
	/// power of two (at least 4, at most [`DEFAULT_MORTALITY`]) from the finalized block that
	/// ends by then; [`Signed::last_block`] says where it really ends.
	pub last_block: Option<u64>,
	/// The most fee it may cost, in planck: signing estimates the fee first
	/// ([`Client::estimate_fee`]) and refuses with [`Error::FeeAboveLimit`] above it.
	pub max_fee: Option<u128>,
}

/// How many blocks a transaction stays valid for when [`TxOptions::last_block`] is unset.
pub const DEFAULT_MORTALITY: u64 = 64;

/// A signed transaction, not sent yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
	/// Its hash.
	pub hash: H256,
	/// The account nonce it uses: once the account's nonce is past it, it can't be included.
	pub nonce: u64,
	/// The last block it can be included in.
	pub last_block: u64,
	/// Its encoding, as sent to the node.
	pub bytes: Vec<u8>,
}

/// The mortality period of a transaction born at block `birth` that must not be included
/// after `last_block`: a power of two, between 4 and [`DEFAULT_MORTALITY`].
pub fn mortality_period(birth: u64, last_block: Option<u64>) -> u64 {
	let Some(last_block) = last_block else { return DEFAULT_MORTALITY };
	// Valid in blocks birth ..= birth + period - 1.
	let span = last_block.saturating_sub(birth).saturating_add(1).clamp(4, DEFAULT_MORTALITY);
	// The largest power of two not above `span`.
	1u64 << (63 - span.leading_zeros())
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
	rpc: RpcClient,
	url: String,
}

impl Client {
	/// Connects to the node at `url` (`ws://` or `wss://`), within [`CONNECT_TIMEOUT`].
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let unreachable = |reason: String| Error::Unreachable { url: url.to_string(), reason };
		let connect = async {
			let rpc =
				RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
			// The legacy RPCs answer for any block the node holds. The `chainHead` backend only
			// knows the blocks its subscription has reported yet, so a best block hash read a
			// moment earlier could be unknown to it.
			let backend = LegacyBackend::<WardenConfig>::builder().build(rpc.clone());
			let api = OnlineClient::<WardenConfig>::from_backend(Arc::new(backend))
				.await
				.map_err(|e| unreachable(e.to_string()))?;
			Ok(Client {
				api,
				legacy: LegacyRpcMethods::new(rpc.clone()),
				rpc,
				url: url.to_string(),
			})
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

	/// Asks this node to generate new session keys into its own keystore for `owner`
	/// (`author_rotateKeysWithOwner`: an unsafe RPC, served on a local port or with
	/// `--rpc-methods unsafe`): the SCALE-encoded public keys and the proof of possession
	/// `Session.set_keys` takes.
	pub async fn rotate_keys(&self, owner: &AccountId32) -> Result<(Vec<u8>, Vec<u8>), Error> {
		let owner = format!("0x{}", hex::encode(owner.0));
		let answer: serde_json::Value = self
			.rpc
			.request("author_rotateKeysWithOwner", subxt::rpcs::rpc_params![owner])
			.await
			.map_err(|e| Error::Rpc(format!("author_rotateKeysWithOwner: {e}")))?;
		let field = |name: &str| {
			answer[name]
				.as_str()
				.and_then(|text| hex::decode(text.trim_start_matches("0x")).ok())
				.ok_or_else(|| Error::Rpc(format!("author_rotateKeysWithOwner gave no `{name}`")))
		};
		Ok((field("keys")?, field("proof")?))
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

	/// Calls the runtime API of `payload` at the best block and returns its answer as JSON
	/// (see [`crate::json`]), e.g.
	/// `client.read_json(api::runtime_apis().operators_api().operator(who)).await?`. For
	/// tools that print what they read: the API, method and arguments are typed; the answer
	/// is decoded with the runtime's own types.
	pub async fn read_json<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
	) -> Result<serde_json::Value, Error> {
		let (value, metadata) = self.read_typed(payload).await?;
		Ok(crate::json::to_json(&value, metadata.types()))
	}

	/// Calls the runtime API of `payload` at the best block and returns its answer decoded
	/// with its types (each value's context is its type id in the metadata returned with
	/// it), for tools that change a value field by field and send it back.
	pub async fn read_typed<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
	) -> Result<(subxt::dynamic::Value<u32>, subxt::ArcMetadata), Error> {
		let at = self.at_best().await?;
		let metadata = at.metadata();
		let apis = at.runtime_apis();
		// The generated payload carries the hash of the API it was generated from: a
		// runtime whose API changed is refused rather than misread.
		apis.validate(&payload).map_err(Error::rpc)?;
		let name = apis.encode_name(&payload);
		let args = apis.encode_args(&payload).map_err(Error::rpc)?;
		let output = metadata
			.runtime_api_trait_by_name(payload.trait_name())
			.and_then(|t| t.method_by_name(payload.method_name()))
			.map(|method| method.output_ty())
			.ok_or_else(|| Error::Rpc(format!("the runtime has no {name}")))?;
		let bytes = apis.call_raw(&name, Some(&args)).await.map_err(Error::rpc)?;
		let value = subxt::ext::scale_value::scale::decode_as_type(
			&mut &bytes[..],
			output,
			metadata.types(),
		)
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

	/// The next nonce of `who`, counting its transactions in the node's pool.
	pub async fn next_nonce(&self, who: &AccountId32) -> Result<u64, Error> {
		self.legacy.system_account_next_index(who).await.map_err(Error::rpc)
	}

	/// Signs `payload` with `signer` as `options` ask, without sending it. The result can
	/// be recorded before it is sent with [`Client::submit_signed`], and sent again after a
	/// restart: the same bytes are the same transaction, which the chain includes at most
	/// once.
	pub async fn sign<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
		options: TxOptions,
	) -> Result<Signed, Error> {
		if let Some(limit) = options.max_fee {
			let fee = self.estimate_fee(payload, signer).await?;
			if fee > limit {
				return Err(Error::FeeAboveLimit { fee, limit });
			}
		}
		let nonce = match options.nonce {
			Some(nonce) => nonce,
			None => self.next_nonce(&signer.account_id()).await?,
		};
		// The era starts at the finalized block, which no reorganisation removes.
		let at = self.at_finalized().await?;
		let birth = at.block_number();
		let mut txs = at.tx();
		let period = mortality_period(birth, options.last_block);
		let params = DefaultExtrinsicParamsBuilder::<WardenConfig>::new()
			.nonce(nonce)
			.mortal(period)
			.build();
		let tx = txs
			.create_signed(payload, signer, params)
			.await
			.map_err(|e| Error::Invalid(e.to_string()))?;
		Ok(Signed {
			hash: tx.hash(),
			nonce,
			last_block: birth.saturating_add(period).saturating_sub(1),
			bytes: tx.into_encoded(),
		})
	}

	/// The fee the chain would charge `signer` for `payload` now
	/// (`TransactionPaymentApi.query_info`'s partial fee: base, length and weight fees).
	pub async fn estimate_fee<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
	) -> Result<u128, Error> {
		let mut txs = self.at_best().await?.tx();
		let params = DefaultExtrinsicParamsBuilder::<WardenConfig>::new().nonce(0).build();
		let tx = txs
			.create_signed(payload, signer, params)
			.await
			.map_err(|e| Error::Invalid(e.to_string()))?;
		tx.partial_fee_estimate().await.map_err(|e| Error::Rpc(e.to_string()))
	}

	/// The least balance an account may keep: below it, it is removed.
	pub async fn existential_deposit(&self) -> Result<u128, Error> {
		self.at_best()
			.await?
			.constants()
			.entry(api::constants().balances().existential_deposit())
			.map_err(Error::rpc)
	}

	/// The fee of `payload` signed by `signer`, refused ([`Error::NotSent`]) if the account
	/// can't pay it and `spends` more (what the call itself moves out of the account, 0 for
	/// most calls) while keeping the existential deposit: the pool takes a fee only from
	/// what is free above it (`Inability to pay some fees`), and a transfer that keeps its
	/// sender alive fails below it.
	pub async fn payable_fee<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
		spends: u128,
	) -> Result<u128, Error> {
		use crate::units::format_amount;
		let fee = self.estimate_fee(payload, signer).await?;
		let who = signer.account_id();
		let free = self.free_balance(&who).await?;
		let keep = self.existential_deposit().await?;
		if free >= fee.saturating_add(spends).saturating_add(keep) {
			return Ok(fee);
		}
		let why = if spends == 0 || free < fee.saturating_add(keep) {
			format!("{who} can't pay the fee: it has {} free, the fee is", format_amount(free))
		} else {
			format!(
				"{who} can't send {}: it has {} free, the fee is",
				format_amount(spends),
				format_amount(free)
			)
		};
		Err(Error::NotSent(format!(
			"{why} {} and {} must stay (the existential deposit)",
			format_amount(fee),
			format_amount(keep)
		)))
	}

	/// Signs `payload` with `signer` and submits it, telling `on_progress` each step, and
	/// waits as `wait` asks, within [`SUBMIT_TIMEOUT`]. The nonce comes from the node's pool,
	/// so transactions may follow each other without waiting.
	pub async fn submit<P: Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
		wait: Wait,
		on_progress: impl FnMut(&Progress),
	) -> Result<Submitted, Error> {
		let signed = self.sign(payload, signer, TxOptions::default()).await?;
		self.submit_signed(&signed, wait, on_progress).await
	}

	/// Submits a transaction [`Client::sign`] made (again, if it was sent before: a copy
	/// already in the pool answers [`Error::Invalid`] with the pool's reason), telling
	/// `on_progress` each step, and waits as `wait` asks, within [`SUBMIT_TIMEOUT`].
	pub async fn submit_signed(
		&self,
		signed: &Signed,
		wait: Wait,
		mut on_progress: impl FnMut(&Progress),
	) -> Result<Submitted, Error> {
		let tx = self.at_finalized().await?.tx().from_bytes(signed.bytes.clone());
		let extrinsic = signed.hash;
		if wait == Wait::None {
			tx.submit().await.map_err(crate::error::submission_error)?;
			on_progress(&Progress::Submitted { extrinsic });
			return Ok(Submitted { extrinsic, block: None, finalized: false, events: vec![] });
		}
		let mut progress = tx.submit_and_watch().await.map_err(crate::error::submission_error)?;
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
						event
							.map_err(Error::rpc)
							.and_then(|event| record_of(&event, &metadata, true))
					})
					.collect::<Result<Vec<_>, _>>()?;
				return Ok(Submitted { extrinsic, block: Some(block), finalized, events });
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn mortality_ends_by_the_last_block_it_may_be_included_in() {
		assert_eq!(mortality_period(100, None), DEFAULT_MORTALITY);
		// Born at 100, included at 100..=119 at most: 16 blocks (100..=115).
		assert_eq!(mortality_period(100, Some(119)), 16);
		assert_eq!(mortality_period(100, Some(115)), 16);
		assert_eq!(mortality_period(100, Some(114)), 8);
		assert_eq!(mortality_period(100, Some(10_000)), DEFAULT_MORTALITY);
		// Never below the chain's shortest era, even when the end is closer (or past).
		assert_eq!(mortality_period(100, Some(101)), 4);
		assert_eq!(mortality_period(100, Some(50)), 4);
		for last in 103..400 {
			let period = mortality_period(100, Some(last));
			assert!(period.is_power_of_two() && 100 + period - 1 <= last, "{last}: {period}");
		}
	}
}
