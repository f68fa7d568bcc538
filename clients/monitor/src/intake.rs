//! The intake: the rules a balance proof passes before it is held ([`intake`]), shared by
//! the HTTP API and the watcher's re-check of pending proofs, and the writer that commits
//! what it accepts, concurrent submissions together in one transaction ([`Writer`]). The
//! daemon's shared state ([`App`]) lives here too, so the watcher and the actor don't depend
//! on the HTTP module.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};
use warden_client::{
	signing::{Authorization, Proof},
	units::format_amount,
	AccountId32,
};

use crate::{
	chain::{now_ms, ChainView, Heads, IssuedChannels},
	db::{Counter, Db, PendingProof, StoredProof, Tx, UpdateRecord, MAX_CANDIDATES},
	metrics::Metrics,
	wire::{check_pair, check_signatures, Parties, Refusal},
};

/// The smallest reward accepted for a proof: set by the operator, or `auto`: the chain's
/// fee for a `monitor_update` times a margin, which the actor re-reads every era.
#[derive(Debug)]
pub struct MinReward {
	planck: Mutex<u128>,
	/// The margin over the fee when it follows the chain's fee, e.g. `3.0`.
	pub auto_margin: Option<f64>,
}

impl MinReward {
	/// A minimum of `planck`, fixed.
	pub fn fixed(planck: u128) -> Self {
		Self { planck: Mutex::new(planck), auto_margin: None }
	}

	/// A minimum that follows the chain's fee times `margin`, starting at `planck`.
	pub fn auto(margin: f64, planck: u128) -> Self {
		Self { planck: Mutex::new(planck), auto_margin: Some(margin) }
	}

	/// The minimum now, in planck.
	pub fn get(&self) -> u128 {
		self.planck.lock().map(|v| *v).unwrap_or(u128::MAX)
	}

	/// Sets the minimum from a fee of `fee` planck: `fee × margin`, rounded up. Returns the
	/// new minimum, or `None` if it is fixed.
	pub fn follow_fee(&self, fee: u128) -> Option<u128> {
		let margin = self.auto_margin?;
		// Fees are far below 2^53 planck, where f64 is exact; the result saturates.
		let planck = (fee as f64 * margin).ceil() as u128;
		if let Ok(mut value) = self.planck.lock() {
			*value = planck;
		}
		Some(planck)
	}
}

/// What the API is configured with.
#[derive(Clone, Debug)]
pub struct Settings {
	/// The monitor's account.
	pub me: AccountId32,
	/// Where its rewards go.
	pub payout: AccountId32,
	/// The smallest reward accepted.
	pub min_reward: Arc<MinReward>,
	/// The bearer token of the protected endpoints.
	pub token: Option<String>,
	/// Finalized blocks a proof for a channel not issued yet is held.
	pub pending_blocks: u64,
	/// The most such proofs held.
	pub max_pending: u64,
	/// How far above `NextChannelId` a channel id may be for its proof to be held.
	pub max_pending_distance: u64,
	/// Submissions a second one client address may make on average; 0 for no limit.
	pub rate_limit: u64,
	/// How many submissions one client address may make at once.
	pub rate_burst: u32,
	/// The largest body read.
	pub max_body: usize,
	/// The chain's runtime `spec_version` at start.
	pub spec_version: u32,
	/// The endpoint published on chain.
	pub public_url: Option<String>,
}

/// The API's shared state.
pub struct App<C> {
	/// The database.
	pub db: Arc<Db>,
	/// The chain.
	pub chain: C,
	/// Commits what the intake accepts.
	pub writer: Writer,
	/// Configuration.
	pub settings: Settings,
	/// The node's heads.
	pub heads: Arc<Heads>,
	/// The channel ids the chain has issued, as last read.
	pub issued: IssuedChannels,
	/// Live figures.
	pub metrics: Arc<Metrics>,
}

/// What the writer commits.
pub enum Write {
	/// A checked proof; `closing` if the chain just reported its channel closing.
	Store(StoredProof, bool),
	/// A proof for a channel not issued yet.
	Pending(u64, PendingProof),
}

/// What a committed write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// Stored for a channel without a proof.
	Stored,
	/// Replaced an older proof.
	Replaced,
	/// The same proof and authorization were held already: nothing changed.
	AlreadyHeld,
	/// Held until the channel appears, at the latest until this finalized block.
	Pending(u64),
}

struct Job {
	write: Write,
	reply: oneshot::Sender<Result<Outcome, Refusal>>,
}

/// The most writes committed in one transaction.
const GROUP: usize = 1024;

