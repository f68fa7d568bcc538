//! Channels and monitoring on the real runtime, with dev keys:
//!
//! - the usual scenario: Bob opens a channel to Alice and pays her off-chain with balance
//!   proofs; Alice funds the channel's monitoring escrow, hands her newest proof and a
//!   reward authorization to a monitor (Charlie), and goes offline. Bob closes with an
//!   older proof in his favour; in its slot of the challenge window Charlie submits
//!   Alice's newest proof; the channel settles as Alice expects, and Charlie's reward is
//!   paid to the payout address he named (Dave). Every balance is checked, fees included;
//! - a monitor refused before its slot and on a replay, a reward paid once, a monitor
//!   leaving with its deposit;
//! - a receiver who updates herself, whose escrow comes back whole;
//! - the golden vectors of `warden-primitives`, sr25519 and ecdsa, accepted as they are;
//! - the attacks on monitors' rewards, played and refused: a monitor replaying the proof
//!   the sender closed with (no help, no reward), an update lowering what the receiver
//!   gets, and a monitor front-running another's update with an authorization that names
//!   that other monitor;
//! - signatures of every scheme `MultiSignature` carries accepted, and the calls checking
//!   them charged for the slowest.

use codec::Decode;
use frame_support::traits::fungible::{InspectHold, Mutate};
use pallet_warden_channels::{BalanceProofOf, Call as ChannelsCall};
use pallet_warden_monitoring::{Call as MonitoringCall, RewardAuthorizationOf};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::BlakeTwo256, MultiSignature};
use warden_primitives::{BalanceProofPayload, RewardAuthorizationPayload};
use warden_runtime::{Balances, Runtime, RuntimeOrigin, System, UNIT};
use warden_tests::runtime::*;

type Channels = pallet_warden_channels::Pallet<Runtime>;
type Monitoring = pallet_warden_monitoring::Pallet<Runtime>;

fn sign(key: Sr25519Keyring, payload: &[u8]) -> MultiSignature {
	key.sign(payload).into()
}

/// A balance proof signed by the channel's sender, Bob.
fn proof(channel: u64, nonce: u64, transferred: Balance) -> BalanceProofOf<Runtime> {
	let payload = BalanceProofPayload::new(System::block_hash(0), channel, nonce, transferred);
	let signature = sign(Bob, &payload.signing_bytes());
	payload.into_proof(signature)
}

/// Alice's authorization of `reward` for submitting exactly `proof`, by any monitor.
fn authorization(
	proof: &BalanceProofOf<Runtime>,
	reward: Balance,
) -> RewardAuthorizationOf<Runtime> {
	named_authorization(proof, reward, None)
}

/// Alice's authorization of `reward` for submitting exactly `proof`, by `monitor` only if
/// it names one.
fn named_authorization(
	proof: &BalanceProofOf<Runtime>,
	reward: Balance,
	monitor: Option<AccountId>,
) -> RewardAuthorizationOf<Runtime> {
	let payload = RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(
		System::block_hash(0),
		proof,
		reward,
		monitor,
	);
	let signature = sign(Alice, &payload.signing_bytes());
	payload.into_authorization(signature)
}

/// A monitor's endpoint.
fn endpoint() -> pallet_warden_monitoring::EndpointOf<Runtime> {
	bounded(b"https://monitor.example")
}

fn total_held(who: &AccountId) -> Balance {
	Balances::total_balance_on_hold(who)
}

