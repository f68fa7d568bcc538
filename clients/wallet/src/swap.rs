//! SWAP in `wardend`: the `swap_*` methods and the SWAP peer messages, on `warden-swap`'s
//! ledgers, kept in the database (one per peer) and changed in one transaction each.
//!
//! The consumer pays on its own channel to the provider (opened on demand with
//! `--swap-deposit`); a cheque is the next cumulative balance proof on it, committed with
//! the ledger before it is signed. The provider takes a cheque only as a valid proof on a
//! channel the chain has, keeping it as the channel's newest (its daemon defends it like
//! any other), and stops serving a peer whose debt would pass its disconnect threshold,
//! whose count of units disagrees, or whose channel starts closing.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use warden_client::{api, monitor_wire::Amount, monitor_wire::ProofJson, AccountId32, Error};
use warden_swap::{Channel, Cheque, Disconnect, Handshake, Ledger, Refusal};

use crate::{
	db::{ChannelRecord, Phase, Role},
	ops::{db_error, params, refused, Wallet},
	peer::{account_param, Message, Reply},
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Connect {
	/// The provider's account: the channel pays it, and its replies must be signed by it.
	peer: String,
	/// Its peer API.
	url: String,
	/// The deposit of the channel opened to it if there is none (`--swap-deposit` if not
	/// given).
	#[serde(default)]
	deposit: Option<String>,
	/// The most the peer may ask per unit: a dearer handshake is refused.
	#[serde(default)]
	max_price: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
	peer: String,
	/// Units this side provided to the peer.
	#[serde(default)]
	provided: u64,
	/// Units the peer provided to this side.
	#[serde(default)]
	consumed: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Show {
	peer: String,
}

/// A ledger as the methods show it.
pub fn ledger_json(peer: &str, ledger: &Ledger) -> Value {
	let channel = |c: Option<Channel>| {
		c.map(|c| {
			json!({
				"channel": c.id,
				"deposit": Amount(c.deposit),
				"transferred": Amount(c.transferred),
				"nonce": c.nonce,
			})
		})
	};
	json!({
		"peer": peer,
		"balance": ledger.balance().to_string(),
		"their_price": Amount(ledger.their_thresholds().price_per_unit),
		"provided": ledger.provided(),
		"consumed": ledger.consumed(),
		"received": Amount(ledger.received()),
		"paid": Amount(ledger.paid()),
		"incoming": channel(ledger.incoming()),
		"outgoing": channel(ledger.outgoing()),
		"disconnected": ledger.disconnected(),
		"exhausted": ledger.exhausted(),
	})
}

/// A SWAP refusal as the methods report it.
fn refusal(peer: &str, why: Refusal) -> Error {
	refused(format!("SWAP with {peer}: {why:?}"))
}

/// `record` (channel `id`) as the SWAP ledger sees it.
fn as_swap_channel(id: u64, record: &ChannelRecord) -> Channel {
	Channel {
		id,
		deposit: record.deposit,
		transferred: record.transferred(),
		nonce: record.newest.as_ref().map_or(0, |p| p.nonce).max(record.committed_nonce),
	}
}

impl Wallet {
	/// The peer whose SWAP ledger pays on channel `channel`, if one does.
	pub fn swap_channel(&self, channel: u64) -> Result<Option<String>, Error> {
		Ok(self
			.db
			.ledgers()
			.map_err(db_error)?
			.into_iter()
			.find(|(_, ledger)| ledger.outgoing().is_some_and(|c| c.id == channel))
			.map(|(peer, _)| peer))
	}

	/// Applies `change` to the ledger with `name` and keeps it, in one transaction; what
	/// `change` returns.
	fn change_ledger<T>(
		&self,
		name: &str,
		change: impl FnOnce(&mut Ledger) -> T,
	) -> Result<T, Error> {
		self.db
			.write(|tx| {
				let Some(mut ledger) = tx.ledger(name)? else { return Ok(None) };
				let outcome = change(&mut ledger);
				tx.put_ledger(name, &ledger)?;
				Ok(Some(outcome))
			})
			.map_err(db_error)?
			.ok_or_else(|| refused(format!("no SWAP ledger with {name}: swap_connect first")))
	}

	fn ledger(&self, name: &str) -> Result<Ledger, Error> {
		self.db
			.ledger(name)
			.map_err(db_error)?
			.ok_or_else(|| refused(format!("no SWAP ledger with {name}: swap_connect first")))
	}

	/// The account's open channel to `peer`, if any.
	fn open_channel_to(&self, peer: &AccountId32) -> Result<Option<(u64, ChannelRecord)>, Error> {
		let peer = peer.to_string();
		Ok(self.db.channels().map_err(db_error)?.into_iter().find(|(_, c)| {
			c.role == Role::Sender && c.counterparty == peer && c.phase == Phase::Open
		}))
	}

	pub(crate) fn swap_list(&self) -> Result<Value, Error> {
		let ledgers = self.db.ledgers().map_err(db_error)?;
		Ok(Value::Array(ledgers.iter().map(|(peer, l)| ledger_json(peer, l)).collect()))
	}

	pub(crate) fn swap_show(&self, value: Value) -> Result<Value, Error> {
		let Show { peer } = params(value)?;
		let peer = account_param("peer", &peer)?.to_string();
		Ok(ledger_json(&peer, &self.ledger(&peer)?))
	}

	/// `swap_connect`: pays `peer` for its service over SWAP. Opens a channel to it if there
	/// is none, sends the handshake with it, and keeps the ledger made from both sides'.
	pub(crate) async fn swap_connect(&self, value: Value) -> Result<Value, Error> {
		let Connect { peer, url, deposit, max_price } = params(value)?;
		let peer = account_param("peer", &peer)?;
		let deposit = match deposit {
			Some(deposit) => crate::ops::amount_of("deposit", &deposit)?,
			None => self.swap_deposit,
		};
		let max_price =
			max_price.map(|price| crate::ops::amount_of("max_price", &price)).transpose()?;
		self.set_peer_url(&peer, &url)?;
		let name = peer.to_string();
		// A ledger is made once: connecting again keeps the counts both sides agree on.
		if let Some(ledger) = self.db.ledger(&name).map_err(db_error)? {
			return Ok(ledger_json(&name, &ledger));
		}
		// The price the peer publishes, before any deposit is locked for it (its signed
		// handshake is checked again below).
		if let Some(most) = max_price {
			let info = warden_client::http::fetch(
				&url,
				"GET",
				crate::peer::INFO_PATH,
				b"",
				Duration::from_secs(10),
			)
			.await
			.map_err(|why| refused(format!("{peer}'s wardend at {url} didn't answer: {why}")))?
			.json();
			let price =
				info["swap"]["price_per_unit"].as_str().and_then(|p| p.parse::<u128>().ok());
			if price.is_none_or(|price| price > most) {
				return Err(refused(format!(
					"{peer} asks {} a unit, above the most offered",
					price.map_or_else(
						|| "an unknown price".into(),
						warden_client::units::format_amount
					)
				)));
			}
		}
		let (id, record) = match self.open_channel_to(&peer)? {
			Some(open) => open,
			None => {
				let id = self.open_to(&peer, deposit).await?;
				(id, self.record(id)?)
			}
		};
		let outgoing = as_swap_channel(id, &record);
		let hello = Handshake { thresholds: self.swap.thresholds, channel: Some(outgoing) };
		let Reply::SwapHello { handshake } =
			self.send(&peer, &Message::SwapHello { handshake: hello }).await?
		else {
			return Err(refused(format!("{peer}'s wardend answered no handshake")));
		};
		if max_price.is_some_and(|most| handshake.thresholds.price_per_unit > most) {
			return Err(refused(format!(
				"{peer} asks {} a unit, above the most offered",
				warden_client::units::format_amount(handshake.thresholds.price_per_unit)
			)));
		}
		// Their channel to us, if they show one, as our own records have it.
		let theirs = match handshake.channel {
			Some(shown) => Some(self.incoming_from(&peer, shown.id).await?),
			None => None,
		};
		let name = peer.to_string();
		let ledger =
			Ledger::new(self.swap, &Handshake { channel: theirs, ..handshake }, Some(outgoing))
				.map_err(|why| refusal(&name, why))?;
		self.db.write(|tx| tx.put_ledger(&name, &ledger)).map_err(db_error)?;
		tracing::info!(peer = %name, channel = id, "SWAP connected");
		Ok(ledger_json(&name, &ledger))
	}

	/// The channel `id` from `peer` to the account, as this side knows it: open on chain,
	/// with the newest proof taken on it.
	async fn incoming_from(&self, peer: &AccountId32, id: u64) -> Result<Channel, Error> {
		let client = self.node.client().await;
		let info = client
			.read(api::runtime_apis().channels_api().channel(id))
			.await?
			.ok_or_else(|| refused(format!("channel {id} is not open")))?;
		if info.sender != *peer || info.receiver != self.me {
			return Err(refused(format!("channel {id} doesn't pay {} from {peer}", self.me)));
		}
		if !matches!(
			info.phase,
			api::runtime_types::warden_primitives::channels::ChannelPhase::Open
		) {
			return Err(refused(format!("channel {id} is closing")));
		}
		let (transferred, nonce) = match self.db.channel(id).map_err(db_error)? {
			Some(record) => (record.transferred(), record.newest.as_ref().map_or(0, |p| p.nonce)),
			None => (info.transferred, info.nonce),
		};
		Ok(Channel { id, deposit: info.deposit, transferred, nonce })
	}

	/// A peer's handshake: its channel to us is checked on chain and taken as our records
	/// have it; the ledger is made once (a second handshake, even after a disconnection,
	/// keeps it, so a debtor can't start afresh). Answers with our handshake.
	pub(crate) async fn on_swap_hello(
		&self,
		from: &AccountId32,
		theirs: &Handshake,
	) -> Result<Handshake, Error> {
		let name = from.to_string();
		let ours = |ledger: &Ledger| Handshake {
			thresholds: self.swap.thresholds,
			channel: ledger.outgoing(),
		};
		if let Some(ledger) = self.db.ledger(&name).map_err(db_error)? {
			return Ok(ours(&ledger));
		}
		let incoming = match theirs.channel {
			Some(shown) => Some(self.incoming_from(from, shown.id).await?),
			None => None,
		};
		let outgoing = self.open_channel_to(from)?.map(|(id, record)| as_swap_channel(id, &record));
		let ledger = Ledger::new(self.swap, &Handshake { channel: incoming, ..*theirs }, outgoing)
			.map_err(|why| refusal(&name, why))?;
		let made = self
			.db
			.write(|tx| {
				if let Some(kept) = tx.ledger(&name)? {
					return Ok(kept);
				}
				tx.put_ledger(&name, &ledger)?;
				Ok(ledger)
			})
			.map_err(db_error)?;
		tracing::info!(peer = %name, "SWAP peer connected");
		Ok(ours(&made))
	}

	/// A peer's cheque: a valid proof on its channel to us, taken as the channel's newest
	/// and credited to the ledger in one transaction. A cheque whose count of units
	/// disagrees is still kept (the proof is good) but the peer is disconnected.
	pub(crate) async fn on_swap_cheque(
		&self,
		from: &AccountId32,
		proof: &warden_client::signing::Proof,
		consumed: u64,
		provided: u64,
	) -> Result<u128, Error> {
		let name = from.to_string();
		if self.db.ledger(&name).map_err(db_error)?.is_none() {
			return Err(refused(format!("no SWAP ledger with {name}: send a handshake first")));
		}
		let info = self.checked_channel(proof, Some(from)).await?;
		let cheque = Cheque {
			channel: proof.channel,
			nonce: proof.nonce,
			transferred: proof.transferred,
			consumed,
			provided,
		};
		let mut outcome = Err(Refusal::NoChannel);
		self.store_proof(proof, &info, |tx| {
			let Some(mut ledger) = tx.ledger(&name)? else { return Ok(()) };
			// Only a disagreement changes the ledger among the refusals: the proof is kept
			// either way, being a valid proof on a channel that pays us.
			outcome = ledger.receive_cheque(&cheque, true);
			tx.put_ledger(&name, &ledger)
		})?;
		match outcome {
			Ok(credited) => {
				tracing::info!(peer = %name, nonce = proof.nonce, credited, "SWAP cheque taken");
				Ok(credited)
			}
			Err(why) => {
				if why == Refusal::Disagreement {
					tracing::warn!(peer = %name, "the SWAP peer's count disagrees: disconnected");
				}
				Err(refusal(&name, why))
			}
		}
	}

	/// A peer stopped: it can't pay the next cheque, or no longer serves us.
	pub(crate) fn on_swap_stop(&self, from: &AccountId32, reason: Disconnect) -> Result<(), Error> {
		let name = from.to_string();
		tracing::warn!(peer = %name, ?reason, "the SWAP peer stopped");
		self.change_ledger(&name, |ledger| ledger.disconnect(Disconnect::PeerStopped))
	}

	/// `swap_record`: the application's count of units provided to `peer` and consumed from
	/// it. Providing past the peer's disconnect threshold is refused and disconnects it;
	/// consuming up to the peer's payment threshold issues a cheque and sends it, topping
	/// up the channel within `--swap-top-up-limit` when it can't pay, and otherwise stops
	/// consuming and tells the peer.
	pub(crate) async fn swap_record(&self, value: Value) -> Result<Value, Error> {
		let Record { peer, provided, consumed } = params(value)?;
		let account = account_param("peer", &peer)?;
		let name = account.to_string();
		if provided > 0 {
			if let Err(why) = self.change_ledger(&name, |ledger| ledger.provide(provided))? {
				if why == Refusal::DebtOverThreshold {
					tracing::warn!(peer = %name, "the SWAP peer's debt passed the threshold: disconnected");
				}
				return Err(refusal(&name, why));
			}
		}
		let due = consumed > 0 && self.change_ledger(&name, |ledger| ledger.consume(consumed))?;
		let cheque = if due { Some(self.pay_cheque(&account).await?) } else { None };
		let mut shown = ledger_json(&name, &self.ledger(&name)?);
		if let Some(cheque) = cheque {
			shown["cheque"] = cheque;
		}
		Ok(shown)
	}

	/// Issues, signs and sends the cheque due to `peer`.
	async fn pay_cheque(&self, peer: &AccountId32) -> Result<Value, Error> {
		let name = peer.to_string();
		// A top-up makes room for the cheque: one is enough, a second at most.
		for _ in 0..3 {
			let ledger = self.ledger(&name)?;
			let Some(channel) = ledger.outgoing() else {
				return Err(refusal(&name, Refusal::NoOutgoingChannel));
			};
			// A trial on a copy: the real issue happens with the nonce's commit.
			let mut trial = ledger.clone();
			match trial.issue_cheque(channel.nonce.saturating_add(1)) {
				Ok(_) => {
					// The cheque is issued with the nonce's commit, from the ledger as it is
					// then.
					let (proof, issued) = self.sign_next(channel.id, |tx, nonce| {
						let Some(mut ledger) = tx.ledger(&name)? else {
							return Ok(Err(format!("no SWAP ledger with {name}")));
						};
						match ledger.issue_cheque(nonce) {
							Ok(cheque) => {
								tx.put_ledger(&name, &ledger)?;
								Ok(Ok((cheque.transferred, cheque)))
							}
							Err(why) => Ok(Err(format!("SWAP with {name}: {why:?}"))),
						}
					})?;
					tracing::info!(peer = %name, nonce = issued.nonce, transferred = issued.transferred, "SWAP cheque issued");
					let message = Message::SwapCheque {
						proof: ProofJson::new(&proof),
						consumed: issued.consumed,
						provided: issued.provided,
					};
					let sent = self.send(peer, &message).await;
					return Ok(json!({
						"channel": issued.channel,
						"nonce": issued.nonce,
						"transferred": Amount(issued.transferred),
						"delivered": sent.is_ok(),
						"delivery_error": sent.err().map(|e| e.to_string()),
					}));
				}
				Err(Refusal::TopUpNeeded { by }) => {
					// At least a new channel's deposit at a time, within the limit, so a
					// top-up doesn't come with every cheque.
					let room = self.swap.top_up_limit.saturating_sub(channel.deposit);
					let by = by.max(self.swap_deposit).min(room).max(by);
					tracing::info!(peer = %name, channel = channel.id, by, "topping the SWAP channel up");
					self.submit("channel top-up", api::tx().channels().top_up(channel.id, by))
						.await?;
					let record = self.record(channel.id)?;
					let channel = as_swap_channel(channel.id, &record);
					self.change_ledger(&name, |ledger| ledger.topped_up(channel))?;
				}
				Err(Refusal::Exhausted) => {
					// Refused again, the ledger records that it stopped consuming.
					self.change_ledger(&name, |ledger| ledger.issue_cheque(0).err())?;
					tracing::warn!(peer = %name, "the SWAP channel can't pay the next cheque: stopping");
					let _ = self
						.send(peer, &Message::SwapStop { reason: Disconnect::PeerStopped })
						.await;
					return Err(refusal(&name, Refusal::Exhausted));
				}
				Err(why) => return Err(refusal(&name, why)),
			}
		}
		Err(refused(format!("SWAP with {name}: the channel's top-ups made no room for the cheque")))
	}
}
