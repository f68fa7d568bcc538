//! The monitor's one database file (redb, transactional).
//!
//! | table | key → value | what |
//! |---|---|---|
//! | `meta` | name → bytes | the chain's genesis hash and the monitor's account the file belongs to |
//! | `cursor` | `"next"` → block | the next finalized block whose events to apply |
//! | `proofs` | channel → [`StoredProof`] | the newest proof and authorization held per channel |
//! | `pending_candidates` | (channel, sender ‖ receiver) → [`PendingProof`] | proofs for channel ids not issued yet, at most [`MAX_CANDIDATES`] per id from different claimed parties |
//! | `pending_candidates_expiry` | (expires at, channel, sender ‖ receiver) → () | the same proofs by when they expire |
//! | `closing` | channel → block | channels seen closing, until they settle |
//! | `due`, `due_of` | (block, channel) → (), channel → block | updates due at a best block |
//! | `updates` | channel → [`UpdateRecord`] | what the monitor did for a channel, and its outcome |
//! | `sent` | channel → [`SentUpdate`] | the last update transaction signed, recorded before it is sent |
//! | `claims` | channel → final nonce | rewards to claim |
//! | `prune` | (block, channel) → () | update records to drop at a finalized block |
//! | `participants` | account → channels | distinct senders and receivers of held proofs |
//! | `counters` | name → count | lifetime counters ([`Counter`]) |
//!
//! A finalized block's events and the new cursor are written in one transaction
//! ([`Db::write`]), so every event is applied exactly once across crashes. Settled channels
//! are pruned, so the file's size follows the channels being watched.

use std::path::Path;

use codec::{Decode, Encode};
use redb::{
	ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction,
};
use warden_client::signing::{Authorization, Proof};
use warden_daemon::store::Store;

const PROOFS: TableDefinition<u64, &[u8]> = TableDefinition::new("proofs");
const PENDING: TableDefinition<(u64, &[u8]), &[u8]> = TableDefinition::new("pending_candidates");
const PENDING_EXPIRY: TableDefinition<(u64, u64, &[u8]), ()> =
	TableDefinition::new("pending_candidates_expiry");
/// Pending proofs as files kept them before they named their parties; dropped on opening
/// (they can't be checked against parties, and expire within `--pending-blocks` anyway).
const UNNAMED_PENDING: TableDefinition<u64, &[u8]> = TableDefinition::new("pending");

/// The most proofs held for one channel id not issued yet, each from different claimed
/// parties: one party's proofs never displace another's.
pub const MAX_CANDIDATES: usize = 4;
const CLOSING: TableDefinition<u64, u64> = TableDefinition::new("closing");
const DUE: TableDefinition<(u64, u64), ()> = TableDefinition::new("due");
const DUE_OF: TableDefinition<u64, u64> = TableDefinition::new("due_of");
const UPDATES: TableDefinition<u64, &[u8]> = TableDefinition::new("updates");
const SENT: TableDefinition<u64, &[u8]> = TableDefinition::new("sent");
const CLAIMS: TableDefinition<u64, u64> = TableDefinition::new("claims");
const PRUNE: TableDefinition<(u64, u64), ()> = TableDefinition::new("prune");
const PARTICIPANTS: TableDefinition<&[u8], u64> = TableDefinition::new("participants");
const COUNTERS: TableDefinition<&str, u128> = TableDefinition::new("counters");

/// A database error.
pub type Error = redb::Error;

/// A balance proof held for a channel, with what it was checked against.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct StoredProof {
	/// The proof.
	pub proof: Proof,
	/// The receiver's reward authorization for it.
	pub authorization: Authorization,
	/// The channel's sender.
	pub sender: [u8; 32],
	/// The channel's receiver.
	pub receiver: [u8; 32],
	/// When it was stored, in milliseconds since the Unix epoch.
	pub stored_at_ms: u64,
}

/// A proof for a channel id not issued yet, held until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct PendingProof {
	/// The proof.
	pub proof: Proof,
	/// Its authorization.
	pub authorization: Authorization,
	/// The channel's sender as the submission named it; signed the proof.
	pub sender: [u8; 32],
	/// The channel's receiver as the submission named it; signed the authorization.
	pub receiver: [u8; 32],
	/// The last finalized block it is held in: dropped from the next one on.
	pub expires_at: u64,
}

impl PendingProof {
	/// Its claimed parties, sender first: its key among the candidates of its channel id.
	pub fn parties(&self) -> [u8; 64] {
		let mut parties = [0u8; 64];
		parties[..32].copy_from_slice(&self.sender);
		parties[32..].copy_from_slice(&self.receiver);
		parties
	}
}

