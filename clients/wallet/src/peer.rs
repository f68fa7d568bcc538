//! The peer API between two parties' `wardend`s (`--peer-api`): proof delivery, the
//! receiver's co-signature for a cooperative close, and the SWAP messages.
//!
//! Every message, each way, is a [`warden_client::peer::Envelope`]: signed by its sender
//! over `warden-primitives`' `PeerMessagePayload` (its own tag, the genesis hash, both
//! accounts and a sequence), so a message is taken only from the party it names, only by
//! the party it is for, only on this chain and only once. A daemon commits the sequence it
//! signs with before the message leaves, and the highest sequence it took from each peer
//! with the message's effect; a message at or below that is a replay and is refused.

use std::{sync::Arc, time::Duration};

use axum::{
	body::Bytes,
	extract::State,
	http::StatusCode,
	routing::{get, post},
	Json, Router,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use warden_client::{
	http,
	monitor_wire::{Amount, ProofJson},
	parse_account,
	peer::{Envelope, Refused},
	AccountId32, Error,
};
use warden_swap::{Disconnect, Handshake};

use crate::ops::{db_error, refused, Wallet};

/// Where a daemon tells who it is: `{account, genesis_hash}` (unsigned; the signed replies
/// prove it).
pub const INFO_PATH: &str = "/peer/1/info";
/// Where a daemon takes a signed message and answers with a signed reply.
pub const MESSAGE_PATH: &str = "/peer/1/message";

/// How long another daemon may take to answer.
const PEER_TIMEOUT: Duration = Duration::from_secs(10);

/// A message from one party's daemon to another's: the body of an envelope.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
	/// The sender's newest balance proof on its channel to the recipient.
	Proof {
		/// The proof.
		proof: ProofJson,
	},
	/// The sender of a channel asks its receiver to co-sign this proof (the receiver's
	/// newest) for a cooperative close.
	Cosign {
		/// The proof to settle with.
		proof: ProofJson,
	},
	/// SWAP: the sender's thresholds and, if it consumes, its channel to the recipient.
	SwapHello {
		/// The handshake.
		handshake: Handshake,
	},
	/// SWAP: a cheque, the next cumulative proof on the sender's channel to the recipient,
	/// with the sender's count of units each way.
	SwapCheque {
		/// The proof.
		proof: ProofJson,
		/// Units the sender consumed from the recipient.
		consumed: u64,
		/// Units the sender provided to the recipient.
		provided: u64,
	},
	/// SWAP: the sender stops consuming (its channel can't pay the next cheque) or no
	/// longer serves the recipient.
	SwapStop {
		/// Why.
		reason: Disconnect,
	},
}

/// The answer to a [`Message`]: the body of the signed reply.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
	/// The proof was taken; the recipient's newest is now this.
	Accepted {
		/// The channel.
		channel: u64,
		/// The newest nonce.
		nonce: u64,
		/// The newest cumulative amount.
		transferred: Amount,
	},
	/// The receiver's co-signature of the proof (SCALE `MultiSignature`, hex).
	Cosigned {
		/// The signature.
		signature: String,
	},
	/// SWAP: the recipient's handshake.
	SwapHello {
		/// The handshake.
		handshake: Handshake,
	},
	/// SWAP: the cheque was taken and credited this much.
	SwapCheque {
		/// What it added.
		credited: Amount,
	},
	/// SWAP: the stop was noted.
	Stopped,
}

fn answer(status: StatusCode, error: impl std::fmt::Display) -> (StatusCode, Json<Value>) {
	(status, Json(json!({"error": error.to_string()})))
}

async fn info(State(wallet): State<Arc<Wallet>>) -> Json<Value> {
	Json(json!({
		"account": wallet.me.to_string(),
		"genesis_hash": format!("0x{}", hex::encode(wallet.genesis.0)),
		"swap": wallet.swap.thresholds,
	}))
}

