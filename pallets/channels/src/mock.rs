//! A test runtime with System, Balances (real holds) and the channels pallet, plus helpers
//! that sign balance proofs with real sr25519 keys.

use codec::Encode;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::InspectHold, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner,
};
use warden_primitives::{ChannelId, ChannelParams, OnChannelSettled};

use crate::{self as pallet_warden_channels, BalanceProofOf, BalanceProofPayload, HoldReason};

/// Accounts are sr25519 public keys, as on Warden.
pub type AccountId = AccountId32;
/// Balances are `u128`, as on Warden.
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Channels: pallet_warden_channels,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub static ExistentialDeposit: Balance = 1;
	pub static MaxSettlementsPerBlock: u32 = 4;
	/// Every settlement [`RecordSettlements`] was told about: (channel, final nonce).
	pub static SettledChannels: Vec<(ChannelId, u64)> = vec![];
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Records the settlement notices, as the monitoring pallet would receive them.
pub struct RecordSettlements;
impl OnChannelSettled<Balance> for RecordSettlements {
	fn on_channel_settled(channel: ChannelId, final_nonce: u64, _: Balance) {
		SettledChannels::mutate(|settled| settled.push((channel, final_nonce)));
	}
	fn on_channel_settled_weight() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}
}

impl pallet_warden_channels::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Public = MultiSigner;
	type OnSettled = RecordSettlements;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type MaxSettlementsPerBlock = MaxSettlementsPerBlock;
	type WeightInfo = ();
}

/// The genesis hash tests sign with.
pub const GENESIS_HASH: H256 = H256::repeat_byte(0x9e);
/// The challenge period at genesis.
pub const CHALLENGE_PERIOD: u64 = 10;
/// The minimum deposit at genesis.
pub const MIN_DEPOSIT: Balance = 10;
/// What each named account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;

/// The key pair of a named test account (`//Alice`, …), derived once per thread.
pub fn pair(name: &str) -> sr25519::Pair {
	thread_local! {
		static PAIRS: std::cell::RefCell<std::collections::BTreeMap<String, sr25519::Pair>> =
			Default::default();
	}
	PAIRS.with(|pairs| {
		pairs
			.borrow_mut()
			.entry(name.to_string())
			.or_insert_with(|| {
				sr25519::Pair::from_string(&format!("//{name}"), None).expect("static seed")
			})
			.clone()
	})
}

/// The account of a key pair.
pub fn account_of(pair: &sr25519::Pair) -> AccountId {
	MultiSigner::from(pair.public()).into_account()
}

/// The account of a named test account.
pub fn account(name: &str) -> AccountId {
	account_of(&pair(name))
}

/// Alice: a sender.
pub fn alice() -> AccountId {
	account("Alice")
}
/// Bob: a receiver.
pub fn bob() -> AccountId {
	account("Bob")
}
/// Charlie: neither.
pub fn charlie() -> AccountId {
	account("Charlie")
}

/// Signs `payload` with `signer`. Signatures are remembered per thread, so property tests
/// that sign the same message again and again stay fast.
pub fn sign(signer: &sr25519::Pair, payload: &impl Encode) -> MultiSignature {
	thread_local! {
		static SIGNATURES: std::cell::RefCell<std::collections::HashMap<(sr25519::Public, Vec<u8>), MultiSignature>> =
			Default::default();
	}
	let message = payload.encode();
	SIGNATURES.with(|signatures| {
		signatures
			.borrow_mut()
			.entry((signer.public(), message))
			.or_insert_with_key(|(_, message)| MultiSignature::from(signer.sign(message)))
			.clone()
	})
}

/// A balance proof signed by `signer` for `genesis` (the test chain's unless told).
pub fn proof_with(
	signer: &sr25519::Pair,
	genesis: H256,
	channel: ChannelId,
	nonce: u64,
	transferred: Balance,
) -> BalanceProofOf<Test> {
	let payload = BalanceProofPayload::new(genesis, channel, nonce, transferred);
	let signature = sign(signer, &payload);
	payload.into_proof(signature)
}

/// A balance proof Alice signs on the test chain.
pub fn proof(channel: ChannelId, nonce: u64, transferred: Balance) -> BalanceProofOf<Test> {
	proof_with(&pair("Alice"), GENESIS_HASH, channel, nonce, transferred)
}

/// The receiver's cooperative-close signature of a proof, by `signer`.
pub fn co_signature(
	signer: &sr25519::Pair,
	channel: ChannelId,
	nonce: u64,
	transferred: Balance,
) -> MultiSignature {
	sign(signer, &BalanceProofPayload::cooperative_close(GENESIS_HASH, channel, nonce, transferred))
}

/// What `who` holds for channels.
pub fn held(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ChannelDeposit.into(), who)
}

/// `who`'s free balance.
pub fn free(who: &AccountId) -> Balance {
	Balances::free_balance(who)
}

/// Opens a channel Alice → Bob with `deposit` and returns its id.
pub fn open_alice_bob(deposit: Balance) -> ChannelId {
	let id = crate::NextChannelId::<Test>::get();
	assert_ok!(Channels::open(RuntimeOrigin::signed(alice()), bob(), deposit));
	id
}

/// Moves to block `n`, running the pallet's `on_initialize` on every block on the way.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Channels::on_initialize(next);
	}
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Channels(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// Builds test externalities with knobs.
pub struct ExtBuilder {
	challenge_period: u64,
	min_deposit: Balance,
	existential_deposit: Balance,
	max_settlements_per_block: u32,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			challenge_period: CHALLENGE_PERIOD,
			min_deposit: MIN_DEPOSIT,
			existential_deposit: 1,
			max_settlements_per_block: 4,
		}
	}
}

impl ExtBuilder {
	/// Sets the challenge period at genesis.
	pub fn challenge_period(mut self, blocks: u64) -> Self {
		self.challenge_period = blocks;
		self
	}
	/// Sets the existential deposit.
	pub fn existential_deposit(mut self, amount: Balance) -> Self {
		self.existential_deposit = amount;
		self
	}
	/// Sets how many channels the hook settles in one block.
	pub fn max_settlements_per_block(mut self, max: u32) -> Self {
		self.max_settlements_per_block = max;
		self
	}

	/// The externalities, at block 1 with Alice, Bob and Charlie funded.
	pub fn build(self) -> sp_io::TestExternalities {
		ExistentialDeposit::set(self.existential_deposit);
		MaxSettlementsPerBlock::set(self.max_settlements_per_block);
		SettledChannels::set(vec![]);
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: ["Alice", "Bob", "Charlie"]
				.iter()
				.map(|name| (account(name), INITIAL_BALANCE))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_warden_channels::GenesisConfig::<Test> {
			params: ChannelParams {
				challenge_period: self.challenge_period,
				min_deposit: self.min_deposit,
			},
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| {
			frame_system::BlockHash::<Test>::insert(0, GENESIS_HASH);
			System::set_block_number(1);
		});
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Channels::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Test externalities for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
