//! Applies the events of every finalized block, in order, each exactly once: a block's
//! changes and the new cursor are committed in one transaction. After a restart it resumes
//! at the cursor and backfills what it missed. GRANDPA finality means nothing it applied is
//! ever reverted.

use std::{
	sync::{atomic::Ordering, Arc},
	time::{Duration, Instant},
};

use warden_client::{
	api::{
		self,
		runtime_types::{
			pallet_warden_channels::pallet::Event as ChannelsEvent,
			pallet_warden_monitoring::pallet::Event as MonitoringEvent,
		},
	},
	AccountId32, BlockEvents, FinalizedEvents,
};

use crate::{
	chain::{ChainView, Node, RpcChain, Throttled},
	db::{Counter, Tx, UpdateRecord, UpdateStatus},
	intake::{intake, App, Source},
	wire::Parties,
};

/// How long to wait before reconnecting after the node failed.
const RETRY: Duration = Duration::from_secs(1);

/// The most pending proofs re-checked after one finalized block: those of channels the
/// chain has issued since, or whose escrow wasn't funded yet. More wait for the next block.
pub const RECHECKS_PER_BLOCK: usize = 32;

/// The most expired pending proofs dropped after one finalized block; more wait for the
/// next block.
pub const EXPIRIES_PER_BLOCK: usize = 1024;

/// Follows finalized blocks from the database's cursor (or `start` on a new database)
/// until the database fails.
pub async fn run(
	app: Arc<App<RpcChain>>,
	node: Arc<Node>,
	start: u64,
	history_blocks: u64,
) -> Result<(), String> {
	let me = app.settings.me;
	let mut rechecked_up_to = None;
	let mut failing = Throttled::default();
	loop {
		let next = app.db.cursor().map_err(|e| e.to_string())?.unwrap_or(start);
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
			let started = Instant::now();
			let number = block.block.number;
			let settled = app
				.db
				.write(|tx| apply_block(&Tx(tx), &block, &me, history_blocks))
				.map_err(|e| format!("applying block {number} failed: {e}"))?;
			for channel in settled {
				app.chain.forget(channel);
			}
			app.metrics.processed.store(number, Ordering::Relaxed);
			app.heads.finalized_at_least(number);
			rechecked_up_to = recheck_pending(&app, rechecked_up_to).await?;
			app.metrics.block.observe(started.elapsed());
		}
	}
}

fn stand_down(
	tx: &Tx,
	channel: u64,
	record: &mut UpdateRecord,
	why: String,
) -> Result<(), redb::Error> {
	record.status = UpdateStatus::StoodDown;
	record.detail = why;
	tx.put_update(channel, record)?;
	tx.unschedule(channel)?;
	tx.bump(Counter::UpdatesStoodDown, 1)
}

/// Applies one finalized block's events and moves the cursor past it; returns the channels
/// that settled.
pub fn apply_block(
	tx: &Tx,
	block: &BlockEvents,
	me: &AccountId32,
	history_blocks: u64,
) -> Result<Vec<u64>, redb::Error> {
	let number = block.block.number;
	let mut settled = Vec::new();
	for record in &block.events {
		match &record.event {
			api::Event::Channels(ChannelsEvent::ChannelCloseStarted { channel, .. }) => {
				let channel = *channel;
				tx.set_closing(channel, number)?;
				if let Some(held) = tx.proof(channel)? {
					tracing::info!(
						channel,
						nonce = held.proof.nonce,
						"a channel we hold a proof for is closing"
					);
					let record = UpdateRecord::new(held.proof.nonce, held.authorization.reward);
					tx.put_update(channel, &record)?;
					tx.schedule(channel, 0)?;
				}
			}
			api::Event::Channels(ChannelsEvent::ChannelUpdated { channel, nonce, .. }) => {
				let (channel, nonce) = (*channel, *nonce);
				let Some(held) = tx.proof(channel)? else { continue };
				let mut update = tx.update(channel)?;
				if nonce >= held.proof.nonce {
					match &mut update {
						Some(update) if update.status == UpdateStatus::Scheduled => stand_down(
							tx,
							channel,
							update,
							format!("the chain holds nonce {nonce}, ours is {}", held.proof.nonce),
						)?,
						Some(update)
							if update.status == UpdateStatus::Accepted && nonce > update.nonce =>
						{
							update.status = UpdateStatus::Superseded;
							update.detail = format!("replaced by nonce {nonce}");
							tx.put_update(channel, update)?;
						}
						_ => {}
					}
				} else if tx.is_closing(channel)? && !tx.is_scheduled(channel)? {
					// The chain holds an older proof than ours: act (again).
					let act = update.as_ref().is_none_or(|u| {
						u.nonce < held.proof.nonce || u.status == UpdateStatus::Scheduled
					});
					if act {
						let record = UpdateRecord::new(held.proof.nonce, held.authorization.reward);
						tx.put_update(channel, &record)?;
						tx.schedule(channel, 0)?;
					}
				}
			}
			api::Event::Monitoring(MonitoringEvent::MonitorUpdateAccepted {
				channel,
				monitor,
				nonce,
				superseded,
				..
			}) => {
				let channel = *channel;
				let Some(mut update) = tx.update(channel)? else { continue };
				if monitor == me && *nonce == update.nonce {
					tracing::info!(channel, nonce, block = number, "our update is final");
					update.status = UpdateStatus::Accepted;
					update.accepted_in = Some(number);
					update.detail.clear();
					tx.put_update(channel, &update)?;
					tx.unschedule(channel)?;
					tx.bump(Counter::UpdatesSucceeded, 1)?;
				} else if superseded.as_ref() == Some(me) && update.status == UpdateStatus::Accepted
				{
					update.status = UpdateStatus::Superseded;
					update.detail = format!("replaced by {monitor}'s update with nonce {nonce}");
					tx.put_update(channel, &update)?;
				}
			}
			api::Event::Monitoring(MonitoringEvent::EscrowClaimable { channel, final_nonce }) => {
				let channel = *channel;
				if let Some(update) = tx.update(channel)? {
					if update.status == UpdateStatus::Accepted && update.nonce == *final_nonce {
						tracing::info!(channel, "the reward is claimable");
						tx.add_claim(channel, *final_nonce)?;
					}
				}
			}
			api::Event::Monitoring(MonitoringEvent::RewardClaimed {
				channel,
				monitor,
				amount,
				..
			}) => {
				let channel = *channel;
				if monitor != me {
					continue;
				}
				tracing::info!(channel, amount, "reward claimed");
				tx.remove_claim(channel)?;
				tx.bump(Counter::RewardsClaimed, 1)?;
				tx.bump(Counter::RewardsEarned, *amount)?;
				if let Some(mut update) = tx.update(channel)? {
					update.status = UpdateStatus::Rewarded;
					update.claimed = Some(*amount);
					tx.put_update(channel, &update)?;
				}
			}
			api::Event::Channels(ChannelsEvent::ChannelSettled { channel, nonce, .. }) => {
				let channel = *channel;
				settled.push(channel);
				tx.remove_closing(channel)?;
				tx.unschedule(channel)?;
				tx.remove_all_pending(channel)?;
				let held = tx.remove_proof(channel)?;
				if let Some(mut update) = tx.update(channel)? {
					match update.status {
						UpdateStatus::Scheduled | UpdateStatus::Submitted => {
							update.status = UpdateStatus::Failed;
							update.detail = format!("the channel settled with nonce {nonce} first");
							tx.bump(Counter::UpdatesFailed, 1)?;
						}
						UpdateStatus::Accepted if update.nonce != *nonce => {
							update.status = UpdateStatus::Superseded;
							update.detail = format!("the channel settled with nonce {nonce}");
						}
						_ => {}
					}
					tx.put_update(channel, &update)?;
					tx.prune_at(number.saturating_add(history_blocks), channel)?;
				}
				if held.is_some() {
					tracing::info!(channel, nonce, "channel settled; its proof is pruned");
				}
			}
			_ => {}
		}
	}
	tx.prune_up_to(number)?;
	tx.set_cursor(number.saturating_add(1))?;
	Ok(settled)
}

