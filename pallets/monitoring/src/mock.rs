//! A test runtime with System, Balances (real holds) and the monitoring pallet, plus a
//! small in-memory channel model behind [`ChannelUpdate`], and helpers that sign proofs
//! and authorizations with real sr25519 keys.

use codec::{Decode, Encode};
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::InspectHold, ConstU32},
};
use frame_system::EnsureRoot;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{
	traits::{Hash, IdentifyAccount, IdentityLookup, Verify},
	AccountId32, BuildStorage, DispatchError, DispatchResult, MultiSignature, MultiSigner,
};
use warden_primitives::{
	BalanceProofPayload, ChannelBenchmarkHelper, ChannelId, ChannelPhase, ChannelUpdate,
	OnChannelSettled, RewardAuthorizationPayload,
};

use crate::{self as pallet_warden_monitoring, BalanceProofOf, HoldReason, RewardAuthorizationOf};

/// Accounts are sr25519 public keys, as on Warden.
pub type AccountId = AccountId32;
/// Balances are `u128`, as on Warden.
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Monitoring: pallet_warden_monitoring,
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
	/// The challenge period of the channel model.
	pub static ModelChallengePeriod: u64 = CHALLENGE_PERIOD;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_warden_monitoring::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Public = MultiSigner;
	type Channels = ModelChannels;
	type MaxEndpointLen = ConstU32<32>;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ModelChannels;
}

/// A channel of the model: no money moves, only the state monitoring reads and updates.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct ModelChannel {
	/// Who signs the proofs.
	pub sender: AccountId,
	/// Who monitors act for.
	pub receiver: AccountId,
	/// The most a proof may transfer.
	pub deposit: Balance,
	/// The nonce of the newest proof submitted for the receiver.
	pub nonce: u64,
	/// The newest proof's amount.
	pub transferred: Balance,
	/// Open or closing.
	pub phase: ChannelPhase<u64>,
}

/// The channel model, kept in (transactional) storage under its own keys, as the real
/// channels pallet would keep it.
pub struct ModelChannels;

impl ModelChannels {
	fn key(channel: ChannelId) -> Vec<u8> {
		(b"model/channel", channel).encode()
	}
	fn next_key() -> Vec<u8> {
		b"model/next".encode()
	}

	/// The channel, if it exists.
	pub fn get(channel: ChannelId) -> Option<ModelChannel> {
		frame_support::storage::unhashed::get(&Self::key(channel))
	}

	fn put(channel: ChannelId, state: &ModelChannel) {
		frame_support::storage::unhashed::put(&Self::key(channel), state);
	}

	/// Opens a channel and returns its id.
	pub fn open(sender: &AccountId, receiver: &AccountId, deposit: Balance) -> ChannelId {
		let id: ChannelId = frame_support::storage::unhashed::get_or_default(&Self::next_key());
		frame_support::storage::unhashed::put(&Self::next_key(), &(id + 1));
		Self::put(
			id,
			&ModelChannel {
				sender: sender.clone(),
				receiver: receiver.clone(),
				deposit,
				nonce: 0,
				transferred: 0,
				phase: ChannelPhase::Open,
			},
		);
		id
	}

	/// Starts the close now, with the model's challenge period. The sender's own proof
	/// doesn't set the nonce, as in the channels pallet.
	pub fn close(channel: ChannelId, transferred: Balance) {
		let mut state = Self::get(channel).expect("model channel exists");
		let now = System::block_number();
		state.phase = ChannelPhase::Closing {
			closed_at: now,
			settle_from: now + ModelChallengePeriod::get(),
		};
		state.transferred = transferred;
		Self::put(channel, &state);
	}

	/// Settles the channel: removes it and tells the monitoring pallet, as the channels
	/// pallet does.
	pub fn settle(channel: ChannelId) {
		let state = Self::get(channel).expect("model channel exists");
		frame_support::storage::unhashed::kill(&Self::key(channel));
		<crate::Pallet<Test> as OnChannelSettled<Balance>>::on_channel_settled(
			channel,
			state.nonce,
			state.transferred,
		);
	}
}

