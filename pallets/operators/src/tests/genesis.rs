//! Genesis: parameters, operators and delegations, with their funds held.

use crate::{mock::*, HoldReason, Params};

#[test]
fn genesis_holds_operator_bonds_and_delegations() {
	ExtBuilder::default()
		.operator(ALICE, 1_000)
		.operator(BOB, 500)
		.delegation(CHARLIE, ALICE, 100)
		.delegation(DAVE, ALICE, 200)
		.delegation(DAVE, BOB, 300)
		.build_and_execute(|| {
			assert_eq!(Params::<Test>::get(), default_params());
			assert_eq!(crate::OperatorCount::<Test>::get(), 2);
			assert_eq!(held(HoldReason::OperatorBond, ALICE), 1_000);
			assert_eq!(held(HoldReason::OperatorBond, BOB), 500);
			assert_eq!(held(HoldReason::Delegation, CHARLIE), 100);
			assert_eq!(held(HoldReason::Delegation, DAVE), 500);
			assert_eq!(crate::DelegationTotals::<Test>::get(ALICE).delegators, 2);
			assert_eq!(crate::DelegationsOf::<Test>::get(DAVE).to_vec(), vec![ALICE, BOB]);
			// The stake observer heard about genesis stake too.
			assert_eq!(ObservedStake::get().len(), 5);
		});
}

#[test]
#[should_panic(expected = "invalid params")]
fn genesis_refuses_an_unbonding_delay_within_the_defer_window() {
	ExtBuilder::default().defer_duration(UNBONDING_DELAY).build();
}

#[test]
#[should_panic(expected = "invalid params")]
fn genesis_refuses_a_zero_minimum() {
	ExtBuilder::default().params(|p| p.min_delegation = 0).build();
}

#[test]
#[should_panic(expected = "can't join")]
fn genesis_refuses_an_operator_below_the_minimum_bond() {
	ExtBuilder::default().operator(ALICE, MIN_BOND - 1).build();
}

#[test]
#[should_panic(expected = "can't delegate")]
fn genesis_refuses_a_delegation_to_a_non_operator() {
	ExtBuilder::default().delegation(BOB, ALICE, 100).build();
}

#[test]
fn default_genesis_config_is_valid_without_a_defer_window_beyond_ten_blocks() {
	let config = crate::GenesisConfig::<Test>::default();
	assert!(config.operators.is_empty() && config.delegations.is_empty());
	sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(Operators::ensure_valid_params(&config.params), Ok(()));
	});
}
