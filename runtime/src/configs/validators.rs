//! The validator network: session keys, the governance-managed validator set, historical
//! sessions, and GRANDPA equivocation reports through the offences pallet.
//!
//! - `pallet-session` rotates sessions every `SessionLength` blocks (set at genesis) and
//!   hands the Aura and GRANDPA keys of the next validators to both pallets;
//! - the validator set pallet decides the validators (Root or two thirds of the
//!   committee);
//! - historical sessions keep the roots of the last [`HISTORICAL_SESSIONS`] sessions'
//!   validator keys, so a GRANDPA equivocation can be proven against the session it
//!   happened in; the offences pallet records the report and the validator set pallet
//!   announces the offender.

use alloc::vec::Vec;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Contains, EitherOfDiverse},
};
use frame_system::EnsureRoot;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};
use sp_staking::SessionIndex;

use crate::{
	AccountId, Aura, Balance, Balances, BlockNumber, Historical, Offences, Runtime, RuntimeCall,
	RuntimeEvent, Session, SessionKeys, SlashingCommitteeInstance, UncheckedExtrinsic,
	ValidatorSet, DAYS, SLOT_DURATION, UNIT,
};

/// How many past sessions keep their validator-key roots: the window in which a GRANDPA
/// equivocation can still be reported.
pub const HISTORICAL_SESSIONS: SessionIndex = 168;

parameter_types! {
	/// What registering session keys holds from the account, until `purge_keys`.
	pub const SessionKeyDeposit: Balance = 10 * UNIT;
	/// How long an equivocation report may wait in the pool, in blocks.
	pub const ReportLongevity: u64 = DAYS as u64;
}

/// The most validators: as many as Aura and GRANDPA accept.
pub type MaxValidators = ConstU32<32>;

/// Root, or at least two thirds of the committee: may change the validator set.
pub type RootOrTwoThirdsCommittee = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, SlashingCommitteeInstance, 2, 3>,
>;

/// Accounts with registered session keys.
pub struct SessionKeysRegistered;
impl Contains<AccountId> for SessionKeysRegistered {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}
}

impl pallet_warden_validators::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorSetOrigin = RootOrTwoThirdsCommittee;
	type MaxValidators = MaxValidators;
	type DefaultSlotDuration = ConstU64<SLOT_DURATION>;
	type HasSessionKeys = SessionKeysRegistered;
	type DisableOffender = SessionDisabling;
	type WeightInfo = pallet_warden_validators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysRegistered;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_warden_validators::BenchmarkHelper<AccountId> for SessionKeysRegistered {
	fn register_keys(who: &AccountId) {
		let raw: [u8; 32] = *who.as_ref();
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(raw).into(),
			grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

/// The validator set pallet as the historical session manager: validators carry no
/// identification beyond their account, and sessions older than [`HISTORICAL_SESSIONS`]
/// are pruned as new ones start (one at a time, so the work per boundary is bounded).
pub struct ValidatorSetWithHistory;

impl ValidatorSetWithHistory {
	fn identified(set: Option<Vec<AccountId>>) -> Option<Vec<(AccountId, ())>> {
		set.map(|set| set.into_iter().map(|validator| (validator, ())).collect())
	}
}

impl pallet_session::SessionManager<AccountId> for ValidatorSetWithHistory {
	fn new_session(new_index: SessionIndex) -> Option<Vec<AccountId>> {
		if let Some(up_to) = new_index.checked_sub(HISTORICAL_SESSIONS) {
			Historical::prune_up_to(up_to);
		}
		<ValidatorSet as pallet_session::SessionManager<_>>::new_session(new_index)
	}

	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<AccountId>> {
		<ValidatorSet as pallet_session::SessionManager<_>>::new_session_genesis(new_index)
	}

	fn start_session(start_index: SessionIndex) {
		<ValidatorSet as pallet_session::SessionManager<_>>::start_session(start_index)
	}

	fn end_session(end_index: SessionIndex) {
		<ValidatorSet as pallet_session::SessionManager<_>>::end_session(end_index)
	}
}

impl pallet_session::historical::SessionManager<AccountId, ()> for ValidatorSetWithHistory {
	fn new_session(new_index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		Self::identified(<Self as pallet_session::SessionManager<_>>::new_session(new_index))
	}

	fn new_session_genesis(new_index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		Self::identified(<Self as pallet_session::SessionManager<_>>::new_session_genesis(
			new_index,
		))
	}

	fn start_session(start_index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::start_session(start_index)
	}

	fn end_session(end_index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::end_session(end_index)
	}
}

/// The session, and the active, queued and target validator sets, for
/// `ValidatorSetApi::validator_set`.
pub fn validator_set_info() -> warden_primitives::ValidatorSetInfo<AccountId, BlockNumber> {
	use frame_support::traits::{EstimateNextSessionRotation, Get};
	let now = crate::System::block_number();
	warden_primitives::ValidatorSetInfo {
		session: Session::current_index(),
		session_length: ValidatorSet::session_length(),
		next_session_start: Sessions::estimate_next_session_rotation(now).0.unwrap_or(now),
		active: Session::validators(),
		queued: Session::queued_keys().into_iter().map(|(validator, _)| validator).collect(),
		target: ValidatorSet::target(),
		target_changed: pallet_warden_validators::SetChanged::<Runtime>::get(),
		min_validators: pallet_warden_validators::MinValidators::<Runtime>::get(),
		max_validators: MaxValidators::get(),
	}
}

/// Sessions of `SessionLength` blocks, the first ending at block `SessionLength`.
pub type Sessions =
	pallet_session::PeriodicSessions<pallet_warden_validators::SessionPeriod<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Sessions;
	type NextSessionRotation = Sessions;
	type SessionManager =
		pallet_session::historical::NoteHistoricalRoot<Runtime, ValidatorSetWithHistory>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// An offender is disabled for the rest of the session, up to a third of the set (so
	/// a set of fewer than four disables no one): it neither authors nor votes until the
	/// next session, by which governance may have removed it.
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

/// Disables offenders through pallet-session, whose disabling strategy decides.
pub struct SessionDisabling;
impl pallet_warden_validators::DisableOffender<AccountId> for SessionDisabling {
	fn disable(who: &AccountId, fraction: sp_runtime::Perbill) {
		pallet_session::Pallet::<Runtime>::report_offence(
			who.clone(),
			sp_staking::offence::OffenceSeverity(fraction),
		);
	}
}

/// A validator's identification in historical sessions: none beyond its account.
pub struct NoIdentification;
impl sp_runtime::traits::Convert<AccountId, Option<()>> for NoIdentification {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = NoIdentification;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = ValidatorSet;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = ();
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxValidators;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<{ HISTORICAL_SESSIONS as u64 }>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

/// Equivocation reports are unsigned transactions.
impl<LocalCall> frame_system::offchain::CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}
