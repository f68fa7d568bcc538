//! Acts at best blocks on what the database says: judges requests, runs job programs and
//! submits their results before the deadline, and sends a heartbeat as each window opens.
//!
//! Every transaction goes through `Actor::dispatch`: signed, recorded in the database
//! with what it does, then sent. Until the finalized chain shows its effect, it is sent
//! again every few blocks, the same bytes while they can still be included; only when they
//! can't (their nonce was used or they expired) and the best block doesn't show the effect
//! is a new one signed. So a dropped transaction is sent again within the run, a restart
//! doesn't sign a second one, and a result is never submitted twice.

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
	AccountId32, Client, Keypair, Signed, TxOptions, Wait,
};
use warden_daemon::{store, Heads, Node, Throttled};

use crate::{
	config::Policy,
	db::{
		Action, CallKey, Counter, Db, RequestRecord, RequestStatus, SentKey, SentTx, APPROVE,
		HEARTBEAT, RESULT,
	},
	executor::{self, CallInput, Outcome},
	lifecycle::{
		can_resend, decide_request, heartbeat_due, result_budget, window_last_block, RequestAction,
		RequestView,
	},
	limits::Limits,
};

/// Blocks kept between a program's end and the call's deadline, for the result to land.
pub const RESULT_MARGIN_BLOCKS: u64 = 2;

/// Best blocks after which a transaction whose effect isn't final yet is sent again.
pub const RETRY_BLOCKS: u64 = 3;

/// A program's outcome for a call.
type Finished = (CallKey, Outcome);

/// Why a step stopped.
#[derive(Debug)]
enum StepError {
	/// The node failed or refused: retried at the next step.
	Node(warden_client::Error),
	/// The database failed: the agent stops.
	Db(store::Error),
}

impl From<warden_client::Error> for StepError {
	fn from(error: warden_client::Error) -> Self {
		StepError::Node(error)
	}
}

