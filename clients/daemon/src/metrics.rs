//! Prometheus text: a latency histogram, and gauges and counters written one by one.

use std::{
	fmt::Write,
	sync::atomic::{AtomicU64, Ordering},
	time::Duration,
};

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];

/// A latency histogram.
#[derive(Default)]
pub struct Histogram {
	counts: [AtomicU64; BUCKETS.len()],
	count: AtomicU64,
	sum_micros: AtomicU64,
}

impl Histogram {
	/// Records one observation.
	pub fn observe(&self, took: Duration) {
		let seconds = took.as_secs_f64();
		for (bound, count) in BUCKETS.iter().zip(&self.counts) {
			if seconds <= *bound {
				count.fetch_add(1, Ordering::Relaxed);
			}
		}
		self.count.fetch_add(1, Ordering::Relaxed);
		let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
		self.sum_micros.fetch_add(micros, Ordering::Relaxed);
	}

	/// Writes the histogram as `name`, with `help`.
	pub fn render(&self, out: &mut String, name: &str, help: &str) {
		let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
		for (bound, count) in BUCKETS.iter().zip(&self.counts) {
			let _ =
				writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", count.load(Ordering::Relaxed));
		}
		let count = self.count.load(Ordering::Relaxed);
		let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
		let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
		let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {count}");
	}
}

/// Writes one gauge or counter `name` with `help` and `value`: a counter if its name ends in
/// `_total`, a gauge otherwise.
pub fn write_value(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
	let kind = if name.ends_with("_total") { "counter" } else { "gauge" };
	let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_histogram_counts_each_observation_in_every_bucket_it_fits() {
		let histogram = Histogram::default();
		histogram.observe(Duration::from_millis(2));
		histogram.observe(Duration::from_secs(5));
		let mut out = String::new();
		histogram.render(&mut out, "x_seconds", "Time.");
		assert!(out.contains("x_seconds_bucket{le=\"0.001\"} 0"), "{out}");
		assert!(out.contains("x_seconds_bucket{le=\"0.0025\"} 1"), "{out}");
		assert!(out.contains("x_seconds_bucket{le=\"2.5\"} 1"), "{out}");
		assert!(out.contains("x_seconds_bucket{le=\"+Inf\"} 2"), "{out}");
		assert!(out.contains("x_seconds_count 2"), "{out}");
	}

	#[test]
	fn a_name_ending_in_total_is_a_counter() {
		let mut out = String::new();
		write_value(&mut out, "a_total", "A.", 3);
		write_value(&mut out, "b", "B.", 4);
		assert_eq!(
			out,
			"# HELP a_total A.\n# TYPE a_total counter\na_total 3\n# HELP b B.\n# TYPE b gauge\nb 4\n"
		);
	}
}
