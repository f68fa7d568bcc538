//! The agent's database: what it knows of its requests, services, calls and heartbeats,
//! written with the follower's cursor in one transaction per finalized block.
//!
//! | table | key → value | what |
//! |---|---|---|
//! | `requests` | request → [`RequestRecord`] | requests that may name the operator, until decided and gone |
//! | `services` | service → [`ServiceRecord`] | the active services it serves |
//! | `calls` | (service, call) → [`CallRecord`] | open calls of its services |
//! | `heartbeats` | service → window | the last window a heartbeat of it was recorded in |
//! | `sent` | [`SentKey`] → [`SentTx`] | a transaction as signed, recorded before it is sent |
//! | `counters` | name → count | what it did and what happened to it |

use std::path::Path;

use redb::{ReadableTable, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};
use warden_daemon::store::{decode, encode, Error, Store};

use crate::executor::Outcome;

const REQUESTS: TableDefinition<u64, &[u8]> = TableDefinition::new("requests");
const SERVICES: TableDefinition<u64, &[u8]> = TableDefinition::new("services");
const CALLS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("calls");
const HEARTBEATS: TableDefinition<u64, u32> = TableDefinition::new("heartbeats");
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
const SENT: TableDefinition<SentKey, &[u8]> = TableDefinition::new("sent");

/// What the agent decided about a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
	/// To read and judge at the next best block (new, or updated since).
	Check,
	/// Approved at `version` (sent, or final once the chain says so).
	Approved {
		/// The version approved.
		version: u32,
		/// Whether a finalized block holds the approval.
		final_: bool,
	},
	/// Refused by the policy, with why; the rejection is sent.
	Rejected {
		/// Why.
		reason: String,
	},
	/// It doesn't name the operator.
	NotOurs,
}

/// A request the agent follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
	/// The blueprint.
	pub blueprint: u64,
	/// The decision so far.
	pub status: RequestStatus,
}

/// An active service the operator serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
	/// Its blueprint.
	pub blueprint: u64,
	/// The block it started in: heartbeat windows count from it.
	pub start: u64,
	/// The block it ends at.
	pub end: u64,
}

/// A call's key: (service, call).
pub type CallKey = (u64, u64);

/// An open call of one of the operator's services.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
	/// The job's index.
	pub job: u32,
	/// The first block a result is late in.
	pub deadline: u64,
	/// Whether a finalized block holds the operator's result.
	pub answered: bool,
}

/// A transaction the agent sends: what it does, enough to sign it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
	/// Approve `request` at `version`, committing `exposure` percent.
	Approve {
		/// The request.
		request: u64,
		/// Its version.
		version: u32,
		/// The exposure, in percent.
		exposure: u8,
	},
	/// Reject `request`.
	Reject {
		/// The request.
		request: u64,
	},
	/// Submit `outcome` for call `call` of `service`.
	Result {
		/// The service.
		service: u64,
		/// The call.
		call: u64,
		/// The program's outcome.
		outcome: Outcome,
	},
	/// A heartbeat for `service` in `window`.
	Heartbeat {
		/// The service.
		service: u64,
		/// The window it is for.
		window: u32,
	},
}

/// [`SentKey`]'s kind of an approval: (APPROVE, request, version).
pub const APPROVE: u8 = 0;
/// [`SentKey`]'s kind of a rejection: (REJECT, request, 0).
pub const REJECT: u8 = 1;
/// [`SentKey`]'s kind of a result: (RESULT, service, call).
pub const RESULT: u8 = 2;
/// [`SentKey`]'s kind of a heartbeat: (HEARTBEAT, service, window).
pub const HEARTBEAT: u8 = 3;

/// What a sent transaction is keyed by: (kind, subject, detail). One per effect, so an
/// effect is signed once and the same bytes are sent again until they land or can't.
pub type SentKey = (u8, u64, u64);

impl Action {
	/// Its key in the `sent` table.
	pub fn key(&self) -> SentKey {
		match self {
			Action::Approve { request, version, .. } => (APPROVE, *request, u64::from(*version)),
			Action::Reject { request } => (REJECT, *request, 0),
			Action::Result { service, call, .. } => (RESULT, *service, *call),
			Action::Heartbeat { service, window, .. } => (HEARTBEAT, *service, u64::from(*window)),
		}
	}
}

/// A transaction as signed, recorded before it is sent: the same bytes are sent again
/// (after a restart, or when the node dropped them) while they can still be included, so
/// the agent never signs a second transaction for one effect while the first may land.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentTx {
	/// What it does.
	pub action: Action,
	/// The account nonce it uses.
	pub nonce: u64,
	/// The last block it can be included in.
	pub last_block: u64,
	/// Its encoding.
	pub bytes: Vec<u8>,
}

