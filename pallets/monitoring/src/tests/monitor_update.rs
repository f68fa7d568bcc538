//! Monitor updates: who may submit, when, with what authorization.

use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::DispatchError;

use super::*;
use crate::{Error, Escrows, Event, StandingUpdate};

/// Monitor1's update of `proof` for `reward`, paid to [`payout`].
fn submit(proof: &crate::BalanceProofOf<Test>, reward: Balance) -> sp_runtime::DispatchResult {
	Monitoring::monitor_update(
		RuntimeOrigin::signed(monitor1()),
		proof.clone(),
		authorization(proof, reward),
		payout(),
	)
}

#[test]
fn a_monitor_update_in_its_slot_is_accepted_and_recorded() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		events();
		let newest = proof(channel, 4, 700);

		assert_ok!(submit(&newest, 100));

		let state = ModelChannels::get(channel).unwrap();
		assert_eq!((state.nonce, state.transferred), (4, 700));
		assert_eq!(
			Escrows::<Test>::get(channel).unwrap().standing,
			Some(StandingUpdate {
				monitor: monitor1(),
				payout: payout(),
				reward: 100,
				nonce: 4,
				transferred: 700
			})
		);
		assert_eq!(
			events(),
			vec![Event::MonitorUpdateAccepted {
				channel,
				monitor: monitor1(),
				payout: payout(),
				nonce: 4,
				reward: 100,
				superseded: None,
			}]
		);
	});
}

#[test]
fn slots_fall_between_30_and_80_percent_of_the_window() {
	ExtBuilder::default().build_and_execute(|| {
		let names = ["Monitor1", "Monitor2", "Mallory", "Alice", "Bob", "Payout", "Dave", "Eve"];
		for period in [1u64, 2, 3, 10, 100, 14_400] {
			let mut offsets = vec![];
			for channel in 0..25 {
				for name in names {
					let offset = Monitoring::slot_offset(channel, &account(name), period);
					assert!(offset >= period * 30 / 100 && offset <= period * 80 / 100);
					assert!(offset < period);
					// Deterministic.
					assert_eq!(offset, Monitoring::slot_offset(channel, &account(name), period));
					offsets.push(offset);
				}
			}
			// Spread over the range rather than stacked on one block.
			if period >= 100 {
				offsets.sort();
				offsets.dedup();
				assert!(offsets.len() > 20);
			}
		}
	});
}

#[test]
fn first_allowed_block_is_only_known_while_closing() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = open_bob_alice();
		assert_eq!(Monitoring::first_allowed_block(channel, &monitor1()), None);
		assert_eq!(Monitoring::first_allowed_block(99, &monitor1()), None);
		run_to_block(7);
		ModelChannels::close(channel, 0);
		let slot = Monitoring::first_allowed_block(channel, &monitor1()).unwrap();
		let offset = Monitoring::slot_offset(channel, &monitor1(), CHALLENGE_PERIOD);
		assert_eq!(slot, 7 + offset);
	});
}

#[test]
fn a_monitor_before_its_slot_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		let slot = Monitoring::first_allowed_block(channel, &monitor1()).unwrap();
		let newest = proof(channel, 4, 700);
		run_to_block(slot - 1);
		assert_noop!(submit(&newest, 100), Error::<Test>::BeforeSlot);
		run_to_block(slot);
		assert_ok!(submit(&newest, 100));
	});
}

#[test]
fn after_its_slot_a_monitor_is_accepted_until_the_window_ends() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		let newest = proof(channel, 4, 700);
		// The last block of the window.
		run_to_block(1 + CHALLENGE_PERIOD - 1);
		assert_ok!(submit(&newest, 100));
	});
}

#[test]
fn a_monitor_after_the_window_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_block(1 + CHALLENGE_PERIOD);
		assert_noop!(submit(&proof(channel, 4, 700), 100), Error::<Test>::ChallengePeriodOver);
	});
}