/// Where the monitor's update of a channel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum UpdateStatus {
	/// Waiting for its slot.
	Scheduled,
	/// Sent; waiting for a finalized block to include it.
	Submitted,
	/// Accepted in a finalized block, and standing.
	Accepted,
	/// Not sent: the chain already held a proof at least as new (the receiver's, or another
	/// monitor's), so sending would only have cost a fee.
	StoodDown,
	/// Accepted, then replaced by a newer proof before settlement: no reward.
	Superseded,
	/// Refused by the chain, or the window ended before it could be sent.
	Failed,
	/// Accepted and its reward claimed.
	Rewarded,
}

impl UpdateStatus {
	/// Its name in the API.
	pub fn name(&self) -> &'static str {
		match self {
			UpdateStatus::Scheduled => "scheduled",
			UpdateStatus::Submitted => "submitted",
			UpdateStatus::Accepted => "accepted",
			UpdateStatus::StoodDown => "stood_down",
			UpdateStatus::Superseded => "superseded",
			UpdateStatus::Failed => "failed",
			UpdateStatus::Rewarded => "rewarded",
		}
	}

	/// Whether nothing more will happen to it.
	pub fn is_final(&self) -> bool {
		matches!(
			self,
			UpdateStatus::StoodDown
				| UpdateStatus::Superseded
				| UpdateStatus::Failed
				| UpdateStatus::Rewarded
		)
	}
}

/// What the monitor did for one channel's close.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct UpdateRecord {
	/// The nonce of the proof it acts with.
	pub nonce: u64,
	/// The reward the authorization promises.
	pub reward: u128,
	/// Where it is.
	pub status: UpdateStatus,
	/// Its slot: the first block the update may be included in, once known.
	pub slot: Option<u64>,
	/// Transactions sent.
	pub attempts: u32,
	/// The best block the last transaction was sent at.
	pub sent_at: Option<u64>,
	/// The last transaction's hash.
	pub extrinsic: Option<[u8; 32]>,
	/// The finalized block that accepted it.
	pub accepted_in: Option<u64>,
	/// The reward claimed.
	pub claimed: Option<u128>,
	/// Why it ended as it did, for people.
	pub detail: String,
}

impl UpdateRecord {
	/// A record for the proof of `nonce` with `reward`, scheduled.
	pub fn new(nonce: u64, reward: u128) -> Self {
		Self {
			nonce,
			reward,
			status: UpdateStatus::Scheduled,
			slot: None,
			attempts: 0,
			sent_at: None,
			extrinsic: None,
			accepted_in: None,
			claimed: None,
			detail: String::new(),
		}
	}
}

/// An update transaction as signed, recorded before it is sent: after a restart the monitor
/// knows whether it can still be included (the account's nonce hasn't passed `nonce` and the
/// chain hasn't passed `last_block`) and sends these same bytes again rather than a second
/// transaction.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SentUpdate {
	/// The proof nonce it carries.
	pub proof_nonce: u64,
	/// Its hash.
	pub hash: [u8; 32],
	/// The monitor account's nonce it uses.
	pub account_nonce: u64,
	/// The last block it can be included in.
	pub last_block: u64,
	/// Its encoding.
	pub bytes: Vec<u8>,
}

/// The lifetime counters, kept in the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
	/// Proofs accepted by the API (stored or replacing an older one).
	ProofsReceived,
	/// Proofs for channels not issued yet that never appeared.
	PendingDropped,
	/// Update transactions sent.
	UpdatesSubmitted,
	/// Updates accepted in a finalized block.
	UpdatesSucceeded,
	/// Updates refused by the chain or too late.
	UpdatesFailed,
	/// Updates not sent because the chain already had a newer proof.
	UpdatesStoodDown,
	/// Rewards claimed.
	RewardsClaimed,
	/// Planck earned.
	RewardsEarned,
	/// Registration renewals sent.
	Renewals,
}

impl Counter {
	/// All counters.
	pub const ALL: [Counter; 9] = [
		Counter::ProofsReceived,
		Counter::PendingDropped,
		Counter::UpdatesSubmitted,
		Counter::UpdatesSucceeded,
		Counter::UpdatesFailed,
		Counter::UpdatesStoodDown,
		Counter::RewardsClaimed,
		Counter::RewardsEarned,
		Counter::Renewals,
	];

	/// Its name in the database, the stats and the metrics.
	pub fn name(&self) -> &'static str {
		match self {
			Counter::ProofsReceived => "proofs_received",
			Counter::PendingDropped => "pending_dropped",
			Counter::UpdatesSubmitted => "updates_submitted",
			Counter::UpdatesSucceeded => "updates_succeeded",
			Counter::UpdatesFailed => "updates_failed",
			Counter::UpdatesStoodDown => "updates_stood_down",
			Counter::RewardsClaimed => "rewards_claimed",
			Counter::RewardsEarned => "rewards_earned",
			Counter::Renewals => "renewals",
		}
	}
}

