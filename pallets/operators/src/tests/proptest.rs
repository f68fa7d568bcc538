//! Random call sequences, with every invariant checked after each step.

use frame_support::traits::Imbalance;
use proptest::prelude::*;
use warden_primitives::{OperatorParams, OperatorRegistry};

use crate::{features::slashing::proportional_shares, mock::*};

/// One step of a random scenario.
#[derive(Clone, Debug)]
enum Step {
	Join(AccountId, Balance),
	GoOffline(AccountId),
	GoOnline(AccountId),
	ScheduleLeave(AccountId),
	CancelLeave(AccountId),
	ExecuteLeave(AccountId),
	BondMore(AccountId, Balance),
	ScheduleBondLess(AccountId, Balance),
	ExecuteBondLess(AccountId),
	CancelBondLess(AccountId, Balance),
	Delegate(AccountId, AccountId, Balance),
	/// `delegate_with_selection` naming these blueprints (all of them if `None`), in the
	/// order given: an unordered or empty list is refused.
	DelegateWithSelection(AccountId, AccountId, Balance, Option<Vec<u64>>),
	ScheduleUndelegate(AccountId, AccountId, Balance),
	ExecuteUndelegate(AccountId, AccountId),
	CancelUndelegate(AccountId, AccountId, Balance),
	/// `schedule_undelegate` of a percentage of the active stake of the delegation the
	/// selector picks among existing ones.
	ScheduleUndelegateExisting(usize, u8),
	/// `execute_undelegate` on the delegation the selector picks among existing ones.
	ExecuteUndelegateExisting(usize),
	/// `cancel_undelegate` of a percentage of the unbonding stake of the delegation the
	/// selector picks among existing ones.
	CancelUndelegateExisting(usize, u8),
	SetParams(OperatorParams<Balance, u64>),
	ReleaseExitBond(AccountId),
	SetMinDelegation(AccountId, Balance),
	/// A slash of a percentage (up to 110) of every position of the operator slashable for
	/// an offence in a blueprint some blocks ago.
	Slash(AccountId, u8, u64, u64),
	/// A slash of each position of the operator but a few units, where rounding matters
	/// most.
	SlashAllBut(AccountId, Balance),
	Advance(u64),
	ToggleBusy(AccountId),
	ToggleRegistered(AccountId),
	/// Pending slashes against the operator hold back a percentage of the staker's position
	/// (0 removes the hold).
	HoldBack(AccountId, AccountId, u8),
}

/// Accounts that are, or may become, operators.
fn operator() -> impl Strategy<Value = AccountId> {
	1..=4u64
}

/// Accounts that delegate (some of them operators too).
fn delegator() -> impl Strategy<Value = AccountId> {
	2..=6u64
}

/// Amounts around the minimums (100 for a bond, 10 for a delegation) and the genesis
/// stakes, sometimes zero or more than anyone has.
fn amount() -> impl Strategy<Value = Balance> {
	prop_oneof![
		4 => 1..=60u128,
		3 => 0..=400u128,
		1 => Just(0u128),
		1 => Just(INITIAL_BALANCE + 1),
	]
}

