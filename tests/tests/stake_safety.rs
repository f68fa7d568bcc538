//! The attacks on stake, each played on the real runtime and shown to fail:
//!
//! 1. a delegator who joins after an offence paying for it;
//! 2. an operator dodging a slash by leaving as its last service ends;
//! 3. dust reports freezing every delegator of an operator;
//! 4. stake-changing calls and slashes charged less than the rewards observer costs;
//! 5. an operator's delegator slots squatted;
//! 6. parameters that would let stake leave before a slash can land.
//!
//! On the development chain Alice is an operator with a 10,000 WRD bond and Charlie
//! delegates 1,000 WRD to her; reports are 10% of a 50% exposure unless said otherwise.

use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{fungible::Mutate, Get, UnfilteredDispatchable},
};
use pallet_warden_operators::{
	Call as OperatorsCall, Delegations, Error as OperatorsError, ExitBonds, WeightInfo as _,
};
use pallet_warden_rewards::WeightInfo as _;
use pallet_warden_services::{Call as ServicesCall, ReportKind};
use pallet_warden_slashing::{
	Error as SlashingError, HoldReason as SlashingHold, PendingSlashes, WeightInfo as _,
};
use sp_keyring::Sr25519Keyring::{Alice, Charlie, Eve, Ferdie};
use sp_runtime::{Perbill, Percent};
use warden_primitives::{OperatorRegistry, UnbondingChunk};
use warden_runtime::{
	Balances, Operators, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Slashing, System, UNIT,
};
use warden_tests::runtime::*;

type OperatorsWeights = <Runtime as pallet_warden_operators::Config>::WeightInfo;
type RewardsWeights = <Runtime as pallet_warden_rewards::Config>::WeightInfo;
type SlashingWeights = <Runtime as pallet_warden_slashing::Config>::WeightInfo;

/// Eve, the owner of `service`, calls its job: the call Alice will answer wrongly.
fn call_job(service: u64) -> u64 {
	submit_ok(Eve, ServicesCall::<Runtime>::call { service, job: 0, args: bounded(b"ping") });
	pallet_warden_services::NextCallId::<Runtime>::get() - 1
}

/// Eve reports Alice for misbehaving on `call_id` of `service`, asking for `fraction`.
fn report(service: u64, call_id: u64, fraction: Perbill) -> RuntimeCall {
	ServicesCall::<Runtime>::report {
		service,
		offender: account(Alice),
		kind: ReportKind::JobMisbehaviour { call_id },
		evidence: bounded(b"a wrong answer"),
		fraction,
	}
	.into()
}

/// The pending slash Eve's last report made.
fn last_slash() -> u64 {
	pallet_warden_slashing::NextSlashId::<Runtime>::get() - 1
}

/// Alice's bond: her ledger while she is an operator, her exit bond after.
fn alice_bond() -> Balance {
	<Operators as OperatorRegistry<_, _, _>>::own_stake(&account(Alice))
}

/// `delegator`'s delegation on Alice, active and unbonding.
fn delegation(delegator: &AccountId) -> Balance {
	Delegations::<Runtime>::get(account(Alice), delegator).map(|d| d.total()).unwrap_or_default()
}

/// Runs blocks until the slash `slash_id` is applied.
fn run_until_applied(slash_id: u64) {
	let apply_at = PendingSlashes::<Runtime>::get(slash_id).expect("pending").apply_at;
	run_to_block(apply_at);
	assert!(!PendingSlashes::<Runtime>::contains_key(slash_id), "applied by the hook");
}

