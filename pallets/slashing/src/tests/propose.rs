//! Proposing a slash through `SlashQueue`.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::{Perbill, Percent};
use warden_primitives::{SlashQueue, SlashReason};

use crate::{
	mock::*, Error, Event, NextSlashId, PendingSlash, PendingSlashCount, PendingSlashes,
	ReportDeposits,
};

#[test]
fn propose_records_a_pending_slash_and_holds_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let before = free(REPORTER);
		let slash_id = Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_percent(10),
			Percent::from_percent(50),
		))
		.unwrap();

		assert_eq!(slash_id, 0);
		assert_eq!(NextSlashId::<Test>::get(), 1);
		assert_eq!(
			PendingSlashes::<Test>::get(slash_id),
			Some(PendingSlash {
				offender: OPERATOR,
				service: 7,
				blueprint: 3,
				fraction: Perbill::from_percent(10),
				exposure: Percent::from_percent(50),
				stake: 10_000,
				positions: vec![(OPERATOR, 500)].try_into().unwrap(),
				reporter: REPORTER,
				deposit: 100,
				reporter_reward: Perbill::from_percent(10),
				reason: SlashReason::JobMisbehaviour { call_id: 42 },
				evidence: proposal(OPERATOR, REPORTER, Perbill::zero(), Percent::zero()).evidence,
				offence_at: 1,
				proposed_at: 1,
				apply_at: 11,
				dispute: None,
			})
		);
		assert_eq!(queued_at(11), vec![0]);
		assert_eq!(PendingSlashCount::<Test>::get(OPERATOR), 1);
		assert_eq!(ReportDeposits::<Test>::get(REPORTER), 100);
		assert_eq!(held_deposit(REPORTER), 100);
		assert_eq!(free(REPORTER), before - 100);
		assert_eq!(
			events(),
			vec![Event::SlashProposed {
				slash_id: 0,
				offender: OPERATOR,
				service: 7,
				blueprint: 3,
				fraction: Perbill::from_percent(10),
				exposure: Percent::from_percent(50),
				stake: 10_000,
				amount: 500,
				reporter: REPORTER,
				deposit: 100,
				reason: SlashReason::JobMisbehaviour { call_id: 42 },
				offence_at: 1,
				apply_at: 11,
			}]
		);
	});
}

#[test]
fn proposals_get_increasing_ids_and_queue_in_id_order() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(propose(OPERATOR, REPORTER), 0);
		assert_eq!(propose(OTHER_OPERATOR, REPORTER), 1);
		assert_eq!(propose(OPERATOR, OTHER_REPORTER), 2);
		assert_eq!(queued_at(11), vec![0, 1, 2]);
		assert_eq!(PendingSlashCount::<Test>::get(OPERATOR), 2);
		assert_eq!(PendingSlashCount::<Test>::get(OTHER_OPERATOR), 1);
		assert_eq!(ReportDeposits::<Test>::get(REPORTER), 200);
		assert_eq!(held_deposit(REPORTER), 200);

		next_block();
		assert_eq!(propose(OPERATOR, REPORTER), 3);
		assert_eq!(queued_at(12), vec![3]);
	});
}

#[test]
fn zero_fraction_or_exposure_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Slashing::propose(proposal(
				OPERATOR,
				REPORTER,
				Perbill::zero(),
				Percent::from_percent(50)
			)),
			Error::<Test>::NothingToSlash
		);
		assert_noop!(
			Slashing::propose(proposal(
				OPERATOR,
				REPORTER,
				Perbill::from_percent(5),
				Percent::zero()
			)),
			Error::<Test>::NothingToSlash
		);
	});
}

#[test]
fn an_operator_cannot_report_itself() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Slashing::propose(proposal(
				OPERATOR,
				OPERATOR,
				Perbill::from_percent(10),
				Percent::from_percent(50)
			)),
			Error::<Test>::SelfReport
		);
	});
}

#[test]
fn only_accounts_with_slashable_stake_can_be_reported() {
	ExtBuilder::default()
		.operators(vec![(OPERATOR, 10_000), (OTHER_OPERATOR, 0)])
		.build_and_execute(|| {
			for offender in [DELEGATOR, OTHER_OPERATOR] {
				assert_noop!(
					Slashing::propose(proposal(
						offender,
						REPORTER,
						Perbill::from_percent(10),
						Percent::from_percent(50)
					)),
					Error::<Test>::NoSlashableStake
				);
			}
		});
}