#[test]
fn a_monitor_defends_an_offline_receiver_and_claims_its_reward() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, bob, charlie, dave) =
			(account(Alice), account(Bob), account(Charlie), account(Dave));
		let start = [&alice, &bob, &charlie, &dave].map(|who| (free_balance(who), total_held(who)));
		let mut fees = [0; 4];

		let deposit = 100 * UNIT;
		let channel = pallet_warden_channels::NextChannelId::<Runtime>::get();
		fees[1] +=
			submit_ok(Bob, ChannelsCall::<Runtime>::open { receiver: alice.clone(), deposit });

		let escrow = 5 * UNIT;
		let reward = 2 * UNIT;
		fees[0] += submit_ok(
			Alice,
			MonitoringCall::<Runtime>::fund_monitoring { channel, amount: escrow },
		);
		let monitor_deposit =
			pallet_warden_monitoring::Params::<Runtime>::get().min_monitor_deposit;
		fees[2] += submit_ok(
			Charlie,
			MonitoringCall::<Runtime>::register_monitor {
				deposit: monitor_deposit,
				endpoint: endpoint(),
			},
		);

		// Off-chain: Bob pays Alice 10, then 30 WRD in total. Alice gives Charlie the newest
		// proof and a 2 WRD reward authorization, and goes offline.
		let stale = proof(channel, 1, 10 * UNIT);
		let newest = proof(channel, 2, 30 * UNIT);
		let authorized = authorization(&newest, reward);

		fees[1] += submit_ok(Bob, ChannelsCall::<Runtime>::close { channel, proof: Some(stale) });

		// Charlie may act from his slot, 30–80% into the window.
		let slot =
			pallet_warden_monitoring::Pallet::<Runtime>::first_allowed_block(channel, &charlie)
				.expect("the channel is closing and Charlie is registered");
		run_to_block(slot);
		fees[2] += submit_ok(
			Charlie,
			MonitoringCall::<Runtime>::monitor_update {
				proof: newest,
				authorization: authorized,
				payout: dave.clone(),
			},
		);

		// The window ends; the channel settles on its own: Alice 30, Bob 70 back.
		let challenge = pallet_warden_channels::Params::<Runtime>::get().challenge_period;
		run_to_block(System::block_number() + challenge);
		assert!(pallet_warden_channels::Channels::<Runtime>::get(channel).is_none(), "settled");

		// Anyone may pay the reward out; Dave, the payout address, does it.
		fees[3] += submit_ok(Dave, MonitoringCall::<Runtime>::claim_reward { channel });
		System::assert_has_event(
			pallet_warden_monitoring::Event::<Runtime>::RewardClaimed {
				channel,
				monitor: charlie.clone(),
				payout: dave.clone(),
				amount: reward,
			}
			.into(),
		);

		let [(alice0, alice_held0), (bob0, bob_held0), (charlie0, charlie_held0), (dave0, dave_held0)] =
			start;
		// Alice: +30 from the channel, -2 reward (the rest of her escrow came back), fees.
		assert_eq!(free_balance(&alice), alice0 + 30 * UNIT - reward - fees[0]);
		assert_eq!(total_held(&alice), alice_held0);
		// Bob: paid exactly the 30 of the newest proof, not the 10 of the stale one.
		assert_eq!(free_balance(&bob), bob0 - 30 * UNIT - fees[1]);
		assert_eq!(total_held(&bob), bob_held0);
		// Charlie: still registered, his deposit held; the reward went to Dave.
		assert_eq!(free_balance(&charlie), charlie0 - monitor_deposit - fees[2]);
		assert_eq!(total_held(&charlie), charlie_held0 + monitor_deposit);
		assert_eq!(free_balance(&dave), dave0 + reward - fees[3]);
		assert_eq!(total_held(&dave), dave_held0);

		pallet_warden_channels::Pallet::<Runtime>::do_try_state().expect("channels invariants");
		pallet_warden_monitoring::Pallet::<Runtime>::do_try_state().expect("monitoring invariants");
	});
}

fn check_invariants() {
	Channels::do_try_state().expect("channels invariants hold");
	Monitoring::do_try_state().expect("monitoring invariants hold");
}

/// Bob's channel to Alice with a 300-unit escrow and Charlie registered as a monitor,
/// closed by Bob with `stale`. Returns the channel.
fn closed_channel_with_a_monitor(
	stale: impl FnOnce(u64) -> Option<BalanceProofOf<Runtime>>,
) -> u64 {
	let channel = pallet_warden_channels::NextChannelId::<Runtime>::get();
	submit_ok(
		Bob,
		ChannelsCall::<Runtime>::open { receiver: account(Alice), deposit: 1_000 * UNIT },
	);
	submit_ok(Alice, MonitoringCall::<Runtime>::fund_monitoring { channel, amount: 300 * UNIT });
	let deposit = pallet_warden_monitoring::Params::<Runtime>::get().min_monitor_deposit;
	submit_ok(
		Charlie,
		MonitoringCall::<Runtime>::register_monitor { deposit, endpoint: endpoint() },
	);
	submit_ok(Bob, ChannelsCall::<Runtime>::close { channel, proof: stale(channel) });
	channel
}

