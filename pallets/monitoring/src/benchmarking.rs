//! Benchmarks of every call and hook path at its worst case.
//!
//! Balance proofs and reward authorizations carry real signatures: the keys are generated
//! in the benchmark's keystore, and the channel's participants are derived from them.
//! `monitor_update` is measured once per scheme `MultiSignature` carries and charges the
//! most expensive. Channels come from [`Config::BenchmarkHelper`] (the channels pallet on
//! Warden).

use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{IdentifyAccount, Saturating};
use warden_primitives::{BalanceProofPayload, ChannelBenchmarkHelper, ChannelId, OnChannelSettled};
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

/// The longest endpoint.
fn endpoint<T: Config>() -> EndpointOf<T> {
	EndpointOf::<T>::truncate_from(alloc::vec![b'u'; T::MaxEndpointLen::get() as usize])
}

/// A unit well above the minimum deposit and the existential deposit.
fn unit<T: Config>() -> BalanceOf<T> {
	Params::<T>::get()
		.min_monitor_deposit
		.max(T::Currency::minimum_balance())
		.saturating_mul(10u32.into())
}

/// Gives `who` plenty.
fn fund<T: Config>(who: &T::AccountId) {
	T::Currency::set_balance(who, unit::<T>().saturating_mul(1_000u32.into()));
}

/// A registered, funded monitor.
fn monitor<T: Config>(name: &'static str) -> T::AccountId {
	let monitor: T::AccountId = account(name, 0, 0);
	fund::<T>(&monitor);
	Pallet::<T>::do_register_monitor(
		monitor.clone(),
		Params::<T>::get().min_monitor_deposit,
		endpoint::<T>(),
	)
	.expect("funded monitor registers");
	monitor
}

/// A channel with keyed participants, funded escrow, and (if `closing`) a close started.
struct Setup<T: Config> {
	channel: ChannelId,
	sender_key: Key,
	receiver_key: Key,
	receiver: T::AccountId,
}

fn channel<T: Config>(closing: bool, scheme: Scheme) -> Setup<T>
where
	T::Public: AnyPublic,
{
	let (sender_key, sender) = keyed_account::<T>(scheme);
	let (receiver_key, receiver) = keyed_account::<T>(scheme);
	fund::<T>(&sender);
	fund::<T>(&receiver);
	let channel = T::BenchmarkHelper::open_channel(
		&sender,
		&receiver,
		unit::<T>().saturating_mul(100u32.into()),
	)
	.expect("funded sender opens a channel");
	Pallet::<T>::do_fund_monitoring(
		receiver.clone(),
		channel,
		unit::<T>().saturating_mul(10u32.into()),
	)
	.expect("the receiver funds the escrow");
	if closing {
		T::BenchmarkHelper::start_close(channel).expect("the sender closes");
	}
	Setup { channel, sender_key, receiver_key, receiver }
}

/// A proof of `nonce` by the setup's sender and the receiver's authorization of `reward`,
/// for any monitor or only `monitor`.
fn signed_update<T: Config>(
	setup: &Setup<T>,
	nonce: u64,
	reward: BalanceOf<T>,
	monitor: Option<T::AccountId>,
) -> (BalanceProofOf<T>, RewardAuthorizationOf<T>)
where
	T::Signature: AnySignature,
{
	let channel = setup.channel;
	let transferred = unit::<T>().saturating_mul(u32::try_from(nonce).unwrap_or(1).into());
	let genesis_hash = Pallet::<T>::genesis_hash();
	let payload = BalanceProofPayload::new(genesis_hash, channel, nonce, transferred);
	let signature: T::Signature = setup.sender_key.sign(&payload.signing_bytes());
	let proof = payload.into_proof(signature);
	let payload = RewardAuthorizationPayload::for_proof::<T::Hashing, _>(
		genesis_hash,
		&proof,
		reward,
		monitor,
	);
	let signature: T::Signature = setup.receiver_key.sign(&payload.signing_bytes());
	(proof, payload.into_authorization(signature))
}

