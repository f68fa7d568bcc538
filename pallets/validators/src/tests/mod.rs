//! The validator set's calls, its session hook and its offence handler.

mod proptest;

use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;
use sp_runtime::{DispatchError, Perbill};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

use crate::{
	mock::*, Error, Event, MinValidators, MinimumPeriod, SessionPeriod, SetChanged, SlotDuration,
	Validators,
};
use frame_support::traits::Get;

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

#[test]
fn genesis_sets_the_set_the_minimum_and_the_session_length() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(ValidatorSet::target(), GENESIS.to_vec());
		assert_eq!(MinValidators::<Test>::get(), 2);
		assert_eq!(<SessionPeriod<Test> as frame_support::traits::Get<u64>>::get(), SESSION_LENGTH);
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(GENESIS.to_vec()));
		assert_eq!(ValidatorSet::new_session_genesis(1), Some(GENESIS.to_vec()));
	});
}

#[test]
fn a_genesis_without_a_slot_length_keeps_the_default() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(SlotDuration::<Test>::get(), None);
		assert_eq!(ValidatorSet::slot_duration(), DEFAULT_SLOT_DURATION);
		assert_eq!(MinimumPeriod::<Test>::get(), DEFAULT_SLOT_DURATION / 2);
	});
}

#[test]
fn genesis_may_choose_the_slot_length() {
	ExtBuilder::default().slot_duration(2000).build_and_execute(|| {
		assert_eq!(SlotDuration::<Test>::get(), Some(2000));
		assert_eq!(ValidatorSet::slot_duration(), 2000);
		assert_eq!(MinimumPeriod::<Test>::get(), 1000);
	});
}

#[test]
#[should_panic(expected = "non-zero even number")]
fn genesis_refuses_a_zero_slot_length() {
	ExtBuilder::default().slot_duration(0).build();
}

#[test]
#[should_panic(expected = "non-zero even number")]
fn genesis_refuses_an_odd_slot_length() {
	ExtBuilder::default().slot_duration(1001).build();
}

#[test]
fn try_state_refuses_an_odd_slot_length() {
	ExtBuilder::default().build().execute_with(|| {
		SlotDuration::<Test>::put(7);
		assert!(ValidatorSet::do_try_state().is_err());
	});
}

#[test]
#[should_panic(expected = "fewer validators than the minimum")]
fn genesis_refuses_a_set_below_the_minimum() {
	ExtBuilder::default().validators(vec![1]).min(2).build();
}

#[test]
#[should_panic(expected = "listed twice")]
fn genesis_refuses_duplicates() {
	ExtBuilder::default().validators(vec![1, 1]).min(1).build();
}

#[test]
#[should_panic(expected = "at least one")]
fn genesis_refuses_a_zero_minimum() {
	ExtBuilder::default().min(0).build();
}

#[test]
fn add_validator_appends_and_marks_the_set_changed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::add_validator(root(), 10));
		assert_eq!(ValidatorSet::target(), vec![1, 2, 3, 10]);
		assert!(SetChanged::<Test>::get());
		assert_eq!(events(), vec![Event::ValidatorAdded { who: 10 }]);
	});
}

#[test]
fn add_validator_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(1), 10),
			DispatchError::BadOrigin
		);
		assert_noop!(ValidatorSet::add_validator(root(), 2), Error::<Test>::AlreadyValidator);
		assert_noop!(ValidatorSet::add_validator(root(), 99), Error::<Test>::NoSessionKeys);
		for who in 10..10 + (MAX_VALIDATORS - GENESIS.len() as u32) as u64 {
			assert_ok!(ValidatorSet::add_validator(root(), who));
		}
		assert_noop!(ValidatorSet::add_validator(root(), 19), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn remove_validator_removes_and_keeps_the_order() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(root(), 2));
		assert_eq!(ValidatorSet::target(), vec![1, 3]);
		assert!(SetChanged::<Test>::get());
		assert_eq!(events(), vec![Event::ValidatorRemoved { who: 2 }]);
	});
}

#[test]
fn remove_validator_refuses_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(ValidatorSet::remove_validator(root(), 10), Error::<Test>::NotValidator);
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		// Two left, the minimum.
		assert_noop!(ValidatorSet::remove_validator(root(), 1), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn the_minimum_counts_only_validators_with_session_keys() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::set_min_validators(root(), 2));
		// Validator 2 purges its keys: the session pallet will leave it out.
		KeyHolders::mutate(|holders| holders.retain(|who| *who != 2));
		// Governance can still remove it (it doesn't count), but not 3 (2 with keys left
		// would be 1).
		assert_noop!(ValidatorSet::remove_validator(root(), 3), Error::<Test>::TooFewValidators);
		assert_ok!(ValidatorSet::remove_validator(root(), 2));
		assert_eq!(ValidatorSet::target(), vec![1, 3]);
		// Nor can the minimum exceed the validators with keys.
		KeyHolders::mutate(|holders| holders.retain(|who| *who != 3));
		assert_noop!(ValidatorSet::set_min_validators(root(), 2), Error::<Test>::MinAboveSet);
		assert_ok!(ValidatorSet::set_min_validators(root(), 1));
	});
}

#[test]
fn set_min_validators_checks_its_bounds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::set_min_validators(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(ValidatorSet::set_min_validators(root(), 0), Error::<Test>::MinValidatorsZero);
		assert_noop!(ValidatorSet::set_min_validators(root(), 4), Error::<Test>::MinAboveSet);
		assert_ok!(ValidatorSet::set_min_validators(root(), 3));
		assert_eq!(MinValidators::<Test>::get(), 3);
		assert_eq!(events(), vec![Event::MinValidatorsSet { min: 3 }]);
		assert_noop!(ValidatorSet::remove_validator(root(), 1), Error::<Test>::TooFewValidators);
		assert_ok!(ValidatorSet::set_min_validators(root(), 1));
		assert_ok!(ValidatorSet::remove_validator(root(), 1));
		assert_ok!(ValidatorSet::remove_validator(root(), 2));
		assert_eq!(ValidatorSet::target(), vec![3]);
	});
}

#[test]
fn a_session_boundary_takes_the_set_only_when_it_changed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(ValidatorSet::new_session(2), None);
		assert_ok!(ValidatorSet::add_validator(root(), 10));
		assert_ok!(ValidatorSet::remove_validator(root(), 1));
		events();
		assert_eq!(ValidatorSet::new_session(3), Some(vec![2, 3, 10]));
		assert_eq!(events(), vec![Event::ValidatorSetQueued { active_from: 3, validators: 3 }]);
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ValidatorSet::new_session(4), None);
		assert!(events().is_empty());
	});
}

#[test]
fn offences_are_recorded_in_events() {
	ExtBuilder::default().build_and_execute(|| {
		let offenders = [
			OffenceDetails { offender: (2u64, ()), reporters: vec![] },
			OffenceDetails { offender: (3u64, ()), reporters: vec![1] },
		];
		let _ = <ValidatorSet as OnOffenceHandler<u64, (u64, ()), _>>::on_offence(
			&offenders,
			&[Perbill::from_percent(5)],
			7,
		);
		assert_eq!(
			events(),
			vec![
				Event::OffenceReported {
					validator: 2,
					session: 7,
					fraction: Perbill::from_percent(5)
				},
				Event::OffenceReported { validator: 3, session: 7, fraction: Perbill::zero() },
			]
		);
		// Each offender is disabled for the rest of the session; the set doesn't change:
		// governance decides.
		assert_eq!(Disabled::get(), vec![2, 3]);
		assert_eq!(Validators::<Test>::get().into_inner(), GENESIS.to_vec());
	});
}