#[test]
fn a_monitor_is_refused_before_its_slot_and_on_replay_and_paid_once() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, dave) = (account(Alice), account(Charlie), account(Dave));
		let channel = closed_channel_with_a_monitor(|channel| Some(proof(channel, 2, 300 * UNIT)));
		let newest = proof(channel, 4, 700 * UNIT);
		let reward = authorization(&newest, 100 * UNIT);
		let update = || MonitoringCall::<Runtime>::monitor_update {
			proof: newest.clone(),
			authorization: reward.clone(),
			payout: dave.clone(),
		};

		let slot = Monitoring::first_allowed_block(channel, &charlie).expect("closing");
		run_to_block(slot - 1);
		assert_eq!(
			submit_err(Charlie, update()),
			pallet_warden_monitoring::Error::<Runtime>::BeforeSlot.into()
		);
		run_to_block(slot);
		submit_ok(Charlie, update());
		check_invariants();
		assert_eq!(
			submit_err(Charlie, update()),
			pallet_warden_monitoring::Error::<Runtime>::StaleNonce.into()
		);

		let challenge = pallet_warden_channels::Params::<Runtime>::get().challenge_period;
		run_to_block(1 + challenge);
		assert_eq!(
			pallet_warden_monitoring::Escrows::<Runtime>::get(channel).unwrap().settled_nonce,
			Some(4)
		);
		let dave_before = free_balance(&dave);
		let alice_before = free_balance(&alice);
		submit_ok(Eve, MonitoringCall::<Runtime>::claim_reward { channel });
		assert_eq!(free_balance(&dave), dave_before + 100 * UNIT);
		assert_eq!(free_balance(&alice), alice_before + 200 * UNIT, "the rest of the escrow");
		assert_eq!(
			submit_err(Eve, MonitoringCall::<Runtime>::claim_reward { channel }),
			pallet_warden_monitoring::Error::<Runtime>::NoEscrow.into()
		);
		check_invariants();

		// The monitor leaves and, after the unregister delay, gets its deposit back.
		let deposit = pallet_warden_monitoring::Params::<Runtime>::get().min_monitor_deposit;
		let held_before = Balances::total_balance_on_hold(&charlie);
		submit_ok(Charlie, MonitoringCall::<Runtime>::unregister_monitor {});
		let delay = pallet_warden_monitoring::Params::<Runtime>::get().unregister_delay;
		run_to_block(System::block_number() + delay);
		submit_ok(Charlie, MonitoringCall::<Runtime>::release_monitor_deposit {});
		assert_eq!(Balances::total_balance_on_hold(&charlie), held_before - deposit);
		check_invariants();
	});
}

/// The monitor raises what the receiver gets to 700 WRD; then the receiver submits a newer
/// proof for the same 700 WRD. The channel settles with her nonce, but the monitor brought
/// it to its final amount first: it keeps its reward. A newer proof for more would have
/// taken it (she, not the monitor, brought the channel to its end).
#[test]
fn a_receivers_newer_proof_for_the_same_amount_does_not_take_the_monitors_reward() {
	for (receiver_pays, monitor_paid) in [(700 * UNIT, true), (800 * UNIT, false)] {
		dev_ext().execute_with(|| {
			initialize_block(1);
			let (charlie, dave) = (account(Charlie), account(Dave));
			let channel =
				closed_channel_with_a_monitor(|channel| Some(proof(channel, 2, 300 * UNIT)));
			let raised = proof(channel, 4, 700 * UNIT);
			run_to_block(Monitoring::first_allowed_block(channel, &charlie).expect("closing"));
			submit_ok(
				Charlie,
				MonitoringCall::<Runtime>::monitor_update {
					authorization: authorization(&raised, 100 * UNIT),
					proof: raised,
					payout: dave.clone(),
				},
			);
			submit_ok(
				Alice,
				ChannelsCall::<Runtime>::update {
					channel,
					proof: proof(channel, 5, receiver_pays),
				},
			);
			let challenge = pallet_warden_channels::Params::<Runtime>::get().challenge_period;
			run_to_block(1 + challenge);
			let dave_before = free_balance(&dave);
			submit_ok(Eve, MonitoringCall::<Runtime>::claim_reward { channel });
			let paid = if monitor_paid { 100 * UNIT } else { 0 };
			assert_eq!(free_balance(&dave), dave_before + paid, "receiver paid {receiver_pays}");
			check_invariants();
		});
	}
}

