//! Warden's own flows on a real dev node, through subxt's dynamic API, as a wallet or an
//! operator's software would drive them: an account joins as an operator and registers for
//! the demo blueprint, a customer requests a service, the operator approves it, the
//! customer calls a job and the operator answers it and sends a fee-free heartbeat.

use std::time::Duration;

use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	dynamic::{self, Value},
	ext::scale_value::{At, ValueDef},
	transactions::TransactionStatus,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use warden_tests::node::{temp_dir, Node, NodeConfig};

use crate::NODE;

pub(crate) const UNIT: u128 = 1_000_000_000_000;

/// An event of a finalized transaction: `(pallet, event, fields)`.
pub(crate) type EventRecord = (String, String, Value);

/// How long a submission waits: until its block is the best or until it is finalized.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Until {
	InBestBlock,
	Finalized,
}

/// Submits `call` of `pallet` signed by `signer`, waits for it to be finalized and
/// succeed, and returns its events.
pub(crate) async fn submit(
	client: &OnlineClient<PolkadotConfig>,
	signer: &Keypair,
	pallet: &str,
	call: &str,
	args: Vec<Value>,
) -> Vec<EventRecord> {
	try_submit(client, signer, pallet, call, args, Until::Finalized, None)
		.await
		.unwrap_or_else(|e| panic!("{pallet}.{call} failed: {e}"))
}

/// Submits `call` of `pallet` signed by `signer` and waits until `until`: its events if it
/// succeeded, its error (with the pallet error's name) if it failed or the pool dropped it.
/// Without a `nonce` it takes the signer's nonce at the finalized block. Panics if the
/// pool refuses it or it doesn't get there within 60 s.
pub(crate) async fn try_submit(
	client: &OnlineClient<PolkadotConfig>,
	signer: &Keypair,
	pallet: &str,
	call: &str,
	args: Vec<Value>,
	until: Until,
	nonce: Option<u64>,
) -> Result<Vec<EventRecord>, String> {
	let tx = dynamic::transaction(pallet, call, args);
	let at = client.at_current_block().await.expect("best block");
	let mut transactions = at.transactions();
	let submitted = match nonce {
		Some(nonce) => {
			let params =
				DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
			transactions.sign_and_submit_then_watch(&tx, signer, params).await
		}
		None => transactions.sign_and_submit_then_watch_default(&tx, signer).await,
	};
	let mut progress =
		submitted.unwrap_or_else(|e| panic!("{pallet}.{call} was not accepted: {e}"));
	let included = async {
		while let Some(status) = progress.next().await {
			match status.map_err(|e| e.to_string())? {
				TransactionStatus::InBestBlock(block) if until == Until::InBestBlock => {
					return Ok(block)
				}
				TransactionStatus::InFinalizedBlock(block) => return Ok(block),
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => return Err(message),
				_ => continue,
			}
		}
		Err("the status stream ended".to_string())
	};
	let Ok(included) = tokio::time::timeout(Duration::from_secs(60), included).await else {
		panic!("{pallet}.{call} did not reach {until:?} within 60 s")
	};
	let events = included?.wait_for_success().await.map_err(|e| e.to_string())?;
	Ok(events
		.iter()
		.map(|event| {
			let event = event.expect("the event decodes");
			let fields = event.decode_fields_unchecked_as::<Value>().expect("fields decode");
			(event.pallet_name().to_string(), event.event_name().to_string(), fields)
		})
		.collect())
}

/// The fields of the first `pallet.name` event.
pub(crate) fn find<'a>(events: &'a [EventRecord], pallet: &str, name: &str) -> &'a Value {
	events
		.iter()
		.find(|(p, e, _)| p == pallet && e == name)
		.map(|(_, _, fields)| fields)
		.unwrap_or_else(|| panic!("no {pallet}.{name} among {events:?}"))
}

/// A numeric field of an event.
pub(crate) fn field(fields: &Value, name: &str) -> u128 {
	fields.at(name).and_then(|v| v.as_u128()).unwrap_or_else(|| panic!("no {name} in {fields}"))
}

/// The bytes of an account id or other byte array, however deeply its type nests them.
pub(crate) fn bytes(value: &Value) -> Vec<u8> {
	match &value.value {
		ValueDef::Composite(composite) => composite.values().flat_map(bytes).collect(),
		ValueDef::Primitive(_) => {
			value.as_u128().and_then(|b| u8::try_from(b).ok()).into_iter().collect()
		}
		_ => Vec::new(),
	}
}

