//! Slashing on the real runtime: the slashing committee vetoes one slash through a
//! collective motion, a second slash is applied after the defer window and takes exactly
//! the computed stake from the operator and its delegator.

use codec::Encode;
use frame_support::{dispatch::GetDispatchInfo, traits::fungible::InspectHold};
use pallet_warden_slashing::{
	Call as SlashingCall, HoldReason as SlashingHold, PendingSlashes, VetoReason,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::traits::Hash;
use sp_runtime::{Perbill, Percent};
use warden_primitives::{SlashProposal, SlashQueue, SlashReason};
use warden_runtime::{
	configs::TreasuryAccount, Balances, Runtime, RuntimeCall, RuntimeHoldReason, Slashing, System,
	UNIT,
};
use warden_tests::runtime::*;

type CommitteeCall = pallet_collective::Call<Runtime, warden_runtime::SlashingCommitteeInstance>;

/// A slash of `fraction` of Alice's 50% exposure in service 7, reported by Eve.
fn propose_against_alice(fraction: Perbill) -> u64 {
	<Slashing as SlashQueue<_, _>>::propose(SlashProposal {
		offender: account(Alice),
		service: 7,
		blueprint: 0,
		fraction,
		exposure: Percent::from_percent(50),
		reporter: account(Eve),
		reason: SlashReason::JobMisbehaviour { call_id: 1 },
		evidence: b"wrong result for call 1".to_vec().try_into().expect("fits"),
		offence_at: System::block_number(),
	})
	.expect("the proposal is queued")
}

fn stake_held(who: &AccountId) -> Balance {
	let bond: RuntimeHoldReason = pallet_warden_operators::HoldReason::OperatorBond.into();
	let delegation: RuntimeHoldReason = pallet_warden_operators::HoldReason::Delegation.into();
	Balances::balance_on_hold(&bond, who) + Balances::balance_on_hold(&delegation, who)
}

#[test]
fn committee_vetoes_one_slash_and_a_second_is_applied_as_computed() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (alice, charlie, eve) = (account(Alice), account(Charlie), account(Eve));
		let params = pallet_warden_slashing::Params::<Runtime>::get();

		let vetoed = propose_against_alice(Perbill::from_percent(100));
		let applied = propose_against_alice(Perbill::from_percent(10));
		// Each deposit is the base plus its part of what the report may take: for the
		// first, capped at half of the 50% exposure, 25% of 11,000 WRD; for the second 5%.
		let deposit_of =
			|slash_id| PendingSlashes::<Runtime>::get(slash_id).expect("pending").deposit;
		let (vetoed_deposit, deposit) = (deposit_of(vetoed), deposit_of(applied));
		assert_eq!(
			vetoed_deposit,
			params.report_deposit + params.deposit_per_slashed * (2_750 * UNIT)
		);
		assert_eq!(deposit, params.report_deposit + params.deposit_per_slashed * (550 * UNIT));
		assert_eq!(held(&eve, SlashingHold::ReportDeposit), vetoed_deposit + deposit);

		// The committee (Alice, Bob, Charlie) vetoes the first as unfounded: Alice proposes
		// the motion, Alice and Bob vote for it, and two of three is at least half.
		let veto = RuntimeCall::Slashing(SlashingCall::veto {
			slash_id: vetoed,
			reason: VetoReason::Unfounded,
		});
		let length = veto.encoded_size() as u32;
		// Closing the motion bounds the weight of the call it dispatches: the veto's own.
		let weight = veto.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&veto);
		submit_ok(
			Alice,
			CommitteeCall::propose { threshold: 2, proposal: Box::new(veto), length_bound: length },
		);
		submit_ok(Alice, CommitteeCall::vote { proposal: hash, index: 0, approve: true });
		submit_ok(Bob, CommitteeCall::vote { proposal: hash, index: 0, approve: true });
		let treasury_before = free_balance(&TreasuryAccount::get());
		submit_ok(
			Charlie,
			CommitteeCall::close {
				proposal_hash: hash,
				index: 0,
				proposal_weight_bound: weight,
				length_bound: length,
			},
		);
		assert!(!PendingSlashes::<Runtime>::contains_key(vetoed), "vetoed");
		assert_eq!(
			free_balance(&TreasuryAccount::get()) - treasury_before,
			vetoed_deposit,
			"forfeited"
		);

		// A plain account can't veto.
		let refused = submit_err(
			Eve,
			SlashingCall::<Runtime>::veto { slash_id: applied, reason: VetoReason::Pardoned },
		);
		assert_eq!(refused, sp_runtime::DispatchError::BadOrigin);

		// The second slash lands at its apply_at: 10% × 50% exposure × 11,000 WRD staked on
		// Alice (her 10,000 bond and Charlie's 1,000) = 550 WRD, taken pro rata: 500 from
		// Alice, 50 from Charlie.
		let apply_at = PendingSlashes::<Runtime>::get(applied).expect("pending").apply_at;
		let (alice_stake, charlie_stake) = (stake_held(&alice), stake_held(&charlie));
		assert_eq!((alice_stake, charlie_stake), (10_000 * UNIT, 1_000 * UNIT));
		let eve_before = free_balance(&eve);
		let treasury_before = free_balance(&TreasuryAccount::get());
		run_to_block(apply_at - 1);
		assert!(PendingSlashes::<Runtime>::contains_key(applied), "not a block early");
		next_block();
		assert!(!PendingSlashes::<Runtime>::contains_key(applied), "applied in the hook");

		assert_eq!(stake_held(&alice), alice_stake - 500 * UNIT);
		assert_eq!(stake_held(&charlie), charlie_stake - 50 * UNIT);
		// The reporter gets its deposit back and 10% of what Alice's own bond lost (never of
		// her delegators' stake); the treasury the rest.
		assert_eq!(held(&eve, SlashingHold::ReportDeposit), 0);
		assert_eq!(free_balance(&eve) - eve_before, deposit + 50 * UNIT);
		assert_eq!(free_balance(&TreasuryAccount::get()) - treasury_before, 500 * UNIT);

		System::assert_has_event(
			pallet_warden_operators::Event::<Runtime>::Slashed {
				operator: alice.clone(),
				staker: charlie.clone(),
				amount: 50 * UNIT,
			}
			.into(),
		);
		pallet_warden_slashing::Pallet::<Runtime>::do_try_state().expect("slashing invariants");
		pallet_warden_operators::Pallet::<Runtime>::do_try_state().expect("operator invariants");
	});
}

