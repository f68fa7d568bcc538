#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod invariants;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{
	traits::{Contains, Get},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::One, Perbill};
use sp_staking::{
	offence::{OffenceDetails, OnOffenceHandler},
	SessionIndex,
};

/// Disables an offending validator for the rest of the session (on Warden: pallet-session's
/// disabling strategy decides whether it may, within a third of the set).
pub trait DisableOffender<AccountId> {
	/// `who` committed an offence judged to deserve `fraction`.
	fn disable(who: &AccountId, fraction: Perbill);
}

impl<AccountId> DisableOffender<AccountId> for () {
	fn disable(_: &AccountId, _: Perbill) {}
}

/// Registers the session keys of would-be validators in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Gives `who` session keys, so it may be added to the set.
	fn register_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::BuildGenesisConfig};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// Who may add and remove validators and set the minimum (on Warden: Root, or two
		/// thirds of the committee).
		type ValidatorSetOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most validators the set may have.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The Aura slot length, in milliseconds, of a chain whose genesis sets none.
		#[pallet::constant]
		type DefaultSlotDuration: Get<u64>;

		/// Accounts that have registered session keys (`Session.set_keys`): only they can
		/// be added, since the session pallet leaves out validators without keys. The
		/// minimum counts only validators that have them.
		type HasSessionKeys: Contains<Self::AccountId>;

		/// Disables offenders reported through the offences pallet for the rest of the
		/// session.
		type DisableOffender: DisableOffender<Self::AccountId>;

		/// The weights of calls and hooks, from the benchmarks.
		type WeightInfo: WeightInfo;

		/// Gives accounts session keys in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The validator set governance has decided on, in authoring order. The session pallet
	/// takes it at the next session boundary and applies it at the one after.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since the last session boundary took it.
	#[pallet::storage]
	pub type SetChanged<T> = StorageValue<_, bool, ValueQuery>;

	/// The fewest validators [`Validators`] may have.
	#[pallet::storage]
	pub type MinValidators<T> = StorageValue<_, u32, ValueQuery>;

	/// Blocks per session. Set at genesis and never changed: periodic sessions assume a
	/// fixed period.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The Aura slot length in milliseconds, when the genesis chose one; otherwise
	/// [`Config::DefaultSlotDuration`]. Set at genesis and never changed: the slot of a
	/// block is its timestamp divided by this, so a change would break the chain.
	#[pallet::storage]
	pub type SlotDuration<T> = StorageValue<_, u64, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first validators, in authoring order. Each needs session keys in the
		/// session pallet's genesis. Empty, with a zero minimum, leaves the pallet
		/// unconfigured.
		pub validators: Vec<T::AccountId>,
		/// The fewest validators the set may have: at least one, at most `validators`.
		pub min_validators: u32,
		/// Blocks per session: at least one.
		pub session_length: BlockNumberFor<T>,
		/// The Aura slot length in milliseconds: a non-zero even number. `None` keeps
		/// [`Config::DefaultSlotDuration`]. A test network may choose short slots.
		pub slot_duration: Option<u64>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(slot_duration) = self.slot_duration {
				assert!(
					slot_duration > 0 && slot_duration % 2 == 0,
					"the slot duration must be a non-zero even number of milliseconds"
				);
				SlotDuration::<T>::put(slot_duration);
			}
			// An empty genesis (the default) leaves the set unconfigured.
			if self.validators.is_empty() && self.min_validators == 0 {
				return;
			}
			assert!(
				self.min_validators >= 1,
				"the minimum number of validators must be at least one"
			);
			assert!(
				self.validators.len() >= self.min_validators as usize,
				"genesis has fewer validators than the minimum"
			);
			assert!(
				!self.session_length.is_zero(),
				"the session length must be at least one block"
			);
			let mut seen = alloc::collections::BTreeSet::new();
			for validator in &self.validators {
				assert!(seen.insert(validator.clone()), "a genesis validator is listed twice");
			}
			let validators =
				BoundedVec::<T::AccountId, T::MaxValidators>::try_from(self.validators.clone())
					.expect("genesis has more validators than MaxValidators");
			Validators::<T>::put(validators);
			MinValidators::<T>::put(self.min_validators);
			SessionLength::<T>::put(self.session_length);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the set at the next session boundary (it authors from the one after).
		ValidatorAdded {
			/// The new validator.
			who: T::AccountId,
		},
		/// `who` leaves the set at the next session boundary (it stops authoring at the one
		/// after).
		ValidatorRemoved {
			/// The removed validator.
			who: T::AccountId,
		},
		/// The fewest validators the set may have is now `min`.
		MinValidatorsSet {
			/// The new minimum.
			min: u32,
		},
		/// A session boundary took the changed set: it becomes active at the start of
		/// session `active_from`.
		ValidatorSetQueued {
			/// The session the set becomes active in.
			active_from: SessionIndex,
			/// How many validators it has.
			validators: u32,
		},
		/// `validator` was reported for an offence (a GRANDPA equivocation) in `session`.
		/// Governance decides whether to remove it.
		OffenceReported {
			/// The offender.
			validator: T::AccountId,
			/// The session of the offence.
			session: SessionIndex,
			/// The fraction the offences pallet computed; Warden doesn't slash validators.
			fraction: Perbill,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the set.
		AlreadyValidator,
		/// The account isn't in the set.
		NotValidator,
		/// The set is full (`MaxValidators`).
		TooManyValidators,
		/// Removing the validator would leave fewer than the minimum.
		TooFewValidators,
		/// The account has no session keys: it must call `Session.set_keys` first.
		NoSessionKeys,
		/// The minimum must be at least one.
		MinValidatorsZero,
		/// The minimum can't exceed the current set.
		MinAboveSet,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxValidators::get() >= 1, "MaxValidators must be at least one");
			let default_slot = T::DefaultSlotDuration::get();
			assert!(
				default_slot > 0 && default_slot % 2 == 0,
				"DefaultSlotDuration must be a non-zero even number of milliseconds"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Adds `who` to the validator set. It must have session keys. It is taken at the
		/// next session boundary and authors from the boundary after.
		///
		/// Origin: [`Config::ValidatorSetOrigin`].
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ValidatorSetOrigin::ensure_origin(origin)?;
			ensure!(T::HasSessionKeys::contains(&who), Error::<T>::NoSessionKeys);
			Validators::<T>::try_mutate(|set| -> DispatchResult {
				ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
				set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
				Ok(())
			})?;
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Removes `who` from the validator set, unless that leaves fewer validators with
		/// session keys than the minimum (a validator that purged its keys no longer counts,
		/// and can always be removed). It leaves at the next session boundary and stops
		/// authoring at the one after.
		///
		/// Origin: [`Config::ValidatorSetOrigin`].
		#[pallet::call_index(1)]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ValidatorSetOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| -> DispatchResult {
				let position =
					set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
				ensure!(
					!T::HasSessionKeys::contains(&who)
						|| Self::with_keys(set) > MinValidators::<T>::get() as usize,
					Error::<T>::TooFewValidators
				);
				set.remove(position);
				Ok(())
			})?;
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}

		/// Sets the fewest validators the set may have: at least one, at most the validators
		/// of the current set that have session keys.
		///
		/// Origin: [`Config::ValidatorSetOrigin`].
		#[pallet::call_index(2)]
		pub fn set_min_validators(origin: OriginFor<T>, min: u32) -> DispatchResult {
			T::ValidatorSetOrigin::ensure_origin(origin)?;
			ensure!(min >= 1, Error::<T>::MinValidatorsZero);
			ensure!(
				min as usize <= Self::with_keys(&Validators::<T>::get()),
				Error::<T>::MinAboveSet
			);
			MinValidators::<T>::put(min);
			Self::deposit_event(Event::MinValidatorsSet { min });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// How many of `set` have session keys: the validators the session pallet will take.
	pub fn with_keys(set: &[T::AccountId]) -> usize {
		set.iter().filter(|who| T::HasSessionKeys::contains(who)).count()
	}

	/// The set governance has decided on.
	pub fn target() -> Vec<T::AccountId> {
		Validators::<T>::get().into_inner()
	}

	/// Blocks per session (at least one).
	pub fn session_length() -> BlockNumberFor<T> {
		SessionLength::<T>::get().max(One::one())
	}

	/// The Aura slot length in milliseconds: the genesis' choice, or the default.
	pub fn slot_duration() -> u64 {
		SlotDuration::<T>::get().unwrap_or_else(T::DefaultSlotDuration::get)
	}
}

