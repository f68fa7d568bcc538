//! What the CLI prints: progress on stderr, results on stdout as aligned `key  value` lines
//! (amounts in WRD) or as JSON.

use std::io::Write;

use serde_json::{json, Value as Json};
use warden_client::{units::format_amount, Progress, Submitted};

/// Where results go and in which form.
#[derive(Clone, Copy, Debug)]
pub struct Output {
	/// JSON instead of text.
	pub json: bool,
	/// No progress lines.
	pub quiet: bool,
}

impl Output {
	/// A progress line on stderr.
	pub fn progress(&self, progress: &Progress) {
		if self.quiet {
			return;
		}
		let line = match progress {
			Progress::Submitted { extrinsic } => format!("submitted {extrinsic:?}"),
			Progress::InBlock(block) => format!("in block #{} ({:?})", block.number, block.hash),
			Progress::Finalized(block) => {
				format!("finalized in #{} ({:?})", block.number, block.hash)
			}
		};
		eprintln!("{line}");
	}

	/// The outcome of a transaction: its block and events.
	pub fn submitted(&self, what: &str, done: &Submitted) {
		if self.json {
			let events: Vec<Json> = done
				.events
				.iter()
				.map(|e| json!({ "pallet": e.pallet, "event": e.name, "fields": e.fields }))
				.collect();
			self.print_json(&json!({
				"call": what,
				"fee": fee_paid(done).map(|fee| fee.to_string()),
				"extrinsic": format!("{:?}", done.extrinsic),
				"block": done.block.map(|b| b.number),
				"block_hash": done.block.map(|b| format!("{:?}", b.hash)),
				"finalized": done.finalized,
				"events": events,
			}));
			return;
		}
		let mut out = std::io::stdout().lock();
		match done.block {
			Some(block) => {
				let _ = writeln!(
					out,
					"{what}: {} in block #{} (extrinsic {:?})",
					if done.finalized { "finalized" } else { "included" },
					block.number,
					done.extrinsic
				);
			}
			None => {
				let _ = writeln!(out, "{what}: submitted (extrinsic {:?})", done.extrinsic);
			}
		}
		if let Some(fee) = fee_paid(done) {
			let _ = writeln!(out, "  fee paid: {}", format_amount(fee));
		}
		for event in done.events.iter().filter(|e| !is_routine(&e.pallet, &e.name)) {
			let _ = writeln!(
				out,
				"  {}.{} {}",
				event.pallet,
				event.name,
				inline(event.display.as_ref().unwrap_or(&event.fields))
			);
		}
	}

	/// A value read from the chain.
	pub fn value(&self, value: &Json) {
		if self.json {
			self.print_json(value);
		} else {
			let mut out = std::io::stdout().lock();
			let _ = write!(out, "{}", render(value, 0));
		}
	}

	/// A value read from the chain, or a line saying there is none.
	pub fn maybe(&self, value: &Json, none: &str) {
		if value.is_null() && !self.json {
			self.line(none);
		} else {
			self.value(value);
		}
	}

	/// A line of text on stdout. Like every write here, a closed stdout (`warden … | head
	/// -1`) is not an error: the rest is dropped and the command ends quietly.
	pub fn line(&self, text: &str) {
		let _ = writeln!(std::io::stdout().lock(), "{text}");
	}

	fn print_json(&self, value: &Json) {
		let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
		self.line(&text);
	}
}

/// The fee a transaction paid, tip included: its `TransactionFeePaid` event.
fn fee_paid(done: &Submitted) -> Option<u128> {
	let event = done.event("TransactionPayment", "TransactionFeePaid")?;
	let fee = as_u128(&event.fields["actual_fee"])?;
	Some(fee.saturating_add(as_u128(&event.fields["tip"]).unwrap_or_default()))
}

/// Events every transaction emits: the fee's withdrawal, refund and burning, and the
/// system's success. The fee is shown as one line instead.
fn is_routine(pallet: &str, name: &str) -> bool {
	matches!(
		(pallet, name),
		("System", "ExtrinsicSuccess")
			| ("TransactionPayment", "TransactionFeePaid")
			| ("Balances", "Withdraw")
			| ("Balances", "Deposit")
			| ("Balances", "Rescinded")
			| ("Balances", "BurnedDebt")
			| ("Treasury", "Deposit")
	)
}

/// Fields whose numbers are amounts of WRD (planck on chain).
fn is_amount(key: &str) -> bool {
	const WORDS: [&str; 16] = [
		"amount",
		"bond",
		"stake",
		"deposit",
		"escrow",
		"payment",
		"reward",
		"balance",
		"free",
		"reserved",
		"frozen",
		"transferred",
		"price",
		"pot",
		"distributed",
		"commission_paid",
	];
	let key = key.to_ascii_lowercase();
	WORDS.iter().any(|word| key.contains(word))
		|| matches!(
			key.as_str(),
			"share"
				| "stakers" | "refunded"
				| "paid" | "forfeited"
				| "taken" | "held"
				| "min_delegation"
				| "unclaimed"
				| "delegated_active"
				| "delegated_unbonding"
				| "emission_per_era"
		)
}