impl ChannelUpdate<AccountId, Balance, u64, BalanceProofOf<Test>> for ModelChannels {
	fn receiver(channel: ChannelId) -> Option<AccountId> {
		Self::get(channel).map(|state| state.receiver)
	}
	fn phase(channel: ChannelId) -> Option<ChannelPhase<u64>> {
		Self::get(channel).map(|state| state.phase)
	}
	fn current_nonce(channel: ChannelId) -> Option<u64> {
		Self::get(channel).map(|state| state.nonce)
	}
	fn transferred(channel: ChannelId) -> Option<Balance> {
		Self::get(channel).map(|state| state.transferred)
	}
	fn update_for_receiver(channel: ChannelId, proof: BalanceProofOf<Test>) -> DispatchResult {
		let mut state = Self::get(channel).ok_or(DispatchError::Other("unknown channel"))?;
		let ChannelPhase::Closing { settle_from, .. } = state.phase else {
			return Err(DispatchError::Other("not closing"));
		};
		if System::block_number() >= settle_from {
			return Err(DispatchError::Other("too late"));
		}
		if proof.channel != channel {
			return Err(DispatchError::Other("wrong channel"));
		}
		if proof.nonce <= state.nonce {
			return Err(DispatchError::Other("stale nonce"));
		}
		if proof.transferred > state.deposit {
			return Err(DispatchError::Other("over deposit"));
		}
		if proof.transferred < state.transferred {
			return Err(DispatchError::Other("would decrease"));
		}
		let message = proof.payload(System::block_hash(0)).signing_bytes();
		if !proof.signature.verify(&message[..], &state.sender) {
			return Err(DispatchError::Other("bad signature"));
		}
		state.nonce = proof.nonce;
		state.transferred = proof.transferred;
		Self::put(channel, &state);
		Ok(())
	}
}

impl ChannelBenchmarkHelper<AccountId, Balance> for ModelChannels {
	fn open_channel(
		sender: &AccountId,
		receiver: &AccountId,
		deposit: Balance,
	) -> Result<ChannelId, DispatchError> {
		Ok(Self::open(sender, receiver, deposit))
	}
	fn start_close(channel: ChannelId) -> DispatchResult {
		Self::get(channel).ok_or(DispatchError::Other("unknown channel"))?;
		Self::close(channel, 0);
		Ok(())
	}
	fn settle_now(channel: ChannelId) -> DispatchResult {
		Self::get(channel).ok_or(DispatchError::Other("unknown channel"))?;
		Self::settle(channel);
		Ok(())
	}
}

/// The genesis hash tests sign with.
pub const GENESIS_HASH: H256 = H256::repeat_byte(0x5a);
/// The challenge period of the model's channels unless a test changes it.
pub const CHALLENGE_PERIOD: u64 = 100;
/// The minimum monitor deposit at genesis.
pub const MIN_MONITOR_DEPOSIT: Balance = 50;
/// The registration period at genesis.
pub const REGISTRATION_PERIOD: u64 = 1_000;
/// The unregister delay at genesis.
pub const UNREGISTER_DELAY: u64 = 20;
/// What each named account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;
/// The named accounts that start funded.
pub const FUNDED: [&str; 5] = ["Alice", "Bob", "Mallory", "Monitor1", "Monitor2"];

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

/// The account of a named test account.
pub fn account(name: &str) -> AccountId {
	MultiSigner::from(pair(name).public()).into_account()
}

