//! Pre-signed transactions sent from several connections at once, and counted as they are
//! included in finalized blocks.
//!
//! A [`Phase`] is one batch: every transaction is signed offline before the clock starts,
//! with the nonce the benchmark tracks for its account ([`Nonces`]). Sending starts right
//! after a block is finalized, so a phase's time is whole blocks of inclusion. On a node
//! that seals only on request (`--sealing manual`), the benchmark seals the blocks itself.

use std::{
	collections::{HashMap, HashSet},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use futures::StreamExt;
use serde_json::{json, Value};
use sp_runtime::traits::{BlakeTwo256, Hash};
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	events::Phase as EventPhase,
	rpcs::{client::RpcClient, rpc_params},
	tx::Payload,
};
use warden_client::{api, AccountId32, AtBlock, Client, Keypair, WardenConfig};

/// How long a phase may take in all.
const PHASE_TIMEOUT: Duration = Duration::from_secs(600);

/// How many finalized blocks may pass, once everything was sent, with none of a phase's
/// transactions in them before the rest are given up as never included.
const IDLE_BLOCKS: u64 = 20;

/// How many submissions each connection keeps in flight.
const IN_FLIGHT: usize = 32;

/// A signed transaction, ready to send.
#[derive(Clone)]
pub struct Tx {
	/// Its hash.
	pub hash: [u8; 32],
	/// Its encoding.
	pub bytes: Vec<u8>,
	/// Which account sent it: an account's transactions go through one connection, in
	/// nonce order.
	pub lane: usize,
}

/// The next nonce of every account the benchmark signs for. Every account starts at 0 in
/// the genesis and only the benchmark signs for it.
#[derive(Default)]
pub struct Nonces(HashMap<[u8; 32], u64>);

impl Nonces {
	/// Takes `who`'s next nonce.
	pub fn take(&mut self, who: &AccountId32) -> u64 {
		let next = self.0.entry(who.0).or_default();
		let nonce = *next;
		*next += 1;
		nonce
	}
}

/// One block that held some of a phase's transactions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BlockStat {
	/// Its number.
	pub number: u64,
	/// The phase's transactions in it.
	pub txs: usize,
	/// All its extrinsics, inherents included.
	pub extrinsics: usize,
	/// Ref time used by the normal class, in percent of the class's maximum.
	pub ref_time_pct: f64,
	/// Proof size used by the normal class, in KiB.
	pub proof_size_kib: f64,
	/// Proof size used by the normal class, in percent of the class's maximum; `None`
	/// when the class has no proof-size limit (a solo chain's blocks carry no proof).
	pub proof_size_pct: Option<f64>,
	/// When the benchmark saw it finalized, in seconds since the phase started sending.
	pub seen_at_s: f64,
}

/// What happened to one batch of transactions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Phase {
	/// Its name.
	pub name: String,
	/// Transactions sent.
	pub submitted: usize,
	/// Transactions the node's pool refused.
	pub rejected: usize,
	/// The first refusals' reasons.
	pub rejections: Vec<String>,
	/// Transactions found in finalized blocks.
	pub included: usize,
	/// Included transactions whose call failed (`ExtrinsicFailed`).
	pub failed: usize,
	/// Whether some may fail by design: a `close_call` the per-block hook beat to its
	/// call.
	pub failures_expected: bool,
	/// The blocks that held them.
	pub blocks: Vec<BlockStat>,
	/// Seconds from the first send to the finalized block holding the last one.
	pub span_s: f64,
	/// Included transactions per second over that span.
	pub tx_per_s: f64,
	/// The successful transactions' events, when asked for.
	#[serde(skip)]
	pub events: Vec<api::Event>,
}

impl Phase {
	/// Included transactions per block that held some.
	pub fn tx_per_block(&self) -> f64 {
		if self.blocks.is_empty() {
			0.0
		} else {
			self.included as f64 / self.blocks.len() as f64
		}
	}

	/// The most transactions one block held.
	pub fn max_tx_per_block(&self) -> usize {
		self.blocks.iter().map(|b| b.txs).max().unwrap_or_default()
	}

	/// Mean normal-class use of its blocks: ref time in percent of the class's maximum,
	/// proof size in KiB, and in percent of its maximum if it has one.
	pub fn fullness(&self) -> (f64, f64, Option<f64>) {
		if self.blocks.is_empty() {
			return (0.0, 0.0, None);
		}
		let n = self.blocks.len() as f64;
		let pct: Option<f64> = self.blocks.iter().map(|b| b.proof_size_pct).sum();
		(
			self.blocks.iter().map(|b| b.ref_time_pct).sum::<f64>() / n,
			self.blocks.iter().map(|b| b.proof_size_kib).sum::<f64>() / n,
			pct.map(|p| p / n),
		)
	}

