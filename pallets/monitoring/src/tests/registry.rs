//! The monitor registry.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::TokenError;

use super::*;
use crate::{Error, Event, Monitor, MonitoringParams, Monitors};

#[test]
fn register_holds_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Monitoring::register_monitor(
			RuntimeOrigin::signed(monitor1()),
			80,
			endpoint(b"https://monitor.example")
		));

		assert_eq!(held_deposit(&monitor1()), 80);
		let valid_until = 1 + REGISTRATION_PERIOD;
		assert_eq!(
			Monitors::<Test>::get(monitor1()),
			Some(Monitor {
				deposit: 80,
				valid_until,
				release_at: None,
				endpoint: endpoint(b"https://monitor.example"),
			})
		);
		assert_eq!(
			events(),
			vec![Event::MonitorRegistered {
				monitor: monitor1(),
				deposit: 80,
				valid_until,
				endpoint: endpoint(b"https://monitor.example"),
			}]
		);
	});
}

#[test]
fn register_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Monitoring::register_monitor(
				RuntimeOrigin::signed(monitor1()),
				MIN_MONITOR_DEPOSIT - 1,
				endpoint(b"https://monitor.example")
			),
			Error::<Test>::DepositTooLow
		);
		assert_noop!(
			Monitoring::register_monitor(
				RuntimeOrigin::signed(monitor1()),
				INITIAL_BALANCE,
				endpoint(b"https://monitor.example")
			),
			TokenError::FundsUnavailable
		);
		register(&monitor1());
		assert_noop!(
			Monitoring::register_monitor(
				RuntimeOrigin::signed(monitor1()),
				MIN_MONITOR_DEPOSIT,
				endpoint(b"https://monitor.example")
			),
			Error::<Test>::AlreadyRegistered
		);
		run_to_block(u64::MAX - 1);
		assert_noop!(
			Monitoring::register_monitor(
				RuntimeOrigin::signed(monitor2()),
				MIN_MONITOR_DEPOSIT,
				endpoint(b"https://monitor.example")
			),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn renew_extends_and_tops_up() {
	ExtBuilder::default().build_and_execute(|| {
		register(&monitor1());
		// Renewing revives an expired registration too.
		run_to_block(5 + REGISTRATION_PERIOD);
		events();

		assert_ok!(Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 25));

		let valid_until = 5 + 2 * REGISTRATION_PERIOD;
		let deposit = MIN_MONITOR_DEPOSIT + 25;
		assert_eq!(held_deposit(&monitor1()), deposit);
		assert_eq!(
			Monitors::<Test>::get(monitor1()),
			Some(Monitor {
				deposit,
				valid_until,
				release_at: None,
				endpoint: endpoint(b"https://monitor.example"),
			})
		);
		assert_eq!(
			events(),
			vec![Event::MonitorRenewed { monitor: monitor1(), deposit, valid_until }]
		);

		// Without a top-up.
		assert_ok!(Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 0));
		assert_eq!(held_deposit(&monitor1()), deposit);
	});
}

#[test]
fn renew_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 0),
			Error::<Test>::NotMonitor
		);
		register(&monitor1());
		// The minimum rose: the deposit must follow on renewal.
		assert_ok!(Monitoring::set_params(
			RuntimeOrigin::root(),
			MonitoringParams {
				min_monitor_deposit: MIN_MONITOR_DEPOSIT + 10,
				registration_period: REGISTRATION_PERIOD,
				unregister_delay: UNREGISTER_DELAY,
			}
		));
		assert_noop!(
			Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 9),
			Error::<Test>::DepositTooLow
		);
		assert_noop!(
			Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), INITIAL_BALANCE),
			TokenError::FundsUnavailable
		);
		assert_noop!(
			Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), u128::MAX),
			Error::<Test>::Overflow
		);
		assert_ok!(Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 10));
		run_to_block(u64::MAX - 1);
		assert_noop!(
			Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 0),
			Error::<Test>::Overflow
		);
		run_to_block(2);
		assert_ok!(Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor1())));
		assert_noop!(
			Monitoring::renew_monitor(RuntimeOrigin::signed(monitor1()), 0),
			Error::<Test>::MonitorUnregistering
		);
	});
}

