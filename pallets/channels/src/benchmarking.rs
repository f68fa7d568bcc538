//! Benchmarks of every call and hook path at its worst case.
//!
//! Balance proofs carry real sr25519 signatures: the keys are generated in the
//! benchmark's keystore, and the participants' accounts are derived from them.

use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin,
};
use frame_system::RawOrigin;
use sp_core::{crypto::KeyTypeId, sr25519};
use sp_runtime::traits::{IdentifyAccount, One, Saturating};
use warden_primitives::{BalanceProofPayload, ChannelId};

use crate::*;

/// The key type of the keys the benchmarks generate.
const KEY_TYPE: KeyTypeId = KeyTypeId(*b"wchn");

/// A new key and the account it controls.
fn keyed_account<T: Config>() -> (sr25519::Public, T::AccountId)
where
	T::Public: From<sr25519::Public>,
{
	let public = sp_io::crypto::sr25519_generate(KEY_TYPE, None);
	(public, T::Public::from(public).into_account())
}

/// Signs `payload` with the generated key `public`.
fn sign<T: Config>(public: &sr25519::Public, payload: &impl Encode) -> T::Signature
where
	T::Signature: From<sr25519::Signature>,
{
	let signature = sp_io::crypto::sr25519_sign(KEY_TYPE, public, &payload.encode())
		.expect("the key was generated in this keystore");
	T::Signature::from(signature)
}

/// A balance proof signed by `sender`.
fn signed_proof<T: Config>(
	sender: &sr25519::Public,
	channel: ChannelId,
	nonce: u64,
	transferred: BalanceOf<T>,
) -> BalanceProofOf<T>
where
	T::Signature: From<sr25519::Signature>,
{
	let payload =
		BalanceProofPayload::new(Pallet::<T>::genesis_hash(), channel, nonce, transferred);
	let signature = sign::<T>(sender, &payload);
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

/// Opens a channel from a keyed, funded sender to a keyed receiver that has no account.
fn open_channel<T: Config>(
) -> (ChannelId, sr25519::Public, T::AccountId, sr25519::Public, T::AccountId)
where
	T::Public: From<sr25519::Public>,
{
	let (sender_key, sender) = keyed_account::<T>();
	let (receiver_key, receiver) = keyed_account::<T>();
	fund::<T>(&sender);
	let id = Pallet::<T>::do_open(sender.clone(), receiver.clone(), deposit::<T>())
		.expect("the sender is funded");
	(id, sender_key, sender, receiver_key, receiver)
}

#[benchmarks(where T::Public: From<sr25519::Public>, T::Signature: From<sr25519::Signature>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open() {
		let (_, sender) = keyed_account::<T>();
		let (_, receiver) = keyed_account::<T>();
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

	/// The receiver closes with a proof, queued behind another channel closing in the same
	/// block.
	#[benchmark]
	fn close() {
		let now = warden_testing::block_of_measured_code::<T>();
		let (other, _, sender, _, _) = open_channel::<T>();
		Pallet::<T>::do_close(sender, other, None).expect("the sender closes");
		let (id, sender_key, _, _, receiver) = open_channel::<T>();
		let settle_from = now.saturating_add(Params::<T>::get().challenge_period);
		let transferred = deposit::<T>() / 2u32.into();
		let proof = signed_proof::<T>(&sender_key, id, 1, transferred);

		#[extrinsic_call]
		_(RawOrigin::Signed(receiver), id, Some(proof));

		assert_eq!(SettlementSchedule::<T>::queued_at(settle_from), 2);
	}

	#[benchmark]
	fn update() {
		let (id, sender_key, _, _, receiver) = open_channel::<T>();
		let transferred = deposit::<T>() / 4u32.into();
		let first = signed_proof::<T>(&sender_key, id, 1, transferred);
		Pallet::<T>::do_close(receiver.clone(), id, Some(first)).expect("valid close");
		let newer = signed_proof::<T>(&sender_key, id, 2, transferred.saturating_mul(2u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(receiver), id, newer);

		assert_eq!(Channels::<T>::get(id).map(|channel| channel.nonce), Some(2));
	}

	/// Two signatures, and a payment that creates the receiver's account.
	#[benchmark]
	fn cooperative_close() {
		let (id, sender_key, sender, receiver_key, _) = open_channel::<T>();
		let transferred = deposit::<T>() / 2u32.into();
		let proof = signed_proof::<T>(&sender_key, id, 1, transferred);
		let receiver_signature =
			sign::<T>(&receiver_key, &proof.cooperative_close_payload(Pallet::<T>::genesis_hash()));

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id, proof, receiver_signature);

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