#[test]
fn a_delegator_who_joins_after_an_offence_pays_nothing_for_it() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, ferdie) = (account(Alice), account(Charlie), account(Ferdie));
		let service = service(Eve, Alice, 0, 50);
		let call_id = call_job(service);
		submit_ok(Eve, report(service, call_id, Perbill::from_percent(10)));
		let slash_id = last_slash();
		// The slash records each position as it is now: 5% of Alice's 10,000 and of
		// Charlie's 1,000. Charlie can see what it holds back of his stake.
		let pending = PendingSlashes::<Runtime>::get(slash_id).expect("pending");
		assert_eq!(pending.stake, 11_000 * UNIT);
		assert_eq!(Slashing::held_back_of(&charlie), vec![(alice.clone(), 50 * UNIT)]);

		// During the defer window Ferdie delegates 90,000 WRD to Alice.
		submit_ok(
			Ferdie,
			OperatorsCall::<Runtime>::delegate { operator: alice.clone(), amount: 90_000 * UNIT },
		);
		run_until_applied(slash_id);

		// Ferdie's stake, added after the offence, pays nothing; the others pay what was
		// recorded, not a share of the larger stake.
		assert_eq!(delegation(&ferdie), 90_000 * UNIT);
		assert_eq!(alice_bond(), 9_500 * UNIT);
		assert_eq!(delegation(&charlie), 950 * UNIT);
		assert!(Slashing::held_back_of(&charlie).is_empty());
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::Slashing(pallet_warden_slashing::Event::SlashApplied {
				amount, taken, ..
			}) if *amount == 550 * UNIT && *taken == 550 * UNIT
		)));
		Slashing::do_try_state().expect("slashing invariants hold");
		Operators::do_try_state().expect("operators invariants hold");
	});
}

#[test]
fn leaving_as_the_last_service_ends_does_not_dodge_the_report() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie) = (account(Alice), account(Charlie));
		// Alice serves Eve for 32 blocks and schedules her leave early.
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Eve, request(&[Alice], 32, 0));
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::approve {
				request: id,
				version: 0,
				exposure: Percent::from_percent(50),
			},
		);
		let service = pallet_warden_services::NextServiceId::<Runtime>::get() - 1;
		let end =
			pallet_warden_services::ServiceInstances::<Runtime>::get(service).expect("active").end;
		submit_ok(Alice, OperatorsCall::<Runtime>::schedule_leave {});

		// She answers a call of the service's last block wrongly (a block with room for
		// it: not a session boundary, whose block pallet-session fills).
		assert_ne!((end - 1) % warden_runtime::genesis_config_presets::DEV_SESSION_LENGTH, 0);
		run_to_block(end - 1);
		let call_id = call_job(service);
		// The service ends; in that very block she unregisters and leaves.
		run_to_block(end);
		assert!(!pallet_warden_services::ServiceInstances::<Runtime>::contains_key(service));
		submit_ok(Alice, ServicesCall::<Runtime>::unregister { blueprint: 0 });
		submit_ok(Alice, OperatorsCall::<Runtime>::execute_leave {});
		assert_eq!(<Operators as OperatorRegistry<_, _, _>>::state(&alice), None);
		// Her bond didn't come back: it unbonds, slashable, for the unbonding delay.
		let unbonding_delay = pallet_warden_operators::Params::<Runtime>::get().unbonding_delay;
		assert_eq!(
			ExitBonds::<Runtime>::get(&alice),
			Some(UnbondingChunk { amount: 10_000 * UNIT, unlock_at: end + unbonding_delay })
		);

		// Eve reports her within the report window after the service ended.
		next_block();
		submit_ok(Eve, report(service, call_id, Perbill::from_percent(10)));
		let slash_id = last_slash();
		// Alice can't take her bond before the slash lands...
		assert_eq!(
			submit_err(Alice, OperatorsCall::<Runtime>::release_exit_bond {}),
			OperatorsError::<Runtime>::UnbondingNotDue.into()
		);
		run_until_applied(slash_id);
		// ...and it lands on her exit bond and Charlie's unbonding delegation.
		assert_eq!(alice_bond(), 9_500 * UNIT);
		assert_eq!(delegation(&charlie), 950 * UNIT);

		// After the unbonding delay she gets what is left.
		run_to_block(end + unbonding_delay);
		let before = free_balance(&alice);
		submit_ok(Alice, OperatorsCall::<Runtime>::release_exit_bond {});
		assert!(free_balance(&alice) > before + 9_499 * UNIT, "the rest, less the fee");
		assert_eq!(ExitBonds::<Runtime>::get(&alice), None);

		// Past the report window, the service can no longer be reported on.
		assert_eq!(
			submit_err(Eve, report(service, call_id, Perbill::from_percent(10))),
			pallet_warden_services::Error::<Runtime>::ServiceNotFound.into()
		);
		Operators::do_try_state().expect("operators invariants hold");
		Slashing::do_try_state().expect("slashing invariants hold");
	});
}

