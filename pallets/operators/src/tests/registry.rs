//! What other pallets read through `OperatorRegistry`, and the runtime API functions.

use frame_support::assert_ok;
use warden_primitives::{
	DelegationInfo, OperatorInfo, OperatorRegistry, OperatorState, UnbondingChunk,
};

use crate::{mock::*, WeightInfo};

type Registry = Operators;

#[test]
fn the_registry_reports_state_and_stake_unbonding_included() {
	ExtBuilder::default()
		.operator(ALICE, 500)
		.delegation(BOB, ALICE, 100)
		.delegation(CHARLIE, ALICE, 50)
		.build_and_execute(|| {
			assert_ok!(Operators::schedule_bond_less(signed(ALICE), 100));
			assert_ok!(Operators::schedule_undelegate(signed(BOB), ALICE, 100));

			assert_eq!(Registry::state(&ALICE), Some(OperatorState::Active));
			assert_eq!(Registry::state(&BOB), None);
			assert!(Registry::is_active(&ALICE));
			assert!(!Registry::is_active(&BOB));
			assert_eq!(Registry::own_stake(&ALICE), 500);
			assert_eq!(Registry::delegated_stake(&ALICE), 150);
			assert_eq!(Registry::total_stake(&ALICE), 650);
			assert_eq!(Registry::own_stake(&EVE), 0);
			assert_eq!(Registry::total_stake(&EVE), 0);
			// Active stake only, the operator first; Bob has nothing active left.
			assert_eq!(Registry::stake_positions(&ALICE), vec![(ALICE, 400), (CHARLIE, 50)]);
			assert!(Registry::stake_positions(&EVE).is_empty());
			assert_eq!(Registry::unbonding_delay(), BOND_LESS_DELAY.min(UNBONDING_DELAY));
			assert_eq!(Registry::slash_weight(), <() as WeightInfo>::slash());
		});
}

#[test]
fn the_runtime_api_reports_operators_and_delegations() {
	ExtBuilder::default()
		.operator(ALICE, 500)
		.operator(BOB, 300)
		.delegation(CHARLIE, ALICE, 100)
		.delegation(CHARLIE, BOB, 40)
		.build_and_execute(|| {
			assert_ok!(Operators::schedule_bond_less(signed(ALICE), 100));
			assert_ok!(Operators::schedule_undelegate(signed(CHARLIE), ALICE, 30));
			assert_eq!(
				Operators::operator_info(&ALICE),
				Some(OperatorInfo {
					state: OperatorState::Active,
					bond: 400,
					unbonding: vec![UnbondingChunk { amount: 100, unlock_at: 1 + BOND_LESS_DELAY }],
					delegated_active: 70,
					delegated_unbonding: 30,
					delegator_count: 1,
					total_stake: 600,
				})
			);
			assert_eq!(Operators::operator_info(&CHARLIE), None);
			assert_eq!(
				Operators::delegations_of(&CHARLIE),
				vec![
					DelegationInfo {
						operator: ALICE,
						amount: 70,
						unbonding: vec![UnbondingChunk {
							amount: 30,
							unlock_at: 1 + UNBONDING_DELAY
						}],
					},
					DelegationInfo { operator: BOB, amount: 40, unbonding: vec![] },
				]
			);
			assert!(Operators::delegations_of(&ALICE).is_empty());
			assert_eq!(Operators::operator_params(), default_params());
		});
}
