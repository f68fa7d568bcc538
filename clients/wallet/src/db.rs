//! `wardend`'s database: its channels with the newest proof on each, and the ones settled,
//! written with the follower's cursor in one transaction per finalized block.
//!
//! | table | key → value | what |
//! |---|---|---|
//! | `channels` | channel → [`ChannelRecord`] | open or closing channels the account is a party of |
//! | `settled` | channel → [`Settled`] | how its channels settled |
//! | `peers` | account (SS58) → [`Peer`] | other parties' peer API and the highest message sequence taken from each |
//! | `ledgers` | account (SS58) → `warden_swap::Ledger` | the SWAP ledger with each peer |
//! | `counters` | `"sent_sequence"` → u64 | the highest sequence this daemon signed a peer message with |
//!
//! A sender's next nonce is committed here before a proof's signature leaves the daemon,
//! so two proofs with one nonce are never signed, even across a crash.

use std::path::Path;

use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use warden_daemon::store::{decode, encode, Error, Store};
use warden_swap::Ledger;

const CHANNELS: TableDefinition<u64, &[u8]> = TableDefinition::new("channels");
const SETTLED: TableDefinition<u64, &[u8]> = TableDefinition::new("settled");
const PEERS: TableDefinition<&str, &[u8]> = TableDefinition::new("peers");
const LEDGERS: TableDefinition<&str, &[u8]> = TableDefinition::new("ledgers");
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
const SENT_SEQUENCE: &str = "sent_sequence";

/// Another party's daemon.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
	/// Its peer API (`http://host:port`), if known.
	pub url: Option<String>,
	/// The highest sequence of a message taken from it: a message at or below is a replay.
	pub received_sequence: u64,
}

/// The account's side of a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
	/// It pays, and signs the proofs.
	Sender,
	/// It is paid, and keeps the newest proof to defend it.
	Receiver,
}

/// A balance proof as kept: the sender's signature is the SCALE-encoded `MultiSignature`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofRecord {
	/// Its nonce.
	pub nonce: u64,
	/// The cumulative amount, in planck.
	pub transferred: u128,
	/// The signature's encoding (empty while a sender's is being made).
	pub signature: Vec<u8>,
}

/// Where a channel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
	/// Payments flow.
	Open,
	/// A close started: updates are taken before `settle_from`.
	Closing {
		/// The first block it may settle in.
		settle_from: u64,
	},
}

/// A channel the account is a party of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRecord {
	/// The account's side.
	pub role: Role,
	/// The other party (SS58).
	pub counterparty: String,
	/// The deposit held.
	pub deposit: u128,
	/// Open or closing.
	pub phase: Phase,
	/// The nonce the chain holds for the receiver (0 if none).
	pub chain_nonce: u64,
	/// What the receiver gets if it settles now, as the chain says.
	pub chain_transferred: u128,
	/// The newest proof: signed (a sender) or received (a receiver).
	pub newest: Option<ProofRecord>,
	/// A sender's highest nonce committed: the next proof uses a higher one.
	pub committed_nonce: u64,
}

impl ChannelRecord {
	/// What the newest proof transfers (0 if none).
	pub fn transferred(&self) -> u128 {
		self.newest.as_ref().map_or(0, |p| p.transferred)
	}

	/// Whether the chain holds an older state than the receiver's newest proof, in a
	/// closing channel: the proof must be submitted before `settle_from`.
	pub fn needs_defence(&self) -> bool {
		self.role == Role::Receiver
			&& matches!(self.phase, Phase::Closing { .. })
			&& self.newest.as_ref().is_some_and(|p| p.nonce > self.chain_nonce)
	}
}

/// How a channel settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settled {
	/// The account's side.
	pub role: Role,
	/// The nonce of the proof it settled with.
	pub nonce: u64,
	/// Paid to the receiver.
	pub to_receiver: u128,
	/// Returned to the sender.
	pub to_sender: u128,
	/// The block it settled in.
	pub block: u64,
}

/// The database.
pub struct Db {
	store: Store,
}

impl Db {
	/// Opens (or creates) the file at `path` for the chain with `genesis` and `account`;
	/// refused for another chain or account, or while another `wardend` has it open.
	pub fn open(path: &Path, genesis: &[u8], account: &[u8]) -> Result<Self, String> {
		let store = Store::open(path, genesis, account, "wallet account", |tx| {
			tx.open_table(CHANNELS)?;
			tx.open_table(SETTLED)?;
			tx.open_table(PEERS)?;
			tx.open_table(LEDGERS)?;
			tx.open_table(COUNTERS)?;
			Ok(())
		})?;
		Ok(Self { store })
	}

	/// The follower's cursor.
	pub fn cursor(&self) -> Result<Option<u64>, Error> {
		self.store.cursor()
	}

	/// Runs `f` in one write transaction and commits it.
	pub fn write<T>(&self, f: impl FnOnce(&Tx) -> Result<T, Error>) -> Result<T, Error> {
		self.store.write(|tx| f(&Tx(tx)))
	}

	/// Every channel, by id.
	pub fn channels(&self) -> Result<Vec<(u64, ChannelRecord)>, Error> {
		self.store.records(CHANNELS)
	}

