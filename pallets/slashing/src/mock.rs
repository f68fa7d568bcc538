//! A test runtime: System, Balances with real holds, the slashing pallet, and a small
//! in-memory operator registry whose stakers' funds are their free balances.

use alloc::collections::btree_map::BTreeMap;
use core::cell::RefCell;

use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{
		fungible::{Balanced, Inspect},
		tokens::{Fortitude, Precision, Preservation},
		Hooks, Imbalance, OnUnbalanced,
	},
	weights::Weight,
	BoundedVec,
};
use sp_runtime::{BuildStorage, Perbill, Percent};
use warden_primitives::{
	OperatorRegistry, OperatorState, SlashId, SlashInspect, SlashProposal, SlashQueue, SlashReason,
};

use crate::{self as pallet_warden_slashing, CreditOf, SlashingParams};

/// Accounts are plain numbers.
pub type AccountId = u64;
/// The native balance, as in the runtime.
pub type Balance = u128;
/// The mock's block number.
pub type BlockNumber = u64;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Slashing: pallet_warden_slashing,
	}
);

/// The existential deposit.
pub const ED: Balance = 10;
/// What every numbered test account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;
/// Two operators and their starting own bond.
pub const OPERATOR: AccountId = 1;
/// A second operator.
pub const OTHER_OPERATOR: AccountId = 2;
/// Reporters.
pub const REPORTER: AccountId = 10;
/// A second reporter.
pub const OTHER_REPORTER: AccountId = 11;
/// A delegator.
pub const DELEGATOR: AccountId = 20;
/// The treasury (not endowed: forfeits create it).
pub const TREASURY: AccountId = 900;
/// Where slashed funds go.
pub const SLASH_POT: AccountId = 901;
/// Someone with nothing.
pub const PAUPER: AccountId = 999;

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub const ExistentialDeposit: Balance = ED;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The hook's default budget: a tenth of a two-second block, as on Warden.
pub const DEFAULT_HOOK_WEIGHT: Weight = warden_testing::HOOK_BUDGET;

parameter_types! {
	pub static UnbondingDelay: BlockNumber = 100;
	pub static MaxSlashesPerBlock: u32 = 16;
	pub static MaxHookWeight: Weight = DEFAULT_HOOK_WEIGHT;
	pub static OutcomeRetention: BlockNumber = 20;
	pub const MaxStatementLen: u32 = 64;
	pub const MaxSlashedPositions: u32 = 8;
	pub const TreasuryAccount: AccountId = TREASURY;
}

impl pallet_warden_slashing::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Operators = MockOperators;
	type SlashDestination = ToSlashPot;
	type TreasuryAccount = TreasuryAccount;
	type VetoOrigin = frame_system::EnsureRoot<AccountId>;
	type ParamsOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxSlashedPositions = MaxSlashedPositions;
	type MaxSlashesPerBlock = MaxSlashesPerBlock;
	type MaxHookWeight = MaxHookWeight;
	type MaxStatementLen = MaxStatementLen;
	type OutcomeRetention = OutcomeRetention;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Sends slashed funds to [`SLASH_POT`].
pub struct ToSlashPot;
impl OnUnbalanced<CreditOf<Test>> for ToSlashPot {
	fn on_nonzero_unbalanced(credit: CreditOf<Test>) {
		// The pot is endowed at genesis, so this can't fail for lack of an account.
		let _ = Balances::resolve(&SLASH_POT, credit);
	}
}

/// One operator's stake in the mock registry. The funds are the stakers' free balances.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct MockStake {
	/// The operator's own bond (its exit bond once it left).
	pub own: Balance,
	/// Active delegations.
	pub delegations: BTreeMap<AccountId, Balance>,
	/// Delegations that are unbonding: still slashable.
	pub unbonding: BTreeMap<AccountId, Balance>,
	/// Whether the operator left: it is no operator any more, but its stake is slashable.
	pub left: bool,
}

impl MockStake {
	fn total(&self) -> Balance {
		self.own
			+ self.delegations.values().sum::<Balance>()
			+ self.unbonding.values().sum::<Balance>()
	}

	/// A delegator's position: active and unbonding.
	fn position(&self, delegator: AccountId) -> Balance {
		self.delegations.get(&delegator).copied().unwrap_or_default()
			+ self.unbonding.get(&delegator).copied().unwrap_or_default()
	}
}

thread_local! {
	static OPERATORS: RefCell<BTreeMap<AccountId, MockStake>> = const { RefCell::new(BTreeMap::new()) };
	static LAST_QUERY: RefCell<Option<(AccountId, warden_primitives::BlueprintId, BlockNumber)>> =
		const { RefCell::new(None) };
}

