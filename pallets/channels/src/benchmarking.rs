//! Benchmarks of every call and hook path at its worst case.
//!
//! Balance proofs carry real signatures: the keys are generated in the benchmark's
//! keystore, and the participants' accounts are derived from them. Each call that checks
//! signatures is measured once per scheme `MultiSignature` carries (sr25519, ed25519 and
//! ecdsa), and charges the most expensive (see [`Pallet::signed_call_weight`]).

use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{IdentifyAccount, One, Saturating};
use warden_primitives::{BalanceProofPayload, ChannelId};
use warden_testing::keys::{AnyPublic, AnySignature, Key, Scheme};

use crate::*;

/// A new key of `scheme` and the account it controls.
fn keyed_account<T: Config>(scheme: Scheme) -> (Key, T::AccountId)
where
	T::Public: AnyPublic,
{
	let key = Key::generate(scheme);
	(key, key.public::<T::Public>().into_account())
}

/// A balance proof signed by `sender`.
fn signed_proof<T: Config>(
	sender: &Key,
	channel: ChannelId,
	nonce: u64,
	transferred: BalanceOf<T>,
) -> BalanceProofOf<T>
where
	T::Signature: AnySignature,
{
	let payload =
		BalanceProofPayload::new(Pallet::<T>::genesis_hash(), channel, nonce, transferred);
	let signature: T::Signature = sender.sign(&payload.signing_bytes());
	payload.into_proof(signature)
}

/// A deposit well above the minimum and the existential deposit.
fn deposit<T: Config>() -> BalanceOf<T> {
	let floor = Params::<T>::get().min_deposit.max(T::Currency::minimum_balance());
	floor.saturating_mul(100u32.into())
}

/// Gives `who` enough to open a channel and top it up.
fn fund<T: Config>(who: &T::AccountId) {
	let amount =
		deposit::<T>().saturating_mul(10u32.into()).saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(who, amount);
}

/// Opens a channel from a funded sender to a receiver that has no account, both with keys
/// of `scheme`.
fn open_channel_with<T: Config>(scheme: Scheme) -> (ChannelId, Key, T::AccountId, Key, T::AccountId)
where
	T::Public: AnyPublic,
{
	let (sender_key, sender) = keyed_account::<T>(scheme);
	let (receiver_key, receiver) = keyed_account::<T>(scheme);
	fund::<T>(&sender);
	let id = Pallet::<T>::do_open(sender.clone(), receiver.clone(), deposit::<T>())
		.expect("the sender is funded");
	(id, sender_key, sender, receiver_key, receiver)
}

/// [`open_channel_with`] sr25519 keys.
fn open_channel<T: Config>() -> (ChannelId, Key, T::AccountId, Key, T::AccountId)
where
	T::Public: AnyPublic,
{
	open_channel_with::<T>(Scheme::Sr25519)
}

/// The receiver's close with a proof, queued behind another channel closing in the same
/// block: the channel, the receiver, the proof and the block it settles from.
fn close_setup<T: Config>(
	scheme: Scheme,
) -> (ChannelId, T::AccountId, BalanceProofOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>)
where
	T::Public: AnyPublic,
	T::Signature: AnySignature,
{
	let now = warden_testing::block_of_measured_code::<T>();
	let (other, _, sender, _, _) = open_channel_with::<T>(scheme);
	Pallet::<T>::do_close(sender, other, None).expect("the sender closes");
	let (id, sender_key, _, _, receiver) = open_channel_with::<T>(scheme);
	let settle_from = now.saturating_add(Params::<T>::get().challenge_period);
	let transferred = deposit::<T>() / 2u32.into();
	(id, receiver, signed_proof::<T>(&sender_key, id, 1, transferred), settle_from)
}

