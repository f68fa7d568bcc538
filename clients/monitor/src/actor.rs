//! Acts on best blocks: sends due updates in their slot (never after the window's end minus
//! the safety margin), claims rewards the watcher found claimable, renews the registration.
//!
//! Every decision reads the chain first, at one best block, and [`crate::lifecycle::decide`]
//! makes it: a channel the chain already holds a proof at least as new for gets no
//! transaction. An update transaction is signed to die with the challenge window and
//! committed to the database before it is sent, so a restart sends the same bytes again
//! rather than a second transaction.

use std::{
	collections::HashSet,
	sync::{Arc, Mutex},
	time::Duration,
};

use warden_client::{
	api::{self, runtime_types::warden_primitives::channels::ChannelPhase},
	signing, AccountId32, Client, Error, Keypair, Progress, Signed, TxOptions, Wait, H256,
};

use crate::{
	chain::{now_ms, Node, RpcChain, Throttled},
	db::{Counter, SentUpdate, StoredProof, Tx, UpdateRecord, UpdateStatus},
	intake::App,
	lifecycle::{decide, Action, Held, OnChain, Sent, View},
};

/// How often the best block is polled.
const POLL: Duration = Duration::from_millis(500);

/// The longest a transaction is waited for, whatever the window.
const MAX_WAIT: Duration = Duration::from_secs(60);

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
	/// With `--min-reward auto`: the best block at which the fee is read again.
	next_fee_read: Mutex<u64>,
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

/// The chain's fee for a `monitor_update` by `key` now: the most of the three signature
/// schemes a proof may come in, with a named monitor (the longest encoding).
pub async fn update_fee(client: &Client, key: &Keypair) -> Result<u128, Error> {
	use api::runtime_types::warden_primitives::channels::{BalanceProof, RewardAuthorization};
	use signing::SignatureArg;
	let me = key.account_id();
	let mut fee = 0u128;
	for signature in [
		SignatureArg::Sr25519([0; 64]),
		SignatureArg::Ed25519([0; 64]),
		SignatureArg::Ecdsa([0; 65]),
	] {
		let proof =
			BalanceProof { channel: 0, nonce: 1, transferred: 1, signature: signature.clone() };
		let authorization = RewardAuthorization {
			channel: 0,
			nonce: 1,
			reward: 1,
			proof_signature_hash: H256([0; 32]),
			monitor: Some(me),
			signature,
		};
		let call = api::tx().monitoring().monitor_update(proof, authorization, me);
		fee = fee.max(client.estimate_fee(&call, key).await?);
	}
	Ok(fee)
}

