//! Acts at best blocks on what the database says: judges requests, runs job programs and
//! submits their results before the deadline, and sends a heartbeat as each window opens.
//!
//! Transactions are sent one after another with the nonce the node's pool gives, each
//! signed within the fee limit. A result is sent at most once: the call's open results
//! are read before it is sent.

use std::{
	collections::{HashMap, HashSet},
	sync::Arc,
	time::Duration,
};

use tokio::sync::{mpsc, Semaphore};
use warden_client::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_warden_services::types::JobOutcome, sp_arithmetic::per_things::Percent,
		},
	},
	AccountId32, Client, Error, Keypair, TxOptions, Wait,
};
use warden_daemon::{Heads, Node, Throttled};

use crate::{
	config::Policy,
	db::{CallKey, Db, RequestRecord, RequestStatus, SentResult},
	executor::{self, CallInput, Outcome},
	lifecycle::{decide_request, heartbeat_due, result_budget, RequestAction, RequestView},
	limits::Limits,
};

/// Blocks kept between a program's end and the call's deadline, for the result to land.
pub const RESULT_MARGIN_BLOCKS: u64 = 2;

/// Blocks after which a heartbeat sent but not recorded is sent again.
pub const HEARTBEAT_RETRY_BLOCKS: u64 = 3;

/// A program's outcome for a call.
type Finished = (CallKey, Outcome);

/// The actor's state between best blocks.
pub struct Actor {
	node: Arc<Node>,
	db: Arc<Db>,
	policy: Arc<Policy>,
	key: Keypair,
	me: AccountId32,
	heads: Arc<Heads>,
	block_time: Duration,
	limits: Limits,
	programs: Arc<Semaphore>,
	/// Calls whose program runs, or whose result was sent.
	handled: HashSet<CallKey>,
	/// Per service, the last window a heartbeat was sent for and the best block then.
	heartbeats: HashMap<u64, (u32, u64)>,
	/// Heartbeat intervals by blueprint, read once.
	intervals: HashMap<u64, u64>,
	results: (mpsc::Sender<Finished>, mpsc::Receiver<Finished>),
}

impl Actor {
	/// An actor for operator `key` under `policy`.
	pub fn new(
		node: Arc<Node>,
		db: Arc<Db>,
		policy: Arc<Policy>,
		key: Keypair,
		heads: Arc<Heads>,
		block_time: Duration,
		limits: Limits,
	) -> Self {
		let me = key.account_id();
		let programs = Arc::new(Semaphore::new(policy.concurrency));
		Self {
			node,
			db,
			policy,
			key,
			me,
			heads,
			block_time,
			limits,
			programs,
			handled: HashSet::new(),
			heartbeats: HashMap::new(),
			intervals: HashMap::new(),
			results: mpsc::channel(64),
		}
	}

