//! A test runtime: System, Balances with real accounts, and the rewards pallet, with a
//! small operator registry that plays the operators pallet's part.

use crate::{self as pallet_warden_rewards, types::*};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Inspect, ConstU32, Hooks},
	weights::Weight,
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Perbill};
use warden_primitives::{
	Balance, BlueprintId, OperatorRegistry, OperatorState, RewardRecorder, StakeObserver,
	WorkOutcome,
};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are plain numbers in tests.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Rewards: pallet_warden_rewards,
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
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
}

/// Era settlement's default budget: a tenth of a two-second block, as on Warden.
pub const DEFAULT_WORK_WEIGHT_LIMIT: Weight = Weight::from_parts(200_000_000_000, 5 * 1024 * 1024);

parameter_types! {
	pub static ExistentialDeposit: Balance = 1;
	pub const PotId: PalletId = PalletId(*b"wd/rewrd");
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
	pub static EraWorkWeightLimit: Weight = DEFAULT_WORK_WEIGHT_LIMIT;
	pub static MaxEraWorkItemsPerBlock: u32 = 100;
}

std::thread_local! {
	/// The mock registry's operators.
	static REGISTERED_OPERATORS: core::cell::RefCell<BTreeSet<AccountId>> =
		const { core::cell::RefCell::new(BTreeSet::new()) };
	/// The mock registry's active stake positions, `(operator, staker) → stake`.
	static STAKE_LEDGER: core::cell::RefCell<BTreeMap<(AccountId, AccountId), Balance>> =
		const { core::cell::RefCell::new(BTreeMap::new()) };
}

/// Runs `f` on the mock registry's operators, in place (a `parameter_types!` static would
/// clone the whole set on every access, which tests with 10,000 operators can't afford).
fn with_operators<R>(f: impl FnOnce(&mut BTreeSet<AccountId>) -> R) -> R {
	REGISTERED_OPERATORS.with(|set| f(&mut set.borrow_mut()))
}

/// Runs `f` on the mock registry's stake ledger, in place.
fn with_ledger<R>(f: impl FnOnce(&mut BTreeMap<(AccountId, AccountId), Balance>) -> R) -> R {
	STAKE_LEDGER.with(|ledger| f(&mut ledger.borrow_mut()))
}

/// The ledger's keys of `operator`'s positions.
fn positions_of(operator: AccountId) -> core::ops::RangeInclusive<(AccountId, AccountId)> {
	(operator, AccountId::MIN)..=(operator, AccountId::MAX)
}

/// The operator registry of the tests: a set of operators and a stake ledger that tells
/// the rewards pallet about every change, as the operators pallet does.
pub struct MockOperators;
impl OperatorRegistry<AccountId, Balance, u64> for MockOperators {
	type Credit = ();
	fn state(operator: &AccountId) -> Option<OperatorState<u64>> {
		with_operators(|set| set.contains(operator)).then_some(OperatorState::Active)
	}
	fn own_stake(operator: &AccountId) -> Balance {
		stake_of(*operator, *operator)
	}
	fn delegated_stake(operator: &AccountId) -> Balance {
		with_ledger(|ledger| {
			ledger
				.range(positions_of(*operator))
				.filter(|((_, s), _)| s != operator)
				.map(|(_, v)| *v)
				.sum()
		})
	}
	fn total_stake(operator: &AccountId) -> Balance {
		Self::own_stake(operator) + Self::delegated_stake(operator)
	}
	fn stake_positions(operator: &AccountId) -> Vec<(AccountId, Balance)> {
		with_ledger(|ledger| {
			ledger.range(positions_of(*operator)).map(|((_, s), v)| (*s, *v)).collect()
		})
	}
	fn blueprint_stake(operator: &AccountId, _: warden_primitives::BlueprintId) -> Balance {
		Self::total_stake(operator)
	}
	fn slashable_positions(
		operator: &AccountId,
		_: warden_primitives::BlueprintId,
		_: u64,
	) -> Vec<(AccountId, Balance)> {
		Self::stake_positions(operator)
	}
	fn max_slashable_positions() -> u32 {
		0
	}
	fn slash_positions(_: &AccountId, _: &[(AccountId, Balance)]) -> ((), Balance) {
		((), 0)
	}
	fn unbonding_delay() -> u64 {
		10
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockOperators {
	fn make_operator(who: &AccountId) {
		with_operators(|set| set.insert(*who));
	}
}

impl pallet_warden_rewards::Config for Test {
	type Currency = Balances;
	type Operators = MockOperators;
	type IncentiveOrigin = EnsureRoot<AccountId>;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type PotId = PotId;
	type MaxCommission = MaxCommission;
	type MaxIncentivizedBlueprints = ConstU32<4>;
	type MaxPositionsPerStaker = ConstU32<4>;
	type EraWorkWeightLimit = EraWorkWeightLimit;
	type MaxEraWorkItemsPerBlock = MaxEraWorkItemsPerBlock;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockOperators;
}

/// A blueprint incentivized with weight 1 by default.
pub const BLUEPRINT_A: BlueprintId = 1;
/// A blueprint incentivized with weight 2 by default.
pub const BLUEPRINT_B: BlueprintId = 2;
/// A blueprint that is not incentivized.
pub const PLAIN_BLUEPRINT: BlueprintId = 9;
/// Accounts funded at genesis: `1..=FUNDED_ACCOUNTS`.
pub const FUNDED_ACCOUNTS: AccountId = 50;
/// What each funded account holds at genesis.
pub const INITIAL_BALANCE: Balance = 1_000_000_000;

/// Builds test externalities with per-test parameters.
pub struct ExtBuilder {
	era_length: u64,
	emission: Balance,
	incentivized: Vec<(BlueprintId, u32)>,
	existential_deposit: Balance,
	work_weight_limit: Weight,
	work_items: u32,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			era_length: 10,
			emission: 0,
			incentivized: vec![(BLUEPRINT_A, 1), (BLUEPRINT_B, 2)],
			existential_deposit: 1,
			work_weight_limit: DEFAULT_WORK_WEIGHT_LIMIT,
			work_items: 100,
		}
	}
}

