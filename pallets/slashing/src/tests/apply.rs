//! Applying slashes: timing, the permissionless call, and where the money goes.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::{Pays, PostDispatchInfo},
	weights::Weight,
};
use sp_runtime::{DispatchError, Perbill, Percent};
use warden_primitives::{SlashInspect, SlashQueue};

use crate::{mock::*, Error, Event, PendingSlashes, VetoReason};

#[test]
fn a_slash_is_applied_exactly_at_apply_at_and_not_a_block_before() {
	ExtBuilder::default().defer_duration(7).build_and_execute(|| {
		run_to_block(3);
		let slash_id = propose(OPERATOR, REPORTER);
		let apply_at = PendingSlashes::<Test>::get(slash_id).unwrap().apply_at;
		assert_eq!(apply_at, 10);
		events();

		run_to_block(apply_at - 1);
		assert!(PendingSlashes::<Test>::contains_key(slash_id));
		assert!(Slashing::has_pending_slash(&OPERATOR));
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 10_000);
		assert_noop!(
			Slashing::apply_slash(RuntimeOrigin::signed(REPORTER), slash_id),
			Error::<Test>::NotDue
		);
		assert!(events().is_empty());

		next_block();
		assert_eq!(System::block_number(), apply_at);
		assert!(!PendingSlashes::<Test>::contains_key(slash_id));
		assert!(!Slashing::has_pending_slash(&OPERATOR));
		assert_eq!(MockOperators::total_stake_of(OPERATOR), 9_500);
	});
}

#[test]
fn application_pays_the_reporter_the_destination_and_returns_the_deposit() {
	ExtBuilder::default().reporter_reward(Perbill::from_percent(20)).build_and_execute(|| {
		MockOperators::delegate(DELEGATOR, OPERATOR, 10_000);
		let issuance = Balances::total_issuance();
		let reporter_before = free(REPORTER);
		let pot_before = free(SLASH_POT);
		let slash_id = Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_percent(25),
			Percent::from_percent(40),
		))
		.unwrap();
		events();
		run_to_block(11);

		// 25 % × 40 % × 20_000 = 2_000, half from the operator and half from the delegator;
		// the reporter's 20 % is of the operator's own 1_000 only.
		assert_eq!(
			events(),
			vec![
				Event::SlashApplied {
					slash_id,
					offender: OPERATOR,
					service: 7,
					stake: 20_000,
					amount: 2_000,
					taken: 2_000,
					reporter_reward: 200,
				},
				Event::ReportDepositReturned { slash_id, reporter: REPORTER, amount: 100 },
			]
		);
		assert_eq!(MockOperators::stake(OPERATOR).own, 9_000);
		assert_eq!(MockOperators::stake(OPERATOR).delegations.get(&DELEGATOR), Some(&9_000));
		assert_eq!(free(OPERATOR), INITIAL_BALANCE - 1_000);
		assert_eq!(free(DELEGATOR), INITIAL_BALANCE - 1_000);
		assert_eq!(free(REPORTER), reporter_before + 200);
		assert_eq!(held_deposit(REPORTER), 0);
		assert_eq!(free(SLASH_POT), pot_before + 1_800);
		// Nothing is minted or burnt: the slashed funds only moved.
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn the_reporter_is_paid_only_out_of_the_offenders_own_stake() {
	ExtBuilder::default().reporter_reward(Perbill::from_percent(10)).build_and_execute(|| {
		// Delegations a hundred times the operator's own 10_000 bond.
		MockOperators::delegate(DELEGATOR, OPERATOR, 1_000_000);
		let reporter_before = free(REPORTER);
		let pot_before = free(SLASH_POT);
		Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_percent(100),
			Percent::from_percent(100),
		))
		.unwrap();
		run_to_block(11);
		// Everything is taken; the reporter gets 10 % of the operator's own 10_000, and all
		// of the delegator's 1_000_000 goes to the destination.
		assert_eq!(free(REPORTER), reporter_before + 1_000);
		assert_eq!(free(SLASH_POT), pot_before + 9_000 + 1_000_000);
	});
}

#[test]
fn with_no_reporter_reward_everything_goes_to_the_destination() {
	ExtBuilder::default().reporter_reward(Perbill::zero()).build_and_execute(|| {
		let pot_before = free(SLASH_POT);
		let reporter_before = free(REPORTER);
		propose(OPERATOR, REPORTER);
		run_to_block(11);
		assert_eq!(free(SLASH_POT), pot_before + 500);
		assert_eq!(free(REPORTER), reporter_before);
	});
}