fn params() -> impl Strategy<Value = OperatorParams<Balance, u64>> {
	(0..=8u64, 1..=15u64, 1..=15u64, 0..=150u128, 0..=20u128).prop_map(
		|(leave_delay, bond_less_delay, unbonding_delay, min_operator_bond, min_delegation)| {
			OperatorParams {
				leave_delay,
				bond_less_delay,
				unbonding_delay,
				min_operator_bond,
				min_delegation,
			}
		},
	)
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		2 => (operator(), amount()).prop_map(|(a, b)| Step::Join(a, b)),
		1 => operator().prop_map(Step::GoOffline),
		1 => operator().prop_map(Step::GoOnline),
		1 => operator().prop_map(Step::ScheduleLeave),
		1 => operator().prop_map(Step::CancelLeave),
		2 => operator().prop_map(Step::ExecuteLeave),
		1 => (operator(), amount()).prop_map(|(a, b)| Step::BondMore(a, b)),
		2 => (operator(), amount()).prop_map(|(a, b)| Step::ScheduleBondLess(a, b)),
		2 => operator().prop_map(Step::ExecuteBondLess),
		2 => (operator(), amount()).prop_map(|(a, b)| Step::CancelBondLess(a, b)),
		4 => (delegator(), operator(), amount()).prop_map(|(a, b, c)| Step::Delegate(a, b, c)),
		3 => (
			delegator(),
			operator(),
			amount(),
			proptest::option::of(proptest::collection::vec(0..=3u64, 0..=3)),
		)
			.prop_map(|(a, b, c, d)| Step::DelegateWithSelection(a, b, c, d)),
		4 => (delegator(), operator(), amount())
			.prop_map(|(a, b, c)| Step::ScheduleUndelegate(a, b, c)),
		3 => (delegator(), operator()).prop_map(|(a, b)| Step::ExecuteUndelegate(a, b)),
		2 => (delegator(), operator(), amount())
			.prop_map(|(a, b, c)| Step::CancelUndelegate(a, b, c)),
		4 => (any::<usize>(), 0..=110u8).prop_map(|(a, b)| Step::ScheduleUndelegateExisting(a, b)),
		3 => any::<usize>().prop_map(Step::ExecuteUndelegateExisting),
		2 => (any::<usize>(), 0..=110u8).prop_map(|(a, b)| Step::CancelUndelegateExisting(a, b)),
		1 => params().prop_map(Step::SetParams),
		2 => operator().prop_map(Step::ReleaseExitBond),
		1 => (operator(), amount()).prop_map(|(a, b)| Step::SetMinDelegation(a, b)),
		2 => (operator(), 0..=110u8, 0..=3u64, 0..=12u64)
			.prop_map(|(a, b, c, d)| Step::Slash(a, b, c, d)),
		1 => (operator(), 0..=8u128).prop_map(|(a, b)| Step::SlashAllBut(a, b)),
		3 => prop_oneof![1..=3u64, 4..=15u64].prop_map(Step::Advance),
		1 => operator().prop_map(Step::ToggleBusy),
		1 => operator().prop_map(Step::ToggleRegistered),
		2 => (operator(), prop_oneof![operator(), delegator()], 0..=100u8)
			.prop_map(|(a, b, c)| Step::HoldBack(a, b, c)),
	]
}

fn toggle(list: &mut Vec<AccountId>, who: AccountId) {
	if let Some(i) = list.iter().position(|a| *a == who) {
		list.remove(i);
	} else {
		list.push(who);
	}
}

/// The delegator, operator and ledger of the existing delegation `selector` picks, if any.
fn existing_delegation(selector: usize) -> Option<(AccountId, AccountId, crate::Delegation<Test>)> {
	let all: Vec<_> = crate::Delegations::<Test>::iter().collect();
	let count = all.len();
	all.get(selector.checked_rem(count)?).map(|(o, d, ledger)| (*d, *o, ledger.clone()))
}

fn percent_of(amount: Balance, percent: u8) -> Balance {
	amount * Balance::from(percent) / 100
}

fn dispatch(step: &Step) -> sp_runtime::DispatchResult {
	let root = RuntimeOrigin::root;
	match step.clone() {
		Step::ScheduleUndelegateExisting(selector, percent) => {
			match existing_delegation(selector) {
				Some((who, operator, ledger)) => Operators::schedule_undelegate(
					signed(who),
					operator,
					percent_of(ledger.amount, percent),
				),
				None => Ok(()),
			}
		}
		Step::ExecuteUndelegateExisting(selector) => match existing_delegation(selector) {
			Some((who, operator, _)) => Operators::execute_undelegate(signed(who), operator),
			None => Ok(()),
		},
		Step::CancelUndelegateExisting(selector, percent) => match existing_delegation(selector) {
			Some((who, operator, ledger)) => Operators::cancel_undelegate(
				signed(who),
				operator,
				percent_of(ledger.unbonding_total(), percent),
			),
			None => Ok(()),
		},
		Step::Join(who, bond) => Operators::join_operators(signed(who), bond),
		Step::GoOffline(who) => Operators::go_offline(signed(who)),
		Step::GoOnline(who) => Operators::go_online(signed(who)),
		Step::ScheduleLeave(who) => Operators::schedule_leave(signed(who)),
		Step::CancelLeave(who) => Operators::cancel_leave(signed(who)),
		Step::ExecuteLeave(who) => Operators::execute_leave(signed(who)),
		Step::BondMore(who, amount) => Operators::bond_more(signed(who), amount),
		Step::ScheduleBondLess(who, amount) => Operators::schedule_bond_less(signed(who), amount),
		Step::ExecuteBondLess(who) => Operators::execute_bond_less(signed(who)),
		Step::CancelBondLess(who, amount) => Operators::cancel_bond_less(signed(who), amount),
		Step::Delegate(who, operator, amount) => Operators::delegate(signed(who), operator, amount),
		Step::DelegateWithSelection(who, operator, amount, list) => {
			let selection = match list {
				None => warden_primitives::BlueprintSelection::All,
				Some(list) => warden_primitives::BlueprintSelection::Only(
					frame_support::BoundedVec::truncate_from(list),
				),
			};
			Operators::delegate_with_selection(signed(who), operator, amount, selection)
		}
		Step::ScheduleUndelegate(who, operator, amount) => {
			Operators::schedule_undelegate(signed(who), operator, amount)
		}
		Step::ExecuteUndelegate(who, operator) => {
			Operators::execute_undelegate(signed(who), operator)
		}
		Step::CancelUndelegate(who, operator, amount) => {
			Operators::cancel_undelegate(signed(who), operator, amount)
		}
		Step::SetParams(params) => Operators::set_params(root(), params),
		Step::ReleaseExitBond(who) => Operators::release_exit_bond(signed(who)),
		Step::SetMinDelegation(who, amount) => Operators::set_min_delegation(signed(who), amount),
		_ => Ok(()),
	}
}