/// Moves to the first block both monitors may act in.
fn run_to_slots<T: Config>(channel: ChannelId, monitors: &[&T::AccountId]) {
	let block = monitors
		.iter()
		.filter_map(|monitor| Pallet::<T>::first_allowed_block(channel, monitor))
		.max()
		.unwrap_or_else(frame_system::Pallet::<T>::block_number);
	frame_system::Pallet::<T>::set_block_number(block);
}

/// A closing channel with a standing monitor update (nonce 1, reward `unit`).
fn channel_with_standing_update<T: Config>() -> ChannelId
where
	T::Public: AnyPublic,
	T::Signature: AnySignature,
{
	let setup = channel::<T>(true, Scheme::Sr25519);
	let monitor = monitor::<T>("monitor");
	run_to_slots::<T>(setup.channel, &[&monitor]);
	let (proof, authorization) = signed_update::<T>(&setup, 1, unit::<T>(), None);
	let payout: T::AccountId = account("payout", 0, 0);
	Pallet::<T>::do_monitor_update(monitor, proof, authorization, payout)
		.expect("valid monitor update");
	setup.channel
}

/// What the standing update of `channel` pays the receiver: the channel settles with it.
fn standing_transferred<T: Config>(channel: ChannelId) -> BalanceOf<T> {
	Escrows::<T>::get(channel)
		.and_then(|escrow| escrow.standing)
		.map(|standing| standing.transferred)
		.unwrap_or_default()
}

/// A closing channel with `scheme` keys and a standing update by one monitor, and a second
/// monitor with a newer proof whose authorization names it: the worst case of
/// `monitor_update`, which checks two signatures and supersedes the standing update.
fn superseding_update<T: Config>(
	scheme: Scheme,
) -> (ChannelId, T::AccountId, BalanceProofOf<T>, RewardAuthorizationOf<T>, T::AccountId)
where
	T::Public: AnyPublic,
	T::Signature: AnySignature,
{
	let setup = channel::<T>(true, scheme);
	let first = monitor::<T>("first");
	let second = monitor::<T>("second");
	run_to_slots::<T>(setup.channel, &[&first, &second]);
	let (older, older_authorization) = signed_update::<T>(&setup, 1, unit::<T>(), None);
	let payout: T::AccountId = account("payout", 0, 0);
	Pallet::<T>::do_monitor_update(first, older, older_authorization, payout.clone())
		.expect("valid monitor update");
	let (newest, authorization) = signed_update::<T>(&setup, 2, unit::<T>(), Some(second.clone()));
	(setup.channel, second, newest, authorization, payout)
}

