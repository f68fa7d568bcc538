//! Applies the events of every finalized block, in order, each exactly once: a block's
//! changes and the new cursor are committed in one transaction. After a restart it resumes
//! at the cursor and backfills what it missed. GRANDPA finality means nothing it applied is
//! ever reverted.

use std::{
	sync::{atomic::Ordering, Arc},
	time::Instant,
};

use warden_client::{
	api::{
		self,
		runtime_types::{
			pallet_warden_channels::pallet::Event as ChannelsEvent,
			pallet_warden_monitoring::pallet::Event as MonitoringEvent,
		},
	},
	AccountId32, BlockEvents,
};

use crate::{
	chain::{ChainView, Node, RpcChain},
	db::{Counter, Tx, UpdateRecord, UpdateStatus},
	intake::{intake, App, Source},
	wire::Parties,
};

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
	let cursor = || app.db.cursor().map_err(|e| e.to_string());
	warden_daemon::follow::run(&node, start, cursor, async |block| {
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
		Ok(())
	})
	.await
}

fn stand_down(
	tx: &Tx,
	channel: u64,
	record: &mut UpdateRecord,
	why: String,
) -> Result<(), redb::Error> {
	record.status = UpdateStatus::StoodDown;
	record.detail = why;
	tx.finish_update(channel, record, Some(Counter::UpdatesStoodDown)).map(|_| ())
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
			api::Event::Channels(ChannelsEvent::ChannelUpdated { channel, nonce, transferred }) => {
				let (channel, nonce, transferred) = (*channel, *nonce, *transferred);
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
						// A newer proof for the same amount leaves ours the one that brought the
						// channel there: still rewarded. One for more takes it.
						Some(update)
							if update.status == UpdateStatus::Accepted
								&& nonce > update.nonce && transferred > held.proof.transferred =>
						{
							update.status = UpdateStatus::Superseded;
							update.detail =
								format!("replaced by nonce {nonce} paying {transferred}");
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
			api::Event::Monitoring(MonitoringEvent::EscrowClaimable {
				channel,
				final_nonce,
				rewarded,
			}) => {
				// The chain names the monitor owed: the one whose update brought the channel
				// to its final amount (a newer proof for the same amount doesn't change it).
				let channel = *channel;
				if let Some(update) = tx.update(channel)? {
					if update.status == UpdateStatus::Accepted && rewarded.as_ref() == Some(me) {
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
						// `EscrowClaimable`, just before in the same block, noted the claim if
						// the reward is ours.
						UpdateStatus::Accepted if !tx.has_claim(channel)? => {
							update.status = UpdateStatus::Superseded;
							update.detail = format!(
								"the channel settled with nonce {nonce}, paying more than ours"
							);
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
			app.issued.saw_next_channel_id(next);
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

#[cfg(test)]
mod tests {
	use super::*;
	use crate::db::{Db, StoredProof};
	use warden_client::{
		api::runtime_types::pallet_warden_channels::types::Closer, signing, BlockId, EventRecord,
		Keypair, Scheme, H256,
	};

	const CHANNEL: u64 = 3;

	fn me() -> AccountId32 {
		AccountId32([9; 32])
	}

	fn other() -> AccountId32 {
		AccountId32([8; 32])
	}

	fn open() -> (tempfile::TempDir, Db) {
		let dir = tempfile::tempdir().expect("a temp dir");
		let db = Db::open(&dir.path().join("m.redb"), &[1; 32], &me().0).expect("opens");
		(dir, db)
	}

	fn hold(db: &Db, nonce: u64) {
		let key = |s: &str| Keypair::from_suri(s, Scheme::Sr25519).expect("dev key");
		let proof = signing::balance_proof(&key("//Ferdie"), H256([1; 32]), CHANNEL, nonce, 100);
		let authorization =
			signing::reward_authorization(&key("//Dave"), H256([1; 32]), &proof, 5, None);
		let stored = StoredProof {
			proof,
			authorization,
			sender: [1; 32],
			receiver: [2; 32],
			stored_at_ms: 0,
		};
		db.write(|tx| Tx(tx).put_proof(CHANNEL, &stored)).expect("writes");
	}

	fn record(event: api::Event) -> EventRecord {
		EventRecord {
			pallet: String::new(),
			name: String::new(),
			fields: serde_json::Value::Null,
			display: None,
			event,
			extrinsic: Some(1),
		}
	}

	fn apply(db: &Db, number: u64, events: Vec<api::Event>) -> Vec<u64> {
		let block = BlockEvents {
			block: BlockId { number, hash: H256([number as u8; 32]) },
			events: events.into_iter().map(record).collect(),
		};
		db.write(|tx| apply_block(&Tx(tx), &block, &me(), 10)).expect("applies")
	}

	fn closed(nonce: u64) -> api::Event {
		api::Event::Channels(ChannelsEvent::ChannelCloseStarted {
			channel: CHANNEL,
			closer: Closer::Sender,
			nonce,
			transferred: 10,
			settle_from: 120,
		})
	}

	fn updated(nonce: u64) -> api::Event {
		api::Event::Channels(ChannelsEvent::ChannelUpdated {
			channel: CHANNEL,
			nonce,
			transferred: 100,
		})
	}

	fn accepted(monitor: AccountId32, nonce: u64, superseded: Option<AccountId32>) -> api::Event {
		api::Event::Monitoring(MonitoringEvent::MonitorUpdateAccepted {
			channel: CHANNEL,
			monitor,
			payout: AccountId32([7; 32]),
			nonce,
			reward: 5,
			superseded,
		})
	}

	fn settled(nonce: u64) -> api::Event {
		api::Event::Channels(ChannelsEvent::ChannelSettled {
			channel: CHANNEL,
			nonce,
			to_receiver: 100,
			to_sender: 0,
		})
	}

	fn claimable(final_nonce: u64, rewarded: Option<AccountId32>) -> api::Event {
		api::Event::Monitoring(MonitoringEvent::EscrowClaimable {
			channel: CHANNEL,
			final_nonce,
			rewarded,
		})
	}

	fn status(db: &Db) -> Option<UpdateStatus> {
		db.update(CHANNEL).expect("reads").map(|r| r.status)
	}

	fn counter(db: &Db, which: Counter) -> u128 {
		db.counters().expect("reads").into_iter().find(|(c, _)| *c == which).map_or(0, |(_, n)| n)
	}

	#[test]
	fn a_close_with_an_older_proof_schedules_an_update_and_moves_the_cursor() {
		let (_dir, db) = open();
		hold(&db, 5);
		assert_eq!(apply(&db, 50, vec![closed(2)]), Vec::<u64>::new());
		assert_eq!(status(&db), Some(UpdateStatus::Scheduled));
		assert_eq!(db.due(0).expect("reads"), vec![(0, CHANNEL)]);
		assert_eq!(db.cursor().expect("reads"), Some(51));
		// A close of a channel without a proof is only noted.
		let (_dir, empty) = open();
		apply(&empty, 50, vec![closed(2)]);
		assert_eq!(status(&empty), None);
		assert!(empty.due(u64::MAX).expect("reads").is_empty());
	}

	#[test]
	fn a_receiver_update_as_new_as_ours_stands_the_scheduled_update_down() {
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2), updated(5)]);
		assert_eq!(status(&db), Some(UpdateStatus::StoodDown));
		assert!(db.due(u64::MAX).expect("reads").is_empty());
		assert_eq!(counter(&db, Counter::UpdatesStoodDown), 1);
	}

	#[test]
	fn an_older_update_while_nothing_is_scheduled_schedules_ours_again() {
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2)]);
		db.write(|tx| Tx(tx).unschedule(CHANNEL)).expect("writes");
		apply(&db, 51, vec![updated(3)]);
		assert_eq!(status(&db), Some(UpdateStatus::Scheduled));
		assert_eq!(db.due(u64::MAX).expect("reads").len(), 1);
	}

	#[test]
	fn our_update_accepted_then_claimable_then_claimed_is_rewarded_and_pruned() {
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2)]);
		apply(&db, 55, vec![updated(5), accepted(me(), 5, None)]);
		assert_eq!(status(&db), Some(UpdateStatus::Accepted));
		assert_eq!(db.update(CHANNEL).expect("reads").and_then(|r| r.accepted_in), Some(55));
		assert_eq!(counter(&db, Counter::UpdatesSucceeded), 1);
		// The chain tells the monitor owed, then settles (in this order, in one block).
		assert_eq!(apply(&db, 120, vec![claimable(5, Some(me())), settled(5)]), vec![CHANNEL]);
		assert_eq!(db.claims().expect("reads"), vec![(CHANNEL, 5)]);
		assert!(db.proof(CHANNEL).expect("reads").is_none(), "settled proofs are pruned");
		let claimed = api::Event::Monitoring(MonitoringEvent::RewardClaimed {
			channel: CHANNEL,
			monitor: me(),
			payout: AccountId32([7; 32]),
			amount: 5,
		});
		apply(&db, 121, vec![claimed]);
		assert_eq!(status(&db), Some(UpdateStatus::Rewarded));
		assert!(db.claims().expect("reads").is_empty());
		assert_eq!(counter(&db, Counter::RewardsEarned), 5);
		// Kept for `history_blocks` (10) after the settlement, then dropped.
		apply(&db, 130, vec![]);
		assert_eq!(status(&db), None);
	}

	#[test]
	fn another_monitors_newer_update_supersedes_ours() {
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2), updated(5), accepted(me(), 5, None)]);
		apply(&db, 52, vec![updated(6), accepted(other(), 6, Some(me()))]);
		assert_eq!(status(&db), Some(UpdateStatus::Superseded));
		// Another monitor's update of the same nonce as ours doesn't make ours accepted.
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2)]);
		db.write(|tx| {
			let tx = Tx(tx);
			let mut record = tx.update(CHANNEL)?.expect("scheduled");
			record.status = UpdateStatus::Submitted;
			tx.put_update(CHANNEL, &record)
		})
		.expect("writes");
		apply(&db, 51, vec![accepted(other(), 5, None)]);
		assert_eq!(status(&db), Some(UpdateStatus::Submitted));
	}

	#[test]
	fn a_receivers_newer_proof_for_the_same_amount_leaves_our_reward_to_claim() {
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2), updated(5), accepted(me(), 5, None)]);
		// The receiver's nonce 6 pays the same: the chain still names us.
		apply(&db, 52, vec![updated(6)]);
		apply(&db, 120, vec![claimable(6, Some(me())), settled(6)]);
		assert_eq!(status(&db), Some(UpdateStatus::Accepted));
		assert_eq!(db.claims().expect("reads"), vec![(CHANNEL, 6)]);
		// Had it paid more, no monitor would be owed.
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2), updated(5), accepted(me(), 5, None)]);
		apply(&db, 120, vec![claimable(6, None), settled(6)]);
		assert_eq!(status(&db), Some(UpdateStatus::Superseded));
		assert!(db.claims().expect("reads").is_empty());
	}

	#[test]
	fn settling_before_our_update_fails_it_and_clears_the_channel() {
		let (_dir, db) = open();
		hold(&db, 5);
		apply(&db, 50, vec![closed(2)]);
		assert_eq!(apply(&db, 120, vec![settled(2)]), vec![CHANNEL]);
		assert_eq!(status(&db), Some(UpdateStatus::Failed));
		assert_eq!(counter(&db, Counter::UpdatesFailed), 1);
		assert!(db.due(u64::MAX).expect("reads").is_empty());
		assert!(db.proof(CHANNEL).expect("reads").is_none());
	}
}
