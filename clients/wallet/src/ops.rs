//! The user's operations, one at a time: each JSON-RPC method of `wardend` is one function
//! here, taking its parameters as JSON and returning its result as JSON.
//!
//! The sender signs proofs only here, with the next nonce committed to the database before
//! the signature exists; a receiver takes a proof only if it is the sender's, newer, not
//! decreasing and within the deposit of a channel the chain still has.

use std::{sync::Arc, time::Duration};

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::{Mutex, Notify};
use warden_client::{
	api, http,
	keys::to_chain_account,
	monitor_wire::{Amount, ProofJson, Submission},
	parse_account,
	signing::{self, proof_arg, signature_arg, Proof},
	units, AccountId32, Client, Error, Keypair, Wait,
};
use warden_daemon::{store::Error as StoreError, Heads, Node};

use crate::{
	db::{ChannelRecord, Db, Phase, ProofRecord, Role},
	peer::{Message, Reply},
};

/// How long an operation waits for the follower to apply the block it ended in.
const APPLY_WAIT: Duration = Duration::from_secs(60);

/// The daemon's state, shared by the operations, the follower and the defender.
pub struct Wallet {
	/// The node.
	pub node: Arc<Node>,
	/// The database.
	pub db: Arc<Db>,
	/// The account's key.
	pub key: Keypair,
	/// The account.
	pub me: AccountId32,
	/// The node's heads, as last seen.
	pub heads: Arc<Heads>,
	/// Channel operations are refused while the follower is more finalized blocks than this
	/// behind.
	pub max_lag: u64,
	/// The most reward a hand-off offers a monitor unless told otherwise.
	pub max_reward: u128,
	/// The chain's genesis hash, which every signature names.
	pub genesis: warden_client::H256,
	/// This side's SWAP settings.
	pub swap: warden_swap::Settings,
	/// The deposit of a channel SWAP opens to a peer.
	pub swap_deposit: u128,
	/// Told when `daemon_shutdown` is called.
	pub shutdown: Notify,
	/// One operation at a time.
	lock: Mutex<()>,
}

/// A refusal by the daemon's own rules.
pub fn refused(why: impl Into<String>) -> Error {
	Error::Wallet(why.into())
}

/// A database failure, as the methods report it.
pub fn db_error(error: impl std::fmt::Display) -> Error {
	Error::Wallet(format!("the database failed: {error}"))
}

/// A method's `params` as `T`.
pub fn params<T: for<'a> Deserialize<'a>>(value: Value) -> Result<T, Error> {
	let value = if value.is_null() { json!({}) } else { value };
	serde_json::from_value(value).map_err(|e| Error::Input(format!("bad parameters: {e}")))
}

