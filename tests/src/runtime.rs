//! Runtime-level helpers: the real runtime, its genesis presets, real signed extrinsics.

use codec::Encode;
use frame_support::BoundedVec;
use pallet_warden_operators::Call as OperatorsCall;
use pallet_warden_services::{Call as ServicesCall, OperatorPreferences};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Era,
	traits::{Block as BlockT, Header as HeaderT},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	ApplyExtrinsicResult, DispatchError, Percent,
};
use warden_runtime::{
	Block, BlockNumber, Executive, Runtime, RuntimeCall, RuntimeGenesisConfig, SignedPayload,
	System, TxExtension, UncheckedExtrinsic,
};

pub use warden_runtime::{AccountId, Balance};

/// Externalities whose storage is the genesis of preset `preset` (`development` or
/// `local_testnet`), built through the runtime's own `GenesisBuilder` code.
pub fn genesis_ext(preset: &str) -> sp_io::TestExternalities {
	genesis_ext_with(preset, serde_json::json!({}))
}

/// Like [`genesis_ext`], with `patch` applied over the preset, as a chain spec's author
/// edits it (e.g. `{"validatorSet": {"slotDuration": 2000}}`).
pub fn genesis_ext_with(preset: &str, patch: serde_json::Value) -> sp_io::TestExternalities {
	let extra = patch;
	let id = sp_genesis_builder::PresetId::from(preset);
	let patch = warden_runtime::genesis_config_presets::get_preset(&id)
		.unwrap_or_else(|| panic!("the runtime has no `{preset}` preset"));
	// Like the node: the preset is a patch over the default genesis config.
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default())
		.expect("the default genesis config serializes");
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("the preset is JSON");
	merge_json(&mut config, patch);
	merge_json(&mut config, extra);
	let config = serde_json::to_vec(&config).expect("JSON serializes");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(config)
			.expect("the preset builds");
	});
	ext
}

/// Overwrites `base` with `patch`, recursing into objects.
fn merge_json(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge_json(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// Externalities at the genesis of the `development` preset.
pub fn dev_ext() -> sp_io::TestExternalities {
	genesis_ext(sp_genesis_builder::DEV_RUNTIME_PRESET)
}

/// The account of a dev key.
pub fn account(key: Sr25519Keyring) -> AccountId {
	key.to_account_id()
}

/// Free balance of `who`.
pub fn free_balance(who: &AccountId) -> Balance {
	pallet_balances::Pallet::<Runtime>::free_balance(who)
}

/// A transaction from `signer`, signed with its dev key, immortal, with `signer`'s
/// current nonce.
pub fn signed(signer: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
	signed_by(&signer.pair(), call)
}

/// A transaction signed with any sr25519 key, as [`signed`] signs with a dev key.
pub fn signed_by(signer: &sp_core::sr25519::Pair, call: RuntimeCall) -> UncheckedExtrinsic {
	use sp_core::Pair;
	let who: AccountId = signer.public().into();
	let nonce = System::account_nonce(&who);
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let payload = SignedPayload::new(call.clone(), extension.clone())
		.expect("the extension's implicit data is available");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(call, who.into(), signature.into(), extension)
}

/// Starts block `number` on top of the current state, as a block author would: an Aura
/// pre-digest for slot `number`, then the timestamp inherent of that slot (at the chain's
/// slot length).
pub fn initialize_block(number: BlockNumber) {
	let now = u64::from(number) * warden_runtime::ValidatorSet::slot_duration();
	initialize_block_at(number, u64::from(number), now);
}

/// Starts block `number` with an Aura pre-digest for `slot` and the timestamp inherent
/// `now` (milliseconds), which Aura checks against the slot.
pub fn initialize_block_at(number: BlockNumber, slot: u64, now: u64) {
	let parent_hash = if number > 1 { System::block_hash(number - 1) } else { Default::default() };
	let slot = sp_consensus_aura::Slot::from(slot);
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			slot.encode(),
		)],
	};
	let header = <Block as BlockT>::Header::new(
		number,
		Default::default(),
		Default::default(),
		parent_hash,
		digest,
	);
	Executive::initialize_block(&header);
	let timestamp =
		UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set { now }));
	Executive::apply_extrinsic(timestamp)
		.expect("the timestamp inherent is valid")
		.expect("the timestamp inherent dispatches");
}

/// Applies an extrinsic in the current block or, when that block has no room left, in
/// the next one, as a node's block builder does. A session boundary's block has none:
/// `pallet-session` takes all of its weight when it rotates the session.
pub fn apply(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	// A full block, then at worst a session boundary's: the third block has room.
	for _ in 0..2 {
		match apply_or_discard(xt.clone()) {
			Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
				next_block()
			}
			result => return result,
		}
	}
	apply_or_discard(xt)
}

/// Applies an extrinsic in the current block only; an invalid one (e.g. one the block has
/// no room for) leaves no trace in the state (the block builder applies each extrinsic in a
/// storage transaction and discards the invalid ones).
pub fn apply_or_discard(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	sp_io::storage::start_transaction();
	let result = Executive::apply_extrinsic(xt);
	if result.is_ok() {
		sp_io::storage::commit_transaction();
	} else {
		sp_io::storage::rollback_transaction();
	}
	result
}

