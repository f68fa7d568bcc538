//! Talking to `wardend`, the channel party's daemon: JSON-RPC 2.0 over HTTP on
//! `127.0.0.1`, authenticated by the token `wardend` writes (owner-only) at start.
//!
//! The CLI's `warden channel …` commands and the tests use [`Wallet`]; `wardend` uses
//! [`error_json`] to send a client [`Error`] and [`Wallet::call`] turns it back into one, so
//! a chain refusal keeps its pallet, error and documentation across the daemon.

use std::{
	path::{Path, PathBuf},
	time::Duration,
};

use serde_json::{json, Value};

use crate::{http, Error};

/// Where `wardend` serves by default.
pub const DEFAULT_URL: &str = "http://127.0.0.1:9966";

/// How long a call may take: operations wait for finality.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// The JSON-RPC error code of a malformed request or unknown method's neighbours: invalid
/// parameters.
pub const INVALID_PARAMS: i64 = -32602;
/// The JSON-RPC error code of an unknown method.
pub const METHOD_NOT_FOUND: i64 = -32601;
/// The JSON-RPC error code of an operation refused, by the chain or by `wardend`.
pub const REFUSED: i64 = -32000;
/// The JSON-RPC error code of a missing or wrong token.
pub const UNAUTHORIZED: i64 = -32001;

/// The token file both `wardend` and the CLI use unless told otherwise:
/// `$HOME/.local/share/warden/wardend.token`.
pub fn default_token_file() -> PathBuf {
	let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
	home.join(".local/share/warden/wardend.token")
}

/// A client [`Error`] as the `error` object of a JSON-RPC response: a code, the message,
/// and `data.kind` with the fields to rebuild it.
pub fn error_json(error: &Error) -> Value {
	let (code, data) = match error {
		Error::Unreachable { url, reason } => {
			(REFUSED, json!({"kind": "unreachable", "url": url, "reason": reason}))
		}
		Error::Rejected { pallet, error, docs } => {
			(REFUSED, json!({"kind": "rejected", "pallet": pallet, "error": error, "docs": docs}))
		}
		Error::Dispatch(why) => (REFUSED, json!({"kind": "dispatch", "reason": why})),
		Error::Invalid(why) => (REFUSED, json!({"kind": "invalid", "reason": why})),
		Error::Timeout(why) => (REFUSED, json!({"kind": "timeout", "reason": why})),
		Error::FeeAboveLimit { fee, limit } => (
			REFUSED,
			json!({"kind": "fee_above_limit", "fee": fee.to_string(), "limit": limit.to_string()}),
		),
		Error::Input(why) => (INVALID_PARAMS, json!({"kind": "input", "reason": why})),
		Error::Rpc(why) => (REFUSED, json!({"kind": "rpc", "reason": why})),
		Error::NoWallet { url, reason } => {
			(REFUSED, json!({"kind": "no_wallet", "url": url, "reason": reason}))
		}
		Error::Wallet(why) => (REFUSED, json!({"kind": "wallet", "reason": why})),
		Error::NotSent(why) => (REFUSED, json!({"kind": "not_sent", "reason": why})),
	};
	json!({"code": code, "message": error.to_string(), "data": data})
}

/// The client [`Error`] a JSON-RPC `error` object carries.
pub fn error_from_json(object: &Value) -> Error {
	let data = &object["data"];
	let text = |field: &str| data[field].as_str().unwrap_or_default().to_string();
	let message = object["message"].as_str().unwrap_or("an unknown error").to_string();
	match data["kind"].as_str() {
		Some("unreachable") => Error::Unreachable { url: text("url"), reason: text("reason") },
		Some("rejected") => {
			Error::Rejected { pallet: text("pallet"), error: text("error"), docs: text("docs") }
		}
		Some("dispatch") => Error::Dispatch(text("reason")),
		Some("invalid") => Error::Invalid(text("reason")),
		Some("timeout") => Error::Timeout(text("reason")),
		Some("fee_above_limit") => Error::FeeAboveLimit {
			fee: text("fee").parse().unwrap_or_default(),
			limit: text("limit").parse().unwrap_or_default(),
		},
		Some("input") => Error::Input(text("reason")),
		Some("rpc") => Error::Rpc(text("reason")),
		Some("wallet") => Error::Wallet(text("reason")),
		Some("not_sent") => Error::NotSent(text("reason")),
		_ if object["code"].as_i64() == Some(INVALID_PARAMS) => Error::Input(message),
		_ => Error::Wallet(message),
	}
}

