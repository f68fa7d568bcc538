//! Closing: cooperative close, close, the challenge window and updates.

use frame_support::{assert_noop, assert_ok};
use sp_core::H256;

use crate::{
	mock::*, ChannelPhase, Channels as ChannelsStorage, Closer, Error, Event, SettlementSchedule,
};

#[docify::export]
#[test]
fn receiver_overrules_a_stale_close() {
	ExtBuilder::default().build_and_execute(|| {
		// Alice opens a channel to Bob and pays him off-chain: 30, then 70 in total.
		let channel = open_alice_bob(100);
		let stale = proof(channel, 1, 30);
		let newest = proof(channel, 2, 70);

		// Alice closes with the stale proof: the challenge window opens.
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), channel, Some(stale)));
		let settle_from = 1 + CHALLENGE_PERIOD;

		// Within the window Bob submits the newest proof.
		run_to_block(settle_from - 1);
		assert_ok!(Channels::update(RuntimeOrigin::signed(bob()), channel, newest));

		// When the window ends the channel settles by itself: Bob gets 70, Alice 30 back.
		run_to_block(settle_from);
		assert_eq!(free(&bob()), INITIAL_BALANCE + 70);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 70);
		assert_eq!(held(&alice()), 0);
		assert!(ChannelsStorage::<Test>::get(channel).is_none());
	});
}

#[test]
fn sender_closes_without_a_proof() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		events();

		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));

		let settle_from = 1 + CHALLENGE_PERIOD;
		let channel = ChannelsStorage::<Test>::get(id).unwrap();
		assert_eq!(channel.phase, ChannelPhase::Closing { closed_at: 1, settle_from });
		assert_eq!((channel.nonce, channel.transferred), (0, 0));
		assert_eq!(
			SettlementSchedule::<Test>::entries_at(settle_from).collect::<Vec<_>>(),
			vec![(0, id)]
		);
		assert_eq!(
			events(),
			vec![Event::ChannelCloseStarted {
				channel: id,
				closer: Closer::Sender,
				nonce: 0,
				transferred: 0,
				settle_from,
			}]
		);
	});
}

#[test]
fn senders_proof_sets_the_amount_but_not_the_nonce() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		events();

		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, Some(proof(id, 5, 40))));

		let channel = ChannelsStorage::<Test>::get(id).unwrap();
		assert_eq!((channel.nonce, channel.transferred), (0, 40));
		assert_eq!(
			events(),
			vec![Event::ChannelCloseStarted {
				channel: id,
				closer: Closer::Sender,
				nonce: 0,
				transferred: 40,
				settle_from: 1 + CHALLENGE_PERIOD,
			}]
		);
	});
}

#[test]
fn a_forged_high_nonce_from_the_sender_cannot_block_the_receiver() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(
			RuntimeOrigin::signed(alice()),
			id,
			Some(proof(id, u64::MAX, 0))
		));

		assert_ok!(Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 3, 60)));

		let channel = ChannelsStorage::<Test>::get(id).unwrap();
		assert_eq!((channel.nonce, channel.transferred), (3, 60));
	});
}

#[test]
fn receiver_closes_with_a_proof() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		events();

		assert_ok!(Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(id, 4, 25))));

		let channel = ChannelsStorage::<Test>::get(id).unwrap();
		assert_eq!((channel.nonce, channel.transferred), (4, 25));
		assert_eq!(
			events(),
			vec![Event::ChannelCloseStarted {
				channel: id,
				closer: Closer::Receiver,
				nonce: 4,
				transferred: 25,
				settle_from: 1 + CHALLENGE_PERIOD,
			}]
		);
	});
}

#[test]
fn close_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		let other = open_alice_bob(100);
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(alice()), 99, None),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(charlie()), id, None),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(bob()), id, None),
			Error::<Test>::ProofRequired
		);
		// Replay of another channel's proof.
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(other, 1, 10))),
			Error::<Test>::WrongChannel
		);
		let mut replayed = proof(other, 1, 10);
		replayed.channel = id;
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(bob()), id, Some(replayed)),
			Error::<Test>::BadSignature
		);
		// Signed by someone else, or for another chain.
		assert_noop!(
			Channels::close(
				RuntimeOrigin::signed(bob()),
				id,
				Some(proof_with(&pair("Bob"), GENESIS_HASH, id, 1, 10))
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Channels::close(
				RuntimeOrigin::signed(bob()),
				id,
				Some(proof_with(&pair("Alice"), H256::repeat_byte(1), id, 1, 10))
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(id, 0, 10))),
			Error::<Test>::StaleNonce
		);
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(alice()), id, Some(proof(id, 1, 101))),
			Error::<Test>::AmountOverDeposit
		);

		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(id, 1, 10))),
			Error::<Test>::NotOpen
		);
	});
}

