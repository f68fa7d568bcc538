//! A test runtime: System, Balances (real holds) and the operators pallet, with small
//! services, slashing and stake-observer implementations steered by knobs.

use std::collections::BTreeMap;

// Storage-only externalities, re-exported by FRAME for its own genesis building.
pub use frame_support::__private::BasicExternalities;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::InspectHold, BuildGenesisConfig, ConstU128, ConstU32},
	weights::Weight,
};
use frame_system::EnsureRoot;
use warden_primitives::{OperatorParams, ServiceInspect, SlashInspect, StakeObserver};

use crate::{self as pallet_operators, Delegations, HoldReason, Operators as OperatorLedgers};

/// Accounts are plain numbers.
pub type AccountId = u64;
/// Balances as on the real chain.
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Operators: pallet_operators,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

parameter_types! {
	/// The slash defer window the mock slashing pallet reports.
	pub static DeferDuration: u64 = 3;
	/// Operators the mock services pallet reports as serving a service.
	pub static BusyOperators: Vec<AccountId> = Vec::new();
	/// Operators the mock services pallet reports as registered for a blueprint.
	pub static RegisteredOperators: Vec<AccountId> = Vec::new();
	/// The report window the mock slashing pallet reports.
	pub static ReportWindow: u64 = 2;
	/// The offence age cap the mock slashing pallet reports.
	pub static MaxOffenceAge: u64 = 7;
	/// What the mock slashing pallet's pending slashes hold back, by `(operator, staker)`.
	pub static HeldBack: BTreeMap<(AccountId, AccountId), Balance> = BTreeMap::new();
	/// Every active stake position as the stake observer was told: `(operator, staker)`.
	pub static ObservedStake: BTreeMap<(AccountId, AccountId), Balance> = BTreeMap::new();
	/// How many times the stake observer was called.
	pub static ObserverCalls: u32 = 0;
}

/// Services, as far as exit gating goes.
pub struct MockServices;
impl ServiceInspect<AccountId> for MockServices {
	fn active_services(operator: &AccountId) -> u32 {
		BusyOperators::get().contains(operator).into()
	}
	fn registrations(operator: &AccountId) -> u32 {
		RegisteredOperators::get().contains(operator).into()
	}
}

/// Slashing, as far as what pending slashes hold back and the windows go.
pub struct MockSlashing;
impl SlashInspect<AccountId, u64, Balance> for MockSlashing {
	fn has_pending_slash(operator: &AccountId) -> bool {
		HeldBack::get().keys().any(|(o, _)| o == operator)
	}
	fn held_back(operator: &AccountId, staker: &AccountId) -> Balance {
		HeldBack::get().get(&(*operator, *staker)).copied().unwrap_or_default()
	}
	fn defer_duration() -> u64 {
		DeferDuration::get()
	}
	fn report_window() -> u64 {
		ReportWindow::get()
	}
	fn max_offence_age() -> u64 {
		MaxOffenceAge::get()
	}
}

/// Holds back `amount` of `staker`'s position on `operator`, as a pending slash would.
pub fn hold_back(operator: AccountId, staker: AccountId, amount: Balance) {
	HeldBack::mutate(|held| {
		if amount == 0 {
			held.remove(&(operator, staker));
		} else {
			held.insert((operator, staker), amount);
		}
	});
}

/// What the stake observer charges per position.
pub const OBSERVER_WEIGHT: Weight = Weight::from_parts(7_000_000, 1_000);

/// Keeps a shadow copy of every active stake position from what it is told, and checks
/// that each change starts from what it was last told.
pub struct ShadowObserver;
impl StakeObserver<AccountId, Balance> for ShadowObserver {
	fn before_stake_change(operator: &AccountId, staker: &AccountId, old: Balance, new: Balance) {
		assert_ne!(old, new, "the observer is told only of real changes");
		ObserverCalls::mutate(|calls| *calls += 1);
		ObservedStake::mutate(|stake| {
			let key = (*operator, *staker);
			assert_eq!(
				stake.get(&key).copied().unwrap_or_default(),
				old,
				"the observer was told a stale old stake for {key:?}"
			);
			if new == 0 {
				stake.remove(&key);
			} else {
				stake.insert(key, new);
			}
		});
	}

	fn before_stake_change_weight() -> Weight {
		OBSERVER_WEIGHT
	}
}

impl pallet_operators::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Services = MockServices;
	type Slashing = MockSlashing;
	type StakeObserver = ShadowObserver;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type MaxDelegationsPerDelegator = ConstU32<3>;
	type MaxDelegatorsPerOperator = ConstU32<4>;
	type MaxUnbondingDelegatorsPerOperator = ConstU32<2>;
	type MaxUnbondingRequests = ConstU32<3>;
	type MaxBlueprintsPerDelegation = ConstU32<3>;
	type MaxRecentIncreases = ConstU32<3>;
	type WeightInfo = ();
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
pub const FERDIE: AccountId = 6;