/// Counters, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
	/// Requests approved (final).
	Approved,
	/// Requests rejected (final).
	Rejected,
	/// Results of the operator in finalized blocks.
	Results,
	/// Heartbeats of the operator in finalized blocks.
	Heartbeats,
	/// Calls that closed without the operator's result.
	Missed,
	/// Programs that ended with a result to submit.
	JobsSucceeded,
	/// Programs that failed, timed out or had no program: a `Failure` to submit.
	JobsFailed,
	/// Heartbeat windows that passed without a heartbeat of the operator, counted when
	/// its next heartbeat is recorded.
	HeartbeatsMissed,
	/// Reports and slashes against the operator.
	Reported,
}

impl Counter {
	/// What it counts, for the metrics' help.
	pub fn help(self) -> &'static str {
		match self {
			Counter::Approved => "Approvals of the operator in finalized blocks.",
			Counter::Rejected => "Rejections of the operator in finalized blocks.",
			Counter::Results => "Results of the operator in finalized blocks.",
			Counter::Heartbeats => "Heartbeats of the operator in finalized blocks.",
			Counter::Missed => "Calls that closed without the operator's result.",
			Counter::Reported => "Reports and proposed slashes against the operator.",
			Counter::JobsSucceeded => "Programs that gave a result.",
			Counter::JobsFailed => "Programs that failed or timed out (a Failure result).",
			Counter::HeartbeatsMissed => "Heartbeat windows that passed without a heartbeat.",
		}
	}

	/// Its name in the database and the metrics.
	pub fn name(self) -> &'static str {
		match self {
			Counter::Approved => "requests_approved",
			Counter::Rejected => "requests_rejected",
			Counter::Results => "results",
			Counter::Heartbeats => "heartbeats",
			Counter::Missed => "jobs_late",
			Counter::JobsSucceeded => "jobs_succeeded",
			Counter::JobsFailed => "jobs_failed",
			Counter::HeartbeatsMissed => "heartbeats_missed",
			Counter::Reported => "reports_against",
		}
	}
}

/// The database.
pub struct Db {
	store: Store,
}

