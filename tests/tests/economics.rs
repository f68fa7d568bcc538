//! The economic attacks on services and rewards, each played on the real runtime and
//! shown to fail:
//!
//! 1. reward farming with self-made services, jobs and heartbeats, and with short services
//!    cycled within a heartbeat window (re-registering, or over several blueprints);
//! 2. filling blocks with free heartbeats, from one operator or from many;
//! 3. front-running an approval with a change of terms;
//! 4. squatting an operator's queue of pending requests, or keeping a request alive with
//!    updates, and front-running a reject with a cancel;
//! 5. storing blueprints for free;
//! 6. free clean-up calls charged their worst case;
//! 7. near-free fees.

use codec::Encode;
use frame_support::{
	dispatch::{GetDispatchInfo, Pays},
	traits::{Get, UnfilteredDispatchable},
	weights::{Weight, WeightToFee as _},
};
use pallet_warden_operators::Call as OperatorsCall;
use pallet_warden_rewards::{ActiveEra, LastSettledEra};
use pallet_warden_services::{
	Call as ServicesCall, Error as ServicesError, HoldReason, JobOutcome, Requests,
	ServiceInstances, WeightInfo as _,
};
use proptest::prelude::*;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::Percent;
use warden_runtime::{
	configs::TreasuryAccount, BalancesCall, Rewards, Runtime, RuntimeCall, System, UNIT,
};
use warden_tests::runtime::*;

type Services = pallet_warden_services::Pallet<Runtime>;
type ServicesWeights = <Runtime as pallet_warden_services::Config>::WeightInfo;

/// Runs blocks until era `era` has begun.
fn run_to_era(era: u32) {
	while ActiveEra::<Runtime>::get().index < era {
		next_block();
	}
}

/// Settles era 1 and returns what Eve and Ferdie earned in it, checking the services and
/// rewards invariants.
fn era_one_rewards() -> (u128, u128) {
	run_until_settled(1);
	pallet_warden_services::Pallet::<Runtime>::do_try_state().expect("services invariants");
	pallet_warden_rewards::Pallet::<Runtime>::do_try_state().expect("rewards invariants");
	(Rewards::pending_rewards(account(Eve)), Rewards::pending_rewards(account(Ferdie)))
}

/// Runs blocks until era `era` is settled.
fn run_until_settled(era: u32) {
	run_to_era(era + 1);
	while LastSettledEra::<Runtime>::get().map(|settled| settled.era) != Some(era) {
		next_block();
	}
}

/// One era of an honest operator A (Eve, one service with all its stake at risk, a
/// heartbeat every window) against an operator B (Ferdie) of the same stake that runs `n`
/// services requested by an account it controls (Dave), unpaid, sends every heartbeat it
/// can and answers `jobs` jobs Dave calls in each block. Returns the era's rewards of A and
/// B.
fn honest_against_farmer(stake_units: u128, n: u32, jobs: u32) -> (u128, u128) {
	let mut rewards = (0, 0);
	dev_ext().execute_with(|| {
		initialize_block(1);
		let stake = stake_units * UNIT;
		operator(Eve, stake, 32, 0);
		operator(Ferdie, stake, 32, 0);
		let honest = service(Charlie, Eve, 100 * UNIT, 100);
		// B spreads all the exposure it may commit over its services.
		let exposure = (100 / n).max(1) as u8;
		let farmed: Vec<u64> = (0..n).map(|_| service(Dave, Ferdie, 0, exposure)).collect();

		// Stake bonded in era 0 earns from era 1 on.
		run_to_era(1);
		while ActiveEra::<Runtime>::get().index == 1 {
			let _ = try_submit(
				Eve,
				ServicesCall::<Runtime>::heartbeat { service: honest, metrics: bounded(b"ok") },
			);
			for service in &farmed {
				let _ = try_submit(
					Ferdie,
					ServicesCall::<Runtime>::heartbeat {
						service: *service,
						metrics: bounded(b"ok"),
					},
				);
			}
			for j in 0..jobs {
				let service = farmed[(j % n) as usize];
				let call_id = pallet_warden_services::NextCallId::<Runtime>::get();
				if try_submit(
					Dave,
					ServicesCall::<Runtime>::call { service, job: 0, args: bounded(b"x") },
				)
				.is_ok()
				{
					submit_ok(
						Ferdie,
						ServicesCall::<Runtime>::submit_result {
							service,
							call_id,
							outcome: JobOutcome::Success(bounded(b"x")),
						},
					);
				}
			}
			next_block();
		}
		rewards = era_one_rewards();
	});
	rewards
}

