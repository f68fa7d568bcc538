//! In-memory metrics (latencies, refusals, heads), rendered with the database's counters as
//! Prometheus text.

use std::{
	collections::BTreeMap,
	fmt::Write,
	sync::{
		atomic::{AtomicU64, Ordering},
		Mutex,
	},
};

use crate::{
	chain::Heads,
	db::{Counter, Sizes},
};

use warden_daemon::metrics::write_value;
pub use warden_daemon::metrics::Histogram;

/// The most finalized blocks the watcher may lag behind the node's finalized head while it
/// keeps up: its work per block is bounded whatever the API receives (one `NextChannelId`
/// read, at most [`crate::watcher::RECHECKS_PER_BLOCK`] pending re-checks and
/// [`crate::watcher::EXPIRIES_PER_BLOCK`] expiries), so it only falls further behind when
/// the node or the disk does.
pub const LAG_BOUND: u64 = 3;

/// The daemon's live figures.
#[derive(Default)]
pub struct Metrics {
	/// Last finalized block whose events were applied.
	pub processed: AtomicU64,
	/// Proofs answered `202`: held for a channel not issued yet.
	pub pending_accepted: AtomicU64,
	/// Refusals by code.
	pub refusals: Mutex<BTreeMap<&'static str, u64>>,
	/// Time to answer `PUT /api/1/balance_proofs`.
	pub intake: Histogram,
	/// Time to apply one finalized block.
	pub block: Histogram,
}

impl Metrics {
	/// Counts a refusal with `code`.
	pub fn refused(&self, code: &'static str) {
		if let Ok(mut refusals) = self.refusals.lock() {
			*refusals.entry(code).or_default() += 1;
		}
	}

	/// Blocks between the node's finalized head and the last applied block; unknown
	/// before the first block is applied and while the node doesn't answer (its head may
	/// have moved on).
	pub fn lag(&self, heads: &Heads) -> Option<u64> {
		let processed = self.processed.load(Ordering::Relaxed);
		if processed == 0 || heads.unreachable_since_ms().is_some() {
			return None;
		}
		Some(heads.finalized().saturating_sub(processed))
	}

	/// Prometheus text of these figures with the node's `heads` and the database's
	/// `counters` and `sizes`.
	pub fn render(&self, heads: &Heads, counters: &[(Counter, u128)], sizes: &Sizes) -> String {
		let mut out = String::new();
		for (counter, value) in counters {
			let name = format!("warden_monitor_{}_total", counter.name());
			let _ = writeln!(out, "# TYPE {name} counter\n{name} {value}");
		}
		let gauges = [
			("proofs_stored", sizes.proofs, "Balance proofs held."),
			("proofs_pending", sizes.pending, "Proofs held for channels not issued yet."),
			("channels_closing", sizes.closing, "Closing channels with an update due."),
			("participants", sizes.participants, "Distinct senders and receivers of held proofs."),
			("claims_pending", sizes.claims, "Rewards waiting to be claimed."),
			("best_block", heads.best(), "Best block seen."),
			("finalized_block", heads.finalized(), "Finalized block seen."),
			(
				"processed_block",
				self.processed.load(Ordering::Relaxed),
				"Last finalized block applied.",
			),
			(
				"node_reachable",
				u64::from(heads.unreachable_since_ms().is_none()),
				"Whether the node answered its last read (1) or not (0).",
			),
			("lag_bound_blocks", LAG_BOUND, "The most lag the watcher keeps to under any load."),
			(
				"pending_accepted_total",
				self.pending_accepted.load(Ordering::Relaxed),
				"Proofs answered 202 since start.",
			),
		];
		let lag =
			self.lag(heads).map(|lag| ("lag_blocks", lag, "Finalized blocks not applied yet."));
		for (name, value, help) in gauges.into_iter().chain(lag) {
			write_value(&mut out, &format!("warden_monitor_{name}"), help, value);
		}
		let _ = writeln!(
			out,
			"# HELP warden_monitor_refusals_total Proofs refused since start, by code."
		);
		let _ = writeln!(out, "# TYPE warden_monitor_refusals_total counter");
		if let Ok(refusals) = self.refusals.lock() {
			for (code, count) in refusals.iter() {
				let _ = writeln!(out, "warden_monitor_refusals_total{{code=\"{code}\"}} {count}");
			}
		}
		self.intake.render(
			&mut out,
			"warden_monitor_intake_seconds",
			"Time to answer PUT /api/1/balance_proofs.",
		);
		self.block.render(
			&mut out,
			"warden_monitor_block_seconds",
			"Time to apply a finalized block.",
		);
		out
	}
}