#[test]
fn a_receiver_who_updates_herself_gets_her_escrow_back() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, dave) = (account(Alice), account(Charlie), account(Dave));
		let channel = closed_channel_with_a_monitor(|_| None);
		let older = proof(channel, 3, 500 * UNIT);
		run_to_block(Monitoring::first_allowed_block(channel, &charlie).expect("closing"));
		submit_ok(
			Charlie,
			MonitoringCall::<Runtime>::monitor_update {
				proof: older.clone(),
				authorization: authorization(&older, 100 * UNIT),
				payout: dave.clone(),
			},
		);
		// Alice is back online and submits a newer proof herself.
		submit_ok(
			Alice,
			ChannelsCall::<Runtime>::update { channel, proof: proof(channel, 4, 700 * UNIT) },
		);

		let challenge = pallet_warden_channels::Params::<Runtime>::get().challenge_period;
		run_to_block(1 + challenge);
		let (alice_before, dave_before) = (free_balance(&alice), free_balance(&dave));
		submit_ok(Bob, MonitoringCall::<Runtime>::claim_reward { channel });
		assert_eq!(free_balance(&dave), dave_before, "no reward for a superseded update");
		assert_eq!(free_balance(&alice), alice_before + 300 * UNIT, "the whole escrow back");
		assert_eq!(held(&alice, pallet_warden_monitoring::HoldReason::MonitoringEscrow), 0);
		check_invariants();
	});
}

/// The golden vectors of `warden-primitives`, as committed.
mod golden {
	use super::*;
	use serde_json::Value;
	use sp_core::bytes::from_hex;
	use warden_runtime::AccountId;

	const VECTORS: &str = include_str!("../../primitives/test-vectors/signed-payloads.json");

	pub struct Vectors {
		pub genesis_hash: sp_core::H256,
		pub sender: AccountId,
		pub receiver: AccountId,
		pub proof: BalanceProofOf<Runtime>,
		pub co_signature: MultiSignature,
		pub authorization: RewardAuthorizationOf<Runtime>,
		/// The same authorization, for the monitor it names only.
		pub named_authorization: RewardAuthorizationOf<Runtime>,
		/// The monitor it names.
		pub named_monitor: AccountId,
	}

	fn find<'a>(all: &'a Value, name: &str) -> &'a Value {
		all["vectors"]
			.as_array()
			.unwrap()
			.iter()
			.find(|v| v["name"] == name)
			.unwrap_or_else(|| panic!("no vector {name}"))
	}

	fn bytes(value: &Value) -> Vec<u8> {
		from_hex(value.as_str().unwrap()).unwrap()
	}

	fn balance(value: &Value) -> Balance {
		value.as_str().unwrap().parse().unwrap()
	}

	fn signature(vector: &Value) -> MultiSignature {
		MultiSignature::decode(&mut &bytes(&vector["signature"])[..]).unwrap()
	}

	fn account_of(vector: &Value) -> AccountId {
		AccountId::decode(&mut &bytes(&vector["signer"]["account"])[..]).unwrap()
	}

	/// The vectors of one signature scheme, with the proof and authorization built from
	/// their fields.
	pub fn of(scheme: &str) -> Vectors {
		let all: Value = serde_json::from_str(VECTORS).unwrap();
		let genesis_hash = sp_core::H256::from_slice(&bytes(&all["genesis_hash"]));
		let proof_vector = find(&all, &format!("balance_proof_{scheme}"));
		let close_vector = find(&all, &format!("cooperative_close_{scheme}"));
		let reward_vector = find(&all, &format!("reward_authorization_{scheme}"));
		let fields = &proof_vector["fields"];
		let proof = BalanceProofPayload::new(
			genesis_hash,
			fields["channel"].as_u64().unwrap(),
			fields["nonce"].as_u64().unwrap(),
			balance(&fields["transferred"]),
		)
		.into_proof(signature(proof_vector));
		let authorization = RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(
			genesis_hash,
			&proof,
			balance(&reward_vector["fields"]["reward"]),
			None,
		)
		.into_authorization(signature(reward_vector));
		let named_vector = find(&all, &format!("reward_authorization_named_{scheme}"));
		let named_monitor =
			AccountId::decode(&mut &bytes(&named_vector["fields"]["monitor"])[..]).unwrap();
		let named_authorization = RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(
			genesis_hash,
			&proof,
			balance(&named_vector["fields"]["reward"]),
			Some(named_monitor.clone()),
		)
		.into_authorization(signature(named_vector));
		Vectors {
			genesis_hash,
			sender: account_of(proof_vector),
			receiver: account_of(reward_vector),
			proof,
			co_signature: signature(close_vector),
			authorization,
			named_authorization,
			named_monitor,
		}
	}

	/// A chain whose genesis hash is the vectors', with the vectors' sender and receiver
	/// funded and the sender's channel to the receiver open (as channel 0).
	pub fn chain_with_the_channel(vectors: &Vectors) {
		initialize_block(1);
		frame_system::BlockHash::<Runtime>::insert(0, vectors.genesis_hash);
		for who in [&vectors.sender, &vectors.receiver] {
			Balances::mint_into(who, 10_000 * UNIT).unwrap();
		}
		assert_eq!(pallet_warden_channels::NextChannelId::<Runtime>::get(), vectors.proof.channel);
		Channels::open(
			RuntimeOrigin::signed(vectors.sender.clone()),
			vectors.receiver.clone(),
			100 * UNIT,
		)
		.expect("the sender opens the channel");
	}
}

