//! Runtime parameters.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;
use warden_primitives::ServicesParams;

use crate::{mock::*, *};

#[test]
fn set_params_works() {
	ExtBuilder::default().build_and_execute(|| {
		let params = ServicesParams { request_expiry: 5, min_heartbeat_interval: 1 };
		assert_ok!(Services::set_params(RuntimeOrigin::root(), params));
		assert_eq!(Params::<Test>::get(), params);
		assert_eq!(events(), vec![Event::ParamsSet { params }]);
		// New requests use the new expiry.
		let id = request_for(EVE, &[ALICE], 1);
		assert_eq!(Requests::<Test>::get(id).unwrap().expires_at, 6);
	});
}

#[test]
fn set_params_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Services::set_params(
				RuntimeOrigin::signed(EVE),
				ServicesParams { request_expiry: 5, min_heartbeat_interval: 1 }
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Services::set_params(
				RuntimeOrigin::root(),
				ServicesParams { request_expiry: 0, min_heartbeat_interval: 1 }
			),
			Error::<Test>::ZeroRequestExpiry
		);
	});
}

#[test]
fn pending_requests_keep_their_expiry_when_it_changes() {
	ExtBuilder::default().build_and_execute(|| {
		let id = request_for(EVE, &[ALICE], 1);
		assert_ok!(Services::set_params(
			RuntimeOrigin::root(),
			ServicesParams { request_expiry: 2, min_heartbeat_interval: 1 }
		));
		run_to_block(10);
		assert!(Requests::<Test>::contains_key(id));
		run_to_block(1 + REQUEST_EXPIRY);
		assert!(!Requests::<Test>::contains_key(id));
	});
}