#[test]
fn a_farmer_with_a_hundred_self_made_services_earns_no_more_than_one_honest_service() {
	// As many services as the exposure cap lets B approve at 1% each.
	let (honest, farmer) = honest_against_farmer(5_000, 32, 4);
	assert!(honest > 0, "the honest operator earns");
	assert!(farmer <= honest, "farmer {farmer} > honest {honest}");
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

	/// Over random service counts, job counts and stakes, what B earns is bounded by what
	/// an operator of the same stake earns with all of it at risk in one honest service.
	#[test]
	fn farming_never_beats_honest_work(
		n in 1u32..=32,
		jobs in 0u32..6,
		stake_units in 1_000u128..20_000,
	) {
		let (honest, farmer) = honest_against_farmer(stake_units, n, jobs);
		prop_assert!(honest > 0);
		prop_assert!(farmer <= honest, "n {} jobs {}: farmer {} > honest {}", n, jobs, farmer, honest);
	}
}

// --- Availability credit: what was really at risk, over time ---

fn heartbeat(operator: Sr25519Keyring, service: u64) {
	let _ = try_submit(
		operator,
		ServicesCall::<Runtime>::heartbeat { service, metrics: bounded(b"ok") },
	);
}

/// A second blueprint like the demo one, made by Alice and incentivized with weight 1.
fn second_incentivized_blueprint() -> u64 {
	let id = copy_of_demo_blueprint(Alice);
	RuntimeCall::Rewards(pallet_warden_rewards::Call::set_incentivized {
		blueprint: id,
		weight: 1,
	})
	.dispatch_bypass_filter(warden_runtime::RuntimeOrigin::root())
	.expect("root incentivizes it");
	id
}

/// What the cycler does, each time.
#[derive(Clone, Copy)]
enum Cycle {
	/// request → approve at 100% → heartbeat → terminate → unregister → register.
	Reregister,
	/// The same on each of two incentivized blueprints, without re-registering.
	TwoBlueprints,
}

/// One era (era 1) of an honest operator (Eve: one long service with all its stake at risk,
/// a heartbeat every window) against an operator of the same stake (Ferdie) that, with an
/// account of its own (Dave), runs `cycles` short services per heartbeat window as `cycle`
/// says. Returns the era's rewards of Eve and Ferdie.
fn honest_against_cycler(cycle: Cycle, cycles: u32) -> (u128, u128) {
	let mut rewards = (0, 0);
	dev_ext().execute_with(|| {
		initialize_block(1);
		let stake = 5_000 * UNIT;
		operator(Eve, stake, 32, 0);
		operator(Ferdie, stake, 32, 0);
		let second = second_incentivized_blueprint();
		submit_ok(
			Ferdie,
			ServicesCall::<Runtime>::register {
				blueprint: second,
				preferences: preferences(32, 0),
			},
		);
		let honest = service(Charlie, Eve, 100 * UNIT, 100);
		let interval = pallet_warden_services::Blueprints::<Runtime>::get(0)
			.expect("the demo blueprint")
			.policy
			.heartbeat_interval;
		run_to_era(1);
		let mut window = None;
		while ActiveEra::<Runtime>::get().index == 1 {
			heartbeat(Eve, honest);
			let now = System::block_number();
			if window != Some(now / interval) {
				window = Some(now / interval);
				for _ in 0..cycles {
					match cycle {
						Cycle::Reregister => {
							let s = service_on(0, Dave, Ferdie, 0, 100);
							heartbeat(Ferdie, s);
							submit_ok(Dave, ServicesCall::<Runtime>::terminate { service: s });
							submit_ok(Ferdie, ServicesCall::<Runtime>::unregister { blueprint: 0 });
							submit_ok(
								Ferdie,
								ServicesCall::<Runtime>::register {
									blueprint: 0,
									preferences: preferences(32, 0),
								},
							);
						}
						Cycle::TwoBlueprints => {
							for blueprint in [0, second] {
								let s = service_on(blueprint, Dave, Ferdie, 0, 100);
								heartbeat(Ferdie, s);
								submit_ok(Dave, ServicesCall::<Runtime>::terminate { service: s });
							}
						}
					}
				}
			}
			next_block();
		}
		rewards = era_one_rewards();
	});
	rewards
}

