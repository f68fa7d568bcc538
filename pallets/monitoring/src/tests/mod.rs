//! The monitoring pallet's tests, by topic.

mod claims;
mod escrow;
mod monitor_update;
mod params;
mod proptest;
mod registry;
mod scenario;

use frame_support::assert_ok;

use crate::mock::*;
#[allow(unused_imports)]
pub use crate::ChannelUpdate;

/// Registers `monitor` with the minimum deposit.
pub fn register(monitor: &AccountId) {
	assert_ok!(Monitoring::register_monitor(
		RuntimeOrigin::signed(monitor.clone()),
		MIN_MONITOR_DEPOSIT,
		endpoint(b"https://monitor.example")
	));
}

/// Alice funds the escrow of `channel` with `amount`.
pub fn fund(channel: u64, amount: Balance) {
	assert_ok!(Monitoring::fund_monitoring(RuntimeOrigin::signed(alice()), channel, amount));
}

/// Moves to the first block `monitor` may act for `channel`.
pub fn run_to_slot(channel: u64, monitor: &AccountId) {
	run_to_block(Monitoring::first_allowed_block(channel, monitor).expect("channel is closing"));
}

/// A channel Bob → Alice, funded with `escrow`, closed by Bob with a stale amount, with
/// `Monitor1` registered: the start of most monitor tests.
pub fn closing_channel(escrow: Balance) -> u64 {
	let channel = open_bob_alice();
	fund(channel, escrow);
	register(&monitor1());
	ModelChannels::close(channel, 10);
	channel
}
