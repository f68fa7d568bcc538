//! The scenarios: what each one sets up, signs and sends.
//!
//! - `transfer`: `Balances.transfer_keep_alive` from every sender, the baseline;
//! - `submit_result`: a job's whole lifecycle on one-operator services: the owners'
//!   `call`s, the operators' `submit_result`s for the calls they see, then the closes
//!   (`close_call` for every call the per-block hook hasn't closed by its deadline);
//! - `heartbeat`: one heartbeat from every operator of every heartbeat service;
//! - `monitor_update`: every channel is closing, and its monitor submits the receiver's
//!   newer proofs one nonce after another;
//! - `mix`: transfers, heartbeats (in the next window) and monitor updates at once.

use serde_json::{json, Value};
use warden_client::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_warden_channels::pallet::Event as ChannelsEvent,
			pallet_warden_services::{pallet::Event as ServicesEvent, types::JobOutcome},
			sp_arithmetic::per_things::Percent,
		},
	},
	signing, AtBlock, Keypair,
};

use crate::{
	driver::{Chain, Nonces, Phase, Tx},
	spec::{Accounts, Sizes, BLUEPRINT, UNIT},
};

/// A service's lifetime: longer than any run.
const SERVICE_TTL: u32 = 100_000;

/// A channel's deposit: 100 WRD.
const CHANNEL_DEPOSIT: u128 = 100 * UNIT;

/// What a scenario measured.
pub struct Outcome {
	/// Its name.
	pub name: &'static str,
	/// Its batches, in order.
	pub phases: Vec<Phase>,
	/// What it counts as done: transfers, job lifecycles, heartbeats or updates.
	pub unit: &'static str,
	/// How many of them were done.
	pub done: usize,
	/// Done per second: for a lifecycle, over its phases' spans added up.
	pub per_s: f64,
	/// The runtime's limits the scenario had to keep to.
	pub limits: Vec<String>,
	/// Anything else worth knowing.
	pub notes: Vec<String>,
}

impl Outcome {
	fn single(name: &'static str, unit: &'static str, phase: Phase, limits: Vec<String>) -> Self {
		let done = phase.included - phase.failed;
		let per_s = if phase.span_s > 0.0 { done as f64 / phase.span_s } else { 0.0 };
		Outcome { name, phases: vec![phase], unit, done, per_s, limits, notes: vec![] }
	}

	/// Whether every transaction was included and none failed (a `close_call` the hook
	/// beat to its call fails by design and is not counted).
	pub fn clean(&self) -> bool {
		self.phases.iter().all(Phase::clean)
	}

	/// The outcome as JSON; `baseline` is the transfers' rate of the same run.
	pub fn to_json(&self, baseline: Option<f64>) -> Value {
		json!({
			"name": self.name,
			"unit": self.unit,
			"done": self.done,
			"per_s": self.per_s,
			"ratio_to_transfer": baseline.filter(|b| *b > 0.0).map(|b| self.per_s / b),
			"all_included": self.clean(),
			"limits": self.limits,
			"notes": self.notes,
			"phases": self.phases.iter().map(Phase::to_json).collect::<Vec<_>>(),
		})
	}
}

/// What the setup made.
#[derive(Default)]
pub struct Setup {
	/// Each job service's id, by job operator index.
	pub job_services: Vec<u64>,
	/// Each heartbeat service's id, by heartbeat owner index.
	pub heartbeat_services: Vec<u64>,
	/// Each channel's id, by channel index.
	pub channels: Vec<u64>,
	/// The next monitor-update nonce of each channel.
	pub update_nonces: Vec<u64>,
}

/// The benchmark's state across scenarios.
pub struct Bench<'a> {
	/// The node.
	pub chain: &'a Chain,
	/// Every key.
	pub accounts: &'a Accounts,
	/// How much of everything.
	pub sizes: Sizes,
	/// Connections to send from.
	pub connections: usize,
	/// Nonces of every account.
	pub nonces: Nonces,
	/// What the setup made.
	pub setup: Setup,
}