#[test]
fn a_close_is_never_refused_because_many_windows_end_in_the_same_block() {
	ExtBuilder::default().max_settlements_per_block(2).build_and_execute(|| {
		let ids: Vec<_> = (0..3).map(|_| open_alice_bob(100)).collect();
		for id in &ids {
			assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), *id, None));
		}
		assert_eq!(SettlementSchedule::<Test>::queued_at(1 + CHALLENGE_PERIOD), 3);
	});
}

#[test]
fn close_refuses_a_window_beyond_the_last_block() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		System::set_block_number(u64::MAX - 1);
		assert_noop!(
			Channels::close(RuntimeOrigin::signed(alice()), id, None),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn receiver_updates_many_times_with_rising_nonces() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		events();

		for (nonce, amount) in [(1, 10), (2, 20), (7, 65)] {
			assert_ok!(Channels::update(
				RuntimeOrigin::signed(bob()),
				id,
				proof(id, nonce, amount)
			));
		}

		let channel = ChannelsStorage::<Test>::get(id).unwrap();
		assert_eq!((channel.nonce, channel.transferred), (7, 65));
		assert_eq!(
			events(),
			vec![
				Event::ChannelUpdated { channel: id, nonce: 1, transferred: 10 },
				Event::ChannelUpdated { channel: id, nonce: 2, transferred: 20 },
				Event::ChannelUpdated { channel: id, nonce: 7, transferred: 65 },
			]
		);
	});
}

#[test]
fn update_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		let other = open_alice_bob(100);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 1, 10)),
			Error::<Test>::NotClosing
		);
		assert_ok!(Channels::close(RuntimeOrigin::signed(bob()), id, Some(proof(id, 3, 30))));

		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), 99, proof(99, 4, 10)),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(alice()), id, proof(id, 4, 35)),
			Error::<Test>::NotReceiver
		);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(charlie()), id, proof(id, 4, 35)),
			Error::<Test>::NotReceiver
		);
		// Replay of another channel's proof, as it is or re-addressed.
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(other, 4, 35)),
			Error::<Test>::WrongChannel
		);
		let mut replayed = proof(other, 4, 35);
		replayed.channel = id;
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, replayed),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Channels::update(
				RuntimeOrigin::signed(bob()),
				id,
				proof_with(&pair("Charlie"), GENESIS_HASH, id, 4, 35)
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Channels::update(
				RuntimeOrigin::signed(bob()),
				id,
				proof_with(&pair("Alice"), H256::zero(), id, 4, 35)
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 3, 50)),
			Error::<Test>::StaleNonce
		);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 2, 50)),
			Error::<Test>::StaleNonce
		);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 4, 101)),
			Error::<Test>::AmountOverDeposit
		);
		// A newer proof for less than the close gave the receiver is older news.
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 4, 29)),
			Error::<Test>::TransferredWouldDecrease
		);

		// The last block of the window still takes updates; the next is too late.
		let settle_from = 1 + CHALLENGE_PERIOD;
		System::set_block_number(settle_from - 1);
		assert_ok!(Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 4, 40)));
		System::set_block_number(settle_from);
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 5, 50)),
			Error::<Test>::ChallengePeriodOver
		);
	});
}

#[test]
fn cooperative_close_settles_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		events();

		assert_ok!(Channels::cooperative_close(
			RuntimeOrigin::signed(alice()),
			id,
			proof(id, 9, 45),
			co_signature(&pair("Bob"), id, 9, 45),
		));

		assert_eq!(free(&bob()), INITIAL_BALANCE + 45);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 45);
		assert_eq!(held(&alice()), 0);
		assert!(ChannelsStorage::<Test>::get(id).is_none());
		assert_eq!(SettledChannels::get(), vec![(id, 9)]);
		assert_eq!(
			events(),
			vec![Event::ChannelSettled { channel: id, nonce: 9, to_receiver: 45, to_sender: 55 }]
		);
	});
}

