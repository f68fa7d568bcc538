//! A validator network on loopback: four validators finalize and survive one of them
//! stopping and restarting; a fifth node generates session keys, registers them, is added
//! by a committee motion and authors blocks, then is removed and stops; a full node syncs
//! from genesis; governance's limits hold.
//!
//! The chain spec chooses 2-second slots and 3-block sessions, so a validator-set change,
//! active two session boundaries after it is made, shows within about 12 seconds.

use std::time::{Duration, Instant};

use codec::{Decode, Encode};
use serde_json::Value as Json;
use sp_runtime::AccountId32;
use subxt::{
	dynamic::{self, Value},
	ext::scale_value::{At, ValueDef},
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use warden_primitives::ValidatorSetInfo;
use warden_tests::{
	network::{Network, ValidatorGenesis},
	node::{best_number, finalized_number, poll_until, Node},
};

use crate::{
	flows::{bytes, field, find, id, try_submit, EventRecord, Until},
	NODE,
};

/// Blocks per session on this network.
const SESSION_LENGTH: u32 = 3;
/// Milliseconds per Aura slot on this network (the runtime's default is 6000).
const SLOT_DURATION: u64 = 2000;

type Info = ValidatorSetInfo<AccountId32, u32>;

/// A node's subxt client, and its raw RPC for the pool's nonces.
type Chain = (OnlineClient<PolkadotConfig>, RpcClient);

/// The validator set as the node's best block sees it.
async fn validator_set(client: &OnlineClient<PolkadotConfig>) -> Info {
	let at = client.at_current_block().await.expect("best block");
	let raw = at
		.runtime_apis()
		.call_raw("ValidatorSetApi_validator_set", None)
		.await
		.expect("ValidatorSetApi answers");
	Info::decode(&mut &raw[..]).expect("ValidatorSetInfo decodes")
}

fn account(keypair: &Keypair) -> AccountId32 {
	AccountId32::new(keypair.public_key().0)
}

/// Whether a `Result` value is `Ok`.
fn is_ok(result: &Value) -> bool {
	matches!(&result.value, ValueDef::Variant(variant) if variant.name == "Ok")
}

/// The `Pallet::Error` name of a failed dispatch's `Err(Module { index, error })`.
async fn module_error(client: &OnlineClient<PolkadotConfig>, result: &Value) -> Option<String> {
	let ValueDef::Variant(err) = &result.value else { return None };
	let dispatch = err.values.values().next().filter(|_| err.name == "Err")?;
	let ValueDef::Variant(module) = &dispatch.value else { return None };
	let details = module.values.values().next().filter(|_| module.name == "Module")?;
	let index = u8::try_from(details.at("index")?.as_u128()?).ok()?;
	let error = *bytes(details.at("error")?).first()?;
	let metadata = client.at_current_block().await.ok()?.metadata();
	let pallet = metadata.pallet_by_error_index(index)?;
	let variant = pallet.error_variant_by_index(error)?;
	Some(format!("{}::{}", pallet.name(), variant.name))
}

/// `pallet.call(args)` as a value of the runtime's call type, to nest in another call.
fn call_value(pallet: &str, call: &str, args: Vec<(&str, Value)>) -> Value {
	Value::unnamed_variant(pallet, [Value::named_variant(call, args)])
}

/// Submits `call` with the signer's next nonce from the node's pool, waits for it to
/// succeed in a best block (finality lags a block or two behind on this network, and later
/// steps check it), and returns its events.
async fn submit_now(
	(client, rpc): &Chain,
	signer: &Keypair,
	pallet: &str,
	call: &str,
	args: Vec<Value>,
) -> Vec<EventRecord> {
	let nonce: u64 = rpc
		.request("system_accountNextIndex", rpc_params![account(signer).to_string()])
		.await
		.expect("system_accountNextIndex answers");
	try_submit(client, signer, pallet, call, args, Until::InBestBlock, Some(nonce))
		.await
		.unwrap_or_else(|e| panic!("{pallet}.{call} failed: {e}"))
}

/// Passes `call` as a committee motion: Alice proposes with a threshold of two of the
/// three members, Alice and Bob vote aye, Charlie closes. Returns the close's events.
async fn committee_motion(
	chain: &Chain,
	pallet: &str,
	call: &str,
	args: Vec<(&str, Value)>,
) -> Vec<EventRecord> {
	let proposal = dynamic::transaction(
		pallet,
		call,
		args.iter().map(|(_, value)| value.clone()).collect::<Vec<_>>(),
	);
	let length = chain
		.0
		.at_current_block()
		.await
		.expect("best block")
		.transactions()
		.call_data(&proposal)
		.expect("the proposal encodes")
		.len() as u128;
	let events = submit_now(
		chain,
		&dev::alice(),
		"SlashingCommittee",
		"propose",
		vec![Value::u128(2), call_value(pallet, call, args), Value::u128(length)],
	)
	.await;
	let proposed = find(&events, "SlashingCommittee", "Proposed");
	let index = field(proposed, "proposal_index");
	let hash = bytes(proposed.at("proposal_hash").expect("the motion's hash"));
	let vote = |voter: Keypair| {
		let hash = hash.clone();
		async move {
			submit_now(
				chain,
				&voter,
				"SlashingCommittee",
				"vote",
				vec![Value::from_bytes(&hash), Value::u128(index), Value::bool(true)],
			)
			.await
		}
	};
	tokio::join!(vote(dev::alice()), vote(dev::bob()));
	let weight_bound = Value::named_composite([
		("ref_time", Value::u128(10_000_000_000)),
		("proof_size", Value::u128(1_000_000)),
	]);
	let events = submit_now(
		chain,
		&dev::charlie(),
		"SlashingCommittee",
		"close",
		vec![Value::from_bytes(&hash), Value::u128(index), weight_bound, Value::u128(length)],
	)
	.await;
	let executed = find(&events, "SlashingCommittee", "Executed");
	assert!(
		is_ok(executed.at("result").expect("a result")),
		"the motion {pallet}.{call} failed: {executed}"
	);
	events
}

/// The blocks node `node` authored so far: `(number, hash)` from its log.
fn authored(node: &Node) -> Vec<(u64, String)> {
	const MARKER: &str = "Pre-sealed block for proposal at ";
	node.log()
		.lines()
		.filter_map(|line| {
			let rest = &line[line.find(MARKER)? + MARKER.len()..];
			let number = rest.split('.').next()?.trim().parse().ok()?;
			let hash = rest.split("Hash now ").nth(1)?.split(',').next()?.trim().to_string();
			Some((number, hash))
		})
		.collect()
}

/// Waits until `check` holds for the validator set, or fails with it after `timeout`.
async fn wait_for_set(
	network: &Network,
	client: &OnlineClient<PolkadotConfig>,
	what: &str,
	timeout: Duration,
	check: impl Fn(&Info) -> bool,
) {
	let reached = poll_until(timeout, || async {
		let info = validator_set(client).await;
		check(&info).then_some(())
	})
	.await;
	if reached.is_none() {
		let info = validator_set(client).await;
		network.node("alice").fail(&format!("{what} not reached in {timeout:?}: {info:?}"));
	}
}

/// The node's hash of block `number`.
async fn block_hash(node: &Node, number: u64) -> Option<String> {
	let rpc = node.rpc().await;
	rpc.request::<Option<String>>("chain_getBlockHash", rpc_params![number]).await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validator_network_grows_shrinks_and_recovers() {
	let started = Instant::now();
	let step = |what: &str| eprintln!("[network {:>5.1}s] {what}", started.elapsed().as_secs_f64());
	let genesis = ValidatorGenesis {
		validators: vec!["alice", "bob", "charlie", "dave"],
		min_validators: 4,
		session_length: SESSION_LENGTH,
		slot_duration: Some(SLOT_DURATION),
	};
	let mut network = Network::start(NODE, &genesis).await;
	// Eve runs a validator node without keys yet (its RPC may rotate keys); she starts
	// while the four finalize.
	network.start_node("eve", &["--validator", "--rpc-methods", "unsafe"]);
	let chain: Chain = (network.node("alice").client().await, network.node("alice").rpc().await);
	let client = &chain.0;
	step("four validators up");

	// 1. Four validators finalize.
	let all = ["alice", "bob", "charlie", "dave"];
	network.wait_finalized(&all, 2, Duration::from_secs(120)).await;
	let info = validator_set(client).await;
	assert_eq!(info.active.len(), 4);
	assert_eq!(info.session_length, SESSION_LENGTH);
	assert_eq!(info.min_validators, 4);
	let at = client.at_current_block().await.expect("best block");
	let slot =
		at.runtime_apis().call_raw("AuraApi_slot_duration", None).await.expect("AuraApi answers");
	assert_eq!(u64::decode(&mut &slot[..]).ok(), Some(SLOT_DURATION), "the spec's slot length");
	step("four validators finalized #2");

	network.wait_ready("eve").await;
	step("eve up");

	// 2. Dave stops: three of four keep finalizing through everything up to his restart.
	network.stop("dave");
	let three = ["alice", "bob", "charlie"];
	let before = network.finalized("alice").await;
	step("dave stopped");

	// 3. Governance's limits (anyone else is refused, and so is going below the minimum)
	//    while Eve generates session keys on her node and registers them.
	let limits = async {
		let refused = try_submit(
			client,
			&dev::bob(),
			"ValidatorSet",
			"remove_validator",
			vec![id(&dev::dave())],
			Until::InBestBlock,
			None,
		)
		.await
		.expect_err("a signed account is not governance");
		assert!(refused.contains("Bad origin"), "{refused}");
		let events = submit_now(
			&chain,
			&dev::alice(),
			"Sudo",
			"sudo",
			vec![call_value("ValidatorSet", "remove_validator", vec![("who", id(&dev::dave()))])],
		)
		.await;
		let result = find(&events, "Sudo", "Sudid").at("sudo_result").expect("a result").clone();
		assert!(!is_ok(&result), "removing below the minimum succeeded: {result}");
		assert_eq!(
			module_error(client, &result).await.as_deref(),
			Some("ValidatorSet::TooFewValidators"),
			"{result}"
		);
		assert_eq!(validator_set(client).await.target.len(), 4);
	};
	let eve = dev::eve();
	let register = async {
		let eve_rpc = network.node("eve").rpc().await;
		let generated: Json = eve_rpc
			.request(
				"author_rotateKeysWithOwner",
				rpc_params![format!("0x{}", hex(&account(&eve).encode()))],
			)
			.await
			.expect("author_rotateKeysWithOwner answers");
		let keys = unhex(generated["keys"].as_str().expect("keys"));
		let proof = unhex(generated["proof"].as_str().expect("a proof of possession"));
		assert_eq!(keys.len(), 64, "an sr25519 Aura key and an ed25519 GRANDPA key");
		submit_now(
			&chain,
			&eve,
			"Session",
			"set_keys",
			vec![
				Value::named_composite([
					("aura", Value::from_bytes(&keys[..32])),
					("grandpa", Value::from_bytes(&keys[32..])),
				]),
				Value::from_bytes(&proof),
			],
		)
		.await;
	};
	tokio::join!(limits, register);
	step("governance limits hold; eve registered her session keys");

	// 4. Governance adds her: a committee motion.
	let events =
		committee_motion(&chain, "ValidatorSet", "add_validator", vec![("who", id(&eve))]).await;
	find(&events, "ValidatorSet", "ValidatorAdded");
	step("eve added by motion");
	network.wait_finalized(&three, before + 3, Duration::from_secs(120)).await;
	step("three of four finalized three more blocks");

	// Dave restarts from his database and catches up while Eve's change comes in.
	network.start_node("dave", &["--dave"]);
	network.wait_ready("dave").await;

	// 5. Eve becomes active two boundaries later.
	let eve_id = account(&eve);
	wait_for_set(&network, client, "Eve active", Duration::from_secs(120), |info| {
		info.active.contains(&eve_id)
	})
	.await;
	step("eve active");
	let target = network.finalized("alice").await;
	network.wait_finalized(&["dave"], target, Duration::from_secs(90)).await;
	step("dave caught up");

	// 6. A full node syncs from genesis and serves RPC (started now: it syncs meanwhile).
	network.start_node("ferdie", &[]);
	let ferdie_rpc = network.wait_ready("ferdie").await;

	// 7. Eve authors a block on the finalized chain while the committee already votes to
	//    remove her (she stays an author until the second boundary after the motion).
	let authored_finalized = async {
		let first = poll_until(Duration::from_secs(90), || async {
			authored(network.node("eve")).into_iter().next()
		})
		.await
		.unwrap_or_else(|| network.node("eve").fail("Eve never authored a block"));
		let canonical = poll_until(Duration::from_secs(60), || async {
			let hash = block_hash(network.node("alice"), first.0).await?;
			(finalized_number(&network.node("alice").rpc().await).await >= first.0).then_some(hash)
		})
		.await
		.unwrap_or_else(|| network.node("alice").fail("Eve's block was never finalized"));
		assert_eq!(canonical, first.1, "Eve's block #{} is on the finalized chain", first.0);
		step("eve authored a finalized block");
	};
	let removal = async {
		let events =
			committee_motion(&chain, "ValidatorSet", "remove_validator", vec![("who", id(&eve))])
				.await;
		find(&events, "ValidatorSet", "ValidatorRemoved");
		step("eve removed by motion");
	};
	tokio::join!(authored_finalized, removal);

	// She leaves the active set two boundaries later, stops authoring, and finality goes on.
	wait_for_set(&network, client, "Eve inactive", Duration::from_secs(120), |info| {
		!info.active.contains(&eve_id) && info.active.len() == 4
	})
	.await;
	let removed_at = best_number(&network.node("alice").rpc().await).await;
	step("eve inactive");
	let finalized_then = network.finalized("alice").await;
	// A full round of Aura slots for five authors, had she stayed one.
	let quiet_until = removed_at + 5;
	let alice_rpc = network.node("alice").rpc().await;
	poll_until(Duration::from_secs(60), || async {
		(best_number(&alice_rpc).await >= quiet_until).then_some(())
	})
	.await
	.unwrap_or_else(|| network.node("alice").fail("no new blocks after Eve left"));
	network.wait_finalized(&all, removed_at + 1, Duration::from_secs(60)).await;
	let late: Vec<_> =
		authored(network.node("eve")).into_iter().filter(|(n, _)| *n > removed_at).collect();
	assert!(late.is_empty(), "Eve authored after leaving the set: {late:?}");
	assert!(network.finalized("alice").await > finalized_then);
	step("eve stopped authoring, finality continued");

	// The full node has the chain from genesis up to the finalized head, and answers reads.
	let head = network.finalized("alice").await;
	network.wait_finalized(&["ferdie"], head, Duration::from_secs(60)).await;
	let genesis_hash = block_hash(network.node("alice"), 0).await;
	let ferdie_genesis: Option<String> =
		ferdie_rpc.request("chain_getBlockHash", rpc_params![0]).await.expect("RPC answers");
	assert_eq!(ferdie_genesis, genesis_hash);
	let ferdie_client = network.node("ferdie").client().await;
	assert_eq!(validator_set(&ferdie_client).await.active.len(), 4);
	step("full node synced");
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
	let text = text.trim_start_matches("0x");
	(0..text.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
		.collect()
}
