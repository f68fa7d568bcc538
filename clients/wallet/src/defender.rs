//! Defends the account's channels by itself: every half second, at the best block, a
//! channel closing with an older state than the receiver's newest proof gets that proof
//! submitted (`Channels.update`), again every few blocks until the chain holds it, and
//! not at all once the chain holds that nonce or the window has ended.
//!
//! It also keeps the heads the status and the lag check read.

use std::{collections::HashMap, sync::Arc, time::Duration};

use warden_client::{api, signing::proof_arg, Client, Error, Wait};
use warden_daemon::Throttled;

use crate::{
	db::Phase,
	ops::{newest_proof, Wallet},
};

/// Best blocks after which an update not yet on chain is sent again.
pub const RETRY_BLOCKS: u64 = 3;

/// Runs until the database fails.
pub async fn run(wallet: Arc<Wallet>) -> Result<(), String> {
	let mut sent: HashMap<u64, u64> = HashMap::new();
	let mut failing = Throttled::default();
	loop {
		match step(&wallet, &mut sent).await {
			Ok(()) => failing.reset(),
			Err(Error::Wallet(database)) => return Err(database),
			Err(error) => {
				if failing.due() {
					tracing::warn!(%error, "defending failed; retrying");
				}
				if warden_daemon::node::is_connection_error(&error) {
					let _ = wallet.node.reconnect().await;
				}
			}
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

async fn step(wallet: &Wallet, sent: &mut HashMap<u64, u64>) -> Result<(), Error> {
	let client: Client = wallet.node.client().await;
	let best = client.at_best().await?.block_number();
	let finalized = client.at_finalized().await?.block_number();
	wallet.heads.set(best, finalized);
	let channels =
		wallet.db.channels().map_err(|e| Error::Wallet(format!("the database failed: {e}")))?;
	for (id, record) in channels.into_iter().filter(|(_, c)| c.needs_defence()) {
		let Phase::Closing { settle_from } = record.phase else { continue };
		if best.saturating_add(1) >= settle_from {
			continue;
		}
		if sent.get(&id).is_some_and(|at| best < at.saturating_add(RETRY_BLOCKS)) {
			continue;
		}
		let Some(proof) = newest_proof(id, &record)? else { continue };
		// The best block may hold it already (ours, or a monitor's).
		let on_chain = client.read(api::runtime_apis().channels_api().channel(id)).await?;
		if on_chain.is_none_or(|c| c.nonce >= proof.nonce) {
			sent.insert(id, best);
			continue;
		}
		sent.insert(id, best);
		let call = api::tx().channels().update(id, proof_arg(&proof));
		match client.submit(&call, &wallet.key, Wait::None, |_| {}).await {
			Ok(_) => tracing::warn!(channel = id, nonce = proof.nonce, "update submitted"),
			Err(error) if error.is_already_pooled() => {}
			Err(error) => tracing::warn!(channel = id, %error, "the update was not accepted"),
		}
	}
	Ok(())
}
