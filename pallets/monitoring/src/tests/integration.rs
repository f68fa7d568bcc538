//! The usual scenario with the real channels pallet behind [`crate::Config::Channels`]: a
//! runtime with System, Balances, Channels and Monitoring wired as on Warden, and every
//! balance checked at the end.

use frame_support::{
	assert_noop, assert_ok, derive_impl, parameter_types,
	traits::{fungible::InspectHold, OnInitialize},
};
use frame_system::EnsureRoot;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{
	traits::{Hash, IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner,
};
use warden_primitives::{
	BalanceProof, BalanceProofPayload, RewardAuthorization, RewardAuthorizationPayload,
	BALANCE_PROOF_TAG, REWARD_AUTHORIZATION_TAG,
};

use crate::{self as pallet_warden_monitoring, mock::pair};

type AccountId = AccountId32;
type Balance = u128;
type Block = frame_system::mocking::MockBlock<Runtime>;

frame_support::construct_runtime!(
	pub enum Runtime {
		System: frame_system,
		Balances: pallet_balances,
		Channels: pallet_warden_channels,
		Monitoring: pallet_warden_monitoring,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub const ExistentialDeposit: Balance = 10;
	pub const MaxSettlementsPerBlock: u32 = 16;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Runtime {
	type Balance = Balance;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_warden_channels::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Public = MultiSigner;
	type OnSettled = Monitoring;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type MaxSettlementsPerBlock = MaxSettlementsPerBlock;
	type WeightInfo = ();
}

impl pallet_warden_monitoring::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Public = MultiSigner;
	type Channels = Channels;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Channels;
}

const GENESIS_HASH: H256 = H256::repeat_byte(0x77);
const CHALLENGE_PERIOD: u64 = 20;
const INITIAL: Balance = 10_000;
const MONITOR_DEPOSIT: Balance = 500;

fn account(name: &str) -> AccountId {
	MultiSigner::from(pair(name).public()).into_account()
}

fn sign(signer: &sr25519::Pair, payload: &impl codec::Encode) -> MultiSignature {
	MultiSignature::from(signer.sign(&codec::Encode::encode(payload)))
}

fn proof(
	channel: u64,
	nonce: u64,
	transferred: Balance,
) -> pallet_warden_channels::BalanceProofOf<Runtime> {
	let payload = BalanceProofPayload {
		tag: BALANCE_PROOF_TAG,
		genesis_hash: GENESIS_HASH,
		channel,
		nonce,
		transferred,
	};
	BalanceProof { channel, nonce, transferred, signature: sign(&pair("Bob"), &payload) }
}

fn authorization(
	proof: &pallet_warden_channels::BalanceProofOf<Runtime>,
	reward: Balance,
) -> crate::RewardAuthorizationOf<Runtime> {
	let proof_signature_hash =
		<Runtime as frame_system::Config>::Hashing::hash_of(&proof.signature);
	let payload = RewardAuthorizationPayload {
		tag: REWARD_AUTHORIZATION_TAG,
		genesis_hash: GENESIS_HASH,
		channel: proof.channel,
		nonce: proof.nonce,
		reward,
		proof_signature_hash,
	};
	RewardAuthorization {
		channel: proof.channel,
		nonce: proof.nonce,
		reward,
		proof_signature_hash,
		signature: sign(&pair("Alice"), &payload),
	}
}

fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		AllPalletsWithSystem::on_initialize(next);
	}
}

/// Externalities with Alice, Bob and Monitor1 funded, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Runtime> {
		balances: ["Alice", "Bob", "Monitor1"]
			.iter()
			.map(|name| (account(name), INITIAL))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_warden_channels::GenesisConfig::<Runtime> {
		challenge_period: CHALLENGE_PERIOD,
		min_deposit: 100,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_warden_monitoring::GenesisConfig::<Runtime> {
		min_monitor_deposit: MONITOR_DEPOSIT,
		registration_period: 1_000,
		unregister_delay: 10,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		frame_system::BlockHash::<Runtime>::insert(0, GENESIS_HASH);
		System::set_block_number(1);
	});
	ext
}

fn check_invariants() {
	Channels::do_try_state().expect("channels invariants hold");
	Monitoring::do_try_state().expect("monitoring invariants hold");
}