fn bytes(data: &[u8]) -> BoundedVec<u8> {
	BoundedVec(data.to_vec())
}

impl<'a> Bench<'a> {
	fn sign<P: subxt::tx::Payload>(
		&mut self,
		at: &AtBlock,
		payload: &P,
		key: &Keypair,
		lane: usize,
	) -> Result<Tx, String> {
		let nonce = self.nonces.take(&key.account_id());
		Chain::sign(at, payload, key, nonce, lane)
	}

	/// Runs a setup batch: every transaction must succeed.
	async fn setup_phase(&mut self, name: &str, txs: Vec<Tx>) -> Result<Vec<api::Event>, String> {
		eprintln!("[load] {name}: {} transactions", txs.len());
		let phase = self.chain.run_setup(name, txs, self.connections).await?;
		if !phase.clean() {
			return Err(format!(
				"setup `{name}`: {} sent, {} refused ({:?}), {} included, {} failed",
				phase.submitted, phase.rejected, phase.rejections, phase.included, phase.failed
			));
		}
		Ok(phase.events)
	}

	/// Makes the services, channels and monitors the scenarios `needs` use.
	pub async fn set_up(
		&mut self,
		jobs: bool,
		heartbeats: bool,
		channels: bool,
	) -> Result<(), String> {
		let accounts = self.accounts;
		let sizes = self.sizes;
		let at = self.chain.at().await?;
		let services = api::tx().services();
		let mut txs = vec![];
		let mut lane = 0;
		// 1. Requests, channels and monitors.
		if jobs {
			for (owner, operator) in accounts.job_owners.iter().zip(&accounts.job_operators) {
				let call = services.request(
					BLUEPRINT,
					BoundedVec(vec![operator.account_id()]),
					BoundedVec(vec![]),
					SERVICE_TTL,
					Percent(1),
					0,
				);
				txs.push(self.sign(&at, &call, owner, lane)?);
				lane += 1;
			}
		}
		if heartbeats {
			for (index, owner) in accounts.heartbeat_owners.iter().enumerate() {
				let call = services.request(
					BLUEPRINT,
					BoundedVec(self.heartbeat_group(index).map(|k| k.account_id()).collect()),
					BoundedVec(vec![]),
					SERVICE_TTL,
					Percent(1),
					0,
				);
				txs.push(self.sign(&at, &call, owner, lane)?);
				lane += 1;
			}
		}
		if channels {
			for (sender, receiver) in
				accounts.channel_senders.iter().zip(&accounts.channel_receivers)
			{
				let call = api::tx().channels().open(receiver.account_id(), CHANNEL_DEPOSIT);
				txs.push(self.sign(&at, &call, sender, lane)?);
				lane += 1;
			}
			for monitor in &accounts.monitors {
				let call = api::tx()
					.monitoring()
					.register_monitor(10 * UNIT, bytes(b"http://127.0.0.1:1"));
				txs.push(self.sign(&at, &call, monitor, lane)?);
				lane += 1;
			}
		}
		let events = self.setup_phase("setup: requests, channels, monitors", txs).await?;
		let mut requests = std::collections::HashMap::new();
		let mut opened = std::collections::HashMap::new();
		for event in events {
			match event {
				api::Event::Services(ServicesEvent::ServiceRequested {
					request,
					requester,
					..
				}) => {
					requests.insert(requester.0, request);
				}
				api::Event::Channels(ChannelsEvent::ChannelOpened { channel, sender, .. }) => {
					opened.insert(sender.0, channel);
				}
				_ => {}
			}
		}
		let request_of = |owner: &Keypair| {
			requests
				.get(&owner.account_id().0)
				.copied()
				.ok_or_else(|| format!("no ServiceRequested event for {}", owner.account_id()))
		};
		self.setup.channels = accounts
			.channel_senders
			.iter()
			.map(|sender| {
				opened
					.get(&sender.account_id().0)
					.copied()
					.ok_or_else(|| format!("no ChannelOpened event for {}", sender.account_id()))
			})
			.collect::<Result<_, _>>()?;

		// 2. Approvals and escrows.
		let at = self.chain.at().await?;
		let mut txs = vec![];
		let mut service_requests = vec![];
		if jobs {
			for (owner, operator) in accounts.job_owners.iter().zip(&accounts.job_operators) {
				let request = request_of(owner)?;
				service_requests.push(request);
				let call = services.approve(request, 0, Percent(1));
				txs.push(self.sign(&at, &call, operator, lane)?);
				lane += 1;
			}
		}
		let mut heartbeat_requests = vec![];
		if heartbeats {
			for (index, owner) in accounts.heartbeat_owners.iter().enumerate() {
				let request = request_of(owner)?;
				heartbeat_requests.push(request);
				let group: Vec<usize> = self.heartbeat_group_indices(index).collect();
				for operator in group {
					let key = &accounts.heartbeat_operators[operator];
					let call = services.approve(request, 0, Percent(1));
					txs.push(self.sign(&at, &call, key, 1_000_000 + operator)?);
				}
			}
		}
		if channels {
			for (receiver, channel) in
				accounts.channel_receivers.iter().zip(self.setup.channels.clone())
			{
				let call = api::tx().monitoring().fund_monitoring(channel, UNIT);
				txs.push(self.sign(&at, &call, receiver, lane)?);
				lane += 1;
			}
		}
		let events = self.setup_phase("setup: approvals, escrows", txs).await?;
		let mut activated = std::collections::HashMap::new();
		for event in events {
			if let api::Event::Services(ServicesEvent::ServiceActivated {
				service, request, ..
			}) = event
			{
				activated.insert(request, service);
			}
		}
		let service_of = |request: &u64| {
			activated
				.get(request)
				.copied()
				.ok_or_else(|| format!("request {request} was not activated"))
		};
		self.setup.job_services =
			service_requests.iter().map(service_of).collect::<Result<_, _>>()?;
		self.setup.heartbeat_services =
			heartbeat_requests.iter().map(service_of).collect::<Result<_, _>>()?;

		// 3. Channels start closing, with nothing transferred yet.
		if channels {
			let at = self.chain.at().await?;
			let mut txs = vec![];
			for (index, (sender, channel)) in
				accounts.channel_senders.iter().zip(self.setup.channels.clone()).enumerate()
			{
				let call = api::tx().channels().close(channel, None);
				txs.push(self.sign(&at, &call, sender, index)?);
			}
			self.setup_phase("setup: channels closing", txs).await?;
			self.setup.update_nonces = vec![1; sizes.channels];
		}
		Ok(())
	}

