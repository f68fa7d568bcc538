//! Acts on best blocks: sends due updates in their slot (never after the window's end minus
//! the safety margin), claims rewards the watcher found claimable, renews the registration.
//!
//! Every decision reads the chain first, through the runtime APIs: a channel the chain
//! already holds a proof at least as new for gets no transaction. An attempt is committed to
//! the database before its transaction is sent, so a restart knows it was sent.

use std::{
	collections::HashSet,
	sync::{Arc, Mutex},
	time::Duration,
};

use warden_client::{
	api::{self, runtime_types::warden_primitives::channels::ChannelPhase},
	signing, AccountId32, Error, Keypair, Progress, Wait,
};

use crate::{
	chain::{now_ms, Node, RpcChain, Throttled},
	db::{Counter, StoredProof, Tx, UpdateRecord, UpdateStatus},
	intake::App,
};

/// How often the best block is polled.
const POLL: Duration = Duration::from_millis(500);

/// The longest a transaction is waited for, whatever the window.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// Blocks after sending at which a sent update is checked again if nothing happened.
const RECHECK_AFTER: u64 = 3;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Work {
	Update(u64),
	Claim(u64),
	Renew,
}

/// The actor.
pub struct Actor {
	/// The API's state (database, metrics, settings).
	pub app: Arc<App<RpcChain>>,
	/// The node.
	pub node: Arc<Node>,
	/// The monitor's key.
	pub key: Keypair,
	/// Blocks before a window's end after which no update is sent.
	pub safety_margin: u64,
	/// Renew when fewer blocks than this are left of the registration.
	pub renew_before: u64,
	inflight: Arc<Mutex<HashSet<Work>>>,
}

/// What `read` of `what` for `channel` answered, or `None` (logged) if the node didn't: the
/// update stays due, so the next best block tries again.
async fn retry_next_block<T>(
	channel: u64,
	what: &str,
	read: impl std::future::Future<Output = Result<T, Error>>,
) -> Option<T> {
	match read.await {
		Ok(value) => Some(value),
		Err(error) => {
			tracing::warn!(channel, %error, "can't read {what}; retrying next block");
			None
		}
	}
}

fn db_error(e: redb::Error) -> String {
	format!("the database failed: {e}")
}

impl Actor {
	/// An actor for the monitor `key`.
	pub fn new(
		app: Arc<App<RpcChain>>,
		node: Arc<Node>,
		key: Keypair,
		safety_margin: u64,
		renew_before: u64,
	) -> Self {
		Self { app, node, key, safety_margin, renew_before, inflight: Default::default() }
	}

	fn me(&self) -> AccountId32 {
		self.app.settings.me
	}

	/// Whether `work` is under way (or the set can't be read: then nothing starts).
	fn busy(&self, work: Work) -> bool {
		self.inflight.lock().map(|set| set.contains(&work)).unwrap_or(true)
	}

	fn begin(&self, work: Work) -> bool {
		self.inflight.lock().map(|mut set| set.insert(work)).unwrap_or(false)
	}

	/// Runs until the database fails.
	pub async fn run(self) -> Result<(), String> {
		let mut last_best = None;
		let mut unreachable = Throttled::default();
		loop {
			tokio::time::sleep(POLL).await;
			let heads = self.node.call(|client| async move { client.heads().await }).await;
			let (best, finalized) = match heads {
				Ok(heads) => {
					if let Some(since) = self.app.heads.node_up() {
						let seconds = now_ms().saturating_sub(since) / 1000;
						tracing::info!(seconds, "the node answers again");
					}
					unreachable.reset();
					heads
				}
				Err(error) => {
					self.app.heads.node_down(now_ms());
					if unreachable.due() {
						tracing::warn!(%error, "the node doesn't answer; retrying");
					}
					continue;
				}
			};
			self.app.heads.set(best, finalized);
			if last_best == Some(best) {
				continue;
			}
			last_best = Some(best);
			self.updates(best).await?;
			self.claims().await?;
			self.registration(best).await;
		}
	}