#[test]
fn the_usual_scenario_with_real_channels() {
	new_test_ext().execute_with(|| {
		let (alice, bob, monitor, payout) =
			(account("Alice"), account("Bob"), account("Monitor1"), account("Payout"));

		// Bob opens a channel to Alice; Alice funds its monitoring escrow; a monitor
		// registers.
		assert_ok!(Channels::open(RuntimeOrigin::signed(bob.clone()), alice.clone(), 1_000));
		let channel = 0;
		assert_ok!(Monitoring::fund_monitoring(RuntimeOrigin::signed(alice.clone()), channel, 300));
		assert_ok!(Monitoring::register_monitor(
			RuntimeOrigin::signed(monitor.clone()),
			MONITOR_DEPOSIT
		));
		check_invariants();

		// Bob pays Alice off-chain four times. Alice hands the newest proof and a reward
		// of 100 to the monitor and goes offline.
		let stale = proof(channel, 2, 300);
		let newest = proof(channel, 4, 700);
		let reward = authorization(&newest, 100);

		// Bob closes with the stale proof.
		assert_ok!(Channels::close(RuntimeOrigin::signed(bob.clone()), channel, Some(stale)));
		let settle_from = 1 + CHALLENGE_PERIOD;

		// Before its slot the monitor is refused; in its slot it is accepted.
		let slot = Monitoring::first_allowed_block(channel, &monitor).unwrap();
		assert!((1 + CHALLENGE_PERIOD * 30 / 100..=1 + CHALLENGE_PERIOD * 80 / 100).contains(&slot));
		run_to_block(slot - 1);
		assert_noop!(
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor.clone()),
				newest.clone(),
				reward.clone(),
				payout.clone()
			),
			crate::Error::<Runtime>::BeforeSlot
		);
		run_to_block(slot);
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor.clone()),
			newest.clone(),
			reward.clone(),
			payout.clone()
		));
		check_invariants();
		// Replaying the same update is refused by its nonce.
		assert_noop!(
			Monitoring::monitor_update(
				RuntimeOrigin::signed(monitor.clone()),
				newest,
				reward,
				payout.clone()
			),
			crate::Error::<Runtime>::StaleNonce
		);

		// The window ends and the channel settles by itself, as Alice expects.
		run_to_block(settle_from);
		assert!(pallet_warden_channels::Channels::<Runtime>::get(channel).is_none());
		assert_eq!(crate::Escrows::<Runtime>::get(channel).unwrap().settled_nonce, Some(4));
		check_invariants();

		// The monitor claims its reward at its payout address, once.
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(monitor.clone()), channel));
		assert_noop!(
			Monitoring::claim_reward(RuntimeOrigin::signed(monitor.clone()), channel),
			crate::Error::<Runtime>::NoEscrow
		);
		check_invariants();

		// Every balance: Alice got 700 and paid 100, Bob paid 700, the payout address holds
		// the reward, the monitor still holds its deposit, nothing else is held.
		assert_eq!(Balances::free_balance(&alice), INITIAL + 700 - 100);
		assert_eq!(Balances::free_balance(&bob), INITIAL - 700);
		assert_eq!(Balances::free_balance(&payout), 100);
		assert_eq!(Balances::free_balance(&monitor), INITIAL - MONITOR_DEPOSIT);
		assert_eq!(Balances::total_balance_on_hold(&alice), 0);
		assert_eq!(Balances::total_balance_on_hold(&bob), 0);
		assert_eq!(Balances::total_balance_on_hold(&monitor), MONITOR_DEPOSIT);
		assert_eq!(Balances::total_issuance(), 3 * INITIAL);

		// The monitor leaves and gets its deposit back.
		assert_ok!(Monitoring::unregister_monitor(RuntimeOrigin::signed(monitor.clone())));
		run_to_block(System::block_number() + 10);
		assert_ok!(Monitoring::release_monitor_deposit(RuntimeOrigin::signed(monitor.clone())));
		assert_eq!(Balances::free_balance(&monitor), INITIAL);
		check_invariants();
	});
}

#[test]
fn a_receiver_who_updates_herself_gets_her_escrow_back() {
	new_test_ext().execute_with(|| {
		let (alice, bob, monitor, payout) =
			(account("Alice"), account("Bob"), account("Monitor1"), account("Payout"));
		assert_ok!(Channels::open(RuntimeOrigin::signed(bob.clone()), alice.clone(), 1_000));
		assert_ok!(Monitoring::fund_monitoring(RuntimeOrigin::signed(alice.clone()), 0, 300));
		assert_ok!(Monitoring::register_monitor(
			RuntimeOrigin::signed(monitor.clone()),
			MONITOR_DEPOSIT
		));
		assert_ok!(Channels::close(RuntimeOrigin::signed(bob.clone()), 0, None));

		let older = proof(0, 3, 500);
		run_to_block(Monitoring::first_allowed_block(0, &monitor).unwrap());
		assert_ok!(Monitoring::monitor_update(
			RuntimeOrigin::signed(monitor.clone()),
			older.clone(),
			authorization(&older, 100),
			payout.clone()
		));
		// Alice is back online and submits a newer proof herself, at any block.
		assert_ok!(Channels::update(RuntimeOrigin::signed(alice.clone()), 0, proof(0, 4, 700)));

		run_to_block(1 + CHALLENGE_PERIOD);
		assert_ok!(Monitoring::claim_reward(RuntimeOrigin::signed(bob.clone()), 0));
		assert_eq!(Balances::free_balance(&payout), 0);
		assert_eq!(Balances::free_balance(&alice), INITIAL + 700);
		assert_eq!(Balances::free_balance(&bob), INITIAL - 700);
		assert_eq!(
			Balances::balance_on_hold(&crate::HoldReason::MonitoringEscrow.into(), &alice),
			0
		);
		check_invariants();
	});
}
