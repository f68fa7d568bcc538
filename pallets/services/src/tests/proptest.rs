//! Random call sequences, with every invariant checked after each step, and a failed call
//! proven to change no storage.

use frame_support::traits::Hooks;
use proptest::prelude::*;
use sp_runtime::Percent;
use sp_runtime::StateVersion;
use warden_primitives::{OperatorState, ServicesParams};

use crate::{mock::*, *};

const OPERATORS: [AccountId; 5] = [ALICE, BOB, CHARLIE, DAVE, 5];
const CUSTOMERS: [AccountId; 3] = [EVE, FERDIE, 12];

#[derive(Debug, Clone)]
enum Step {
	CreateBlueprint {
		owner: usize,
		min_stake: Balance,
	},
	DeactivateBlueprint {
		owner: usize,
		blueprint: u64,
	},
	Register {
		operator: usize,
		blueprint: u64,
		max_instances: u32,
	},
	UpdateRegistration {
		operator: usize,
		blueprint: u64,
		max_instances: Option<u32>,
	},
	Unregister {
		operator: usize,
		blueprint: u64,
	},
	Request {
		customer: usize,
		blueprint: u64,
		operators: Vec<usize>,
		ttl: u64,
		payment: Balance,
	},
	UpdateRequest {
		customer: usize,
		request: u64,
		operators: Vec<usize>,
		ttl: u64,
		payment: Balance,
	},
	CancelRequest {
		customer: usize,
		request: u64,
	},
	Approve {
		operator: usize,
		request: u64,
		exposure: u8,
	},
	/// Approves the `pick`-th outstanding approval of a pending request, if any.
	ApprovePending {
		pick: usize,
		exposure: u8,
	},
	/// Updates the `pick`-th pending request by its requester, if any.
	UpdatePending {
		pick: usize,
		operators: Vec<usize>,
		ttl: u64,
		payment: Balance,
	},
	/// Cancels the `pick`-th pending request by its requester, if any.
	CancelPending {
		pick: usize,
	},
	/// Rejects the `pick`-th pending request by its first named operator, if any.
	RejectPending {
		pick: usize,
	},
	/// Terminates the `pick`-th active service by its owner, if any.
	TerminateActive {
		pick: usize,
	},
	Reject {
		operator: usize,
		request: u64,
	},
	ExpireRequest {
		request: u64,
	},
	Terminate {
		customer: usize,
		service: u64,
	},
	TerminateExpired {
		service: u64,
	},
	SetOperatorState {
		operator: usize,
		state: u8,
	},
	SetOperatorStake {
		operator: usize,
		stake: Balance,
	},
	SetParams {
		request_expiry: u64,
	},
	Advance {
		blocks: u64,
	},
}

fn operator_list() -> impl Strategy<Value = Vec<usize>> {
	prop_oneof![
		// Mostly distinct operators registered from genesis (ALICE, BOB, CHARLIE) or later.
		6 => prop::sample::subsequence(vec![0, 1, 2], 1..=3),
		2 => prop::sample::subsequence(vec![0, 1, 2, 3, 4], 1..=4),
		// Sometimes anything: empty, duplicated.
		1 => prop::collection::vec(0..OPERATORS.len(), 0..=4),
	]
}

fn blueprint() -> impl Strategy<Value = u64> {
	prop_oneof![3 => Just(0u64), 1 => 0..3u64]
}

