//! The per-channel monitoring escrow.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::TokenError;

use super::*;
use crate::{Error, Escrow, Escrows, Event};

#[test]
fn the_receiver_funds_and_tops_up_the_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = open_bob_alice();

		assert_ok!(Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, 300));
		assert_ok!(Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, 200));

		assert_eq!(held_escrow(&alice()), 500);
		assert_eq!(Monitoring::escrow_balance(channel), 500);
		assert_eq!(
			Escrows::<Test>::get(channel),
			Some(Escrow { funder: alice(), amount: 500, standing: None, settled_nonce: None })
		);
		assert_eq!(
			events(),
			vec![
				Event::EscrowFunded { channel, funder: alice(), amount: 300, escrow: 300 },
				Event::EscrowFunded { channel, funder: alice(), amount: 200, escrow: 500 },
			]
		);
	});
}

#[test]
fn fund_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = open_bob_alice();
		assert_noop!(
			Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), 99, 10),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Monitoring::fund_monitoring(RuntimeOrigin::signed(bob()), channel, 10),
			Error::<Test>::NotReceiver
		);
		assert_noop!(
			Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
		fund(channel, 10);
		assert_noop!(
			Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, u128::MAX),
			Error::<Test>::Overflow
		);
		// Once the channel settled, it can't be funded any more.
		ModelChannels::close(channel, 0);
		ModelChannels::settle(channel);
		assert_noop!(
			Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, 10),
			Error::<Test>::UnknownChannel
		);
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(bob()), channel));
	});
}

#[test]
fn the_funder_withdraws_while_no_reward_is_owed() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = open_bob_alice();
		fund(channel, 300);
		events();

		assert_ok!(Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 100));
		assert_eq!(held_escrow(&alice()), 200);
		assert_ok!(Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 200));

		assert_eq!(held_escrow(&alice()), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert!(Escrows::<Test>::get(channel).is_none());
		assert_eq!(
			events(),
			vec![
				Event::EscrowWithdrawn { channel, funder: alice(), amount: 100, escrow: 200 },
				Event::EscrowWithdrawn { channel, funder: alice(), amount: 200, escrow: 0 },
			]
		);
	});
}

#[test]
fn withdraw_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		assert_noop!(
			Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), 99, 10),
			Error::<Test>::NoEscrow
		);
		assert_noop!(
			Monitoring::withdraw_escrow(RuntimeOrigin::signed(bob()), channel, 10),
			Error::<Test>::NotFunder
		);
		assert_noop!(
			Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 301),
			Error::<Test>::AmountOverEscrow
		);
	});
}

#[test]
fn no_withdrawal_while_a_reward_is_owed() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		let newest = proof(channel, 4, 700);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor1()),
			newest.clone(),
			authorization(&newest, 100),
			payout()
		));

		// Not even the part above the reward, and not after the channel settled with it.
		assert_noop!(
			Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 1),
			Error::<Test>::RewardOwed
		);
		ModelChannels::settle(channel);
		assert_noop!(
			Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 1),
			Error::<Test>::RewardOwed
		);
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(bob()), channel));
	});
}

#[test]
fn a_superseded_reward_is_no_longer_owed_after_settlement() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		let older = proof(channel, 4, 700);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor1()),
			older.clone(),
			authorization(&older, 100),
			payout()
		));
		// Alice comes back online and submits a newer proof herself.
		assert_ok!(ModelChannels::update_for_receiver(channel, proof(channel, 5, 800)));
		ModelChannels::settle(channel);

		// She may take the escrow below the superseded reward, in parts.
		assert_ok!(Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 250));
		assert_eq!(Monitoring::escrow_balance(channel), 50);
		assert_ok!(Monitoring::do_try_state());
		assert_ok!(Monitoring::withdraw_escrow(RuntimeOrigin::signed(alice()), channel, 50));
		assert_eq!(free(&alice()), INITIAL_BALANCE);
	});
}
