//! The lifecycle of a slash, as shown in the crate docs.

use frame_support::assert_ok;
use sp_runtime::{Perbill, Percent};
use warden_primitives::SlashQueue;

use crate::{mock::*, Event, PendingSlashes};

#[docify::export]
#[test]
fn slash_lifecycle() {
	ExtBuilder::default().defer_duration(10).build_and_execute(|| {
		// The services pallet files a report: 10 % of a 50 % exposure of OPERATOR's stake.
		let slash_id = Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_percent(10),
			Percent::from_percent(50),
		))
		.unwrap();
		let apply_at = PendingSlashes::<Test>::get(slash_id).unwrap().apply_at;
		assert_eq!(apply_at, 1 + 10);
		assert_eq!(held_deposit(REPORTER), 100);

		// The offender disputes it; the clock keeps running.
		assert_ok!(Slashing::dispute(
			RuntimeOrigin::signed(OPERATOR),
			slash_id,
			statement(b"the job input was malformed"),
		));

		// Nobody vetoes it: one block before `apply_at` it is still pending...
		run_to_block(apply_at - 1);
		assert!(PendingSlashes::<Test>::contains_key(slash_id));

		// ...and at `apply_at` it is applied: 10 % × 50 % × 10_000 = 500.
		run_to_block(apply_at);
		assert!(!PendingSlashes::<Test>::contains_key(slash_id));
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 9_500);
		assert!(events().contains(&Event::SlashApplied {
			slash_id,
			offender: OPERATOR,
			service: 7,
			stake: 10_000,
			amount: 500,
			taken: 500,
			reporter_reward: 50,
		}));
		// The reporter got its deposit back.
		assert_eq!(held_deposit(REPORTER), 0);
	});
}
