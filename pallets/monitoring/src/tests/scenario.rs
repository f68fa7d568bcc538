//! The usual scenario, on the channel model.

use frame_support::assert_ok;

use super::*;

#[docify::export]
#[test]
fn monitor_protects_an_offline_receiver() {
	ExtBuilder::default().build_and_execute(|| {
		// Bob pays Alice through a channel; Alice funds its monitoring escrow.
		let channel = open_bob_alice();
		assert_ok!(Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, 300));
		assert_ok!(Monitoring::register_monitor(
			RuntimeOrigin::signed(monitor1()),
			MIN_MONITOR_DEPOSIT,
			monitor_endpoint()
		));

		// Alice hands her newest proof (nonce 4: 700 transferred) and a reward of 100 for
		// submitting exactly that proof to the monitor, then goes offline.
		let newest = proof(channel, 4, 700);
		let reward = authorization(&newest, 100);

		// Bob closes with a stale proof in his favour.
		ModelChannels::close(channel, 200);

		// The monitor waits for its slot, then submits Alice's proof.
		let slot = Monitoring::first_allowed_block(channel, &monitor1()).unwrap();
		run_to_block(slot);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor1()),
			newest,
			reward,
			payout()
		));
		assert_eq!(ModelChannels::get(channel).unwrap().transferred, 700);

		// The channel settles as Alice expects, and anyone triggers the payout.
		ModelChannels::settle(channel);
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(monitor1()), channel));
		assert_eq!(free(&payout()), 100);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 100);
	});
}
