//! A test runtime: System, Balances (real holds) and the services pallet, with a small
//! operator registry whose states and stakes tests steer.

use alloc::collections::BTreeMap;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::InspectHold, BuildGenesisConfig, ConstU32, ConstU64, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::{DispatchError, Perbill, Percent};
use warden_primitives::{
	BlueprintId, BlueprintMetadataInfo, BlueprintPolicy, CallId, EraClock, EraIndex, JobInfo,
	OperatorRegistry, OperatorState, PreferencesInfo, Reporters, ReportingPolicy, RequestId,
	RewardRecorder, ServiceId, ServicesParams, SlashProposal, SlashQueue, WorkOutcome,
};

use crate::{self as pallet_warden_services, *};

/// An account in the test runtime.
pub type AccountId = u64;
/// A balance in the test runtime.
pub type Balance = u128;
/// A block number in the test runtime.
pub type BlockNumber = u64;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Services: pallet_warden_services,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub static ExistentialDeposit: Balance = 1;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The hook's default budget: a tenth of a two-second block, as on Warden.
pub const DEFAULT_HOOK_WEIGHT: Weight = warden_testing::HOOK_BUDGET;

parameter_types! {
	/// Each operator's state; absent accounts are not operators.
	pub static OperatorStates: BTreeMap<AccountId, OperatorState<BlockNumber>> = BTreeMap::new();
	/// Each operator's total stake.
	pub static OperatorStakes: BTreeMap<AccountId, Balance> = BTreeMap::new();
	/// An operator's stake backing one blueprint, where it differs from its total.
	pub static BlueprintStakes: BTreeMap<(AccountId, BlueprintId), Balance> = BTreeMap::new();
	pub static MaxPendingRequestsPerOperator: u32 = 8;
	pub static MaxPendingRequestsPerRequester: u32 = 8;
	pub static MaxExpiriesPerBlock: u32 = 10;
	pub static MaxServiceEndsPerBlock: u32 = 10;
	pub static MaxHookWeight: Weight = DEFAULT_HOOK_WEIGHT;
	pub static BlueprintDepositBase: Balance = 0;
	pub static BlueprintDepositPerByte: Balance = 0;
	pub static RequestDeposit: Balance = 0;
	pub static MaxFreeHeartbeatsPerBlock: u32 = 100;
	pub static MaxFreeHeartbeatsPerBlockTotal: u32 = 1_000;
	pub static MaxInstancesPerRegistration: u32 = 10;
	pub const Treasury: AccountId = TREASURY;
}

/// The operator registry tests steer through [`OperatorStates`] and [`OperatorStakes`].
pub struct MockOperators;

impl OperatorRegistry<AccountId, Balance, BlockNumber> for MockOperators {
	type Credit = ();

	fn state(operator: &AccountId) -> Option<OperatorState<BlockNumber>> {
		OperatorStates::get().get(operator).copied()
	}
	fn own_stake(operator: &AccountId) -> Balance {
		Self::total_stake(operator)
	}
	fn delegated_stake(_: &AccountId) -> Balance {
		0
	}
	fn total_stake(operator: &AccountId) -> Balance {
		OperatorStakes::get().get(operator).copied().unwrap_or(0)
	}
	fn stake_positions(operator: &AccountId) -> alloc::vec::Vec<(AccountId, Balance)> {
		alloc::vec![(*operator, Self::total_stake(operator))]
	}
	/// The stake [`BlueprintStakes`] names for the blueprint, or the total stake.
	fn blueprint_stake(operator: &AccountId, blueprint: BlueprintId) -> Balance {
		BlueprintStakes::get()
			.get(&(*operator, blueprint))
			.copied()
			.unwrap_or_else(|| Self::total_stake(operator))
	}
	fn slashable_positions(
		operator: &AccountId,
		_: BlueprintId,
		_: BlockNumber,
	) -> alloc::vec::Vec<(AccountId, Balance)> {
		Self::stake_positions(operator)
	}
	fn max_slashable_positions() -> u32 {
		1
	}
	fn slash_positions(_: &AccountId, _: &[(AccountId, Balance)]) -> (Self::Credit, Balance) {
		((), 0)
	}
	fn unbonding_delay() -> BlockNumber {
		100
	}
}