impl From<store::Error> for StepError {
	fn from(error: store::Error) -> Self {
		StepError::Db(error)
	}
}

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
	/// Calls whose program runs or ran in this run.
	handled: HashSet<CallKey>,
	/// The best block each recorded transaction was last sent (or checked) at.
	sent_at: HashMap<SentKey, u64>,
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
			sent_at: HashMap::new(),
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
				Err(StepError::Db(error)) => return Err(format!("the database failed: {error}")),
				Err(StepError::Node(error)) => {
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

	async fn step(&mut self) -> Result<(), StepError> {
		let client = self.node.client().await;
		let best = client.at_best().await?.block_number();
		let finalized = client.at_finalized().await?.block_number();
		self.heads.set(best, finalized);
		self.judge_requests(&client, best).await?;
		self.start_programs(&client, best).await?;
		self.send_results(&client, best).await?;
		self.retry_results(&client, best).await?;
		self.send_heartbeats(&client, best).await
	}

	/// Whether `key` was sent (or checked) less than [`RETRY_BLOCKS`] ago.
	fn recently_sent(&self, key: SentKey, best: u64) -> bool {
		self.sent_at.get(&key).is_some_and(|at| best < at.saturating_add(RETRY_BLOCKS))
	}

	/// Sends `action`, valid up to `last_block` (the default mortality if `None`): the
	/// recorded bytes again if they can still be included, otherwise newly signed and
	/// recorded first. The caller has checked that the best block doesn't show its effect.
	async fn dispatch(
		&mut self,
		client: &Client,
		best: u64,
		action: Action,
		last_block: Option<u64>,
	) -> Result<(), StepError> {
		let key = action.key();
		self.sent_at.insert(key, best);
		if let Some(sent) = self.db.sent(key)? {
			let nonce = u64::from(client.account(&self.me).await?.nonce);
			if can_resend(best, nonce, sent.nonce, sent.last_block) {
				self.submit(client, &sent).await;
				return Ok(());
			}
			tracing::info!(
				?key,
				nonce = sent.nonce,
				"the transaction can't land any more; signing it again"
			);
		}
		let signed = self.sign(client, &action, last_block).await?;
		let sent = SentTx {
			action,
			nonce: signed.nonce,
			last_block: signed.last_block,
			bytes: signed.bytes,
		};
		self.db.write(|tx| tx.put_sent(&sent))?;
		if matches!(sent.action, Action::Result { .. }) {
			if failpoint_set("result-recorded") {
				tracing::warn!("failpoint: stopping");
				std::process::exit(137);
			}
			static DROPPED: std::sync::atomic::AtomicBool =
				std::sync::atomic::AtomicBool::new(false);
			if failpoint_set("result-dropped")
				&& !DROPPED.swap(true, std::sync::atomic::Ordering::Relaxed)
			{
				// As if the node dropped the first one: the retry must send it.
				tracing::warn!("failpoint: not sending the result");
				return Ok(());
			}
		}
		self.submit(client, &sent).await;
		Ok(())
	}

	async fn sign(
		&self,
		client: &Client,
		action: &Action,
		last_block: Option<u64>,
	) -> Result<Signed, warden_client::Error> {
		let options = TxOptions { max_fee: self.policy.max_fee, last_block, ..Default::default() };
		let services = api::tx().services();
		match action {
			Action::Approve { request, version, exposure } => {
				let call = services.approve(*request, *version, Percent(*exposure));
				client.sign(&call, &self.key, options).await
			}
			Action::Reject { request } => {
				client.sign(&services.reject(*request), &self.key, options).await
			}
			Action::Result { service, call, outcome } => {
				let outcome = match outcome {
					Outcome::Success(bytes) => JobOutcome::Success(BoundedVec(bytes.clone())),
					Outcome::Failure(bytes) => JobOutcome::Failure(BoundedVec(bytes.clone())),
				};
				let call = services.submit_result(*service, *call, outcome);
				client.sign(&call, &self.key, options).await
			}
			Action::Heartbeat { service, .. } => {
				let metrics = BoundedVec(self.policy.heartbeat_metrics.clone());
				client.sign(&services.heartbeat(*service, metrics), &self.key, options).await
			}
		}
	}

	/// Sends recorded bytes; a copy already in the pool is fine, any other refusal is
	/// logged and retried later.
	async fn submit(&self, client: &Client, sent: &SentTx) {
		let signed = Signed {
			hash: Default::default(),
			nonce: sent.nonce,
			last_block: sent.last_block,
			bytes: sent.bytes.clone(),
		};
		match client.submit_signed(&signed, Wait::None, |_| {}).await {
			Ok(_) => tracing::info!(action = ?sent.action, nonce = sent.nonce, "sent"),
			Err(error) if error.is_already_pooled() => {}
			Err(error) => {
				tracing::warn!(action = ?sent.action, %error, "not accepted; retrying later")
			}
		}
	}

	async fn judge_requests(&mut self, client: &Client, best: u64) -> Result<(), StepError> {
		for (id, record) in self.db.requests()? {
			// New or updated terms are judged now; an approval not final yet is checked
			// again every few blocks, and sent again if the best block doesn't hold it.
			match record.status {
				RequestStatus::Check => {}
				RequestStatus::Approved { version, final_: false } => {
					if self.recently_sent((APPROVE, id, u64::from(version)), best) {
						continue;
					}
				}
				_ => continue,
			}
			let Some(info) = client.read(api::runtime_apis().services_api().request(id)).await?
			else {
				self.db.write(|tx| tx.forget_request(id))?;
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
					// In the best block; final once the follower sees it.
					let version = view.version;
					self.sent_at.insert((APPROVE, id, u64::from(version)), best);
					RequestStatus::Approved { version, final_: false }
				}
				RequestAction::Approve { version, exposure } => {
					tracing::info!(request = id, version, exposure, "approving");
					let approve = Action::Approve { request: id, version, exposure };
					self.dispatch(client, best, approve, None).await?;
					RequestStatus::Approved { version, final_: false }
				}
				RequestAction::Reject { reason } => {
					tracing::info!(request = id, %reason, "rejecting");
					self.dispatch(client, best, Action::Reject { request: id }, None).await?;
					RequestStatus::Rejected { reason }
				}
			};
			if status != record.status {
				let record = RequestRecord { status, ..record };
				self.db.write(|tx| tx.put_request(id, &record))?;
			}
		}
		Ok(())
	}

	async fn start_programs(&mut self, client: &Client, best: u64) -> Result<(), StepError> {
		let services: HashMap<u64, u64> =
			self.db.services()?.into_iter().map(|(id, s)| (id, s.blueprint)).collect();
		for ((service, call_id), call) in self.db.calls()? {
			let key = (service, call_id);
			if call.answered || self.handled.contains(&key) {
				continue;
			}
			// Signed before (in this run or an earlier one): sent again, never run twice.
			if self.db.sent((RESULT, service, call_id))?.is_some() {
				self.handled.insert(key);
				continue;
			}
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

	async fn send_results(&mut self, client: &Client, best: u64) -> Result<(), StepError> {
		while let Ok(((service, call), outcome)) = self.results.1.try_recv() {
			let deadline = self.db.calls()?.into_iter().find(|(key, _)| *key == (service, call));
			let Some((_, record)) = deadline else { continue };
			let counter = match outcome {
				Outcome::Success(_) => Counter::JobsSucceeded,
				Outcome::Failure(_) => Counter::JobsFailed,
			};
			self.db.write(|tx| tx.bump(counter, 1))?;
			// Valid until the block before the deadline.
			let last_block = Some(record.deadline.saturating_sub(1));
			self.dispatch(client, best, Action::Result { service, call, outcome }, last_block)
				.await?;
		}
		Ok(())
	}

	/// Sends again every result recorded but not final, unless the best block holds it.
	async fn retry_results(&mut self, client: &Client, best: u64) -> Result<(), StepError> {
		for ((service, call), record) in self.db.calls()? {
			let key = (RESULT, service, call);
			if record.answered || best >= record.deadline || self.recently_sent(key, best) {
				continue;
			}
			let Some(sent) = self.db.sent(key)? else { continue };
			let open = client.read(api::runtime_apis().services_api().open_calls(service)).await?;
			let ours = open
				.iter()
				.find(|c| c.id == call)
				.is_some_and(|c| c.results.iter().any(|(who, _)| *who == self.me));
			if ours {
				self.sent_at.insert(key, best);
				continue;
			}
			let last_block = Some(record.deadline.saturating_sub(1));
			self.dispatch(client, best, sent.action, last_block).await?;
		}
		Ok(())
	}

	async fn send_heartbeats(&mut self, client: &Client, best: u64) -> Result<(), StepError> {
		for (service, record) in self.db.services()? {
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
			let recorded = self.db.heartbeat_window(service)?;
			let Some(window) = heartbeat_due(record.start, record.end, interval, best, recorded)
			else {
				continue;
			};
			let key = (HEARTBEAT, service, u64::from(window));
			if self.recently_sent(key, best) {
				continue;
			}
			// Sent before: the best block may hold it already.
			if self.db.sent(key)?.is_some() {
				let status = client
					.read(api::runtime_apis().services_api().heartbeat_status(service))
					.await?;
				let landed = status
					.iter()
					.find(|info| info.operator == self.me)
					.and_then(|info| info.last_heartbeat)
					.and_then(|at| u64::from(at).checked_sub(record.start))
					.is_some_and(|since| since / interval >= u64::from(window));
				if landed {
					self.sent_at.insert(key, best);
					continue;
				}
			}
			let last_block = window_last_block(record.start, record.end, interval, window);
			let heartbeat = Action::Heartbeat { service, window };
			self.dispatch(client, best, heartbeat, Some(last_block)).await?;
		}
		Ok(())
	}
}

/// In debug builds, whether `WARDEN_OPERATOR_FAILPOINT` names `name`: the end-to-end tests
/// use it to act as a crash or a dropped transaction would at that point. Always false in
/// release builds.
fn failpoint_set(name: &str) -> bool {
	#[cfg(debug_assertions)]
	return std::env::var("WARDEN_OPERATOR_FAILPOINT").is_ok_and(|point| point == name);
	#[cfg(not(debug_assertions))]
	{
		let _ = name;
		false
	}
}