	async fn updates(&self, best: u64) -> Result<(), String> {
		// A transaction sent now is in the next block at the earliest.
		let due = self.app.db.due(best.saturating_add(1)).map_err(db_error)?;
		for (_, channel) in due {
			if self.busy(Work::Update(channel)) {
				continue;
			}
			self.update(best, channel).await?;
		}
		Ok(())
	}

	fn write<T>(&self, f: impl FnOnce(&Tx) -> Result<T, redb::Error>) -> Result<T, String> {
		self.app.db.write(|tx| f(&Tx(tx))).map_err(db_error)
	}

	async fn update(&self, best: u64, channel: u64) -> Result<(), String> {
		let Some(stored) = self.app.db.proof(channel).map_err(db_error)? else {
			return self.write(|tx| tx.unschedule(channel));
		};
		let read = self.node.call(|client| async move {
			client.read(api::runtime_apis().channels_api().channel(channel)).await
		});
		let Some(info) = retry_next_block(channel, "the channel", read).await else {
			return Ok(());
		};
		// Settled or not closing: the watcher records what happened, a close schedules again.
		let Some(info) = info else { return self.write(|tx| tx.unschedule(channel)) };
		let ChannelPhase::Closing { closed_at, settle_from } = info.phase else {
			return self.write(|tx| tx.unschedule(channel));
		};
		let (closed_at, settle_from) = (u64::from(closed_at), u64::from(settle_from));
		let mut record = self
			.app
			.db
			.update(channel)
			.map_err(db_error)?
			.filter(|r| r.nonce == stored.proof.nonce)
			.unwrap_or_else(|| UpdateRecord::new(stored.proof.nonce, stored.authorization.reward));
		if info.nonce >= stored.proof.nonce || info.transferred >= stored.proof.transferred {
			return self.write(|tx| {
				tx.unschedule(channel)?;
				if record.status == UpdateStatus::Scheduled {
					record.status = UpdateStatus::StoodDown;
					record.detail = format!(
						"the chain already holds nonce {} paying {}: ours (nonce {}) adds nothing",
						info.nonce, info.transferred, stored.proof.nonce
					);
					tracing::info!(channel, "standing down: {}", record.detail);
					tx.put_update(channel, &record)?;
					tx.bump(Counter::UpdatesStoodDown, 1)?;
				}
				Ok(())
			});
		}
		let me = self.me();
		let slot = if stored.authorization.monitor.is_some() {
			// Named in the authorization: no race to arbitrate, act from the close on.
			closed_at
		} else {
			let slot = self
				.node
				.call(|client| async move {
					client
						.read(api::runtime_apis().monitoring_api().first_allowed_block(channel, me))
						.await
				})
				.await;
			match slot {
				Ok(Some(slot)) => u64::from(slot),
				Ok(None) => return self.write(|tx| tx.unschedule(channel)),
				Err(error) => {
					tracing::warn!(channel, %error, "can't read the slot; retrying next block");
					return Ok(());
				}
			}
		};
		if best.saturating_add(1) < slot {
			record.slot = Some(slot);
			return self.write(|tx| {
				tx.put_update(channel, &record)?;
				// Sent at the block before the slot, to be included in it.
				tx.schedule(channel, slot.saturating_sub(1))
			});
		}
		// The window ends before `settle_from`; keep `safety_margin` blocks for inclusion.
		let last_send = settle_from.saturating_sub(1).saturating_sub(self.safety_margin);
		if best.saturating_add(1) > last_send {
			return self.write(|tx| {
				tx.unschedule(channel)?;
				if record.status == UpdateStatus::Scheduled
					|| record.status == UpdateStatus::Submitted
				{
					record.status = UpdateStatus::Failed;
					record.detail = format!(
						"the window ends before block {settle_from}: too late to send at best block {best}"
					);
					tracing::warn!(channel, "{}", record.detail);
					tx.put_update(channel, &record)?;
					tx.bump(Counter::UpdatesFailed, 1)?;
				}
				Ok(())
			});
		}
		// The receiver may have withdrawn the escrow since the proof was stored: then the
		// chain would refuse the update and the monitor would only pay its fee.
		let read = self.node.call(|client| async move {
			client.read(api::runtime_apis().monitoring_api().escrow_balance(channel)).await
		});
		let Some(escrow) = retry_next_block(channel, "the escrow", read).await else {
			return Ok(());
		};
		if escrow < stored.authorization.reward {
			return self.write(|tx| {
				tx.unschedule(channel)?;
				record.status = UpdateStatus::StoodDown;
				record.detail = format!(
					"the escrow holds {escrow} planck, less than the reward {}: the update \
					 would be refused",
					stored.authorization.reward
				);
				tracing::info!(channel, "standing down: {}", record.detail);
				tx.put_update(channel, &record)?;
				tx.bump(Counter::UpdatesStoodDown, 1)
			});
		}
		record.slot = Some(slot);
		record.status = UpdateStatus::Submitted;
		record.attempts = record.attempts.saturating_add(1);
		record.sent_at = Some(best);
		self.write(|tx| {
			tx.put_update(channel, &record)?;
			tx.schedule(channel, best.saturating_add(RECHECK_AFTER))?;
			tx.bump(Counter::UpdatesSubmitted, 1)
		})?;
		if !self.begin(Work::Update(channel)) {
			return Ok(());
		}
		tracing::info!(
			channel,
			nonce = stored.proof.nonce,
			best,
			slot,
			settle_from,
			"sending the update"
		);
		// Waited for at most until the window's end, at the chain's block time or faster.
		let wait = Duration::from_secs(6 * (last_send.saturating_sub(best).saturating_add(1)))
			.min(MAX_WAIT);
		self.spawn_update(channel, stored, best, wait);
		Ok(())
	}