parameter_types! {
	/// What the mock registry's stake observer charges per position.
	pub static ObserverWeight: Weight = Weight::zero();
	/// The most slashable positions the mock registry reports.
	pub static MaxPositions: u32 = 8;
}

/// An in-memory operator registry: own bond, delegations and unbonding delegations, each
/// staker paying from its free balance. Releases keep back what pending slashes hold.
pub struct MockOperators;

impl MockOperators {
	/// Makes `operator` an operator with `own` bond.
	pub fn join(operator: AccountId, own: Balance) {
		OPERATORS.with(|o| {
			o.borrow_mut().insert(operator, MockStake { own, ..Default::default() });
		});
	}

	fn mutate<R>(operator: AccountId, f: impl FnOnce(&mut MockStake) -> R) -> R {
		OPERATORS.with(|o| f(o.borrow_mut().get_mut(&operator).expect("operator exists")))
	}

	/// `delegator` delegates `amount` to `operator`.
	pub fn delegate(delegator: AccountId, operator: AccountId, amount: Balance) {
		Self::mutate(operator, |stake| *stake.delegations.entry(delegator).or_default() += amount);
	}

	/// `delegator` starts unbonding `amount` of its delegation: still slashable.
	pub fn schedule_undelegate(delegator: AccountId, operator: AccountId, amount: Balance) {
		Self::mutate(operator, |stake| {
			let active = stake.delegations.get_mut(&delegator).expect("delegation exists");
			*active -= amount;
			if *active == 0 {
				stake.delegations.remove(&delegator);
			}
			*stake.unbonding.entry(delegator).or_default() += amount;
		});
	}

	/// `delegator` withdraws its unbonding delegation, except what pending slashes hold
	/// back of its position. Returns what it withdrew.
	pub fn withdraw_unbonded(
		delegator: AccountId,
		operator: AccountId,
	) -> Result<Balance, &'static str> {
		let held = Slashing::held_back(&operator, &delegator);
		OPERATORS.with(|o| {
			let mut o = o.borrow_mut();
			let stake = o.get_mut(&operator).ok_or("not an operator")?;
			let unbonding = stake.unbonding.get(&delegator).copied().ok_or("nothing unbonding")?;
			let free = stake.position(delegator).saturating_sub(held).min(unbonding);
			if free == 0 {
				return Err("held back for a slash");
			}
			if unbonding == free {
				stake.unbonding.remove(&delegator);
			} else {
				stake.unbonding.insert(delegator, unbonding - free);
			}
			Ok(free)
		})
	}

	/// `operator` leaves: its bond stays slashable.
	pub fn execute_leave(operator: AccountId) {
		Self::mutate(operator, |stake| stake.left = true);
	}

	/// The operator's total stake, unbonding included.
	pub fn total_stake_of(operator: AccountId) -> Balance {
		Self::stake(operator).total()
	}

	/// The operator's stake record.
	pub fn stake(operator: AccountId) -> MockStake {
		OPERATORS.with(|o| o.borrow().get(&operator).cloned().unwrap_or_default())
	}

	/// The last `(operator, blueprint, offence block)` positions were asked for.
	pub fn last_query() -> Option<(AccountId, warden_primitives::BlueprintId, BlockNumber)> {
		LAST_QUERY.with(|q| *q.borrow())
	}

	/// Forgets every operator.
	pub fn clear() {
		OPERATORS.with(|o| o.borrow_mut().clear());
	}
}

/// Takes up to `want` from `who`'s free balance and `position`.
fn take_from(who: AccountId, position: &mut Balance, want: Balance) -> CreditOf<Test> {
	let taken = Balances::withdraw(
		&who,
		want.min(*position),
		Precision::BestEffort,
		Preservation::Expendable,
		Fortitude::Force,
	)
	.unwrap_or_else(|_| CreditOf::<Test>::zero());
	*position -= taken.peek();
	taken
}

impl OperatorRegistry<AccountId, Balance, BlockNumber> for MockOperators {
	type Credit = CreditOf<Test>;

	fn state(operator: &AccountId) -> Option<OperatorState<BlockNumber>> {
		OPERATORS
			.with(|o| o.borrow().get(operator).is_some_and(|s| !s.left))
			.then_some(OperatorState::Active)
	}

	fn own_stake(operator: &AccountId) -> Balance {
		Self::stake(*operator).own
	}