#[test]
fn unregister_then_release_after_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		register(&monitor1());
		events();

		assert_ok!(Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor1())));
		let release_at = 1 + UNREGISTER_DELAY;
		assert_eq!(Monitors::<Test>::get(monitor1()).unwrap().release_at, Some(release_at));
		assert_eq!(events(), vec![Event::MonitorUnregistered { monitor: monitor1(), release_at }]);

		run_to_block(release_at - 1);
		assert_noop!(
			Monitoring::release_monitor_deposit(RuntimeOrigin::signed(monitor1())),
			Error::<Test>::ReleaseNotDue
		);
		run_to_block(release_at);
		assert_ok!(Monitoring::release_monitor_deposit(RuntimeOrigin::signed(monitor1())));

		assert_eq!(held_deposit(&monitor1()), 0);
		assert_eq!(free(&monitor1()), INITIAL_BALANCE);
		assert!(Monitors::<Test>::get(monitor1()).is_none());
		assert_eq!(
			events(),
			vec![Event::MonitorDepositReleased {
				monitor: monitor1(),
				amount: MIN_MONITOR_DEPOSIT
			}]
		);
		// It may register again.
		register(&monitor1());
	});
}

#[test]
fn unregister_and_release_refuse_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor1())),
			Error::<Test>::NotMonitor
		);
		assert_noop!(
			Monitoring::release_monitor_deposit(RuntimeOrigin::signed(monitor1())),
			Error::<Test>::NotMonitor
		);
		register(&monitor1());
		assert_noop!(
			Monitoring::release_monitor_deposit(RuntimeOrigin::signed(monitor1())),
			Error::<Test>::NotUnregistering
		);
		assert_ok!(Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor1())));
		assert_noop!(
			Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor1())),
			Error::<Test>::MonitorUnregistering
		);
		register(&monitor2());
		run_to_block(u64::MAX - 1);
		assert_noop!(
			Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor2())),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn a_monitor_sets_its_endpoint() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Monitoring::set_endpoint(RuntimeOrigin::signed(monitor1()), endpoint(b"https://new")),
			Error::<Test>::NotMonitor
		);
		register(&monitor1());
		events();
		assert_ok!(Monitoring::set_endpoint(
			RuntimeOrigin::signed(monitor1()),
			endpoint(b"https://new")
		));
		assert_eq!(
			events(),
			vec![Event::EndpointSet { monitor: monitor1(), endpoint: endpoint(b"https://new") }]
		);
		assert_eq!(
			Monitors::<Test>::get(monitor1()).map(|monitor| monitor.endpoint),
			Some(endpoint(b"https://new"))
		);
		// An unregistering monitor may still say where it is.
		assert_ok!(Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor1())));
		assert_ok!(Monitoring::set_endpoint(RuntimeOrigin::signed(monitor1()), endpoint(b"")));
		assert_noop!(
			Monitoring::set_endpoint(RuntimeOrigin::none(), endpoint(b"x")),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_runtime_api_lists_monitors_page_by_page() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Monitoring::monitor(&monitor1()), None);
		assert!(Monitoring::monitors(None, 10).is_empty());
		register(&monitor1());
		register(&monitor2());
		assert_ok!(Monitoring::register_monitor(
			RuntimeOrigin::signed(account("Mallory")),
			MIN_MONITOR_DEPOSIT,
			endpoint(b"https://mallory")
		));
		assert_eq!(
			Monitoring::monitor(&monitor1()),
			Some(warden_primitives::MonitorInfo {
				deposit: MIN_MONITOR_DEPOSIT,
				valid_until: 1 + REGISTRATION_PERIOD,
				release_at: None,
				endpoint: b"https://monitor.example".to_vec(),
			})
		);
		let all = Monitoring::monitors(None, 10);
		assert_eq!(all.len(), 3);
		let first = Monitoring::monitors(None, 2);
		assert_eq!(first, all[..2].to_vec());
		let rest = Monitoring::monitors(Some(first[1].0.clone()), 2);
		assert_eq!(rest, all[2..].to_vec());
		assert!(Monitoring::monitors(Some(all[2].0.clone()), 2).is_empty());
		assert!(Monitoring::monitors(None, 0).is_empty());
	});
}
