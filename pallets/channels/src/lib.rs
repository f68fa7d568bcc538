#![doc = include_str!("../README.md")]
//!
//! ## Example
//!
//! A channel closed by its sender with a stale proof, corrected by the receiver, and
//! settled when the challenge window ends:
#![doc = docify::embed!("src/tests/closing.rs", receiver_overrules_a_stale_close)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use warden_primitives::{
	BalanceProof, BalanceProofPayload, ChannelId, ChannelParams, ChannelPhase, ChannelUpdate,
	OnChannelSettled, BALANCE_PROOF_TAG, COOPERATIVE_CLOSE_TAG,
};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod hooks;
mod invariants;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::warden-channels";

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
	use warden_primitives::schedule::QueuePosition;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency channel deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The signature of balance proofs and of the receiver's cooperative-close
		/// signature (`MultiSignature` on Warden).
		type Signature: Verify<Signer = Self::Public> + Parameter + warden_primitives::SchemeOf;

		/// The public key behind a signature; it identifies the signer's account.
		type Public: IdentifyAccount<AccountId = Self::AccountId>;

		/// Told when a channel settles, with its final nonce (the monitoring pallet).
		type OnSettled: OnChannelSettled<BalanceOf<Self>>;

		/// The origin that may change the [`ChannelParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most channels `on_initialize` settles in one block. More may close in the same
		/// block: what doesn't fit is settled in the next blocks.
		#[pallet::constant]
		type MaxSettlementsPerBlock: Get<u32>;

		/// The weights of calls and hooks, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit backing a channel, held on its sender's account.
		#[codec(index = 0)]
		ChannelDeposit,
	}

	/// The id the next channel gets. Ids are never reused.
	#[pallet::storage]
	pub type NextChannelId<T: Config> = StorageValue<_, ChannelId, ValueQuery>;

	/// Every channel not yet settled, by id.
	#[pallet::storage]
	pub type Channels<T: Config> = StorageMap<_, Twox64Concat, ChannelId, ChannelOf<T>>;

	/// The channels each account sends or receives on, for the `ChannelsApi`: an entry per
	/// party of every channel in [`Channels`].
	#[pallet::storage]
	pub type ChannelsOf<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, ChannelId, ()>;

	/// The parameters in force.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery, DefaultParams<T>>;

	/// The parameters before genesis sets them: never in force on a built chain.
	#[pallet::type_value]
	pub fn DefaultParams<T: Config>() -> ParamsOf<T> {
		ChannelParams { challenge_period: 100u32.into(), min_deposit: 1u32.into() }
	}

	/// The settlement queue: closing channels by the first block they may settle
	/// (`settle_from`), numbered in the order they were closed. Drained through
	/// [`SettlementSchedule`]; an entry of a channel settled by hand is stale.
	#[pallet::storage]
	pub type Settlements<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		QueuePosition,
		ChannelId,
	>;

	/// How many channels were ever queued in each block of [`Settlements`] not yet drained.
	#[pallet::storage]
	pub type SettlementTails<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, QueuePosition, ValueQuery>;

	/// The first entry of [`Settlements`] not drained yet.
	#[pallet::storage]
	pub type SettlementCursor<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, QueuePosition), ValueQuery>;

	/// The pallet's genesis: its parameters.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The parameters in force from genesis. Both must be non-zero.
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
				"channels genesis: challenge_period and min_deposit must be non-zero"
			);
			Params::<T>::put(self.params);
			SettlementSchedule::<T>::start_at(frame_system::Pallet::<T>::block_number());
		}
	}

	/// What happened to channels.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A channel was opened and its deposit held.
		ChannelOpened {
			/// The new channel.
			channel: ChannelId,
			/// Who pays.
			sender: T::AccountId,
			/// Who is paid.
			receiver: T::AccountId,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// The sender added to a channel's deposit.
		ChannelToppedUp {
			/// The channel.
			channel: ChannelId,
			/// What was added.
			amount: BalanceOf<T>,
			/// The deposit now.
			deposit: BalanceOf<T>,
		},
		/// A participant started closing a channel: its challenge window is open.
		ChannelCloseStarted {
			/// The channel.
			channel: ChannelId,
			/// Who closed it.
			closer: Closer,
			/// The nonce on chain: the receiver's proof's, or 0 when the sender closed.
			nonce: u64,
			/// What the receiver gets unless a newer proof arrives.
			transferred: BalanceOf<T>,
			/// The first block the channel may settle; updates are accepted before it.
			settle_from: BlockNumberFor<T>,
		},
		/// A newer balance proof was accepted during the challenge window.
		ChannelUpdated {
			/// The channel.
			channel: ChannelId,
			/// The proof's nonce.
			nonce: u64,
			/// What the receiver gets now.
			transferred: BalanceOf<T>,
		},
		/// A channel was settled, its deposit paid out and its storage removed.
		ChannelSettled {
			/// The channel.
			channel: ChannelId,
			/// The nonce of the proof it settled with (0 if none was submitted for the
			/// receiver).
			nonce: u64,
			/// Paid to the receiver.
			to_receiver: BalanceOf<T>,
			/// Returned to the sender.
			to_sender: BalanceOf<T>,
		},
		/// The parameters changed.
		ParamsSet {
			/// The new parameters.
			params: ParamsOf<T>,
		},
	}

	/// Why a channels call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// No such channel: never opened, or already settled.
		UnknownChannel,
		/// A channel's receiver must differ from its sender.
		ReceiverIsSender,
		/// The deposit is below the minimum.
		DepositTooLow,
		/// The amount is zero.
		ZeroAmount,
		/// Only the channel's sender may do this.
		NotSender,
		/// Only the channel's receiver may do this.
		NotReceiver,
		/// Only the channel's sender or receiver may do this.
		NotParticipant,
		/// The receiver must close with a balance proof.
		ProofRequired,
		/// The balance proof is for another channel.
		WrongChannel,
		/// The balance proof's signature isn't the sender's over this chain's payload.
		BadSignature,
		/// The cooperative-close signature isn't the receiver's over this chain's payload.
		BadReceiverSignature,
		/// The balance proof's nonce isn't above the one on chain.
		StaleNonce,
		/// The balance proof transfers more than the deposit.
		AmountOverDeposit,
		/// The balance proof transfers less than the channel already records: an update
		/// never lowers what the receiver gets.
		TransferredWouldDecrease,
		/// The channel is closing, not open.
		NotOpen,
		/// The channel is open, not closing.
		NotClosing,
		/// The challenge window is over: too late to update.
		ChallengePeriodOver,
		/// The challenge window is still open: too early to settle.
		ChallengePeriodActive,
		/// An amount or block number would overflow.
		Overflow,
		/// The challenge period must be non-zero.
		ChallengePeriodZero,
		/// The minimum deposit must be non-zero.
		MinDepositZero,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_on_initialize(now)
		}

		fn integrity_test() {
			assert!(
				T::MaxSettlementsPerBlock::get() > 0,
				"MaxSettlementsPerBlock must be non-zero"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Opens a channel from the caller to `receiver`, holding `deposit` (at least the
		/// minimum deposit) on the caller's account.
		#[pallet::call_index(0)]
		pub fn open(
			origin: OriginFor<T>,
			receiver: T::AccountId,
			deposit: BalanceOf<T>,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			Self::do_open(sender, receiver, deposit).map(|_| ())
		}

		/// Adds `amount` to the deposit of an open channel. Sender only.
		#[pallet::call_index(1)]
		pub fn top_up(
			origin: OriginFor<T>,
			channel: ChannelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_top_up(who, channel, amount)
		}

		/// Starts closing an open channel; its challenge window runs for the challenge
		/// period. The sender may give one of its balance proofs or none (nothing
		/// transferred); the receiver must give one.
		#[pallet::call_index(2)]
		#[pallet::weight(warden_primitives::signature_check_weight(
			[
				T::WeightInfo::close_sr25519(),
				T::WeightInfo::close_ed25519(),
				T::WeightInfo::close_ecdsa(),
			],
			proof.iter().map(|proof| &proof.signature),
		))]
		pub fn close(
			origin: OriginFor<T>,
			channel: ChannelId,
			proof: Option<BalanceProofOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close(who, channel, proof)
		}

		/// Submits a balance proof with a higher nonce during the challenge window.
		/// Receiver only; allowed as often as needed.
		#[pallet::call_index(3)]
		#[pallet::weight(warden_primitives::signature_check_weight(
			[
				T::WeightInfo::update_sr25519(),
				T::WeightInfo::update_ed25519(),
				T::WeightInfo::update_ecdsa(),
			],
			[&proof.signature],
		))]
		pub fn update(
			origin: OriginFor<T>,
			channel: ChannelId,
			proof: BalanceProofOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, channel, proof)
		}

		/// Settles an open channel at once with a balance proof the receiver co-signed.
		/// Either participant may submit it.
		#[pallet::call_index(4)]
		#[pallet::weight(
			warden_primitives::signature_check_weight(
				[
					T::WeightInfo::cooperative_close_sr25519(),
					T::WeightInfo::cooperative_close_ed25519(),
					T::WeightInfo::cooperative_close_ecdsa(),
				],
				[&proof.signature, receiver_signature],
			)
			.saturating_add(T::OnSettled::on_channel_settled_weight())
		)]
		pub fn cooperative_close(
			origin: OriginFor<T>,
			channel: ChannelId,
			proof: BalanceProofOf<T>,
			receiver_signature: T::Signature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cooperative_close(who, channel, proof, receiver_signature)
		}

		/// Settles a channel whose challenge window is over. Anyone may call it; the hook
		/// normally does it first.
		#[pallet::call_index(5)]
		#[pallet::weight(
			T::WeightInfo::settle().saturating_add(T::OnSettled::on_channel_settled_weight())
		)]
		pub fn settle(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle(channel)
		}

		/// Sets the parameters. [`Config::ParamsOrigin`] only.
		#[pallet::call_index(6)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}
}