	fn delegated_stake(operator: &AccountId) -> Balance {
		let stake = Self::stake(*operator);
		stake.total() - stake.own
	}

	fn total_stake(operator: &AccountId) -> Balance {
		Self::stake(*operator).total()
	}

	fn stake_positions(operator: &AccountId) -> Vec<(AccountId, Balance)> {
		let stake = Self::stake(*operator);
		core::iter::once((*operator, stake.own)).chain(stake.delegations).collect()
	}

	fn blueprint_stake(
		operator: &AccountId,
		_blueprint: warden_primitives::BlueprintId,
	) -> Balance {
		Self::stake(*operator).total()
	}

	/// Every position, whatever the blueprint and the offence's block; the last query is
	/// kept for [`MockOperators::last_query`].
	fn slashable_positions(
		operator: &AccountId,
		blueprint: warden_primitives::BlueprintId,
		offence_at: BlockNumber,
	) -> Vec<(AccountId, Balance)> {
		LAST_QUERY.with(|q| *q.borrow_mut() = Some((*operator, blueprint, offence_at)));
		let stake = Self::stake(*operator);
		let delegators: alloc::collections::BTreeSet<AccountId> =
			stake.delegations.keys().chain(stake.unbonding.keys()).copied().collect();
		core::iter::once((*operator, stake.own))
			.chain(delegators.into_iter().map(|d| (d, stake.position(d))))
			.filter(|(_, position)| *position > 0)
			.collect()
	}

	fn max_slashable_positions() -> u32 {
		MaxPositions::get()
	}

	/// Takes each position's amount, from the active part first.
	fn slash_positions(
		operator: &AccountId,
		takes: &[(AccountId, Balance)],
	) -> (Self::Credit, Balance) {
		let mut credit = CreditOf::<Test>::zero();
		if !OPERATORS.with(|o| o.borrow().contains_key(operator)) {
			return (credit, 0);
		}
		for (staker, want) in takes {
			let taken = Self::mutate(*operator, |stake| {
				if staker == operator {
					return take_from(*staker, &mut stake.own, *want);
				}
				let mut taken = CreditOf::<Test>::zero();
				for part in [&mut stake.delegations, &mut stake.unbonding] {
					let left = want - taken.peek();
					if let Some(amount) = part.get_mut(staker) {
						taken.subsume(take_from(*staker, amount, left));
						if *amount == 0 {
							part.remove(staker);
						}
					}
				}
				taken
			});
			credit.subsume(taken);
		}
		let taken = credit.peek();
		(credit, taken)
	}

	fn unbonding_delay() -> BlockNumber {
		UnbondingDelay::get()
	}

	fn stake_change_weight() -> Weight {
		ObserverWeight::get()
	}
}

/// Creates benchmark operators in the mock registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, Balance> for MockBenchmarkHelper {
	fn setup_operator(who: &AccountId, stake: Balance, positions: u32) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, stake.saturating_add(ED));
		MockOperators::join(*who, stake);
		for i in 1..positions {
			let delegator = 1_000_000 + AccountId::from(i);
			let _ = Balances::mint_into(&delegator, stake.saturating_add(ED));
			MockOperators::delegate(delegator, *who, stake);
		}
	}
}

/// Builds test externalities with per-test knobs.
pub struct ExtBuilder {
	params: SlashingParams<Balance, BlockNumber>,
	unbonding_delay: BlockNumber,
	max_slashes_per_block: u32,
	max_hook_weight: Weight,
	retention: BlockNumber,
	operators: Vec<(AccountId, Balance)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			params: SlashingParams {
				defer_duration: 10,
				report_window: 5,
				max_offence_age: 50,
				reporter_reward: Perbill::from_percent(10),
				min_fraction: Perbill::from_percent(1),
				max_fraction: Perbill::from_percent(100),
				report_deposit: 100,
				deposit_per_slashed: Perbill::zero(),
			},
			unbonding_delay: 100,
			max_slashes_per_block: 16,
			max_hook_weight: DEFAULT_HOOK_WEIGHT,
			retention: 20,
			operators: vec![(OPERATOR, 10_000), (OTHER_OPERATOR, 10_000)],
		}
	}
}

