//! The validator network on the real runtime: session keys, governance changing the set
//! (Root and two thirds of the committee), changes taking effect two session boundaries
//! later in Aura and GRANDPA, and GRANDPA equivocation reports reaching the validator set
//! pallet through historical sessions and the offences pallet.

use codec::Encode;
use frame_support::{
	assert_ok,
	traits::{Get, KeyOwnerProofSystem},
};
use sp_consensus_grandpa::{AuthorityId as GrandpaId, EquivocationProof, KEY_TYPE};
use sp_core::{crypto::UncheckedFrom, Pair, H256};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring, Sr25519Keyring::*};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{traits::Hash, DispatchError};
use warden_runtime::{
	genesis_config_presets::DEV_SESSION_LENGTH, Historical, Runtime, RuntimeCall, RuntimeEvent,
	SessionKeys, System, UncheckedExtrinsic, ValidatorSet,
};
use warden_tests::runtime::*;

type ValidatorSetCall = pallet_warden_validators::Call<Runtime>;
type Error = pallet_warden_validators::Error<Runtime>;

/// The development chain at block 1, with a keystore for generating session keys.
fn ext() -> sp_io::TestExternalities {
	let mut ext = dev_ext();
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| initialize_block(1));
	ext
}

fn check_invariants() {
	pallet_warden_validators::Pallet::<Runtime>::do_try_state().expect("invariants hold");
}

/// `who` generates session keys (as `author_rotateKeysWithOwner` does on a node) and
/// registers them.
fn register_keys(who: Sr25519Keyring) -> SessionKeys {
	let owner = account(who).encode();
	let generated = SessionKeys::generate(&owner, None);
	let keys = generated.keys;
	submit_ok(
		who,
		RuntimeCall::Session(pallet_session::Call::set_keys {
			keys: keys.clone(),
			proof: generated.proof.encode(),
		}),
	);
	keys
}

fn sudo(call: ValidatorSetCall) -> Result<(), DispatchError> {
	let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call.into()) });
	try_submit(Alice, call)?;
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => Some(sudo_result),
			_ => None,
		})
		.expect("Sudid")
}

/// Runs to the first block of session `index` (the one whose `on_initialize` rotates).
fn run_to_session(index: u32) {
	run_to_block(index * DEV_SESSION_LENGTH);
	assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), index);
}

fn aura_keys() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_keys() -> Vec<GrandpaId> {
	pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().into_iter().map(|(k, _)| k).collect()
}

#[test]
fn development_genesis_has_alice_as_the_only_validator() {
	ext().execute_with(|| {
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![account(Alice)]);
		assert_eq!(ValidatorSet::target(), vec![account(Alice)]);
		assert_eq!(aura_keys(), vec![Alice.public().into()]);
		assert_eq!(grandpa_keys(), vec![Ed25519Keyring::Alice.public().into()]);
		let info = warden_runtime::configs::validator_set_info();
		assert_eq!(info.session_length, DEV_SESSION_LENGTH);
		assert_eq!(info.next_session_start, DEV_SESSION_LENGTH);
		assert_eq!(info.min_validators, 1);
		check_invariants();
	});
}

#[test]
fn a_validator_added_by_root_authors_and_votes_two_boundaries_later() {
	ext().execute_with(|| {
		let keys = register_keys(Bob);
		assert_ok!(sudo(ValidatorSetCall::add_validator { who: account(Bob) }));
		let info = warden_runtime::configs::validator_set_info();
		assert_eq!(info.target, vec![account(Alice), account(Bob)]);
		assert!(info.target_changed);

		// The first boundary queues Bob; Aura and GRANDPA don't have him yet.
		run_to_session(1);
		let info = warden_runtime::configs::validator_set_info();
		assert_eq!(info.queued, vec![account(Alice), account(Bob)]);
		assert_eq!(info.active, vec![account(Alice)]);
		assert_eq!(aura_keys().len(), 1);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::ValidatorSet(pallet_warden_validators::Event::ValidatorSetQueued {
				active_from: 2,
				validators: 2
			})
		)));

		// The second makes him an author and a voter.
		run_to_session(2);
		assert_eq!(
			pallet_session::Validators::<Runtime>::get(),
			vec![account(Alice), account(Bob)]
		);
		assert_eq!(aura_keys(), vec![Alice.public().into(), keys.aura.clone()]);
		next_block();
		assert!(grandpa_keys().contains(&keys.grandpa));
		check_invariants();
	});
}

#[test]
fn a_validator_without_keys_and_a_plain_account_are_refused() {
	ext().execute_with(|| {
		assert_eq!(
			sudo(ValidatorSetCall::add_validator { who: account(Bob) }),
			Err(Error::NoSessionKeys.into())
		);
		assert_eq!(
			try_submit(Bob, ValidatorSetCall::add_validator { who: account(Bob) }),
			Err(DispatchError::BadOrigin)
		);
		// Alice is the only validator and the minimum is one.
		assert_eq!(
			sudo(ValidatorSetCall::remove_validator { who: account(Alice) }),
			Err(Error::TooFewValidators.into())
		);
		assert_eq!(ValidatorSet::target(), vec![account(Alice)]);
		check_invariants();
	});
}