/// What `who` owns on the chain: free and held.
fn owned(who: &AccountId) -> Balance {
	use frame_support::traits::fungible::Inspect;
	Balances::total_balance(who)
}

/// Ferdie, an operator with a 1,000 WRD bond and 100,000 WRD delegated to it (a hundred
/// times its bond), reports itself through Bob, an account it controls, asking for all of
/// its exposure, as a blueprint whose policy lets the service owner report a job with a
/// 100% slash would allow. Before, the reporter's tenth came out of every slashed position:
/// 10,100 WRD for a 1,000 WRD loss. Now one slash takes at most half of the exposure and
/// the reporter is paid only out of the offender's own bond: the pair ends poorer.
#[test]
fn an_operator_reporting_itself_through_an_accomplice_ends_poorer() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let (ferdie, bob, dave) = (account(Ferdie), account(Bob), account(Dave));
		submit_ok(
			Ferdie,
			pallet_warden_operators::Call::<Runtime>::join_operators { bond: 1_000 * UNIT },
		);
		submit_ok(
			Dave,
			pallet_warden_operators::Call::<Runtime>::delegate {
				operator: ferdie.clone(),
				amount: 100_000 * UNIT,
			},
		);
		let (pair_before, dave_before) = (owned(&ferdie) + owned(&bob), owned(&dave));
		let slash_id = <Slashing as SlashQueue<_, _>>::propose(SlashProposal {
			offender: ferdie.clone(),
			service: 7,
			blueprint: 0,
			fraction: Perbill::from_percent(100),
			exposure: Percent::from_percent(100),
			reporter: bob.clone(),
			reason: SlashReason::JobMisbehaviour { call_id: 1 },
			evidence: b"my own wrong result".to_vec().try_into().expect("fits"),
			offence_at: System::block_number(),
		})
		.expect("the proposal is queued");
		let pending = PendingSlashes::<Runtime>::get(slash_id).expect("pending");
		assert_eq!(pending.fraction, Perbill::from_percent(50), "capped at half");
		run_to_block(pending.apply_at + 1);
		assert!(PendingSlashes::<Runtime>::get(slash_id).is_none(), "applied");

		let pair_after = owned(&ferdie) + owned(&bob);
		assert!(pair_after < pair_before, "the pair gained {}", pair_after - pair_before);
		// Ferdie lost half its bond, Bob got a tenth of that: 450 WRD poorer.
		assert_eq!(pair_before - pair_after, 450 * UNIT);
		// Dave lost half his delegation, all of it to the slash destination.
		assert_eq!(dave_before - owned(&dave), 50_000 * UNIT);
	});
}