impl ExtBuilder {
	/// Sets the genesis defer duration.
	pub fn defer_duration(mut self, blocks: BlockNumber) -> Self {
		self.params.defer_duration = blocks;
		self
	}
	/// Sets the genesis reporter reward.
	pub fn reporter_reward(mut self, reward: Perbill) -> Self {
		self.params.reporter_reward = reward;
		self
	}
	/// Changes the genesis parameters.
	pub fn params(mut self, f: impl FnOnce(&mut SlashingParams<Balance, BlockNumber>)) -> Self {
		f(&mut self.params);
		self
	}
	/// Sets the genesis report deposit.
	pub fn report_deposit(mut self, deposit: Balance) -> Self {
		self.params.report_deposit = deposit;
		self
	}
	/// Sets the operators' unbonding delay.
	pub fn unbonding_delay(mut self, blocks: BlockNumber) -> Self {
		self.unbonding_delay = blocks;
		self
	}
	/// Sets `MaxSlashesPerBlock`.
	pub fn max_slashes_per_block(mut self, max: u32) -> Self {
		self.max_slashes_per_block = max;
		self
	}
	/// Sets `MaxHookWeight`.
	pub fn max_hook_weight(mut self, weight: Weight) -> Self {
		self.max_hook_weight = weight;
		self
	}
	/// Sets `OutcomeRetention`.
	pub fn retention(mut self, blocks: BlockNumber) -> Self {
		self.retention = blocks;
		self
	}
	/// Sets the operators and their own bonds.
	pub fn operators(mut self, operators: Vec<(AccountId, Balance)>) -> Self {
		self.operators = operators;
		self
	}

	/// Sets the thread-local knobs (`UnbondingDelay`, `MaxSlashesPerBlock`, ...).
	pub fn set_knobs(&self) {
		UnbondingDelay::set(self.unbonding_delay);
		MaxSlashesPerBlock::set(self.max_slashes_per_block);
		MaxHookWeight::set(self.max_hook_weight);
		OutcomeRetention::set(self.retention);
		ObserverWeight::reset();
		MaxPositions::reset();
	}

	/// Builds the externalities at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		self.set_knobs();
		MockOperators::clear();

		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<(AccountId, Balance)> =
			(1..=30).map(|who| (who, INITIAL_BALANCE)).collect();
		balances.push((SLASH_POT, ED));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_warden_slashing::GenesisConfig::<Test> { params: self.params }
			.assimilate_storage(&mut storage)
			.unwrap();

		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			for (operator, own) in self.operators {
				MockOperators::join(operator, own);
			}
		});
		ext
	}

	/// Runs `test` at block 1, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			assert_ok!(Slashing::do_try_state());
		});
	}
}

/// Moves to the next block, running the slashing hook. Returns the hook's weight.
pub fn next_block() -> Weight {
	let next = System::block_number() + 1;
	System::set_block_number(next);
	Slashing::on_initialize(next)
}

/// Moves to block `n`, running the slashing hook in each block.
pub fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		next_block();
	}
}

/// The slashing events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Slashing(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// A proposal against `offender` by `reporter` for service 7 of blueprint 3, for an
/// offence in the current block.
pub fn proposal(
	offender: AccountId,
	reporter: AccountId,
	fraction: Perbill,
	exposure: Percent,
) -> SlashProposal<AccountId, BlockNumber> {
	SlashProposal {
		offender,
		service: 7,
		blueprint: 3,
		fraction,
		exposure,
		reporter,
		reason: SlashReason::JobMisbehaviour { call_id: 42 },
		evidence: BoundedVec::truncate_from(b"evidence".to_vec()),
		offence_at: System::block_number(),
	}
}

/// Proposes a 10 % slash of a 50 % exposure against `offender` and returns its id.
pub fn propose(offender: AccountId, reporter: AccountId) -> SlashId {
	Slashing::propose(proposal(
		offender,
		reporter,
		Perbill::from_percent(10),
		Percent::from_percent(50),
	))
	.expect("proposal is valid")
}

/// A bounded dispute statement.
pub fn statement(text: &[u8]) -> crate::StatementOf<Test> {
	BoundedVec::truncate_from(text.to_vec())
}

/// The free balance of `who`.
pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// What `who` has on hold as report deposits.
pub fn held_deposit(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::ReportDeposit.into(), &who)
}

/// A test externality with the default knobs, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// The slashes queued at `block` and not applied yet, in queue order; stale entries
/// (vetoed or applied by hand) included.
pub fn queued_at(block: BlockNumber) -> Vec<SlashId> {
	crate::SlashSchedule::<Test>::entries_at(block).map(|(_, id)| id).collect()
}

/// Whether `slash_id` is still pending and queued.
pub fn is_queued(slash_id: SlashId) -> bool {
	crate::PendingSlashes::<Test>::contains_key(slash_id)
		&& crate::SlashSchedule::<Test>::all_entries().iter().any(|(_, _, id)| *id == slash_id)
}