#[test]
fn dust_reports_hold_back_only_what_they_can_take() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, eve) = (account(Alice), account(Charlie), account(Eve));
		let params = pallet_warden_slashing::Params::<Runtime>::get();
		let service = service(Eve, Alice, 0, 50);
		let call_id = call_job(service);

		// A report for one part in a billion is refused.
		assert_eq!(
			submit_err(Eve, report(service, call_id, Perbill::from_parts(1))),
			SlashingError::<Runtime>::FractionBelowMinimum.into()
		);

		// Charlie starts unbonding all of his delegation.
		submit_ok(
			Charlie,
			OperatorsCall::<Runtime>::schedule_undelegate {
				operator: alice.clone(),
				amount: 1_000 * UNIT,
			},
		);
		let unbonding_delay = pallet_warden_operators::Params::<Runtime>::get().unbonding_delay;
		let unlock_at = System::block_number() + unbonding_delay;

		// Just before it unlocks, a report at the smallest fraction of a wrong answer to a
		// call of the block before: it may take 0.05% of each position. Its deposit is the
		// base plus its share of what it may take.
		run_to_block(unlock_at - 2);
		let call_id = call_job(service);
		run_to_block(unlock_at - 1);
		let min = params.min_fraction;
		submit_ok(Eve, report(service, call_id, min));
		let slash_id = last_slash();
		let takes = |stake: Balance| Slashing::slash_amount(stake, Percent::from_percent(50), min);
		let amount = takes(10_000 * UNIT) + takes(1_000 * UNIT);
		let dust_deposit = params.report_deposit + params.deposit_per_slashed.mul_ceil(amount);
		assert_eq!(held(&eve, SlashingHold::ReportDeposit), dust_deposit);

		// Charlie's unbonding completes on time for everything above that.
		run_to_block(unlock_at);
		submit_ok(
			Charlie,
			OperatorsCall::<Runtime>::execute_undelegate { operator: alice.clone() },
		);
		assert_eq!(delegation(&charlie), takes(1_000 * UNIT), "only the slash's part is held");
		assert_eq!(Slashing::held_back_of(&charlie), vec![(alice.clone(), takes(1_000 * UNIT))]);

		// A report that may take a hundred times more posts a larger deposit.
		let before = held(&eve, SlashingHold::ReportDeposit);
		submit_ok(Eve, report(service, call_id, Perbill::from_percent(10)));
		let large = held(&eve, SlashingHold::ReportDeposit) - before;
		assert!(large > dust_deposit, "{large} > {dust_deposit}");

		// The dust slash takes its part from what was held back; Charlie's record goes.
		run_until_applied(slash_id);
		assert_eq!(delegation(&charlie), 0);
		Operators::do_try_state().expect("operators invariants hold");
		Slashing::do_try_state().expect("slashing invariants hold");
	});
}