#[test]
fn a_newer_monitor_update_supersedes_an_older_one() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		register(&monitor2());
		let late = Monitoring::first_allowed_block(channel, &monitor1())
			.unwrap()
			.max(Monitoring::first_allowed_block(channel, &monitor2()).unwrap());
		run_to_block(late);
		let older = proof(channel, 3, 600);
		assert_ok!(submit(&older, 100));
		events();

		let newest = proof(channel, 5, 800);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor2()),
			newest.clone(),
			authorization(&newest, 150),
			monitor2(),
		));

		assert_eq!(
			Escrows::<Test>::get(channel).unwrap().standing,
			Some(StandingUpdate {
				monitor: monitor2(),
				payout: monitor2(),
				reward: 150,
				nonce: 5,
				transferred: 800
			})
		);
		assert_eq!(
			events(),
			vec![Event::MonitorUpdateAccepted {
				channel,
				monitor: monitor2(),
				payout: monitor2(),
				nonce: 5,
				reward: 150,
				superseded: Some(monitor1()),
			}]
		);
		// The older proof can't come back.
		assert_noop!(submit(&older, 100), Error::<Test>::StaleNonce);
		assert_noop!(submit(&newest, 150), Error::<Test>::StaleNonce);
	});
}

#[test]
fn only_registered_active_monitors_may_update() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		let newest = proof(channel, 4, 700);
		run_to_block(1 + CHALLENGE_PERIOD - 1);
		// An unregistered monitor.
		assert_noop!(
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor2()),
				newest.clone(),
				authorization(&newest, 100),
				payout()
			),
			Error::<Test>::NotMonitor
		);
		// An unregistering monitor.
		register(&monitor2());
		assert_ok!(Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor2())));
		assert_noop!(
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor2()),
				newest.clone(),
				authorization(&newest, 100),
				payout()
			),
			Error::<Test>::MonitorUnregistering
		);
	});
}

#[test]
fn an_expired_monitor_is_refused() {
	// A window longer than a registration: the slot falls between 601 and 1601.
	ExtBuilder::default().challenge_period(2 * REGISTRATION_PERIOD).build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_block(2 + REGISTRATION_PERIOD);
		let newest = proof(channel, 4, 700);
		assert_noop!(submit(&newest, 100), Error::<Test>::MonitorExpired);
		assert_ok!(Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 0));
		let slot = Monitoring::first_allowed_block(channel, &monitor1()).unwrap();
		run_to_block(slot.max(2 + REGISTRATION_PERIOD));
		assert_ok!(submit(&newest, 100));
	});
}

#[test]
fn the_channel_must_be_closing() {
	ExtBuilder::default().build_and_execute(|| {
		register(&monitor1());
		assert_noop!(submit(&proof(99, 4, 700), 100), Error::<Test>::UnknownChannel);
		let channel = open_bob_alice();
		fund(channel, 300);
		assert_noop!(submit(&proof(channel, 4, 700), 100), Error::<Test>::ChannelNotClosing);
	});
}

#[test]
fn the_proof_must_be_newer_than_the_one_on_chain() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		assert_ok!(ModelChannels::update_for_receiver(channel, proof(channel, 4, 700)));
		run_to_slot(channel, &monitor1());
		assert_noop!(submit(&proof(channel, 4, 700), 100), Error::<Test>::StaleNonce);
		assert_noop!(submit(&proof(channel, 2, 300), 100), Error::<Test>::StaleNonce);
	});
}

#[test]
fn the_authorization_must_match_the_proof() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		let other_channel = open_bob_alice();
		run_to_slot(channel, &monitor1());
		let newest = proof(channel, 4, 700);
		let update = |authorization| {
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor1()),
				newest.clone(),
				authorization,
				payout(),
			)
		};

		// An authorization for another channel.
		let for_other_channel = authorization(&proof(other_channel, 4, 700), 100);
		assert_noop!(update(for_other_channel), Error::<Test>::AuthorizationChannelMismatch);
		// An authorization for another nonce.
		let for_older_nonce = authorization(&proof(channel, 3, 600), 100);
		assert_noop!(update(for_older_nonce), Error::<Test>::AuthorizationNonceMismatch);
		// An authorization for another proof with the same nonce (the sender signed two).
		let for_other_proof = authorization(&proof(channel, 4, 650), 100);
		assert_noop!(update(for_other_proof), Error::<Test>::AuthorizationProofMismatch);
	});
}

#[test]
fn a_forged_authorization_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		let newest = proof(channel, 4, 700);
		let hash = proof_hash(&newest);
		let update = |authorization| {
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor1()),
				newest.clone(),
				authorization,
				payout(),
			)
		};

		// Signed by someone else than the receiver.
		let by_mallory = authorization_with(&pair("Mallory"), GENESIS_HASH, channel, 4, 100, hash);
		assert_noop!(update(by_mallory), Error::<Test>::BadAuthorizationSignature);
		let by_sender = authorization_with(&pair("Bob"), GENESIS_HASH, channel, 4, 100, hash);
		assert_noop!(update(by_sender), Error::<Test>::BadAuthorizationSignature);
		// Signed by the receiver for another chain.
		let other_chain = authorization_with(&pair("Alice"), H256::zero(), channel, 4, 100, hash);
		assert_noop!(update(other_chain), Error::<Test>::BadAuthorizationSignature);
		// The reward raised after signing.
		let mut raised = authorization(&newest, 100);
		raised.reward = 200;
		assert_noop!(update(raised), Error::<Test>::BadAuthorizationSignature);
	});
}