/// Every key and value in storage. Cheaper than a storage root on externalities without a
/// trie backend.
fn storage_snapshot() -> Vec<(Vec<u8>, Vec<u8>)> {
	let mut snapshot = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		let value = sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default();
		snapshot.push((next.clone(), value));
		key = next;
	}
	snapshot
}

/// The slashable stake of `staker`'s position on `operator` (its own bond if the same).
fn position(operator: AccountId, staker: AccountId) -> Balance {
	if operator == staker {
		<Operators as OperatorRegistry<_, _, _>>::own_stake(&operator)
	} else {
		crate::Delegations::<Test>::get(operator, staker).map(|d| d.total()).unwrap_or_default()
	}
}

/// Runs one step and checks what it must do on its own terms.
fn run(step: &Step, issuance: &mut Balance) {
	match step {
		Step::Slash(..) | Step::SlashAllBut(..) => {
			let (operator, positions) = match step {
				Step::Slash(operator, percent, blueprint, age) => (
					*operator,
					<Operators as OperatorRegistry<_, _, _>>::slashable_positions(
						operator,
						*blueprint,
						System::block_number().saturating_sub(*age),
					)
					.into_iter()
					.map(|(staker, stake)| (staker, percent_of(stake, *percent)))
					.collect::<Vec<_>>(),
				),
				Step::SlashAllBut(operator, spared) => (
					*operator,
					<Operators as OperatorRegistry<_, _, _>>::slashable_positions(
						operator,
						0,
						System::block_number(),
					)
					.into_iter()
					.map(|(staker, stake)| (staker, stake.saturating_sub(*spared)))
					.collect::<Vec<_>>(),
				),
				_ => unreachable!(),
			};
			let before: Vec<Balance> =
				positions.iter().map(|(staker, _)| position(operator, *staker)).collect();
			let (credit, slashed) =
				<Operators as OperatorRegistry<_, _, _>>::slash_positions(&operator, &positions);
			assert_eq!(credit.peek(), slashed);
			let mut expected = 0;
			for ((staker, take), before) in positions.iter().zip(before) {
				let taken = (*take).min(before);
				expected += taken;
				assert_eq!(
					position(operator, *staker),
					before - taken,
					"each position gives min(its take, its stake)"
				);
			}
			assert_eq!(slashed, expected);
			drop(credit);
			*issuance -= slashed;
		}
		Step::Advance(blocks) => advance(*blocks),
		Step::ToggleBusy(who) => BusyOperators::mutate(|l| toggle(l, *who)),
		Step::ToggleRegistered(who) => RegisteredOperators::mutate(|l| toggle(l, *who)),
		Step::HoldBack(operator, staker, percent) => {
			hold_back(*operator, *staker, percent_of(position(*operator, *staker), *percent))
		}
		call => {
			let before = storage_snapshot();
			let held: Vec<_> = HeldBack::get()
				.into_iter()
				.map(|((o, s), amount)| (o, s, amount.min(position(o, s))))
				.collect();
			if dispatch(call).is_err() {
				assert!(storage_snapshot() == before, "a failed call changed storage: {call:?}");
			}
			for (operator, staker, kept) in held {
				assert!(
					position(operator, staker) >= kept,
					"{call:?} released stake pending slashes hold back"
				);
			}
		}
	}
	assert_eq!(Balances::total_issuance(), *issuance, "funds appeared or vanished");
	assert_eq!(Operators::do_try_state(), Ok(()), "invariants broken after {step:?}");
}