/// Makes `who` an Active operator with `stake`.
pub fn set_operator(who: AccountId, stake: Balance) {
	OperatorStates::mutate(|s| s.insert(who, OperatorState::Active));
	OperatorStakes::mutate(|s| s.insert(who, stake));
}

/// Sets the state of operator `who`.
pub fn set_operator_state(who: AccountId, state: OperatorState<BlockNumber>) {
	OperatorStates::mutate(|s| s.insert(who, state));
}

/// Sets the total stake of operator `who`.
pub fn set_operator_stake(who: AccountId, stake: Balance) {
	OperatorStakes::mutate(|s| s.insert(who, stake));
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, Balance> for MockOperators {
	fn make_operator(who: &AccountId, stake: Balance) {
		set_operator(*who, stake);
	}
}

/// A slash proposal as the services pallet makes it in the test runtime.
pub type Proposal = SlashProposal<AccountId, BlockNumber>;

parameter_types! {
	/// Every slash proposed, in order; a proposal's identifier is its position.
	pub static ProposedSlashes: alloc::vec::Vec<Proposal> = alloc::vec::Vec::new();
	/// Makes the slash queue refuse every proposal (as when it can't hold the deposit).
	pub static SlashQueueFails: bool = false;
	/// How long after a service ends its operators may still be reported for it.
	pub static ReportWindow: BlockNumber = 5;
	/// The most blocks between an offence and its report.
	pub static MaxOffenceAge: BlockNumber = 50;
	/// Every job outcome recorded for rewards, in order.
	pub static RecordedWork: alloc::vec::Vec<(AccountId, ServiceId, BlueprintId, WorkOutcome)> =
		alloc::vec::Vec::new();
	/// Every availability recorded for rewards, in order: operator, blueprint, stake at
	/// risk, window length.
	pub static RecordedAvailability: alloc::vec::Vec<(AccountId, BlueprintId, Balance, u32)> =
		alloc::vec::Vec::new();
	/// Every heartbeat recorded for rewards, in order.
	pub static RecordedHeartbeats: alloc::vec::Vec<(AccountId, ServiceId, BlueprintId)> =
		alloc::vec::Vec::new();
	/// The current reward era.
	pub static CurrentEra: EraIndex = 0;
	pub static MaxOpenCallsPerService: u32 = 4;
	pub static MaxCallClosesPerBlock: u32 = 10;
	pub static StatsHistoryDepth: EraIndex = 2;
	pub static MaxStatsPrunedPerStep: u32 = 10;
}

/// A slash queue that records proposals in [`ProposedSlashes`], or refuses them all while
/// [`SlashQueueFails`] is set.
pub struct MockSlashQueue;

impl SlashQueue<AccountId, BlockNumber> for MockSlashQueue {
	fn propose(proposal: Proposal) -> Result<u64, DispatchError> {
		if SlashQueueFails::get() {
			return Err(DispatchError::Other("slash queue refused"));
		}
		let id = ProposedSlashes::get().len() as u64;
		ProposedSlashes::mutate(|all| all.push(proposal));
		Ok(id)
	}
	fn propose_weight() -> Weight {
		PROPOSE_WEIGHT
	}
	fn report_window() -> BlockNumber {
		ReportWindow::get()
	}
	fn max_offence_age() -> BlockNumber {
		MaxOffenceAge::get()
	}
}

/// What the mock slash queue says a proposal weighs.
pub const PROPOSE_WEIGHT: Weight = Weight::from_parts(50_000_000, 5_000);

/// A reward recorder that records everything in [`RecordedWork`] and
/// [`RecordedHeartbeats`], with the era clock [`CurrentEra`].
pub struct MockRewards;

impl RewardRecorder<AccountId, Balance> for MockRewards {
	fn record_work(
		operator: &AccountId,
		service: ServiceId,
		blueprint: BlueprintId,
		outcome: WorkOutcome,
	) {
		RecordedWork::mutate(|all| all.push((*operator, service, blueprint, outcome)));
	}

	fn record_heartbeat(operator: &AccountId, service: ServiceId, blueprint: BlueprintId) {
		RecordedHeartbeats::mutate(|all| all.push((*operator, service, blueprint)));
	}

	fn record_availability(
		operator: &AccountId,
		blueprint: BlueprintId,
		at_risk: Balance,
		blocks: u32,
	) {
		RecordedAvailability::mutate(|all| all.push((*operator, blueprint, at_risk, blocks)));
	}
}

impl EraClock for MockRewards {
	fn current_era() -> EraIndex {
		CurrentEra::get()
	}
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Operators = MockOperators;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type TreasuryAccount = Treasury;
	type BlueprintDepositBase = BlueprintDepositBase;
	type BlueprintDepositPerByte = BlueprintDepositPerByte;
	type RequestDeposit = RequestDeposit;
	type MaxFreeHeartbeatsPerBlock = MaxFreeHeartbeatsPerBlock;
	type MaxFreeHeartbeatsPerBlockTotal = MaxFreeHeartbeatsPerBlockTotal;
	type MaxInstancesPerRegistration = MaxInstancesPerRegistration;
	type MaxNameLen = ConstU32<32>;
	type MaxDescriptionLen = ConstU32<128>;
	type MaxUrlLen = ConstU32<64>;
	type MaxJobs = ConstU32<4>;
	type MaxJobArgsLen = ConstU32<1024>;
	type MaxRpcAddressLen = ConstU32<32>;
	type MaxBlueprintsPerOperator = ConstU32<3>;
	type MaxOperatorsPerService = ConstU32<4>;
	type MaxPermittedCallers = ConstU32<3>;
	type MaxServiceTtl = ConstU64<1_000>;
	type MaxPendingRequestsPerOperator = MaxPendingRequestsPerOperator;
	type MaxPendingRequestsPerRequester = MaxPendingRequestsPerRequester;
	type MaxCancelledOperatorsPerBlock = ConstU32<64>;
	type MaxExpiriesPerBlock = MaxExpiriesPerBlock;
	type MaxServiceEndsPerBlock = MaxServiceEndsPerBlock;
	type MaxHookWeight = MaxHookWeight;
	type SlashQueue = MockSlashQueue;
	type Rewards = MockRewards;
	type EraClock = MockRewards;
	type MaxOpenCallsPerService = MaxOpenCallsPerService;
	type MaxClosedCallsKept = ConstU32<3>;
	type MaxResultLen = ConstU32<64>;
	type MaxHeartbeatMetricsLen = ConstU32<32>;
	type MaxCallClosesPerBlock = MaxCallClosesPerBlock;
	type StatsHistoryDepth = StatsHistoryDepth;
	type MaxStatsPrunedPerStep = MaxStatsPrunedPerStep;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockOperators;
}

/// The owner of the demo blueprint 0.
pub const BP_OWNER: AccountId = 100;
/// Where expired requests' deposits go.
pub const TREASURY: AccountId = 999;
/// The demo operators, Active, with [`STAKE`], registered for blueprint 0.
pub const ALICE: AccountId = 1;
/// A demo operator.
pub const BOB: AccountId = 2;
/// A demo operator.
pub const CHARLIE: AccountId = 3;
/// An Active operator with [`STAKE`], registered for nothing.
pub const DAVE: AccountId = 4;
/// A customer.
pub const EVE: AccountId = 10;
/// Another customer.
pub const FERDIE: AccountId = 11;
/// The demo operators' stake.
pub const STAKE: Balance = 1_000;
/// The demo blueprint's minimum operator stake.
pub const MIN_STAKE: Balance = 100;
/// What every funded account starts with.
pub const ENDOWMENT: Balance = 1_000_000;
/// The default request expiry.
pub const REQUEST_EXPIRY: BlockNumber = 20;
/// The demo operators' instance limit for blueprint 0.
pub const MAX_INSTANCES: u32 = 2;

/// The demo blueprint's policy.
pub fn demo_policy() -> BlueprintPolicy<Balance, BlockNumber> {
	BlueprintPolicy {
		min_operator_stake: MIN_STAKE,
		reporting: Some(ReportingPolicy {
			reporters: Reporters {
				service_owner: true,
				blueprint_owner: false,
				service_operators: true,
			},
			max_job_slash: Perbill::from_percent(10),
			max_qos_slash: Perbill::from_percent(5),
		}),
		heartbeat_interval: 10,
		missed_heartbeat_threshold: 3,
	}
}

/// Metadata with a given name.
pub fn metadata(name: &[u8]) -> BlueprintMetadata<Test> {
	BlueprintMetadata {
		name: name.to_vec().try_into().unwrap(),
		description: b"a demo service".to_vec().try_into().unwrap(),
		author: b"warden".to_vec().try_into().unwrap(),
		code_url: b"https://example.org/demo".to_vec().try_into().unwrap(),
	}
}

/// One job with a given name.
pub fn job(name: &[u8]) -> JobDefinition<Test> {
	JobDefinition { name: name.to_vec().try_into().unwrap(), max_args_len: 256, result_deadline: 5 }
}

/// Preferences with a given instance limit, and no price.
pub fn prefs(max_instances: u32) -> OperatorPreferences<Test> {
	priced_prefs(max_instances, 0)
}

/// Preferences with a given instance limit and price per block.
pub fn priced_prefs(max_instances: u32, price_per_block: Balance) -> OperatorPreferences<Test> {
	OperatorPreferences {
		operator_key: [7u8; 32],
		rpc_address: b"10.0.0.1:9944".to_vec().try_into().unwrap(),
		max_instances,
		price_per_block,
	}
}

/// A bounded operator list.
pub fn ops(list: &[AccountId]) -> OperatorListOf<Test> {
	list.to_vec().try_into().unwrap()
}

/// A bounded permitted-caller list.
pub fn callers(list: &[AccountId]) -> PermittedCallersOf<Test> {
	list.to_vec().try_into().unwrap()
}

/// The test externalities builder.
pub struct ExtBuilder {
	request_expiry: BlockNumber,
	demo: bool,
	max_pending_per_operator: u32,
	max_pending_per_requester: u32,
	max_expiries_per_block: u32,
	max_service_ends_per_block: u32,
	max_hook_weight: Weight,
	existential_deposit: Balance,
	extra_funded: alloc::vec::Vec<AccountId>,
	max_open_calls: u32,
	max_call_closes_per_block: u32,
	stats_history_depth: EraIndex,
	max_stats_pruned_per_step: u32,
	min_heartbeat_interval: BlockNumber,
	blueprint_deposit: (Balance, Balance),
	request_deposit: Balance,
	max_free_heartbeats: u32,
	max_free_heartbeats_total: u32,
	max_instances_per_registration: u32,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			request_expiry: REQUEST_EXPIRY,
			demo: true,
			max_pending_per_operator: 8,
			max_pending_per_requester: 8,
			max_expiries_per_block: 10,
			max_service_ends_per_block: 10,
			max_hook_weight: DEFAULT_HOOK_WEIGHT,
			existential_deposit: 1,
			extra_funded: alloc::vec::Vec::new(),
			max_open_calls: 4,
			max_call_closes_per_block: 10,
			stats_history_depth: 2,
			max_stats_pruned_per_step: 10,
			min_heartbeat_interval: 1,
			blueprint_deposit: (0, 0),
			request_deposit: 0,
			max_free_heartbeats: 100,
			max_free_heartbeats_total: 1_000,
			max_instances_per_registration: 10,
		}
	}
}