#[test]
fn stake_changes_are_charged_for_every_observer_call_they_make() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie) = (account(Alice), account(Charlie));
		let observer = RewardsWeights::hook_before_stake_change();
		// The number of observer calls a path made: one per position whose active stake
		// changed, which each path reports in an event.
		let positions_changed = || {
			System::events()
				.iter()
				.filter(|record| {
					matches!(
						record.event,
						RuntimeEvent::Operators(
							pallet_warden_operators::Event::Delegated { .. }
								| pallet_warden_operators::Event::UndelegationScheduled { .. }
								| pallet_warden_operators::Event::OperatorLeft { .. }
								| pallet_warden_operators::Event::Slashed { .. }
						)
					)
				})
				.count() as u64
		};
		let charges = |call: &RuntimeCall, measured: frame_support::weights::Weight| {
			System::reset_events();
			let charged = call.get_dispatch_info().call_weight;
			call.clone()
				.dispatch_bypass_filter(RuntimeOrigin::signed(account(Alice)))
				.expect("the call dispatches");
			let used = measured.saturating_add(observer.saturating_mul(positions_changed()));
			assert!(charged.all_gte(used), "{call:?}: charged {charged}, uses {used}");
		};

		// Ferdie's delegation: one position.
		let delegate = RuntimeCall::from(OperatorsCall::<Runtime>::delegate {
			operator: account(Ferdie),
			amount: 10 * UNIT,
		});
		submit_ok(Ferdie, OperatorsCall::<Runtime>::join_operators { bond: 1_000 * UNIT });
		charges(&delegate, OperatorsWeights::delegate());

		// Alice leaves: her bond and every delegation on her.
		submit_ok(Alice, ServicesCall::<Runtime>::unregister { blueprint: 0 });
		submit_ok(Alice, OperatorsCall::<Runtime>::schedule_leave {});
		run_to_block(1 + pallet_warden_operators::Params::<Runtime>::get().leave_delay);
		charges(
			&OperatorsCall::<Runtime>::execute_leave {}.into(),
			OperatorsWeights::execute_leave(),
		);

		// A slash applied by hand, when the hook left it: the observer for each position.
		let slash_id = <Slashing as warden_primitives::SlashQueue<_, _>>::propose(
			warden_primitives::SlashProposal {
				offender: alice.clone(),
				service: 0,
				blueprint: 0,
				fraction: Perbill::from_percent(10),
				exposure: Percent::from_percent(100),
				reporter: account(Eve),
				reason: warden_primitives::SlashReason::JobMisbehaviour { call_id: 0 },
				evidence: bounded(b""),
				offence_at: System::block_number(),
			},
		)
		.expect("Alice's exit bond and Charlie's delegation are slashable");
		let apply_at = PendingSlashes::<Runtime>::get(slash_id).expect("pending").apply_at;
		// Reach the block without running the hook.
		System::set_block_number(apply_at);
		System::reset_events();
		let call = RuntimeCall::Slashing(pallet_warden_slashing::Call::apply_slash { slash_id });
		let charged = call.get_dispatch_info().call_weight;
		let post = call
			.dispatch_bypass_filter(RuntimeOrigin::signed(account(Eve)))
			.expect("the slash applies");
		let positions = positions_changed();
		assert_eq!(positions, 2, "Alice's exit bond and Charlie's delegation");
		let actual = post.actual_weight.expect("apply_slash reports what it used");
		let used = SlashingWeights::apply_slash(positions as u32)
			.saturating_add(observer.saturating_mul(positions));
		assert!(actual.all_gte(used), "actual {actual} covers {used}");
		assert!(charged.all_gte(actual), "charged {charged} covers the actual {actual}");
		// The hook's budget fits the largest slash.
		let max = <Runtime as pallet_warden_slashing::Config>::MaxSlashedPositions::get();
		assert!(<Runtime as pallet_warden_slashing::Config>::MaxHookWeight::get()
			.all_gte(Slashing::apply_weight(max, true)));
		assert!(Delegations::<Runtime>::get(&alice, &charlie).is_some());
	});
}