async fn message(State(wallet): State<Arc<Wallet>>, body: Bytes) -> (StatusCode, Json<Value>) {
	let envelope: Envelope = match serde_json::from_slice(&body) {
		Ok(envelope) => envelope,
		Err(e) => return answer(StatusCode::BAD_REQUEST, format!("not an envelope: {e}")),
	};
	let (from, body) = match envelope.open(wallet.genesis, &wallet.me) {
		Ok(opened) => opened,
		Err(refusal @ Refused::Malformed(_)) => return answer(StatusCode::BAD_REQUEST, refusal),
		Err(refusal) => return answer(StatusCode::FORBIDDEN, refusal),
	};
	let message: Message = match serde_json::from_value(body) {
		Ok(message) => message,
		Err(e) => return answer(StatusCode::BAD_REQUEST, format!("an unknown message: {e}")),
	};
	// Only a party to one of our channels (or a SWAP peer) is heard, so strangers, however
	// many keys they make, store nothing here.
	match wallet.is_party(&from, &message).await {
		Ok(true) => {}
		Ok(false) => {
			return answer(
				StatusCode::FORBIDDEN,
				format!("{from} has no channel with {} and is no SWAP peer", wallet.me),
			)
		}
		Err(error) => return answer(StatusCode::UNPROCESSABLE_ENTITY, error),
	}
	// The sequence is spent with the check: a replay of this envelope is refused even if
	// the message itself is refused below.
	let sender = from.to_string();
	let fresh = wallet.db.write(|tx| tx.take_sequence(&sender, envelope.sequence));
	match fresh {
		Ok(true) => {}
		Ok(false) => {
			return answer(
				StatusCode::CONFLICT,
				format!("a replay: sequence {} was already taken from {sender}", envelope.sequence),
			)
		}
		Err(e) => return answer(StatusCode::INTERNAL_SERVER_ERROR, db_error(e)),
	}
	tracing::debug!(peer = %sender, sequence = envelope.sequence, ?message, "peer message");
	match wallet.on_message(&from, message).await {
		Ok(reply) => match wallet.seal(&from, &reply) {
			Ok(sealed) => (StatusCode::OK, Json(json!(sealed))),
			Err(error) => answer(StatusCode::INTERNAL_SERVER_ERROR, error),
		},
		Err(error) => {
			tracing::info!(peer = %sender, %error, "peer message refused");
			answer(StatusCode::UNPROCESSABLE_ENTITY, error)
		}
	}
}

/// The peer API's routes.
pub fn router(wallet: Arc<Wallet>) -> Router {
	Router::new().route(INFO_PATH, get(info)).route(MESSAGE_PATH, post(message)).with_state(wallet)
}

impl Wallet {
	/// `body` to `to`, sealed with the next sequence (committed first).
	pub fn seal(&self, to: &AccountId32, body: &impl Serialize) -> Result<Envelope, Error> {
		let sequence = self.db.write(|tx| tx.next_sequence()).map_err(db_error)?;
		let text = serde_json::to_string(body).unwrap_or_default();
		Ok(Envelope::seal(&self.key, self.genesis, to, sequence, &text))
	}

	/// Sends `message` to `to`'s daemon (its peer API as known) and returns its signed
	/// reply, checked: from `to`, for us, on this chain, not a replay.
	pub async fn send(&self, to: &AccountId32, message: &Message) -> Result<Reply, Error> {
		let account = to.to_string();
		let url = self.db.peer(&account).map_err(db_error)?.url.ok_or_else(|| {
			refused(format!("{account}'s peer API is unknown: give its URL (`peer`)"))
		})?;
		let envelope = self.seal(to, message)?;
		let body = serde_json::to_vec(&envelope).unwrap_or_default();
		let response = warden_client::http::fetch(&url, "POST", MESSAGE_PATH, &body, PEER_TIMEOUT)
			.await
			.map_err(|why| refused(format!("{account}'s wardend at {url} didn't answer: {why}")))?;
		if response.status != 200 {
			let why = response.json()["error"].as_str().map_or_else(|| response.text(), Into::into);
			return Err(refused(format!("{account}'s wardend refused: {why}")));
		}
		let reply: Envelope = serde_json::from_slice(&response.body)
			.map_err(|e| refused(format!("{account}'s wardend answered no envelope: {e}")))?;
		let (from, body) = reply
			.open(self.genesis, &self.me)
			.map_err(|e| refused(format!("{account}'s reply is refused: {e}")))?;
		if from != *to {
			return Err(refused(format!("the reply at {url} is signed by {from}, not {account}")));
		}
		let fresh =
			self.db.write(|tx| tx.take_sequence(&account, reply.sequence)).map_err(db_error)?;
		if !fresh {
			return Err(refused(format!("{account}'s reply is a replay")));
		}
		serde_json::from_value(body)
			.map_err(|e| refused(format!("{account}'s wardend answered an unknown reply: {e}")))
	}

