//! Settlement: by the hook when the window ends, by hand when overdue.

use frame_support::{assert_noop, assert_ok, traits::Hooks};

use crate::{mock::*, Channels as ChannelsStorage, Error, Event, SettlementSchedule};

#[test]
fn the_hook_settles_when_the_window_ends() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(id, 2, 35))));
		let settle_from = 1 + CHALLENGE_PERIOD;

		run_to_block(settle_from - 1);
		assert!(ChannelsStorage::<Test>::get(id).is_some());
		events();

		run_to_block(settle_from);
		assert!(ChannelsStorage::<Test>::get(id).is_none());
		assert_eq!(SettlementSchedule::<Test>::queued_at(settle_from), 0);
		assert_eq!(SettlementSchedule::<Test>::cursor(), (settle_from + 1, 0));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 35);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 35);
		assert_eq!(held(&alice()), 0);
		assert_eq!(SettledChannels::get(), vec![(id, 2)]);
		assert_eq!(
			events(),
			vec![Event::ChannelSettled { channel: id, nonce: 2, to_receiver: 35, to_sender: 65 }]
		);
	});
}

#[test]
fn the_hook_settles_a_bounded_number_per_block_and_rolls_the_rest_over() {
	ExtBuilder::default().max_settlements_per_block(2).build_and_execute(|| {
		let ids: Vec<_> = (0..4).map(|_| open_alice_bob(100)).collect();
		// Two windows end at block 11, two at block 12.
		for id in &ids[..2] {
			assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), *id, None));
		}
		run_to_block(2);
		for id in &ids[2..] {
			assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), *id, None));
		}

		// Block 11's hook doesn't run (as if the block were too full), so four channels
		// are due at block 12: two settle there, two roll over to block 13.
		run_to_block(10);
		System::set_block_number(12);
		Channels::on_initialize(12);
		let left: Vec<_> =
			ids.iter().copied().filter(|id| ChannelsStorage::<Test>::contains_key(id)).collect();
		assert_eq!(left, vec![ids[2], ids[3]]);
		assert_eq!(SettlementSchedule::<Test>::cursor(), (12, 0));

		run_to_block(13);
		assert!(ids.iter().all(|id| !ChannelsStorage::<Test>::contains_key(id)));
		run_to_block(14);
		assert_eq!(SettlementSchedule::<Test>::cursor(), (15, 0));
		assert_eq!(held(&alice()), 0);
	});
}

#[test]
fn the_hook_charges_what_it_does() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		let settle_from = 1 + CHALLENGE_PERIOD;
		run_to_block(settle_from - 2);

		System::set_block_number(settle_from - 1);
		let idle = Channels::on_initialize(settle_from - 1);
		System::set_block_number(settle_from);
		let busy = Channels::on_initialize(settle_from);

		assert!(!ChannelsStorage::<Test>::contains_key(id));
		// The same look at the block, and the settlement itself.
		assert_eq!(busy, idle + Channels::settlement_item_weight());
		assert!(busy.all_lte(Channels::settlement_budget().saturating_add(idle)));
	});
}

#[test]
fn anyone_settles_an_overdue_channel() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, Some(proof(id, 1, 20))));
		let settle_from = 1 + CHALLENGE_PERIOD;
		// The hook doesn't run on the block the window ends.
		run_to_block(settle_from - 1);
		System::set_block_number(settle_from);
		events();

		assert_ok!(Channels::settle(RuntimeOrigin::signed(charlie()), id));

		assert!(ChannelsStorage::<Test>::get(id).is_none());
		assert_eq!(free(&bob()), INITIAL_BALANCE + 20);
		assert_eq!(
			events(),
			vec![Event::ChannelSettled { channel: id, nonce: 0, to_receiver: 20, to_sender: 80 }]
		);
		// The hook later finds the queue entry stale and drops it.
		Channels::on_initialize(settle_from);
		assert_eq!(SettlementSchedule::<Test>::cursor(), (settle_from + 1, 0));
		assert_eq!(SettlementSchedule::<Test>::queued_at(settle_from), 0);
		assert!(events().is_empty());
	});
}