fn ttl() -> impl Strategy<Value = u64> {
	prop_oneof![8 => 1..25u64, 1 => Just(0u64), 1 => 990..1_010u64]
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		1 => (0..2usize, 0..300u128)
			.prop_map(|(owner, min_stake)| Step::CreateBlueprint { owner, min_stake }),
		1 => (0..2usize, 0..3u64)
			.prop_map(|(owner, blueprint)| Step::DeactivateBlueprint { owner, blueprint }),
		3 => (0..5usize, blueprint(), 0..4u32).prop_map(|(operator, blueprint, max_instances)| {
			Step::Register { operator, blueprint, max_instances }
		}),
		1 => (0..5usize, blueprint(), prop::option::of(0..4u32)).prop_map(
			|(operator, blueprint, max_instances)| Step::UpdateRegistration {
				operator,
				blueprint,
				max_instances
			}
		),
		1 => (0..5usize, 0..3u64)
			.prop_map(|(operator, blueprint)| Step::Unregister { operator, blueprint }),
		8 => (0..3usize, blueprint(), operator_list(), ttl(), 0..3_000u128).prop_map(
			|(customer, blueprint, operators, ttl, payment)| Step::Request {
				customer,
				blueprint,
				operators,
				ttl,
				payment
			}
		),
		2 => (0..3usize, 0..12u64, operator_list(), ttl(), 0..3_000u128).prop_map(
			|(customer, request, operators, ttl, payment)| Step::UpdateRequest {
				customer,
				request,
				operators,
				ttl,
				payment
			}
		),
		1 => (0..3usize, 0..12u64)
			.prop_map(|(customer, request)| Step::CancelRequest { customer, request }),
		2 => (0..5usize, 0..12u64, 0..=100u8)
			.prop_map(|(operator, request, exposure)| Step::Approve { operator, request, exposure }),
		12 => (any::<usize>(), 5..=100u8)
			.prop_map(|(pick, exposure)| Step::ApprovePending { pick, exposure }),
		2 => any::<usize>().prop_map(|pick| Step::TerminateActive { pick }),
		2 => (any::<usize>(), operator_list(), ttl(), 0..3_000u128).prop_map(
			|(pick, operators, ttl, payment)| Step::UpdatePending { pick, operators, ttl, payment }
		),
		1 => any::<usize>().prop_map(|pick| Step::CancelPending { pick }),
		1 => any::<usize>().prop_map(|pick| Step::RejectPending { pick }),
		1 => (0..5usize, 0..12u64).prop_map(|(operator, request)| Step::Reject { operator, request }),
		1 => (0..12u64).prop_map(|request| Step::ExpireRequest { request }),
		2 => (0..3usize, 0..8u64)
			.prop_map(|(customer, service)| Step::Terminate { customer, service }),
		1 => (0..8u64).prop_map(|service| Step::TerminateExpired { service }),
		1 => (0..5usize, prop_oneof![3 => Just(0u8), 1 => 0..4u8])
			.prop_map(|(operator, state)| Step::SetOperatorState { operator, state }),
		1 => (0..5usize, 0..2_000u128)
			.prop_map(|(operator, stake)| Step::SetOperatorStake { operator, stake }),
		1 => (0..12u64).prop_map(|request_expiry| Step::SetParams { request_expiry }),
		3 => (1..12u64).prop_map(|blocks| Step::Advance { blocks }),
	]
}