	fn spawn_update(&self, channel: u64, stored: StoredProof, best: u64, wait: Duration) {
		let (app, node, key, inflight) =
			(self.app.clone(), self.node.clone(), self.key.clone(), self.inflight.clone());
		tokio::spawn(async move {
			let call = api::tx().monitoring().monitor_update(
				signing::proof_arg(&stored.proof),
				signing::authorization_arg(&stored.authorization),
				app.settings.payout,
			);
			let client = node.client().await;
			let hash = Arc::new(Mutex::new(None));
			let seen = hash.clone();
			let sent = tokio::time::timeout(
				wait,
				client.submit(&call, &key, Wait::InBlock, move |progress| {
					if let Progress::Submitted { extrinsic } = progress {
						if let Ok(mut seen) = seen.lock() {
							*seen = Some(extrinsic.0);
						}
					}
				}),
			)
			.await;
			let extrinsic = hash.lock().ok().and_then(|h| *h);
			let outcome = app.db.write(|tx| {
				let tx = Tx(tx);
				let Some(mut record) = tx.update(channel)? else { return Ok(()) };
				if extrinsic.is_some() {
					record.extrinsic = extrinsic;
				}
				match &sent {
					Ok(Ok(done)) => {
						tracing::info!(channel, block = ?done.block.map(|b| b.number), "update included");
					}
					Ok(Err(Error::Rejected { pallet, error, .. })) if error == "BeforeSlot" => {
						tracing::warn!(channel, "{pallet}::{error}: retrying next block");
						tx.schedule(channel, best.saturating_add(1))?;
					}
					Ok(Err(error)) if error.is_refusal() && !matches!(error, Error::Invalid(_)) => {
						tracing::warn!(channel, %error, "update refused");
						if record.status == UpdateStatus::Submitted {
							record.status = UpdateStatus::Failed;
							record.detail = error.to_string();
							tx.bump(Counter::UpdatesFailed, 1)?;
						}
						tx.unschedule(channel)?;
					}
					Ok(Err(error)) => {
						tracing::warn!(channel, %error, "sending the update failed; retrying next block");
						tx.schedule(channel, best.saturating_add(1))?;
					}
					Err(_) => {
						tracing::warn!(
							channel,
							"the update wasn't included in time; checking again next block"
						);
						tx.schedule(channel, best.saturating_add(1))?;
					}
				}
				tx.put_update(channel, &record)
			});
			if let Err(error) = outcome {
				tracing::error!(channel, %error, "recording the update failed");
			}
			if let Ok(mut set) = inflight.lock() {
				set.remove(&Work::Update(channel));
			}
		});
	}