/// Passes `call` through the committee (Alice, Bob, Charlie) with `ayes` of them voting
/// for it (Alice proposes with that many as threshold: one executes at once); returns the
/// motion's dispatch result.
fn committee(call: ValidatorSetCall, ayes: &[Sr25519Keyring]) -> Result<(), DispatchError> {
	type Collective = pallet_collective::Call<Runtime, warden_runtime::SlashingCommitteeInstance>;
	let proposal: RuntimeCall = call.into();
	let length = proposal.encoded_size() as u32;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&proposal);
	let threshold = ayes.len() as u32;
	submit_ok(
		Alice,
		Collective::propose { threshold, proposal: Box::new(proposal), length_bound: length },
	);
	if threshold > 1 {
		let index = pallet_collective::ProposalCount::<
			Runtime,
			warden_runtime::SlashingCommitteeInstance,
		>::get() - 1;
		for voter in ayes {
			submit_ok(*voter, Collective::vote { proposal: hash, index, approve: true });
		}
		submit_ok(
			Charlie,
			Collective::close {
				proposal_hash: hash,
				index,
				proposal_weight_bound: frame_support::weights::Weight::from_parts(
					10_000_000_000,
					1_000_000,
				),
				length_bound: length,
			},
		);
	}
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::SlashingCommittee(pallet_collective::Event::Executed {
				result, ..
			}) => Some(result),
			_ => None,
		})
		.expect("the motion was executed")
}

#[test]
fn two_thirds_of_the_committee_may_change_the_set_and_one_third_may_not() {
	ext().execute_with(|| {
		register_keys(Bob);
		// One member of three: the motion executes at once with one third, below the
		// origin's two thirds.
		assert_eq!(
			committee(ValidatorSetCall::add_validator { who: account(Bob) }, &[Alice]),
			Err(DispatchError::BadOrigin)
		);
		assert_eq!(ValidatorSet::target(), vec![account(Alice)]);
		// Two ayes of three.
		assert_eq!(
			committee(ValidatorSetCall::add_validator { who: account(Bob) }, &[Alice, Bob]),
			Ok(())
		);
		assert_eq!(ValidatorSet::target(), vec![account(Alice), account(Bob)]);
		check_invariants();
	});
}

/// Two different prevotes of Alice's in the same round, the first signed by `first`'s
/// GRANDPA key and the second by `second`'s (both Alice's for a real equivocation).
fn alice_equivocation(
	set_id: u64,
	round: u64,
	first_signer: Ed25519Keyring,
	second_signer: Ed25519Keyring,
) -> EquivocationProof<H256, u32> {
	let prevote =
		|target: H256| finality_grandpa::Prevote { target_hash: target, target_number: 1 };
	let sign = |signer: Ed25519Keyring, prevote: &finality_grandpa::Prevote<H256, u32>| {
		let payload = sp_consensus_grandpa::localized_payload(
			round,
			set_id,
			&finality_grandpa::Message::Prevote(prevote.clone()),
		);
		sp_consensus_grandpa::AuthoritySignature::unchecked_from(signer.pair().sign(&payload).0)
	};
	let (first, second) = (prevote(H256::repeat_byte(1)), prevote(H256::repeat_byte(2)));
	EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: Ed25519Keyring::Alice.public().into(),
			first: (first.clone(), sign(first_signer, &first)),
			second: (second.clone(), sign(second_signer, &second)),
		}),
	)
}

fn report(proof: EquivocationProof<H256, u32>) -> sp_runtime::ApplyExtrinsicResult {
	let key_owner_proof =
		Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Alice.public())))
			.expect("Alice's key is in the current session");
	apply(UncheckedExtrinsic::new_bare(RuntimeCall::Grandpa(
		pallet_grandpa::Call::report_equivocation_unsigned {
			equivocation_proof: Box::new(proof),
			key_owner_proof,
		},
	)))
}

#[test]
fn a_grandpa_equivocation_is_reported_and_announced_once() {
	ext().execute_with(|| {
		run_to_block(3);
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();

		// A forged proof (the second vote signed by another key) is refused.
		let forged = alice_equivocation(set_id, 1, Ed25519Keyring::Alice, Ed25519Keyring::Bob);
		assert_eq!(
			report(forged),
			Ok(Err(pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof.into())),
			"a forged equivocation is refused"
		);

		let alice = Ed25519Keyring::Alice;
		assert_ok!(report(alice_equivocation(set_id, 1, alice, alice)).expect("valid"));
		let reported: Vec<_> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::ValidatorSet(pallet_warden_validators::Event::OffenceReported {
					validator,
					session,
					..
				}) => Some((validator, session)),
				_ => None,
			})
			.collect();
		assert_eq!(reported, vec![(account(Alice), 0)]);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Offences(pallet_offences::Event::Offence { .. })
		)));

		// The same offence again is refused; Alice stays a validator until governance acts.
		assert_eq!(
			report(alice_equivocation(set_id, 1, alice, alice)),
			Err(sp_runtime::transaction_validity::InvalidTransaction::Stale.into())
		);
		assert_eq!(ValidatorSet::target(), vec![account(Alice)]);
		check_invariants();
	});
}