/// A number that may come as a JSON number or a decimal string.
fn as_u128(value: &Json) -> Option<u128> {
	match value {
		Json::Number(n) => n.as_u64().map(u128::from),
		Json::String(s) => s.parse().ok(),
		_ => None,
	}
}

fn scalar(key: &str, value: &Json) -> String {
	match value {
		Json::Null => "none".into(),
		Json::String(s) if as_u128(value).is_some() && is_amount(key) => {
			format_amount(s.parse().unwrap_or_default())
		}
		Json::Number(_) if is_amount(key) => format_amount(as_u128(value).unwrap_or_default()),
		Json::String(s) => s.clone(),
		other => other.to_string(),
	}
}

/// `value` on one line, amounts in WRD.
pub fn inline(value: &Json) -> String {
	fn go(key: &str, value: &Json) -> String {
		match value {
			Json::Object(map) => {
				let fields: Vec<String> =
					map.iter().map(|(k, v)| format!("{k}: {}", go(k, v))).collect();
				format!("{{ {} }}", fields.join(", "))
			}
			Json::Array(items) => {
				let items: Vec<String> = items.iter().map(|v| go(key, v)).collect();
				format!("[{}]", items.join(", "))
			}
			other => scalar(key, other),
		}
	}
	go("", value)
}

/// `value` as indented `key  value` lines, amounts in WRD.
pub fn render(value: &Json, indent: usize) -> String {
	let pad = " ".repeat(indent);
	match value {
		Json::Object(map) => {
			let width = map.keys().map(|k| k.len()).max().unwrap_or(0);
			let mut text = String::new();
			for (key, value) in map {
				match value {
					Json::Object(inner) if !inner.is_empty() => {
						text.push_str(&format!("{pad}{key}:\n{}", render(value, indent + 2)));
					}
					Json::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
						text.push_str(&format!("{pad}{key}:\n"));
						for item in items {
							text.push_str(&format!("{pad}  -\n{}", render(item, indent + 4)));
						}
					}
					other => {
						let shown = match other {
							Json::Array(items) if items.is_empty() => "none".to_string(),
							Json::Array(_) => inline_with_key(key, other),
							_ => scalar(key, other),
						};
						text.push_str(&format!("{pad}{key:width$}  {shown}\n"));
					}
				}
			}
			text
		}
		Json::Array(items) => {
			let mut text = String::new();
			if items.is_empty() {
				text.push_str(&format!("{pad}none\n"));
			}
			for item in items {
				match item {
					Json::Object(_) | Json::Array(_) => {
						text.push_str(&format!("{pad}-\n{}", render(item, indent + 2)))
					}
					other => text.push_str(&format!("{pad}- {}\n", scalar("", other))),
				}
			}
			text
		}
		other => format!("{pad}{}\n", scalar("", other)),
	}
}

fn inline_with_key(key: &str, value: &Json) -> String {
	match value {
		Json::Array(items) => {
			let items: Vec<String> = items.iter().map(|v| scalar(key, v)).collect();
			items.join(", ")
		}
		other => scalar(key, other),
	}
}

/// `rows` under `headers`, each column as wide as its widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
	let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
	for row in rows {
		for (width, cell) in widths.iter_mut().zip(row) {
			*width = (*width).max(cell.chars().count());
		}
	}
	let line = |cells: Vec<&str>| {
		let padded: Vec<String> =
			cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
		format!("{}\n", padded.join("  ").trim_end())
	};
	let mut text = line(headers.to_vec());
	for row in rows {
		text.push_str(&line(row.iter().map(String::as_str).collect()));
	}
	text
}

/// A JSON value as a table cell: text as it is, amounts in WRD.
pub fn cell(key: &str, value: &Json) -> String {
	match value {
		Json::Null => "none".into(),
		Json::Object(_) | Json::Array(_) => inline(value),
		other => scalar(key, other),
	}
}

/// Shows the bytes at JSON `pointer` in `value` as text, when they are UTF-8: URLs and
/// addresses are stored as bytes on chain.
pub fn as_text(value: &mut Json, pointer: &str) {
	let Some(field) = value.pointer_mut(pointer) else { return };
	let text = field
		.as_str()
		.filter(|bytes| bytes.starts_with("0x"))
		.and_then(|hex| crate::parse::parse_bytes(hex).ok())
		.and_then(|bytes| String::from_utf8(bytes).ok());
	if let Some(text) = text {
		*field = json!(text);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_render_in_wrd_and_the_rest_as_is() {
		let value = json!({
			"state": "Active",
			"bond": "10000000000000000",
			"delegator_count": 1,
			"unbonding": [],
			"nested": { "min_delegation": 10000000000000u64 },
		});
		let text = render(&value, 0);
		assert!(text.contains("bond             10000 WRD"), "{text}");
		assert!(text.contains("delegator_count  1"), "{text}");
		assert!(text.contains("unbonding        none"), "{text}");
		assert!(text.contains("  min_delegation  10 WRD"), "{text}");
		assert_eq!(inline(&json!({ "amount": 1_000_000_000_000u64 })), "{ amount: 1 WRD }");
	}
}