/// Checks the proofs held for channels not issued yet, with work bounded whatever the
/// API was sent: drops those expired by the chain's finalized head (at most
/// [`EXPIRIES_PER_BLOCK`]), reads `NextChannelId` once, and re-checks at most
/// [`RECHECKS_PER_BLOCK`] of those whose id the chain has issued, after the last one
/// re-checked (`after`), storing the ones that pass every check. Ids not issued yet cost
/// nothing. A proof whose channel exists but whose escrow doesn't cover the reward yet is
/// held until it expires, since receivers fund the escrow after the channel opens. Returns
/// the last channel re-checked.
async fn recheck_pending(app: &App<RpcChain>, after: Option<u64>) -> Result<Option<u64>, String> {
	let finalized = app.heads.finalized();
	let dropped = app
		.db
		.write(|tx| {
			let tx = Tx(tx);
			let dropped = tx.drop_expired_pending(finalized, EXPIRIES_PER_BLOCK)?;
			if dropped > 0 {
				tx.bump(Counter::PendingDropped, u128::from(dropped))?;
			}
			Ok(dropped)
		})
		.map_err(|e| e.to_string())?;
	if dropped > 0 {
		tracing::info!(dropped, finalized, "pending proofs whose channel never appeared: dropped");
	}
	let next = match app.chain.next_channel_id().await {
		Ok(next) => {
			app.heads.saw_next_channel_id(next);
			next
		}
		Err(error) => {
			tracing::debug!(%error, "pending proofs not checked this block");
			return Ok(after);
		}
	};
	let due = app.db.pending_below(next, after, RECHECKS_PER_BLOCK).map_err(|e| e.to_string())?;
	let mut last = after;
	for (channel, held) in due {
		last = Some(channel);
		let parties = held.parties();
		let claimed = Parties { sender: held.sender.into(), receiver: held.receiver.into() };
		match intake(app, held.proof, held.authorization, Some(claimed), Source::Pending).await {
			Ok(_) => tracing::info!(channel, "a pending proof's channel appeared: stored"),
			// The receiver may fund the escrow in a later block than the opening.
			Err(refusal) if refusal.code == "reward_over_escrow" && finalized < held.expires_at => {
				tracing::debug!(channel, "a pending proof's escrow is short; held")
			}
			Err(refusal) if refusal.code == "node_unavailable" => {
				tracing::debug!(channel, %refusal, "pending proof not checked this block");
				return Ok(after);
			}
			Err(refusal) => {
				tracing::info!(channel, %refusal, "a pending proof's channel appeared: refused");
				app.db
					.write(|tx| Tx(tx).remove_pending(channel, &parties))
					.map_err(|e| e.to_string())?;
				app.metrics.refused(refusal.code);
			}
		}
	}
	Ok(last)
}
