//! Services on the real runtime: blueprint → register → request → approve → active;
//! terminate → pro-rata payout; a second request that expires and is refunded.

use frame_support::BoundedVec;
use pallet_warden_services::{
	BlueprintMetadata, Call as ServicesCall, HoldReason, JobDefinition, OperatorPreferences,
	Requests, ServiceInstances,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Ferdie};
use sp_runtime::Percent;
use warden_primitives::BlueprintPolicy;
use warden_runtime::{Runtime, System, UNIT};
use warden_tests::runtime::*;

fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().expect("fits")
}

fn create_blueprint_call() -> ServicesCall<Runtime> {
	ServicesCall::create_blueprint {
		metadata: BlueprintMetadata::<Runtime> {
			name: bounded(b"oracle"),
			description: bounded(b"price feeds"),
			author: bounded(b"Ferdie"),
			code_url: bounded(b"https://example.com/oracle"),
		},
		jobs: vec![JobDefinition::<Runtime> {
			name: bounded(b"price"),
			max_args_len: 64,
			result_deadline: 5,
		}]
		.try_into()
		.expect("one job fits"),
		policy: BlueprintPolicy {
			min_operator_stake: 1_000 * UNIT,
			reporting: None,
			heartbeat_interval: 10,
			missed_heartbeat_threshold: 3,
		},
	}
}

fn preferences(seed: u8) -> OperatorPreferences<Runtime> {
	OperatorPreferences::<Runtime> {
		operator_key: [seed; 32],
		rpc_address: bounded(b"ws://operator.example:9955"),
		max_instances: 2,
		price_per_block: 0,
	}
}

fn request_call(blueprint: u64, ttl: u32, payment: u128) -> ServicesCall<Runtime> {
	ServicesCall::request {
		blueprint,
		operators: vec![account(Alice), account(Bob)].try_into().expect("two operators fit"),
		permitted_callers: Default::default(),
		ttl,
		min_exposure: Percent::from_percent(10),
		payment,
	}
}

#[test]
fn blueprint_to_active_service_to_payout_and_an_expired_request() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let blueprint = pallet_warden_services::NextBlueprintId::<Runtime>::get();
		submit_ok(Ferdie, create_blueprint_call());
		submit_ok(
			Alice,
			ServicesCall::<Runtime>::register { blueprint, preferences: preferences(1) },
		);
		submit_ok(
			Bob,
			ServicesCall::<Runtime>::register { blueprint, preferences: preferences(2) },
		);

		// Charlie asks Alice and Bob for a 100-block service and pays 1,000 WRD up front.
		let payment = 1_000 * UNIT;
		let request = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Charlie, request_call(blueprint, 100, payment));
		assert_eq!(held(&account(Charlie), HoldReason::Payment), payment);

		submit_ok(
			Alice,
			ServicesCall::<Runtime>::approve {
				request,
				version: 0,
				exposure: Percent::from_percent(20),
			},
		);
		assert!(Requests::<Runtime>::contains_key(request), "pending until everyone approved");
		submit_ok(
			Bob,
			ServicesCall::<Runtime>::approve {
				request,
				version: 0,
				exposure: Percent::from_percent(50),
			},
		);
		assert!(!Requests::<Runtime>::contains_key(request));
		let service = pallet_warden_services::NextServiceId::<Runtime>::get() - 1;
		let instance = ServiceInstances::<Runtime>::get(service).expect("the service is active");
		assert_eq!(instance.owner, account(Charlie));
		assert_eq!(instance.end, instance.start + 100);

		// Served for 40 of its 100 blocks, then terminated by its owner.
		run_to_block(instance.start + 40);
		let (alice_before, bob_before) =
			(free_balance(&account(Alice)), free_balance(&account(Bob)));
		let charlie_before = free_balance(&account(Charlie));
		submit_ok(Charlie, ServicesCall::<Runtime>::terminate { service });
		assert!(!ServiceInstances::<Runtime>::contains_key(service));
		assert_eq!(held(&account(Charlie), HoldReason::Payment), 0);
		// 40% of the payment, split equally; the rest goes back to Charlie (less his fee).
		let share = payment * 40 / 100 / 2;
		assert_eq!(free_balance(&account(Alice)) - alice_before, share);
		assert_eq!(free_balance(&account(Bob)) - bob_before, share);
		let refund = payment - 2 * share;
		let charlie_gain = free_balance(&account(Charlie)) - charlie_before;
		assert!(charlie_gain <= refund && refund - charlie_gain < UNIT, "refund less a fee");

		// A second request nobody answers expires after `request_expiry` blocks, in the hook.
		let second = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Charlie, request_call(blueprint, 50, 10 * UNIT));
		assert_eq!(held(&account(Charlie), HoldReason::Payment), 10 * UNIT);
		let expiry = pallet_warden_services::Params::<Runtime>::get().request_expiry;
		let expires_at = System::block_number() + expiry;
		run_to_block(expires_at - 1);
		assert!(Requests::<Runtime>::contains_key(second), "not a block early");
		next_block();
		assert!(!Requests::<Runtime>::contains_key(second), "expired and removed");
		assert_eq!(held(&account(Charlie), HoldReason::Payment), 0, "refunded");
		// The deposit it held for each of its two operators is lost to the treasury.
		let deposit = <Runtime as pallet_warden_services::Config>::RequestDeposit::get();
		assert_eq!(held(&account(Charlie), HoldReason::RequestDeposit), 0);
		System::assert_has_event(
			pallet_warden_services::Event::<Runtime>::RequestExpired {
				request: second,
				refunded: 10 * UNIT,
				forfeited: 2 * deposit,
			}
			.into(),
		);
		pallet_warden_services::Pallet::<Runtime>::do_try_state().expect("invariants hold");
	});
}

#[test]
fn development_genesis_has_the_demo_blueprint_with_alice_and_bob_registered() {
	dev_ext().execute_with(|| {
		let blueprint =
			pallet_warden_services::Blueprints::<Runtime>::get(0).expect("demo blueprint");
		assert_eq!(blueprint.owner, account(Alice));
		for who in [Alice, Bob] {
			assert!(pallet_warden_services::Registrations::<Runtime>::contains_key(
				account(who),
				0
			));
		}
	});
}
