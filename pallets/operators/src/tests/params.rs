//! Runtime parameters: governance changes and their checks.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;
use warden_primitives::OperatorRegistry;

use crate::{mock::*, Error, Event, Params};

#[test]
fn set_params_replaces_the_parameters() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		let mut params = default_params();
		params.leave_delay = 50;
		params.unbonding_delay = 70;
		params.bond_less_delay = 60;
		params.min_delegation = 1;
		assert_ok!(Operators::set_params(RuntimeOrigin::root(), params.clone()));
		assert_eq!(Params::<Test>::get(), params);
		assert_eq!(Operators::operator_params(), params);
		assert_eq!(events(), vec![Event::ParamsSet { params }]);
		// New durations apply to new requests.
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		assert_eq!(
			<Operators as OperatorRegistry<_, _, _>>::state(&ALICE),
			Some(warden_primitives::OperatorState::Leaving { at: 51 })
		);
		assert_eq!(<Operators as OperatorRegistry<_, _, _>>::unbonding_delay(), 60);
	});
}

#[test]
fn raising_the_minimum_binds_new_requests_only() {
	ExtBuilder::default().operator(ALICE, MIN_BOND).build_and_execute(|| {
		let mut params = default_params();
		params.min_operator_bond = MIN_BOND * 2;
		assert_ok!(Operators::set_params(RuntimeOrigin::root(), params));
		// Alice stays an operator, but can't bond less below the new minimum.
		assert_ok!(Operators::bond_more(signed(ALICE), 50));
		assert_noop!(Operators::schedule_bond_less(signed(ALICE), 1), Error::<Test>::BondTooLow);
		assert_noop!(Operators::join_operators(signed(BOB), MIN_BOND), Error::<Test>::BondTooLow);
	});
}

#[test]
fn set_params_errors() {
	ExtBuilder::default()
		.defer_duration(20)
		.params(|p| {
			p.unbonding_delay = 30;
			p.bond_less_delay = 30;
		})
		.build_and_execute(|| {
			let valid = Params::<Test>::get();
			assert_noop!(
				Operators::set_params(signed(ALICE), valid.clone()),
				DispatchError::BadOrigin
			);
			let with = |f: &dyn Fn(&mut crate::ParamsOf<Test>)| {
				let mut params = valid.clone();
				f(&mut params);
				params
			};
			assert_noop!(
				Operators::set_params(RuntimeOrigin::root(), with(&|p| p.leave_delay = 0)),
				Error::<Test>::ZeroLeaveDelay
			);
			assert_noop!(
				Operators::set_params(RuntimeOrigin::root(), with(&|p| p.min_operator_bond = 0)),
				Error::<Test>::ZeroMinimum
			);
			assert_noop!(
				Operators::set_params(RuntimeOrigin::root(), with(&|p| p.min_delegation = 0)),
				Error::<Test>::ZeroMinimum
			);
			// The unbonding delays must be longer than the slash defer window (20) plus the
			// report window (2).
			assert_noop!(
				Operators::set_params(RuntimeOrigin::root(), with(&|p| p.unbonding_delay = 22)),
				Error::<Test>::UnbondingDelayTooShort
			);
			assert_noop!(
				Operators::set_params(RuntimeOrigin::root(), with(&|p| p.bond_less_delay = 22)),
				Error::<Test>::BondLessDelayTooShort
			);
			assert_ok!(Operators::set_params(
				RuntimeOrigin::root(),
				with(&|p| {
					p.unbonding_delay = 23;
					p.bond_less_delay = 23;
				})
			));
		});
}

#[test]
fn try_state_catches_a_defer_window_that_outgrew_the_unbonding_delay() {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(Operators::do_try_state());
		// The slashing pallet's window grows past ours behind our back.
		DeferDuration::set(UNBONDING_DELAY);
		assert!(Operators::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_a_report_window_that_outgrew_the_unbonding_delay() {
	ExtBuilder::default().build().execute_with(|| {
		// Bond-less delay 8 = defer 3 + report window 5.
		ReportWindow::set(4);
		assert_ok!(Operators::do_try_state());
		ReportWindow::set(5);
		assert!(Operators::do_try_state().is_err());
	});
}

#[test]
fn the_unbonding_delays_must_outlast_the_offence_age_cap() {
	ExtBuilder::default().build().execute_with(|| {
		// Stake present at an offence must still be there when it is reported.
		let params = crate::Params::<Test>::get();
		MaxOffenceAge::set(params.unbonding_delay.min(params.bond_less_delay) - 1);
		assert_ok!(Operators::do_try_state());
		MaxOffenceAge::set(params.unbonding_delay);
		assert!(Operators::do_try_state().is_err());
		assert_noop!(
			Operators::set_params(RuntimeOrigin::root(), params),
			Error::<Test>::UnbondingDelayTooShort
		);
	});
}
