//! The runtime's genesis presets and a real signed transfer, on the real runtime.

use frame_support::{assert_ok, traits::fungible::Inspect};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Ferdie};
use warden_runtime::{
	genesis_config_presets::ENDOWMENT, Balances, BalancesCall, Runtime, RuntimeCall, System,
	EXISTENTIAL_DEPOSIT, UNIT,
};
use warden_tests::runtime::*;

#[test]
fn development_preset_builds_with_one_authority_and_prefunded_accounts() {
	dev_ext().execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Alice)));
		for who in warden_runtime::genesis_config_presets::endowed_accounts() {
			// Free plus held: demo operators and delegators hold part of it.
			assert_eq!(<Balances as Inspect<_>>::total_balance(&who), ENDOWMENT);
		}
		assert_eq!(
			pallet_collective::Members::<Runtime, warden_runtime::SlashingCommitteeInstance>::get()
				.len(),
			3
		);
	});
}

#[test]
fn local_testnet_preset_builds_with_two_authorities() {
	genesis_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		assert_eq!(free_balance(&account(Bob)), ENDOWMENT);
	});
}

#[test]
fn unknown_preset_is_absent() {
	let id = sp_genesis_builder::PresetId::from("mainnet");
	assert!(warden_runtime::genesis_config_presets::get_preset(&id).is_none());
	assert_eq!(warden_runtime::genesis_config_presets::preset_names().len(), 2);
}

#[test]
fn signed_transfer_executes_and_pays_fees() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let amount = 10 * UNIT;
		let bob_before = free_balance(&account(Bob));
		let alice_before = free_balance(&account(Alice));

		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: account(Bob).into(),
			value: amount,
		});
		assert_ok!(apply(signed(Alice, call)).expect("valid transaction"));

		assert_eq!(free_balance(&account(Bob)), bob_before + amount);
		let alice_after = free_balance(&account(Alice));
		assert!(alice_after < alice_before - amount, "Alice paid a fee on top");
		assert_eq!(System::account_nonce(account(Alice)), 1);
		System::assert_has_event(
			pallet_balances::Event::<Runtime>::Transfer {
				from: account(Alice),
				to: account(Bob),
				amount,
			}
			.into(),
		);
		next_block();
		assert_eq!(System::block_number(), 2);
	});
}

#[test]
fn transfer_below_existential_deposit_to_new_account_fails() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let fresh = sp_runtime::AccountId32::new([9; 32]);
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: fresh.clone().into(),
			value: EXISTENTIAL_DEPOSIT - 1,
		});
		let outcome = apply(signed(Ferdie, call)).expect("valid transaction");
		assert!(outcome.is_err(), "a dust account can't be created");
		assert_eq!(Balances::free_balance(&fresh), 0);
	});
}
