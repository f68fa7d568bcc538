//! Governance parameters.

use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_runtime::{DispatchError, Perbill};
use warden_primitives::{SlashInspect, SlashQueue, SlashingParams};

use sp_runtime::Percent;

use crate::{mock::*, Error, Event, Params, PendingSlashes};

fn params(defer: BlockNumber, deposit: Balance) -> SlashingParams<Balance, BlockNumber> {
	SlashingParams {
		defer_duration: defer,
		report_window: 5,
		max_offence_age: 50,
		reporter_reward: Perbill::from_percent(15),
		min_fraction: Perbill::from_percent(1),
		max_fraction: Perbill::from_percent(100),
		report_deposit: deposit,
		deposit_per_slashed: Perbill::zero(),
	}
}

#[test]
fn genesis_sets_the_parameters() {
	ExtBuilder::default().defer_duration(25).report_deposit(70).build_and_execute(|| {
		assert_eq!(Slashing::params().defer_duration, 25);
		assert_eq!(Slashing::params().report_deposit, 70);
		assert_eq!(<Slashing as SlashInspect<_, _, _>>::defer_duration(), 25);
		assert_eq!(<Slashing as SlashInspect<_, _, _>>::report_window(), 5);
		assert_eq!(<Slashing as SlashQueue<_, _>>::report_window(), 5);
		assert_eq!(<Slashing as SlashInspect<_, _, _>>::max_offence_age(), 50);
	});
}

#[test]
fn governance_sets_new_parameters_for_new_slashes_only() {
	ExtBuilder::default().build_and_execute(|| {
		let old = propose(OPERATOR, REPORTER);
		events();
		assert_ok!(Slashing::set_params(RuntimeOrigin::root(), params(40, 250)));
		assert_eq!(Params::<Test>::get(), params(40, 250));
		assert_eq!(events(), vec![Event::ParamsSet { params: params(40, 250) }]);
		assert_eq!(<Slashing as SlashInspect<_, _, _>>::defer_duration(), 40);

		let new = propose(OPERATOR, REPORTER);
		let old = PendingSlashes::<Test>::get(old).unwrap();
		let new = PendingSlashes::<Test>::get(new).unwrap();
		assert_eq!(
			(old.apply_at, old.deposit, old.reporter_reward),
			(11, 100, Perbill::from_percent(10))
		);
		assert_eq!(
			(new.apply_at, new.deposit, new.reporter_reward),
			(41, 250, Perbill::from_percent(15))
		);
		assert_eq!(held_deposit(REPORTER), 350);
	});
}

#[test]
fn invalid_parameters_are_refused() {
	ExtBuilder::default().unbonding_delay(100).build_and_execute(|| {
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), params(0, 100)),
			Error::<Test>::ZeroDeferDuration
		);
		// The defer window plus the report window (5) must stay below the unbonding delay.
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), params(95, 100)),
			Error::<Test>::DeferNotBelowUnbonding
		);
		let mut wide = params(10, 100);
		wide.report_window = 90;
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), wide),
			Error::<Test>::DeferNotBelowUnbonding
		);
		// Stake present at an offence must still be there when it is reported.
		let mut old = params(10, 100);
		old.max_offence_age = 100;
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), old),
			Error::<Test>::OffenceAgeNotBelowUnbonding
		);
		let mut dust = params(10, 100);
		dust.min_fraction = Perbill::zero();
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), dust),
			Error::<Test>::ZeroMinFraction
		);
		let mut capped_below = params(10, 100);
		capped_below.max_fraction =
			Perbill::from_parts(capped_below.min_fraction.deconstruct() - 1);
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), capped_below),
			Error::<Test>::MaxFractionBelowMinimum
		);
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::root(), params(10, ED - 1)),
			Error::<Test>::DepositBelowMinimum
		);
		assert_ok!(Slashing::set_params(RuntimeOrigin::root(), params(94, ED)));
	});
}

#[test]
fn one_slash_takes_at_most_the_cap_whatever_a_report_asks() {
	ExtBuilder::default().build_and_execute(|| {
		let mut capped = params(10, 100);
		capped.max_fraction = Perbill::from_percent(50);
		assert_ok!(Slashing::set_params(RuntimeOrigin::root(), capped));
		let id = Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_percent(100),
			Percent::from_percent(100),
		))
		.unwrap();
		let pending = PendingSlashes::<Test>::get(id).unwrap();
		assert_eq!(pending.fraction, Perbill::from_percent(50));
		let own = MockOperators::stake(OPERATOR).own;
		assert_eq!(pending.positions.iter().map(|(_, take)| take).sum::<Balance>(), own / 2);
	});
}

#[test]
fn only_the_params_origin_sets_parameters() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::signed(OPERATOR), params(20, 100)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
#[should_panic(expected = "invalid genesis slashing params")]
fn genesis_refuses_a_defer_not_below_the_unbonding_delay() {
	ExtBuilder::default().defer_duration(50).unbonding_delay(50).build();
}

#[test]
#[should_panic(expected = "invalid genesis slashing params")]
fn genesis_refuses_a_deposit_below_the_existential_deposit() {
	ExtBuilder::default().report_deposit(ED - 1).build();
}

#[test]
fn the_mock_passes_the_integrity_test() {
	ExtBuilder::default().build_and_execute(|| {
		<Slashing as Hooks<BlockNumber>>::integrity_test();
	});
}