/// A connection to one `wardend`.
#[derive(Clone, Debug)]
pub struct Wallet {
	url: String,
	token: String,
}

impl Wallet {
	/// `wardend` at `url` with the token in `token_file`. No `wardend` runs if the file
	/// isn't there: it writes it at start.
	pub fn new(url: &str, token_file: &Path) -> Result<Self, Error> {
		let token = std::fs::read_to_string(token_file).map_err(|e| Error::NoWallet {
			url: url.to_string(),
			reason: format!("can't read its token {}: {e}", token_file.display()),
		})?;
		Ok(Self { url: url.to_string(), token: token.trim().to_string() })
	}

	/// `wardend` at `url` with `token`.
	pub fn with_token(url: &str, token: &str) -> Self {
		Self { url: url.to_string(), token: token.to_string() }
	}

	/// Its URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Calls `method` with `params` (an object) and returns its result.
	pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
		let this = self.clone();
		let method = method.to_string();
		tokio::task::spawn_blocking(move || this.call_blocking(&method, params))
			.await
			.map_err(|e| Error::Wallet(format!("the call didn't finish: {e}")))?
	}

	/// [`Self::call`], blocking the thread.
	pub fn call_blocking(&self, method: &str, params: Value) -> Result<Value, Error> {
		let unreachable = |reason: String| Error::NoWallet { url: self.url.clone(), reason };
		let addr = http::resolve(&self.url).map_err(|e| unreachable(e.to_string()))?;
		let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let body = serde_json::to_vec(&request).unwrap_or_default();
		let response = http::request(addr, "POST", "/", Some(&self.token), &body, CALL_TIMEOUT)
			.map_err(|e| match e.kind() {
				std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
					Error::Timeout(format!("wardend didn't answer {method} in time"))
				}
				_ => unreachable(e.to_string()),
			})?;
		let answer = response.json();
		if let Some(error) = answer.get("error") {
			return Err(error_from_json(error));
		}
		if response.status != 200 {
			return Err(Error::Wallet(format!("HTTP {}: {}", response.status, response.text())));
		}
		answer.get("result").cloned().ok_or_else(|| {
			Error::Wallet(format!("an answer without a result: {}", response.text()))
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn errors_cross_the_daemon_unchanged() {
		let errors = [
			Error::Rejected {
				pallet: "Channels".into(),
				error: "StaleProof".into(),
				docs: "The proof is not newer.".into(),
			},
			Error::Input("bad amount".into()),
			Error::Wallet("the watcher is behind".into()),
			Error::FeeAboveLimit { fee: 5, limit: 4 },
			Error::Unreachable { url: "ws://x".into(), reason: "refused".into() },
		];
		for error in errors {
			assert_eq!(error_from_json(&error_json(&error)), error);
		}
		assert_eq!(error_json(&Error::Input("x".into()))["code"], INVALID_PARAMS);
	}

	#[test]
	fn no_token_file_means_no_wallet() {
		let missing = Path::new("/nonexistent/wardend.token");
		let error = Wallet::new(DEFAULT_URL, missing).expect_err("no token");
		assert!(matches!(error, Error::NoWallet { .. }), "{error}");
		assert!(error.to_string().contains("start it with `wardend"), "{error}");
	}
}