#[test]
fn short_services_cycled_with_re_registration_earn_no_more_than_one_long_service() {
	let (honest, cycler) = honest_against_cycler(Cycle::Reregister, 3);
	assert!(honest > 0, "the honest operator earns");
	assert!(cycler <= honest, "cycler {cycler} > honest {honest}");
}

#[test]
fn short_services_cycled_over_two_incentivized_blueprints_earn_no_more_than_one_long_service() {
	let (honest, cycler) = honest_against_cycler(Cycle::TwoBlueprints, 3);
	assert!(honest > 0, "the honest operator earns");
	assert!(cycler <= honest, "cycler {cycler} > honest {honest}");
}

/// The plain case: two honest operators of the same stake, Eve with one service at 100%
/// exposure and Ferdie with one at 50%, both heartbeating every window from the start.
/// Era 1's split is 2 : 1 of the pot, to the planck: what they earned before availability
/// was credited over time, and what they earn now.
#[test]
fn honest_operators_earn_by_the_stake_they_keep_at_risk() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let stake = 5_000 * UNIT;
		operator(Eve, stake, 32, 0);
		operator(Ferdie, stake, 32, 0);
		let eve = service(Charlie, Eve, 100 * UNIT, 100);
		let ferdie = service(Dave, Ferdie, 100 * UNIT, 50);
		while ActiveEra::<Runtime>::get().index < 2 {
			heartbeat(Eve, eve);
			heartbeat(Ferdie, ferdie);
			next_block();
		}
		// The figures before availability was credited over time.
		assert_eq!(era_one_rewards(), (133_333_333_333_333, 66_666_666_666_666));
	});
}

#[test]
fn an_operator_cannot_commit_more_than_all_its_stake() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		operator(Ferdie, 2_000 * UNIT, 32, 0);
		service(Dave, Ferdie, 0, 60);
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 1_000, 0));
		let approve = |exposure| ServicesCall::<Runtime>::approve {
			request: id,
			version: 0,
			exposure: Percent::from_percent(exposure),
		};
		assert_eq!(
			submit_err(Ferdie, approve(41)),
			ServicesError::<Runtime>::ExposureOverCommitted.into()
		);
		assert_eq!(submit_err(Ferdie, approve(0)), ServicesError::<Runtime>::ZeroExposure.into());
		submit_ok(Ferdie, approve(40));
	});
}

