//! Rewards on the real runtime: a service's work earns points on an incentivized
//! blueprint, the era ends and is settled, and the operator and its delegator claim
//! exactly what the split computes: commission first, then the rest pro rata to stake.

use frame_support::BoundedVec;
use pallet_warden_rewards::{ActiveEra, Call as RewardsCall};
use pallet_warden_services::{Call as ServicesCall, JobOutcome};
use sp_keyring::Sr25519Keyring::{Alice, Charlie};
use sp_runtime::{Perbill, Percent};
use warden_runtime::{Rewards, Runtime, UNIT};
use warden_tests::runtime::*;

fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().expect("fits")
}

/// Runs blocks until era `era` has begun.
fn run_to_era(era: u32) {
	while ActiveEra::<Runtime>::get().index < era {
		next_block();
	}
}

#[test]
fn work_earns_points_and_the_era_pot_is_split_and_claimed_exactly() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie) = (account(Alice), account(Charlie));

		// Charlie buys a service from Alice on the demo blueprint (incentivized in
		// development); Alice takes 10% commission from the next era on.
		let request = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(
			Charlie,
			ServicesCall::<Runtime>::request {
				blueprint: 0,
				operators: vec![alice.clone()].try_into().expect("fits"),
				permitted_callers: Default::default(),
				ttl: 500,
				min_exposure: Percent::from_percent(10),
				payment: 10 * UNIT,
			},
		);
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::approve {
				request,
				version: 0,
				exposure: Percent::from_percent(10),
			},
		);
		let service = pallet_warden_services::NextServiceId::<Runtime>::get() - 1;
		submit_ok(
			Alice,
			RewardsCall::<Runtime>::set_commission { commission: Perbill::from_percent(10) },
		);

		// A heartbeat near the end of era 0 proves Alice live; the next one, a window later
		// in era 1, records the exposure she held in between.
		let era_length = pallet_warden_rewards::Params::<Runtime>::get().era_length;
		let first = era_length - 5;
		run_to_block(first);
		submit_ok(Alice, ServicesCall::<Runtime>::heartbeat { service, metrics: bounded(b"ok") });

		// Era 1: genesis stake is eligible. Alice answers one call and sends one heartbeat: the
		// heartbeat's window earns availability points; the result is counted, not paid.
		run_to_era(1);
		run_to_block(first + 10);
		let call_id = pallet_warden_services::NextCallId::<Runtime>::get();
		submit_ok(Charlie, ServicesCall::<Runtime>::call { service, job: 0, args: bounded(b"hi") });
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::submit_result {
				service,
				call_id,
				outcome: JobOutcome::Success(bounded(b"hi")),
			},
		);
		submit_ok(Alice, ServicesCall::<Runtime>::heartbeat { service, metrics: bounded(b"ok") });

		// Era 1 ends and is settled.
		run_to_era(2);
		while pallet_warden_rewards::LastSettledEra::<Runtime>::get().map(|s| s.era) != Some(1) {
			next_block();
		}
		let report = Rewards::last_era_report().expect("era 1 was settled");
		assert_eq!(report.era, 1);
		// Points are stake at risk × blocks × blueprint weight: 10% of Alice's 11,000 (her
		// bond and Charlie's delegation), held over the 10 blocks between the heartbeats,
		// weight 1.
		assert_eq!(report.weighted_points, 1_100 * UNIT * 10);
		// Era 0 earned no points, so its emission carried over: two emissions in the pot.
		let emission = pallet_warden_rewards::Params::<Runtime>::get().emission_per_era;
		assert!(emission > 0 && report.pot >= 2 * emission - UNIT, "pot {}", report.pot);
		let [alice_report] = &report.operators[..] else { panic!("only Alice earned points") };
		assert_eq!(alice_report.operator, alice);
		assert_eq!((alice_report.successes, alice_report.heartbeats), (1, 1));
		// The only operator with points takes the whole pot; 10% of it is commission.
		assert_eq!(alice_report.share, report.pot);
		assert_eq!(alice_report.commission, Perbill::from_percent(10) * report.pot);
		assert_eq!(alice_report.stakers, report.pot - alice_report.commission);

		// The stakers' part is shared by stake: Alice's 10,000 bond and Charlie's 1,000
		// delegation, through a per-share accumulator scaled by 10^18, rounding down.
		const SCALE: u128 = 1_000_000_000_000_000_000;
		let per_share = alice_report.stakers * SCALE / (11_000 * UNIT);
		let alice_expected = alice_report.commission + 10_000 * UNIT * per_share / SCALE;
		let charlie_expected = 1_000 * UNIT * per_share / SCALE;
		assert_eq!(Rewards::pending_rewards(alice.clone()), alice_expected);
		assert_eq!(Rewards::pending_rewards(charlie.clone()), charlie_expected);
		assert!(alice_expected + charlie_expected <= report.pot, "never more than the pot");

		let (alice_before, charlie_before) = (free_balance(&alice), free_balance(&charlie));
		let alice_fee = submit_ok(Alice, RewardsCall::<Runtime>::claim {});
		// Anyone may pay Charlie out; Alice does it for him.
		let alice_fee = alice_fee
			+ submit_ok(Alice, RewardsCall::<Runtime>::claim_for { who: charlie.clone() });
		assert_eq!(free_balance(&alice), alice_before + alice_expected - alice_fee);
		assert_eq!(free_balance(&charlie), charlie_before + charlie_expected);
		assert_eq!(Rewards::pending_rewards(alice.clone()), 0);
		assert_eq!(Rewards::pending_rewards(charlie), 0);

		pallet_warden_rewards::Pallet::<Runtime>::do_try_state().expect("rewards invariants");
	});
}