impl ExtBuilder {
	/// Sets the genesis request expiry.
	pub fn request_expiry(mut self, blocks: BlockNumber) -> Self {
		self.request_expiry = blocks;
		self
	}
	/// Starts without the demo blueprint, operators and registrations.
	pub fn without_demo(mut self) -> Self {
		self.demo = false;
		self
	}
	/// Sets the pending request limits per operator and per requester.
	pub fn max_pending(mut self, per_operator: u32, per_requester: u32) -> Self {
		self.max_pending_per_operator = per_operator;
		self.max_pending_per_requester = per_requester;
		self
	}
	/// Sets the hook's per-block caps.
	pub fn hook_caps(mut self, expiries: u32, service_ends: u32) -> Self {
		self.max_expiries_per_block = expiries;
		self.max_service_ends_per_block = service_ends;
		self
	}
	/// Sets the hook's weight limit.
	pub fn max_hook_weight(mut self, weight: Weight) -> Self {
		self.max_hook_weight = weight;
		self
	}
	/// Sets the existential deposit.
	pub fn existential_deposit(mut self, ed: Balance) -> Self {
		self.existential_deposit = ed;
		self
	}
	/// Sets the most open calls per service.
	pub fn max_open_calls(mut self, max: u32) -> Self {
		self.max_open_calls = max;
		self
	}
	/// Sets the most call closes per block in the hook.
	pub fn max_call_closes_per_block(mut self, max: u32) -> Self {
		self.max_call_closes_per_block = max;
		self
	}
	/// Sets the statistics history depth and the entries removed per pruning step.
	pub fn stats_retention(mut self, depth: EraIndex, per_step: u32) -> Self {
		self.stats_history_depth = depth;
		self.max_stats_pruned_per_step = per_step;
		self
	}
	/// Sets the genesis minimum heartbeat interval.
	pub fn min_heartbeat_interval(mut self, blocks: BlockNumber) -> Self {
		self.min_heartbeat_interval = blocks;
		self
	}
	/// Sets the blueprint deposit: a base and a price per byte.
	pub fn blueprint_deposit(mut self, base: Balance, per_byte: Balance) -> Self {
		self.blueprint_deposit = (base, per_byte);
		self
	}
	/// Sets the request deposit per named operator.
	pub fn request_deposit(mut self, deposit: Balance) -> Self {
		self.request_deposit = deposit;
		self
	}
	/// Sets how many heartbeats of one operator are free in a block.
	pub fn max_free_heartbeats_total(mut self, max: u32) -> Self {
		self.max_free_heartbeats_total = max;
		self
	}

