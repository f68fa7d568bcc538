//! Opening channels and topping up their deposits.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::TokenError;

use crate::{mock::*, ChannelPhase, Channels as ChannelsStorage, Error, Event, NextChannelId};

#[test]
fn open_holds_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Channels::open(RuntimeOrigin::signed(alice()), bob(), 100));

		assert_eq!(held(&alice()), 100);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 100);
		let channel = ChannelsStorage::<Test>::get(0).unwrap();
		assert_eq!(channel.sender, alice());
		assert_eq!(channel.receiver, bob());
		assert_eq!(channel.deposit, 100);
		assert_eq!(channel.nonce, 0);
		assert_eq!(channel.transferred, 0);
		assert_eq!(channel.phase, ChannelPhase::Open);
		assert_eq!(NextChannelId::<Test>::get(), 1);
		assert_eq!(
			events(),
			vec![Event::ChannelOpened {
				channel: 0,
				sender: alice(),
				receiver: bob(),
				deposit: 100
			}]
		);
	});
}

#[test]
fn channel_ids_are_never_reused() {
	ExtBuilder::default().build_and_execute(|| {
		let first = open_alice_bob(100);
		assert_ok!(Channels::cooperative_close(
			RuntimeOrigin::signed(bob()),
			first,
			proof(first, 1, 10),
			co_signature(&pair("Bob"), first, 1, 10),
		));
		assert!(ChannelsStorage::<Test>::get(first).is_none());

		let second = open_alice_bob(100);
		assert_eq!((first, second), (0, 1));
	});
}

#[test]
fn open_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Channels::open(RuntimeOrigin::signed(alice()), alice(), 100),
			Error::<Test>::ReceiverIsSender
		);
		assert_noop!(
			Channels::open(RuntimeOrigin::signed(alice()), bob(), MIN_DEPOSIT - 1),
			Error::<Test>::DepositTooLow
		);
		assert_noop!(
			Channels::open(RuntimeOrigin::signed(alice()), bob(), INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
		NextChannelId::<Test>::put(u64::MAX);
		assert_noop!(
			Channels::open(RuntimeOrigin::signed(alice()), bob(), 100),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn top_up_adds_to_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		events();

		assert_ok!(Channels::top_up(RuntimeOrigin::signed(alice()), id, 50));

		assert_eq!(held(&alice()), 150);
		assert_eq!(ChannelsStorage::<Test>::get(id).unwrap().deposit, 150);
		assert_eq!(
			events(),
			vec![Event::ChannelToppedUp { channel: id, amount: 50, deposit: 150 }]
		);
	});
}

#[test]
fn top_up_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_noop!(
			Channels::top_up(RuntimeOrigin::signed(alice()), id + 1, 50),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Channels::top_up(RuntimeOrigin::signed(bob()), id, 50),
			Error::<Test>::NotSender
		);
		assert_noop!(
			Channels::top_up(RuntimeOrigin::signed(alice()), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Channels::top_up(RuntimeOrigin::signed(alice()), id, INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		assert_noop!(
			Channels::top_up(RuntimeOrigin::signed(alice()), id, 50),
			Error::<Test>::NotOpen
		);
	});
}

#[test]
fn top_up_refuses_an_overflowing_deposit() {
	// The deposit is forged to the edge, so the holds no longer match: no invariant check.
	ExtBuilder::default().build().execute_with(|| {
		let id = open_alice_bob(100);
		ChannelsStorage::<Test>::mutate(id, |channel| {
			channel.as_mut().unwrap().deposit = u128::MAX
		});
		assert_noop!(
			Channels::top_up(RuntimeOrigin::signed(alice()), id, 1),
			Error::<Test>::Overflow
		);
	});
}