/// Half the slot length, as a `Get`, for the timestamp pallet's `MinimumPeriod` (Aura's
/// slot length is twice that).
pub struct MinimumPeriod<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u64> for MinimumPeriod<T> {
	fn get() -> u64 {
		Pallet::<T>::slot_duration() / 2
	}
}

/// The session length as a `Get`, for the session pallet's `PeriodicSessions`.
pub struct SessionPeriod<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<BlockNumberFor<T>> for SessionPeriod<T> {
	fn get() -> BlockNumberFor<T> {
		Pallet::<T>::session_length()
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	/// Hands the set to the session pallet if it changed; the session pallet queues it
	/// for session `new_index` (active at the boundary after this one).
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let set = Self::target();
		Self::deposit_event(Event::ValidatorSetQueued {
			active_from: new_index,
			validators: set.len() as u32,
		});
		Some(set)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Some(Self::target())
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}

impl<T: Config, FullIdentification>
	OnOffenceHandler<T::AccountId, (T::AccountId, FullIdentification), Weight> for Pallet<T>
{
	/// Records each offender in an event and disables it for the rest of the session
	/// ([`Config::DisableOffender`]). Warden doesn't slash validators: governance reads the
	/// event and may remove the offender.
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, FullIdentification)>],
		slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		for (index, details) in offenders.iter().enumerate() {
			let fraction = slash_fraction.get(index).copied().unwrap_or_default();
			T::DisableOffender::disable(&details.offender.0, fraction);
			Self::deposit_event(Event::OffenceReported {
				validator: details.offender.0.clone(),
				session,
				fraction,
			});
		}
		T::WeightInfo::on_offence(offenders.len() as u32)
	}
}