	pub fn max_free_heartbeats(mut self, max: u32) -> Self {
		self.max_free_heartbeats = max;
		self
	}
	/// Sets the largest `max_instances` of a registration.
	pub fn max_instances_per_registration(mut self, max: u32) -> Self {
		self.max_instances_per_registration = max;
		self
	}
	/// Funds more accounts with [`ENDOWMENT`].
	pub fn fund(mut self, accounts: impl IntoIterator<Item = AccountId>) -> Self {
		self.extra_funded.extend(accounts);
		self
	}

	/// Builds the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		OperatorStates::take();
		OperatorStakes::take();
		BlueprintStakes::take();
		MaxPendingRequestsPerOperator::set(self.max_pending_per_operator);
		MaxPendingRequestsPerRequester::set(self.max_pending_per_requester);
		MaxExpiriesPerBlock::set(self.max_expiries_per_block);
		MaxServiceEndsPerBlock::set(self.max_service_ends_per_block);
		MaxHookWeight::set(self.max_hook_weight);
		ExistentialDeposit::set(self.existential_deposit);
		MaxOpenCallsPerService::set(self.max_open_calls);
		MaxCallClosesPerBlock::set(self.max_call_closes_per_block);
		StatsHistoryDepth::set(self.stats_history_depth);
		MaxStatsPrunedPerStep::set(self.max_stats_pruned_per_step);
		BlueprintDepositBase::set(self.blueprint_deposit.0);
		BlueprintDepositPerByte::set(self.blueprint_deposit.1);
		RequestDeposit::set(self.request_deposit);
		MaxFreeHeartbeatsPerBlock::set(self.max_free_heartbeats);
		MaxFreeHeartbeatsPerBlockTotal::set(self.max_free_heartbeats_total);
		MaxInstancesPerRegistration::set(self.max_instances_per_registration);
		RecordedAvailability::take();
		ProposedSlashes::take();
		SlashQueueFails::set(false);
		ReportWindow::reset();
		MaxOffenceAge::reset();
		RecordedWork::take();
		RecordedHeartbeats::take();
		CurrentEra::set(0);