#[test]
fn delegator_slots_cannot_be_squatted_with_unbonding_dust() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let alice = account(Alice);
		let min = pallet_warden_operators::Params::<Runtime>::get().min_delegation;
		let slots = <Runtime as pallet_warden_operators::Config>::MaxDelegatorsPerOperator::get();
		// Charlie has one slot; squatters take every other one with the minimum.
		let squatters: Vec<AccountId> =
			(0..slots - 1).map(|i| AccountId::from([i as u8 + 1; 32])).collect();
		for squatter in &squatters {
			Balances::mint_into(squatter, 100 * UNIT).expect("minted");
			Operators::delegate(RuntimeOrigin::signed(squatter.clone()), alice.clone(), min)
				.expect("a free slot");
		}
		let newcomer = account(Ferdie);
		assert_eq!(
			Operators::delegate(RuntimeOrigin::signed(newcomer.clone()), alice.clone(), min),
			Err(OperatorsError::<Runtime>::TooManyDelegators.into())
		);
		// A squatter that starts unbonding gives its slot back at once.
		Operators::schedule_undelegate(
			RuntimeOrigin::signed(squatters[0].clone()),
			alice.clone(),
			min,
		)
		.expect("the squatter unbonds");
		// Alice raises her minimum: dust delegations no longer fit.
		submit_ok(
			Alice,
			OperatorsCall::<Runtime>::set_min_delegation { min_delegation: 1_000 * UNIT },
		);
		assert_eq!(
			Operators::delegate(RuntimeOrigin::signed(newcomer.clone()), alice.clone(), min),
			Err(OperatorsError::<Runtime>::DelegationBelowMinimum.into())
		);
		Operators::delegate(RuntimeOrigin::signed(newcomer), alice.clone(), 1_000 * UNIT)
			.expect("the freed slot, at Alice's minimum");
		let totals = pallet_warden_operators::DelegationTotals::<Runtime>::get(&alice);
		assert_eq!((totals.delegators, totals.unbonding_only), (slots, 1));
		Operators::do_try_state().expect("operators invariants hold");
	});
}

#[test]
fn parameters_never_let_stake_leave_before_a_slash_can_land() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let slashing = pallet_warden_slashing::Params::<Runtime>::get();
		let windows = slashing.defer_duration + slashing.report_window;
		let mut operators = pallet_warden_operators::Params::<Runtime>::get();
		assert!(operators.unbonding_delay > windows && operators.bond_less_delay > windows);
		// Unbonding within the defer and report windows: refused.
		operators.unbonding_delay = windows;
		assert_eq!(
			Operators::set_params(RuntimeOrigin::root(), operators.clone()),
			Err(OperatorsError::<Runtime>::UnbondingDelayTooShort.into())
		);
		// A report window reaching past the unbonding delays: refused.
		let mut wider = slashing;
		wider.report_window = pallet_warden_operators::Params::<Runtime>::get().unbonding_delay;
		assert_eq!(
			Slashing::set_params(RuntimeOrigin::root(), wider),
			Err(SlashingError::<Runtime>::DeferNotBelowUnbonding.into())
		);
		// An offence age cap reaching past them too: stake present at an offence could
		// leave before it is reported.
		let mut older = slashing;
		older.max_offence_age = pallet_warden_operators::Params::<Runtime>::get().unbonding_delay;
		assert_eq!(
			Slashing::set_params(RuntimeOrigin::root(), older),
			Err(SlashingError::<Runtime>::OffenceAgeNotBelowUnbonding.into())
		);
		// So is a dust minimum.
		let mut dust = slashing;
		dust.min_fraction = Perbill::zero();
		assert_eq!(
			Slashing::set_params(RuntimeOrigin::root(), dust),
			Err(SlashingError::<Runtime>::ZeroMinFraction.into())
		);
	});
}

/// The offence is Alice's answer to Eve's job call. After the call, and before Eve reports
/// it, Ferdie delegates 90,000 WRD to Alice and Charlie adds 500 WRD to his 1,000. The
/// report names the call: Ferdie's stake and Charlie's top-up came after the offence and
/// pay nothing for it, Charlie's 1,000 and Alice's bond, there at the offence, pay.
#[test]
fn stake_added_between_the_offence_and_its_report_pays_nothing_for_it() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, ferdie) = (account(Alice), account(Charlie), account(Ferdie));
		let service = service(Eve, Alice, 0, 50);
		let call_id = call_job(service);
		next_block();
		submit_ok(
			Ferdie,
			OperatorsCall::<Runtime>::delegate { operator: alice.clone(), amount: 90_000 * UNIT },
		);
		submit_ok(
			Charlie,
			OperatorsCall::<Runtime>::delegate { operator: alice.clone(), amount: 500 * UNIT },
		);
		next_block();
		submit_ok(Eve, report(service, call_id, Perbill::from_percent(10)));
		let slash_id = last_slash();
		let pending = PendingSlashes::<Runtime>::get(slash_id).expect("pending");
		// Measured against the stake at the offence: Alice's 10,000 and Charlie's 1,000.
		assert_eq!(pending.stake, 11_000 * UNIT);
		assert!(pending.offence_at < pending.proposed_at);
		assert!(pending.positions.iter().all(|(staker, _)| *staker != ferdie));
		assert!(Slashing::held_back_of(&ferdie).is_empty());
		assert_eq!(Slashing::held_back_of(&charlie), vec![(alice.clone(), 50 * UNIT)]);
		run_until_applied(slash_id);

		assert_eq!(delegation(&ferdie), 90_000 * UNIT);
		assert_eq!(delegation(&charlie), 1_450 * UNIT);
		assert_eq!(alice_bond(), 9_500 * UNIT);
		Slashing::do_try_state().expect("slashing invariants hold");
		Operators::do_try_state().expect("operators invariants hold");
	});
}

