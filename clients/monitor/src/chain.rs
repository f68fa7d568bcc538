//! What the API's intake asks the chain ([`ChainView`]), through the node connection every
//! Warden daemon shares ([`Node`], from `warden-daemon`).

use std::{
	collections::HashMap,
	future::Future,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};

use warden_client::{
	api::{self, runtime_types::warden_primitives::channels::ChannelPhase},
	keys::to_chain_account,
	Error,
};

pub use warden_daemon::{now_ms, Heads, Node, Throttled};

/// The chain's `NextChannelId` as last read: every id below it was issued. It never goes
/// back.
#[derive(Debug, Default)]
pub struct IssuedChannels(AtomicU64);

impl IssuedChannels {
	/// Notes the chain's `NextChannelId` as read.
	pub fn saw_next_channel_id(&self, next: u64) {
		self.0.fetch_max(next, Ordering::Relaxed);
	}

	/// The highest `NextChannelId` read so far: ids below it were issued for sure, ids at
	/// or above it may have been issued since.
	pub fn next_channel_id(&self) -> u64 {
		self.0.load(Ordering::Relaxed)
	}
}

/// A channel's parties and whether it is closing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelFacts {
	/// Who pays; signs balance proofs.
	pub sender: sp_runtime::AccountId32,
	/// Who is paid; signs reward authorizations.
	pub receiver: sp_runtime::AccountId32,
	/// Whether the chain reported it closing. Only fresh reads report it; for channels seen
	/// before, the watcher's closing table knows.
	pub closing: bool,
}

/// What the intake asks the chain. [`RpcChain`] asks a node; benchmarks use a map.
pub trait ChainView: Send + Sync + 'static {
	/// The chain's genesis hash, which every signature covers.
	fn genesis(&self) -> sp_core::H256;
	/// The channel `id`, if it exists.
	fn channel(&self, id: u64) -> impl Future<Output = Result<Option<ChannelFacts>, Error>> + Send;
	/// The id the next opened channel gets: ids below it were issued.
	fn next_channel_id(&self) -> impl Future<Output = Result<u64, Error>> + Send;
	/// What the channel's monitoring escrow holds.
	fn escrow(&self, id: u64) -> impl Future<Output = Result<u128, Error>> + Send;
	/// Forgets what it cached of channel `id` (it settled).
	fn forget(&self, id: u64);
}

/// The chain through a node, with a channel's parties cached (they never change).
pub struct RpcChain {
	node: Arc<Node>,
	genesis: sp_core::H256,
	parties: Mutex<HashMap<u64, (sp_runtime::AccountId32, sp_runtime::AccountId32)>>,
}

impl RpcChain {
	/// The chain behind `node`.
	pub async fn new(node: Arc<Node>) -> Self {
		let genesis = sp_core::H256(node.client().await.genesis_hash().0);
		Self { node, genesis, parties: Mutex::new(HashMap::new()) }
	}
}

/// How long one read of the intake may take.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

async fn bounded<T>(f: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
	tokio::time::timeout(READ_TIMEOUT, f)
		.await
		.map_err(|_| Error::Timeout(format!("the node didn't answer within {READ_TIMEOUT:?}")))?
}

impl ChainView for RpcChain {
	fn genesis(&self) -> sp_core::H256 {
		self.genesis
	}

	async fn channel(&self, id: u64) -> Result<Option<ChannelFacts>, Error> {
		let cached = self.parties.lock().map(|p| p.get(&id).cloned()).unwrap_or(None);
		if let Some((sender, receiver)) = cached {
			return Ok(Some(ChannelFacts { sender, receiver, closing: false }));
		}
		let info = bounded(self.node.call(|client| async move {
			client.read(api::runtime_apis().channels_api().channel(id)).await
		}))
		.await?;
		Ok(info.map(|info| {
			let facts = ChannelFacts {
				sender: to_chain_account(&info.sender),
				receiver: to_chain_account(&info.receiver),
				closing: matches!(info.phase, ChannelPhase::Closing { .. }),
			};
			if let Ok(mut parties) = self.parties.lock() {
				parties.insert(id, (facts.sender.clone(), facts.receiver.clone()));
			}
			facts
		}))
	}

	async fn next_channel_id(&self) -> Result<u64, Error> {
		bounded(self.node.call(|client| async move {
			let at = client.at_best().await?;
			at.storage()
				.fetch(api::storage().channels().next_channel_id(), ())
				.await
				.map_err(Error::rpc)?
				.decode()
				.map_err(Error::rpc)
		}))
		.await
	}

	async fn escrow(&self, id: u64) -> Result<u128, Error> {
		bounded(self.node.call(|client| async move {
			client.read(api::runtime_apis().monitoring_api().escrow_balance(id)).await
		}))
		.await
	}

	fn forget(&self, id: u64) {
		if let Ok(mut parties) = self.parties.lock() {
			parties.remove(&id);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn next_channel_id_never_goes_back() {
		let issued = IssuedChannels::default();
		issued.saw_next_channel_id(5);
		issued.saw_next_channel_id(3);
		assert_eq!(issued.next_channel_id(), 5);
	}
}