		let mut funded: alloc::vec::Vec<AccountId> =
			[ALICE, BOB, CHARLIE, DAVE, 5, EVE, FERDIE, 12, BP_OWNER].to_vec();
		funded.extend(self.extra_funded.iter().copied());
		funded.sort();
		funded.dedup();

		let (blueprints, registrations) = if self.demo {
			for op in [ALICE, BOB, CHARLIE, DAVE] {
				set_operator(op, STAKE);
			}
			let blueprint = (
				BP_OWNER,
				BlueprintMetadataInfo {
					name: b"demo".to_vec(),
					description: b"a demo service".to_vec(),
					author: b"warden".to_vec(),
					code_url: b"https://example.org/demo".to_vec(),
				},
				alloc::vec![JobInfo {
					name: b"echo".to_vec(),
					max_args_len: 256,
					result_deadline: 5,
				}],
				demo_policy(),
			);
			let prefs = PreferencesInfo {
				operator_key: [1u8; 32],
				rpc_address: b"127.0.0.1:9944".to_vec(),
				max_instances: MAX_INSTANCES,
				price_per_block: 0,
			};
			(
				alloc::vec![blueprint],
				[ALICE, BOB, CHARLIE].iter().map(|op| (*op, 0, prefs.clone())).collect(),
			)
		} else {
			(alloc::vec![], alloc::vec![])
		};