/// The update's fee ([`update_fee`]) and the rewards era's length in blocks (at least one):
/// what `--min-reward auto` follows, and how often it reads it.
pub async fn fee_and_era(client: &Client, key: &Keypair) -> Result<(u128, u64), Error> {
	let fee = update_fee(client, key).await?;
	let params = client.read(api::runtime_apis().rewards_api().reward_params()).await?;
	Ok((fee, u64::from(params.era_length).max(1)))
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
		Self {
			app,
			node,
			key,
			safety_margin,
			renew_before,
			inflight: Default::default(),
			next_fee_read: Mutex::new(0),
		}
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
			self.follow_fee(best).await;
			self.updates(best).await?;
			self.claims().await?;
			self.registration(best).await;
		}
	}

	/// With `--min-reward auto`, sets the minimum reward from the chain's fee once a rewards
	/// era (a fee multiplier may move it; a runtime upgrade may change the weights).
	async fn follow_fee(&self, best: u64) {
		if self.app.settings.min_reward.auto_margin.is_none() {
			return;
		}
		let due = self.next_fee_read.lock().map(|next| best >= *next).unwrap_or(false);
		if !due {
			return;
		}
		let key = self.key.clone();
		let read = self
			.node
			.call(|client| {
				let key = key.clone();
				async move { fee_and_era(&client, &key).await }
			})
			.await;
		match read {
			Ok((fee, era_length)) => {
				if let Some(min) = self.app.settings.min_reward.follow_fee(fee) {
					tracing::info!(fee, min_reward = min, "the minimum reward follows the fee");
				}
				self.read_fee_at(best.saturating_add(era_length));
			}
			Err(error) => tracing::warn!(%error, "can't read the update's fee; trying next block"),
		}
	}

	/// With `--min-reward auto`: reads the fee again at best block `block`.
	pub fn read_fee_at(&self, block: u64) {
		if let Ok(mut next) = self.next_fee_read.lock() {
			*next = block;
		}
	}

	async fn updates(&self, best: u64) -> Result<(), String> {
		// A transaction sent now is in the next block at the earliest.
		let due = self.app.db.due(best.saturating_add(1)).map_err(db_error)?;
		for (_, channel) in due {
			if self.busy(Work::Update(channel)) {
				continue;
			}
			self.update(channel).await?;
		}
		Ok(())
	}

	fn write<T>(&self, f: impl FnOnce(&Tx) -> Result<T, redb::Error>) -> Result<T, String> {
		self.app.db.write(|tx| f(&Tx(tx))).map_err(db_error)
	}

	/// Reads what [`decide`] needs for `channel`, all at one best block.
	async fn view(
		&self,
		channel: u64,
		stored: &StoredProof,
		record: &UpdateRecord,
		sent: Option<&SentUpdate>,
	) -> Result<View, Error> {
		let me = self.me();
		let named = stored.authorization.monitor.is_some();
		let (best, info, first_allowed, escrow, account_nonce) = self
			.node
			.call(|client| async move {
				let at = client.at_best().await?;
				let apis = at.runtime_apis();
				let info = apis
					.call(api::runtime_apis().channels_api().channel(channel))
					.await
					.map_err(Error::rpc)?;
				let first_allowed = if named {
					None
				} else {
					apis.call(api::runtime_apis().monitoring_api().first_allowed_block(channel, me))
						.await
						.map_err(Error::rpc)?
				};
				let escrow = apis
					.call(api::runtime_apis().monitoring_api().escrow_balance(channel))
					.await
					.map_err(Error::rpc)?;
				let account_nonce = apis
					.call(api::runtime_apis().account_nonce_api().account_nonce(me))
					.await
					.map_err(Error::rpc)?;
				Ok((at.block_number(), info, first_allowed, escrow, account_nonce))
			})
			.await?;
		Ok(View {
			best,
			held: Held {
				nonce: stored.proof.nonce,
				transferred: stored.proof.transferred,
				reward: stored.authorization.reward,
				named,
			},
			status: record.status,
			sent: sent.map(|sent| Sent {
				account_nonce: sent.account_nonce,
				last_block: sent.last_block,
			}),
			channel: info.map(|info| OnChain {
				nonce: info.nonce,
				transferred: info.transferred,
				closing: match info.phase {
					ChannelPhase::Closing { closed_at, settle_from } => {
						Some((u64::from(closed_at), u64::from(settle_from)))
					}
					_ => None,
				},
			}),
			first_allowed: first_allowed.map(u64::from),
			escrow,
			account_nonce: u64::from(account_nonce),
			safety_margin: self.safety_margin,
		})
	}

	/// Looks at the update of `channel` and does what [`decide`] says.
	async fn update(&self, channel: u64) -> Result<(), String> {
		let Some(stored) = self.app.db.proof(channel).map_err(db_error)? else {
			return self.write(|tx| tx.unschedule(channel));
		};
		let nonce = stored.proof.nonce;
		let mut record = self
			.app
			.db
			.update(channel)
			.map_err(db_error)?
			.filter(|r| r.nonce == nonce)
			.unwrap_or_else(|| UpdateRecord::new(nonce, stored.authorization.reward));
		let sent = self.app.db.sent(channel).map_err(db_error)?.filter(|s| s.proof_nonce == nonce);
		let read = self.view(channel, &stored, &record, sent.as_ref());
		let Some(view) = retry_next_block(channel, "the chain", read).await else {
			return Ok(());
		};
		let best = view.best;
		match decide(&view) {
			Action::Unschedule => self.write(|tx| tx.unschedule(channel)),
			Action::StandDown(why) => {
				tracing::info!(channel, "standing down: {why}");
				self.finish(channel, record, UpdateStatus::StoodDown, why)
			}
			Action::GiveUp(why) => {
				tracing::warn!(channel, "{why}");
				self.finish(channel, record, UpdateStatus::Failed, why)
			}
			Action::WaitUntil { at, slot } => {
				record.slot = Some(slot);
				self.write(|tx| {
					tx.put_update(channel, &record)?;
					tx.schedule(channel, at)
				})
			}
			Action::Resend { recheck_at } => {
				self.write(|tx| tx.schedule(channel, recheck_at))?;
				let Some(sent) = sent else { return Ok(()) };
				if self.begin(Work::Update(channel)) {
					tracing::info!(
						channel,
						extrinsic = ?H256(sent.hash),
						"our update may still be included: sending the same transaction again"
					);
					self.spawn_send(channel, sent, best);
				}
				Ok(())
			}
			Action::Send { last_block, slot, recheck_at } => {
				self.send(channel, &stored, record, best, last_block, slot, recheck_at).await
			}
		}
	}

	/// Ends the update of `channel` with `status`, for `why`.
	fn finish(
		&self,
		channel: u64,
		mut record: UpdateRecord,
		status: UpdateStatus,
		why: String,
	) -> Result<(), String> {
		record.status = status;
		record.detail = why;
		let counter = match status {
			UpdateStatus::StoodDown => Some(Counter::UpdatesStoodDown),
			UpdateStatus::Failed => Some(Counter::UpdatesFailed),
			_ => None,
		};
		self.write(|tx| tx.finish_update(channel, &record, counter).map(|_| ()))
	}

	/// Signs an update that can't be included after `last_block`, records it, and sends it.
	#[allow(clippy::too_many_arguments)]
	async fn send(
		&self,
		channel: u64,
		stored: &StoredProof,
		mut record: UpdateRecord,
		best: u64,
		last_block: u64,
		slot: u64,
		recheck_at: u64,
	) -> Result<(), String> {
		if self.busy(Work::Update(channel)) {
			return Ok(());
		}
		let call = api::tx().monitoring().monitor_update(
			signing::proof_arg(&stored.proof),
			signing::authorization_arg(&stored.authorization),
			self.app.settings.payout,
		);
		let (key, me) = (self.key.clone(), self.me());
		let signed = self
			.node
			.call(|client| {
				let (call, key) = (call.clone(), key.clone());
				async move {
					let nonce = client.next_nonce(&me).await?;
					let options = TxOptions {
						nonce: Some(nonce),
						last_block: Some(last_block),
						..Default::default()
					};
					client.sign(&call, &key, options).await
				}
			})
			.await;
		let Some(signed) = retry_next_block(channel, "a signing block", async { signed }).await
		else {
			return Ok(());
		};
		if signed.last_block > last_block {
			// Fewer blocks are left than the shortest mortality: it could outlive the window.
			let why = format!(
				"the window's last block is {last_block}: too near for a transaction that ends \
				 with it"
			);
			tracing::warn!(channel, "{why}");
			return self.finish(channel, record, UpdateStatus::Failed, why);
		}
		let sent = SentUpdate {
			proof_nonce: stored.proof.nonce,
			hash: signed.hash.0,
			account_nonce: signed.nonce,
			last_block: signed.last_block,
			bytes: signed.bytes,
		};
		record.slot = Some(slot);
		record.status = UpdateStatus::Submitted;
		record.attempts = record.attempts.saturating_add(1);
		record.sent_at = Some(best);
		record.extrinsic = Some(sent.hash);
		// Recorded before it is sent: after a crash the monitor finds it and never sends a
		// second one beside it.
		self.write(|tx| {
			tx.put_update(channel, &record)?;
			tx.put_sent(channel, &sent)?;
			tx.schedule(channel, recheck_at)?;
			tx.bump(Counter::UpdatesSubmitted, 1)
		})?;
		if self.begin(Work::Update(channel)) {
			tracing::info!(
				channel,
				nonce = stored.proof.nonce,
				best,
				slot,
				last_block = sent.last_block,
				extrinsic = ?signed.hash,
				"sending the update"
			);
			self.spawn_send(channel, sent, best);
		}
		Ok(())
	}

	/// Sends (or sends again) the recorded update of `channel` and records the outcome.
	fn spawn_send(&self, channel: u64, sent: SentUpdate, best: u64) {
		let (app, node, inflight) = (self.app.clone(), self.node.clone(), self.inflight.clone());
		// Waited for at most until it can no longer be included, at the chain's block time
		// or faster.
		let wait = Duration::from_secs(6 * sent.last_block.saturating_sub(best).saturating_add(1))
			.min(MAX_WAIT);
		tokio::spawn(async move {
			let client = node.client().await;
			let signed = Signed {
				hash: H256(sent.hash),
				nonce: sent.account_nonce,
				last_block: sent.last_block,
				bytes: sent.bytes.clone(),
			};
			let outcome = tokio::time::timeout(
				wait,
				client.submit_signed(&signed, Wait::InBlock, |progress| {
					if let Progress::Submitted { extrinsic } = progress {
						tracing::info!(channel, ?extrinsic, "update sent");
					}
				}),
			)
			.await;
			let recorded = app.db.write(|tx| {
				let tx = Tx(tx);
				let Some(mut record) = tx.update(channel)? else { return Ok(()) };
				let ours = tx.sent(channel)?.is_some_and(|s| s.hash == sent.hash);
				match &outcome {
					Ok(Ok(done)) => {
						tracing::info!(channel, block = ?done.block.map(|b| b.number), "update included");
					}
					Ok(Err(error)) if error.is_already_pooled() => {
						tracing::debug!(channel, "the pool holds our update already");
					}
					Ok(Err(Error::Rejected { pallet, error, .. })) if error == "BeforeSlot" => {
						// Its nonce is used: the next look sends a new one in the slot.
						tracing::warn!(channel, "{pallet}::{error}: retrying next block");
						tx.schedule(channel, best.saturating_add(1))?;
					}
					Ok(Err(Error::Invalid(reason))) => {
						// The pool refused these bytes: they will never be included.
						tracing::warn!(channel, %reason, "the pool refused the update; signing it again next block");
						if ours {
							tx.remove_sent(channel)?;
						}
						tx.schedule(channel, best.saturating_add(1))?;
					}
					Ok(Err(error)) if error.is_refusal() => {
						tracing::warn!(channel, %error, "update refused");
						if record.status == UpdateStatus::Submitted {
							record.status = UpdateStatus::Failed;
							record.detail = error.to_string();
							tx.bump(Counter::UpdatesFailed, 1)?;
							tx.put_update(channel, &record)?;
						}
						tx.remove_sent(channel)?;
						tx.unschedule(channel)?;
					}
					Ok(Err(error)) => {
						tracing::warn!(channel, %error, "sending the update failed; looking again next block");
						tx.schedule(channel, best.saturating_add(1))?;
					}
					Err(_) => {
						tracing::warn!(
							channel,
							"the update wasn't included in time; looking again next block"
						);
						tx.schedule(channel, best.saturating_add(1))?;
					}
				}
				Ok(())
			});
			if let Err(error) = recorded {
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