#[test]
fn free_heartbeats_are_bounded_per_operator_and_block() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		operator(Ferdie, 10_000 * UNIT, 32, 0);
		// A registration runs at most 32 instances: no operator runs 1,000 services of a
		// blueprint.
		assert_eq!(
			submit_err(
				Ferdie,
				ServicesCall::<Runtime>::update_registration {
					blueprint: 0,
					max_instances: Some(1_000),
					rpc_address: None,
					price_per_block: None,
				}
			),
			ServicesError::<Runtime>::TooManyInstances.into()
		);
		let services: Vec<u64> = (0..32).map(|_| service(Dave, Ferdie, 0, 1)).collect();
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 1_000, 0));
		assert_eq!(
			submit_err(
				Ferdie,
				ServicesCall::<Runtime>::approve {
					request: id,
					version: 0,
					exposure: Percent::from_percent(1)
				}
			),
			ServicesError::<Runtime>::InstanceLimitReached.into()
		);
		next_block();

		// 32 valid heartbeats in one block: the first 8 are free, the rest pay their fee.
		let fees: Vec<u128> = services
			.iter()
			.map(|service| {
				submit_ok(
					Ferdie,
					ServicesCall::<Runtime>::heartbeat {
						service: *service,
						metrics: bounded(b"ok"),
					},
				)
			})
			.collect();
		assert!(fees[..8].iter().all(|fee| *fee == 0), "{fees:?}");
		assert!(fees[8..].iter().all(|fee| *fee > 0), "{fees:?}");
	});
}

/// 170 operators, each running 8 services (in groups of 16 operators per service), send all
/// their heartbeats in one block: 1,360 valid heartbeats, each within its operator's free
/// allowance of 8. Without a chain-wide budget 1,349 of them fit in the block, all free,
/// filling the normal class to 99.98% for nothing. With it, at most
/// `MaxFreeHeartbeatsPerBlockTotal` are free and every other one pays its fee, and the
/// heartbeats that pay are still accepted.
#[test]
fn free_heartbeats_of_many_operators_fill_at_most_the_chain_wide_budget() {
	use sp_core::Pair;
	const OPERATORS: usize = 170;
	const GROUP: usize = 16;
	const SERVICES_PER_GROUP: usize = 8;
	dev_ext().execute_with(|| {
		initialize_block(1);
		let keys: Vec<sp_core::sr25519::Pair> = (0..OPERATORS)
			.map(|i| sp_core::sr25519::Pair::from_string(&format!("//Heartbeats/{i}"), None))
			.collect::<Result<_, _>>()
			.expect("keys");
		let ok = |key: &sp_core::sr25519::Pair, call: RuntimeCall| {
			let outcome = apply(signed_by(key, call.clone())).unwrap_or_else(|e| {
				panic!(
					"{call:?} at {}: {e:?}, {:?}",
					System::block_number(),
					System::block_weight()
				)
			});
			assert!(outcome.is_ok(), "{outcome:?}");
		};
		for key in &keys {
			submit_ok(
				Alice,
				BalancesCall::transfer_keep_alive {
					dest: AccountId::from(key.public()).into(),
					value: 2_000 * UNIT,
				},
			);
		}
		for key in &keys {
			ok(key, OperatorsCall::<Runtime>::join_operators { bond: 1_000 * UNIT }.into());
			ok(
				key,
				ServicesCall::<Runtime>::register { blueprint: 0, preferences: preferences(32, 0) }
					.into(),
			);
		}
		let mut services = Vec::new();
		for group in keys.chunks(GROUP) {
			let operators: Vec<AccountId> = group.iter().map(|k| k.public().into()).collect();
			for _ in 0..SERVICES_PER_GROUP {
				let id = pallet_warden_services::NextRequestId::<Runtime>::get();
				submit_ok(
					Bob,
					ServicesCall::<Runtime>::request {
						blueprint: 0,
						operators: operators.clone().try_into().expect("at most 16"),
						permitted_callers: Default::default(),
						ttl: 1_000,
						min_exposure: Percent::from_percent(1),
						payment: 0,
					},
				);
				for key in group {
					ok(
						key,
						ServicesCall::<Runtime>::approve {
							request: id,
							version: 0,
							exposure: Percent::from_percent(1),
						}
						.into(),
					);
				}
				let service = pallet_warden_services::NextServiceId::<Runtime>::get() - 1;
				services.push((service, group));
			}
		}
		// A heartbeat window later, every operator sends its 8 heartbeats in one block.
		run_to_block(System::block_number() + 10);
		let mut outcomes = Vec::new();
		'block: for (service, group) in &services {
			for key in group.iter() {
				let call = ServicesCall::<Runtime>::heartbeat {
					service: *service,
					metrics: bounded(b"ok"),
				};
				let who: AccountId = key.public().into();
				match apply_or_discard(signed_by(key, call.into())) {
					Ok(outcome) => {
						assert!(outcome.is_ok(), "a valid heartbeat: {outcome:?}");
						outcomes.push(last_fee_paid_by(&who));
					}
					// The block is full.
					Err(_) => break 'block,
				}
			}
		}
		let free = outcomes.iter().filter(|fee| **fee == 0).count();
		let budget: u32 =
			<Runtime as pallet_warden_services::Config>::MaxFreeHeartbeatsPerBlockTotal::get();
		assert_eq!(
			free,
			budget as usize,
			"the first ones are free, up to the budget: {free} free of {} in the block",
			outcomes.len()
		);
		assert!(outcomes[..free].iter().all(|fee| *fee == 0));
		assert!(outcomes[free..].iter().all(|fee| *fee > 0), "the rest pay their fee");
		assert!(outcomes.len() > free, "paying heartbeats are still accepted");
	});
}

