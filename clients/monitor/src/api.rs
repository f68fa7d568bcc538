//! The HTTP API (JSON) and the writer that commits what it accepts.
//!
//! | method and path | token | answers |
//! |---|---|---|
//! | `PUT /api/1/balance_proofs` | no | `201` stored, `200` held already (the same proof and authorization), `202` held for a channel not issued yet, or `400`/`409`/`413`/`422`/`503` with `{code, message}` |
//! | `GET /api/1/balance_proofs?after=<channel>&limit=<n>` | yes | the held proofs, in channel order, and `next` |
//! | `GET /api/1/balance_proofs/{channel}` | yes | one held (or pending) proof |
//! | `DELETE /api/1/balance_proofs/{channel}` | yes | drops it and its due update |
//! | `GET /api/1/channel_update?after=<channel>&limit=<n>` | no | the monitor's updates and their outcome |
//! | `GET /api/1/channel_update/{channel}` | no | one channel's update |
//! | `GET /api/1/stats` | no | counters, sizes, heads and lag |
//! | `GET /api/1/info` | no | account, payout, minimum reward, chain, versions |
//! | `GET /metrics` | no | Prometheus text |
//!
//! A `201` is sent once the proof is committed to disk. Concurrent submissions are committed
//! together, one transaction for all of them ([`Writer`]).

use std::{
	sync::{atomic::Ordering, Arc},
	time::Instant,
};