	/// The heartbeat operators that serve heartbeat service `index`, by index.
	fn heartbeat_group_indices(&self, index: usize) -> impl Iterator<Item = usize> {
		let per = self.sizes.heartbeat_operators_per_service;
		let group = index / self.sizes.heartbeat_services_per_group;
		group * per..(group + 1) * per
	}

	fn heartbeat_group(&self, index: usize) -> impl Iterator<Item = &'a Keypair> + '_ {
		let accounts = self.accounts;
		self.heartbeat_group_indices(index).map(move |i| &accounts.heartbeat_operators[i])
	}

	fn transfers(&mut self, at: &AtBlock, count: usize) -> Result<Vec<Tx>, String> {
		let sink = self.accounts.sink.account_id();
		let senders = self.accounts.senders.len();
		(0..count)
			.map(|i| {
				let sender = &self.accounts.senders[i % senders];
				let call = api::tx().balances().transfer_keep_alive(sink.into(), UNIT / 1_000);
				self.sign(at, &call, sender, i % senders)
			})
			.collect()
	}

	fn heartbeats(&mut self, at: &AtBlock) -> Result<Vec<Tx>, String> {
		let mut txs = vec![];
		for (index, service) in self.setup.heartbeat_services.clone().into_iter().enumerate() {
			for operator in self.heartbeat_group_indices(index).collect::<Vec<_>>() {
				let key = &self.accounts.heartbeat_operators[operator];
				let call = api::tx().services().heartbeat(service, bytes(b""));
				txs.push(self.sign(at, &call, key, 2_000_000 + operator)?);
			}
		}
		Ok(txs)
	}

