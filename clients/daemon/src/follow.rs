//! Follows the chain's finalized blocks and hands each one, with its events, to the daemon,
//! in order and exactly once.
//!
//! The daemon applies a block's changes and moves its cursor past it in one database
//! transaction; [`run`] reads the cursor each time it (re)starts the stream, so after a
//! crash or a lost connection it resumes at the first block not applied and backfills what
//! it missed. GRANDPA finality means nothing applied is ever reverted.

use std::time::Duration;

use warden_client::{BlockEvents, FinalizedEvents};

use crate::node::{Node, Throttled};

/// How long to wait before reconnecting after the node failed.
pub const RETRY: Duration = Duration::from_secs(1);

/// Follows finalized blocks from the block `cursor` names (or `start` if none was applied)
/// and calls `apply` on each, in order. A node failure is retried (reconnecting, with a
/// warning at most once a minute) and never skips a block. Returns only when `cursor` or
/// `apply` fails: the daemon's own store failed, which it can't go on without.
pub async fn run<C, A>(node: &Node, start: u64, cursor: C, mut apply: A) -> Result<(), String>
where
	C: Fn() -> Result<Option<u64>, String>,
	A: AsyncFnMut(BlockEvents) -> Result<(), String>,
{
	let mut failing = Throttled::default();
	loop {
		let next = cursor()?.unwrap_or(start);
		let client = node.client().await;
		let mut stream = match FinalizedEvents::from(&client, next).await {
			Ok(stream) => stream,
			Err(error) => {
				if failing.due() {
					tracing::warn!(%error, "can't follow finalized blocks; retrying");
				}
				tokio::time::sleep(RETRY).await;
				let _ = node.reconnect().await;
				continue;
			}
		};
		loop {
			let block = match stream.next().await {
				Ok(block) => block,
				Err(error) => {
					if failing.due() {
						tracing::warn!(%error, block = stream.next_number(), "reading a finalized block failed; retrying");
					}
					tokio::time::sleep(RETRY).await;
					let _ = node.reconnect().await;
					break;
				}
			};
			failing.reset();
			apply(block).await?;
		}
	}
}
