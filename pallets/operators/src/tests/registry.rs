//! What other pallets read through `OperatorRegistry`, and the runtime API functions.

use frame_support::{assert_ok, dispatch::GetDispatchInfo, weights::Weight};
use warden_primitives::{
	DelegationInfo, OperatorInfo, OperatorRegistry, OperatorState, UnbondingChunk,
};

use sp_runtime::traits::Dispatchable;

use crate::{mock::*, Call, WeightInfo};

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
			assert_eq!(Registry::stake_change_weight(), OBSERVER_WEIGHT);
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
					min_delegation: MIN_DELEGATION,
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
						blueprints: None,
					},
					DelegationInfo {
						operator: BOB,
						amount: 40,
						unbonding: vec![],
						blueprints: None
					},
				]
			);
			assert!(Operators::delegations_of(&ALICE).is_empty());
			assert_eq!(Operators::exit_bond(&ALICE), None);
			assert_eq!(Operators::operator_params(), default_params());
		});
}

/// Runs `call` as `who` and checks that its charged weight covers the benchmarked weight
/// plus the stake observer's weight for every observer call it made.
fn charges_the_observer(who: AccountId, call: Call<Test>, benchmarked: Weight) -> u32 {
	let charged = RuntimeCall::Operators(call.clone()).get_dispatch_info().call_weight;
	ObserverCalls::set(0);
	assert_ok!(RuntimeCall::Operators(call.clone()).dispatch(signed(who)));
	let observed = ObserverCalls::get();
	let used = benchmarked.saturating_add(OBSERVER_WEIGHT.saturating_mul(observed.into()));
	assert!(charged.all_gte(used), "{call:?} charges {charged} for {used}");
	observed
}

#[test]
fn stake_changing_calls_charge_the_observer_for_every_position_they_change() {
	ExtBuilder::default().operator(BOB, MIN_BOND).build_and_execute(|| {
		type W = ();
		assert_eq!(
			charges_the_observer(ALICE, Call::join_operators { bond: 500 }, W::join_operators()),
			1
		);
		charges_the_observer(ALICE, Call::bond_more { amount: 10 }, W::bond_more());
		charges_the_observer(
			ALICE,
			Call::schedule_bond_less { amount: 10 },
			W::schedule_bond_less(),
		);
		charges_the_observer(ALICE, Call::cancel_bond_less { amount: 10 }, W::cancel_bond_less());
		for who in [CHARLIE, DAVE, EVE, FERDIE] {
			charges_the_observer(
				who,
				Call::delegate { operator: ALICE, amount: MIN_DELEGATION },
				W::delegate(),
			);
		}
		charges_the_observer(
			CHARLIE,
			Call::schedule_undelegate { operator: ALICE, amount: MIN_DELEGATION },
			W::schedule_undelegate(),
		);
		charges_the_observer(
			CHARLIE,
			Call::cancel_undelegate { operator: ALICE, amount: MIN_DELEGATION },
			W::cancel_undelegate(),
		);
		assert_ok!(Operators::schedule_leave(signed(ALICE)));
		advance(LEAVE_DELAY);
		// The exit tells the observer about the bond and every active delegation.
		assert_eq!(charges_the_observer(ALICE, Call::execute_leave {}, W::execute_leave()), 5);
	});
}
