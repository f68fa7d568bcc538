//! The runtime parameters.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use super::*;
use crate::{Error, Event, MonitoringParams, Params};

fn params(
	min_monitor_deposit: Balance,
	registration_period: u64,
	unregister_delay: u64,
) -> crate::ParamsOf<Test> {
	MonitoringParams { min_monitor_deposit, registration_period, unregister_delay }
}

#[test]
fn genesis_sets_the_params() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(
			Params::<Test>::get(),
			params(MIN_MONITOR_DEPOSIT, REGISTRATION_PERIOD, UNREGISTER_DELAY)
		);
	});
}

#[test]
fn params_origin_sets_the_params() {
	ExtBuilder::default().build_and_execute(|| {
		let new = params(70, 30, 5);
		assert_ok!(Monitoring::set_params(RuntimeOrigin::root(), new));
		assert_eq!(Params::<Test>::get(), new);
		assert_eq!(events(), vec![Event::ParamsSet { params: new }]);

		assert_noop!(
			Monitoring::register_monitor(
				RuntimeOrigin::signed(monitor1()),
				69,
				endpoint(b"https://monitor.example")
			),
			Error::<Test>::DepositTooLow
		);
		assert_ok!(Monitoring::register_monitor(
			RuntimeOrigin::signed(monitor1()),
			70,
			endpoint(b"https://monitor.example")
		));
		assert_eq!(crate::Monitors::<Test>::get(monitor1()).unwrap().valid_until, 31);
	});
}

#[test]
fn set_params_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Monitoring::set_params(RuntimeOrigin::signed(alice()), params(70, 30, 5)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Monitoring::set_params(RuntimeOrigin::root(), params(0, 30, 5)),
			Error::<Test>::MinMonitorDepositZero
		);
		assert_noop!(
			Monitoring::set_params(RuntimeOrigin::root(), params(70, 0, 5)),
			Error::<Test>::RegistrationPeriodZero
		);
		assert_noop!(
			Monitoring::set_params(RuntimeOrigin::root(), params(70, 30, 0)),
			Error::<Test>::UnregisterDelayZero
		);
	});
}
