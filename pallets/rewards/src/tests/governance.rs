//! Governance and operator settings: commission, incentives, parameters, pot funding.

use crate::{mock::*, Error, Event, IncentivizedBlueprints, Params, RewardParams};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Perbill, TokenError};

#[test]
fn set_commission_checks_the_operator_and_the_cap() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(10)),
			Error::<Test>::NotOperator
		);
		join(1, 1_000);
		assert_noop!(
			Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(51)),
			Error::<Test>::CommissionTooHigh
		);
		assert_noop!(
			Rewards::set_commission(RuntimeOrigin::none(), Perbill::from_percent(10)),
			DispatchError::BadOrigin
		);
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(50)));
		assert_eq!(
			events(),
			vec![Event::CommissionSet {
				operator: 1,
				commission: Perbill::from_percent(50),
				effective_from: 1
			}]
		);
	});
}

#[test]
fn a_commission_change_takes_effect_from_the_next_era() {
	ExtBuilder::default().build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 1_000);
		run_to_era(1);
		// Set during era 1: era 1 still pays no commission.
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(20)));
		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(2);
		assert_eq!(Rewards::pending_rewards(1), 500);
		assert_eq!(Rewards::pending_rewards(2), 500);

		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_era(3);
		// Era 2: 200 commission, 800 split.
		assert_eq!(Rewards::pending_rewards(1), 500 + 200 + 400);
		assert_eq!(Rewards::pending_rewards(2), 500 + 400);
	});
}

#[test]
fn a_commission_change_during_settlement_does_not_touch_the_settled_era() {
	// No settlement work in `on_initialize`: only eras end.
	ExtBuilder::default().work_items(0).build_and_execute(|| {
		join(1, 1_000);
		set_stake(1, 2, 1_000);
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(10)));
		run_to_block(11);
		work(1, BLUEPRINT_A, 1);
		fund(1_000);
		run_to_block(21);
		assert_eq!(Rewards::settling_era(), Some(1));
		// Era 1 applies 10%, whatever is set now.
		assert_ok!(Rewards::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(50)));
		assert_eq!(Rewards::pending_rewards(1), 100 + 450);
		assert_eq!(Rewards::pending_rewards(2), 450);
	});
}

#[test]
fn set_incentivized_adds_and_updates_within_the_bound() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Rewards::set_incentivized(RuntimeOrigin::signed(1), 3, 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Rewards::set_incentivized(RuntimeOrigin::root(), 3, 0),
			Error::<Test>::ZeroWeight
		);
		assert_ok!(Rewards::set_incentivized(RuntimeOrigin::root(), 3, 5));
		assert_ok!(Rewards::set_incentivized(RuntimeOrigin::root(), 4, 5));
		assert_eq!(
			events(),
			vec![
				Event::IncentiveSet { blueprint: 3, weight: 5 },
				Event::IncentiveSet { blueprint: 4, weight: 5 }
			]
		);
		// Four are incentivized: the maximum.
		assert_noop!(
			Rewards::set_incentivized(RuntimeOrigin::root(), 5, 1),
			Error::<Test>::TooManyIncentivized
		);
		// Changing a weight is always possible.
		assert_ok!(Rewards::set_incentivized(RuntimeOrigin::root(), 4, 7));
		assert_eq!(IncentivizedBlueprints::<Test>::get(4), Some(7));
		assert_eq!(IncentivizedBlueprints::<Test>::count(), 4);
	});
}

#[test]
fn remove_incentivized_needs_an_incentivized_blueprint() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Rewards::remove_incentivized(RuntimeOrigin::signed(1), BLUEPRINT_A),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Rewards::remove_incentivized(RuntimeOrigin::root(), PLAIN_BLUEPRINT),
			Error::<Test>::NotIncentivized
		);
		assert_ok!(Rewards::remove_incentivized(RuntimeOrigin::root(), BLUEPRINT_A));
		assert_eq!(events(), vec![Event::IncentiveRemoved { blueprint: BLUEPRINT_A }]);
		assert_eq!(IncentivizedBlueprints::<Test>::get(BLUEPRINT_A), None);
		assert_eq!(IncentivizedBlueprints::<Test>::count(), 1);
	});
}

#[test]
fn set_params_validates_and_stores() {
	ExtBuilder::default().build_and_execute(|| {
		let params = RewardParams { era_length: 20, emission_per_era: 5 };
		assert_noop!(
			Rewards::set_params(RuntimeOrigin::signed(1), params),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Rewards::set_params(RuntimeOrigin::root(), RewardParams { era_length: 0, ..params }),
			Error::<Test>::ZeroEraLength
		);
		assert_ok!(Rewards::set_params(RuntimeOrigin::root(), params));
		assert_eq!(Params::<Test>::get(), params);
		assert_eq!(events(), vec![Event::ParamsSet { params }]);
	});
}

#[test]
fn fund_pot_moves_funds_into_the_pot() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Rewards::fund_pot(RuntimeOrigin::signed(3), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Rewards::fund_pot(RuntimeOrigin::none(), 10), DispatchError::BadOrigin);
		assert_noop!(
			Rewards::fund_pot(RuntimeOrigin::signed(3), INITIAL_BALANCE + 1),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		assert_ok!(Rewards::fund_pot(RuntimeOrigin::signed(3), 700));
		assert_eq!(events(), vec![Event::PotFunded { who: 3, amount: 700 }]);
		assert_eq!(balance(3), INITIAL_BALANCE - 700);
		assert_eq!(pot_balance(), 1 + 700);
		assert_eq!(Rewards::distributable(), 700);
	});
}

#[test]
fn the_pot_exists_from_genesis() {
	ExtBuilder::default().existential_deposit(10).build_and_execute(|| {
		assert_eq!(pot_balance(), 10);
		assert_eq!(Rewards::distributable(), 0);
	});
}