impl ExtBuilder {
	/// Sets the era length.
	pub fn era_length(mut self, blocks: u64) -> Self {
		self.era_length = blocks;
		self
	}
	/// Sets the emission per era.
	pub fn emission(mut self, emission: Balance) -> Self {
		self.emission = emission;
		self
	}
	/// Sets the incentivized blueprints.
	pub fn incentivized(mut self, incentivized: Vec<(BlueprintId, u32)>) -> Self {
		self.incentivized = incentivized;
		self
	}
	/// Sets the existential deposit.
	pub fn existential_deposit(mut self, ed: Balance) -> Self {
		self.existential_deposit = ed;
		self
	}
	/// Sets the weight `on_initialize` may spend on era work per block.
	pub fn work_weight_limit(mut self, limit: Weight) -> Self {
		self.work_weight_limit = limit;
		self
	}
	/// Sets how many era-work items `on_initialize` does per block at most.
	pub fn work_items(mut self, items: u32) -> Self {
		self.work_items = items;
		self
	}

	/// Builds the externalities, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		ExistentialDeposit::set(self.existential_deposit);
		EraWorkWeightLimit::set(self.work_weight_limit);
		MaxEraWorkItemsPerBlock::set(self.work_items);
		with_operators(|set| set.clear());
		with_ledger(|ledger| ledger.clear());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: (1..=FUNDED_ACCOUNTS).map(|who| (who, INITIAL_BALANCE)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_warden_rewards::GenesisConfig::<Test> {
			params: crate::RewardParams {
				era_length: self.era_length,
				emission_per_era: self.emission,
			},
			incentivized: self.incentivized,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Builds the externalities, runs `test` and checks the invariants after it.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			assert_ok!(Rewards::do_try_state());
		});
	}
}

/// Externalities with the default parameters, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Runs blocks up to and including `n`, with the rewards pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Rewards::on_initialize(next);
	}
}

/// Runs one more block; returns the weight the rewards pallet's `on_initialize` used.
pub fn next_block() -> Weight {
	let next = System::block_number() + 1;
	System::set_block_number(next);
	Rewards::on_initialize(next)
}

/// Runs blocks until the active era is `era` and every earlier era is settled and pruned.
pub fn run_to_era(era: u32) {
	for _ in 0..100_000 {
		if active_era().index >= era && era_work() == EraWork::Idle {
			return;
		}
		next_block();
	}
	panic!("era {era} not reached");
}

/// The active era.
pub fn active_era() -> ActiveEraInfo<u64> {
	crate::ActiveEra::<Test>::get()
}

/// The era-boundary work in progress.
pub fn era_work() -> EraWork<AccountId> {
	crate::CurrentEraWork::<Test>::get()
}

/// The rewards pallet's events since the last call, oldest first.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Rewards(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// The stake `staker` has on `operator` in the mock registry.
pub fn stake_of(operator: AccountId, staker: AccountId) -> Balance {
	with_ledger(|ledger| ledger.get(&(operator, staker)).copied().unwrap_or(0))
}

/// Sets `staker`'s active stake on `operator`, telling the rewards pallet first.
pub fn set_stake(operator: AccountId, staker: AccountId, amount: Balance) {
	let old = stake_of(operator, staker);
	<Rewards as StakeObserver<AccountId, Balance>>::before_stake_change(
		&operator, &staker, old, amount,
	);
	with_ledger(|ledger| {
		if amount == 0 {
			ledger.remove(&(operator, staker));
		} else {
			ledger.insert((operator, staker), amount);
		}
	});
}

/// Makes `operator` an operator with `bond` as its own stake.
pub fn join(operator: AccountId, bond: Balance) {
	with_operators(|set| set.insert(operator));
	set_stake(operator, operator, bond);
}

/// Records availability on `blueprint` worth `points` before the blueprint's weight: one
/// block with `points` of stake at risk.
pub fn work(operator: AccountId, blueprint: BlueprintId, points: u32) {
	<Rewards as RewardRecorder<AccountId, Balance>>::record_availability(
		&operator,
		blueprint,
		Balance::from(points),
		1,
	);
}

/// Records a job outcome on `blueprint`.
pub fn outcome(operator: AccountId, blueprint: BlueprintId, outcome: WorkOutcome) {
	<Rewards as RewardRecorder<AccountId, Balance>>::record_work(&operator, 0, blueprint, outcome);
}

/// Records a heartbeat on `blueprint`.
pub fn heartbeat(operator: AccountId, blueprint: BlueprintId) {
	<Rewards as RewardRecorder<AccountId, Balance>>::record_heartbeat(&operator, 0, blueprint);
}

/// Pays `amount` into the pot from account 50.
pub fn fund(amount: Balance) {
	assert_ok!(Rewards::fund_pot(RuntimeOrigin::signed(FUNDED_ACCOUNTS), amount));
}

/// The free balance of `who`.
pub fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// The pot's balance.
pub fn pot_balance() -> Balance {
	Balances::balance(&Rewards::pot_account())
}

/// The per-block era-work weight of one settled operator, with the mock's weights.
pub fn settle_item_weight() -> Weight {
	<() as crate::WeightInfo>::on_initialize_settle_operator()
}