#[test]
fn blueprints_ask_for_heartbeats_no_more_often_than_the_minimum_interval() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let min = pallet_warden_services::Params::<Runtime>::get().min_heartbeat_interval;
		let mut bp = Services::blueprint_info(0).expect("the demo blueprint");
		bp.policy.heartbeat_interval = min - 1;
		let call = ServicesCall::<Runtime>::create_blueprint {
			metadata: pallet_warden_services::BlueprintMetadata::<Runtime> {
				name: bounded(b"spam"),
				description: bounded(b""),
				author: bounded(b""),
				code_url: bounded(b""),
			},
			jobs: Default::default(),
			policy: bp.policy,
		};
		assert_eq!(
			submit_err(Eve, call),
			ServicesError::<Runtime>::HeartbeatIntervalTooShort.into()
		);
	});
}

#[test]
fn an_approval_front_run_by_a_change_of_terms_is_refused() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 100, 500 * UNIT));
		// Ferdie signs an approval of the terms he saw; Dave sees it in the pool and gets in
		// first with an unpaid 30-day service.
		let approval = ServicesCall::<Runtime>::approve {
			request: id,
			version: 0,
			exposure: Percent::from_percent(50),
		};
		submit_ok(
			Dave,
			ServicesCall::<Runtime>::update_request {
				request: id,
				operators: vec![account(Ferdie)].try_into().unwrap(),
				permitted_callers: Default::default(),
				ttl: 30 * warden_runtime::DAYS,
				min_exposure: Percent::from_percent(1),
				payment: 0,
			},
		);
		let before = Requests::<Runtime>::get(id).expect("pending");
		assert_eq!(before.version, 1);
		assert_eq!(submit_err(Ferdie, approval), ServicesError::<Runtime>::RequestChanged.into());
		// Nothing changed: no service, no approval, no exposure committed.
		assert_eq!(Requests::<Runtime>::get(id), Some(before));
		assert_eq!(ServiceInstances::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_warden_services::CommittedExposure::<Runtime>::get(account(Ferdie)), 0);
	});
}