#[test]
fn the_reporter_reward_is_fixed_at_proposal() {
	ExtBuilder::default().reporter_reward(Perbill::from_percent(10)).build_and_execute(|| {
		let reporter_before = free(REPORTER);
		propose(OPERATOR, REPORTER);
		let mut params = Slashing::params();
		params.reporter_reward = Perbill::from_percent(50);
		assert_ok!(Slashing::set_params(RuntimeOrigin::root(), params));
		run_to_block(11);
		assert_eq!(free(REPORTER), reporter_before + 50);
	});
}

#[test]
fn a_slash_with_nothing_to_take_takes_nothing() {
	ExtBuilder::default().operators(vec![(OPERATOR, 1)]).build_and_execute(|| {
		// 10 % of 50 % of 1 rounds down to nothing.
		let slash_id = propose(OPERATOR, REPORTER);
		assert!(PendingSlashes::<Test>::get(slash_id).is_some_and(|s| s.positions.is_empty()));
		events();
		run_to_block(11);
		assert_eq!(
			events(),
			vec![
				Event::SlashApplied {
					slash_id,
					offender: OPERATOR,
					service: 7,
					stake: 1,
					amount: 0,
					taken: 0,
					reporter_reward: 0,
				},
				Event::ReportDepositReturned { slash_id, reporter: REPORTER, amount: 100 },
			]
		);
	});
}

#[test]
fn anyone_applies_an_overdue_slash_for_free() {
	// One slash per block, so the second one due at block 11 is left over.
	ExtBuilder::default().max_slashes_per_block(1).build_and_execute(|| {
		ObserverWeight::set(Weight::from_parts(3_000_000, 300));
		MockOperators::delegate(DELEGATOR, OTHER_OPERATOR, 1_000);
		let first = propose(OPERATOR, REPORTER);
		let second = propose(OTHER_OPERATOR, REPORTER);
		run_to_block(11);
		assert!(!PendingSlashes::<Test>::contains_key(first));
		assert!(PendingSlashes::<Test>::contains_key(second));
		events();

		let post = Slashing::apply_slash(RuntimeOrigin::signed(PAUPER), second).unwrap();
		// Two positions: what their benchmark measured plus the stake observer for each,
		// less than the worst case charged up front.
		let actual = <() as crate::WeightInfo>::apply_slash(2)
			.saturating_add(Weight::from_parts(6_000_000, 600));
		assert_eq!(post, PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::No });
		let charged = Slashing::apply_weight(MaxSlashedPositions::get(), false);
		assert!(charged.all_gte(actual));
		assert!(!PendingSlashes::<Test>::contains_key(second));
		assert_eq!(MockOperators::total_stake_of(OTHER_OPERATOR), 11_000 - 550);
		assert!(matches!(
			events().as_slice(),
			[Event::SlashApplied { slash_id, .. }, Event::ReportDepositReturned { .. }]
				if *slash_id == second
		));

		// The queue no longer has it: the next block applies nothing twice.
		next_block();
		assert!(events().is_empty());
	});
}

#[test]
fn apply_slash_errors_are_precise() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Slashing::apply_slash(RuntimeOrigin::signed(REPORTER), 0),
			Error::<Test>::UnknownSlash
		);
		let applied = propose(OPERATOR, REPORTER);
		let vetoed = propose(OPERATOR, REPORTER);
		let early = propose(OTHER_OPERATOR, REPORTER);
		assert_noop!(
			Slashing::apply_slash(RuntimeOrigin::signed(REPORTER), early),
			Error::<Test>::NotDue
		);
		assert_noop!(Slashing::apply_slash(RuntimeOrigin::none(), early), DispatchError::BadOrigin);
		assert_ok!(Slashing::veto(RuntimeOrigin::root(), vetoed, VetoReason::Pardoned));
		assert_noop!(
			Slashing::apply_slash(RuntimeOrigin::signed(REPORTER), vetoed),
			Error::<Test>::AlreadyVetoed
		);
		run_to_block(11);
		assert_noop!(
			Slashing::apply_slash(RuntimeOrigin::signed(REPORTER), applied),
			Error::<Test>::AlreadyApplied
		);
	});
}
