//! The node: one connection shared by a daemon's tasks, reconnected when it fails, and the
//! node's heads as last read.

use std::{
	future::Future,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};

use tokio::sync::RwLock;
use warden_client::{Client, Error};

/// A connection to the node that reconnects after a failure.
pub struct Node {
	url: String,
	client: RwLock<Client>,
}

/// Whether `error` says the connection failed (rather than the chain refusing something).
pub fn is_connection_error(error: &Error) -> bool {
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

/// The node's best and finalized heads, as last read, and whether it answers: what a
/// daemon decides with (when something is due, how far its follower lags). The finalized
/// head never goes back.
#[derive(Debug, Default)]
pub struct Heads {
	best: AtomicU64,
	finalized: AtomicU64,
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
		// The finalized head never goes back.
		heads.set(12, 7);
		assert_eq!((heads.best(), heads.finalized()), (12, 8));
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