#[test]
fn the_golden_cooperative_close_settles_a_channel() {
	for scheme in ["sr25519", "ecdsa"] {
		dev_ext().execute_with(|| {
			let vectors = golden::of(scheme);
			golden::chain_with_the_channel(&vectors);
			let receiver_before = free_balance(&vectors.receiver);
			Channels::cooperative_close(
				RuntimeOrigin::signed(vectors.receiver.clone()),
				vectors.proof.channel,
				vectors.proof.clone(),
				vectors.co_signature.clone(),
			)
			.unwrap_or_else(|e| panic!("{scheme}: the runtime accepts the golden vectors: {e:?}"));
			assert_eq!(
				free_balance(&vectors.receiver),
				receiver_before + vectors.proof.transferred
			);
			check_invariants();
		});
	}
}

#[test]
fn the_golden_proof_and_reward_authorization_make_a_monitor_update() {
	for scheme in ["sr25519", "ecdsa"] {
		dev_ext().execute_with(|| {
			let vectors = golden::of(scheme);
			golden::chain_with_the_channel(&vectors);
			let channel = vectors.proof.channel;
			Monitoring::fund_monitoring(
				RuntimeOrigin::signed(vectors.receiver.clone()),
				channel,
				UNIT,
			)
			.expect("the receiver funds the escrow");
			let deposit = pallet_warden_monitoring::Params::<Runtime>::get().min_monitor_deposit;
			let monitor = account(Charlie);
			Monitoring::register_monitor(
				RuntimeOrigin::signed(monitor.clone()),
				deposit,
				endpoint(),
			)
			.expect("Charlie registers");
			Channels::close(RuntimeOrigin::signed(vectors.sender.clone()), channel, None)
				.expect("the sender closes");
			let slot = Monitoring::first_allowed_block(channel, &monitor).expect("closing");
			run_to_block(slot);
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor),
				vectors.proof.clone(),
				vectors.authorization.clone(),
				account(Dave),
			)
			.unwrap_or_else(|e| panic!("{scheme}: the runtime accepts the golden vectors: {e:?}"));
			check_invariants();
		});
	}
}

#[test]
fn the_golden_named_authorization_is_for_its_monitor_only() {
	for scheme in ["sr25519", "ecdsa"] {
		dev_ext().execute_with(|| {
			let vectors = golden::of(scheme);
			golden::chain_with_the_channel(&vectors);
			assert_eq!(vectors.named_monitor, account(Ferdie), "the vectors name //Ferdie");
			let channel = vectors.proof.channel;
			Monitoring::fund_monitoring(
				RuntimeOrigin::signed(vectors.receiver.clone()),
				channel,
				UNIT,
			)
			.expect("the receiver funds the escrow");
			let deposit = pallet_warden_monitoring::Params::<Runtime>::get().min_monitor_deposit;
			for monitor in [Charlie, Ferdie] {
				Monitoring::register_monitor(
					RuntimeOrigin::signed(account(monitor)),
					deposit,
					endpoint(),
				)
				.expect("the monitor registers");
			}
			Channels::close(RuntimeOrigin::signed(vectors.sender.clone()), channel, None)
				.expect("the sender closes");
			let update = |monitor: Sr25519Keyring| {
				Monitoring::monitor_update(
					RuntimeOrigin::signed(account(monitor)),
					vectors.proof.clone(),
					vectors.named_authorization.clone(),
					account(Dave),
				)
			};
			assert_eq!(
				update(Charlie),
				Err(pallet_warden_monitoring::Error::<Runtime>::NotNamedMonitor.into())
			);
			update(Ferdie)
				.unwrap_or_else(|e| panic!("{scheme}: the named monitor's update: {e:?}"));
			check_invariants();
		});
	}
}