/// What every account from 1 to 20 starts with.
pub const INITIAL_BALANCE: Balance = 100_000;
/// The default minimum operator bond.
pub const MIN_BOND: Balance = 100;
/// The default minimum delegation.
pub const MIN_DELEGATION: Balance = 10;
/// The default leave delay.
pub const LEAVE_DELAY: u64 = 5;
/// The default bond-less delay.
pub const BOND_LESS_DELAY: u64 = 8;
/// The default unbonding delay.
pub const UNBONDING_DELAY: u64 = 10;

/// The default parameters.
pub fn default_params() -> OperatorParams<Balance, u64> {
	OperatorParams {
		leave_delay: LEAVE_DELAY,
		bond_less_delay: BOND_LESS_DELAY,
		unbonding_delay: UNBONDING_DELAY,
		min_operator_bond: MIN_BOND,
		min_delegation: MIN_DELEGATION,
	}
}

/// Builds test externalities: balances, genesis operators and delegations, parameters and
/// knobs.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	operators: Vec<(AccountId, Balance)>,
	delegations: Vec<(AccountId, AccountId, Balance)>,
	params: OperatorParams<Balance, u64>,
	defer_duration: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			balances: (1..=20).map(|who| (who, INITIAL_BALANCE)).collect(),
			operators: Vec::new(),
			delegations: Vec::new(),
			params: default_params(),
			defer_duration: 3,
		}
	}
}

impl ExtBuilder {
	/// A genesis operator.
	pub fn operator(mut self, who: AccountId, bond: Balance) -> Self {
		self.operators.push((who, bond));
		self
	}

	/// A genesis delegation.
	pub fn delegation(
		mut self,
		delegator: AccountId,
		operator: AccountId,
		amount: Balance,
	) -> Self {
		self.delegations.push((delegator, operator, amount));
		self
	}

	/// Sets `who`'s starting balance.
	pub fn balance(mut self, who: AccountId, amount: Balance) -> Self {
		self.balances.retain(|(a, _)| *a != who);
		self.balances.push((who, amount));
		self
	}

	/// Changes the genesis parameters.
	pub fn params(mut self, f: impl FnOnce(&mut OperatorParams<Balance, u64>)) -> Self {
		f(&mut self.params);
		self
	}

	/// The slash defer window the mock slashing pallet reports.
	pub fn defer_duration(mut self, blocks: u64) -> Self {
		self.defer_duration = blocks;
		self
	}

	/// Builds the externalities at block 1. Panics like the real genesis if it is invalid.
	pub fn build(self) -> sp_io::TestExternalities {
		// Genesis is built inside the externalities so that it lives in the overlay, where
		// reads are cheaper than from the trie backend.
		let mut ext = sp_io::TestExternalities::new_empty();
		ext.execute_with(|| self.build_genesis());
		ext
	}

	/// Like [`Self::build`], on externalities without a trie backend: storage iteration is
	/// an order of magnitude cheaper there, which keeps the property test fast.
	pub fn build_basic(self) -> BasicExternalities {
		let mut ext = BasicExternalities::new_empty();
		ext.execute_with(|| self.build_genesis());
		ext
	}

	/// Resets the knobs and builds genesis in the current externalities.
	fn build_genesis(self) {
		DeferDuration::set(self.defer_duration);
		BusyOperators::reset();
		RegisteredOperators::reset();
		HeldBack::reset();
		ReportWindow::reset();
		MaxOffenceAge::reset();
		ObservedStake::reset();
		ObserverCalls::reset();

		frame_system::GenesisConfig::<Test>::default().build();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.build();
		pallet_operators::GenesisConfig::<Test> {
			params: self.params,
			operators: self.operators,
			delegations: self.delegations,
		}
		.build();
		// Events are not recorded in the genesis block.
		System::set_block_number(1);
	}

	/// Builds, runs `test`, then checks the pallet's invariants and that the stake observer
	/// was told every active stake change.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			assert_ok!(pallet_operators::Pallet::<Test>::do_try_state());
			assert_observer_in_sync();
		});
	}
}

/// Externalities with the default genesis (no operators), for the benchmark tests.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Checks the stake observer's shadow copy against the ledgers.
pub fn assert_observer_in_sync() {
	let mut actual = BTreeMap::new();
	for (operator, ledger) in OperatorLedgers::<Test>::iter() {
		if ledger.bond != 0 {
			actual.insert((operator, operator), ledger.bond);
		}
	}
	for (operator, delegator, delegation) in Delegations::<Test>::iter() {
		if delegation.amount != 0 {
			actual.insert((operator, delegator), delegation.amount);
		}
	}
	assert_eq!(ObservedStake::get(), actual, "the stake observer is out of sync");
}

/// Moves to block `n`. The pallet has no per-block work, so no hooks need to run.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// Moves `blocks` blocks ahead.
pub fn advance(blocks: u64) {
	run_to_block(System::block_number() + blocks);
}

/// The pallet's events since the last call, oldest first.
pub fn events() -> Vec<pallet_operators::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Operators(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// What `who` holds under `reason`.
pub fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Operators(reason), &who)
}

/// `who`'s free balance.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// A signed origin.
pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}