/// How many random sequences the property test runs.
const SEQUENCES: u32 = 10_000;

/// A starting state with something of everything: operators in each state, delegations,
/// and unbonding chunks on both sides.
fn base_state() -> BasicExternalities {
	let mut ext = ExtBuilder::default()
		.operator(ALICE, 300)
		.operator(BOB, 200)
		.operator(CHARLIE, 150)
		.delegation(CHARLIE, ALICE, 100)
		.delegation(DAVE, BOB, 50)
		.delegation(EVE, ALICE, 40)
		.delegation(DAVE, ALICE, 20)
		.build_basic();
	ext.execute_with(|| {
		use frame_support::assert_ok;
		assert_ok!(Operators::schedule_bond_less(signed(ALICE), 60));
		assert_ok!(Operators::schedule_undelegate(signed(CHARLIE), ALICE, 30));
		assert_ok!(Operators::schedule_undelegate(signed(DAVE), BOB, 50));
		assert_ok!(Operators::go_offline(signed(BOB)));
		assert_ok!(Operators::schedule_leave(signed(CHARLIE)));
		advance(2);
	});
	ext
}

/// At least [`SEQUENCES`] random sequences of 1 to 12 steps (calls, slashes, time, and the
/// services and slashing knobs) from [`base_state`]. After each step: a failed call changed
/// no storage, no funds appeared or vanished, and `do_try_state` holds. After each
/// sequence: the stake observer's view matches the ledgers.
///
/// Each sequence runs in a storage transaction that is rolled back afterwards, so all of
/// them start from the same state without rebuilding it.
#[test]
fn random_call_sequences_keep_every_invariant() {
	let mut ext = base_state();
	ext.execute_with(|| {
		let observed = ObservedStake::get();
		let config = ProptestConfig {
			cases: SEQUENCES,
			failure_persistence: None,
			..ProptestConfig::default()
		};
		let mut runner = proptest::test_runner::TestRunner::new(config);
		let result = runner.run(&prop::collection::vec(step(), 1..=12), |steps| {
			BusyOperators::reset();
			RegisteredOperators::reset();
			HeldBack::reset();
			ObservedStake::set(observed.clone());
			sp_io::storage::start_transaction();
			let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
				let mut issuance = Balances::total_issuance();
				for step in &steps {
					run(step, &mut issuance);
				}
				assert_observer_in_sync();
			}));
			sp_io::storage::rollback_transaction();
			if let Err(panic) = outcome {
				std::panic::resume_unwind(panic);
			}
			Ok(())
		});
		if let Err(failure) = result {
			panic!("{failure}");
		}
	});
}

proptest! {
	#![proptest_config(ProptestConfig {
		cases: 10_000,
		failure_persistence: None,
		..ProptestConfig::default()
	})]

	#[test]
	fn proportional_shares_take_exactly_the_amount_within_every_part(
		parts in prop::collection::vec(
			prop_oneof![0..=3u128, 0..=1_000u128, 0..=u128::MAX / 64],
			0..12,
		),
		take in prop_oneof![0..=10u128, 0..=5_000u128, 0..=u128::MAX / 8],
		spared in prop::option::of(0..=20u128),
	) {
		let total = parts.iter().fold(0u128, |s, p| s.saturating_add(*p));
		// Sometimes all but a few units: where the rounding leftovers are largest.
		let take = spared.map(|spared| total.saturating_sub(spared)).unwrap_or(take);
		let shares = proportional_shares(&parts, take);
		prop_assert_eq!(shares.len(), parts.len());
		prop_assert_eq!(shares.iter().sum::<u128>(), take.min(total));
		for (share, part) in shares.iter().zip(&parts) {
			prop_assert!(share <= part);
			// Never less than the exact share rounded down.
			let floor = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
				take.min(total),
				*part,
				total.max(1),
				sp_runtime::Rounding::Down,
			)
			.unwrap_or(0);
			prop_assert!(*share >= floor);
		}
	}
}
