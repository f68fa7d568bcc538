//! After settlement: claiming the reward and the rest of the escrow.

use frame_support::{assert_noop, assert_ok};

use super::*;
use crate::{Error, Escrows, Event, OnChannelSettled};

/// A channel whose monitor update by Monitor1 (nonce 4, reward `reward`) stands.
fn channel_with_monitor_update(escrow: Balance, reward: Balance) -> u64 {
	let channel = closing_channel(escrow);
	run_to_slot(channel, &monitor1());
	let newest = proof(channel, 4, 700);
	assert_ok!(Monitoring::monitor_update(
		RuntimeOrigin::signed(monitor1()),
		newest.clone(),
		authorization(&newest, reward),
		payout()
	));
	channel
}

#[test]
fn settlement_makes_the_escrow_claimable() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = channel_with_monitor_update(300, 100);
		events();
		ModelChannels::settle(channel);
		assert_eq!(Escrows::<Test>::get(channel).unwrap().settled_nonce, Some(4));
		assert_eq!(
			events(),
			vec![Event::EscrowClaimable { channel, final_nonce: 4, rewarded: Some(monitor1()) }]
		);
	});
}

#[test]
fn settlement_of_a_channel_without_escrow_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = open_bob_alice();
		Monitoring::on_channel_settled(channel, 3, 500);
		assert!(Escrows::<Test>::get(channel).is_none());
		assert_eq!(events(), vec![]);
	});
}

#[test]
fn the_standing_monitor_is_paid_and_the_rest_returns() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = channel_with_monitor_update(300, 100);
		ModelChannels::settle(channel);
		events();

		// Anyone may claim; the money goes where it is owed.
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(bob()), channel));

		assert_eq!(free(&payout()), 100);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 100);
		assert_eq!(held_escrow(&alice()), 0);
		assert!(Escrows::<Test>::get(channel).is_none());
		assert_eq!(
			events(),
			vec![
				Event::RewardClaimed {
					channel,
					monitor: monitor1(),
					payout: payout(),
					amount: 100
				},
				Event::EscrowReturned { channel, funder: alice(), amount: 200 },
			]
		);
	});
}

#[test]
fn a_reward_is_paid_exactly_once() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = channel_with_monitor_update(300, 300);
		ModelChannels::settle(channel);
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), channel));
		assert_eq!(free(&payout()), 300);

		assert_noop!(
			Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), channel),
			Error::<Test>::NoEscrow
		);
	});
}

#[test]
fn claim_refuses_before_settlement() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), 99),
			Error::<Test>::NoEscrow
		);
		let channel = channel_with_monitor_update(300, 100);
		assert_noop!(
			Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), channel),
			Error::<Test>::NotSettled
		);
	});
}

#[test]
fn without_a_monitor_update_everything_returns() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		ModelChannels::settle(channel);
		events();

		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(bob()), channel));

		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(events(), vec![Event::EscrowReturned { channel, funder: alice(), amount: 300 }]);
	});
}

#[test]
fn a_monitor_update_superseded_by_the_receiver_earns_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = channel_with_monitor_update(300, 100);
		// The receiver's own update is never slot-restricted and supersedes the monitor's.
		assert_ok!(ModelChannels::update_for_receiver(channel, proof(channel, 5, 800)));
		ModelChannels::settle(channel);
		assert_eq!(
			events().last(),
			Some(&Event::EscrowClaimable { channel, final_nonce: 5, rewarded: None })
		);

		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), channel));

		assert_eq!(free(&payout()), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(events(), vec![Event::EscrowReturned { channel, funder: alice(), amount: 300 }]);
	});
}

#[test]
fn a_receivers_newer_proof_for_the_same_amount_leaves_the_monitor_its_reward() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = channel_with_monitor_update(300, 100);
		// The monitor brought the channel to 700 first; the receiver's newer proof for the
		// same 700 adds nothing, so the reward stays the monitor's.
		assert_ok!(ModelChannels::update_for_receiver(channel, proof(channel, 5, 700)));
		ModelChannels::settle(channel);
		assert_eq!(
			events().last(),
			Some(&Event::EscrowClaimable { channel, final_nonce: 5, rewarded: Some(monitor1()) })
		);
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(bob()), channel));
		assert_eq!(free(&payout()), 100);
		assert_eq!(held_escrow(&alice()), 0);
	});
}

#[test]
fn a_zero_reward_pays_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = channel_with_monitor_update(300, 0);
		ModelChannels::settle(channel);
		events();
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), channel));
		assert_eq!(
			events(),
			vec![
				Event::RewardClaimed { channel, monitor: monitor1(), payout: payout(), amount: 0 },
				Event::EscrowReturned { channel, funder: alice(), amount: 300 },
			]
		);
	});
}