#[test]
fn squatting_an_operators_queue_without_paying_its_price_fails() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		// Ferdie asks 0.01 WRD per block.
		let price = UNIT / 100;
		operator(Ferdie, 2_000 * UNIT, 4, price);
		let queue = || pallet_warden_services::OperatorRequests::<Runtime>::get(account(Ferdie));
		// Two accounts try to fill Ferdie's queue with unpaid requests: refused.
		for squatter in [Dave, Eve] {
			for _ in 0..3 {
				assert_eq!(
					submit_err(squatter, request(&[Ferdie], 1_000, 0)),
					ServicesError::<Runtime>::PaymentBelowPrice.into()
				);
			}
		}
		// A payment one planck below the price is refused too.
		assert_eq!(
			submit_err(Dave, request(&[Ferdie], 1_000, 1_000 * price - 1)),
			ServicesError::<Runtime>::PaymentBelowPrice.into()
		);
		assert!(queue().is_empty());

		// A paying customer gets in, and holds a deposit for Ferdie.
		let deposit = <Runtime as pallet_warden_services::Config>::RequestDeposit::get();
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Charlie, request(&[Ferdie], 1_000, 1_000 * price));
		assert_eq!(queue().to_vec(), vec![id]);
		assert_eq!(held(&account(Charlie), HoldReason::RequestDeposit), deposit);

		// Had it been left to expire, the deposit would be lost to the treasury.
		let treasury = TreasuryAccount::get();
		let treasury_before = free_balance(&treasury);
		let expiry = pallet_warden_services::Params::<Runtime>::get().request_expiry;
		run_to_block(System::block_number() + expiry);
		assert!(!Requests::<Runtime>::contains_key(id));
		assert_eq!(held(&account(Charlie), HoldReason::RequestDeposit), 0);
		assert_eq!(free_balance(&treasury), treasury_before + deposit);
	});
}

#[test]
fn a_rejecting_operator_is_paid_the_requesters_deposit() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		let deposit = <Runtime as pallet_warden_services::Config>::RequestDeposit::get();
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 100, 0));
		let before = free_balance(&account(Ferdie));
		let fee = submit_ok(Ferdie, ServicesCall::<Runtime>::reject { request: id });
		assert_eq!(free_balance(&account(Ferdie)), before + deposit - fee);
		assert!(deposit > fee, "the deposit covers the reject's fee");
	});
}

/// A requester front-runs an operator's reject with a cancel in the same block, to keep
/// its deposit and make the operator pay for a failed reject. Before, the operator paid the
/// reject's fee for nothing; now that reject costs it nothing.
#[test]
fn a_cancel_front_running_a_reject_leaves_the_operator_its_fee() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 100, 0));
		next_block();
		submit_ok(Dave, ServicesCall::<Runtime>::cancel_request { request: id });
		let before = free_balance(&account(Ferdie));
		let outcome = apply(signed(Ferdie, ServicesCall::<Runtime>::reject { request: id }.into()))
			.expect("valid");
		assert!(outcome.is_ok(), "{outcome:?}");
		assert_eq!(last_fee_paid_by(&account(Ferdie)), 0);
		assert_eq!(free_balance(&account(Ferdie)), before);
	});
}

/// A requester updates its request every few blocks to keep an operator's queue slot, and
/// its deposit, for ever. Before, each update restarted the expiry; now the request expires
/// when it first would have, and its deposit goes to the treasury.
#[test]
fn updates_cannot_keep_a_request_alive_past_its_expiry() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 100, 0));
		let expires_at = Requests::<Runtime>::get(id).expect("pending").expires_at;
		while System::block_number() + 2 < expires_at {
			next_block();
			submit_ok(Dave, request_update(id));
			assert_eq!(Requests::<Runtime>::get(id).expect("pending").expires_at, expires_at);
		}
		run_to_block(expires_at + 1);
		assert!(!Requests::<Runtime>::contains_key(id), "expired");
		assert_eq!(held(&account(Dave), HoldReason::RequestDeposit), 0);
	});
}

/// The same terms again, as an update of `id`.
fn request_update(id: u64) -> ServicesCall<Runtime> {
	let ServicesCall::request { operators, permitted_callers, ttl, min_exposure, payment, .. } =
		request(&[Ferdie], 100, 0)
	else {
		unreachable!("a request")
	};
	ServicesCall::update_request {
		request: id,
		operators,
		permitted_callers,
		ttl,
		min_exposure,
		payment,
	}
}

