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
