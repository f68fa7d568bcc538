#![doc = include_str!("../README.md")]
//!
//! ## Example
//!
//! The usual scenario: the receiver goes offline, the sender closes with a stale proof,
//! a monitor submits the newest one in its slot and claims its reward after settlement.
#![doc = docify::embed!("src/tests/scenario.rs", monitor_protects_an_offline_receiver)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use warden_primitives::{
	ChannelId, ChannelPhase, ChannelUpdate, MonitoringParams, OnChannelSettled,
	RewardAuthorization, RewardAuthorizationPayload, REWARD_AUTHORIZATION_TAG,
};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod invariants;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::DispatchResult,
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			BuildGenesisConfig,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{IdentifyAccount, Verify};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits and escrows are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The signature of balance proofs and reward authorizations (`MultiSignature` on
		/// Warden).
		type Signature: Verify<Signer = Self::Public> + Parameter + warden_primitives::SchemeOf;

		/// The public key behind a signature; it identifies the signer's account.
		type Public: IdentifyAccount<AccountId = Self::AccountId>;

		/// The payment channels monitors act on (the channels pallet).
		type Channels: ChannelUpdate<
			Self::AccountId,
			BalanceOf<Self>,
			BlockNumberFor<Self>,
			BalanceProofOf<Self>,
		>;

		/// The longest monitor endpoint (a URL), in bytes. The minimum monitor deposit should
		/// cover a record with an endpoint this long.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// The origin that may change the [`MonitoringParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The weights of calls and hooks, from the benchmarks.
		type WeightInfo: WeightInfo;

		/// Opens, closes and settles channels for the benchmarks (the channels pallet).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: warden_primitives::ChannelBenchmarkHelper<
			Self::AccountId,
			BalanceOf<Self>,
		>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A monitor's registration deposit.
		#[codec(index = 0)]
		MonitorDeposit,
		/// A channel's monitoring escrow, held on its funder's account.
		#[codec(index = 1)]
		MonitoringEscrow,
	}

	/// The parameters in force.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery, DefaultParams<T>>;

	/// The parameters before genesis sets them: never in force on a built chain.
	#[pallet::type_value]
	pub fn DefaultParams<T: Config>() -> ParamsOf<T> {
		MonitoringParams {
			min_monitor_deposit: 1u32.into(),
			registration_period: 100u32.into(),
			unregister_delay: 100u32.into(),
		}
	}

	/// Registered monitors, including those waiting for their deposit's release.
	#[pallet::storage]
	pub type Monitors<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, MonitorOf<T>>;

	/// Monitoring escrows, by channel. Removed when paid out or emptied.
	#[pallet::storage]
	pub type Escrows<T: Config> = StorageMap<_, Twox64Concat, ChannelId, EscrowOf<T>>;

	/// The pallet's genesis: its parameters.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The parameters in force from genesis. Every one must be non-zero.
		pub params: ParamsOf<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { params: DefaultParams::<T>::get() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				Pallet::<T>::validate_params(&self.params).is_ok(),
				"monitoring genesis: every parameter must be non-zero"
			);
			Params::<T>::put(self.params);
		}
	}

	/// What happened to monitors, escrows and rewards.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A monitor registered and its deposit was held.
		MonitorRegistered {
			/// The monitor.
			monitor: T::AccountId,
			/// Its deposit.
			deposit: BalanceOf<T>,
			/// The last block its registration is valid.
			valid_until: BlockNumberFor<T>,
			/// Where its public API listens.
			endpoint: EndpointOf<T>,
		},
		/// A monitor changed its endpoint.
		EndpointSet {
			/// The monitor.
			monitor: T::AccountId,
			/// Where its public API listens now.
			endpoint: EndpointOf<T>,
		},
		/// A monitor renewed its registration.
		MonitorRenewed {
			/// The monitor.
			monitor: T::AccountId,
			/// Its deposit now.
			deposit: BalanceOf<T>,
			/// The last block its registration is valid now.
			valid_until: BlockNumberFor<T>,
		},
		/// A monitor unregistered; it may no longer submit updates.
		MonitorUnregistered {
			/// The monitor.
			monitor: T::AccountId,
			/// The first block its deposit may be released.
			release_at: BlockNumberFor<T>,
		},
		/// An unregistered monitor's deposit was released and its record removed.
		MonitorDepositReleased {
			/// The former monitor.
			monitor: T::AccountId,
			/// The deposit released.
			amount: BalanceOf<T>,
		},
		/// A receiver added to her channel's monitoring escrow.
		EscrowFunded {
			/// The channel.
			channel: ChannelId,
			/// The receiver who funded it.
			funder: T::AccountId,
			/// What was added.
			amount: BalanceOf<T>,
			/// What the escrow holds now.
			escrow: BalanceOf<T>,
		},
		/// The funder took funds back from an escrow no reward was owed from.
		EscrowWithdrawn {
			/// The channel.
			channel: ChannelId,
			/// The funder.
			funder: T::AccountId,
			/// What was taken back.
			amount: BalanceOf<T>,
			/// What the escrow holds now (removed if zero).
			escrow: BalanceOf<T>,
		},
		/// A monitor's update was accepted; it is now the channel's standing update.
		MonitorUpdateAccepted {
			/// The channel.
			channel: ChannelId,
			/// The monitor.
			monitor: T::AccountId,
			/// Where its reward will go.
			payout: T::AccountId,
			/// The proof's nonce.
			nonce: u64,
			/// The authorized reward.
			reward: BalanceOf<T>,
			/// The monitor whose earlier update this one replaced, if any.
			superseded: Option<T::AccountId>,
		},
		/// A funded channel settled: its escrow can be claimed.
		EscrowClaimable {
			/// The channel.
			channel: ChannelId,
			/// The monitor whose update is rewarded from it: the one that brought the channel
			/// to the amount it settled with, if a monitor did.
			rewarded: Option<T::AccountId>,
			/// The nonce the channel settled with.
			final_nonce: u64,
		},
		/// A monitor's reward was paid.
		RewardClaimed {
			/// The channel.
			channel: ChannelId,
			/// The monitor whose update stood.
			monitor: T::AccountId,
			/// The payout address it named.
			payout: T::AccountId,
			/// What was paid.
			amount: BalanceOf<T>,
		},
		/// What an escrow held beyond the reward went back to its funder; the escrow is
		/// removed.
		EscrowReturned {
			/// The channel.
			channel: ChannelId,
			/// The funder.
			funder: T::AccountId,
			/// What went back.
			amount: BalanceOf<T>,
		},
		/// The parameters changed.
		ParamsSet {
			/// The new parameters.
			params: ParamsOf<T>,
		},
	}

	/// Why a monitoring call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is already a registered monitor.
		AlreadyRegistered,
		/// The deposit is below the minimum.
		DepositTooLow,
		/// The caller isn't a registered monitor.
		NotMonitor,
		/// The monitor unregistered.
		MonitorUnregistering,
		/// The monitor's registration has expired; renew it.
		MonitorExpired,
		/// The monitor hasn't unregistered.
		NotUnregistering,
		/// The unregister delay isn't over.
		ReleaseNotDue,
		/// The amount is zero.
		ZeroAmount,
		/// No such channel: never opened, or already settled.
		UnknownChannel,
		/// Only the channel's receiver may fund its escrow.
		NotReceiver,
		/// The channel has no monitoring escrow (never funded, emptied, or paid out).
		NoEscrow,
		/// Only the escrow's funder may withdraw from it.
		NotFunder,
		/// A monitor's reward is owed from the escrow.
		RewardOwed,
		/// The amount is more than the escrow holds.
		AmountOverEscrow,
		/// The channel hasn't settled yet.
		NotSettled,
		/// The channel isn't closing.
		ChannelNotClosing,
		/// The challenge window is over.
		ChallengePeriodOver,
		/// The monitor's slot in the challenge window hasn't begun.
		BeforeSlot,
		/// The proof's nonce isn't above the one on chain.
		StaleNonce,
		/// The proof doesn't raise what the receiver gets above what the channel already
		/// records: the update would help no one, so it earns no reward.
		NoImprovement,
		/// The authorization names another monitor: only that one may use it.
		NotNamedMonitor,
		/// The authorization is for another channel.
		AuthorizationChannelMismatch,
		/// The authorization is for another nonce.
		AuthorizationNonceMismatch,
		/// The authorization is for another balance proof.
		AuthorizationProofMismatch,
		/// The authorization isn't signed by the channel's receiver for this chain.
		BadAuthorizationSignature,
		/// The reward is more than the escrow holds.
		RewardOverEscrow,
		/// The reward is non-zero but below the existential deposit, so it couldn't be
		/// paid to a new payout account.
		RewardBelowMinimum,
		/// An amount or block number would overflow.
		Overflow,
		/// The minimum monitor deposit must be non-zero.
		MinMonitorDepositZero,
		/// The registration period must be non-zero.
		RegistrationPeriodZero,
		/// The unregister delay must be non-zero.
		UnregisterDelayZero,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a monitor, holding `deposit` (at least the minimum), with
		/// `endpoint`, the URL of its public API, for channel parties to find it.
		#[pallet::call_index(0)]
		pub fn register_monitor(
			origin: OriginFor<T>,
			deposit: BalanceOf<T>,
			endpoint: EndpointOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_monitor(who, deposit, endpoint)
		}

		/// Renews the caller's registration for another registration period, adding
		/// `top_up` (possibly zero) to its deposit. The deposit must meet the current
		/// minimum.
		#[pallet::call_index(1)]
		pub fn renew_monitor(origin: OriginFor<T>, top_up: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_renew_monitor(who, top_up)
		}

		/// Unregisters the caller: it stops acting at once, and its deposit may be released
		/// after the unregister delay.
		#[pallet::call_index(2)]
		pub fn unregister_monitor(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister_monitor(who)
		}

		/// Releases the caller's deposit once its unregister delay is over.
		#[pallet::call_index(3)]
		pub fn release_monitor_deposit(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_monitor_deposit(who)
		}

		/// Adds `amount` to the monitoring escrow of `channel`. The channel's receiver only.
		#[pallet::call_index(4)]
		pub fn fund_monitoring(
			origin: OriginFor<T>,
			channel: ChannelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_fund_monitoring(who, channel, amount)
		}

		/// Takes `amount` back from the escrow of `channel`. The funder only, and only while
		/// no reward is owed from it.
		#[pallet::call_index(5)]
		pub fn withdraw_escrow(
			origin: OriginFor<T>,
			channel: ChannelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_escrow(who, channel, amount)
		}

		/// Submits the receiver's balance proof `proof` during the challenge window, in the
		/// caller's slot, for the reward `authorization` grants, paid later to `payout`.
		/// Registered, unexpired monitors only; the proof must raise what the receiver gets.
		/// An authorization that names a monitor is for that monitor only, from the start
		/// of the challenge window.
		#[pallet::call_index(6)]
		#[pallet::weight(warden_primitives::signature_check_weight(
			[
				T::WeightInfo::monitor_update_sr25519(),
				T::WeightInfo::monitor_update_ed25519(),
				T::WeightInfo::monitor_update_ecdsa(),
			],
			[&proof.signature, &authorization.signature],
		))]
		pub fn monitor_update(
			origin: OriginFor<T>,
			proof: BalanceProofOf<T>,
			authorization: RewardAuthorizationOf<T>,
			payout: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_monitor_update(who, proof, authorization, payout)
		}

		/// Pays out the escrow of a settled channel: the reward of the monitor update that
		/// stood to its payout address, the rest to the funder. Anyone may call it.
		#[pallet::call_index(7)]
		pub fn claim_reward(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim_reward(channel)
		}

		/// Sets the parameters. [`Config::ParamsOrigin`] only.
		#[pallet::call_index(8)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Changes the caller's endpoint, the URL of its public API. Registered monitors
		/// only, unregistering ones included.
		#[pallet::call_index(9)]
		pub fn set_endpoint(origin: OriginFor<T>, endpoint: EndpointOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_endpoint(who, endpoint)
		}
	}
}