#[test]
fn a_blueprint_holds_a_deposit_by_its_size_until_it_is_removed() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		// The genesis blueprint's deposit is held from its owner, Alice.
		let echo = pallet_warden_services::Blueprints::<Runtime>::get(0).expect("genesis");
		assert!(echo.deposit > 0);
		assert_eq!(held(&account(Alice), HoldReason::BlueprintDeposit), echo.deposit);

		let small = pallet_warden_services::BlueprintMetadata::<Runtime> {
			name: bounded(b"small"),
			description: bounded(b""),
			author: bounded(b""),
			code_url: bounded(b""),
		};
		let large = pallet_warden_services::BlueprintMetadata::<Runtime> {
			name: bounded(&[b'n'; 64]),
			description: bounded(&[b'd'; 512]),
			author: bounded(&[b'a'; 64]),
			code_url: bounded(&[b'u'; 256]),
		};
		let policy = echo.policy;
		let id = pallet_warden_services::NextBlueprintId::<Runtime>::get();
		submit_ok(
			Eve,
			ServicesCall::<Runtime>::create_blueprint {
				metadata: small,
				jobs: Default::default(),
				policy,
			},
		);
		let small_deposit = held(&account(Eve), HoldReason::BlueprintDeposit);
		submit_ok(
			Eve,
			ServicesCall::<Runtime>::update_blueprint_metadata { blueprint: id, metadata: large },
		);
		let large_deposit = held(&account(Eve), HoldReason::BlueprintDeposit);
		assert!(
			large_deposit > small_deposit + 800 * UNIT / 100,
			"{small_deposit} {large_deposit}"
		);

		// In use: refused. Unused: removed, and the deposit is back.
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		submit_ok(
			Ferdie,
			ServicesCall::<Runtime>::register { blueprint: id, preferences: preferences(1, 0) },
		);
		assert_eq!(
			submit_err(Eve, ServicesCall::<Runtime>::remove_blueprint { blueprint: id }),
			ServicesError::<Runtime>::BlueprintInUse.into()
		);
		submit_ok(Ferdie, ServicesCall::<Runtime>::unregister { blueprint: id });
		assert_eq!(
			submit_err(Ferdie, ServicesCall::<Runtime>::remove_blueprint { blueprint: id }),
			ServicesError::<Runtime>::NotBlueprintOwner.into()
		);
		submit_ok(Eve, ServicesCall::<Runtime>::remove_blueprint { blueprint: id });
		assert_eq!(held(&account(Eve), HoldReason::BlueprintDeposit), 0);
		assert!(!pallet_warden_services::Blueprints::<Runtime>::contains_key(id));
	});
}

#[test]
fn free_clean_up_calls_report_the_weight_they_used_and_their_cause_paid_for_it() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let max_operators =
			<<Runtime as pallet_warden_services::Config>::MaxOperatorsPerService as frame_support::traits::Get<u32>>::get();
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		let service = service(Dave, Ferdie, 0, 10);

		// The call pays for its close too.
		let call = ServicesCall::<Runtime>::call { service, job: 0, args: bounded(b"x") };
		assert_eq!(
			call.get_dispatch_info().call_weight,
			ServicesWeights::call().saturating_add(ServicesWeights::close_call(max_operators))
		);
		let call_id = pallet_warden_services::NextCallId::<Runtime>::get();
		submit_ok(Dave, call);

		// Past the deadline, before the hook got to it (as when it is busy), anyone closes it,
		// for free, and is charged for one operator.
		let deadline = pallet_warden_services::JobCalls::<Runtime>::get(service, call_id)
			.expect("open")
			.deadline;
		run_to_block(deadline - 1);
		System::set_block_number(deadline);
		let close = ServicesCall::<Runtime>::close_call { service, call_id };
		let worst = close.get_dispatch_info().call_weight;
		let result = close
			.dispatch_bypass_filter(warden_runtime::RuntimeOrigin::signed(account(Bob)))
			.expect("closes the call");
		assert_eq!(result.pays_fee, Pays::No);
		let used = result.actual_weight.expect("the actual weight is reported");
		assert_eq!(used, ServicesWeights::close_call(1));
		assert!(used.all_lte(worst) && used != worst, "{used:?} vs {worst:?}");

		// The same for an expired request of one operator.
		let id = pallet_warden_services::NextRequestId::<Runtime>::get();
		submit_ok(Dave, request(&[Ferdie], 100, 0));
		let expires_at = Requests::<Runtime>::get(id).expect("pending").expires_at;
		System::set_block_number(expires_at);
		let result = ServicesCall::<Runtime>::expire_request { request: id }
			.dispatch_bypass_filter(warden_runtime::RuntimeOrigin::signed(account(Bob)))
			.expect("expires");
		assert_eq!(result.pays_fee, Pays::No);
		assert_eq!(result.actual_weight, Some(ServicesWeights::expire_request(1)));
		assert!(ServicesWeights::expire_request(1)
			.all_lte(ServicesWeights::expire_request(max_operators)));
		assert_ne!(
			ServicesWeights::terminate_expired(1, 0),
			ServicesWeights::terminate_expired(max_operators, 16)
		);
		let _ = Weight::zero();
	});
}