/// The `pick`-th pending request as (id, requester, first named operator).
fn pending(pick: usize) -> Option<(u64, AccountId, AccountId)> {
	let pending: Vec<(u64, AccountId, AccountId)> = Requests::<Test>::iter()
		.filter_map(|(id, req)| req.operators.first().map(|o| (id, req.requester, o.operator)))
		.collect();
	pending.get(pick % pending.len().max(1)).copied()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn operator_ids(list: &[usize]) -> OperatorListOf<Test> {
	list.iter().map(|i| OPERATORS[*i]).collect::<Vec<_>>().try_into().unwrap()
}

fn apply(step: &Step) -> frame_support::dispatch::DispatchResult {
	let owners = [BP_OWNER, EVE];
	match step.clone() {
		Step::CreateBlueprint { owner, min_stake } => {
			let mut policy = demo_policy();
			policy.min_operator_stake = min_stake;
			Services::create_blueprint(
				signed(owners[owner]),
				metadata(b"random"),
				vec![job(b"j")].try_into().unwrap(),
				policy,
			)
		}
		Step::DeactivateBlueprint { owner, blueprint } => {
			Services::deactivate_blueprint(signed(owners[owner]), blueprint)
		}
		Step::Register { operator, blueprint, max_instances } => {
			Services::register(signed(OPERATORS[operator]), blueprint, prefs(max_instances))
		}
		Step::UpdateRegistration { operator, blueprint, max_instances } => {
			Services::update_registration(
				signed(OPERATORS[operator]),
				blueprint,
				max_instances,
				None,
			)
		}
		Step::Unregister { operator, blueprint } => {
			Services::unregister(signed(OPERATORS[operator]), blueprint)
		}
		Step::Request { customer, blueprint, operators, ttl, payment } => Services::request(
			signed(CUSTOMERS[customer]),
			blueprint,
			operator_ids(&operators),
			callers(&[]),
			ttl,
			Percent::from_percent(10),
			payment,
		),
		Step::UpdateRequest { customer, request, operators, ttl, payment } => {
			Services::update_request(
				signed(CUSTOMERS[customer]),
				request,
				operator_ids(&operators),
				callers(&[FERDIE]),
				ttl,
				Percent::from_percent(20),
				payment,
			)
		}
		Step::CancelRequest { customer, request } => {
			Services::cancel_request(signed(CUSTOMERS[customer]), request)
		}
		Step::Approve { operator, request, exposure } => {
			Services::approve(signed(OPERATORS[operator]), request, Percent::from_percent(exposure))
		}
		Step::ApprovePending { pick, exposure } => {
			let outstanding: Vec<(u64, AccountId)> = Requests::<Test>::iter()
				.flat_map(|(id, req)| {
					req.operators
						.into_iter()
						.filter(|o| o.approval.is_none())
						.map(move |o| (id, o.operator))
				})
				.collect();
			match outstanding.get(pick % outstanding.len().max(1)) {
				Some((request, operator)) => {
					Services::approve(signed(*operator), *request, Percent::from_percent(exposure))
				}
				None => Ok(()),
			}
		}
		Step::UpdatePending { pick, operators, ttl, payment } => match pending(pick) {
			Some((request, requester, _)) => Services::update_request(
				signed(requester),
				request,
				operator_ids(&operators),
				callers(&[FERDIE]),
				ttl,
				Percent::from_percent(20),
				payment,
			),
			None => Ok(()),
		},
		Step::CancelPending { pick } => match pending(pick) {
			Some((request, requester, _)) => Services::cancel_request(signed(requester), request),
			None => Ok(()),
		},
		Step::RejectPending { pick } => match pending(pick) {
			Some((request, _, operator)) => Services::reject(signed(operator), request),
			None => Ok(()),
		},
		Step::TerminateActive { pick } => {
			let active: Vec<(u64, AccountId)> =
				ServiceInstances::<Test>::iter().map(|(id, s)| (id, s.owner)).collect();
			match active.get(pick % active.len().max(1)) {
				Some((service, owner)) => Services::terminate(signed(*owner), *service),
				None => Ok(()),
			}
		}
		Step::Reject { operator, request } => {
			Services::reject(signed(OPERATORS[operator]), request)
		}
		Step::ExpireRequest { request } => {
			Services::expire_request(signed(FERDIE), request).map(|_| ()).map_err(|e| e.error)
		}
		Step::Terminate { customer, service } => {
			Services::terminate(signed(CUSTOMERS[customer]), service)
		}
		Step::TerminateExpired { service } => {
			Services::terminate_expired(signed(FERDIE), service).map(|_| ()).map_err(|e| e.error)
		}
		Step::SetOperatorState { operator, state } => {
			let state = match state {
				0 => Some(OperatorState::Active),
				1 => Some(OperatorState::Inactive),
				2 => Some(OperatorState::Leaving { at: 1_000 }),
				_ => None,
			};
			OperatorStates::mutate(|s| match state {
				Some(state) => s.insert(OPERATORS[operator], state),
				None => s.remove(&OPERATORS[operator]),
			});
			Ok(())
		}
		Step::SetOperatorStake { operator, stake } => {
			set_operator_stake(OPERATORS[operator], stake);
			Ok(())
		}
		Step::SetParams { request_expiry } => {
			Services::set_params(RuntimeOrigin::root(), ServicesParams { request_expiry })
		}
		Step::Advance { blocks } => {
			for _ in 0..blocks {
				let next = System::block_number() + 1;
				System::set_block_number(next);
				Services::on_initialize(next);
			}
			Ok(())
		}
	}
}

/// Runs `steps` from the demo genesis, checking every invariant after each step and, with
/// `check_noop`, that a failed step changed no storage.
fn run(steps: &[Step], check_noop: bool) {
	ExtBuilder::default().request_expiry(8).hook_caps(2, 2).build_and_execute(|| {
		set_operator(5, STAKE);
		let issuance = Balances::total_issuance();
		for step in steps {
			let before = check_noop.then(|| sp_io::storage::root(StateVersion::V1));
			let result = apply(step);
			if let (Err(e), Some(before)) = (result, before) {
				assert_eq!(
					sp_io::storage::root(StateVersion::V1),
					before,
					"{step:?} failed with {e:?} but changed storage"
				);
			}
			assert_eq!(Services::do_try_state(), Ok(()), "after {step:?}");
			// Payments move between accounts; nothing is minted or burned.
			assert_eq!(Balances::total_issuance(), issuance);
		}
	});
}

proptest! {
	#![proptest_config(ProptestConfig {
		cases: 10_000,
		failure_persistence: None,
		..ProptestConfig::default()
	})]

	/// 10,000 random sequences of calls and blocks keep every invariant.
	#[test]
	fn random_sequences_keep_the_invariants(steps in prop::collection::vec(step(), 1..16)) {
		run(&steps, false);
	}
}

proptest! {
	#![proptest_config(ProptestConfig {
		cases: 1_000,
		failure_persistence: None,
		..ProptestConfig::default()
	})]

	/// In random sequences, every failed call leaves storage exactly as it was.
	#[test]
	fn failed_calls_change_nothing(steps in prop::collection::vec(step(), 1..16)) {
		run(&steps, true);
	}
}
