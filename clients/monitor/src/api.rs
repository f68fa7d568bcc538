//! The HTTP API (JSON): handlers only; what a proof must pass and how it is committed is in
//! [`crate::intake`].
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
//! together, one transaction for all of them ([`crate::intake::Writer`]).

use std::{
	sync::{atomic::Ordering, Arc},
	time::{Duration, Instant},
};

use axum::{
	body::Bytes,
	extract::{rejection::BytesRejection, DefaultBodyLimit, Path, Query, State},
	http::{header, HeaderMap, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, put, MethodRouter},
	Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};
use tower_governor::{governor::GovernorConfigBuilder, GovernorError, GovernorLayer};
use warden_client::{keys::from_chain_account, AccountId32};

use crate::{
	chain::ChainView,
	db::{Counter, StoredProof, Tx, UpdateRecord, UpdateStatus},
	intake::{intake, storage_refusal, App, Outcome, Source},
	metrics::LAG_BOUND,
	wire::{Refusal, Submission},
};

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
			"min_reward": s.min_reward.get().to_string(),
			"min_reward_auto_margin": s.min_reward.auto_margin,
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
/// `PUT /api/1/balance_proofs`, limited per client address when the settings say so:
/// `rate_limit` submissions a second on average, bursts of `rate_burst`; 0 turns it off.
fn intake_route<C: ChainView>(settings: &crate::intake::Settings) -> MethodRouter<Arc<App<C>>> {
	let route = put(put_proof::<C>);
	if settings.rate_limit == 0 {
		return route;
	}
	let period = Duration::from_nanos((1_000_000_000 / settings.rate_limit).max(1));
	let Some(config) = GovernorConfigBuilder::default()
		.period(period)
		.burst_size(settings.rate_burst.max(1))
		.finish()
	else {
		return route;
	};
	let config = Arc::new(config);
	// Forget clients that have their whole quota back, so the table follows recent clients.
	let limiter = config.limiter().clone();
	tokio::spawn(async move {
		let mut tick = tokio::time::interval(Duration::from_secs(60));
		loop {
			tick.tick().await;
			limiter.retain_recent();
		}
	});
	route.layer(GovernorLayer::new(config).error_handler(|error| {
		let (wait, headers) = match error {
			GovernorError::TooManyRequests { wait_time, headers } => (wait_time, headers),
			_ => (1, None),
		};
		let refusal = Refusal::new(
			429,
			"rate_limited",
			format!("too many submissions from this address: retry in {} s", wait.max(1)),
		);
		let mut response = refusal_response(&refusal);
		if let Some(headers) = headers {
			response.headers_mut().extend(headers);
		}
		response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(wait.max(1)));
		response
	}))
}

/// The API's routes. Serve them with
/// `into_make_service_with_connect_info::<SocketAddr>()`: the intake's rate limit is per
/// client address.
pub fn router<C: ChainView>(app: Arc<App<C>>) -> Router {
	let max_body = app.settings.max_body;
	Router::new()
		.route("/api/1/balance_proofs", intake_route::<C>(&app.settings).get(list_proofs::<C>))
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