impl Db {
	/// Opens (or creates) the file at `path` for the chain with `genesis` and the
	/// operator `account`; refused for another chain or account, or while another agent
	/// has it open.
	pub fn open(path: &Path, genesis: &[u8], account: &[u8]) -> Result<Self, String> {
		let store = Store::open(path, genesis, account, "operator account", |tx| {
			tx.open_table(REQUESTS)?;
			tx.open_table(SERVICES)?;
			tx.open_table(CALLS)?;
			tx.open_table(HEARTBEATS)?;
			tx.open_table(COUNTERS)?;
			tx.open_table(SENT)?;
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

	/// The requests followed, by id.
	pub fn requests(&self) -> Result<Vec<(u64, RequestRecord)>, Error> {
		self.store.records(REQUESTS)
	}

	/// The operator's active services, by id.
	pub fn services(&self) -> Result<Vec<(u64, ServiceRecord)>, Error> {
		self.store.records(SERVICES)
	}

	/// The open calls of the operator's services, by (service, call).
	pub fn calls(&self) -> Result<Vec<(CallKey, CallRecord)>, Error> {
		self.store.records(CALLS)
	}

	/// The transaction signed for `key`, if one was.
	pub fn sent(&self, key: SentKey) -> Result<Option<SentTx>, Error> {
		self.store.read(|tx| Ok(tx.open_table(SENT)?.get(key)?.and_then(|v| decode(v.value()))))
	}

	/// The last window a heartbeat of the operator was recorded in for `service`.
	pub fn heartbeat_window(&self, service: u64) -> Result<Option<u32>, Error> {
		self.store.read(|tx| Ok(tx.open_table(HEARTBEATS)?.get(service)?.map(|v| v.value())))
	}

	/// A counter's value.
	pub fn counter(&self, counter: Counter) -> Result<u64, Error> {
		self.store
			.read(|tx| Ok(tx.open_table(COUNTERS)?.get(counter.name())?.map_or(0, |v| v.value())))
	}
}

/// One write transaction.
pub struct Tx<'a>(pub &'a WriteTransaction);

impl Tx<'_> {
	/// The request `id`, if followed.
	pub fn request(&self, id: u64) -> Result<Option<RequestRecord>, Error> {
		Ok(self.0.open_table(REQUESTS)?.get(id)?.and_then(|v| decode(v.value())))
	}

	/// Follows request `id` as `record`.
	pub fn put_request(&self, id: u64, record: &RequestRecord) -> Result<(), Error> {
		self.0.open_table(REQUESTS)?.insert(id, encode(record).as_slice())?;
		Ok(())
	}

	/// Stops following request `id`.
	pub fn forget_request(&self, id: u64) -> Result<(), Error> {
		self.0.open_table(REQUESTS)?.remove(id)?;
		let mut sent = self.0.open_table(SENT)?;
		for kind in [APPROVE, REJECT] {
			sent.retain_in((kind, id, 0)..=(kind, id, u64::MAX), |_, _| false)?;
		}
		Ok(())
	}

	/// The service `id`, if the operator serves it.
	pub fn service(&self, id: u64) -> Result<Option<ServiceRecord>, Error> {
		Ok(self.0.open_table(SERVICES)?.get(id)?.and_then(|v| decode(v.value())))
	}

	/// Records a service the operator serves.
	pub fn put_service(&self, id: u64, record: &ServiceRecord) -> Result<(), Error> {
		self.0.open_table(SERVICES)?.insert(id, encode(record).as_slice())?;
		Ok(())
	}

	/// Forgets service `id`, its calls and its heartbeats.
	pub fn forget_service(&self, id: u64) -> Result<(), Error> {
		self.0.open_table(SERVICES)?.remove(id)?;
		self.0.open_table(HEARTBEATS)?.remove(id)?;
		let mut calls = self.0.open_table(CALLS)?;
		calls.retain_in((id, 0)..=(id, u64::MAX), |_, _| false)?;
		let mut sent = self.0.open_table(SENT)?;
		for kind in [RESULT, HEARTBEAT] {
			sent.retain_in((kind, id, 0)..=(kind, id, u64::MAX), |_, _| false)?;
		}
		Ok(())
	}

	/// The open call `(service, call)`, if followed.
	pub fn call(&self, service: u64, call: u64) -> Result<Option<CallRecord>, Error> {
		Ok(self.0.open_table(CALLS)?.get((service, call))?.and_then(|v| decode(v.value())))
	}

	/// Follows the open call `(service, call)`.
	pub fn put_call(&self, service: u64, call: u64, record: &CallRecord) -> Result<(), Error> {
		self.0.open_table(CALLS)?.insert((service, call), encode(record).as_slice())?;
		Ok(())
	}

	/// Stops following the call `(service, call)` and forgets its sent result; returns it.
	pub fn forget_call(&self, service: u64, call: u64) -> Result<Option<CallRecord>, Error> {
		self.0.open_table(SENT)?.remove((RESULT, service, call))?;
		Ok(self.0.open_table(CALLS)?.remove((service, call))?.and_then(|v| decode(v.value())))
	}

	/// Records a transaction as signed, before it is sent.
	pub fn put_sent(&self, sent: &SentTx) -> Result<(), Error> {
		self.0.open_table(SENT)?.insert(sent.action.key(), encode(sent).as_slice())?;
		Ok(())
	}

	/// Notes a heartbeat of the operator recorded in `window` of `service`, and forgets
	/// the heartbeats sent for it up to that window. Returns how many windows before it
	/// passed without one (counting from the first, or from the last recorded).
	pub fn heartbeat(&self, service: u64, window: u32) -> Result<u32, Error> {
		let mut table = self.0.open_table(HEARTBEATS)?;
		let last = table.get(service)?.map(|v| v.value());
		let skipped = match last {
			None => window,
			Some(last) if window > last => window.saturating_sub(last).saturating_sub(1),
			Some(_) => return Ok(0),
		};
		table.insert(service, window)?;
		let mut sent = self.0.open_table(SENT)?;
		let up_to = u64::from(window);
		sent.retain_in((HEARTBEAT, service, 0)..=(HEARTBEAT, service, up_to), |_, _| false)?;
		Ok(skipped)
	}

	/// Adds `by` to `counter`.
	pub fn bump(&self, counter: Counter, by: u64) -> Result<(), Error> {
		let mut table = self.0.open_table(COUNTERS)?;
		let now = table.get(counter.name())?.map_or(0, |v| v.value());
		table.insert(counter.name(), now.saturating_add(by))?;
		Ok(())
	}

	/// Moves the follower's cursor to `next`.
	pub fn set_cursor(&self, next: u64) -> Result<(), Error> {
		Store::set_cursor(self.0, next)
	}
}