#[test]
fn a_monitor_replaying_the_proof_the_sender_closed_with_earns_nothing() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let charlie = account(Charlie);
		// Bob, honest, closes with his newest proof: Alice gets all she is owed.
		let newest = |channel| proof(channel, 4, 700 * UNIT);
		let channel = closed_channel_with_a_monitor(|channel| Some(newest(channel)));
		run_to_block(Monitoring::first_allowed_block(channel, &charlie).expect("closing"));
		// Charlie (or Bob himself, registered as a monitor) submits that same proof with
		// Alice's authorization: it raises nothing, so it is refused and earns nothing.
		let replayed = newest(channel);
		let replay = MonitoringCall::<Runtime>::monitor_update {
			authorization: authorization(&replayed, 100 * UNIT),
			proof: replayed,
			payout: charlie.clone(),
		};
		assert_eq!(
			submit_err(Charlie, replay),
			pallet_warden_monitoring::Error::<Runtime>::NoImprovement.into()
		);
		// An older proof for less would even lower Alice's payout: refused too, on her
		// own update as well.
		let older = proof(channel, 3, 500 * UNIT);
		assert_eq!(
			submit_err(
				Charlie,
				MonitoringCall::<Runtime>::monitor_update {
					proof: older.clone(),
					authorization: authorization(&older, 100 * UNIT),
					payout: charlie.clone(),
				}
			),
			pallet_warden_monitoring::Error::<Runtime>::NoImprovement.into()
		);
		assert_eq!(
			submit_err(Alice, ChannelsCall::<Runtime>::update { channel, proof: older }),
			pallet_warden_channels::Error::<Runtime>::TransferredWouldDecrease.into()
		);
		// The escrow comes back whole after settlement.
		let challenge = pallet_warden_channels::Params::<Runtime>::get().challenge_period;
		run_to_block(1 + challenge);
		let alice_before = free_balance(&account(Alice));
		submit_ok(Eve, MonitoringCall::<Runtime>::claim_reward { channel });
		assert_eq!(free_balance(&account(Alice)), alice_before + 300 * UNIT);
		check_invariants();
	});
}

#[test]
fn a_named_monitor_cannot_be_front_run() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (charlie, eve) = (account(Charlie), account(Eve));
		let channel = closed_channel_with_a_monitor(|channel| Some(proof(channel, 2, 300 * UNIT)));
		let deposit = pallet_warden_monitoring::Params::<Runtime>::get().min_monitor_deposit;
		submit_ok(
			Eve,
			MonitoringCall::<Runtime>::register_monitor { deposit, endpoint: endpoint() },
		);
		// Alice hands Charlie her newest proof, with an authorization naming him.
		let newest = proof(channel, 4, 700 * UNIT);
		let for_charlie = named_authorization(&newest, 100 * UNIT, Some(charlie.clone()));
		// Eve sees Charlie's pending update and copies it with a higher tip, in her slot.
		let eve_slot = Monitoring::first_allowed_block(channel, &eve).expect("closing");
		run_to_block(eve_slot);
		assert_eq!(
			submit_err(
				Eve,
				MonitoringCall::<Runtime>::monitor_update {
					proof: newest.clone(),
					authorization: for_charlie.clone(),
					payout: eve.clone(),
				}
			),
			pallet_warden_monitoring::Error::<Runtime>::NotNamedMonitor.into()
		);
		submit_ok(
			Charlie,
			MonitoringCall::<Runtime>::monitor_update {
				proof: newest,
				authorization: for_charlie,
				payout: account(Dave),
			},
		);
		let standing = pallet_warden_monitoring::Escrows::<Runtime>::get(channel)
			.and_then(|escrow| escrow.standing)
			.map(|standing| standing.monitor);
		assert_eq!(standing, Some(charlie));
		check_invariants();
	});
}