/// Alice: a channel's receiver, who funds the escrow and authorizes rewards.
pub fn alice() -> AccountId {
	account("Alice")
}
/// Bob: a channel's sender, who closes with a stale proof.
pub fn bob() -> AccountId {
	account("Bob")
}
/// A first monitor.
pub fn monitor1() -> AccountId {
	account("Monitor1")
}
/// A second monitor.
pub fn monitor2() -> AccountId {
	account("Monitor2")
}
/// A payout address with no account yet.
pub fn payout() -> AccountId {
	account("Payout")
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

/// A balance proof Bob signs on the test chain.
pub fn proof(channel: ChannelId, nonce: u64, transferred: Balance) -> BalanceProofOf<Test> {
	proof_by(&pair("Bob"), channel, nonce, transferred)
}

/// A balance proof `signer` signs on the test chain.
pub fn proof_by(
	signer: &sr25519::Pair,
	channel: ChannelId,
	nonce: u64,
	transferred: Balance,
) -> BalanceProofOf<Test> {
	let payload = BalanceProofPayload::new(GENESIS_HASH, channel, nonce, transferred);
	let signature = sign(signer, &payload);
	payload.into_proof(signature)
}

/// The hash a reward authorization names for `proof`.
pub fn proof_hash(proof: &BalanceProofOf<Test>) -> H256 {
	<Test as frame_system::Config>::Hashing::hash_of(&proof.signature)
}

/// A reward authorization for `proof`, signed by `signer` with the given terms, for any
/// monitor.
pub fn authorization_with(
	signer: &sr25519::Pair,
	genesis_hash: H256,
	channel: ChannelId,
	nonce: u64,
	reward: Balance,
	proof_signature_hash: H256,
) -> RewardAuthorizationOf<Test> {
	named_authorization_with(
		signer,
		genesis_hash,
		channel,
		nonce,
		reward,
		proof_signature_hash,
		None,
	)
}

/// [`authorization_with`], for `monitor` only if it names one.
pub fn named_authorization_with(
	signer: &sr25519::Pair,
	genesis_hash: H256,
	channel: ChannelId,
	nonce: u64,
	reward: Balance,
	proof_signature_hash: H256,
	monitor: Option<AccountId>,
) -> RewardAuthorizationOf<Test> {
	let payload = RewardAuthorizationPayload::new(
		genesis_hash,
		channel,
		nonce,
		reward,
		proof_signature_hash,
		monitor,
	);
	let signature = sign(signer, &payload);
	payload.into_authorization(signature)
}

/// Alice's reward authorization of `reward` for `proof`.
pub fn authorization(proof: &BalanceProofOf<Test>, reward: Balance) -> RewardAuthorizationOf<Test> {
	authorization_with(
		&pair("Alice"),
		GENESIS_HASH,
		proof.channel,
		proof.nonce,
		reward,
		proof_hash(proof),
	)
}

/// Alice's reward authorization of `reward` for `proof`, for `monitor` only.
pub fn named_authorization(
	proof: &BalanceProofOf<Test>,
	reward: Balance,
	monitor: AccountId,
) -> RewardAuthorizationOf<Test> {
	named_authorization_with(
		&pair("Alice"),
		GENESIS_HASH,
		proof.channel,
		proof.nonce,
		reward,
		proof_hash(proof),
		Some(monitor),
	)
}

/// An endpoint.
pub fn endpoint(url: &[u8]) -> crate::EndpointOf<Test> {
	frame_support::BoundedVec::truncate_from(url.to_vec())
}

/// The endpoint the tests' monitors register with.
pub fn monitor_endpoint() -> crate::EndpointOf<Test> {
	endpoint(b"https://monitor.example")
}

/// What `who` holds as monitor deposit.
pub fn held_deposit(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::MonitorDeposit.into(), who)
}

/// What `who` holds as monitoring escrow.
pub fn held_escrow(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::MonitoringEscrow.into(), who)
}

/// `who`'s free balance.
pub fn free(who: &AccountId) -> Balance {
	Balances::free_balance(who)
}

/// Opens a model channel Bob → Alice with a deposit of 1000 and returns its id.
pub fn open_bob_alice() -> ChannelId {
	ModelChannels::open(&bob(), &alice(), 1_000)
}

/// Moves to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Monitoring(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// Builds test externalities with knobs.
pub struct ExtBuilder {
	existential_deposit: Balance,
	challenge_period: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { existential_deposit: 1, challenge_period: CHALLENGE_PERIOD }
	}
}

impl ExtBuilder {
	/// Sets the existential deposit.
	pub fn existential_deposit(mut self, amount: Balance) -> Self {
		self.existential_deposit = amount;
		self
	}
	/// Sets the model channels' challenge period.
	pub fn challenge_period(mut self, blocks: u64) -> Self {
		self.challenge_period = blocks;
		self
	}

	/// The externalities, at block 1 with the named accounts funded.
	pub fn build(self) -> sp_io::TestExternalities {
		ExistentialDeposit::set(self.existential_deposit);
		ModelChallengePeriod::set(self.challenge_period);
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: FUNDED.iter().map(|name| (account(name), INITIAL_BALANCE)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_warden_monitoring::GenesisConfig::<Test> {
			params: crate::MonitoringParams {
				min_monitor_deposit: MIN_MONITOR_DEPOSIT,
				registration_period: REGISTRATION_PERIOD,
				unregister_delay: UNREGISTER_DELAY,
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
			Monitoring::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Test externalities for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
