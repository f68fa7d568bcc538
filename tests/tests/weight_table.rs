//! The weight table in the README, built from the runtime's `WeightInfo`: every call of
//! Warden's pallets with its whole weight as a signed transaction (the base extrinsic
//! weight, the call and the transaction extensions), its ratio to a
//! `transfer_keep_alive`, and how many fit in a block's normal class. The test fails
//! when the README's table differs, and prints the command that rewrites it.
//!
//! Each call is taken with its smallest arguments (every argument's encoding all zeroes:
//! empty lists, id 0, the first variant), so a call whose weight grows with its arguments
//! shows its floor; its `weights.rs` gives the slope.

use codec::Decode;
use frame_support::{
	dispatch::DispatchClass,
	traits::{GetCallMetadata, PalletInfoAccess},
	weights::Weight,
};
use warden_runtime::{configs::transaction_weight, BalancesCall, RuntimeCall};

const BEGIN: &str = "<!-- weight-table:begin -->";
const END: &str = "<!-- weight-table:end -->";
const REWRITE: &str = "WARDEN_WRITE_WEIGHT_TABLE=1 cargo test -p warden-tests --test weight_table";

/// Warden's pallets, in the order the table lists them: their name and index.
fn pallets() -> Vec<(&'static str, u8)> {
	fn index<P: PalletInfoAccess>() -> u8 {
		u8::try_from(P::index()).expect("a pallet index fits a byte")
	}
	use warden_runtime::*;
	vec![
		("Operators", index::<Operators>()),
		("Services", index::<Services>()),
		("Slashing", index::<Slashing>()),
		("Rewards", index::<Rewards>()),
		("Channels", index::<Channels>()),
		("Monitoring", index::<Monitoring>()),
		("ValidatorSet", index::<ValidatorSet>()),
	]
}

/// Every call of the pallet at `index`, with its smallest arguments.
fn calls_of(index: u8) -> Vec<RuntimeCall> {
	(0..=u8::MAX)
		.filter_map(|call| {
			let mut bytes = vec![index, call];
			bytes.extend([0u8; 4096]);
			RuntimeCall::decode(&mut &bytes[..]).ok()
		})
		.collect()
}

/// `weight`'s ref time in microseconds, one decimal.
fn micros(weight: Weight) -> String {
	format!("{:.1}", weight.ref_time() as f64 / 1_000_000.0)
}

/// The table, in Markdown.
fn table() -> String {
	let transfer = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
		dest: sp_runtime::MultiAddress::Id([0; 32].into()),
		value: 0,
	});
	let base = transaction_weight(&transfer);
	let normal = warden_runtime::configs::RuntimeBlockWeights::get()
		.get(DispatchClass::Normal)
		.max_total
		.unwrap_or_default();
	let per_block = |weight: Weight| normal.ref_time() / weight.ref_time().max(1);
	let row = |name: String, weight: Weight| {
		format!(
			"| `{name}` | {} | {:.1} | {:.2}× | {} |\n",
			micros(weight),
			weight.proof_size() as f64 / 1024.0,
			weight.ref_time() as f64 / base.ref_time().max(1) as f64,
			per_block(weight),
		)
	};
	let mut text = String::from(
		"| call | ref time (µs) | proof size (KiB) | vs transfer | per block |\n|---|---|---|---|---|\n",
	);
	text.push_str(&row("Balances.transfer_keep_alive".into(), base));
	for (pallet, index) in pallets() {
		let calls = calls_of(index);
		assert!(!calls.is_empty(), "no call of {pallet} decodes from zeroes");
		for call in calls {
			let name = call.get_call_metadata().function_name;
			text.push_str(&row(format!("{pallet}.{name}"), transaction_weight(&call)));
		}
	}
	text
}

#[test]
fn the_readme_weight_table_matches_the_runtime() {
	let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
	let readme = std::fs::read_to_string(&path).expect("the README");
	let (Some(start), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
		panic!("the README has no {BEGIN} … {END} section");
	};
	let current = &readme[start + BEGIN.len()..end];
	let wanted = format!("\n{}", table());
	if current == wanted {
		return;
	}
	if std::env::var_os("WARDEN_WRITE_WEIGHT_TABLE").is_some() {
		let updated = format!("{}{BEGIN}{wanted}{}", &readme[..start], &readme[end..]);
		std::fs::write(&path, updated).expect("the README is writable");
		return;
	}
	panic!(
		"the README's weight table differs from the runtime's weights:\n{wanted}\nrewrite it \
		 with `{REWRITE}`"
	);
}