fn decode<T: Decode>(bytes: &[u8]) -> Result<T, Error> {
	T::decode(&mut &bytes[..])
		.map_err(|e| Error::Corrupted(format!("a record doesn't decode: {e}")))
}

/// The database.
pub struct Db {
	store: Store,
}

/// Sizes for the stats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
	/// Proofs held.
	pub proofs: u64,
	/// Proofs held for channels not issued yet.
	pub pending: u64,
	/// Channels with a held proof that are closing.
	pub closing: u64,
	/// Distinct senders and receivers of held proofs.
	pub participants: u64,
	/// Update records.
	pub updates: u64,
	/// Rewards waiting to be claimed.
	pub claims: u64,
}

impl Db {
	/// Opens (or creates) the file at `path` for the chain with `genesis` and the monitor
	/// `account`; refuses a file of another chain or account, or one another process has
	/// open.
	pub fn open(path: &Path, genesis: &[u8], account: &[u8]) -> Result<Self, String> {
		let store = Store::open(path, genesis, account, "monitor account", |tx| {
			// Every table exists from the start, so readers never miss one.
			tx.open_table(PROOFS)?;
			tx.delete_table(UNNAMED_PENDING)?;
			tx.open_table(PENDING)?;
			tx.open_table(PENDING_EXPIRY)?;
			tx.open_table(CLOSING)?;
			tx.open_table(DUE)?;
			tx.open_table(DUE_OF)?;
			tx.open_table(UPDATES)?;
			tx.open_table(SENT)?;
			tx.open_table(CLAIMS)?;
			tx.open_table(PRUNE)?;
			tx.open_table(PARTICIPANTS)?;
			tx.open_table(COUNTERS)?;
			Ok(())
		})?;
		Ok(Self { store })
	}

	/// Runs `f` in one write transaction and commits it.
	pub fn write<T>(
		&self,
		f: impl FnOnce(&WriteTransaction) -> Result<T, Error>,
	) -> Result<T, Error> {
		self.store.write(f)
	}

	/// Runs `f` in one read transaction.
	pub fn read<T>(
		&self,
		f: impl FnOnce(&ReadTransaction) -> Result<T, Error>,
	) -> Result<T, Error> {
		self.store.read(f)
	}

	/// The next finalized block whose events to apply, if any was applied.
	pub fn cursor(&self) -> Result<Option<u64>, Error> {
		self.store.cursor()
	}

	/// The proof held for `channel`.
	pub fn proof(&self, channel: u64) -> Result<Option<StoredProof>, Error> {
		self.read(|tx| record_in(&tx.open_table(PROOFS)?, channel))
	}

	/// The update record of `channel`.
	pub fn update(&self, channel: u64) -> Result<Option<UpdateRecord>, Error> {
		self.read(|tx| record_in(&tx.open_table(UPDATES)?, channel))
	}

	/// The last update transaction signed for `channel`.
	pub fn sent(&self, channel: u64) -> Result<Option<SentUpdate>, Error> {
		self.read(|tx| record_in(&tx.open_table(SENT)?, channel))
	}

	/// Up to `limit` held proofs after channel `after`.
	pub fn proofs(
		&self,
		after: Option<u64>,
		limit: usize,
	) -> Result<Vec<(u64, StoredProof)>, Error> {
		self.page(PROOFS, after, limit)
	}

	/// Up to `limit` update records after channel `after`.
	pub fn updates(
		&self,
		after: Option<u64>,
		limit: usize,
	) -> Result<Vec<(u64, UpdateRecord)>, Error> {
		self.page(UPDATES, after, limit)
	}

	fn page<T: Decode>(
		&self,
		table: TableDefinition<u64, &[u8]>,
		after: Option<u64>,
		limit: usize,
	) -> Result<Vec<(u64, T)>, Error> {
		let start = match after {
			None => 0,
			Some(u64::MAX) => return Ok(vec![]),
			Some(after) => after.saturating_add(1),
		};
		self.read(|tx| {
			let mut out = Vec::new();
			for entry in tx.open_table(table)?.range(start..)?.take(limit) {
				let (k, v) = entry?;
				out.push((k.value(), decode(v.value())?));
			}
			Ok(out)
		})
	}

	/// The proofs pending for `channel`, one per claimed parties.
	pub fn pending(&self, channel: u64) -> Result<Vec<PendingProof>, Error> {
		self.read(|tx| candidates_in(&tx.open_table(PENDING)?, channel))
	}

