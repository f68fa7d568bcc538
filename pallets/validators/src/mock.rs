//! A test runtime with System and the validator set; session keys are a set the tests
//! control.

use frame_support::{derive_impl, parameter_types, traits::Contains};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

use crate::{self as pallet_warden_validators, SessionLength};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_warden_validators,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The most validators in the tests.
pub const MAX_VALIDATORS: u32 = 6;
/// The slot length of a genesis that sets none.
pub const DEFAULT_SLOT_DURATION: u64 = 6000;

parameter_types! {
	pub const MaxValidators: u32 = MAX_VALIDATORS;
	pub const DefaultSlotDuration: u64 = DEFAULT_SLOT_DURATION;
	/// Accounts with session keys.
	pub static KeyHolders: Vec<u64> = vec![];
	pub static Disabled: Vec<u64> = vec![];
}

/// Accounts in [`KeyHolders`].
/// Records the offenders the pallet disables.
pub struct RecordDisabled;
impl crate::DisableOffender<u64> for RecordDisabled {
	fn disable(who: &u64, _: sp_runtime::Perbill) {
		Disabled::mutate(|disabled| disabled.push(*who));
	}
}

pub struct WithKeys;
impl Contains<u64> for WithKeys {
	fn contains(who: &u64) -> bool {
		KeyHolders::get().contains(who)
	}
}

impl pallet_warden_validators::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorSetOrigin = EnsureRoot<u64>;
	type MaxValidators = MaxValidators;
	type DefaultSlotDuration = DefaultSlotDuration;
	type HasSessionKeys = WithKeys;
	type DisableOffender = RecordDisabled;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = WithKeys;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for WithKeys {
	fn register_keys(who: &u64) {
		KeyHolders::mutate(|holders| holders.push(*who));
	}
}

/// The genesis validators.
pub const GENESIS: [u64; 3] = [1, 2, 3];
/// Blocks per session in the tests.
pub const SESSION_LENGTH: u64 = 5;

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ValidatorSet(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// Builds test externalities.
pub struct ExtBuilder {
	validators: Vec<u64>,
	min: u32,
	slot_duration: Option<u64>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { validators: GENESIS.to_vec(), min: 2, slot_duration: None }
	}
}

impl ExtBuilder {
	/// Sets the genesis validators.
	pub fn validators(mut self, validators: Vec<u64>) -> Self {
		self.validators = validators;
		self
	}
	/// Sets the minimum.
	pub fn min(mut self, min: u32) -> Self {
		self.min = min;
		self
	}
	/// Chooses the slot length at genesis.
	pub fn slot_duration(mut self, slot_duration: u64) -> Self {
		self.slot_duration = Some(slot_duration);
		self
	}

	/// The externalities, at block 1, with keys for the genesis validators and 10..20.
	pub fn build(self) -> sp_io::TestExternalities {
		KeyHolders::set(self.validators.iter().copied().chain(10..20).collect());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_warden_validators::GenesisConfig::<Test> {
			validators: self.validators,
			min_validators: self.min,
			session_length: SESSION_LENGTH,
			slot_duration: self.slot_duration,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			assert_eq!(SessionLength::<Test>::get(), SESSION_LENGTH);
		});
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			ValidatorSet::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Test externalities for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}