/// A transaction's fee, as the runtime API reports it to wallets.
fn fee_of(who: Sr25519Keyring, call: impl Into<RuntimeCall>) -> u128 {
	use codec::Encode;
	let xt = signed(who, call.into());
	let len = xt.encoded_size() as u32;
	pallet_transaction_payment::Pallet::<Runtime>::query_info(xt, len).partial_fee
}

#[test]
fn fees_make_block_space_cost_real_money() {
	dev_ext().execute_with(|| {
		initialize_block(1);
		let byte_fee = warden_runtime::configs::TRANSACTION_BYTE_FEE;
		let transfer_call: RuntimeCall =
			BalancesCall::transfer_keep_alive { dest: account(Bob).into(), value: UNIT }.into();
		let len = signed(Alice, transfer_call.clone()).encoded_size() as u128;
		let transfer = fee_of(Alice, transfer_call);
		// The weight of a transfer costs 0.01 WRD (to rounding), its bytes the rest.
		let expected = warden_runtime::configs::TRANSFER_WEIGHT_FEE + len * byte_fee;
		assert!(transfer.abs_diff(expected) < expected / 1_000, "a transfer costs {transfer}");

		// A job result and a heartbeat, on a service of the demo blueprint.
		operator(Ferdie, 2_000 * UNIT, 4, 0);
		let service = service(Dave, Ferdie, 0, 10);
		let call_id = pallet_warden_services::NextCallId::<Runtime>::get();
		submit_ok(Dave, ServicesCall::<Runtime>::call { service, job: 0, args: bounded(b"x") });
		let result = fee_of(
			Ferdie,
			ServicesCall::<Runtime>::submit_result {
				service,
				call_id,
				outcome: JobOutcome::Success(bounded(b"x")),
			},
		);
		let heartbeat =
			fee_of(Ferdie, ServicesCall::<Runtime>::heartbeat { service, metrics: bounded(b"ok") });
		// The figures the README quotes.
		eprintln!("fees (planck): transfer {transfer}, job result {result}, heartbeat {heartbeat}");
		// A job result is one write: it costs about what a transfer does.
		assert!(result.abs_diff(transfer) < transfer / 10 && heartbeat > transfer / 2);

		// A block full of normal transactions' weight costs real money: with a planck per
		// picosecond it was about 1.5 WRD.
		let block_weight = <Runtime as frame_system::Config>::BlockWeights::get()
			.get(frame_support::dispatch::DispatchClass::Normal)
			.max_total
			.unwrap_or_default();
		let block_fee = <Runtime as pallet_transaction_payment::Config>::WeightToFee::weight_to_fee(
			&block_weight,
		);
		assert!(block_fee > 20 * UNIT, "a block of weight costs {block_fee}");
	});
}