use axum::{
	body::Bytes,
	extract::{rejection::BytesRejection, DefaultBodyLimit, Path, Query, State},
	http::{header, HeaderMap, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, put},
	Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use warden_client::{
	keys::from_chain_account,
	signing::{Authorization, Proof},
	units::format_amount,
	AccountId32,
};

use crate::{
	chain::{now_ms, ChainView, Heads},
	db::{Counter, Db, PendingProof, StoredProof, Tx, UpdateRecord, UpdateStatus, MAX_CANDIDATES},
	metrics::{Metrics, LAG_BOUND},
	wire::{check_pair, check_signatures, Parties, Refusal, Submission},
};

/// What the API is configured with.
#[derive(Clone, Debug)]
pub struct Settings {
	/// The monitor's account.
	pub me: AccountId32,
	/// Where its rewards go.
	pub payout: AccountId32,
	/// The smallest reward accepted, in planck.
	pub min_reward: u128,
	/// The bearer token of the protected endpoints.
	pub token: Option<String>,
	/// Finalized blocks a proof for a channel not issued yet is held.
	pub pending_blocks: u64,
	/// The most such proofs held.
	pub max_pending: u64,
	/// How far above `NextChannelId` a channel id may be for its proof to be held.
	pub max_pending_distance: u64,
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

fn storage_refusal(error: impl std::fmt::Display) -> Refusal {
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
	let mut next = app.heads.next_channel_id();
	if channel >= next && source == Source::Request {
		next = app.chain.next_channel_id().await.map_err(unavailable)?;
		app.heads.saw_next_channel_id(next);
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
	if authorization.reward < settings.min_reward {
		return Err(Refusal::unprocessable(
			"reward_below_minimum",
			format!(
				"the reward {} is below this monitor's minimum {}",
				format_amount(authorization.reward),
				format_amount(settings.min_reward)
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

fn refusal_response(refusal: &Refusal) -> Response {
	let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
	(status, Json(json!({ "code": refusal.code, "message": refusal.message }))).into_response()
}

fn json_response(status: StatusCode, value: Value) -> Response {
	(status, Json(value)).into_response()
}

async fn put_proof<C: ChainView>(
	State(app): State<Arc<App<C>>>,
	body: Result<Bytes, BytesRejection>,
) -> Response {
	let started = Instant::now();
	let answer = put_proof_inner(&app, body).await;
	app.metrics.intake.observe(started.elapsed());
	match answer {
		Ok((outcome, channel, nonce)) => match outcome {
			Outcome::Pending(expires_at) => {
				app.metrics.pending_accepted.fetch_add(1, Ordering::Relaxed);
				json_response(
					StatusCode::ACCEPTED,
					json!({ "channel": channel, "nonce": nonce, "status": "pending", "expires_at": expires_at }),
				)
			}
			Outcome::AlreadyHeld => json_response(
				StatusCode::OK,
				json!({ "channel": channel, "nonce": nonce, "status": "held" }),
			),
			Outcome::Stored | Outcome::Replaced => json_response(
				StatusCode::CREATED,
				json!({
					"channel": channel,
					"nonce": nonce,
					"status": if outcome == Outcome::Stored { "stored" } else { "replaced" },
				}),
			),
		},
		Err(refusal) => {
			app.metrics.refused(refusal.code);
			tracing::debug!(%refusal, "proof refused");
			refusal_response(&refusal)
		}
	}
}

async fn put_proof_inner<C: ChainView>(
	app: &App<C>,
	body: Result<Bytes, BytesRejection>,
) -> Result<(Outcome, u64, u64), Refusal> {
	let body = body.map_err(|rejection| {
		if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
			Refusal::new(
				413,
				"body_too_large",
				format!("the body is over {} bytes", app.settings.max_body),
			)
		} else {
			Refusal::bad_request("bad_body", rejection.body_text())
		}
	})?;
	let submission: Submission = serde_json::from_slice(&body).map_err(|e| {
		Refusal::bad_request("bad_json", format!("not a balance proof submission: {e}"))
	})?;
	let (proof, authorization) = submission.decode()?;
	let parties = submission.parties()?;
	let (channel, nonce) = (proof.channel, proof.nonce);
	let outcome = intake(app, proof, authorization, parties, Source::Request).await?;
	Ok((outcome, channel, nonce))
}

fn authorized(app_token: &Option<String>, headers: &HeaderMap) -> Result<(), Refusal> {
	let Some(token) = app_token else {
		return Err(Refusal::new(403, "disabled", "this endpoint needs the daemon's --api-token"));
	};
	let given = headers
		.get(header::AUTHORIZATION)
		.and_then(|v| v.to_str().ok())
		.and_then(|v| v.strip_prefix("Bearer "));
	// Compared without an early exit, so the time taken doesn't reveal a prefix.
	let matches = given.is_some_and(|given| {
		given.len() == token.len()
			&& given.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
	});
	if matches {
		Ok(())
	} else {
		Err(Refusal::new(401, "unauthorized", "a valid `Authorization: Bearer <token>` is needed"))
	}
}

fn account(bytes: &[u8; 32]) -> String {
	AccountId32(*bytes).to_string()
}

fn proof_json(channel: u64, stored: &StoredProof) -> Value {
	json!({
		"channel": channel,
		"nonce": stored.proof.nonce,
		"transferred": stored.proof.transferred.to_string(),
		"reward": stored.authorization.reward.to_string(),
		"monitor": stored.authorization.monitor.as_ref().map(|m| from_chain_account(m).to_string()),
		"sender": account(&stored.sender),
		"receiver": account(&stored.receiver),
		"stored_at_ms": stored.stored_at_ms,
		"status": "stored",
	})
}

fn update_json(channel: u64, record: &UpdateRecord) -> Value {
	json!({
		"channel": channel,
		"nonce": record.nonce,
		"reward": record.reward.to_string(),
		"status": record.status.name(),
		"slot": record.slot,
		"attempts": record.attempts,
		"sent_at": record.sent_at,
		"extrinsic": record.extrinsic.map(|h| format!("0x{}", hex::encode(h))),
		"accepted_in": record.accepted_in,
		"claimed": record.claimed.map(|c| c.to_string()),
		"detail": record.detail,
	})
}

/// A page of a listing.
#[derive(Deserialize)]
struct Page {
	after: Option<u64>,
	limit: Option<usize>,
}

/// The most entries a listing returns.
const MAX_PAGE: usize = 1000;

impl Page {
	fn limit(&self) -> usize {
		self.limit.unwrap_or(100).min(MAX_PAGE)
	}
}

/// A page of `items` under `name`, with `next`: the channel to list after, if the page is
/// full.
fn page_response<T>(
	name: &str,
	items: Result<Vec<(u64, T)>, redb::Error>,
	limit: usize,
	to_json: fn(u64, &T) -> Value,
) -> Response {
	match items {
		Ok(items) => {
			let next = if items.len() == limit { items.last().map(|(c, _)| *c) } else { None };
			let items: Vec<Value> = items.iter().map(|(c, item)| to_json(*c, item)).collect();
			json_response(StatusCode::OK, json!({ name: items, "next": next }))
		}
		Err(error) => storage_failed(error),
	}
}

fn storage_failed(error: redb::Error) -> Response {
	refusal_response(&storage_refusal(error))
}

/// The channel of a protected endpoint's path, once the token is checked.
fn protected_channel(
	token: &Option<String>,
	headers: &HeaderMap,
	path: Result<Path<u64>, axum::extract::rejection::PathRejection>,
) -> Result<u64, Refusal> {
	authorized(token, headers)?;
	channel_of(path)
}

fn channel_of(
	path: Result<Path<u64>, axum::extract::rejection::PathRejection>,
) -> Result<u64, Refusal> {
	path.map(|Path(channel)| channel)
		.map_err(|_| Refusal::bad_request("bad_channel", "the channel must be a number"))
}

async fn list_proofs<C: ChainView>(
	State(app): State<Arc<App<C>>>,
	headers: HeaderMap,
	Query(page): Query<Page>,
) -> Response {
	if let Err(refusal) = authorized(&app.settings.token, &headers) {
		return refusal_response(&refusal);
	}
	let limit = page.limit();
	page_response("proofs", app.db.proofs(page.after, limit), limit, proof_json)
}

async fn get_proof<C: ChainView>(
	State(app): State<Arc<App<C>>>,
	headers: HeaderMap,
	path: Result<Path<u64>, axum::extract::rejection::PathRejection>,
) -> Response {
	let channel = match protected_channel(&app.settings.token, &headers, path) {
		Ok(channel) => channel,
		Err(refusal) => return refusal_response(&refusal),
	};
	match (app.db.proof(channel), app.db.pending(channel)) {
		(Ok(Some(stored)), _) => json_response(StatusCode::OK, proof_json(channel, &stored)),
		(Ok(None), Ok(candidates)) if !candidates.is_empty() => {
			let candidates: Vec<Value> = candidates
				.iter()
				.map(|pending| {
					json!({
						"nonce": pending.proof.nonce,
						"transferred": pending.proof.transferred.to_string(),
						"reward": pending.authorization.reward.to_string(),
						"sender": from_chain_account(&sp_runtime::AccountId32::from(pending.sender))
							.to_string(),
						"receiver": from_chain_account(&sp_runtime::AccountId32::from(
							pending.receiver
						))
						.to_string(),
						"expires_at": pending.expires_at,
					})
				})
				.collect();
			json_response(
				StatusCode::OK,
				json!({ "channel": channel, "status": "pending", "candidates": candidates }),
			)
		}
		(Ok(None), Ok(_)) => not_found(channel),
		(Err(error), _) | (_, Err(error)) => storage_failed(error),
	}
}

fn not_found(channel: u64) -> Response {
	refusal_response(&Refusal::new(
		404,
		"not_found",
		format!("nothing is held for channel {channel}"),
	))
}

async fn delete_proof<C: ChainView>(
	State(app): State<Arc<App<C>>>,
	headers: HeaderMap,
	path: Result<Path<u64>, axum::extract::rejection::PathRejection>,
) -> Response {
	let channel = match protected_channel(&app.settings.token, &headers, path) {
		Ok(channel) => channel,
		Err(refusal) => return refusal_response(&refusal),
	};
	let deleted = app.db.write(|tx| {
		let tx = Tx(tx);
		let proof = tx.remove_proof(channel)?.is_some();
		let pending = tx.remove_all_pending(channel)? > 0;
		if proof {
			tx.unschedule(channel)?;
			if let Some(mut record) = tx.update(channel)? {
				if record.status == UpdateStatus::Scheduled {
					record.status = UpdateStatus::Failed;
					record.detail = "the proof was deleted through the API".into();
					tx.put_update(channel, &record)?;
				}
			}
		}
		Ok(proof || pending)
	});
	match deleted {
		Ok(true) => {
			tracing::info!(channel, "proof deleted through the API");
			json_response(StatusCode::OK, json!({ "channel": channel, "deleted": true }))
		}
		Ok(false) => not_found(channel),
		Err(error) => storage_failed(error),
	}
}

async fn list_updates<C: ChainView>(
	State(app): State<Arc<App<C>>>,
	Query(page): Query<Page>,
) -> Response {
	let limit = page.limit();
	page_response("updates", app.db.updates(page.after, limit), limit, update_json)
}

async fn get_update<C: ChainView>(
	State(app): State<Arc<App<C>>>,
	path: Result<Path<u64>, axum::extract::rejection::PathRejection>,
) -> Response {
	let channel = match channel_of(path) {
		Ok(channel) => channel,
		Err(refusal) => return refusal_response(&refusal),
	};
	match app.db.update(channel) {
		Ok(Some(record)) => json_response(StatusCode::OK, update_json(channel, &record)),
		Ok(None) => refusal_response(&Refusal::new(
			404,
			"not_found",
			format!("no update for channel {channel}"),
		)),
		Err(error) => storage_failed(error),
	}
}

async fn stats<C: ChainView>(State(app): State<Arc<App<C>>>) -> Response {
	let (sizes, counters) = match (app.db.sizes(), app.db.counters()) {
		(Ok(sizes), Ok(counters)) => (sizes, counters),
		(Err(error), _) | (_, Err(error)) => return storage_failed(error),
	};
	let m = &app.metrics;
	let mut out = json!({
		"proofs_stored": sizes.proofs,
		"proofs_pending": sizes.pending,
		"channels_watched": sizes.proofs,
		"channels_closing": sizes.closing,
		"participants": sizes.participants,
		"claims_pending": sizes.claims,
		"best_block": app.heads.best(),
		"finalized_block": app.heads.finalized(),
		"processed_block": m.processed.load(Ordering::Relaxed),
		"lag": m.lag(&app.heads),
		"lag_bound": LAG_BOUND,
		"node_reachable": app.heads.unreachable_since_ms().is_none(),
		"node_unreachable_since_ms": app.heads.unreachable_since_ms(),
	});
	for (counter, value) in counters {
		// Counts fit JSON numbers; amounts are strings, like every amount of the API.
		out[counter.name()] = if counter == Counter::RewardsEarned {
			json!(value.to_string())
		} else {
			json!(u64::try_from(value).unwrap_or(u64::MAX))
		};
	}
	json_response(StatusCode::OK, out)
}

async fn info<C: ChainView>(State(app): State<Arc<App<C>>>) -> Response {
	let s = &app.settings;
	json_response(
		StatusCode::OK,
		json!({
			"monitor": s.me.to_string(),
			"payout": s.payout.to_string(),
			"min_reward": s.min_reward.to_string(),
			"genesis_hash": format!("{:?}", app.chain.genesis()),
			"spec_version": s.spec_version,
			"api_version": crate::API_VERSION,
			"version": env!("CARGO_PKG_VERSION"),
			"public_url": s.public_url,
			"pending_blocks": s.pending_blocks,
		}),
	)
}

async fn metrics<C: ChainView>(State(app): State<Arc<App<C>>>) -> Response {
	match (app.db.counters(), app.db.sizes()) {
		(Ok(counters), Ok(sizes)) => (
			[(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
			app.metrics.render(&app.heads, &counters, &sizes),
		)
			.into_response(),
		(Err(error), _) | (_, Err(error)) => storage_failed(error),
	}
}

async fn fallback() -> Response {
	refusal_response(&Refusal::new(404, "no_route", "no such endpoint: see /api/1/info"))
}

/// The API's routes on `app`.
pub fn router<C: ChainView>(app: Arc<App<C>>) -> Router {
	let max_body = app.settings.max_body;
	Router::new()
		.route("/api/1/balance_proofs", put(put_proof::<C>).get(list_proofs::<C>))
		.route("/api/1/balance_proofs/{channel}", get(get_proof::<C>).delete(delete_proof::<C>))
		.route("/api/1/channel_update", get(list_updates::<C>))
		.route("/api/1/channel_update/{channel}", get(get_update::<C>))
		.route("/api/1/stats", get(stats::<C>))
		.route("/api/1/info", get(info::<C>))
		.route("/metrics", get(metrics::<C>))
		.fallback(fallback)
		.layer(DefaultBodyLimit::max(max_body))
		.with_state(app)
}