		// Genesis is built inside the externalities, so the whole state lives in the overlay:
		// reads and iteration then skip the (slow in debug builds) trie backend.
		let mut ext = sp_io::TestExternalities::new_empty();
		ext.execute_with(|| {
			frame_system::GenesisConfig::<Test>::default().build();
			pallet_balances::GenesisConfig::<Test> {
				balances: funded.iter().map(|a| (*a, ENDOWMENT)).collect(),
				..Default::default()
			}
			.build();
			pallet_warden_services::GenesisConfig::<Test> {
				params: ServicesParams {
					request_expiry: self.request_expiry,
					min_heartbeat_interval: self.min_heartbeat_interval,
				},
				blueprints,
				registrations,
			}
			.build();
			System::set_block_number(1);
		});
		ext
	}

	/// Builds the externalities, runs `test`, then checks every invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			check_invariants();
		})
	}
}

/// Checks the pallet's invariants, plus that no account holds payment the pallet doesn't
/// account for.
pub fn check_invariants() {
	assert_ok!(Services::do_try_state());
	let expected = Services::expected_payment_holds();
	for who in frame_system::Account::<Test>::iter_keys() {
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Payment.into(), &who),
			expected.get(&who).copied().unwrap_or(0),
			"payment held by {who} differs from the pallet's ledger"
		);
	}
}

/// Externalities with the default settings, for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Runs blocks up to `n`, calling the hook of each; returns the weight each hook used.
pub fn run_to_block(n: BlockNumber) -> alloc::vec::Vec<Weight> {
	let mut used = alloc::vec::Vec::new();
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		used.push(Services::on_initialize(next));
	}
	used
}

/// The pallet's events since the last call, oldest first.
pub fn events() -> alloc::vec::Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Services(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// What `who` holds as payment.
pub fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Payment.into(), &who)
}

/// What `who` holds for `reason`.
pub fn held_for(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// What `who` has free.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// A request from `requester` for blueprint 0 with `operators`, ttl 100, minimum exposure
/// 10% and `payment`. Returns its identifier.
pub fn request_for(requester: AccountId, operators: &[AccountId], payment: Balance) -> u64 {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Services::request(
		RuntimeOrigin::signed(requester),
		0,
		ops(operators),
		callers(&[]),
		100,
		Percent::from_percent(10),
		payment,
	));
	id
}