#[test]
fn dust_fractions_are_refused() {
	ExtBuilder::default().params(|p| p.min_fraction = Perbill::from_percent(2)).build_and_execute(
		|| {
			assert_noop!(
				Slashing::propose(proposal(
					OPERATOR,
					REPORTER,
					Perbill::from_parts(19_999_999),
					Percent::from_percent(50)
				)),
				Error::<Test>::FractionBelowMinimum
			);
			assert_ok!(Slashing::propose(proposal(
				OPERATOR,
				REPORTER,
				Perbill::from_percent(2),
				Percent::from_percent(50)
			)));
		},
	);
}

#[test]
fn the_deposit_grows_with_what_the_report_may_take() {
	ExtBuilder::default()
		.params(|p| p.deposit_per_slashed = Perbill::from_percent(10))
		.build_and_execute(|| {
			// 10 % of a 50 % exposure of 10,000 may take 500: the deposit is 100 + 50.
			let small = propose(OPERATOR, REPORTER);
			assert_eq!(PendingSlashes::<Test>::get(small).map(|s| s.deposit), Some(150));
			// All of it may take 10,000: 100 + 1,000.
			let large = Slashing::propose(proposal(
				OPERATOR,
				OTHER_REPORTER,
				Perbill::one(),
				Percent::from_percent(100),
			))
			.unwrap();
			assert_eq!(PendingSlashes::<Test>::get(large).map(|s| s.deposit), Some(1_100));
			assert_eq!(held_deposit(OTHER_REPORTER), 1_100);
		});
}

#[test]
fn an_operator_with_more_positions_than_a_slash_records_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// The mock records at most 8 positions: the operator and 7 delegators fit.
		for delegator in 20..27 {
			MockOperators::delegate(delegator, OPERATOR, 100);
		}
		assert_ok!(Slashing::propose(proposal(
			OPERATOR,
			REPORTER,
			Perbill::from_percent(10),
			Percent::from_percent(50)
		)));
		MockOperators::delegate(27, OPERATOR, 100);
		assert_noop!(
			Slashing::propose(proposal(
				OPERATOR,
				REPORTER,
				Perbill::from_percent(10),
				Percent::from_percent(50)
			)),
			Error::<Test>::TooManyPositions
		);
	});
}

#[test]
fn a_reporter_who_cannot_pay_the_deposit_is_refused() {
	ExtBuilder::default().report_deposit(2_000_000).build_and_execute(|| {
		assert_noop!(
			Slashing::propose(proposal(
				OPERATOR,
				REPORTER,
				Perbill::from_percent(10),
				Percent::from_percent(50)
			)),
			Error::<Test>::CannotHoldDeposit
		);
	});
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Slashing::propose(proposal(
				OPERATOR,
				PAUPER,
				Perbill::from_percent(10),
				Percent::from_percent(50)
			)),
			Error::<Test>::CannotHoldDeposit
		);
	});
}

#[test]
fn a_busy_due_block_never_refuses_a_proposal() {
	ExtBuilder::default().build_and_execute(|| {
		// More than the 1,000 one block could once take.
		for _ in 0..1_500 {
			propose(OPERATOR, REPORTER);
		}
		assert_ok!(Slashing::propose(proposal(
			OTHER_OPERATOR,
			OTHER_REPORTER,
			Perbill::from_percent(10),
			Percent::from_percent(50)
		)));
		assert_eq!(queued_at(11), (0..1_501).collect::<Vec<_>>());
	});
}

#[test]
fn positions_are_asked_for_the_offences_blueprint_and_block() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(30);
		let mut offence =
			proposal(OPERATOR, REPORTER, Perbill::from_percent(10), Percent::from_percent(50));
		offence.offence_at = 12;
		let slash_id = Slashing::propose(offence).unwrap();
		assert_eq!(MockOperators::last_query(), Some((OPERATOR, 3, 12)));
		let pending = PendingSlashes::<Test>::get(slash_id).unwrap();
		assert_eq!((pending.offence_at, pending.proposed_at), (12, 30));
	});
}

#[test]
fn an_offence_older_than_the_age_cap_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// The mock's cap is 50 blocks.
		System::set_block_number(100);
		let at = |offence_at| {
			let mut p =
				proposal(OPERATOR, REPORTER, Perbill::from_percent(10), Percent::from_percent(50));
			p.offence_at = offence_at;
			p
		};
		assert_noop!(Slashing::propose(at(49)), Error::<Test>::OffenceTooOld);
		assert_ok!(Slashing::propose(at(50)));
	});
}

#[test]
fn an_offence_in_a_future_block_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let mut p =
			proposal(OPERATOR, REPORTER, Perbill::from_percent(10), Percent::from_percent(50));
		p.offence_at = System::block_number() + 1;
		assert_noop!(Slashing::propose(p), Error::<Test>::OffenceInFuture);
	});
}