	/// Whether every transaction sent was included and none failed that shouldn't.
	pub fn clean(&self) -> bool {
		self.rejected == 0
			&& self.included == self.submitted
			&& (self.failed == 0 || self.failures_expected)
	}

	/// The phase as JSON, with its derived figures.
	pub fn to_json(&self) -> Value {
		let (ref_time, proof_kib, proof_pct) = self.fullness();
		let mut value = serde_json::to_value(self).unwrap_or_default();
		value["tx_per_block"] = json!(self.tx_per_block());
		value["max_tx_per_block"] = json!(self.max_tx_per_block());
		value["ref_time_fullness_pct"] = json!(ref_time);
		value["proof_size_kib"] = json!(proof_kib);
		value["proof_size_fullness_pct"] = json!(proof_pct);
		value
	}
}

/// The node under load.
pub struct Chain {
	/// The typed client.
	pub client: Client,
	rpc: RpcClient,
	url: String,
	/// Whether the node seals blocks only when asked.
	pub manual: bool,
	/// The normal class's maximum block weight: ref time (ps) and proof size (bytes).
	pub normal_max: (u64, u64),
}

fn rpc_error(what: &str) -> impl Fn(subxt::rpcs::Error) -> String + '_ {
	move |e| format!("{what}: {e}")
}

