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
	RemoveBlueprint {
		owner: usize,
		blueprint: u64,
	},
	/// Sets an operator's price for a blueprint.
	SetPrice {
		operator: usize,
		blueprint: u64,
		price: Balance,
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
		/// Names an older version of the request's terms than the current one.
		stale: bool,
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
	/// The `pick`-th ended service in its report window, reported on by its owner for the
	/// `operator`-th operator it had.
	ReportEnded {
		pick: usize,
		operator: usize,
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
		1 => (0..2usize, blueprint())
			.prop_map(|(owner, blueprint)| Step::RemoveBlueprint { owner, blueprint }),
		1 => (0..OPERATORS.len(), blueprint(), prop_oneof![3 => Just(0u128), 1 => 0..20u128])
			.prop_map(|(operator, blueprint, price)| Step::SetPrice { operator, blueprint, price }),
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
		2 => (0..5usize, 0..12u64, 0..=100u8, prop::bool::weighted(0.1))
			.prop_map(|(operator, request, exposure, stale)| Step::Approve {
				operator,
				request,
				exposure,
				stale
			}),
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
		2 => (any::<usize>(), any::<usize>())
			.prop_map(|(pick, operator)| Step::ReportEnded { pick, operator }),
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
		Step::RemoveBlueprint { owner, blueprint } => {
			Services::remove_blueprint(signed(owners[owner]), blueprint)
		}
		Step::SetPrice { operator, blueprint, price } => Services::update_registration(
			signed(OPERATORS[operator]),
			blueprint,
			None,
			None,
			Some(price),
		),
		Step::Register { operator, blueprint, max_instances } => {
			Services::register(signed(OPERATORS[operator]), blueprint, prefs(max_instances))
		}
		Step::UpdateRegistration { operator, blueprint, max_instances } => {
			Services::update_registration(
				signed(OPERATORS[operator]),
				blueprint,
				max_instances,
				None,
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
			.map(|_| ())
			.map_err(|e| e.error)
		}
		Step::CancelRequest { customer, request } => {
			Services::cancel_request(signed(CUSTOMERS[customer]), request)
				.map(|_| ())
				.map_err(|e| e.error)
		}
		Step::Approve { operator, request, exposure, stale } => {
			let version = version_of(request).wrapping_sub(u32::from(stale));
			Services::approve(
				signed(OPERATORS[operator]),
				request,
				version,
				Percent::from_percent(exposure),
			)
			.map(|_| ())
			.map_err(|e| e.error)
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
				Some((request, operator)) => Services::approve(
					signed(*operator),
					*request,
					version_of(*request),
					Percent::from_percent(exposure),
				)
				.map(|_| ())
				.map_err(|e| e.error),
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
			)
			.map(|_| ())
			.map_err(|e| e.error),
			None => Ok(()),
		},
		Step::CancelPending { pick } => match pending(pick) {
			Some((request, requester, _)) => Services::cancel_request(signed(requester), request)
				.map(|_| ())
				.map_err(|e| e.error),
			None => Ok(()),
		},
		Step::RejectPending { pick } => match pending(pick) {
			Some((request, _, operator)) => {
				Services::reject(signed(operator), request).map(|_| ()).map_err(|e| e.error)
			}
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
			Services::reject(signed(OPERATORS[operator]), request).map(|_| ()).map_err(|e| e.error)
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
		Step::ReportEnded { pick, operator } => {
			let ended: Vec<_> = EndedServices::<Test>::iter().collect();
			match ended.get(pick % ended.len().max(1)) {
				Some((service, record)) => {
					let offender = &record.operators[operator % record.operators.len()].operator;
					Services::report(
						signed(record.owner),
						*service,
						*offender,
						ReportKind::QualityOfService {
							metric: frame_support::BoundedVec::truncate_from(b"m".to_vec()),
						},
						Default::default(),
						sp_runtime::Perbill::from_percent(1),
					)
				}
				None => Ok(()),
			}
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
		Step::SetParams { request_expiry } => Services::set_params(
			RuntimeOrigin::root(),
			ServicesParams { request_expiry, min_heartbeat_interval: 1 },
		),
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
	ExtBuilder::default()
		.request_expiry(8)
		.hook_caps(2, 2)
		.blueprint_deposit(10, 1)
		.request_deposit(3)
		.build_and_execute(|| {
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

/// Random sequences of jobs, results, closes, heartbeats, reports, terminations, blocks and
/// eras, checked against a model that predicts each call's success and counts the
/// statistics on its own.
mod work {
	use super::*;
	use alloc::collections::BTreeMap;
	use frame_support::assert_ok;
	use sp_runtime::Perbill;
	use warden_primitives::{EraIndex, OperatorStats, WorkOutcome};

	/// Accounts that act: the three registered operators, an unregistered operator, the
	/// owner, a permitted caller and a stranger.
	const ACTORS: [AccountId; 7] = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE, 12];
	const INTERVAL: u64 = 10;
	const RESULT_DEADLINE: u64 = 5;

	#[derive(Debug, Clone)]
	enum Work {
		Start { operators: Vec<usize>, ttl: u64 },
		Call { service: usize, caller: usize, job: u32, args: usize },
		Submit { service: usize, call: usize, operator: usize, success: bool },
		Close { service: usize, call: usize },
		Heartbeat { service: usize, operator: usize },
		Report { service: usize, reporter: usize, offender: usize, percent: u32 },
		ReportMissed { service: usize, operator: usize },
		Terminate { service: usize },
		Advance { blocks: u64 },
		NextEra,
	}

	fn work() -> impl Strategy<Value = Work> {
		prop_oneof![
			2 => (prop::sample::subsequence(vec![0usize, 1, 2], 1..=3), 3..60u64)
				.prop_map(|(operators, ttl)| Work::Start { operators, ttl }),
			8 => (any::<usize>(), prop_oneof![6 => 4..6usize, 1 => 0..7usize],
				prop_oneof![5 => Just(0u32), 1 => Just(1u32)],
				prop_oneof![5 => 0..8usize, 1 => 255..258usize])
				.prop_map(|(service, caller, job, args)| Work::Call { service, caller, job, args }),
			10 => (any::<usize>(), any::<usize>(), prop_oneof![4 => 0..3usize, 1 => 0..7usize],
				any::<bool>())
				.prop_map(|(service, call, operator, success)| {
					Work::Submit { service, call, operator, success }
				}),
			1 => (any::<usize>(), any::<usize>())
				.prop_map(|(service, call)| Work::Close { service, call }),
			5 => (any::<usize>(), prop_oneof![4 => 0..3usize, 1 => 0..7usize])
				.prop_map(|(service, operator)| Work::Heartbeat { service, operator }),
			1 => (any::<usize>(), 0..7usize, 0..7usize, 0..12u32).prop_map(
				|(service, reporter, offender, percent)| Work::Report {
					service,
					reporter,
					offender,
					percent
				}
			),
			1 => (any::<usize>(), 0..3usize)
				.prop_map(|(service, operator)| Work::ReportMissed { service, operator }),
			1 => any::<usize>().prop_map(|service| Work::Terminate { service }),
			4 => prop_oneof![3 => 1..6u64, 1 => 6..45u64].prop_map(|blocks| Work::Advance { blocks }),
			1 => Just(Work::NextEra),
		]
	}

	struct ModelService {
		operators: Vec<AccountId>,
		start: u64,
		end: u64,
	}

	struct ModelCall {
		deadline: u64,
		/// Each result submitted, counted when the call is closed or cancelled.
		answered: BTreeMap<AccountId, WorkOutcome>,
	}

	/// What the pallet should do and should have counted, computed independently.
	#[derive(Default)]
	struct Model {
		services: BTreeMap<u64, ModelService>,
		calls: BTreeMap<(u64, u64), ModelCall>,
		last_windows: BTreeMap<(u64, AccountId), u64>,
		stats: BTreeMap<(EraIndex, u64, AccountId), OperatorStats>,
		/// Every outcome told to rewards, per operator: (successes, failures, missed).
		work: BTreeMap<AccountId, (u32, u32, u32)>,
		heartbeats: BTreeMap<AccountId, u32>,
	}

	impl Model {
		fn service(&self, pick: usize) -> Option<u64> {
			let ids: Vec<u64> = self.services.keys().copied().collect();
			ids.get(pick % ids.len().max(1)).copied()
		}

		fn count(&mut self, service: u64, operator: AccountId, outcome: Option<WorkOutcome>) {
			let entry = self.stats.entry((CurrentEra::get(), service, operator)).or_default();
			match outcome {
				Some(WorkOutcome::Success) => {
					entry.successes += 1;
					self.work.entry(operator).or_default().0 += 1;
				}
				Some(WorkOutcome::Failure) => {
					entry.failures += 1;
					self.work.entry(operator).or_default().1 += 1;
				}
				Some(WorkOutcome::Missed) => {
					entry.failures += 1;
					self.work.entry(operator).or_default().2 += 1;
				}
				None => {
					entry.heartbeats += 1;
					*self.heartbeats.entry(operator).or_default() += 1;
				}
			}
		}

		/// Closes (or, before its deadline, cancels) call `key` at block `now`.
		fn finish(&mut self, key: (u64, u64), now: u64) {
			let call = self.calls.remove(&key).expect("a model call");
			let operators = self.services[&key.0].operators.clone();
			for op in operators {
				match call.answered.get(&op) {
					Some(outcome) => self.count(key.0, op, Some(*outcome)),
					None if now >= call.deadline => {
						self.count(key.0, op, Some(WorkOutcome::Missed))
					}
					None => {}
				}
			}
		}

		fn terminate(&mut self, service: u64, now: u64) {
			let keys: Vec<_> = self.calls.keys().filter(|(s, _)| *s == service).copied().collect();
			for key in keys {
				self.finish(key, now);
			}
			self.last_windows.retain(|(s, _), _| *s != service);
			self.services.remove(&service);
		}

		/// What the hook does at block `now`: ends services, then closes overdue calls.
		fn block(&mut self, now: u64) {
			let ended: Vec<u64> =
				self.services.iter().filter(|(_, s)| s.end <= now).map(|(id, _)| *id).collect();
			for service in ended {
				self.terminate(service, now);
			}
			let due: Vec<_> =
				self.calls.iter().filter(|(_, c)| c.deadline <= now).map(|(k, _)| *k).collect();
			for key in due {
				self.finish(key, now);
			}
		}
	}

	fn apply(model: &mut Model, step: &Work) {
		let now = System::block_number();
		match step.clone() {
			Work::Start { operators, ttl } => {
				let operators: Vec<AccountId> = operators.iter().map(|i| ACTORS[*i]).collect();
				let request = NextRequestId::<Test>::get();
				let service = NextServiceId::<Test>::get();
				assert_ok!(Services::request(
					signed(EVE),
					0,
					ops(&operators),
					callers(&[FERDIE]),
					ttl,
					Percent::zero(),
					0,
				));
				for op in &operators {
					if Services::approve(signed(*op), request, 0, Percent::from_percent(10))
						.is_err()
					{
						// An instance limit: drop the request.
						assert_ok!(Services::cancel_request(signed(EVE), request));
						return;
					}
				}
				model
					.services
					.insert(service, ModelService { operators, start: now, end: now + ttl });
			}
			Work::Call { service, caller, job, args } => {
				let Some(id) = model.service(service) else { return };
				let caller = ACTORS[caller];
				let open = model.calls.keys().filter(|(s, _)| *s == id).count();
				let expected = now < model.services[&id].end
					&& (caller == EVE || caller == FERDIE)
					&& job == 0 && args <= 256
					&& open < 4;
				let call_id = NextCallId::<Test>::get();
				let result = Services::call(signed(caller), id, job, bytes(&vec![1u8; args]));
				assert_eq!(result.is_ok(), expected, "{step:?}: {result:?}");
				if expected {
					model.calls.insert(
						(id, call_id),
						ModelCall { deadline: now + RESULT_DEADLINE, answered: BTreeMap::new() },
					);
				}
			}
			Work::Submit { service, call, operator, success: ok } => {
				let Some(id) = model.service(service) else { return };
				// Mostly one of the service's open calls, sometimes any call ever made.
				let open: Vec<u64> =
					model.calls.keys().filter(|(s, _)| *s == id).map(|(_, c)| *c).collect();
				let call_id = if call % 8 == 0 || open.is_empty() {
					(call as u64) % NextCallId::<Test>::get().max(1)
				} else {
					open[call % open.len()]
				};
				let operator = ACTORS[operator];
				let expected = model.services[&id].operators.contains(&operator)
					&& model
						.calls
						.get(&(id, call_id))
						.is_some_and(|c| now < c.deadline && !c.answered.contains_key(&operator));
				let outcome = if ok { success(b"r") } else { failure(b"f") };
				let result = Services::submit_result(signed(operator), id, call_id, outcome);
				assert_eq!(result.is_ok(), expected, "{step:?}: {result:?}");
				if expected {
					let outcome = if ok { WorkOutcome::Success } else { WorkOutcome::Failure };
					model.calls.get_mut(&(id, call_id)).unwrap().answered.insert(operator, outcome);
				}
			}
			Work::Close { service, call } => {
				let Some(id) = model.service(service) else { return };
				let call_id = (call as u64) % NextCallId::<Test>::get().max(1);
				let expected = model.calls.get(&(id, call_id)).is_some_and(|c| now >= c.deadline);
				let result = Services::close_call(signed(12), id, call_id);
				assert_eq!(result.is_ok(), expected, "{step:?}: {result:?}");
				if expected {
					model.finish((id, call_id), now);
				}
			}
			Work::Heartbeat { service, operator } => {
				let Some(id) = model.service(service) else { return };
				let operator = ACTORS[operator];
				let s = &model.services[&id];
				let window = (now.min(s.end) - s.start) / INTERVAL;
				let expected = now < s.end
					&& s.operators.contains(&operator)
					&& model.last_windows.get(&(id, operator)).is_none_or(|w| window > *w);
				let result = Services::heartbeat(signed(operator), id, bytes(b"m"));
				assert_eq!(result.is_ok(), expected, "{step:?}: {result:?}");
				if expected {
					model.last_windows.insert((id, operator), window);
					model.count(id, operator, None);
				}
			}
			Work::Report { service, reporter, offender, percent } => {
				let Some(id) = model.service(service) else { return };
				let _ = Services::report(
					signed(ACTORS[reporter]),
					id,
					ACTORS[offender],
					ReportKind::QualityOfService { metric: bytes(b"m") },
					bytes(b""),
					Perbill::from_percent(percent),
				);
			}
			Work::ReportMissed { service, operator } => {
				let Some(id) = model.service(service) else { return };
				let _ = Services::report_missed_heartbeats(signed(12), id, ACTORS[operator]);
			}
			Work::Terminate { service } => {
				let Some(id) = model.service(service) else { return };
				assert_ok!(Services::terminate(signed(EVE), id));
				model.terminate(id, now);
			}
			Work::Advance { blocks } => {
				for _ in 0..blocks {
					let next = System::block_number() + 1;
					System::set_block_number(next);
					Services::on_initialize(next);
					model.block(next);
				}
			}
			Work::NextEra => CurrentEra::mutate(|era| *era += 1),
		}
	}

	/// The pallet's statistics of the kept eras equal the model's, per service and per
	/// blueprint, and rewards were told exactly the model's outcomes.
	fn check(model: &Model) {
		let kept = Services::first_kept_era();
		let recorded: BTreeMap<_, _> =
			ServiceStats::<Test>::iter().filter(|((era, _, _), _)| *era >= kept).collect();
		let expected: BTreeMap<_, _> = model
			.stats
			.iter()
			.filter(|((era, _, _), _)| *era >= kept)
			.map(|(k, v)| (*k, *v))
			.collect();
		assert_eq!(recorded, expected);
		let mut per_blueprint = BTreeMap::<(EraIndex, u64, AccountId), OperatorStats>::new();
		for ((era, _, op), stats) in expected {
			per_blueprint.entry((era, 0, op)).or_default().saturating_accrue(&stats);
		}
		let recorded: BTreeMap<_, _> =
			BlueprintStats::<Test>::iter().filter(|((era, _, _), _)| *era >= kept).collect();
		assert_eq!(recorded, per_blueprint);

		let mut work = BTreeMap::<AccountId, (u32, u32, u32)>::new();
		for (op, _, _, outcome) in RecordedWork::get() {
			let entry = work.entry(op).or_default();
			match outcome {
				WorkOutcome::Success => entry.0 += 1,
				WorkOutcome::Failure => entry.1 += 1,
				WorkOutcome::Missed => entry.2 += 1,
			}
		}
		assert_eq!(work, model.work);
		let mut heartbeats = BTreeMap::<AccountId, u32>::new();
		for (op, _, _) in RecordedHeartbeats::get() {
			*heartbeats.entry(op).or_default() += 1;
		}
		assert_eq!(heartbeats, model.heartbeats);
		assert_eq!(JobCalls::<Test>::iter().count(), model.calls.len());
	}

	fn run(steps: &[Work]) {
		ExtBuilder::default()
			.stats_retention(1, 4)
			.max_call_closes_per_block(100)
			.hook_caps(10, 100)
			.build_and_execute(|| {
				let mut model = Model::default();
				// Every sequence starts with a service run by all three operators.
				let first = Work::Start { operators: vec![0, 1, 2], ttl: 60 };
				for step in core::iter::once(&first).chain(steps) {
					apply(&mut model, step);
					assert_eq!(Services::do_try_state(), Ok(()), "after {step:?}");
					check(&model);
				}
			});
	}

	proptest! {
		#![proptest_config(ProptestConfig {
			cases: 10_000,
			failure_persistence: None,
			..ProptestConfig::default()
		})]

		/// 10,000 random sequences: every call succeeds exactly when the model says so,
		/// the statistics and what rewards were told match the model's own count, and every
		/// invariant holds after each step.
		#[test]
		fn statistics_match_an_independent_count(steps in prop::collection::vec(work(), 1..18)) {
			run(&steps);
		}
	}
}
