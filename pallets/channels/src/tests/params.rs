//! The runtime parameters.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

use crate::{
	mock::*, ChannelParams, ChannelPhase, Channels as ChannelsStorage, Error, Event, Params,
};

#[test]
fn params_origin_sets_the_params() {
	ExtBuilder::default().build_and_execute(|| {
		let params = ChannelParams { challenge_period: 3, min_deposit: 50 };
		assert_ok!(Channels::set_params(RuntimeOrigin::root(), params));
		assert_eq!(Params::<Test>::get(), params);
		assert_eq!(events(), vec![Event::ParamsSet { params }]);

		// New closes get the new window; new channels the new minimum.
		assert_noop!(
			Channels::open(RuntimeOrigin::signed(alice()), bob(), 49),
			Error::<Test>::DepositTooLow
		);
		let id = open_alice_bob(50);
		assert_ok!(Channels::close(RuntimeOrigin::signed(alice()), id, None));
		assert_eq!(
			ChannelsStorage::<Test>::get(id).unwrap().phase,
			ChannelPhase::Closing { closed_at: 1, settle_from: 4 }
		);
	});
}

#[test]
fn set_params_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let params = ChannelParams { challenge_period: 3, min_deposit: 50 };
		assert_noop!(
			Channels::set_params(RuntimeOrigin::signed(alice()), params),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Channels::set_params(
				RuntimeOrigin::root(),
				ChannelParams { challenge_period: 0, min_deposit: 50 }
			),
			Error::<Test>::ChallengePeriodZero
		);
		assert_noop!(
			Channels::set_params(
				RuntimeOrigin::root(),
				ChannelParams { challenge_period: 3, min_deposit: 0 }
			),
			Error::<Test>::MinDepositZero
		);
	});
}

#[test]
fn genesis_sets_the_params() {
	ExtBuilder::default().challenge_period(25).build_and_execute(|| {
		assert_eq!(
			Params::<Test>::get(),
			ChannelParams { challenge_period: 25, min_deposit: MIN_DEPOSIT }
		);
	});
}