	fn monitor_updates(&mut self, at: &AtBlock, per_channel: usize) -> Result<Vec<Tx>, String> {
		let genesis = self.chain.client.genesis_hash();
		let mut txs = vec![];
		for index in 0..self.setup.channels.len() {
			let channel = self.setup.channels[index];
			let sender = &self.accounts.channel_senders[index];
			let receiver = &self.accounts.channel_receivers[index];
			let monitor = &self.accounts.monitors[index];
			let me = monitor.account_id();
			for _ in 0..per_channel {
				let nonce = self.setup.update_nonces[index];
				self.setup.update_nonces[index] += 1;
				// Each proof raises both the nonce and what the receiver gets.
				let proof = signing::balance_proof(sender, genesis, channel, nonce, nonce.into());
				let authorization =
					signing::reward_authorization(receiver, genesis, &proof, 0, Some(&me));
				let call = api::tx().monitoring().monitor_update(
					signing::proof_arg(&proof),
					signing::authorization_arg(&authorization),
					me,
				);
				txs.push(self.sign(at, &call, monitor, 3_000_000 + index)?);
			}
		}
		Ok(txs)
	}

	/// The baseline: transfers from every sender.
	pub async fn transfer(&mut self) -> Result<Outcome, String> {
		let at = self.chain.at().await?;
		let txs = self.transfers(&at, self.sizes.transfers)?;
		let phase = self.chain.run("transfer", txs, self.connections, false).await?;
		let limits = vec![format!(
			"{} senders: an account's transactions are included in nonce order",
			self.sizes.senders
		)];
		Ok(Outcome::single("transfer", "transfers", phase, limits))
	}

	/// A job's whole lifecycle on every job service.
	pub async fn submit_result(&mut self) -> Result<Outcome, String> {
		let accounts = self.accounts;
		let at = self.chain.at().await?;
		let services = api::tx().services();
		let mut txs = vec![];
		for _ in 0..self.sizes.calls_per_service {
			for (index, service) in self.setup.job_services.clone().into_iter().enumerate() {
				let call = services.call(service, 0, bytes(b"load"));
				txs.push(self.sign(&at, &call, &accounts.job_owners[index], index)?);
			}
		}
		let calls = self.chain.run("submit_result: call", txs, self.connections, true).await?;

		// Each operator answers the calls of its service it saw.
		let operator_of: std::collections::HashMap<u64, usize> =
			self.setup.job_services.iter().enumerate().map(|(i, s)| (*s, i)).collect();
		let mut called = vec![];
		for event in &calls.events {
			if let api::Event::Services(ServicesEvent::JobCalled {
				service,
				call_id,
				deadline,
				..
			}) = event
			{
				called.push((*service, *call_id, *deadline));
			}
		}
		let at = self.chain.at().await?;
		let mut txs = vec![];
		for (service, call_id, _) in &called {
			let index = operator_of[service];
			let outcome = JobOutcome::Success(bytes(b"ok"));
			let call = services.submit_result(*service, *call_id, outcome);
			txs.push(self.sign(&at, &call, &accounts.job_operators[index], index)?);
		}
		let results =
			self.chain.run("submit_result: submit_result", txs, self.connections, false).await?;

		// The hook closes calls from their deadline on, as many a block as its weight and
		// MaxCallClosesPerBlock allow; close_call (free when it succeeds) closes the rest.
		let last_deadline = called.iter().map(|(_, _, d)| u64::from(*d)).max().unwrap_or_default();
		let from = self.chain.finalized().await?;
		let events = self.chain.advance_to(from, last_deadline.max(from)).await?;
		let closed_by_hook: std::collections::HashSet<(u64, u64)> = events
			.iter()
			.filter_map(|event| match event {
				api::Event::Services(ServicesEvent::CallClosed { service, call_id, .. }) => {
					Some((*service, *call_id))
				}
				_ => None,
			})
			.collect();
		let at = self.chain.at().await?;
		let mut txs = vec![];
		for (i, (service, call_id, _)) in called.iter().enumerate() {
			if !closed_by_hook.contains(&(*service, *call_id)) {
				let call = services.close_call(*service, *call_id);
				let closer = &accounts.closer;
				txs.push(self.sign(&at, &call, closer, i)?);
			}
		}
		let mut closes =
			self.chain.run("submit_result: close_call", txs, self.connections, false).await?;
		closes.failures_expected = true;

		let lifecycles = results.included - results.failed;
		let span = calls.span_s + results.span_s + closes.span_s;
		let notes = vec![
			format!(
				"{} of {} calls were closed by the per-block hook by their deadline, the rest \
				 by close_call ({} of which the hook closed first and so failed)",
				closed_by_hook.len(),
				called.len(),
				closes.failed
			),
			"lifecycles per second: completed lifecycles over the three phases' spans added \
			 up (the wait for the deadline is latency, not block space)"
				.into(),
		];
		Ok(Outcome {
			name: "submit_result",
			unit: "job lifecycles",
			done: lifecycles,
			per_s: if span > 0.0 { lifecycles as f64 / span } else { 0.0 },
			phases: vec![calls, results, closes],
			limits: vec![
				format!(
					"{} services with one operator each, {} calls each: a service has at most \
					 16 open calls (MaxOpenCallsPerService)",
					self.sizes.job_services, self.sizes.calls_per_service
				),
				"a call stays open until its deadline (10 blocks for the demo job); the hook \
				 closes at most 128 calls a block (MaxCallClosesPerBlock), within its weight"
					.into(),
			],
			notes,
		})
	}

