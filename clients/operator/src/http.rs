//! The agent's HTTP endpoints: `GET /status` (JSON) and `GET /metrics` (Prometheus text).

use std::{fmt::Write, sync::Arc};

use axum::{extract::State, http::header, response::IntoResponse, routing::get, Json, Router};
use serde_json::{json, Value};
use warden_daemon::{metrics::write_value, Heads};

use crate::db::{Counter, Db};

/// What the endpoints read.
pub struct Status {
	/// The database.
	pub db: Arc<Db>,
	/// The node's heads.
	pub heads: Arc<Heads>,
	/// The operator.
	pub operator: String,
}

const COUNTERS: [Counter; 9] = [
	Counter::Approved,
	Counter::Rejected,
	Counter::JobsSucceeded,
	Counter::JobsFailed,
	Counter::Results,
	Counter::Missed,
	Counter::Heartbeats,
	Counter::HeartbeatsMissed,
	Counter::Reported,
];

fn status_json(state: &Status) -> Value {
	let cursor = state.db.cursor().ok().flatten();
	let counters: serde_json::Map<String, Value> = COUNTERS
		.iter()
		.map(|c| (c.name().to_string(), json!(state.db.counter(*c).unwrap_or_default())))
		.collect();
	json!({
		"operator": state.operator,
		"best_block": state.heads.best(),
		"finalized_block": state.heads.finalized(),
		"applied_up_to": cursor.map(|next| next.saturating_sub(1)),
		"node_reachable": state.heads.unreachable_since_ms().is_none(),
		"services": state.db.services().map(|s| s.len()).unwrap_or_default(),
		"open_calls": state.db.calls().map(|c| c.len()).unwrap_or_default(),
		"pending_requests": state.db.requests().map(|r| r.len()).unwrap_or_default(),
		"counters": counters,
	})
}

async fn status(State(state): State<Arc<Status>>) -> Json<Value> {
	Json(status_json(&state))
}

async fn metrics(State(state): State<Arc<Status>>) -> impl IntoResponse {
	let mut out = String::new();
	for counter in COUNTERS {
		let value = state.db.counter(counter).unwrap_or_default();
		let name = format!("warden_operator_{}_total", counter.name());
		write_value(&mut out, &name, counter.help(), value);
	}
	let lag = state
		.db
		.cursor()
		.ok()
		.flatten()
		.map(|next| state.heads.finalized().saturating_add(1).saturating_sub(next));
	write_value(&mut out, "warden_operator_best_block", "Best block seen.", state.heads.best());
	write_value(
		&mut out,
		"warden_operator_services",
		"Active services served.",
		state.db.services().map(|s| s.len()).unwrap_or_default(),
	);
	if let Some(lag) = lag {
		write_value(
			&mut out,
			"warden_operator_lag_blocks",
			"Finalized blocks not applied yet.",
			lag,
		);
	}
	let _ = writeln!(out);
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

/// The router of the agent's endpoints.
pub fn router(state: Arc<Status>) -> Router {
	Router::new().route("/status", get(status)).route("/metrics", get(metrics)).with_state(state)
}