	/// The channel `id`, if the account is a party of it and it hasn't settled.
	pub fn channel(&self, id: u64) -> Result<Option<ChannelRecord>, Error> {
		self.store.read(|tx| Ok(tx.open_table(CHANNELS)?.get(id)?.and_then(|v| decode(v.value()))))
	}

	/// How channel `id` settled, if it did.
	pub fn settled(&self, id: u64) -> Result<Option<Settled>, Error> {
		self.store.read(|tx| Ok(tx.open_table(SETTLED)?.get(id)?.and_then(|v| decode(v.value()))))
	}

	/// The party `account`'s daemon, as known.
	pub fn peer(&self, account: &str) -> Result<Peer, Error> {
		self.store.read(|tx| {
			Ok(tx
				.open_table(PEERS)?
				.get(account)?
				.and_then(|v| decode(v.value()))
				.unwrap_or_default())
		})
	}

	/// Every SWAP ledger, by peer.
	pub fn ledgers(&self) -> Result<Vec<(String, Ledger)>, Error> {
		self.store.read(|tx| {
			let mut out = Vec::new();
			for entry in tx.open_table(LEDGERS)?.iter()? {
				let (key, value) = entry?;
				if let Some(ledger) = decode(value.value()) {
					out.push((key.value().to_string(), ledger));
				}
			}
			Ok(out)
		})
	}

	/// The SWAP ledger with `account`, if any.
	pub fn ledger(&self, account: &str) -> Result<Option<Ledger>, Error> {
		self.store
			.read(|tx| Ok(tx.open_table(LEDGERS)?.get(account)?.and_then(|v| decode(v.value()))))
	}
}

/// One write transaction.
pub struct Tx<'a>(pub &'a redb::WriteTransaction);

impl Tx<'_> {
	/// The channel `id`, if kept.
	pub fn channel(&self, id: u64) -> Result<Option<ChannelRecord>, Error> {
		Ok(self.0.open_table(CHANNELS)?.get(id)?.and_then(|v| decode(v.value())))
	}

	/// Keeps channel `id` as `record`.
	pub fn put_channel(&self, id: u64, record: &ChannelRecord) -> Result<(), Error> {
		self.0.open_table(CHANNELS)?.insert(id, encode(record).as_slice())?;
		Ok(())
	}

	/// Moves channel `id` to the settled ones.
	pub fn settle(&self, id: u64, settled: &Settled) -> Result<(), Error> {
		self.0.open_table(CHANNELS)?.remove(id)?;
		self.0.open_table(SETTLED)?.insert(id, encode(settled).as_slice())?;
		Ok(())
	}

	/// The party `account`'s daemon, as known.
	pub fn peer(&self, account: &str) -> Result<Peer, Error> {
		Ok(self
			.0
			.open_table(PEERS)?
			.get(account)?
			.and_then(|v| decode(v.value()))
			.unwrap_or_default())
	}

	/// Keeps what is known of `account`'s daemon.
	pub fn put_peer(&self, account: &str, peer: &Peer) -> Result<(), Error> {
		self.0.open_table(PEERS)?.insert(account, encode(peer).as_slice())?;
		Ok(())
	}

	/// Takes `sequence` from `account`: whether it is above every sequence taken from it
	/// before (then it is the highest), or a replay.
	pub fn take_sequence(&self, account: &str, sequence: u64) -> Result<bool, Error> {
		let mut peer = self.peer(account)?;
		if sequence <= peer.received_sequence {
			return Ok(false);
		}
		peer.received_sequence = sequence;
		self.put_peer(account, &peer)?;
		Ok(true)
	}

	/// The SWAP ledger with `account`, if any.
	pub fn ledger(&self, account: &str) -> Result<Option<Ledger>, Error> {
		Ok(self.0.open_table(LEDGERS)?.get(account)?.and_then(|v| decode(v.value())))
	}

	/// Keeps the SWAP ledger with `account`.
	pub fn put_ledger(&self, account: &str, ledger: &Ledger) -> Result<(), Error> {
		self.0.open_table(LEDGERS)?.insert(account, encode(ledger).as_slice())?;
		Ok(())
	}

	/// Every SWAP ledger, by peer.
	pub fn ledgers(&self) -> Result<Vec<(String, Ledger)>, Error> {
		let mut out = Vec::new();
		for entry in self.0.open_table(LEDGERS)?.iter()? {
			let (key, value) = entry?;
			if let Some(ledger) = decode(value.value()) {
				out.push((key.value().to_string(), ledger));
			}
		}
		Ok(out)
	}

	/// Spends the next sequence for a signed peer message: committed with this transaction,
	/// so no two messages share one, even across a crash.
	pub fn next_sequence(&self) -> Result<u64, Error> {
		let mut counters = self.0.open_table(COUNTERS)?;
		let next = counters.get(SENT_SEQUENCE)?.map_or(0, |v| v.value()).saturating_add(1);
		counters.insert(SENT_SEQUENCE, next)?;
		Ok(next)
	}

	/// Moves the follower's cursor to `next`.
	pub fn set_cursor(&self, next: u64) -> Result<(), Error> {
		Store::set_cursor(self.0, next)
	}
}