#[benchmarks(where T::Public: AnyPublic, T::Signature: AnySignature)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_monitor() {
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller);
		let deposit = Params::<T>::get().min_monitor_deposit;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), deposit, endpoint::<T>());

		assert!(Monitors::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn set_endpoint() {
		let caller = monitor::<T>("caller");
		let endpoint =
			EndpointOf::<T>::truncate_from(alloc::vec![b'v'; T::MaxEndpointLen::get() as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), endpoint.clone());

		assert_eq!(Monitors::<T>::get(&caller).map(|monitor| monitor.endpoint), Some(endpoint));
	}

	/// Renewal with a top-up, which holds more.
	#[benchmark]
	fn renew_monitor() {
		let caller = monitor::<T>("caller");
		let top_up = unit::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), top_up);

		let expected = Params::<T>::get().min_monitor_deposit.saturating_add(top_up);
		assert_eq!(Monitors::<T>::get(&caller).map(|monitor| monitor.deposit), Some(expected));
	}

	#[benchmark]
	fn unregister_monitor() {
		let caller = monitor::<T>("caller");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(Monitors::<T>::get(&caller).is_some_and(|monitor| monitor.release_at.is_some()));
	}

	#[benchmark]
	fn release_monitor_deposit() {
		let caller = monitor::<T>("caller");
		Pallet::<T>::do_unregister_monitor(caller.clone()).expect("registered monitor");
		let release_at = Monitors::<T>::get(&caller)
			.and_then(|monitor| monitor.release_at)
			.expect("unregistering");
		frame_system::Pallet::<T>::set_block_number(release_at);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Monitors::<T>::contains_key(&caller));
	}

	/// A top-up of an existing escrow.
	#[benchmark]
	fn fund_monitoring() {
		let setup = channel::<T>(false, Scheme::Sr25519);

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.receiver.clone()), setup.channel, unit::<T>());

		let expected = unit::<T>().saturating_mul(11u32.into());
		assert_eq!(Pallet::<T>::escrow_balance(setup.channel), expected);
	}

	/// A partial withdrawal, which keeps the escrow.
	#[benchmark]
	fn withdraw_escrow() {
		let setup = channel::<T>(false, Scheme::Sr25519);

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.receiver.clone()), setup.channel, unit::<T>());

		let expected = unit::<T>().saturating_mul(9u32.into());
		assert_eq!(Pallet::<T>::escrow_balance(setup.channel), expected);
	}

	/// Two sr25519 signature checks and the channel update, superseding another
	/// monitor's update.
	#[benchmark]
	fn monitor_update_sr25519() {
		let (channel, monitor, proof, authorization, payout) =
			superseding_update::<T>(Scheme::Sr25519);

		#[extrinsic_call]
		monitor_update(RawOrigin::Signed(monitor.clone()), proof, authorization, payout);

		let standing = Escrows::<T>::get(channel).and_then(|escrow| escrow.standing);
		assert_eq!(standing.map(|standing| standing.monitor), Some(monitor));
	}

	/// Two ed25519 signature checks and the channel update, superseding another
	/// monitor's update.
	#[benchmark]
	fn monitor_update_ed25519() {
		let (channel, monitor, proof, authorization, payout) =
			superseding_update::<T>(Scheme::Ed25519);

		#[extrinsic_call]
		monitor_update(RawOrigin::Signed(monitor.clone()), proof, authorization, payout);

		let standing = Escrows::<T>::get(channel).and_then(|escrow| escrow.standing);
		assert_eq!(standing.map(|standing| standing.monitor), Some(monitor));
	}

	/// Two ecdsa signature checks and the channel update, superseding another
	/// monitor's update.
	#[benchmark]
	fn monitor_update_ecdsa() {
		let (channel, monitor, proof, authorization, payout) =
			superseding_update::<T>(Scheme::Ecdsa);

		#[extrinsic_call]
		monitor_update(RawOrigin::Signed(monitor.clone()), proof, authorization, payout);

		let standing = Escrows::<T>::get(channel).and_then(|escrow| escrow.standing);
		assert_eq!(standing.map(|standing| standing.monitor), Some(monitor));
	}

	/// The reward to a payout address without an account, the rest back to the funder.
	#[benchmark]
	fn claim_reward() {
		let channel = channel_with_standing_update::<T>();
		T::BenchmarkHelper::settle_now(channel).expect("closing channel settles");
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), channel);

		assert!(!Escrows::<T>::contains_key(channel));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = MonitoringParams {
			min_monitor_deposit: unit::<T>(),
			registration_period: 500u32.into(),
			unregister_delay: 50u32.into(),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// The channels pallet telling this pallet a funded channel settled.
	#[benchmark]
	fn on_channel_settled() {
		let channel = channel_with_standing_update::<T>();

		#[block]
		{
			Pallet::<T>::on_channel_settled(channel, 1, standing_transferred::<T>(channel));
		}

		let settled = Escrows::<T>::get(channel).and_then(|escrow| escrow.settled_nonce);
		assert_eq!(settled, Some(1));
	}

	impl_benchmark_test_suite!(
		Pallet,
		warden_testing::at_genesis::<crate::mock::Test>(crate::mock::new_test_ext()),
		crate::mock::Test
	);
}