	/// Up to `limit` pending proofs of channels below `below` (ids the chain has issued),
	/// starting after channel `after` and wrapping around, so that a re-check that keeps
	/// some of them (their escrow isn't funded yet) reaches the others next time.
	pub fn pending_below(
		&self,
		below: u64,
		after: Option<u64>,
		limit: usize,
	) -> Result<Vec<(u64, PendingProof)>, Error> {
		self.read(|tx| {
			let table = tx.open_table(PENDING)?;
			let start = after.map_or(0, |after| after.saturating_add(1)).min(below);
			let mut out = Vec::new();
			for (from, to) in [(start, below), (0, start)] {
				for entry in table.range((from, &[][..])..(to, &[][..]))? {
					if out.len() >= limit {
						return Ok(out);
					}
					let (k, v) = entry?;
					out.push((k.value().0, decode(v.value())?));
				}
			}
			Ok(out)
		})
	}

	/// The updates due at or before best block `block`: (due block, channel).
	pub fn due(&self, block: u64) -> Result<Vec<(u64, u64)>, Error> {
		self.read(|tx| {
			let mut out = Vec::new();
			for entry in tx.open_table(DUE)?.range((0, 0)..=(block, u64::MAX))? {
				out.push(entry?.0.value());
			}
			Ok(out)
		})
	}

	/// The rewards to claim: (channel, final nonce).
	pub fn claims(&self) -> Result<Vec<(u64, u64)>, Error> {
		self.read(|tx| {
			let mut out = Vec::new();
			for entry in tx.open_table(CLAIMS)?.iter()? {
				let (k, v) = entry?;
				out.push((k.value(), v.value()));
			}
			Ok(out)
		})
	}

	/// The lifetime counters.
	pub fn counters(&self) -> Result<Vec<(Counter, u128)>, Error> {
		self.read(|tx| {
			let table = tx.open_table(COUNTERS)?;
			Counter::ALL
				.iter()
				.map(|c| Ok((*c, table.get(c.name())?.map_or(0, |v| v.value()))))
				.collect()
		})
	}

	/// The sizes of the tables the stats show.
	pub fn sizes(&self) -> Result<Sizes, Error> {
		self.read(|tx| {
			Ok(Sizes {
				proofs: tx.open_table(PROOFS)?.len()?,
				pending: tx.open_table(PENDING)?.len()?,
				closing: tx.open_table(DUE_OF)?.len()?,
				participants: tx.open_table(PARTICIPANTS)?.len()?,
				updates: tx.open_table(UPDATES)?.len()?,
				claims: tx.open_table(CLAIMS)?.len()?,
			})
		})
	}
}

fn candidates_in(
	table: &impl ReadableTable<(u64, &'static [u8]), &'static [u8]>,
	channel: u64,
) -> Result<Vec<PendingProof>, Error> {
	let mut out = Vec::new();
	for entry in table.range((channel, &[][..])..(channel.saturating_add(1), &[][..]))? {
		out.push(decode(entry?.1.value())?);
	}
	Ok(out)
}

/// The record of `channel` in `table` (proofs, update records, sent updates), decoded.
fn record_in<T: Decode>(
	table: &impl ReadableTable<u64, &'static [u8]>,
	channel: u64,
) -> Result<Option<T>, Error> {
	match table.get(channel)? {
		Some(v) => decode(v.value()).map(Some),
		None => Ok(None),
	}
}

/// Changes made inside one write transaction.
pub struct Tx<'a>(pub &'a WriteTransaction);