/// Commits writes on its own thread, as many queued ones as it finds per transaction.
#[derive(Clone)]
pub struct Writer {
	jobs: mpsc::Sender<Job>,
}

/// The refusal for a failed database.
pub fn storage_refusal(error: impl std::fmt::Display) -> Refusal {
	Refusal::new(500, "storage_error", format!("the database failed: {error}"))
}

impl Writer {
	/// Starts the writer thread on `db`, holding at most `max_pending` pending proofs.
	pub fn spawn(db: Arc<Db>, max_pending: u64) -> Self {
		let (jobs, mut queue) = mpsc::channel::<Job>(4 * GROUP);
		std::thread::Builder::new()
			.name("warden-monitor-writer".into())
			.spawn(move || {
				while let Some(first) = queue.blocking_recv() {
					let mut batch = vec![first];
					while batch.len() < GROUP {
						match queue.try_recv() {
							Ok(job) => batch.push(job),
							Err(_) => break,
						}
					}
					let committed = db.write(|tx| {
						let tx = Tx(tx);
						let mut results = Vec::with_capacity(batch.len());
						for job in &batch {
							results.push(apply(&tx, &job.write, max_pending)?);
						}
						Ok(results)
					});
					match committed {
						Ok(results) => {
							for (job, result) in batch.into_iter().zip(results) {
								let _ = job.reply.send(result);
							}
						}
						Err(error) => {
							tracing::error!(%error, "committing proofs failed");
							for job in batch {
								let _ = job.reply.send(Err(storage_refusal(&error)));
							}
						}
					}
				}
			})
			.expect("the writer thread starts");
		Self { jobs }
	}

	/// Commits `write`; answers once it is on disk.
	pub async fn submit(&self, write: Write) -> Result<Outcome, Refusal> {
		let (reply, answer) = oneshot::channel();
		self.jobs
			.send(Job { write, reply })
			.await
			.map_err(|_| storage_refusal("the writer stopped"))?;
		answer.await.map_err(|_| storage_refusal("the writer stopped"))?
	}
}

fn stale(held: u64, new: u64) -> Refusal {
	Refusal::new(
		409,
		"stale_nonce",
		format!("a proof with nonce {held} is held for this channel; {new} is not newer"),
	)
}

fn apply(
	tx: &Tx,
	write: &Write,
	max_pending: u64,
) -> Result<Result<Outcome, Refusal>, redb::Error> {
	match write {
		Write::Store(stored, closing) => {
			let channel = stored.proof.channel;
			let held = tx.proof(channel)?;
			if let Some(held) = &held {
				if held.proof == stored.proof && held.authorization == stored.authorization {
					tx.remove_all_pending(channel)?;
					return Ok(Ok(Outcome::AlreadyHeld));
				}
				if held.proof.nonce >= stored.proof.nonce {
					return Ok(Err(stale(held.proof.nonce, stored.proof.nonce)));
				}
			}
			let replaced = held.is_some();
			tx.remove_all_pending(channel)?;
			tx.put_proof(channel, stored)?;
			tx.bump(Counter::ProofsReceived, 1)?;
			if *closing || tx.is_closing(channel)? {
				// Due at once: the actor reads the slot and the channel before sending.
				let record = UpdateRecord::new(stored.proof.nonce, stored.authorization.reward);
				tx.put_update(channel, &record)?;
				tx.schedule(channel, 0)?;
			}
			Ok(Ok(if replaced { Outcome::Replaced } else { Outcome::Stored }))
		}
		Write::Pending(channel, pending) => {
			if let Some(held) = tx.proof(*channel)? {
				return Ok(Err(stale(held.proof.nonce, pending.proof.nonce)));
			}
			// Candidates from other claimed parties never replace each other: only the same
			// parties' newer proof replaces theirs.
			let candidates = tx.pending(*channel)?;
			let same = candidates.iter().find(|held| held.parties() == pending.parties());
			match same {
				Some(held)
					if held.proof == pending.proof
						&& held.authorization == pending.authorization =>
				{
					return Ok(Ok(Outcome::Pending(held.expires_at)));
				}
				Some(held) if held.proof.nonce >= pending.proof.nonce => {
					return Ok(Err(stale(held.proof.nonce, pending.proof.nonce)));
				}
				Some(_) => {}
				None if candidates.len() >= MAX_CANDIDATES => {
					return Ok(Err(Refusal::new(
						409,
						"pending_candidates_full",
						format!(
							"proofs from {MAX_CANDIDATES} other pairs of parties are held for channel \
							 {channel}; send this one again once the channel is open"
						),
					)));
				}
				None if tx.pending_count()? >= max_pending => {
					return Ok(Err(Refusal::new(
						503,
						"pending_full",
						format!(
							"{max_pending} proofs for channels not issued yet are held already"
						),
					)));
				}
				None => {}
			}
			tx.put_pending(*channel, pending)?;
			Ok(Ok(Outcome::Pending(pending.expires_at)))
		}
	}
}

