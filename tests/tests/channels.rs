//! Channels and monitoring on the real runtime, the usual scenario with dev keys:
//!
//! 1. Bob opens a channel to Alice and pays her off-chain with balance proofs; Alice funds
//!    the channel's monitoring escrow, hands her newest proof and a reward authorization
//!    to a monitor (Charlie), and goes offline.
//! 2. Bob closes the channel with an older proof in his favour.
//! 3. In its slot of the challenge window, Charlie submits Alice's newest proof.
//! 4. The channel settles as Alice expects.
//! 5. Charlie's reward is paid on-chain to the payout address he named (Dave).
//!
//! Every balance is checked at the end, fees included.

use codec::Encode;
use frame_support::traits::fungible::InspectHold;
use pallet_warden_channels::{BalanceProofOf, Call as ChannelsCall};
use pallet_warden_monitoring::{Call as MonitoringCall, RewardAuthorizationOf};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use sp_runtime::{traits::Hash as _, MultiSignature};
use warden_primitives::{
	BalanceProof, BalanceProofPayload, RewardAuthorization, RewardAuthorizationPayload,
	BALANCE_PROOF_TAG, REWARD_AUTHORIZATION_TAG,
};
use warden_runtime::{Balances, Runtime, System, UNIT};
use warden_tests::runtime::*;

fn sign(key: Sr25519Keyring, payload: &impl Encode) -> MultiSignature {
	key.sign(&payload.encode()).into()
}

/// A balance proof signed by the channel's sender, Bob.
fn proof(channel: u64, nonce: u64, transferred: Balance) -> BalanceProofOf<Runtime> {
	let payload = BalanceProofPayload {
		tag: BALANCE_PROOF_TAG,
		genesis_hash: System::block_hash(0),
		channel,
		nonce,
		transferred,
	};
	BalanceProof { channel, nonce, transferred, signature: sign(Bob, &payload) }
}

/// Alice's authorization of `reward` for submitting exactly `proof`.
fn authorization(
	proof: &BalanceProofOf<Runtime>,
	reward: Balance,
) -> RewardAuthorizationOf<Runtime> {
	let proof_signature_hash =
		<Runtime as frame_system::Config>::Hashing::hash_of(&proof.signature);
	let payload = RewardAuthorizationPayload {
		tag: REWARD_AUTHORIZATION_TAG,
		genesis_hash: System::block_hash(0),
		channel: proof.channel,
		nonce: proof.nonce,
		reward,
		proof_signature_hash,
	};
	RewardAuthorization {
		channel: proof.channel,
		nonce: proof.nonce,
		reward,
		proof_signature_hash,
		signature: sign(Alice, &payload),
	}
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
			MonitoringCall::<Runtime>::register_monitor { deposit: monitor_deposit },
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
