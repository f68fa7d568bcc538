//! Random sequences of governance calls and session boundaries: after every step the
//! invariants hold, the set matches a model, and each boundary hands over the model's set
//! exactly when it changed.

use ::proptest::prelude::*;

use super::*;

/// How many random sequences run; `PROPTEST_CASES` overrides it for longer runs.
fn cases() -> u32 {
	std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(2_000)
}

#[derive(Clone, Debug)]
enum Action {
	Add { who: u64, root: bool },
	Remove { who: u64, root: bool },
	SetMin { min: u32 },
	Boundary,
}

fn action() -> impl Strategy<Value = Action> {
	// Accounts 1..3 are genesis validators, 10..13 have keys, 30 has none.
	let who = prop_oneof![1u64..4, 10u64..14, Just(30u64)];
	prop_oneof![
		(who.clone(), any::<bool>()).prop_map(|(who, root)| Action::Add { who, root }),
		(who, any::<bool>()).prop_map(|(who, root)| Action::Remove { who, root }),
		(0u32..8).prop_map(|min| Action::SetMin { min }),
		Just(Action::Boundary),
	]
}

fn origin(root: bool) -> RuntimeOrigin {
	if root {
		RuntimeOrigin::root()
	} else {
		RuntimeOrigin::signed(1)
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(cases()))]

	#[test]
	fn random_sequences_keep_the_invariants(actions in prop::collection::vec(action(), 1..40)) {
		ExtBuilder::default().build_and_execute(|| {
			let mut model: Vec<u64> = GENESIS.to_vec();
			let mut min = 2u32;
			let mut changed = false;
			let mut session = 2u32;
			for action in actions {
				match action {
					Action::Add { who, root } => {
						let result = ValidatorSet::add_validator(origin(root), who);
						let ok = root
							&& who != 30 && !model.contains(&who)
							&& model.len() < MAX_VALIDATORS as usize;
						assert_eq!(result.is_ok(), ok, "add {who}: {result:?}");
						if ok {
							model.push(who);
							changed = true;
						}
					}
					Action::Remove { who, root } => {
						let result = ValidatorSet::remove_validator(origin(root), who);
						let ok = root && model.contains(&who) && model.len() > min as usize;
						assert_eq!(result.is_ok(), ok, "remove {who}: {result:?}");
						if ok {
							model.retain(|v| v != &who);
							changed = true;
						}
					}
					Action::SetMin { min: new } => {
						let result = ValidatorSet::set_min_validators(RuntimeOrigin::root(), new);
						let ok = new >= 1 && new as usize <= model.len();
						assert_eq!(result.is_ok(), ok, "min {new}: {result:?}");
						if ok {
							min = new;
						}
					}
					Action::Boundary => {
						let handed = ValidatorSet::new_session(session);
						assert_eq!(handed, changed.then(|| model.clone()));
						changed = false;
						session += 1;
					}
				}
				assert_eq!(ValidatorSet::target(), model);
				assert!(model.len() >= min as usize);
				ValidatorSet::do_try_state().expect("invariants hold after every step");
			}
		});
	}
}