	/// One heartbeat from every operator of every heartbeat service.
	pub async fn heartbeat(&mut self) -> Result<Outcome, String> {
		let at = self.chain.at().await?;
		let txs = self.heartbeats(&at)?;
		let phase = self.chain.run("heartbeat", txs, self.connections, false).await?;
		let limits = vec![
			format!(
				"{} services of {} operators: one heartbeat per operator and service per \
				 window (10 blocks)",
				self.sizes.heartbeat_services(),
				self.sizes.heartbeat_operators_per_service
			),
			"free: 8 per operator and 128 in all per block; the rest pay their fee".into(),
		];
		Ok(Outcome::single("heartbeat", "heartbeats", phase, limits))
	}

	/// Monitor updates on every closing channel.
	pub async fn monitor_update(&mut self) -> Result<Outcome, String> {
		let at = self.chain.at().await?;
		let txs = self.monitor_updates(&at, self.sizes.updates_per_channel)?;
		let phase = self.chain.run("monitor_update", txs, self.connections, false).await?;
		let limits = vec![format!(
			"{} channels: each update must raise its channel's nonce, so one channel's \
			 updates come from its monitor in nonce order",
			self.sizes.channels
		)];
		Ok(Outcome::single("monitor_update", "monitor updates", phase, limits))
	}

	/// Transfers, heartbeats and monitor updates at once, in a new heartbeat window.
	pub async fn mix(&mut self) -> Result<Outcome, String> {
		// The next heartbeat window of every service: 10 blocks on.
		let from = self.chain.finalized().await?;
		self.chain.advance_to(from, from + 10).await?;
		let at = self.chain.at().await?;
		let mut txs = self.transfers(&at, self.sizes.mix_transfers)?;
		txs.extend(self.heartbeats(&at)?);
		txs.extend(self.monitor_updates(&at, self.sizes.mix_updates_per_channel)?);
		let phase = self.chain.run("mix", txs, self.connections, false).await?;
		let limits = vec!["as in transfer, heartbeat and monitor_update".into()];
		Ok(Outcome::single("mix", "transactions", phase, limits))
	}
}
