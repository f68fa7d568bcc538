//! Claims: paying rewards from the pot, at a cost independent of the number of eras.

use crate::{mock::*, Call, Error, Event};
use frame_support::{
	assert_noop, assert_ok, assert_storage_noop, dispatch::GetDispatchInfo, weights::Weight,
};
use sp_runtime::{DispatchError, TokenError};

#[test]
fn claim_pays_everything_and_then_nothing_is_left() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 1_000);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		System::reset_events();
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(2)));
		assert_eq!(events(), vec![Event::Claimed { who: 2, amount: 500 }]);
		assert_eq!(balance(2), INITIAL_BALANCE + 500);
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(2)), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn claim_with_no_positions_has_nothing_to_claim() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(7)), Error::<Test>::NothingToClaim);
		assert_noop!(Rewards::claim(RuntimeOrigin::none()), DispatchError::BadOrigin);
	});
}

#[test]
fn anyone_can_claim_for_someone_else() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		System::reset_events();
		assert_ok!(Rewards::claim_for(RuntimeOrigin::signed(40), 1));
		assert_eq!(events(), vec![Event::Claimed { who: 1, amount: 1_000 }]);
		assert_eq!(balance(1), INITIAL_BALANCE + 1_000);
		assert_eq!(balance(40), INITIAL_BALANCE);
		assert_noop!(
			Rewards::claim_for(RuntimeOrigin::signed(40), 1),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(Rewards::claim_for(RuntimeOrigin::none(), 1), DispatchError::BadOrigin);
	});
}

#[test]
fn a_claim_below_the_existential_deposit_of_a_new_account_fails() {
	ExtBuilder::default().existential_deposit(100).build_and_execute(|| {
		// Account 77 holds nothing (the mock registry holds no funds).
		join(77, 1_000);
		run_to_era(1);
		work(77, BLUEPRINT_A, 1);
		fund(50);
		run_to_era(2);
		assert_noop!(
			Rewards::claim(RuntimeOrigin::signed(77)),
			DispatchError::Token(TokenError::BelowMinimum)
		);
		work(77, BLUEPRINT_A, 1);
		fund(100);
		run_to_era(3);
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(77)));
		assert_eq!(balance(77), 150);
	});
}

#[test]
fn pending_rewards_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 3_000);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		assert_storage_noop!(assert_eq!(Rewards::pending_rewards(2), 750));
	});
}

/// Stakes account 9 on four operators (the maximum) from era 0, lets `eras` eras pass with
/// work and funds, then claims. Returns the claim's weight, how many storage keys it wrote
/// and what it paid.
fn claim_after(eras: u32) -> (Weight, usize, u128) {
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(|| {
		for operator in 1..=4 {
			join(operator, 1_000);
			set_stake(operator, 9, 1_000);
		}
		for era in 1..=eras {
			run_to_era(era);
			for operator in 1..=4 {
				work(operator, BLUEPRINT_A, 1);
			}
			fund(8_000);
		}
		run_to_era(eras + 1);
		System::reset_events();
	});
	ext.commit_all().expect("commit");
	let paid = ext.execute_with(|| {
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(9)));
		balance(9) - INITIAL_BALANCE
	});
	let written = ext.overlayed_changes().changes().count();
	let weight = Call::<Test>::claim {}.get_dispatch_info().call_weight;
	ext.execute_with(|| {
		assert_ok!(Rewards::do_try_state());
	});
	(weight, written, paid)
}

#[test]
fn a_claim_after_a_hundred_eras_costs_the_same_as_after_one() {
	let (weight_1, written_1, paid_1) = claim_after(1);
	let (weight_100, written_100, paid_100) = claim_after(100);
	assert_eq!(paid_1, 4 * 1_000);
	assert_eq!(paid_100, 100 * 4 * 1_000);
	// The benchmarked weight has no era component, and the claim touches the same storage:
	// one pool and one position per operator staked on, whatever the number of eras.
	assert_eq!(weight_1, weight_100);
	assert_eq!(written_1, written_100);
	// Charged up front for the most positions a staker may hold: four here.
	assert_eq!(weight_1, <() as crate::WeightInfo>::claim(4));
}

#[test]
fn a_claim_is_refunded_down_to_the_positions_held() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 9, 1_000);
		run_to_era(1);
		work(1, BLUEPRINT_A, 1);
		fund(8_000);
		run_to_era(2);
		let charged = Call::<Test>::claim {}.get_dispatch_info().call_weight;
		let used =
			Rewards::claim(RuntimeOrigin::signed(9)).expect("a reward to claim").actual_weight;
		assert_eq!(used, Some(<() as crate::WeightInfo>::claim(1)));
		assert!(used.is_some_and(|used| used.all_lte(charged) && used != charged));
		let used_for = Rewards::claim_for(RuntimeOrigin::signed(2), 1)
			.expect("the operator's share")
			.actual_weight;
		assert_eq!(used_for, Some(<() as crate::WeightInfo>::claim_for(1)));
	});
}