#[test]
fn every_signature_scheme_is_accepted_and_charged_for_its_own_check() {
	use frame_support::dispatch::GetDispatchInfo;
	use pallet_warden_channels::WeightInfo as _;
	use pallet_warden_monitoring::WeightInfo as _;
	use sp_core::{ecdsa, ed25519, Pair};
	use sp_runtime::traits::IdentifyAccount;
	type ChannelWeights = <Runtime as pallet_warden_channels::Config>::WeightInfo;
	type MonitoringWeights = <Runtime as pallet_warden_monitoring::Config>::WeightInfo;

	dev_ext().execute_with(|| {
		initialize_block(1);
		// A sender and a receiver with ed25519 and ecdsa keys: their proofs settle a channel.
		let sender = ed25519::Pair::from_string("//Sender", None).unwrap();
		let receiver = ecdsa::Pair::from_string("//Receiver", None).unwrap();
		let sender_account = sp_runtime::MultiSigner::from(sender.public()).into_account();
		let receiver_account = sp_runtime::MultiSigner::from(receiver.public()).into_account();
		Balances::mint_into(&sender_account, 1_000 * UNIT).unwrap();
		let channel = pallet_warden_channels::NextChannelId::<Runtime>::get();
		Channels::open(RuntimeOrigin::signed(sender_account), receiver_account.clone(), 100 * UNIT)
			.expect("the sender opens");
		let payload = BalanceProofPayload::new(System::block_hash(0), channel, 1, 40 * UNIT);
		let signed_proof =
			payload.clone().into_proof(MultiSignature::from(sender.sign(&payload.signing_bytes())));
		let co_payload =
			BalanceProofPayload::cooperative_close(System::block_hash(0), channel, 1, 40 * UNIT);
		let co_signature = MultiSignature::from(receiver.sign(&co_payload.signing_bytes()));
		Channels::cooperative_close(
			RuntimeOrigin::signed(receiver_account.clone()),
			channel,
			signed_proof.clone(),
			co_signature.clone(),
		)
		.expect("ed25519 and ecdsa signatures verify");
		assert_eq!(free_balance(&receiver_account), 40 * UNIT);

		// Each call is charged for the schemes of the signatures it carries: the benchmark of
		// the slowest among them, whatever the others cost. The proof is ed25519, the
		// co-signature ecdsa, Alice's authorization sr25519.
		let close = ChannelsCall::<Runtime>::close { channel, proof: Some(signed_proof.clone()) };
		assert_eq!(close.get_dispatch_info().call_weight, ChannelWeights::close_ed25519());
		let close_without_proof = ChannelsCall::<Runtime>::close { channel, proof: None };
		assert_eq!(
			close_without_proof.get_dispatch_info().call_weight,
			ChannelWeights::close_sr25519()
				.min(ChannelWeights::close_ed25519())
				.min(ChannelWeights::close_ecdsa())
		);
		let update = ChannelsCall::<Runtime>::update { channel, proof: signed_proof.clone() };
		assert_eq!(update.get_dispatch_info().call_weight, ChannelWeights::update_ed25519());
		let co_close = ChannelsCall::<Runtime>::cooperative_close {
			channel,
			proof: signed_proof.clone(),
			receiver_signature: co_signature,
		};
		let settled = <<Runtime as pallet_warden_channels::Config>::OnSettled as
			warden_primitives::OnChannelSettled<Balance>>::on_channel_settled_weight();
		assert_eq!(
			co_close.get_dispatch_info().call_weight,
			ChannelWeights::cooperative_close_ed25519()
				.max(ChannelWeights::cooperative_close_ecdsa())
				.saturating_add(settled)
		);
		let monitor_update = MonitoringCall::<Runtime>::monitor_update {
			proof: signed_proof.clone(),
			authorization: authorization(&signed_proof, UNIT),
			payout: account(Dave),
		};
		assert_eq!(
			monitor_update.get_dispatch_info().call_weight,
			MonitoringWeights::monitor_update_ed25519()
				.max(MonitoringWeights::monitor_update_sr25519())
		);
		// An sr25519 proof alone is charged sr25519's check.
		let sr25519_proof = payload.clone().into_proof(MultiSignature::from(
			sp_core::sr25519::Pair::from_string("//Sender", None)
				.unwrap()
				.sign(&payload.signing_bytes()),
		));
		let update = ChannelsCall::<Runtime>::update { channel, proof: sr25519_proof };
		assert_eq!(update.get_dispatch_info().call_weight, ChannelWeights::update_sr25519());
		check_invariants();
	});
}