/// Finishes the current block and starts the next one, running every pallet's hooks.
pub fn next_block() {
	let now = System::block_number();
	Executive::finalize_block();
	initialize_block(now + 1);
}

/// Applies a signed extrinsic, asserts that it dispatched without error, and returns the
/// fee its signer paid.
pub fn submit_ok(signer: Sr25519Keyring, call: impl Into<RuntimeCall>) -> Balance {
	let outcome = apply(signed(signer, call.into())).expect("the transaction is valid");
	assert!(outcome.is_ok(), "the call failed: {outcome:?}");
	last_fee_paid_by(&signer.to_account_id())
}

/// The fee of the last transaction `who` paid for in this block (0 if none).
pub fn last_fee_paid_by(who: &AccountId) -> Balance {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			warden_runtime::RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid {
					who: payer,
					actual_fee,
					..
				},
			) if &payer == who => Some(actual_fee),
			_ => None,
		})
		.unwrap_or_default()
}

/// Applies a signed extrinsic and returns its dispatch error.
pub fn submit_err(
	signer: Sr25519Keyring,
	call: impl Into<RuntimeCall>,
) -> sp_runtime::DispatchError {
	let outcome = apply(signed(signer, call.into())).expect("the transaction is valid");
	outcome.expect_err("the call fails")
}

/// Funds held from `who` for `reason`.
pub fn held(who: &AccountId, reason: impl Into<warden_runtime::RuntimeHoldReason>) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	warden_runtime::Balances::balance_on_hold(&reason.into(), who)
}

/// Runs blocks until `target` is the current block.
pub fn run_to_block(target: BlockNumber) {
	while System::block_number() < target {
		next_block();
	}
}

// --- Services on the development chain ---

/// `bytes`, bounded.
pub fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().expect("fits")
}

/// Registration preferences with `max_instances` and a price per block.
pub fn preferences(max_instances: u32, price_per_block: u128) -> OperatorPreferences<Runtime> {
	OperatorPreferences::<Runtime> {
		operator_key: [9; 32],
		rpc_address: bounded(b"ws://operator.example:9955"),
		max_instances,
		price_per_block,
	}
}

/// Makes `who` an Active operator with `bond`, registered for the demo blueprint 0.
pub fn operator(who: Sr25519Keyring, bond: u128, max_instances: u32, price: u128) {
	submit_ok(who, OperatorsCall::<Runtime>::join_operators { bond });
	submit_ok(
		who,
		ServicesCall::<Runtime>::register {
			blueprint: 0,
			preferences: preferences(max_instances, price),
		},
	);
}

/// A request of blueprint 0 from `operators` for `ttl` blocks paying `payment`.
pub fn request(operators: &[Sr25519Keyring], ttl: u32, payment: u128) -> ServicesCall<Runtime> {
	ServicesCall::request {
		blueprint: 0,
		operators: operators.iter().map(|o| account(*o)).collect::<Vec<_>>().try_into().unwrap(),
		permitted_callers: Default::default(),
		ttl,
		min_exposure: Percent::from_percent(1),
		payment,
	}
}

/// `requester` asks `operator` for a service, which approves it with `exposure`. Returns the
/// service.
pub fn service(
	requester: Sr25519Keyring,
	operator: Sr25519Keyring,
	payment: u128,
	exposure: u8,
) -> u64 {
	service_on(0, requester, operator, payment, exposure)
}

/// `requester` asks `operator` for a service of `blueprint`, which approves it with
/// `exposure`. Returns the service.
pub fn service_on(
	blueprint: u64,
	requester: Sr25519Keyring,
	operator: Sr25519Keyring,
	payment: u128,
	exposure: u8,
) -> u64 {
	let id = pallet_warden_services::NextRequestId::<Runtime>::get();
	let mut call = request(&[operator], 1_000, payment);
	if let ServicesCall::request { blueprint: b, .. } = &mut call {
		*b = blueprint;
	}
	submit_ok(requester, call);
	submit_ok(
		operator,
		ServicesCall::<Runtime>::approve {
			request: id,
			version: 0,
			exposure: Percent::from_percent(exposure),
		},
	);
	pallet_warden_services::NextServiceId::<Runtime>::get() - 1
}

/// Applies `call` from `who` and returns its dispatch outcome, without asserting it.
pub fn try_submit(who: Sr25519Keyring, call: impl Into<RuntimeCall>) -> Result<(), DispatchError> {
	apply(signed(who, call.into())).expect("the transaction is valid").map(|_| ())
}

/// A blueprint like the demo one (blueprint 0), made by `owner`. Returns its id.
pub fn copy_of_demo_blueprint(owner: Sr25519Keyring) -> u64 {
	let demo = pallet_warden_services::Blueprints::<Runtime>::get(0).expect("the demo blueprint");
	let id = pallet_warden_services::NextBlueprintId::<Runtime>::get();
	submit_ok(
		owner,
		ServicesCall::<Runtime>::create_blueprint {
			metadata: demo.metadata,
			jobs: demo.jobs,
			policy: demo.policy,
		},
	);
	id
}