	/// Acts every half second until the database fails.
	pub async fn run(mut self) -> Result<(), String> {
		let mut failing = Throttled::default();
		loop {
			match self.step().await {
				Ok(()) => failing.reset(),
				Err(Error::Input(database)) => return Err(database),
				Err(error) => {
					if failing.due() {
						tracing::warn!(%error, "acting failed; retrying");
					}
					if warden_daemon::node::is_connection_error(&error) {
						let _ = self.node.reconnect().await;
					}
				}
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	async fn step(&mut self) -> Result<(), Error> {
		let client = self.node.client().await;
		let best = client.at_best().await?.block_number();
		let finalized = client.at_finalized().await?.block_number();
		self.heads.set(best, finalized);
		self.judge_requests(&client).await?;
		self.start_programs(&client, best).await?;
		self.send_results(&client).await?;
		self.send_heartbeats(&client, best).await
	}

	fn db_error(error: impl std::fmt::Display) -> Error {
		Error::Input(format!("the database failed: {error}"))
	}

	async fn send<P: subxt::tx::Payload>(
		&self,
		client: &Client,
		what: &str,
		call: &P,
	) -> Result<(), Error> {
		let options = TxOptions { max_fee: self.policy.max_fee, ..Default::default() };
		let signed = client.sign(call, &self.key, options).await?;
		match client.submit_signed(&signed, Wait::None, |_| {}).await {
			Ok(_) => {
				tracing::info!(what, nonce = signed.nonce, "sent");
				Ok(())
			}
			Err(error) if error.is_already_pooled() => Ok(()),
			Err(error) => Err(error),
		}
	}

	async fn judge_requests(&mut self, client: &Client) -> Result<(), Error> {
		let requests = self.db.requests().map_err(Self::db_error)?;
		for (id, record) in requests.into_iter().filter(|(_, r)| r.status == RequestStatus::Check) {
			let Some(info) = client.read(api::runtime_apis().services_api().request(id)).await?
			else {
				self.db.write(|tx| tx.forget_request(id)).map_err(Self::db_error)?;
				continue;
			};
			let view = RequestView {
				requester: info.requester,
				ttl: info.ttl,
				min_exposure: info.min_exposure.0,
				version: info.version,
				operators: info
					.operators
					.iter()
					.map(|(who, approval)| (*who, approval.as_ref().map(|p| p.0)))
					.collect(),
			};
			let action = decide_request(&view, &self.me, self.policy.blueprint(record.blueprint));
			let status = match action {
				RequestAction::NotOurs => RequestStatus::NotOurs,
				RequestAction::Approved => {
					RequestStatus::Approved { version: view.version, final_: false }
				}
				RequestAction::Approve { version, exposure } => {
					tracing::info!(request = id, version, exposure, "approving");
					self.send(
						client,
						"approve",
						&api::tx().services().approve(id, version, Percent(exposure)),
					)
					.await?;
					RequestStatus::Approved { version, final_: false }
				}
				RequestAction::Reject { reason } => {
					tracing::info!(request = id, %reason, "rejecting");
					self.send(client, "reject", &api::tx().services().reject(id)).await?;
					RequestStatus::Rejected { reason }
				}
			};
			let record = RequestRecord { status, ..record };
			self.db.write(|tx| tx.put_request(id, &record)).map_err(Self::db_error)?;
		}
		Ok(())
	}

	async fn start_programs(&mut self, client: &Client, best: u64) -> Result<(), Error> {
		let services: HashMap<u64, u64> = self
			.db
			.services()
			.map_err(Self::db_error)?
			.into_iter()
			.map(|(id, s)| (id, s.blueprint))
			.collect();
		for ((service, call_id), call) in self.db.calls().map_err(Self::db_error)? {
			if call.answered || self.handled.contains(&(service, call_id)) {
				continue;
			}
			let key = (service, call_id);
			let job = services
				.get(&service)
				.and_then(|bp| self.policy.blueprint(*bp))
				.and_then(|bp| bp.job(call.job))
				.cloned();
			let Some(budget) =
				result_budget(best, call.deadline, self.block_time, RESULT_MARGIN_BLOCKS)
			else {
				tracing::warn!(
					service,
					call_id,
					deadline = call.deadline,
					"too late to answer the call"
				);
				self.handled.insert(key);
				continue;
			};
			// After a restart the chain may hold our result already: never a second one.
			let open = client.read(api::runtime_apis().services_api().open_calls(service)).await?;
			let Some(open) = open.into_iter().find(|c| c.id == call_id) else { continue };
			self.handled.insert(key);
			if open.results.iter().any(|(who, _)| *who == self.me) {
				continue;
			}
			// Signed before a restart: the same bytes again, no second run.
			if let Some(sent) = self.db.sent_result(key).map_err(Self::db_error)? {
				self.resend(client, key, &sent).await;
				continue;
			}
			let sender = self.results.0.clone();
			let programs = self.programs.clone();
			let input = CallInput::new(service, call_id, call.job, &open.args);
			let max_len = self.limits.result_len;
			tokio::spawn(async move {
				let outcome = match job {
					None => {
						Outcome::Failure(format!("no program for job {}", input.job).into_bytes())
					}
					Some(job) => {
						let Ok(_permit) = programs.acquire_owned().await else { return };
						executor::run(&job, &input, budget, max_len).await
					}
				};
				let _ = sender.send((key, outcome)).await;
			});
		}
		Ok(())
	}

	async fn send_results(&mut self, client: &Client) -> Result<(), Error> {
		while let Ok(((service, call_id), outcome)) = self.results.1.try_recv() {
			let outcome = match outcome {
				Outcome::Success(bytes) => JobOutcome::Success(BoundedVec(bytes)),
				Outcome::Failure(bytes) => JobOutcome::Failure(BoundedVec(bytes)),
			};
			let deadline = self
				.db
				.calls()
				.map_err(Self::db_error)?
				.into_iter()
				.find(|(key, _)| *key == (service, call_id))
				.map(|(_, call)| call.deadline);
			let Some(deadline) = deadline else { continue };
			let call = api::tx().services().submit_result(service, call_id, outcome);
			// Valid until the block before the deadline, recorded before it is sent: after a
			// crash the same bytes go again, never a second result.
			let options = TxOptions {
				max_fee: self.policy.max_fee,
				last_block: Some(deadline.saturating_sub(1)),
				..Default::default()
			};
			let signed = client.sign(&call, &self.key, options).await?;
			let sent = SentResult {
				nonce: signed.nonce,
				last_block: signed.last_block,
				bytes: signed.bytes,
			};
			self.db
				.write(|tx| tx.put_sent_result((service, call_id), &sent))
				.map_err(Self::db_error)?;
			failpoint("result-recorded");
			self.resend(client, (service, call_id), &sent).await;
		}
		Ok(())
	}

	/// Sends the recorded result again (the node drops what it has already).
	async fn resend(&self, client: &Client, (service, call_id): CallKey, sent: &SentResult) {
		let signed = warden_client::Signed {
			hash: Default::default(),
			nonce: sent.nonce,
			last_block: sent.last_block,
			bytes: sent.bytes.clone(),
		};
		match client.submit_signed(&signed, Wait::None, |_| {}).await {
			Ok(_) => tracing::info!(service, call_id, nonce = sent.nonce, "result sent"),
			Err(error) if error.is_already_pooled() => {}
			Err(error) => tracing::warn!(service, call_id, %error, "the result was not accepted"),
		}
	}

	async fn send_heartbeats(&mut self, client: &Client, best: u64) -> Result<(), Error> {
		for (service, record) in self.db.services().map_err(Self::db_error)? {
			let interval = match self.intervals.get(&record.blueprint) {
				Some(interval) => *interval,
				None => {
					let Some(bp) = client
						.read(api::runtime_apis().services_api().blueprint(record.blueprint))
						.await?
					else {
						continue;
					};
					let interval = u64::from(bp.policy.heartbeat_interval);
					self.intervals.insert(record.blueprint, interval);
					interval
				}
			};
			let recorded = self.db.heartbeat_window(service).map_err(Self::db_error)?;
			// A heartbeat sent lately counts as recorded, until it is overdue.
			let sent = self
				.heartbeats
				.get(&service)
				.filter(|(_, at)| best < at.saturating_add(HEARTBEAT_RETRY_BLOCKS))
				.map(|(window, _)| *window);
			let last = recorded.max(sent);
			let Some(window) = heartbeat_due(record.start, record.end, interval, best, last) else {
				continue;
			};
			let metrics = BoundedVec(self.policy.heartbeat_metrics.clone());
			self.send(client, "heartbeat", &api::tx().services().heartbeat(service, metrics))
				.await?;
			self.heartbeats.insert(service, (window, best));
		}
		Ok(())
	}
}

/// In debug builds, stops the process at `name` if `WARDEN_OPERATOR_FAILPOINT` names it, as
/// a crash there would: the end-to-end tests use it to check what a restart does.
fn failpoint(name: &str) {
	#[cfg(debug_assertions)]
	if std::env::var("WARDEN_OPERATOR_FAILPOINT").is_ok_and(|point| point == name) {
		tracing::warn!(name, "failpoint: stopping");
		std::process::exit(137);
	}
	#[cfg(not(debug_assertions))]
	let _ = name;
}
