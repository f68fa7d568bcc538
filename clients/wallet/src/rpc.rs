//! The local JSON-RPC 2.0 server: `POST /` with `Authorization: Bearer <token>`, one
//! request per call (no batches). `GET /metrics` (Prometheus text) needs no token.

use std::sync::Arc;

use axum::{
	body::Bytes,
	extract::State,
	http::{header, HeaderMap, StatusCode},
	response::IntoResponse,
	routing::{get, post},
	Json, Router,
};
use serde_json::{json, Value};
use warden_client::wallet::{error_json, METHOD_NOT_FOUND, UNAUTHORIZED};
use warden_daemon::metrics::write_value;

use crate::ops::Wallet;

/// The methods, in the order the README documents them.
pub const METHODS: [&str; 19] = [
	"channel_open",
	"channel_topUp",
	"channel_pay",
	"channel_receive",
	"channel_close",
	"channel_update",
	"channel_cooperativeClose",
	"channel_settle",
	"channel_list",
	"channel_show",
	"escrow_fund",
	"escrow_withdraw",
	"monitor_handOff",
	"swap_connect",
	"swap_record",
	"swap_list",
	"swap_show",
	"daemon_status",
	"daemon_shutdown",
];

/// What the server needs.
pub struct Server {
	/// The daemon's state.
	pub wallet: Arc<Wallet>,
	/// The token callers must present.
	pub token: String,
}

fn failure(id: Value, error: Value) -> Value {
	json!({"jsonrpc": "2.0", "id": id, "error": error})
}

fn authorized(headers: &HeaderMap, token: &str) -> bool {
	headers
		.get(header::AUTHORIZATION)
		.and_then(|v| v.to_str().ok())
		.and_then(|v| v.strip_prefix("Bearer "))
		.is_some_and(|given| constant_time_eq(given.trim().as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
	a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn call(
	State(server): State<Arc<Server>>,
	headers: HeaderMap,
	body: Bytes,
) -> (StatusCode, Json<Value>) {
	if !authorized(&headers, &server.token) {
		let error = json!({"code": UNAUTHORIZED, "message": "a missing or wrong token: read it from wardend's token file"});
		return (StatusCode::UNAUTHORIZED, Json(failure(Value::Null, error)));
	}
	let request: Value = match serde_json::from_slice(&body) {
		Ok(request) => request,
		Err(e) => {
			let error = json!({"code": -32700, "message": format!("not JSON: {e}")});
			return (StatusCode::OK, Json(failure(Value::Null, error)));
		}
	};
	let id = request.get("id").cloned().unwrap_or(Value::Null);
	let Some(method) = request.get("method").and_then(Value::as_str) else {
		let error = json!({"code": -32600, "message": "a JSON-RPC 2.0 request names a method"});
		return (StatusCode::OK, Json(failure(id, error)));
	};
	if !METHODS.contains(&method) {
		let error = json!({"code": METHOD_NOT_FOUND, "message": format!("no method {method}")});
		return (StatusCode::OK, Json(failure(id, error)));
	}
	let params = request.get("params").cloned().unwrap_or(Value::Null);
	let answer = match server.wallet.call(method, params).await {
		Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
		Err(error) => {
			tracing::info!(method, %error, "refused");
			failure(id, error_json(&error))
		}
	};
	(StatusCode::OK, Json(answer))
}

async fn metrics(State(server): State<Arc<Server>>) -> impl IntoResponse {
	let wallet = &server.wallet;
	let mut out = String::new();
	let channels = wallet.db.channels().unwrap_or_default();
	let applied = wallet.db.cursor().ok().flatten().map(|next| next.saturating_sub(1));
	write_value(&mut out, "wardend_channels", "Open or closing channels.", channels.len());
	write_value(
		&mut out,
		"wardend_defending",
		"Channels closing with an older state than ours.",
		channels.iter().filter(|(_, c)| c.needs_defence()).count(),
	);
	let ledgers = wallet.db.ledgers().unwrap_or_default();
	write_value(&mut out, "wardend_swap_peers", "SWAP ledgers.", ledgers.len());
	write_value(
		&mut out,
		"wardend_swap_disconnected",
		"SWAP peers no longer served.",
		ledgers.iter().filter(|(_, l)| l.disconnected().is_some()).count(),
	);
	write_value(&mut out, "wardend_best_block", "Best block seen.", wallet.heads.best());
	if let Some(applied) = applied {
		write_value(
			&mut out,
			"wardend_lag_blocks",
			"Finalized blocks not applied yet.",
			wallet.heads.finalized().saturating_sub(applied),
		);
	}
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

/// The server's routes.
pub fn router(server: Arc<Server>) -> Router {
	Router::new().route("/", post(call)).route("/metrics", get(metrics)).with_state(server)
}