/// The amount `text` (`1.5`, `1.5WRD`, `10planck`) of parameter `field`.
pub fn amount_of(field: &str, text: &str) -> Result<u128, Error> {
	units::parse_amount(text).map_err(|e| Error::Input(format!("{field}: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Open {
	receiver: String,
	deposit: String,
	/// The receiver's peer API: each payment's proof is delivered there.
	#[serde(default)]
	peer: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelAmount {
	channel: u64,
	amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelOnly {
	channel: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Receive {
	proof: ProofJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandOff {
	/// One channel, or every channel the account receives on with a proof.
	#[serde(default)]
	channel: Option<u64>,
	/// These monitors, or every registered one with an endpoint.
	#[serde(default)]
	monitors: Vec<String>,
	/// The least reward to offer; each monitor gets at least its own minimum.
	#[serde(default)]
	reward: Option<String>,
	/// The most reward to offer (the daemon's `--max-reward` if not given): a monitor
	/// asking more is passed over.
	#[serde(default)]
	max_reward: Option<String>,
}

/// How long a monitor's API may take to answer.
const MONITOR_TIMEOUT: Duration = Duration::from_secs(10);

/// A channel as the methods show it.
pub fn channel_json(id: u64, record: &ChannelRecord) -> Value {
	let (phase, settle_from) = match record.phase {
		Phase::Open => ("open", None),
		Phase::Closing { settle_from } => ("closing", Some(settle_from)),
	};
	json!({
		"channel": id,
		"role": record.role,
		"counterparty": record.counterparty,
		"deposit": Amount(record.deposit),
		"phase": phase,
		"settle_from": settle_from,
		"transferred": Amount(record.transferred()),
		"nonce": record.newest.as_ref().map_or(0, |p| p.nonce),
		"chain_nonce": record.chain_nonce,
		"chain_transferred": Amount(record.chain_transferred),
		"defending": record.needs_defence(),
	})
}

/// `record`'s newest proof for channel `id`, if it has one with a signature.
pub fn newest_proof(id: u64, record: &ChannelRecord) -> Result<Option<Proof>, Error> {
	let Some(newest) = record.newest.as_ref().filter(|p| !p.signature.is_empty()) else {
		return Ok(None);
	};
	let signature = codec::Decode::decode(&mut &newest.signature[..])
		.map_err(|e| refused(format!("the stored proof's signature is unreadable: {e}")))?;
	Ok(Some(Proof { channel: id, nonce: newest.nonce, transferred: newest.transferred, signature }))
}

/// What the daemon's flags set.
pub struct Options {
	/// Channel operations are refused while the follower is more finalized blocks than this
	/// behind.
	pub max_lag: u64,
	/// The most reward a hand-off offers a monitor unless told otherwise.
	pub max_reward: u128,
	/// This side's SWAP settings.
	pub swap: warden_swap::Settings,
	/// The deposit of a channel SWAP opens to a peer.
	pub swap_deposit: u128,
}

impl Wallet {
	/// The daemon's state.
	pub fn new(
		node: Arc<Node>,
		db: Arc<Db>,
		key: Keypair,
		heads: Arc<Heads>,
		genesis: warden_client::H256,
		options: Options,
	) -> Self {
		let me = key.account_id();
		Self {
			node,
			db,
			key,
			me,
			heads,
			max_lag: options.max_lag,
			max_reward: options.max_reward,
			genesis,
			swap: options.swap,
			swap_deposit: options.swap_deposit,
			shutdown: Notify::new(),
			lock: Mutex::new(()),
		}
	}

	/// Runs `method` with `params`. Reads answer at once; operations that change channels
	/// run one at a time, each after the one before it ended.
	pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
		match method {
			"daemon_status" => self.status(),
			"daemon_shutdown" => {
				self.shutdown.notify_one();
				Ok(json!({"stopping": true}))
			}
			"channel_list" => self.list(),
			"channel_show" => self.show(params),
			"swap_list" => self.swap_list(),
			"swap_show" => self.swap_show(params),
			_ => {
				let _one_at_a_time = self.lock.lock().await;
				// What changes channels waits for a follower close to finality.
				self.check_lag()?;
				match method {
					"channel_open" => self.open(params).await,
					"channel_topUp" => self.top_up(params).await,
					"channel_pay" => self.pay(params).await,
					"channel_receive" => self.receive(params).await,
					"channel_close" => self.close(params).await,
					"channel_update" => self.update(params).await,
					"channel_cooperativeClose" => self.cooperative_close(params).await,
					"channel_settle" => self.settle(params).await,
					"escrow_fund" => self.escrow(params, true).await,
					"escrow_withdraw" => self.escrow(params, false).await,
					"monitor_handOff" => self.hand_off(params).await,
					"swap_connect" => self.swap_connect(params).await,
					"swap_record" => self.swap_record(params).await,
					other => Err(Error::Input(format!("no method {other}"))),
				}
			}
		}
	}

	fn applied_up_to(&self) -> Option<u64> {
		self.db.cursor().ok().flatten().map(|next| next.saturating_sub(1))
	}

	fn lag(&self) -> u64 {
		let applied = self.applied_up_to().unwrap_or(0);
		self.heads.finalized().saturating_sub(applied)
	}

	fn check_lag(&self) -> Result<(), Error> {
		let lag = self.lag();
		if lag > self.max_lag {
			return Err(refused(format!(
				"the watcher is {lag} finalized blocks behind (at most {} allowed): wait for it \
				 to catch up",
				self.max_lag
			)));
		}
		Ok(())
	}

	fn status(&self) -> Result<Value, Error> {
		let channels = self.db.channels().map_err(db_error)?;
		Ok(json!({
			"account": self.me.to_string(),
			"node": self.node.url(),
			"best_block": self.heads.best(),
			"finalized_block": self.heads.finalized(),
			"applied_up_to": self.applied_up_to(),
			"lag": self.lag(),
			"node_reachable": self.heads.unreachable_since_ms().is_none(),
			"channels": channels.len(),
			"defending": channels.iter().filter(|(_, c)| c.needs_defence()).count(),
		}))
	}

	fn list(&self) -> Result<Value, Error> {
		let channels = self.db.channels().map_err(db_error)?;
		Ok(Value::Array(channels.iter().map(|(id, c)| channel_json(*id, c)).collect()))
	}

	fn show(&self, value: Value) -> Result<Value, Error> {
		let ChannelOnly { channel } = params(value)?;
		if let Some(record) = self.db.channel(channel).map_err(db_error)? {
			let mut shown = channel_json(channel, &record);
			if let Some(proof) = newest_proof(channel, &record)? {
				shown["proof"] = serde_json::to_value(ProofJson::new(&proof)).unwrap_or_default();
			}
			return Ok(shown);
		}
		match self.db.settled(channel).map_err(db_error)? {
			Some(settled) => Ok(json!({
				"channel": channel,
				"role": settled.role,
				"phase": "settled",
				"nonce": settled.nonce,
				"to_receiver": Amount(settled.to_receiver),
				"to_sender": Amount(settled.to_sender),
				"block": settled.block,
			})),
			None => Err(refused(format!("{} is not a party of channel {channel}", self.me))),
		}
	}

	/// The channel `channel` the account is a party of.
	pub fn record(&self, channel: u64) -> Result<ChannelRecord, Error> {
		self.db
			.channel(channel)
			.map_err(db_error)?
			.ok_or_else(|| refused(format!("{} has no open channel {channel}", self.me)))
	}

	/// The channel `channel` the account is `role` of.
	pub fn record_as(&self, channel: u64, role: Role) -> Result<ChannelRecord, Error> {
		let record = self.record(channel)?;
		if record.role != role {
			return Err(refused(format!(
				"{} is the {} of channel {channel}, not its {}",
				self.me,
				role_name(record.role),
				role_name(role)
			)));
		}
		Ok(record)
	}

	async fn client(&self) -> Client {
		self.node.client().await
	}

	/// Submits `call` and waits for its block to be finalized and applied by the follower,
	/// so the database says what the chain does when the method answers.
	pub async fn submit<P: subxt::tx::Payload>(
		&self,
		what: &str,
		call: P,
	) -> Result<warden_client::Submitted, Error> {
		let client = self.client().await;
		let done = client.submit(&call, &self.key, Wait::Finalized, |_| {}).await?;
		tracing::info!(what, block = done.block.map(|b| b.number), "done");
		if let Some(block) = done.block {
			self.wait_applied(block.number).await?;
		}
		Ok(done)
	}

	async fn wait_applied(&self, number: u64) -> Result<(), Error> {
		let deadline = tokio::time::Instant::now() + APPLY_WAIT;
		while self.applied_up_to().is_none_or(|applied| applied < number) {
			if tokio::time::Instant::now() > deadline {
				return Err(Error::Timeout(format!("the watcher didn't reach block {number}")));
			}
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
		Ok(())
	}

	async fn open(&self, value: Value) -> Result<Value, Error> {
		let Open { receiver, deposit, peer } = params(value)?;
		let receiver =
			parse_account(&receiver).map_err(|e| Error::Input(format!("receiver: {e}")))?;
		let deposit = amount_of("deposit", &deposit)?;
		if let Some(url) = peer {
			self.set_peer_url(&receiver, &url)?;
		}
		let channel = self.open_to(&receiver, deposit).await?;
		let record = self.record(channel)?;
		Ok(channel_json(channel, &record))
	}

	/// Opens a channel to `receiver` with `deposit`: its id, once the follower has it.
	pub async fn open_to(&self, receiver: &AccountId32, deposit: u128) -> Result<u64, Error> {
		if *receiver == self.me {
			return Err(Error::Input("a channel to oneself pays no one".into()));
		}
		let done =
			self.submit("channel open", api::tx().channels().open(*receiver, deposit)).await?;
		let channel = done
			.events
			.iter()
			.find_map(|record| match &record.event {
				api::Event::Channels(
					api::runtime_types::pallet_warden_channels::pallet::Event::ChannelOpened {
						channel,
						..
					},
				) => Some(*channel),
				_ => None,
			})
			.ok_or_else(|| refused("the chain opened no channel"))?;
		Ok(channel)
	}

	async fn top_up(&self, value: Value) -> Result<Value, Error> {
		let ChannelAmount { channel, amount } = params(value)?;
		let amount = amount_of("amount", &amount)?;
		self.record_as(channel, Role::Sender)?;
		self.submit("channel top-up", api::tx().channels().top_up(channel, amount)).await?;
		Ok(channel_json(channel, &self.record(channel)?))
	}

	async fn pay(&self, value: Value) -> Result<Value, Error> {
		let ChannelAmount { channel, amount } = params(value)?;
		let amount = amount_of("amount", &amount)?;
		if amount == 0 {
			return Err(Error::Input("amount: a payment of 0 pays nothing".into()));
		}
		let record = self.record_as(channel, Role::Sender)?;
		if record.phase != Phase::Open {
			return Err(refused(format!("channel {channel} is closing: no more payments")));
		}
		if self.swap_channel(channel)?.is_some() {
			return Err(refused(format!(
				"channel {channel} pays a SWAP peer: its cheques are the payments (`swap_record`)"
			)));
		}
		let transferred = record.transferred().saturating_add(amount);
		if transferred > record.deposit {
			return Err(refused(format!(
				"channel {channel} can pay {} more; top it up first",
				units::format_amount(record.deposit.saturating_sub(record.transferred()))
			)));
		}
		let (proof, ()) = self.sign_next(channel, |_, _| Ok(Ok((transferred, ()))))?;
		tracing::info!(channel, nonce = proof.nonce, transferred, "paid");
		let mut paid = json!({"channel": channel, "proof": ProofJson::new(&proof)});
		// With the receiver's peer API known, the proof goes to its daemon at once.
		let receiver = parse_account(&record.counterparty).map_err(|e| refused(e.to_string()))?;
		if self.db.peer(&record.counterparty).map_err(db_error)?.url.is_some() {
			let delivered =
				self.send(&receiver, &Message::Proof { proof: ProofJson::new(&proof) }).await;
			paid["delivered"] = json!(delivered.is_ok());
			if let Err(error) = delivered {
				tracing::warn!(channel, %error, "the proof was not delivered");
				paid["delivery_error"] = json!(error.to_string());
			}
		}
		Ok(paid)
	}

	/// Signs the next proof of `channel` (the account its sender). The new nonce is
	/// committed to the database before the signature exists, in one transaction with what
	/// `prepare` writes; `prepare` gets the nonce and says the proof's cumulative amount (or
	/// refuses; the nonce is spent all the same). So after a crash the next proof takes a
	/// higher nonce and no two proofs ever share one. The signed proof is committed before it
	/// is returned.
	pub fn sign_next<T>(
		&self,
		channel: u64,
		prepare: impl FnOnce(&crate::db::Tx, u64) -> Result<Result<(u128, T), String>, StoreError>,
	) -> Result<(Proof, T), Error> {
		let prepared = self
			.db
			.write(|tx| {
				let Some(mut now) = tx.channel(channel)? else {
					return Ok(Err(format!("channel {channel} is no longer open")));
				};
				let nonce = now
					.committed_nonce
					.max(now.newest.as_ref().map_or(0, |p| p.nonce))
					.saturating_add(1);
				now.committed_nonce = nonce;
				tx.put_channel(channel, &now)?;
				Ok(prepare(tx, nonce)?.map(|(transferred, extra)| (nonce, transferred, extra)))
			})
			.map_err(db_error)?;
		let (nonce, transferred, extra) = prepared.map_err(refused)?;
		failpoint("pay-committed");
		let proof = signing::balance_proof(&self.key, self.genesis, channel, nonce, transferred);
		let signature = codec::Encode::encode(&proof.signature);
		self.db
			.write(|tx| {
				if let Some(mut now) = tx.channel(channel)? {
					now.newest = Some(ProofRecord { nonce, transferred, signature });
					tx.put_channel(channel, &now)?;
				}
				Ok(())
			})
			.map_err(db_error)?;
		Ok((proof, extra))
	}

	async fn receive(&self, value: Value) -> Result<Value, Error> {
		let Receive { proof } = params(value)?;
		let proof = proof.decode().map_err(|e| Error::Input(e.to_string()))?;
		let (received, record) = self.accept_proof(&proof, None).await?;
		let mut shown = channel_json(proof.channel, &record);
		shown["received"] = json!(Amount(received));
		Ok(shown)
	}

	/// The channel `proof` is for, checked on chain to have the account as its receiver
	/// (and `from` as its sender, if given), and open, with the proof signed by that sender.
	pub async fn checked_channel(
		&self,
		proof: &Proof,
		from: Option<&AccountId32>,
	) -> Result<
		api::runtime_types::warden_primitives::channels::ChannelInfo<AccountId32, u128, u32>,
		Error,
	> {
		let channel = proof.channel;
		if proof.nonce == 0 {
			return Err(Error::Input("proof: a balance proof's nonce starts at 1".into()));
		}
		let client = self.client().await;
		let Some(info) = client.read(api::runtime_apis().channels_api().channel(channel)).await?
		else {
			return Err(refused(format!("channel {channel} is settled: the proof is too late")));
		};
		if info.receiver != self.me || from.is_some_and(|from| info.sender != *from) {
			return Err(refused(format!(
				"channel {channel} doesn't pay {} from this sender",
				self.me
			)));
		}
		let sender = to_chain_account(&info.sender);
		if !proof.is_signed_by(sp_core::H256(self.genesis.0), &sender) {
			return Err(refused("the proof is not signed by the channel's sender"));
		}
		if proof.transferred > info.deposit {
			return Err(refused("the proof transfers more than the channel's deposit"));
		}
		Ok(info)
	}

	/// Takes `proof` as the newest of its channel, from its sender (`from`, when it came
	/// over the peer API): only if the sender signed it for this chain, its nonce is above
	/// the newest one's, its amount doesn't decrease and doesn't exceed the deposit, and
	/// the chain still has the channel. Returns what it added and the channel.
	pub async fn accept_proof(
		&self,
		proof: &Proof,
		from: Option<&AccountId32>,
	) -> Result<(u128, ChannelRecord), Error> {
		let info = self.checked_channel(proof, from).await?;
		let received = self.store_proof(proof, &info, |_| Ok(()))?;
		Ok((received, self.record(proof.channel)?))
	}

	/// Keeps `proof` (checked against the chain's `info`) as its channel's newest, with what
	/// `also` writes, in one transaction: refused unless it is newer and not decreasing.
	/// Returns what it added.
	pub fn store_proof(
		&self,
		proof: &Proof,
		info: &api::runtime_types::warden_primitives::channels::ChannelInfo<AccountId32, u128, u32>,
		also: impl FnOnce(&crate::db::Tx) -> Result<(), StoreError>,
	) -> Result<u128, Error> {
		let channel = proof.channel;
		let signature = codec::Encode::encode(&proof.signature);
		let stored = self
			.db
			.write(|tx| {
				// A channel the follower hasn't seen opening yet is taken from the chain.
				let mut now = tx.channel(channel)?.unwrap_or_else(|| ChannelRecord {
					role: Role::Receiver,
					counterparty: info.sender.to_string(),
					deposit: info.deposit,
					phase: Phase::Open,
					chain_nonce: info.nonce,
					chain_transferred: info.transferred,
					newest: None,
					committed_nonce: 0,
				});
				if now.role != Role::Receiver {
					return Ok(Err(format!("{} is not channel {channel}'s receiver", self.me)));
				}
				let newest = now.newest.as_ref().map_or(0, |p| p.nonce);
				if proof.nonce <= newest {
					return Ok(Err(format!(
						"the proof's nonce {} is not above the newest, {newest}",
						proof.nonce
					)));
				}
				if proof.transferred < now.transferred() {
					return Ok(Err("the proof transfers less than the newest one".into()));
				}
				let received = proof.transferred.saturating_sub(now.transferred());
				now.newest = Some(ProofRecord {
					nonce: proof.nonce,
					transferred: proof.transferred,
					signature,
				});
				tx.put_channel(channel, &now)?;
				also(tx)?;
				Ok(Ok(received))
			})
			.map_err(db_error)?
			.map_err(refused)?;
		tracing::info!(channel, nonce = proof.nonce, transferred = proof.transferred, "received");
		Ok(stored)
	}

	/// The receiver's co-signature of `proof` for a cooperative close, asked by the
	/// channel's sender `from`: only for the newest proof it holds (taken first if newer).
	pub async fn cosign(
		&self,
		proof: &Proof,
		from: &AccountId32,
	) -> Result<sp_runtime::MultiSignature, Error> {
		let record = self.record_as(proof.channel, Role::Receiver)?;
		if record.counterparty != from.to_string() {
			return Err(refused(format!("{from} is not channel {}'s sender", proof.channel)));
		}
		let newest = record.newest.as_ref().map_or(0, |p| p.nonce);
		if proof.nonce > newest {
			self.accept_proof(proof, Some(from)).await?;
		}
		let record = self.record(proof.channel)?;
		let held = newest_proof(proof.channel, &record)?;
		if held
			.as_ref()
			.is_none_or(|held| held.nonce != proof.nonce || held.transferred != proof.transferred)
		{
			return Err(refused(format!(
				"only the newest proof of channel {} is co-signed: nonce {}",
				proof.channel,
				held.map_or(0, |p| p.nonce)
			)));
		}
		tracing::info!(
			channel = proof.channel,
			nonce = proof.nonce,
			"co-signed a cooperative close"
		);
		Ok(signing::cooperative_close_signature(&self.key, self.genesis, proof))
	}

	async fn close(&self, value: Value) -> Result<Value, Error> {
		let ChannelOnly { channel } = params(value)?;
		let record = self.record(channel)?;
		if record.phase != Phase::Open {
			return Err(refused(format!("channel {channel} is already closing")));
		}
		// A receiver closes with its newest proof; a sender admits nothing and the receiver
		// answers with hers.
		let proof = match record.role {
			Role::Receiver => newest_proof(channel, &record)?,
			Role::Sender => None,
		};
		let call = api::tx().channels().close(channel, proof.as_ref().map(proof_arg));
		self.submit("channel close", call).await?;
		Ok(channel_json(channel, &self.record(channel)?))
	}

	async fn update(&self, value: Value) -> Result<Value, Error> {
		let ChannelOnly { channel } = params(value)?;
		let record = self.record(channel)?;
		let proof = newest_proof(channel, &record)?
			.ok_or_else(|| refused(format!("no proof of channel {channel} to submit")))?;
		self.submit("channel update", api::tx().channels().update(channel, proof_arg(&proof)))
			.await?;
		Ok(channel_json(channel, &self.record(channel)?))
	}

	async fn cooperative_close(&self, value: Value) -> Result<Value, Error> {
		let ChannelOnly { channel } = params(value)?;
		let record = self.record(channel)?;
		let proof = newest_proof(channel, &record)?
			.ok_or_else(|| refused(format!("no proof of channel {channel} to settle with")))?;
		let cosigned = match record.role {
			Role::Receiver => signing::cooperative_close_signature(&self.key, self.genesis, &proof),
			// The sender asks the receiver's daemon to co-sign its newest proof, and checks
			// the co-signature before submitting it.
			Role::Sender => {
				let receiver =
					parse_account(&record.counterparty).map_err(|e| refused(e.to_string()))?;
				let reply = self
					.send(&receiver, &Message::Cosign { proof: ProofJson::new(&proof) })
					.await?;
				let Reply::Cosigned { signature } = reply else {
					return Err(refused(format!("{receiver}'s wardend didn't co-sign")));
				};
				let bytes = hex::decode(signature.trim_start_matches("0x"))
					.map_err(|e| refused(format!("the co-signature: {e}")))?;
				let cosigned: sp_runtime::MultiSignature =
					codec::Decode::decode(&mut &bytes[..])
						.map_err(|e| refused(format!("the co-signature: {e}")))?;
				let payload = proof.cooperative_close_payload(sp_core::H256(self.genesis.0));
				if !sp_runtime::traits::Verify::verify(
					&cosigned,
					&payload.signing_bytes()[..],
					&to_chain_account(&receiver),
				) {
					return Err(refused("the receiver's co-signature doesn't verify"));
				}
				cosigned
			}
		};
		let call = api::tx().channels().cooperative_close(
			channel,
			proof_arg(&proof),
			signature_arg(&cosigned),
		);
		self.submit("channel cooperative-close", call).await?;
		self.show(json!({"channel": channel}))
	}

	async fn settle(&self, value: Value) -> Result<Value, Error> {
		let ChannelOnly { channel } = params(value)?;
		let record = self.record(channel)?;
		let Phase::Closing { settle_from } = record.phase else {
			return Err(refused(format!("channel {channel} is open: close it first")));
		};
		let best = self.heads.best();
		if best < settle_from {
			return Err(refused(format!(
				"channel {channel} settles from block {settle_from}; the best block is {best}"
			)));
		}
		self.submit("channel settle", api::tx().channels().settle(channel)).await?;
		self.show(json!({"channel": channel}))
	}
}

impl Wallet {
	async fn escrow(&self, value: Value, fund: bool) -> Result<Value, Error> {
		let ChannelAmount { channel, amount } = params(value)?;
		let amount = amount_of("amount", &amount)?;
		self.record(channel)?;
		let monitoring = api::tx().monitoring();
		if fund {
			self.submit("escrow fund", monitoring.fund_monitoring(channel, amount)).await?;
		} else {
			self.submit("escrow withdraw", monitoring.withdraw_escrow(channel, amount)).await?;
		}
		let client = self.client().await;
		let balance =
			client.read(api::runtime_apis().monitoring_api().escrow_balance(channel)).await?;
		Ok(json!({"channel": channel, "escrow": Amount(balance)}))
	}

	/// The monitors to hand off to: `named`, or every registered one that takes work and
	/// publishes an endpoint; with their endpoints.
	async fn monitors(
		&self,
		client: &Client,
		named: &[String],
	) -> Result<Vec<(AccountId32, String)>, Error> {
		let mut found = Vec::new();
		let mut start_after = None;
		loop {
			let page = client
				.read(api::runtime_apis().monitoring_api().monitors(start_after, 256))
				.await?;
			let Some(last) = page.last().map(|(who, _)| *who) else { break };
			for (who, info) in page {
				let endpoint = String::from_utf8_lossy(&info.endpoint).into_owned();
				if info.release_at.is_none() && !endpoint.is_empty() {
					found.push((who, endpoint));
				}
			}
			start_after = Some(last);
		}
		if named.is_empty() {
			return Ok(found);
		}
		named
			.iter()
			.map(|name| {
				let who =
					parse_account(name).map_err(|e| Error::Input(format!("monitors: {e}")))?;
				found.iter().find(|(m, _)| *m == who).cloned().ok_or_else(|| {
					refused(format!("{who} is not a registered monitor with an endpoint"))
				})
			})
			.collect()
	}

	/// Hands the newest proof of the account's channels (or one) to monitors: funds each
	/// channel's escrow to cover the largest reward, signs a reward authorization naming each
	/// monitor (at least its own minimum), and submits it to the monitor's API. Answers once
	/// every monitor took it (201, 202, or 200 for one it held already); refused otherwise.
	async fn hand_off(&self, value: Value) -> Result<Value, Error> {
		let HandOff { channel, monitors, reward, max_reward } = params(value)?;
		let floor = reward.as_deref().map(|r| amount_of("reward", r)).transpose()?.unwrap_or(0);
		let cap = match max_reward.as_deref() {
			Some(cap) => amount_of("max_reward", cap)?,
			None => self.max_reward,
		};
		if floor > cap {
			return Err(Error::Input("reward: above max_reward".into()));
		}
		// Named monitors must all take the proof. Otherwise every registered monitor is
		// asked, and one that doesn't answer, asks more than the cap or refuses is passed
		// over (a registered monitor is anyone with a deposit: it must not be able to block
		// a hand-off or set its price), as long as one takes each proof.
		let named = !monitors.is_empty();
		let client = self.client().await;
		let monitors = self.monitors(&client, &monitors).await?;
		let mut passed_over = Vec::new();
		let mut pass_over = |monitor: &AccountId32, why: String| -> Result<(), Error> {
			if named {
				return Err(refused(format!("monitor {monitor}: {why}")));
			}
			tracing::warn!(%monitor, %why, "passed over for the hand-off");
			passed_over.push(json!({"monitor": monitor.to_string(), "why": why}));
			Ok(())
		};
		let channels: Vec<(u64, ChannelRecord)> = match channel {
			Some(id) => vec![(id, self.record_as(id, Role::Receiver)?)],
			None => self
				.db
				.channels()
				.map_err(db_error)?
				.into_iter()
				.filter(|(_, c)| c.role == Role::Receiver && c.newest.is_some())
				.collect(),
		};
		// Each monitor's minimum, from its API, within the cap.
		let mut offers = Vec::new();
		for (monitor, endpoint) in &monitors {
			let minimum = match monitor_request(endpoint, "GET", "/api/1/info", b"").await {
				Ok((_, info)) => info
					.get("min_reward")
					.and_then(Value::as_str)
					.and_then(|m| m.parse::<u128>().ok()),
				Err(error) => {
					pass_over(monitor, error.to_string())?;
					continue;
				}
			};
			match minimum {
				None => pass_over(monitor, format!("{endpoint} doesn't say its minimum reward"))?,
				Some(minimum) if minimum > cap => pass_over(
					monitor,
					format!(
						"its minimum reward {} is above the most offered, {}",
						units::format_amount(minimum),
						units::format_amount(cap)
					),
				)?,
				Some(minimum) => offers.push((*monitor, endpoint.clone(), minimum.max(floor))),
			}
		}
		if offers.is_empty() {
			return Err(refused(format!(
				"no monitor takes the hand-off: {}",
				Value::Array(passed_over)
			)));
		}
		let largest = offers.iter().map(|(_, _, reward)| *reward).max().unwrap_or(0);
		let mut handed = Vec::new();
		for (id, record) in channels {
			let Some(proof) = newest_proof(id, &record)? else {
				return Err(refused(format!("no proof of channel {id} to hand off")));
			};
			let escrow =
				client.read(api::runtime_apis().monitoring_api().escrow_balance(id)).await?;
			if escrow < largest {
				let top_up = largest.saturating_sub(escrow);
				self.submit("escrow fund", api::tx().monitoring().fund_monitoring(id, top_up))
					.await?;
			}
			let mut taken = false;
			for (monitor, endpoint, reward) in &offers {
				let authorization = signing::reward_authorization(
					&self.key,
					self.genesis,
					&proof,
					*reward,
					Some(monitor),
				);
				let submission = Submission::new(&proof, &authorization);
				let body = serde_json::to_vec(&submission).unwrap_or_default();
				let status =
					match monitor_request(endpoint, "PUT", "/api/1/balance_proofs", &body).await {
						Ok((status, _)) if (200..=202).contains(&status) => status,
						Ok((status, answer)) => {
							pass_over(
								monitor,
								format!("refused channel {id}: HTTP {status} {answer}"),
							)?;
							continue;
						}
						Err(error) => {
							pass_over(monitor, error.to_string())?;
							continue;
						}
					};
				taken = true;
				tracing::info!(channel = id, %monitor, reward, status, "handed off");
				handed.push(json!({
					"channel": id,
					"nonce": proof.nonce,
					"monitor": monitor.to_string(),
					"reward": Amount(*reward),
					"status": status,
				}));
			}
			if !taken {
				return Err(refused(format!("no monitor took channel {id}'s proof")));
			}
		}
		Ok(json!({"handed_off": handed, "passed_over": passed_over}))
	}
}

/// Sends `method path` with `body` to the monitor API at `endpoint`: its status and JSON.
async fn monitor_request(
	endpoint: &str,
	method: &'static str,
	path: &'static str,
	body: &[u8],
) -> Result<(u16, Value), Error> {
	let endpoint = endpoint.trim_end_matches('/');
	let answer = http::fetch(endpoint, method, path, body, MONITOR_TIMEOUT)
		.await
		.map_err(|why| refused(format!("the monitor at {endpoint} didn't answer: {why}")))?;
	Ok((answer.status, answer.json()))
}

fn role_name(role: Role) -> &'static str {
	match role {
		Role::Sender => "sender",
		Role::Receiver => "receiver",
	}
}

/// In debug builds, stops the process at `name` if `WARDEND_FAILPOINT` names it, as a
/// crash there would: the end-to-end tests use it to check what a restart does.
fn failpoint(name: &str) {
	#[cfg(debug_assertions)]
	if std::env::var("WARDEND_FAILPOINT").is_ok_and(|point| point == name) {
		tracing::warn!(name, "failpoint: stopping");
		std::process::exit(137);
	}
	#[cfg(not(debug_assertions))]
	let _ = name;
}