	/// Remembers `account`'s peer API at `url`.
	pub fn set_peer_url(&self, account: &AccountId32, url: &str) -> Result<(), Error> {
		http::resolve(url).map_err(|e| Error::Input(format!("peer: {url}: {e}")))?;
		let account = account.to_string();
		self.db
			.write(|tx| {
				let mut peer = tx.peer(&account)?;
				peer.url = Some(url.trim_end_matches('/').to_string());
				tx.put_peer(&account, &peer)
			})
			.map_err(db_error)
	}

	/// Whether `from` may send us `message`: a party to one of our channels, a SWAP peer,
	/// or the sender of the channel the message's proof or handshake names (which the
	/// follower may not have applied yet), as the chain says.
	async fn is_party(&self, from: &AccountId32, message: &Message) -> Result<bool, Error> {
		let name = from.to_string();
		let known =
			self.db.channels().map_err(db_error)?.iter().any(|(_, c)| c.counterparty == name);
		if known || self.db.ledger(&name).map_err(db_error)?.is_some() {
			return Ok(true);
		}
		let channel = match message {
			Message::Proof { proof } | Message::Cosign { proof } => Some(proof.channel),
			Message::SwapHello { handshake } => handshake.channel.map(|c| c.id),
			Message::SwapCheque { .. } | Message::SwapStop { .. } => None,
		};
		let Some(channel) = channel else { return Ok(false) };
		let client = self.node.client().await;
		let info =
			client.read(warden_client::api::runtime_apis().channels_api().channel(channel)).await?;
		Ok(info.is_some_and(|info| info.sender == *from && info.receiver == self.me))
	}

	async fn on_message(&self, from: &AccountId32, message: Message) -> Result<Reply, Error> {
		match message {
			Message::Proof { proof } => {
				let proof = proof.decode().map_err(|e| Error::Input(e.to_string()))?;
				let (_, record) = self.accept_proof(&proof, Some(from)).await?;
				Ok(Reply::Accepted {
					channel: proof.channel,
					nonce: record.newest.as_ref().map_or(0, |p| p.nonce),
					transferred: Amount(record.transferred()),
				})
			}
			Message::Cosign { proof } => {
				let proof = proof.decode().map_err(|e| Error::Input(e.to_string()))?;
				let signature = self.cosign(&proof, from).await?;
				Ok(Reply::Cosigned {
					signature: format!("0x{}", hex::encode(codec::Encode::encode(&signature))),
				})
			}
			Message::SwapHello { handshake } => {
				Ok(Reply::SwapHello { handshake: self.on_swap_hello(from, &handshake).await? })
			}
			Message::SwapCheque { proof, consumed, provided } => {
				let proof = proof.decode().map_err(|e| Error::Input(e.to_string()))?;
				let credited = self.on_swap_cheque(from, &proof, consumed, provided).await?;
				Ok(Reply::SwapCheque { credited: Amount(credited) })
			}
			Message::SwapStop { reason } => {
				self.on_swap_stop(from, reason)?;
				Ok(Reply::Stopped)
			}
		}
	}
}

/// `text` as an account (SS58 or a development name), for the parameter `field`.
pub fn account_param(field: &str, text: &str) -> Result<AccountId32, Error> {
	parse_account(text).map_err(|e| Error::Input(format!("{field}: {e}")))
}