/// A closing channel and a newer proof for the receiver's update.
fn update_setup<T: Config>(scheme: Scheme) -> (ChannelId, T::AccountId, BalanceProofOf<T>)
where
	T::Public: AnyPublic,
	T::Signature: AnySignature,
{
	let (id, sender_key, _, _, receiver) = open_channel_with::<T>(scheme);
	let transferred = deposit::<T>() / 4u32.into();
	let first = signed_proof::<T>(&sender_key, id, 1, transferred);
	Pallet::<T>::do_close(receiver.clone(), id, Some(first)).expect("valid close");
	let newer = signed_proof::<T>(&sender_key, id, 2, transferred.saturating_mul(2u32.into()));
	(id, receiver, newer)
}

/// An open channel, a proof and the receiver's co-signature, paying a receiver without an
/// account.
fn cooperative_close_setup<T: Config>(
	scheme: Scheme,
) -> (ChannelId, T::AccountId, BalanceProofOf<T>, T::Signature)
where
	T::Public: AnyPublic,
	T::Signature: AnySignature,
{
	let (id, sender_key, sender, receiver_key, _) = open_channel_with::<T>(scheme);
	let transferred = deposit::<T>() / 2u32.into();
	let proof = signed_proof::<T>(&sender_key, id, 1, transferred);
	let payload = proof.cooperative_close_payload(Pallet::<T>::genesis_hash());
	let receiver_signature = receiver_key.sign(&payload.signing_bytes());
	(id, sender, proof, receiver_signature)
}

