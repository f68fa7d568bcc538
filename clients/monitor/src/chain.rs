//! The node: one connection shared by the daemon's tasks, reconnected when it fails, and
//! what the API's intake asks the chain ([`ChainView`]).

use std::{
	collections::HashMap,
	future::Future,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};

use tokio::sync::RwLock;
use warden_client::{
	api::{self, runtime_types::warden_primitives::channels::ChannelPhase},
	keys::to_chain_account,
	Client, Error,
};

/// A connection to the node that reconnects after a failure.
pub struct Node {
	url: String,
	client: RwLock<Client>,
}

fn is_connection_error(error: &Error) -> bool {
	matches!(error, Error::Unreachable { .. } | Error::Rpc(_) | Error::Timeout(_))
}

impl Node {
	/// Connects to `url`.
	pub async fn connect(url: &str) -> Result<Arc<Self>, Error> {
		let client = Client::connect(url).await?;
		Ok(Arc::new(Self { url: url.to_string(), client: RwLock::new(client) }))
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The current connection.
	pub async fn client(&self) -> Client {
		self.client.read().await.clone()
	}

	/// Runs `f` on the connection; if it fails with a connection error, reconnects once
	/// (within the client's connect timeout) and runs it again.
	pub async fn call<T, F, Fut>(&self, f: F) -> Result<T, Error>
	where
		F: Fn(Client) -> Fut,
		Fut: Future<Output = Result<T, Error>>,
	{
		let client = self.client().await;
		match f(client).await {
			Err(error) if is_connection_error(&error) => {
				tracing::debug!(%error, "node call failed; reconnecting");
				self.reconnect().await?;
				f(self.client().await).await
			}
			other => other,
		}
	}

	/// Replaces the connection with a new one.
	pub async fn reconnect(&self) -> Result<(), Error> {
		let fresh = Client::connect(&self.url).await?;
		*self.client.write().await = fresh;
		Ok(())
	}
}

/// The node's best and finalized heads, as last read: what the daemon decides with (when a
/// pending proof expires, how far the watcher lags). The actor reads them every half
/// second, the watcher raises the finalized one as it applies blocks; the metrics only
/// show them.
#[derive(Debug, Default)]
pub struct Heads {
	best: AtomicU64,
	finalized: AtomicU64,
	next_channel_id: AtomicU64,
	/// Since when (milliseconds since the Unix epoch) the node hasn't answered; 0 while it
	/// answers.
	unreachable_since_ms: AtomicU64,
}

impl Heads {
	/// Heads starting at `best` and `finalized`.
	pub fn new(best: u64, finalized: u64) -> Self {
		Self {
			best: AtomicU64::new(best),
			finalized: AtomicU64::new(finalized),
			next_channel_id: AtomicU64::new(0),
			unreachable_since_ms: AtomicU64::new(0),
		}
	}

	/// Notes that the node didn't answer at `now_ms`; returns whether it answered before
	/// (the outage starts now).
	pub fn node_down(&self, now_ms: u64) -> bool {
		self.unreachable_since_ms
			.compare_exchange(0, now_ms.max(1), Ordering::Relaxed, Ordering::Relaxed)
			.is_ok()
	}

	/// Notes that the node answered; returns since when it hadn't, if it hadn't.
	pub fn node_up(&self) -> Option<u64> {
		Some(self.unreachable_since_ms.swap(0, Ordering::Relaxed)).filter(|since| *since > 0)
	}

	/// Since when the node hasn't answered (milliseconds since the Unix epoch), if it
	/// doesn't.
	pub fn unreachable_since_ms(&self) -> Option<u64> {
		Some(self.unreachable_since_ms.load(Ordering::Relaxed)).filter(|since| *since > 0)
	}

	/// Notes the chain's `NextChannelId` as read: every id below it was issued. It never
	/// goes back.
	pub fn saw_next_channel_id(&self, next: u64) {
		self.next_channel_id.fetch_max(next, Ordering::Relaxed);
	}

	/// The highest `NextChannelId` read so far: ids below it were issued for sure, ids at
	/// or above it may have been issued since.
	pub fn next_channel_id(&self) -> u64 {
		self.next_channel_id.load(Ordering::Relaxed)
	}

	/// Notes the node's heads. The finalized head never goes back.
	pub fn set(&self, best: u64, finalized: u64) {
		self.best.store(best, Ordering::Relaxed);
		self.finalized.fetch_max(finalized, Ordering::Relaxed);
	}

	/// Notes that block `number` is finalized.
	pub fn finalized_at_least(&self, number: u64) {
		self.finalized.fetch_max(number, Ordering::Relaxed);
	}

	/// The best block.
	pub fn best(&self) -> u64 {
		self.best.load(Ordering::Relaxed)
	}

	/// The finalized head.
	pub fn finalized(&self) -> u64 {
		self.finalized.load(Ordering::Relaxed)
	}
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A warning that repeats while its condition lasts: logged at once, then at most once per
/// [`Throttled::EVERY`], so an outage doesn't flood the log.
#[derive(Debug, Default)]
pub struct Throttled {
	last: Option<std::time::Instant>,
}

impl Throttled {
	/// The least time between two warnings of one condition.
	pub const EVERY: Duration = Duration::from_secs(60);

	/// Whether to log now: the first time, and once [`Throttled::EVERY`] has passed since
	/// the last time.
	pub fn due(&mut self) -> bool {
		let now = std::time::Instant::now();
		match self.last {
			Some(last) if now.duration_since(last) < Self::EVERY => false,
			_ => {
				self.last = Some(now);
				true
			}
		}
	}

	/// The condition ended: the next occurrence is logged at once.
	pub fn reset(&mut self) {
		self.last = None;
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
	fn heads_know_when_the_node_went_away() {
		let heads = Heads::new(10, 8);
		assert_eq!(heads.unreachable_since_ms(), None);
		assert!(heads.node_down(1_000), "the outage starts");
		assert!(!heads.node_down(2_000), "the same outage goes on");
		assert_eq!(heads.unreachable_since_ms(), Some(1_000));
		assert_eq!(heads.node_up(), Some(1_000));
		assert_eq!(heads.node_up(), None);
		assert_eq!(heads.unreachable_since_ms(), None);
		// The finalized head and NextChannelId never go back.
		heads.set(12, 7);
		assert_eq!((heads.best(), heads.finalized()), (12, 8));
		heads.saw_next_channel_id(5);
		heads.saw_next_channel_id(3);
		assert_eq!(heads.next_channel_id(), 5);
	}

	#[test]
	fn a_throttled_warning_is_due_once_a_minute() {
		let mut warning = Throttled::default();
		assert!(warning.due());
		assert!(!warning.due(), "not again within a minute");
		warning.reset();
		assert!(warning.due(), "a new outage is logged at once");
	}
}
