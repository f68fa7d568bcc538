//! The `ChannelsApi` answers: a channel by id, and the channels of an account, paged.

use frame_support::assert_ok;
use warden_primitives::{ChannelInfo, ChannelPhase};

use crate::mock::*;

#[test]
fn a_channel_is_found_by_id_and_by_its_parties_until_it_settles() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Channels::channel_info(0), None);
		let id = open_alice_bob(100);
		let expected = ChannelInfo {
			id,
			sender: alice(),
			receiver: bob(),
			deposit: 100,
			nonce: 0,
			transferred: 0,
			phase: ChannelPhase::Open,
		};
		assert_eq!(Channels::channel_info(id), Some(expected.clone()));
		assert_eq!(Channels::channels_of(&alice(), None, 10), vec![expected.clone()]);
		assert_eq!(Channels::channels_of(&bob(), None, 10), vec![expected]);
		assert!(Channels::channels_of(&charlie(), None, 10).is_empty());

		// Settled, it is gone from both.
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		run_to_block(1 + CHALLENGE_PERIOD);
		assert_eq!(Channels::channel_info(id), None);
		assert!(Channels::channels_of(&alice(), None, 10).is_empty());
		assert!(Channels::channels_of(&bob(), None, 10).is_empty());
		assert_eq!(Channels::channel_params(), crate::Params::<Test>::get());
	});
}

#[test]
fn the_channels_of_an_account_come_page_by_page() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..5 {
			open_alice_bob(100);
		}
		assert_ok!(Channels::open(RuntimeOrigin::signed(charlie()), alice(), 100));
		let all = Channels::channels_of(&alice(), None, 100);
		assert_eq!(all.len(), 6);
		let mut ids: Vec<u64> = all.iter().map(|channel| channel.id).collect();
		ids.sort();
		assert_eq!(ids, (0..6).collect::<Vec<_>>());

		let mut paged = Vec::new();
		let mut after = None;
		loop {
			let page = Channels::channels_of(&alice(), after, 4);
			assert!(page.len() <= 4);
			let Some(last) = page.last() else { break };
			after = Some(last.id);
			paged.extend(page);
		}
		assert_eq!(paged, all);
		assert!(Channels::channels_of(&alice(), None, 0).is_empty());
		assert_eq!(Channels::channels_of(&bob(), None, 100).len(), 5);
	});
}