/// Approves the current version of `request` by each of `operators` with 20% exposure.
pub fn approve_all(request: u64, operators: &[AccountId]) {
	for op in operators {
		assert_ok!(Services::approve(
			RuntimeOrigin::signed(*op),
			request,
			version_of(request),
			Percent::from_percent(20)
		));
	}
}

/// The current version of pending request `request` (0 if it is gone).
pub fn version_of(request: u64) -> u32 {
	Requests::<Test>::get(request).map_or(0, |req| req.version)
}

/// Bounded bytes.
pub fn bytes<S: frame_support::traits::Get<u32>>(b: &[u8]) -> frame_support::BoundedVec<u8, S> {
	b.to_vec().try_into().unwrap()
}

/// A successful outcome carrying `b`.
pub fn success(b: &[u8]) -> JobOutcome<Test> {
	JobOutcome::Success(bytes(b))
}

/// A failed outcome carrying `b`.
pub fn failure(b: &[u8]) -> JobOutcome<Test> {
	JobOutcome::Failure(bytes(b))
}

/// An active service of blueprint 0 owned by [`EVE`], run by `operators` (20% exposure
/// each) for 100 blocks, with `permitted` callers besides EVE. Returns its identifier.
pub fn active_service(operators: &[AccountId], permitted: &[AccountId]) -> ServiceId {
	let request = NextRequestId::<Test>::get();
	let service = NextServiceId::<Test>::get();
	assert_ok!(Services::request(
		RuntimeOrigin::signed(EVE),
		0,
		ops(operators),
		callers(permitted),
		100,
		Percent::from_percent(10),
		1_000,
	));
	approve_all(request, operators);
	assert!(ServiceInstances::<Test>::contains_key(service));
	service
}

/// Calls job `job` of `service` as `caller` with `args`; returns the call's identifier.
pub fn call_job(caller: AccountId, service: ServiceId, job: u32, args: &[u8]) -> CallId {
	let id = NextCallId::<Test>::get();
	assert_ok!(Services::call(RuntimeOrigin::signed(caller), service, job, bytes(args)));
	id
}

/// The statistics of `operator` in `service` in the current era.
pub fn service_stats(service: ServiceId, operator: AccountId) -> warden_primitives::OperatorStats {
	ServiceStats::<Test>::get((CurrentEra::get(), service, operator))
}

/// The statistics of `operator` in `blueprint` in the current era.
pub fn blueprint_stats(
	blueprint: BlueprintId,
	operator: AccountId,
) -> warden_primitives::OperatorStats {
	BlueprintStats::<Test>::get((CurrentEra::get(), blueprint, operator))
}

/// Statistics with the given counts.
pub fn stats(successes: u32, failures: u32, heartbeats: u32) -> warden_primitives::OperatorStats {
	warden_primitives::OperatorStats { successes, failures, heartbeats }
}

/// The requests queued to expire at `block` and not drained yet, in queue order; stale
/// entries included.
pub fn queued_expiries(block: BlockNumber) -> alloc::vec::Vec<RequestId> {
	crate::ExpirySchedule::<Test>::entries_at(block).map(|(_, id)| id).collect()
}

/// The services queued to end at `block` and not drained yet, in queue order; stale
/// entries included.
pub fn queued_service_ends(block: BlockNumber) -> alloc::vec::Vec<ServiceId> {
	crate::ServiceEndSchedule::<Test>::entries_at(block).map(|(_, id)| id).collect()
}

/// The calls queued to close at `block` and not drained yet, in queue order; stale
/// entries included.
pub fn queued_call_closes(block: BlockNumber) -> alloc::vec::Vec<crate::CallKey> {
	crate::CallDeadlineSchedule::<Test>::entries_at(block).map(|(_, key)| key).collect()
}