/// A job call older than the slashing parameters' offence age cap can't be reported any
/// more: by then stake present at the offence could have left, and its later increases be
/// forgotten.
#[test]
fn an_offence_older_than_the_age_cap_cannot_be_reported() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let service = service(Eve, Alice, 0, 50);
		let call_id = call_job(service);
		let called_at = System::block_number();
		let max_age = pallet_warden_slashing::Params::<Runtime>::get().max_offence_age;
		run_to_block(called_at + max_age + 1);
		assert_eq!(
			try_submit(Eve, report(service, call_id, Perbill::from_percent(10))),
			Err(SlashingError::<Runtime>::OffenceTooOld.into())
		);
	});
}

/// Ferdie delegates 10,000 WRD to Alice for blueprint 0 only; Charlie delegates to all of
/// her blueprints. Alice misbehaves in a service of blueprint 1: Ferdie is untouched and
/// his stake doesn't count towards what backs blueprint 1. A slash for blueprint 0 takes
/// its share from him.
#[test]
fn a_delegator_who_named_only_blueprint_0_is_untouched_by_a_slash_for_blueprint_1() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, ferdie) = (account(Alice), account(Charlie), account(Ferdie));
		let second = copy_of_demo_blueprint(Alice);
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::register { blueprint: second, preferences: preferences(4, 0) },
		);
		submit_ok(
			Ferdie,
			OperatorsCall::<Runtime>::delegate_with_selection {
				operator: alice.clone(),
				amount: 10_000 * UNIT,
				blueprints: warden_primitives::BlueprintSelection::Only(
					frame_support::BoundedVec::truncate_from(vec![0]),
				),
			},
		);
		let registry = |blueprint| {
			<Operators as OperatorRegistry<_, _, _>>::blueprint_stake(&alice, blueprint)
		};
		assert_eq!(registry(0), 21_000 * UNIT);
		assert_eq!(registry(second), 11_000 * UNIT);
		next_block();

		let on_second = service_on(second, Eve, Alice, 0, 50);
		let call_id = call_job(on_second);
		next_block();
		submit_ok(Eve, report(on_second, call_id, Perbill::from_percent(10)));
		let slash_id = last_slash();
		let pending = PendingSlashes::<Runtime>::get(slash_id).expect("pending");
		assert_eq!(pending.stake, 11_000 * UNIT);
		run_until_applied(slash_id);
		assert_eq!(delegation(&ferdie), 10_000 * UNIT, "Ferdie never backed blueprint 1");
		assert_eq!(delegation(&charlie), 950 * UNIT);

		// Blueprint 0 is his: a slash there takes 5% of his stake too.
		let on_first = service(Eve, Alice, 0, 50);
		let call_id = call_job(on_first);
		next_block();
		submit_ok(Eve, report(on_first, call_id, Perbill::from_percent(10)));
		run_until_applied(last_slash());
		assert_eq!(delegation(&ferdie), 9_500 * UNIT);
		Slashing::do_try_state().expect("slashing invariants hold");
		Operators::do_try_state().expect("operators invariants hold");
	});
}