#[test]
fn cooperative_close_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		let other = open_alice_bob(100);
		let bob_signs = |channel, nonce, amount| co_signature(&pair("Bob"), channel, nonce, amount);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				99,
				proof(99, 1, 10),
				bob_signs(99, 1, 10)
			),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(charlie()),
				id,
				proof(id, 1, 10),
				bob_signs(id, 1, 10)
			),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof(other, 1, 10),
				bob_signs(other, 1, 10)
			),
			Error::<Test>::WrongChannel
		);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof(id, 1, 101),
				bob_signs(id, 1, 101)
			),
			Error::<Test>::AmountOverDeposit
		);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof_with(&pair("Bob"), GENESIS_HASH, id, 1, 10),
				bob_signs(id, 1, 10)
			),
			Error::<Test>::BadSignature
		);
		// The receiver's signature: by someone else, for other terms, or a plain proof
		// signature (wrong domain tag).
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof(id, 1, 10),
				co_signature(&pair("Charlie"), id, 1, 10)
			),
			Error::<Test>::BadReceiverSignature
		);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof(id, 1, 10),
				bob_signs(id, 1, 5)
			),
			Error::<Test>::BadReceiverSignature
		);
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof(id, 1, 10),
				proof_with(&pair("Bob"), GENESIS_HASH, id, 1, 10).signature
			),
			Error::<Test>::BadReceiverSignature
		);

		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		assert_noop!(
			Channels::cooperative_close(
				RuntimeOrigin::signed(alice()),
				id,
				proof(id, 1, 10),
				bob_signs(id, 1, 10)
			),
			Error::<Test>::NotOpen
		);
	});
}

#[test]
fn monitors_update_through_the_channel_update_trait() {
	use crate::ChannelUpdate;
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		assert_eq!(Channels::receiver(id), Some(bob()));
		assert_eq!(Channels::phase(id), Some(ChannelPhase::Open));
		assert_eq!(Channels::current_nonce(id), Some(0));
		assert_eq!(Channels::transferred(id), Some(0));
		assert_eq!(
			(Channels::receiver(99), Channels::phase(99), Channels::current_nonce(99)),
			(None, None, None)
		);
		assert_eq!(Channels::transferred(99), None);
		assert_noop!(
			Channels::update_for_receiver(id, proof(id, 1, 10)),
			Error::<Test>::NotClosing
		);

		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		events();
		// The same checks as the receiver's own update, without the origin.
		assert_noop!(
			Channels::update_for_receiver(99, proof(99, 1, 10)),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			Channels::update_for_receiver(id, proof_with(&pair("Bob"), GENESIS_HASH, id, 1, 10)),
			Error::<Test>::BadSignature
		);
		assert_ok!(Channels::update_for_receiver(id, proof(id, 2, 30)));
		assert_eq!(Channels::current_nonce(id), Some(2));
		assert_eq!(Channels::transferred(id), Some(30));
		// Never lowers what the receiver gets.
		assert_noop!(
			Channels::update_for_receiver(id, proof(id, 3, 29)),
			Error::<Test>::TransferredWouldDecrease
		);
		assert_eq!(
			Channels::phase(id),
			Some(ChannelPhase::Closing { closed_at: 1, settle_from: 1 + CHALLENGE_PERIOD })
		);
		assert_eq!(
			events(),
			vec![Event::ChannelUpdated { channel: id, nonce: 2, transferred: 30 }]
		);
	});
}

#[test]
fn an_update_never_lowers_what_the_senders_close_admitted() {
	ExtBuilder::default().build_and_execute(|| {
		let id = open_alice_bob(100);
		// The sender closes admitting 60 with its newest proof (nonce 9 stays off chain).
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, Some(proof(id, 9, 60))));
		// An older proof for less, with any nonce above 0, would lower the payout.
		assert_noop!(
			Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 3, 40)),
			Error::<Test>::TransferredWouldDecrease
		);
		// The same amount at a newer nonce is accepted: it lowers nothing.
		assert_ok!(Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 9, 60)));
		assert_ok!(Channels::update(RuntimeOrigin::signed(bob()), id, proof(id, 10, 70)));
		assert_eq!(ChannelsStorage::<Test>::get(id).map(|c| c.transferred), Some(70));
	});
}