/// A chain spec may choose the slot length at genesis (`validatorSet.slotDuration`): Aura
/// and the timestamp pallet both follow it.
#[test]
fn a_chain_spec_chooses_the_slot_length() {
	let patch = serde_json::json!({ "validatorSet": { "slotDuration": 2000 } });
	genesis_ext_with("development", patch).execute_with(|| {
		assert_eq!(ValidatorSet::slot_duration(), 2000);
		assert_eq!(warden_runtime::Aura::slot_duration(), 2000);
		assert_eq!(
			<<Runtime as pallet_timestamp::Config>::MinimumPeriod as Get<u64>>::get(),
			1000,
			"the timestamp pallet's minimum period is half a slot"
		);
		// Blocks two seconds apart, each in its own slot.
		initialize_block(1);
		for _ in 0..3 {
			next_block();
		}
		assert_eq!(System::block_number(), 4);
		assert_eq!(pallet_timestamp::Now::<Runtime>::get(), 4 * 2000);
		check_invariants();
	});
}

/// Without a choice, slots are the runtime's six seconds.
#[test]
fn presets_keep_six_second_slots() {
	for preset in ["development", "local_testnet"] {
		genesis_ext(preset).execute_with(|| {
			assert_eq!(warden_runtime::Aura::slot_duration(), warden_runtime::SLOT_DURATION);
			assert_eq!(pallet_warden_validators::SlotDuration::<Runtime>::get(), None);
		});
	}
}

/// A timestamp outside the block's slot is refused: on 2-second slots, a block of slot 3
/// can't carry the timestamp a 6-second slot 3 would have.
#[test]
#[should_panic(expected = "Timestamp slot must match `CurrentSlot`")]
fn a_timestamp_outside_the_slot_is_refused() {
	let patch = serde_json::json!({ "validatorSet": { "slotDuration": 2000 } });
	genesis_ext_with("development", patch).execute_with(|| {
		initialize_block(1);
		warden_runtime::Executive::finalize_block();
		initialize_block_at(2, 3, 3 * warden_runtime::SLOT_DURATION);
	});
}

/// Bob, a validator, purges his session keys: at the next rotation the session pallet
/// drops him and the active set falls below the minimum of two. Before, governance then
/// couldn't remove him either (the set's length was still the minimum) and the set stayed
/// short for good; now the minimum counts only validators with keys: Bob can be removed,
/// Alice can't.
#[test]
fn a_validator_purging_its_keys_cannot_pin_the_set_below_its_minimum() {
	ext().execute_with(|| {
		register_keys(Bob);
		assert_ok!(sudo(ValidatorSetCall::add_validator { who: account(Bob) }));
		assert_ok!(sudo(ValidatorSetCall::set_min_validators { min: 2 }));
		run_to_session(2);
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 2);

		submit_ok(Bob, RuntimeCall::Session(pallet_session::Call::purge_keys {}));
		run_to_session(4);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![account(Alice)]);

		assert_eq!(
			sudo(ValidatorSetCall::remove_validator { who: account(Alice) }),
			Err(Error::TooFewValidators.into())
		);
		assert_ok!(sudo(ValidatorSetCall::remove_validator { who: account(Bob) }));
		assert_eq!(ValidatorSet::target(), vec![account(Alice)]);
		// The minimum follows the validators that can author.
		assert_ok!(sudo(ValidatorSetCall::set_min_validators { min: 1 }));
		check_invariants();
	});
}

/// In a set of four, Alice equivocates in GRANDPA: besides the report, she is disabled for
/// the rest of the session (a third of four rounds down to one: she may be), so she
/// authors no block until then.
#[test]
fn an_equivocating_validator_is_disabled_for_the_rest_of_the_session() {
	ext().execute_with(|| {
		for who in [Bob, Charlie, Dave] {
			register_keys(who);
			assert_ok!(sudo(ValidatorSetCall::add_validator { who: account(who) }));
		}
		run_to_session(2);
		next_block();
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 4);
		assert!(pallet_session::DisabledValidators::<Runtime>::get().is_empty());

		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		let alice = Ed25519Keyring::Alice;
		assert_ok!(report(alice_equivocation(set_id, 1, alice, alice)).expect("valid"));
		let disabled: Vec<u32> = pallet_session::DisabledValidators::<Runtime>::get()
			.into_iter()
			.map(|(index, _)| index)
			.collect();
		assert_eq!(disabled, vec![0], "Alice, the first validator");
		// Aura refuses her blocks until the next session, which enables everyone again.
		assert!(
			<warden_runtime::Session as frame_support::traits::DisabledValidators>::is_disabled(0)
		);
		check_invariants();
	});
}
