//! The local JSON-RPC 2.0 server: `POST /` with `Authorization: Bearer <token>`, one
//! request per call (no batches), dispatched by a jsonrpsee `RpcModule` (the node's RPC
//! library) with one method per operation. `GET /metrics` (Prometheus text) needs no token.

use std::sync::Arc;

use axum::{
	body::Bytes,
	extract::State,
	http::{header, HeaderMap, StatusCode},
	response::IntoResponse,
	routing::{get, post},
	Json, Router,
};
use jsonrpsee::{types::ErrorObjectOwned, RpcModule};
use serde_json::{json, Value};
use warden_client::wallet::{error_json, REFUSED, UNAUTHORIZED};
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
	/// The methods.
	pub module: RpcModule<Wallet>,
	/// The token callers must present.
	pub token: String,
}

impl Server {
	/// The server of `wallet`'s methods, for callers presenting `token`.
	pub fn new(wallet: Arc<Wallet>, token: String) -> Self {
		let mut module = RpcModule::from_arc(wallet.clone());
		for method in METHODS {
			let registered =
				module.register_async_method(method, move |params, wallet, _| async move {
					let params: Value = params.parse().unwrap_or(Value::Null);
					wallet.call(method, params).await.map_err(|error| {
						tracing::info!(method, %error, "refused");
						let object = error_json(&error);
						let code = object["code"].as_i64().unwrap_or(REFUSED);
						ErrorObjectOwned::owned(
							i32::try_from(code).unwrap_or(-32000),
							error.to_string(),
							Some(object["data"].clone()),
						)
					})
				});
			// Each name is registered once, from a fixed list.
			debug_assert!(registered.is_ok(), "{method} registered twice");
		}
		Self { wallet, module, token }
	}
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
	let text = String::from_utf8_lossy(&body);
	let answer = match server.module.raw_json_request(&text, 1).await {
		Ok((answer, _)) => serde_json::from_str(&answer).unwrap_or(Value::Null),
		Err(e) => failure(
			Value::Null,
			json!({"code": -32700, "message": format!("not a JSON-RPC request: {e}")}),
		),
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