pub(crate) fn id(account: &Keypair) -> Value {
	Value::from_bytes(account.public_key().0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_and_customer_run_a_service_through_a_client() {
	let scratch = temp_dir();
	let mut node =
		Node::start(NodeConfig::dev(NODE).args(["--sealing", "instant"]), scratch.path());
	node.wait_ready().await;
	let client = node.client().await;
	let (eve, ferdie) = (dev::eve(), dev::ferdie());

	// Eve bonds 1,000 WRD and becomes an Active operator.
	let events =
		submit(&client, &eve, "Operators", "join_operators", vec![Value::u128(1_000 * UNIT)]).await;
	assert_eq!(field(find(&events, "Operators", "OperatorJoined"), "bond"), 1_000 * UNIT);

	// She registers for the demo blueprint 0, running at most two of its instances.
	let preferences = Value::named_composite([
		("operator_key", Value::from_bytes([5u8; 32])),
		("rpc_address", Value::from_bytes(b"ws://eve.example:9955")),
		("max_instances", Value::u128(2)),
		("price_per_block", Value::u128(0)),
	]);
	let events =
		submit(&client, &eve, "Services", "register", vec![Value::u128(0), preferences]).await;
	find(&events, "Services", "Registered");

	// Ferdie requests a 100-block service from Eve and pays 10 WRD up front.
	let events = submit(
		&client,
		&ferdie,
		"Services",
		"request",
		vec![
			Value::u128(0),
			Value::unnamed_composite([id(&eve)]),
			Value::unnamed_composite([]),
			Value::u128(100),
			Value::u128(10),
			Value::u128(10 * UNIT),
		],
	)
	.await;
	let request = field(find(&events, "Services", "ServiceRequested"), "request");

	// Eve approves with 20% of her stake exposed: the service is active.
	let events = submit(
		&client,
		&eve,
		"Services",
		"approve",
		vec![Value::u128(request), Value::u128(0), Value::u128(20)],
	)
	.await;
	let service = field(find(&events, "Services", "ServiceActivated"), "service");

	// Ferdie calls the echo job; Eve answers it.
	let events = submit(
		&client,
		&ferdie,
		"Services",
		"call",
		vec![Value::u128(service), Value::u128(0), Value::from_bytes(b"ping")],
	)
	.await;
	let call_id = field(find(&events, "Services", "JobCalled"), "call_id");
	let events = submit(
		&client,
		&eve,
		"Services",
		"submit_result",
		vec![
			Value::u128(service),
			Value::u128(call_id),
			Value::unnamed_variant("Success", [Value::from_bytes(b"ping")]),
		],
	)
	.await;
	let submitted = find(&events, "Services", "ResultSubmitted");
	assert_eq!(field(submitted, "call_id"), call_id);

	// A valid heartbeat costs Eve nothing.
	let events = submit(
		&client,
		&eve,
		"Services",
		"heartbeat",
		vec![Value::u128(service), Value::from_bytes(b"cpu=3%")],
	)
	.await;
	find(&events, "Services", "HeartbeatRecorded");
	let fee = find(&events, "TransactionPayment", "TransactionFeePaid");
	assert_eq!(field(fee, "actual_fee"), 0, "a valid heartbeat is free");

	// The runtime API shows the service with Eve's committed exposure.
	let at = client.at_current_block().await.expect("best block");
	let info = at
		.runtime_apis()
		.call(dynamic::runtime_api_call::<_, Value>("ServicesApi", "service", (service as u64,)))
		.await
		.expect("ServicesApi.service answers");
	let active = info.at(0).unwrap_or_else(|| panic!("service {service} is not active: {info}"));
	assert_eq!(field(active, "escrow"), 10 * UNIT, "the payment is held in escrow");
	let (operator, exposure) = active
		.at("operators")
		.and_then(|operators| operators.at(0))
		.and_then(|entry| Some((entry.at(0)?, entry.at(1)?)))
		.unwrap_or_else(|| panic!("no operator in {active}"));
	assert_eq!(bytes(operator), eve.public_key().0, "Eve runs the service");
	// `Percent` is a one-field composite around its parts.
	let percent = exposure.as_u128().or_else(|| exposure.at(0).and_then(|v| v.as_u128()));
	assert_eq!(percent, Some(20), "Eve committed 20% of her stake");
}
