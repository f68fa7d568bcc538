//! Operators on the real runtime: join → delegate → leave → reclaim (the exit bond and the
//! delegation after the unbonding delay), with real signed transactions from the dev keys.

use pallet_warden_operators::{Call as OperatorsCall, Delegations, HoldReason, Operators};
use sp_keyring::Sr25519Keyring::{Alice, Charlie, Eve, Ferdie};
use warden_runtime::{Runtime, System, UNIT};
use warden_tests::runtime::*;

fn params() -> warden_primitives::OperatorParams<Balance, u32> {
	pallet_warden_operators::Params::<Runtime>::get()
}

#[test]
fn development_genesis_has_demo_operators_and_delegations() {
	dev_ext().execute_with(|| {
		let alice = account(Alice);
		assert!(Operators::<Runtime>::contains_key(&alice));
		assert_eq!(held(&alice, HoldReason::OperatorBond), 10_000 * UNIT);
		assert!(Delegations::<Runtime>::contains_key(&alice, account(Charlie)));
		assert_eq!(held(&account(Charlie), HoldReason::Delegation), 1_000 * UNIT);
		// Development durations are tens of blocks.
		assert!(params().leave_delay < 100 && params().unbonding_delay < 100);
	});
}

#[test]
fn join_delegate_leave_reclaim() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (eve, ferdie) = (account(Eve), account(Ferdie));
		let bond = params().min_operator_bond;
		let stake = 3 * params().min_delegation;
		let ferdie_before = free_balance(&ferdie);

		submit_ok(Eve, OperatorsCall::<Runtime>::join_operators { bond });
		submit_ok(
			Ferdie,
			OperatorsCall::<Runtime>::delegate { operator: eve.clone(), amount: stake },
		);
		assert_eq!(held(&ferdie, HoldReason::Delegation), stake);

		submit_ok(Eve, OperatorsCall::<Runtime>::schedule_leave {});
		// Too early: the leave delay hasn't passed.
		let early = submit_err(Eve, OperatorsCall::<Runtime>::execute_leave {});
		assert_eq!(
			early,
			pallet_warden_operators::Error::<Runtime>::LeaveNotDue.into(),
			"{early:?}"
		);

		run_to_block(System::block_number() + params().leave_delay);
		submit_ok(Eve, OperatorsCall::<Runtime>::execute_leave {});
		assert!(!Operators::<Runtime>::contains_key(&eve));
		// The bond and the delegation are unbonding, still held and slashable.
		assert_eq!(held(&eve, HoldReason::OperatorBond), bond);
		assert_eq!(held(&ferdie, HoldReason::Delegation), stake);

		run_to_block(System::block_number() + params().unbonding_delay);
		submit_ok(Eve, OperatorsCall::<Runtime>::release_exit_bond {});
		assert_eq!(held(&eve, HoldReason::OperatorBond), 0, "the bond is released");
		submit_ok(Ferdie, OperatorsCall::<Runtime>::execute_undelegate { operator: eve.clone() });
		assert_eq!(held(&ferdie, HoldReason::Delegation), 0);
		assert!(!Delegations::<Runtime>::contains_key(&eve, &ferdie));
		// Ferdie has everything back, less the fees of his two transactions.
		let fees = ferdie_before - free_balance(&ferdie);
		assert!(fees < UNIT, "only fees were spent: {fees}");
		pallet_warden_operators::Pallet::<Runtime>::do_try_state().expect("invariants hold");
	});
}

/// Squatters fill every delegator slot of an operator with the chain's minimum delegation,
/// so that no one else can delegate to it. The operator raises its own minimum and evicts
/// them: their stake moves into unbonding (nothing is slashed or lost) and the slots are
/// free for a real delegator.
#[test]
fn an_operator_evicts_squatters_of_its_delegator_slots() {
	use frame_support::traits::Get;
	use sp_core::Pair;
	dev_ext().execute_with(|| {
		initialize_block(1);
		let operator = account(Ferdie);
		submit_ok(Ferdie, OperatorsCall::<Runtime>::join_operators { bond: 1_000 * UNIT });
		let slots = <Runtime as pallet_warden_operators::Config>::MaxDelegatorsPerOperator::get();
		let min = params().min_delegation;
		let squatters: Vec<sp_core::sr25519::Pair> = (0..slots)
			.map(|i| sp_core::sr25519::Pair::from_string(&format!("//Squatter/{i}"), None))
			.collect::<Result<_, _>>()
			.expect("keys");
		for key in &squatters {
			let who: AccountId = key.public().into();
			submit_ok(
				Alice,
				warden_runtime::BalancesCall::transfer_keep_alive {
					dest: who.into(),
					value: min + 10 * UNIT,
				},
			);
			let call =
				OperatorsCall::<Runtime>::delegate { operator: operator.clone(), amount: min };
			let outcome = apply(signed_by(key, call.into())).expect("valid");
			assert!(outcome.is_ok(), "{outcome:?}");
		}
		let genuine =
			OperatorsCall::<Runtime>::delegate { operator: operator.clone(), amount: 5_000 * UNIT };
		assert_eq!(
			submit_err(Eve, genuine.clone()),
			pallet_warden_operators::Error::<Runtime>::TooManyDelegators.into()
		);

		// The operator asks for more than the squatters hold and evicts one of them.
		submit_ok(
			Ferdie,
			OperatorsCall::<Runtime>::set_min_delegation { min_delegation: 1_000 * UNIT },
		);
		let squatter: AccountId = squatters[0].public().into();
		submit_ok(
			Ferdie,
			OperatorsCall::<Runtime>::evict_delegation { delegator: squatter.clone() },
		);
		let evicted = Delegations::<Runtime>::get(&operator, &squatter).expect("unbonding");
		assert_eq!((evicted.amount, evicted.total()), (0, min));
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			warden_runtime::RuntimeEvent::Operators(
				pallet_warden_operators::Event::DelegationEvicted { delegator, amount, .. }
			) if *delegator == squatter && *amount == min
		)));
		// The slot is free for a real delegator.
		let eve_held = held(&account(Eve), HoldReason::Delegation);
		submit_ok(Eve, genuine);
		assert_eq!(held(&account(Eve), HoldReason::Delegation), eve_held + 5_000 * UNIT);
		pallet_warden_operators::Pallet::<Runtime>::do_try_state().expect("operators invariants");
	});
}