impl Tx<'_> {
	/// The proof held for `channel`.
	pub fn proof(&self, channel: u64) -> Result<Option<StoredProof>, Error> {
		record_in(&self.0.open_table(PROOFS)?, channel)
	}

	/// Holds `proof` for `channel`, replacing any older one.
	pub fn put_proof(&self, channel: u64, proof: &StoredProof) -> Result<(), Error> {
		let mut table = self.0.open_table(PROOFS)?;
		let previous: Option<StoredProof> = record_in(&table, channel)?;
		table.insert(channel, proof.encode().as_slice())?;
		drop(table);
		if previous.is_none() {
			self.participant(&proof.sender, true)?;
			self.participant(&proof.receiver, true)?;
		}
		Ok(())
	}

	/// Drops the proof of `channel`; returns it.
	pub fn remove_proof(&self, channel: u64) -> Result<Option<StoredProof>, Error> {
		let removed = match self.0.open_table(PROOFS)?.remove(channel)? {
			Some(v) => Some(decode::<StoredProof>(v.value())?),
			None => None,
		};
		if let Some(proof) = &removed {
			self.participant(&proof.sender, false)?;
			self.participant(&proof.receiver, false)?;
		}
		Ok(removed)
	}

	fn participant(&self, who: &[u8; 32], add: bool) -> Result<(), Error> {
		let mut table = self.0.open_table(PARTICIPANTS)?;
		let count = table.get(&who[..])?.map_or(0, |v| v.value());
		let count = if add { count.saturating_add(1) } else { count.saturating_sub(1) };
		if count == 0 {
			table.remove(&who[..])?;
		} else {
			table.insert(&who[..], count)?;
		}
		Ok(())
	}

	/// How many proofs are pending.
	pub fn pending_count(&self) -> Result<u64, Error> {
		Ok(self.0.open_table(PENDING)?.len()?)
	}

	/// The proofs pending for `channel`, one per claimed parties.
	pub fn pending(&self, channel: u64) -> Result<Vec<PendingProof>, Error> {
		candidates_in(&self.0.open_table(PENDING)?, channel)
	}

	/// Holds a proof for a channel not issued yet, replacing the one of the same claimed
	/// parties, if any.
	pub fn put_pending(&self, channel: u64, pending: &PendingProof) -> Result<(), Error> {
		let parties = pending.parties();
		self.remove_pending(channel, &parties)?;
		self.0.open_table(PENDING)?.insert((channel, &parties[..]), pending.encode().as_slice())?;
		self.0
			.open_table(PENDING_EXPIRY)?
			.insert((pending.expires_at, channel, &parties[..]), ())?;
		Ok(())
	}

	/// Drops the pending proof of `channel` from `parties`; whether there was one.
	pub fn remove_pending(&self, channel: u64, parties: &[u8; 64]) -> Result<bool, Error> {
		let removed = match self.0.open_table(PENDING)?.remove((channel, &parties[..]))? {
			Some(v) => Some(decode::<PendingProof>(v.value())?),
			None => None,
		};
		if let Some(pending) = &removed {
			self.0.open_table(PENDING_EXPIRY)?.remove((
				pending.expires_at,
				channel,
				&parties[..],
			))?;
		}
		Ok(removed.is_some())
	}

	/// Drops every pending proof of `channel` (at most [`MAX_CANDIDATES`]); how many.
	pub fn remove_all_pending(&self, channel: u64) -> Result<u64, Error> {
		let mut removed = 0;
		for pending in self.pending(channel)? {
			if self.remove_pending(channel, &pending.parties())? {
				removed += 1;
			}
		}
		Ok(removed)
	}

	/// Drops up to `limit` pending proofs that expired by finalized block `finalized`
	/// (held until `expires_at`, dropped from then on), oldest first; returns how many.
	pub fn drop_expired_pending(&self, finalized: u64, limit: usize) -> Result<u64, Error> {
		let expired: Vec<(u64, [u8; 64])> = {
			let table = self.0.open_table(PENDING_EXPIRY)?;
			let mut out = Vec::new();
			let range = (0, 0, &[][..])..(finalized.saturating_add(1), 0, &[][..]);
			for entry in table.range(range)?.take(limit) {
				let (key_guard, _) = entry?;
				let (_, channel, parties) = key_guard.value();
				let mut key = [0u8; 64];
				if parties.len() == key.len() {
					key.copy_from_slice(parties);
				}
				out.push((channel, key));
			}
			out
		};
		let mut dropped = 0;
		for (channel, parties) in expired {
			if self.remove_pending(channel, &parties)? {
				dropped += 1;
			}
		}
		Ok(dropped)
	}

	/// Notes that `channel` started closing at `block`.
	pub fn set_closing(&self, channel: u64, block: u64) -> Result<(), Error> {
		self.0.open_table(CLOSING)?.insert(channel, block)?;
		Ok(())
	}

	/// Whether `channel` is closing.
	pub fn is_closing(&self, channel: u64) -> Result<bool, Error> {
		Ok(self.0.open_table(CLOSING)?.get(channel)?.is_some())
	}

	/// Forgets that `channel` is closing.
	pub fn remove_closing(&self, channel: u64) -> Result<(), Error> {
		self.0.open_table(CLOSING)?.remove(channel)?;
		Ok(())
	}

	/// Makes the update of `channel` due at best block `block` (one entry per channel).
	pub fn schedule(&self, channel: u64, block: u64) -> Result<(), Error> {
		self.unschedule(channel)?;
		self.0.open_table(DUE)?.insert((block, channel), ())?;
		self.0.open_table(DUE_OF)?.insert(channel, block)?;
		Ok(())
	}

	/// Whether the update of `channel` is due at some block.
	pub fn is_scheduled(&self, channel: u64) -> Result<bool, Error> {
		Ok(self.0.open_table(DUE_OF)?.get(channel)?.is_some())
	}

	/// Drops the due update of `channel`.
	pub fn unschedule(&self, channel: u64) -> Result<(), Error> {
		let previous = self.0.open_table(DUE_OF)?.remove(channel)?.map(|v| v.value());
		if let Some(block) = previous {
			self.0.open_table(DUE)?.remove((block, channel))?;
		}
		Ok(())
	}

	/// The update record of `channel`.
	pub fn update(&self, channel: u64) -> Result<Option<UpdateRecord>, Error> {
		record_in(&self.0.open_table(UPDATES)?, channel)
	}

	/// Writes the update record of `channel`.
	pub fn put_update(&self, channel: u64, record: &UpdateRecord) -> Result<(), Error> {
		self.0.open_table(UPDATES)?.insert(channel, record.encode().as_slice())?;
		Ok(())
	}

	/// Ends the update of `channel` as `record` says and bumps `counter`, unless it already
	/// ended (or was accepted) at the same nonce: the follower and the actor may both see
	/// the end of one update, and it is counted once. Returns whether it wrote.
	pub fn finish_update(
		&self,
		channel: u64,
		record: &UpdateRecord,
		counter: Option<Counter>,
	) -> Result<bool, Error> {
		let now = self.update(channel)?.filter(|now| now.nonce == record.nonce);
		if now.is_some_and(|now| now.status.is_final() || now.status == UpdateStatus::Accepted) {
			return Ok(false);
		}
		self.unschedule(channel)?;
		self.remove_sent(channel)?;
		self.put_update(channel, record)?;
		if let Some(counter) = counter {
			self.bump(counter, 1)?;
		}
		Ok(true)
	}

	/// Drops the update record of `channel`, with its sent transaction.
	pub fn remove_update(&self, channel: u64) -> Result<(), Error> {
		self.0.open_table(UPDATES)?.remove(channel)?;
		self.remove_sent(channel)
	}

	/// The last update transaction signed for `channel`.
	pub fn sent(&self, channel: u64) -> Result<Option<SentUpdate>, Error> {
		record_in(&self.0.open_table(SENT)?, channel)
	}

	/// Records the update transaction about to be sent for `channel`.
	pub fn put_sent(&self, channel: u64, sent: &SentUpdate) -> Result<(), Error> {
		self.0.open_table(SENT)?.insert(channel, sent.encode().as_slice())?;
		Ok(())
	}

	/// Forgets the update transaction of `channel`: it can't be included any more.
	pub fn remove_sent(&self, channel: u64) -> Result<(), Error> {
		self.0.open_table(SENT)?.remove(channel)?;
		Ok(())
	}

	/// Notes a reward to claim for `channel`, which settled with `final_nonce`.
	pub fn add_claim(&self, channel: u64, final_nonce: u64) -> Result<(), Error> {
		self.0.open_table(CLAIMS)?.insert(channel, final_nonce)?;
		Ok(())
	}

	/// Whether a reward is to be claimed for `channel`.
	pub fn has_claim(&self, channel: u64) -> Result<bool, Error> {
		Ok(self.0.open_table(CLAIMS)?.get(channel)?.is_some())
	}

	/// Drops the claim of `channel`.
	pub fn remove_claim(&self, channel: u64) -> Result<(), Error> {
		self.0.open_table(CLAIMS)?.remove(channel)?;
		Ok(())
	}

	/// Drops the update record of `channel` at finalized block `block`.
	pub fn prune_at(&self, block: u64, channel: u64) -> Result<(), Error> {
		self.0.open_table(PRUNE)?.insert((block, channel), ())?;
		Ok(())
	}

	/// Drops the update records due for pruning at or before finalized block `block`
	/// (those still waiting for a claim wait longer).
	pub fn prune_up_to(&self, block: u64) -> Result<u32, Error> {
		let due: Vec<(u64, u64)> = {
			let table = self.0.open_table(PRUNE)?;
			let mut out = Vec::new();
			for entry in table.range((0, 0)..=(block, u64::MAX))? {
				out.push(entry?.0.value());
			}
			out
		};
		let mut pruned = 0;
		for (at, channel) in due {
			self.0.open_table(PRUNE)?.remove((at, channel))?;
			if self.has_claim(channel)? {
				self.prune_at(block.saturating_add(1), channel)?;
				continue;
			}
			self.remove_update(channel)?;
			pruned += 1;
		}
		Ok(pruned)
	}

	/// Adds `by` to `counter`.
	pub fn bump(&self, counter: Counter, by: u128) -> Result<(), Error> {
		let mut table = self.0.open_table(COUNTERS)?;
		let value = table.get(counter.name())?.map_or(0, |v| v.value());
		table.insert(counter.name(), value.saturating_add(by))?;
		Ok(())
	}

	/// Sets the next finalized block to apply.
	pub fn set_cursor(&self, next: u64) -> Result<(), Error> {
		Store::set_cursor(self.0, next)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use warden_client::{signing, Keypair, Scheme, H256};

	fn stored(channel: u64, nonce: u64) -> StoredProof {
		let key = |s: &str| Keypair::from_suri(s, Scheme::Sr25519).expect("dev key");
		let proof = signing::balance_proof(&key("//Ferdie"), H256([1; 32]), channel, nonce, 10);
		let authorization =
			signing::reward_authorization(&key("//Dave"), H256([1; 32]), &proof, 1, None);
		StoredProof { proof, authorization, sender: [1; 32], receiver: [2; 32], stored_at_ms: 0 }
	}

	fn pending(channel: u64, expires_at: u64) -> PendingProof {
		let held = stored(channel, 1);
		PendingProof {
			proof: held.proof,
			authorization: held.authorization,
			sender: held.sender,
			receiver: held.receiver,
			expires_at,
		}
	}

	#[test]
	fn an_update_ended_by_the_follower_is_not_ended_again_by_the_actor() {
		let dir = tempfile::tempdir().expect("a temp dir");
		let db = Db::open(&dir.path().join("m.redb"), &[1; 32], &[2; 32]).expect("opens");
		let scheduled = UpdateRecord::new(4, 5);
		let mut stood_down = scheduled.clone();
		stood_down.status = UpdateStatus::StoodDown;
		let counted = |db: &Db| {
			db.counters()
				.expect("reads")
				.into_iter()
				.find(|(c, _)| *c == Counter::UpdatesStoodDown)
				.map_or(0, |(_, n)| n)
		};
		db.write(|tx| Tx(tx).put_update(7, &scheduled)).expect("writes");
		// The follower sees the chain's own update first and stands down...
		let first =
			db.write(|tx| Tx(tx).finish_update(7, &stood_down, Some(Counter::UpdatesStoodDown)));
		assert!(first.expect("writes"));
		// ...then the actor, which read the record before, decides the same: counted once.
		let second =
			db.write(|tx| Tx(tx).finish_update(7, &stood_down, Some(Counter::UpdatesStoodDown)));
		assert!(!second.expect("writes"));
		assert_eq!(counted(&db), 1);
		// An accepted update isn't turned into a stand-down.
		let mut accepted = UpdateRecord::new(5, 5);
		accepted.status = UpdateStatus::Accepted;
		db.write(|tx| Tx(tx).put_update(8, &accepted)).expect("writes");
		let mut late = accepted.clone();
		late.status = UpdateStatus::StoodDown;
		let third = db.write(|tx| Tx(tx).finish_update(8, &late, Some(Counter::UpdatesStoodDown)));
		assert!(!third.expect("writes"));
		assert_eq!(db.update(8).expect("reads").map(|r| r.status), Some(UpdateStatus::Accepted));
	}

	#[test]
	fn pending_proofs_are_found_by_issued_id_and_dropped_by_expiry() {
		let dir = tempfile::tempdir().expect("a temp dir");
		let path = dir.path().join("m.redb");
		let db = Db::open(&path, &[1; 32], &[2; 32]).expect("opens");
		db.write(|tx| {
			let tx = Tx(tx);
			for channel in [2, 4, 6, 8, 100] {
				tx.put_pending(channel, &pending(channel, 10 + channel))?;
			}
			// Replacing one (same parties) moves its expiry.
			tx.put_pending(8, &pending(8, 30))
		})
		.expect("writes");
		let ids = |found: Vec<(u64, PendingProof)>| found.into_iter().map(|(c, _)| c).collect();
		// Only ids below `NextChannelId`, at most `limit`, after the last one, wrapping.
		let found: Vec<u64> = ids(db.pending_below(7, None, 10).expect("reads"));
		assert_eq!(found, vec![2, 4, 6]);
		let found: Vec<u64> = ids(db.pending_below(7, None, 2).expect("reads"));
		assert_eq!(found, vec![2, 4]);
		let found: Vec<u64> = ids(db.pending_below(7, Some(4), 2).expect("reads"));
		assert_eq!(found, vec![6, 2]);
		let found: Vec<u64> = ids(db.pending_below(7, Some(50), 10).expect("reads"));
		assert_eq!(found, vec![2, 4, 6]);
		assert!(db.pending_below(0, None, 10).expect("reads").is_empty());

		// Expired by finalized block 14: channels 2 and 4 (held until 12 and 14).
		let dropped = db.write(|tx| Tx(tx).drop_expired_pending(14, 10)).expect("writes");
		assert_eq!(dropped, 2);
		assert_eq!(ids(db.pending_below(1_000, None, 10).expect("reads")), vec![6, 8, 100]);
		// At most `limit` a time, oldest first: 6 (16), then 8 (30, moved), then 100 (110).
		assert_eq!(db.write(|tx| Tx(tx).drop_expired_pending(200, 1)).expect("writes"), 1);
		assert_eq!(ids(db.pending_below(1_000, None, 10).expect("reads")), vec![8, 100]);
		assert_eq!(db.write(|tx| Tx(tx).drop_expired_pending(29, 10)).expect("writes"), 0);
		assert_eq!(db.write(|tx| Tx(tx).drop_expired_pending(30, 10)).expect("writes"), 1);
		// Removing one takes its expiry entry too.
		assert_eq!(db.write(|tx| Tx(tx).remove_all_pending(100)).expect("writes"), 1);
		assert_eq!(db.write(|tx| Tx(tx).drop_expired_pending(u64::MAX, 10)).expect("writes"), 0);
		assert_eq!(db.sizes().expect("sizes").pending, 0);
	}

	#[test]
	fn candidates_of_one_id_from_different_parties_live_side_by_side() {
		let dir = tempfile::tempdir().expect("a temp dir");
		let db = Db::open(&dir.path().join("m.redb"), &[1; 32], &[2; 32]).expect("opens");
		let genuine = pending(5, 20);
		let mut forged = pending(5, 20);
		forged.sender = [9; 32];
		forged.proof.nonce = u64::MAX;
		db.write(|tx| {
			let tx = Tx(tx);
			tx.put_pending(5, &genuine)?;
			tx.put_pending(5, &forged)?;
			tx.put_pending(6, &pending(6, 20))
		})
		.expect("writes");
		let held = db.pending(5).expect("reads");
		assert_eq!(held.len(), 2);
		assert!(held.contains(&genuine) && held.contains(&forged));
		assert_eq!(db.pending_below(6, None, 10).expect("reads").len(), 2);
		// One removed by its parties; the other stays.
		assert!(db.write(|tx| Tx(tx).remove_pending(5, &forged.parties())).expect("writes"));
		assert_eq!(db.pending(5).expect("reads"), vec![genuine]);
		assert_eq!(db.pending(6).expect("reads").len(), 1);
	}

	#[test]
	fn pending_proofs_without_parties_are_dropped_when_a_file_is_opened() {
		let dir = tempfile::tempdir().expect("a temp dir");
		let path = dir.path().join("m.redb");
		let db = Db::open(&path, &[1; 32], &[2; 32]).expect("opens");
		db.write(|tx| {
			// As a file written before pending proofs named their parties holds them.
			tx.open_table(UNNAMED_PENDING)?.insert(5, &b"old"[..])?;
			Ok(())
		})
		.expect("writes");
		drop(db);
		let db = Db::open(&path, &[1; 32], &[2; 32]).expect("reopens");
		let left = db
			.read(|tx| {
				Ok(tx.list_tables()?.any(|table| redb::TableHandle::name(&table) == "pending"))
			})
			.expect("reads");
		assert!(!left, "the old table is gone");
		assert_eq!(db.sizes().expect("sizes").pending, 0);
	}

	#[test]
	fn a_file_belongs_to_one_chain_and_account() {
		let dir = tempfile::tempdir().expect("a temp dir");
		let path = dir.path().join("m.redb");
		let db = Db::open(&path, &[1; 32], &[2; 32]).expect("opens");
		db.write(|tx| Tx(tx).set_cursor(5)).expect("writes");
		drop(db);
		let db = Db::open(&path, &[1; 32], &[2; 32]).expect("reopens");
		assert_eq!(db.cursor().expect("reads"), Some(5));
		drop(db);
		assert!(Db::open(&path, &[9; 32], &[2; 32])
			.err()
			.expect("refused")
			.contains("another chain"));
		assert!(Db::open(&path, &[1; 32], &[9; 32])
			.err()
			.expect("refused")
			.contains("monitor account"));
	}

	#[test]
	fn schedules_keep_one_entry_per_channel_and_pruning_empties_the_tables() {
		let dir = tempfile::tempdir().expect("a temp dir");
		let db = Db::open(&dir.path().join("m.redb"), &[1; 32], &[2; 32]).expect("opens");
		db.write(|tx| {
			let tx = Tx(tx);
			tx.put_proof(3, &stored(3, 1))?;
			tx.put_proof(3, &stored(3, 2))?;
			tx.put_proof(4, &stored(4, 1))?;
			tx.schedule(3, 10)?;
			tx.schedule(3, 12)?;
			tx.schedule(4, 11)
		})
		.expect("writes");
		assert_eq!(db.due(11).expect("reads"), vec![(11, 4)]);
		assert_eq!(db.due(20).expect("reads"), vec![(11, 4), (12, 3)]);
		let sizes = db.sizes().expect("sizes");
		assert_eq!((sizes.proofs, sizes.closing, sizes.participants), (2, 2, 2));
		db.write(|tx| {
			let tx = Tx(tx);
			tx.put_update(3, &UpdateRecord::new(2, 1))?;
			tx.prune_at(30, 3)?;
			for channel in [3, 4] {
				tx.unschedule(channel)?;
				tx.remove_proof(channel)?;
			}
			assert_eq!(tx.prune_up_to(29)?, 0);
			assert_eq!(tx.prune_up_to(30)?, 1);
			Ok(())
		})
		.expect("writes");
		assert_eq!(db.sizes().expect("sizes"), Sizes::default());
	}
}