	async fn claims(&self) -> Result<(), String> {
		for (channel, _) in self.app.db.claims().map_err(db_error)? {
			if self.busy(Work::Claim(channel)) {
				continue;
			}
			let escrow = self
				.node
				.call(|client| async move {
					client.read(api::runtime_apis().monitoring_api().escrow_balance(channel)).await
				})
				.await;
			match escrow {
				// Paid out already (by this monitor before a restart, or by anyone).
				Ok(0) => self.write(|tx| tx.remove_claim(channel))?,
				Ok(_) => {
					if self.begin(Work::Claim(channel)) {
						self.spawn_claim(channel);
					}
				}
				Err(error) => tracing::warn!(channel, %error, "can't read the escrow; retrying"),
			}
		}
		Ok(())
	}

	fn spawn_claim(&self, channel: u64) {
		let (app, node, key, inflight) =
			(self.app.clone(), self.node.clone(), self.key.clone(), self.inflight.clone());
		tokio::spawn(async move {
			tracing::info!(channel, "claiming the reward");
			let client = node.client().await;
			let call = api::tx().monitoring().claim_reward(channel);
			let sent =
				tokio::time::timeout(MAX_WAIT, client.submit(&call, &key, Wait::InBlock, |_| {}))
					.await;
			match sent {
				Ok(Ok(done)) => {
					let amount = done
						.event("Monitoring", "RewardClaimed")
						.map(|e| e.fields["amount"].clone());
					tracing::info!(channel, ?amount, "reward claim included");
				}
				Ok(Err(Error::Rejected { error, .. })) if error == "NoEscrow" => {
					let _ = app.db.write(|tx| Tx(tx).remove_claim(channel));
				}
				Ok(Err(error)) => tracing::warn!(channel, %error, "claiming failed; retrying"),
				Err(_) => tracing::warn!(channel, "the claim wasn't included in time; retrying"),
			}
			if let Ok(mut set) = inflight.lock() {
				set.remove(&Work::Claim(channel));
			}
		});
	}

	async fn registration(&self, best: u64) {
		if self.busy(Work::Renew) {
			return;
		}
		let me = self.me();
		let info = self
			.node
			.call(|client| async move {
				client.read(api::runtime_apis().monitoring_api().monitor(me)).await
			})
			.await;
		let info = match info {
			Ok(Some(info)) => info,
			Ok(None) => {
				tracing::error!(
					"this account is no longer a registered monitor: updates will be refused"
				);
				return;
			}
			Err(_) => return,
		};
		if info.release_at.is_some() {
			return;
		}
		let left = u64::from(info.valid_until).saturating_sub(best);
		if left > self.renew_before || !self.begin(Work::Renew) {
			return;
		}
		let (app, node, key, inflight) =
			(self.app.clone(), self.node.clone(), self.key.clone(), self.inflight.clone());
		tokio::spawn(async move {
			tracing::info!(valid_until = info.valid_until, "renewing the registration");
			let client = node.client().await;
			let call = api::tx().monitoring().renew_monitor(0);
			match tokio::time::timeout(MAX_WAIT, client.submit(&call, &key, Wait::InBlock, |_| {}))
				.await
			{
				Ok(Ok(_)) => {
					let _ = app.db.write(|tx| Tx(tx).bump(Counter::Renewals, 1));
					tracing::info!("registration renewed");
				}
				Ok(Err(error)) => tracing::warn!(%error, "renewing failed; retrying"),
				Err(_) => tracing::warn!("the renewal wasn't included in time; retrying"),
			}
			if let Ok(mut set) = inflight.lock() {
				set.remove(&Work::Renew);
			}
		});
	}
}