#[test]
fn the_reward_must_fit_the_escrow() {
	ExtBuilder::default().existential_deposit(10).build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		let newest = proof(channel, 4, 700);
		assert_noop!(submit(&newest, 301), Error::<Test>::RewardOverEscrow);
		assert_noop!(submit(&newest, 9), Error::<Test>::RewardBelowMinimum);
		assert_ok!(submit(&newest, 300));
	});
}

#[test]
fn a_zero_reward_is_allowed() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		assert_ok!(submit(&proof(channel, 4, 700), 0));
	});
}

#[test]
fn a_channel_without_escrow_has_no_monitors() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = open_bob_alice();
		register(&monitor1());
		ModelChannels::close(channel, 10);
		run_to_slot(channel, &monitor1());
		assert_noop!(submit(&proof(channel, 4, 700), 0), Error::<Test>::NoEscrow);
	});
}

#[test]
fn the_channels_checks_apply_too() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		// A proof the sender didn't sign, with a matching authorization.
		let forged = proof_by(&pair("Mallory"), channel, 4, 1_000);
		assert_noop!(submit(&forged, 100), DispatchError::Other("bad signature"));
		let over_deposit = proof(channel, 4, 1_001);
		assert_noop!(submit(&over_deposit, 100), DispatchError::Other("over deposit"));
	});
}

#[test]
fn an_update_that_does_not_raise_the_payout_earns_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		// Bob closed admitting 10: a proof for 10 (newer nonce or not) helps no one.
		let channel = closing_channel(300);
		run_to_slot(channel, &monitor1());
		assert_noop!(submit(&proof(channel, 4, 10), 100), Error::<Test>::NoImprovement);
		assert_noop!(submit(&proof(channel, 4, 9), 100), Error::<Test>::NoImprovement);
		assert_ok!(submit(&proof(channel, 4, 11), 100));
		// Nor does one that matches the standing update's amount.
		register(&monitor2());
		run_to_slot(channel, &monitor2());
		let same = proof(channel, 5, 11);
		assert_noop!(
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor2()),
				same.clone(),
				authorization(&same, 100),
				payout(),
			),
			Error::<Test>::NoImprovement
		);
	});
}

#[test]
fn an_authorization_naming_a_monitor_is_for_that_monitor_only() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		register(&monitor2());
		let newest = proof(channel, 4, 700);
		let for_monitor2 = named_authorization(&newest, 100, monitor2());
		// Monitor1 copies the pending update: refused, even in its slot.
		run_to_block(1 + CHALLENGE_PERIOD - 1);
		assert_noop!(
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor1()),
				newest.clone(),
				for_monitor2.clone(),
				payout(),
			),
			Error::<Test>::NotNamedMonitor
		);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor2()),
			newest,
			for_monitor2,
			payout(),
		));
		assert_eq!(
			Escrows::<Test>::get(channel).unwrap().standing.map(|standing| standing.monitor),
			Some(monitor2())
		);
	});
}

#[test]
fn a_named_monitor_need_not_wait_for_its_slot() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		let slot = Monitoring::first_allowed_block(channel, &monitor1()).unwrap();
		assert!(slot > 2);
		run_to_block(2);
		let newest = proof(channel, 4, 700);
		assert_noop!(submit(&newest, 100), Error::<Test>::BeforeSlot);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor1()),
			newest.clone(),
			named_authorization(&newest, 100, monitor1()),
			payout(),
		));
	});
}

#[test]
fn naming_a_monitor_is_signed_for() {
	ExtBuilder::default().build_and_execute(|| {
		let channel = closing_channel(300);
		register(&monitor2());
		run_to_block(1 + CHALLENGE_PERIOD - 1);
		let newest = proof(channel, 4, 700);
		// Monitor2 rewrites an authorization naming Monitor1 to name itself.
		let mut forged = named_authorization(&newest, 100, monitor1());
		forged.monitor = Some(monitor2());
		assert_noop!(
			Monitoring::monitor_update(RuntimeOrigin::signed(monitor2()), newest, forged, payout()),
			Error::<Test>::BadAuthorizationSignature
		);
	});
}