fn unavailable(error: impl std::fmt::Display) -> Refusal {
	Refusal::new(503, "node_unavailable", format!("the node can't be asked: {error}"))
}

/// Where a proof comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
	/// A request.
	Request,
	/// The pending table, re-checked now that its channel exists.
	Pending,
}

/// Checks `proof` and `authorization` against the chain and commits them; what the PUT
/// endpoint and the re-check of pending proofs share. `claimed` are the parties the
/// submission names: their signatures are checked first, before anything costs a node
/// read; a channel not issued yet needs them, an issued one must have them.
pub async fn intake<C: ChainView>(
	app: &App<C>,
	proof: Proof,
	authorization: Authorization,
	claimed: Option<Parties>,
	source: Source,
) -> Result<Outcome, Refusal> {
	let settings = &app.settings;
	check_pair(&proof, &authorization, &settings.me)?;
	let genesis = app.chain.genesis();
	if let Some(parties) = &claimed {
		check_signatures(genesis, &proof, &authorization, &parties.sender, &parties.receiver)?;
	}
	let channel = proof.channel;
	// An id at or above the last `NextChannelId` seen costs one read, of `NextChannelId`,
	// and no more if it still isn't issued: what a flood of proofs for made-up ids costs.
	let mut next = app.issued.next_channel_id();
	if channel >= next && source == Source::Request {
		next = app.chain.next_channel_id().await.map_err(unavailable)?;
		app.issued.saw_next_channel_id(next);
	}
	let issued = channel < next;
	if !issued && source == Source::Request {
		let Some(parties) = claimed else {
			return Err(Refusal::unprocessable(
				"parties_required",
				format!(
					"channel {channel} isn't issued yet: name its sender and receiver, or send \
					 the proof once the channel is open"
				),
			));
		};
		if channel >= next.saturating_add(settings.max_pending_distance) {
			return Err(Refusal::unprocessable(
				"channel_too_far",
				format!(
					"channel {channel} is {} ids beyond the next one the chain issues ({next}); \
					 at most {} are held ahead",
					channel - next,
					settings.max_pending_distance
				),
			));
		}
		// Counted in the chain's finalized blocks, whatever the watcher has applied.
		let expires_at = app.heads.finalized().saturating_add(settings.pending_blocks);
		let pending = PendingProof {
			proof,
			authorization,
			sender: parties.sender.into(),
			receiver: parties.receiver.into(),
			expires_at,
		};
		return app.writer.submit(Write::Pending(channel, pending)).await;
	}
	let Some(facts) = app.chain.channel(channel).await.map_err(unavailable)? else {
		return Err(Refusal::unprocessable(
			"unknown_channel",
			format!("channel {channel} was issued but no longer exists (settled)"),
		));
	};
	match claimed {
		Some(parties) if parties.sender != facts.sender || parties.receiver != facts.receiver => {
			return Err(Refusal::unprocessable(
				"parties_mismatch",
				format!(
					"channel {channel} is from {} to {}, not the parties named",
					facts.sender, facts.receiver
				),
			));
		}
		// Checked against these very parties above.
		Some(_) => {}
		None => check_signatures(genesis, &proof, &authorization, &facts.sender, &facts.receiver)?,
	}
	let min_reward = settings.min_reward.get();
	if authorization.reward < min_reward {
		return Err(Refusal::unprocessable(
			"reward_below_minimum",
			format!(
				"the reward {} is below this monitor's minimum {}",
				format_amount(authorization.reward),
				format_amount(min_reward)
			),
		));
	}
	let escrow = app.chain.escrow(channel).await.map_err(unavailable)?;
	if authorization.reward > escrow {
		return Err(Refusal::unprocessable(
			"reward_over_escrow",
			format!(
				"the reward {} is more than the channel's escrow holds ({})",
				format_amount(authorization.reward),
				format_amount(escrow)
			),
		));
	}
	let stored = StoredProof {
		proof,
		authorization,
		sender: facts.sender.into(),
		receiver: facts.receiver.into(),
		stored_at_ms: now_ms(),
	};
	app.writer.submit(Write::Store(stored, facts.closing)).await
}