impl Chain {
	/// Connects to the node at `url`; `manual` if it seals only on request.
	pub async fn connect(url: &str, manual: bool) -> Result<Chain, String> {
		let client = Client::connect(url).await.map_err(|e| e.to_string())?;
		let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| e.to_string())?;
		let weights = client
			.at_best()
			.await
			.map_err(|e| e.to_string())?
			.constants()
			.entry(api::constants().system().block_weights())
			.map_err(|e| e.to_string())?;
		let normal = weights.per_class.normal.max_total.unwrap_or(weights.max_block);
		Ok(Chain {
			client,
			rpc,
			url: url.to_string(),
			manual,
			normal_max: (normal.ref_time, normal.proof_size),
		})
	}

	/// The chain at its best block, to sign against.
	pub async fn at(&self) -> Result<AtBlock, String> {
		self.client.at_best().await.map_err(|e| e.to_string())
	}

	/// Signs `payload` by `key` with `nonce`, offline and immortal.
	pub fn sign<P: Payload>(
		at: &AtBlock,
		payload: &P,
		key: &Keypair,
		nonce: u64,
		lane: usize,
	) -> Result<Tx, String> {
		let params = DefaultExtrinsicParamsBuilder::<WardenConfig>::new().nonce(nonce).build();
		let mut signable = at
			.tx()
			.create_signable_offline(payload, params)
			.map_err(|e| format!("can't build a transaction: {e}"))?;
		let tx = signable.sign(key).map_err(|e| format!("can't sign a transaction: {e}"))?;
		Ok(Tx { hash: tx.hash().0, bytes: tx.into_encoded(), lane })
	}

	/// The latest finalized block's number.
	pub async fn finalized(&self) -> Result<u64, String> {
		Ok(self.client.at_finalized().await.map_err(|e| e.to_string())?.block_number())
	}

	/// Seals one block now (`engine_createBlock`, finalized at once).
	pub async fn seal(&self) -> Result<(), String> {
		let _: Value = self
			.rpc
			.request("engine_createBlock", rpc_params![true, true, Option::<String>::None])
			.await
			.map_err(rpc_error("engine_createBlock"))?;
		Ok(())
	}

	/// Seals blocks (on any development node) until block `number` is finalized, and
	/// returns the events of the blocks after `from` up to it.
	pub async fn advance_to(&self, from: u64, number: u64) -> Result<Vec<api::Event>, String> {
		let deadline = Instant::now() + PHASE_TIMEOUT;
		while self.finalized().await? < number {
			if Instant::now() > deadline {
				return Err(format!("block {number} was not finalized in time"));
			}
			self.seal().await?;
		}
		let mut events = vec![];
		for n in from + 1..=number {
			let at = self.client.at_number(n).await.map_err(|e| e.to_string())?;
			let all = at.events().fetch().await.map_err(|e| e.to_string())?;
			for event in all.iter() {
				let event = event.map_err(|e| e.to_string())?;
				events.push(event.decode_as::<api::Event>().map_err(|e| e.to_string())?);
			}
		}
		Ok(events)
	}

	/// Waits for the next finalized block, so that a phase starts at a block's beginning.
	async fn align(&self) -> Result<u64, String> {
		let start = self.finalized().await?;
		if self.manual {
			return Ok(start);
		}
		let deadline = Instant::now() + Duration::from_secs(120);
		loop {
			let now = self.finalized().await?;
			if now > start {
				return Ok(now);
			}
			if Instant::now() > deadline {
				return Err("no block was finalized for two minutes".into());
			}
			tokio::time::sleep(Duration::from_millis(20)).await;
		}
	}

	/// Sends `txs` from `connections` connections at once and follows finalized blocks
	/// until all are included (or the node gave up on them), then reports. With `events`,
	/// the successful transactions' events are kept.
	pub async fn run(
		&self,
		name: &str,
		txs: Vec<Tx>,
		connections: usize,
		events: bool,
	) -> Result<Phase, String> {
		self.run_with(name, txs, connections, events, self.manual).await
	}

	/// [`Chain::run`] for a setup batch: not measured, so on any development node the
	/// benchmark seals blocks itself as soon as everything is sent, rather than waiting
	/// for the node's own.
	pub async fn run_setup(
		&self,
		name: &str,
		txs: Vec<Tx>,
		connections: usize,
	) -> Result<Phase, String> {
		self.run_with(name, txs, connections, true, true).await
	}

	async fn run_with(
		&self,
		name: &str,
		txs: Vec<Tx>,
		connections: usize,
		events: bool,
		seal: bool,
	) -> Result<Phase, String> {
		let from = if seal { self.finalized().await? } else { self.align().await? };
		let started = Instant::now();
		let expected: HashSet<[u8; 32]> = txs.iter().map(|tx| tx.hash).collect();
		let submitted = txs.len();
		let state = Arc::new(Mutex::new(Sending::default()));

		let sending = self.send(txs, connections.max(1), state.clone());
		let following =
			self.follow(name, from, expected, started, state.clone(), Follow { events, seal });
		let ((), mut phase) = futures::future::try_join(sending, following).await?;
		let sent = std::mem::take(&mut *state.lock().map_err(|_| "a sender panicked")?);
		phase.submitted = submitted;
		phase.rejected = sent.rejected.len();
		phase.rejections = sent.reasons;
		Ok(phase)
	}

	async fn send(
		&self,
		txs: Vec<Tx>,
		connections: usize,
		state: Arc<Mutex<Sending>>,
	) -> Result<(), String> {
		let mut lanes: Vec<Vec<Tx>> = vec![vec![]; connections];
		for tx in txs {
			lanes[tx.lane % connections].push(tx);
		}
		let tasks = lanes.into_iter().map(|lane| {
			let url = self.url.clone();
			let state = state.clone();
			async move {
				let rpc = RpcClient::from_insecure_url(&url).await.map_err(|e| e.to_string())?;
				let rpc = &rpc;
				let mut results = futures::stream::iter(lane)
					.map(|tx| async move {
						let hex = format!("0x{}", hex::encode(&tx.bytes));
						let answer: Result<Value, _> =
							rpc.request("author_submitExtrinsic", rpc_params![hex]).await;
						(tx.hash, answer.map(|_| ()).map_err(|e| e.to_string()))
					})
					.buffered(IN_FLIGHT);
				while let Some((hash, answer)) = results.next().await {
					if let Err(reason) = answer {
						let mut state = state.lock().map_err(|_| "a follower panicked")?;
						state.rejected.insert(hash);
						if state.reasons.len() < 5 {
							state.reasons.push(reason);
						}
					}
				}
				Ok::<_, String>(())
			}
		});
		futures::future::try_join_all(tasks).await?;
		state.lock().map_err(|_| "a follower panicked")?.done = true;
		Ok(())
	}

	async fn follow(
		&self,
		name: &str,
		from: u64,
		mut pending: HashSet<[u8; 32]>,
		started: Instant,
		state: Arc<Mutex<Sending>>,
		Follow { events: keep_events, seal }: Follow,
	) -> Result<Phase, String> {
		let mut phase = Phase {
			name: name.to_string(),
			submitted: 0,
			rejected: 0,
			rejections: vec![],
			included: 0,
			failed: 0,
			failures_expected: false,
			blocks: vec![],
			span_s: 0.0,
			tx_per_s: 0.0,
			events: vec![],
		};
		let deadline = started + PHASE_TIMEOUT;
		let mut next = from + 1;
		let mut idle_since: Option<u64> = None;
		loop {
			let (done, rejected) = {
				let state = state.lock().map_err(|_| "a sender panicked")?;
				(state.done, state.rejected.clone())
			};
			pending.retain(|hash| !rejected.contains(hash));
			if done && pending.is_empty() {
				break;
			}
			if Instant::now() > deadline {
				break;
			}
			let finalized = self.finalized().await?;
			if next > finalized {
				if seal && done {
					self.seal().await?;
				} else {
					tokio::time::sleep(Duration::from_millis(20)).await;
				}
				continue;
			}
			while next <= finalized {
				let found = self.read_block(next, &mut pending, started, keep_events).await?;
				if let Some((stat, failed, events)) = found {
					phase.included += stat.txs;
					phase.failed += failed;
					phase.span_s = stat.seen_at_s;
					phase.blocks.push(stat);
					phase.events.extend(events);
					idle_since = None;
				} else if done {
					let since = *idle_since.get_or_insert(next);
					if next.saturating_sub(since) >= IDLE_BLOCKS {
						return Ok(finish(phase));
					}
				}
				next += 1;
			}
		}
		Ok(finish(phase))
	}

	/// Reads block `number`: which of `pending` it holds (they are removed), their
	/// failures, their events if `keep_events`, and how full it is.
	async fn read_block(
		&self,
		number: u64,
		pending: &mut HashSet<[u8; 32]>,
		started: Instant,
		keep_events: bool,
	) -> Result<Option<(BlockStat, usize, Vec<api::Event>)>, String> {
		let seen_at_s = started.elapsed().as_secs_f64();
		let hash: warden_client::H256 = self
			.rpc
			.request("chain_getBlockHash", rpc_params![number])
			.await
			.map_err(rpc_error("chain_getBlockHash"))?;
		let block: Value = self
			.rpc
			.request("chain_getBlock", rpc_params![hash])
			.await
			.map_err(rpc_error("chain_getBlock"))?;
		let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
		let mut ours = HashSet::new();
		for (index, extrinsic) in extrinsics.iter().enumerate() {
			let bytes = extrinsic
				.as_str()
				.and_then(|hex| hex::decode(hex.trim_start_matches("0x")).ok())
				.ok_or_else(|| format!("block {number} has an extrinsic that isn't hex"))?;
			if pending.remove(&<BlakeTwo256 as Hash>::hash(&bytes).0) {
				ours.insert(index as u32);
			}
		}
		if ours.is_empty() {
			return Ok(None);
		}
		let at = self.client.subxt().at_block(hash).await.map_err(|e| e.to_string())?;
		let all = at.events().fetch().await.map_err(|e| e.to_string())?;
		let mut failed = HashSet::new();
		let mut events = vec![];
		for event in all.iter() {
			let event = event.map_err(|e| e.to_string())?;
			let EventPhase::ApplyExtrinsic(index) = event.phase() else { continue };
			if !ours.contains(&index) {
				continue;
			}
			if event.pallet_name() == "System" && event.event_name() == "ExtrinsicFailed" {
				failed.insert(index);
			} else if keep_events {
				events.push((index, event.decode_as::<api::Event>().map_err(|e| e.to_string())?));
			}
		}
		let events = events
			.into_iter()
			.filter(|(index, _)| !failed.contains(index))
			.map(|(_, event)| event)
			.collect();
		let weight = at
			.storage()
			.fetch(api::storage().system().block_weight(), ())
			.await
			.map_err(|e| e.to_string())?
			.decode()
			.map_err(|e| e.to_string())?;
		let pct =
			|used: u64, max: u64| if max == 0 { 0.0 } else { used as f64 * 100.0 / max as f64 };
		let stat = BlockStat {
			number,
			txs: ours.len(),
			extrinsics: extrinsics.len(),
			ref_time_pct: pct(weight.normal.ref_time, self.normal_max.0),
			proof_size_kib: weight.normal.proof_size as f64 / 1024.0,
			proof_size_pct: (self.normal_max.1 != u64::MAX)
				.then(|| pct(weight.normal.proof_size, self.normal_max.1)),
			seen_at_s,
		};
		Ok(Some((stat, failed.len(), events)))
	}
}

fn finish(mut phase: Phase) -> Phase {
	phase.tx_per_s = if phase.span_s > 0.0 { phase.included as f64 / phase.span_s } else { 0.0 };
	phase
}

/// How [`Chain::follow`] follows a batch.
#[derive(Clone, Copy)]
struct Follow {
	/// Keep the successful transactions' events.
	events: bool,
	/// Seal a block whenever everything is sent and the batch isn't all in yet.
	seal: bool,
}

/// What the senders learnt.
#[derive(Default)]
struct Sending {
	done: bool,
	rejected: HashSet<[u8; 32]>,
	reasons: Vec<String>,
}