#[test]
fn settle_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_noop!(
			Channels::settle(RuntimeOrigin::signed(charlie()), 99),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Channels::settle(RuntimeOrigin::signed(charlie()), id),
			Error::<Test>::NotClosing
		);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		System::set_block_number(CHALLENGE_PERIOD);
		assert_noop!(
			Channels::settle(RuntimeOrigin::signed(charlie()), id),
			Error::<Test>::ChallengePeriodActive
		);
	});
}

#[test]
fn a_new_receiver_account_is_created_by_its_payment() {
	ExtBuilder::default().existential_deposit(5).build_and_execute(|| {
		let dave = account("Dave");
		assert_ok!(Channels::open(RuntimeOrigin::signed(alice()), dave.clone(), 100));
		assert_ok!(Channels::cooperative_close(
			RuntimeOrigin::signed(alice()),
			0,
			proof(0, 1, 5),
			co_signature(&pair("Dave"), 0, 1, 5),
		));
		assert_eq!(free(&dave), 5);
	});
}

#[test]
fn dust_a_missing_receiver_account_cannot_take_goes_back_to_the_sender() {
	ExtBuilder::default().existential_deposit(5).build_and_execute(|| {
		let dave = account("Dave");
		assert_ok!(Channels::open(RuntimeOrigin::signed(alice()), dave.clone(), 100));
		events();
		assert_ok!(Channels::cooperative_close(
			RuntimeOrigin::signed(alice()),
			0,
			proof(0, 1, 4),
			co_signature(&pair("Dave"), 0, 1, 4),
		));
		assert_eq!(free(&dave), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(
			events(),
			vec![Event::ChannelSettled { channel: 0, nonce: 1, to_receiver: 0, to_sender: 100 }]
		);
	});
}

#[test]
fn a_channel_with_nothing_transferred_returns_everything() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		run_to_block(1 + CHALLENGE_PERIOD);
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(free(&bob()), INITIAL_BALANCE);
		assert_eq!(SettledChannels::get(), vec![(id, 0)]);
	});
}

#[test]
fn a_fully_paid_channel_returns_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(id, 1, 100))));
		events();
		run_to_block(1 + CHALLENGE_PERIOD);
		assert_eq!(free(&bob()), INITIAL_BALANCE + 100);
		assert_eq!(
			events(),
			vec![Event::ChannelSettled { channel: id, nonce: 1, to_receiver: 100, to_sender: 0 }]
		);
	});
}

#[test]
fn more_channels_closing_in_one_block_than_any_old_bound_all_settle_in_order() {
	// The queue once refused a 65th close into a block of the runtime (64); here the hook
	// settles 4 per block.
	ExtBuilder::default().max_settlements_per_block(4).build_and_execute(|| {
		let ids: Vec<_> = (0..100).map(|_| open_alice_bob(10)).collect();
		// Closed in an order unlike the ids.
		let mut order = ids.clone();
		order.reverse();
		order.rotate_left(37);
		for id in &order {
			assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), *id, None));
		}
		let settle_from = 1 + CHALLENGE_PERIOD;
		assert_eq!(SettlementSchedule::<Test>::queued_at(settle_from), 100);
		events();

		let budget = Channels::settlement_budget();
		let mut settled = Vec::new();
		run_to_block(settle_from - 1);
		while settled.len() < 100 {
			let now = System::block_number() + 1;
			System::set_block_number(now);
			assert!(Channels::on_initialize(now).all_lte(budget));
			let this_block: Vec<_> = events()
				.into_iter()
				.filter_map(|e| match e {
					Event::ChannelSettled { channel, .. } => Some(channel),
					_ => None,
				})
				.collect();
			assert!(this_block.len() <= 4);
			settled.extend(this_block);
			assert!(now < settle_from + 30, "the queue drains");
		}
		assert_eq!(settled, order);
		assert_eq!(held(&alice()), 0);
	});
}