#[benchmarks(where
	T::Public: AnyPublic,
	T::Signature: AnySignature,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open() {
		let (_, sender) = keyed_account::<T>(Scheme::Sr25519);
		let (_, receiver) = keyed_account::<T>(Scheme::Sr25519);
		fund::<T>(&sender);

		#[extrinsic_call]
		_(RawOrigin::Signed(sender.clone()), receiver, deposit::<T>());

		assert_eq!(Channels::<T>::get(0).map(|channel| channel.sender), Some(sender));
	}

	#[benchmark]
	fn top_up() {
		let (id, _, sender, _, _) = open_channel::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id, deposit::<T>());

		let expected = deposit::<T>().saturating_mul(2u32.into());
		assert_eq!(Channels::<T>::get(id).map(|channel| channel.deposit), Some(expected));
	}

	/// The receiver closes with an sr25519-signed proof, queued behind another channel
	/// closing in the same block.
	#[benchmark]
	fn close_sr25519() {
		let (id, receiver, proof, settle_from) = close_setup::<T>(Scheme::Sr25519);

		#[extrinsic_call]
		close(RawOrigin::Signed(receiver), id, Some(proof));

		assert_eq!(SettlementSchedule::<T>::queued_at(settle_from), 2);
	}

	/// The receiver's update with an sr25519-signed proof.
	#[benchmark]
	fn update_sr25519() {
		let (id, receiver, proof) = update_setup::<T>(Scheme::Sr25519);

		#[extrinsic_call]
		update(RawOrigin::Signed(receiver), id, proof);

		assert_eq!(Channels::<T>::get(id).map(|channel| channel.nonce), Some(2));
	}

	/// Two sr25519 signatures, and a payment that creates the receiver's account.
	#[benchmark]
	fn cooperative_close_sr25519() {
		let (id, sender, proof, receiver_signature) = cooperative_close_setup::<T>(Scheme::Sr25519);

		#[extrinsic_call]
		cooperative_close(RawOrigin::Signed(sender), id, proof, receiver_signature);

		assert!(!Channels::<T>::contains_key(id));
	}

	/// The receiver closes with a ed25519-signed proof, queued behind another channel
	/// closing in the same block.
	#[benchmark]
	fn close_ed25519() {
		let (id, receiver, proof, settle_from) = close_setup::<T>(Scheme::Ed25519);

		#[extrinsic_call]
		close(RawOrigin::Signed(receiver), id, Some(proof));

		assert_eq!(SettlementSchedule::<T>::queued_at(settle_from), 2);
	}

	/// The receiver's update with a ed25519-signed proof.
	#[benchmark]
	fn update_ed25519() {
		let (id, receiver, proof) = update_setup::<T>(Scheme::Ed25519);

		#[extrinsic_call]
		update(RawOrigin::Signed(receiver), id, proof);

		assert_eq!(Channels::<T>::get(id).map(|channel| channel.nonce), Some(2));
	}

	/// Two ed25519 signatures, and a payment that creates the receiver's account.
	#[benchmark]
	fn cooperative_close_ed25519() {
		let (id, sender, proof, receiver_signature) = cooperative_close_setup::<T>(Scheme::Ed25519);

		#[extrinsic_call]
		cooperative_close(RawOrigin::Signed(sender), id, proof, receiver_signature);

		assert!(!Channels::<T>::contains_key(id));
	}

	/// The receiver closes with a ecdsa-signed proof, queued behind another channel
	/// closing in the same block.
	#[benchmark]
	fn close_ecdsa() {
		let (id, receiver, proof, settle_from) = close_setup::<T>(Scheme::Ecdsa);

		#[extrinsic_call]
		close(RawOrigin::Signed(receiver), id, Some(proof));

		assert_eq!(SettlementSchedule::<T>::queued_at(settle_from), 2);
	}

	/// The receiver's update with a ecdsa-signed proof.
	#[benchmark]
	fn update_ecdsa() {
		let (id, receiver, proof) = update_setup::<T>(Scheme::Ecdsa);

		#[extrinsic_call]
		update(RawOrigin::Signed(receiver), id, proof);

		assert_eq!(Channels::<T>::get(id).map(|channel| channel.nonce), Some(2));
	}

	/// Two ecdsa signatures, and a payment that creates the receiver's account.
	#[benchmark]
	fn cooperative_close_ecdsa() {
		let (id, sender, proof, receiver_signature) = cooperative_close_setup::<T>(Scheme::Ecdsa);

		#[extrinsic_call]
		cooperative_close(RawOrigin::Signed(sender), id, proof, receiver_signature);

		assert!(!Channels::<T>::contains_key(id));
	}

	/// A due channel, paying a receiver without an account.
	#[benchmark]
	fn settle() {
		let (id, sender_key, _, _, receiver) = open_channel::<T>();
		let transferred = deposit::<T>() / 2u32.into();
		let proof = signed_proof::<T>(&sender_key, id, 1, transferred);
		let now = frame_system::Pallet::<T>::block_number();
		let settle_from = now.saturating_add(Params::<T>::get().challenge_period);
		Pallet::<T>::do_close(receiver.clone(), id, Some(proof)).expect("valid close");
		frame_system::Pallet::<T>::set_block_number(settle_from);

		#[extrinsic_call]
		_(RawOrigin::Signed(receiver), id);

		assert!(!Channels::<T>::contains_key(id));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = ChannelParams {
			challenge_period: 50u32.into(),
			min_deposit: T::Currency::minimum_balance().saturating_add(One::one()),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// A block with nothing to settle: read the cursor, find the block empty, move on.
	#[benchmark]
	fn on_initialize_idle() {
		let now = frame_system::Pallet::<T>::block_number();
		SettlementSchedule::<T>::start_at(now);

		#[block]
		{
			Pallet::<T>::do_on_initialize(now);
		}

		assert_eq!(SettlementSchedule::<T>::cursor(), (now.saturating_add(One::one()), 0));
	}

	/// One due channel settled by the hook, paying a receiver without an account.
	#[benchmark]
	fn on_initialize_settle() {
		let (id, sender_key, _, _, receiver) = open_channel::<T>();
		let transferred = deposit::<T>() / 2u32.into();
		let proof = signed_proof::<T>(&sender_key, id, 1, transferred);
		let now = frame_system::Pallet::<T>::block_number();
		SettlementSchedule::<T>::start_at(now);
		Pallet::<T>::do_close(receiver, id, Some(proof)).expect("valid close");
		let settle_from = now.saturating_add(Params::<T>::get().challenge_period);
		SettlementSchedule::<T>::start_at(settle_from);
		frame_system::Pallet::<T>::set_block_number(settle_from);

		#[block]
		{
			Pallet::<T>::do_on_initialize(settle_from);
		}

		assert!(!Channels::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(
		Pallet,
		warden_testing::at_genesis::<crate::mock::Test>(crate::mock::new_test_ext()),
		crate::mock::Test
	);
}
