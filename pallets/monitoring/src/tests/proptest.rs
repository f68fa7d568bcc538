//! Random call sequences on the channel model: after every step the invariants hold, and
//! no sequence pays out more than was escrowed.

use std::collections::BTreeMap;

use ::proptest::prelude::*;
use frame_support::traits::fungible::Inspect;
use warden_primitives::ChannelPhase;

use super::*;
use crate::Event;

/// How many random sequences run; `PROPTEST_CASES` overrides it for longer runs.
fn cases() -> u32 {
	std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(5_000)
}

/// Monitors (and would-be monitors).
const MONITORS: [&str; 3] = ["Monitor1", "Monitor2", "Mallory"];
/// Payout addresses: one without an account, and two monitors.
const PAYOUTS: [&str; 3] = ["Payout", "Monitor1", "Monitor2"];
/// Channel participants.
const PARTIES: [&str; 2] = ["Alice", "Bob"];
/// Every account whose balance is tracked.
const ACCOUNTS: [&str; 6] = ["Alice", "Bob", "Mallory", "Monitor1", "Monitor2", "Payout"];
/// The model channels' challenge period in these sequences.
const PERIOD: u64 = 10;

#[derive(Clone, Debug)]
enum Action {
	Open {
		receiver: usize,
	},
	Register {
		monitor: usize,
		deposit: Balance,
	},
	Renew {
		monitor: usize,
		top_up: Balance,
	},
	Unregister {
		monitor: usize,
	},
	Release {
		monitor: usize,
	},
	SetEndpoint {
		monitor: usize,
		long: bool,
	},
	Fund {
		channel: u64,
		by: usize,
		amount: Balance,
	},
	Withdraw {
		channel: u64,
		by: usize,
		amount: Balance,
	},
	Close {
		channel: u64,
	},
	MonitorUpdate {
		monitor: usize,
		channel: u64,
		nonce: u64,
		transferred: Balance,
		reward: Balance,
		payout: usize,
		authorized: bool,
		/// The monitor the authorization names, if any.
		named: Option<usize>,
	},
	ReceiverUpdate {
		channel: u64,
		nonce: u64,
		transferred: Balance,
	},
	Settle {
		channel: u64,
	},
	Claim {
		channel: u64,
	},
	Advance {
		blocks: u64,
	},
}

fn tens(max: u128) -> impl Strategy<Value = Balance> {
	(0..=max / 10).prop_map(|n| n * 10)
}

/// Mostly the registered monitor of the prelude, sometimes others.
fn monitor() -> impl Strategy<Value = usize> + Clone {
	prop_oneof![3 => Just(0usize), 1 => 0usize..3]
}

/// Mostly the prelude's closing channel, sometimes others.
fn channel() -> impl Strategy<Value = u64> + Clone {
	prop_oneof![3 => Just(0u64), 1 => 0u64..4]
}

fn action() -> impl Strategy<Value = Action> {
	let monitor = monitor();
	let channel = channel();
	prop_oneof![
		1 => (0usize..2).prop_map(|receiver| Action::Open { receiver }),
		2 => (monitor.clone(), tens(100))
			.prop_map(|(monitor, deposit)| Action::Register { monitor, deposit }),
		1 => (monitor.clone(), tens(30)).prop_map(|(monitor, top_up)| Action::Renew { monitor, top_up }),
		1 => monitor.clone().prop_map(|monitor| Action::Unregister { monitor }),
		1 => monitor.clone().prop_map(|monitor| Action::Release { monitor }),
		1 => (monitor.clone(), any::<bool>()).prop_map(|(monitor, long)| Action::SetEndpoint { monitor, long }),
		3 => (channel.clone(), 0usize..2, tens(400))
			.prop_map(|(channel, by, amount)| Action::Fund { channel, by, amount }),
		1 => (channel.clone(), 0usize..2, tens(400))
			.prop_map(|(channel, by, amount)| Action::Withdraw { channel, by, amount }),
		2 => channel.clone().prop_map(|channel| Action::Close { channel }),
		6 => (
			monitor,
			channel.clone(),
			0u64..6,
			tens(1_000),
			tens(350),
			0usize..3,
			prop::bool::weighted(0.8),
			prop::option::weighted(0.3, 0usize..3),
		)
			.prop_map(|(monitor, channel, nonce, transferred, reward, payout, authorized, named)| {
				Action::MonitorUpdate {
					monitor,
					channel,
					nonce,
					transferred,
					reward,
					payout,
					authorized,
					named,
				}
			}),
		1 => (channel.clone(), 0u64..6, tens(1_000))
			.prop_map(|(channel, nonce, transferred)| Action::ReceiverUpdate { channel, nonce, transferred }),
		3 => channel.clone().prop_map(|channel| Action::Settle { channel }),
		3 => channel.prop_map(|channel| Action::Claim { channel }),
		6 => (1u64..8).prop_map(|blocks| Action::Advance { blocks }),
	]
}

/// The name of an account, for signing.
fn name_of(who: &AccountId) -> &'static str {
	ACCOUNTS.iter().find(|name| account(name) == *who).copied().unwrap_or("Mallory")
}

/// Applies `action`; failures must change nothing, so only successes update the model of
/// what each escrow holds.
fn apply(action: &Action, escrowed: &mut BTreeMap<u64, Balance>) {
	let signed = |name: &str| RuntimeOrigin::signed(account(name));
	match action.clone() {
		Action::Open { receiver } => {
			let receiver = PARTIES[receiver];
			let sender = PARTIES.iter().find(|name| **name != receiver).expect("two parties");
			ModelChannels::open(&account(sender), &account(receiver), 1_000);
		}
		Action::Register { monitor, deposit } => {
			let _ = Monitoring::register_monitor(
				signed(MONITORS[monitor]),
				deposit,
				endpoint(b"https://monitor.example"),
			);
		}
		Action::Renew { monitor, top_up } => {
			let _ = Monitoring::renew_monitor(signed(MONITORS[monitor]), top_up);
		}
		Action::Unregister { monitor } => {
			let _ = Monitoring::unregister_monitor(signed(MONITORS[monitor]));
		}
		Action::Release { monitor } => {
			let _ = Monitoring::release_monitor_deposit(signed(MONITORS[monitor]));
		}
		Action::SetEndpoint { monitor, long } => {
			let url: &[u8] = if long { &[b'x'; 32] } else { b"https://m" };
			let _ = Monitoring::set_endpoint(signed(MONITORS[monitor]), endpoint(url));
		}
		Action::Fund { channel, by, amount } => {
			if Monitoring::fund_monitoring(signed(PARTIES[by]), channel, amount).is_ok() {
				*escrowed.entry(channel).or_default() += amount;
			}
		}
		Action::Withdraw { channel, by, amount } => {
			if Monitoring::withdraw_escrow(signed(PARTIES[by]), channel, amount).is_ok() {
				*escrowed.get_mut(&channel).expect("withdrawn escrow is known") -= amount;
			}
		}
		Action::Close { channel } => {
			if ModelChannels::get(channel).is_some_and(|state| state.phase == ChannelPhase::Open) {
				ModelChannels::close(channel, 0);
			}
		}
		Action::MonitorUpdate {
			monitor,
			channel,
			nonce,
			transferred,
			reward,
			payout,
			authorized,
			named,
		} => {
			let Some(state) = ModelChannels::get(channel) else { return };
			let proof = proof_by(&pair(name_of(&state.sender)), channel, nonce, transferred);
			let signer = if authorized { name_of(&state.receiver) } else { "Mallory" };
			let authorization = named_authorization_with(
				&pair(signer),
				GENESIS_HASH,
				channel,
				nonce,
				reward,
				proof_hash(&proof),
				named.map(|named| account(MONITORS[named])),
			);
			let _ = Monitoring::monitor_update(
				signed(MONITORS[monitor]),
				proof,
				authorization,
				account(PAYOUTS[payout]),
			);
		}
		Action::ReceiverUpdate { channel, nonce, transferred } => {
			let Some(state) = ModelChannels::get(channel) else { return };
			let proof = proof_by(&pair(name_of(&state.sender)), channel, nonce, transferred);
			let _ = frame_support::storage::with_storage_layer(|| {
				ModelChannels::update_for_receiver(channel, proof)
			});
		}
		Action::Settle { channel } => {
			let due = ModelChannels::get(channel).is_some_and(|state| match state.phase {
				ChannelPhase::Closing { settle_from, .. } => System::block_number() >= settle_from,
				ChannelPhase::Open => false,
			});
			if due {
				ModelChannels::settle(channel);
			}
		}
		Action::Claim { channel } => {
			let _ = Monitoring::claim_reward(signed("Mallory"), channel);
		}
		Action::Advance { blocks } => run_to_block(System::block_number() + blocks),
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(cases()))]

	#[test]
	fn no_sequence_pays_out_more_than_was_escrowed(
		actions in ::proptest::collection::vec(action(), 4..20)
	) {
		ExtBuilder::default().challenge_period(PERIOD).build().execute_with(|| {
			let issuance = Balances::total_issuance();
			// What each account should own in total (free + held): only rewards move money
			// between accounts.
			let mut expected: BTreeMap<AccountId, Balance> = ACCOUNTS
				.iter()
				.map(|name| (account(name), Balances::total_balance(&account(name))))
				.collect();
			let mut escrowed: BTreeMap<u64, Balance> = BTreeMap::new();
			// Every sequence starts with a funded, closing channel to Alice and a monitor, in
			// that monitor's slot.
			let prelude = [
				Action::Open { receiver: 0 },
				Action::Open { receiver: 1 },
				Action::Fund { channel: 0, by: 0, amount: 300 },
				Action::Register { monitor: 0, deposit: MIN_MONITOR_DEPOSIT },
				Action::Close { channel: 0 },
			];
			let slot_of_first_monitor = |step: usize| {
				(step == prelude.len())
					.then(|| Monitoring::first_allowed_block(0, &account(MONITORS[0])))
					.flatten()
			};

			for (step, action) in prelude.iter().chain(&actions).enumerate() {
				// After the prelude, jump to the first monitor's slot in the window.
				if let Some(slot) = slot_of_first_monitor(step) {
					run_to_block(slot);
				}
				let transferred_before: BTreeMap<u64, Balance> = (0..4)
					.filter_map(|channel| ModelChannels::get(channel).map(|s| (channel, s.transferred)))
					.collect();
				apply(action, &mut escrowed);

				let mut claimed: BTreeMap<u64, Balance> = BTreeMap::new();
				for event in events() {
					match event {
						Event::RewardClaimed { channel, payout, amount, .. } => {
							let live = ModelChannels::get(channel).is_some();
							prop_assert!(!live, "claimed before settlement");
							*claimed.entry(channel).or_default() += amount;
							*expected.get_mut(&payout).expect("tracked payout") += amount;
						},
						Event::MonitorUpdateAccepted { channel, monitor, .. } => {
							// Paid only for help: the receiver's payout rose.
							let after = ModelChannels::get(channel).map(|s| s.transferred);
							let before = transferred_before.get(&channel).copied();
							prop_assert!(after > before, "an update that raised nothing was accepted");
							if let Action::MonitorUpdate { named: Some(named), .. } = action {
								prop_assert_eq!(monitor, account(MONITORS[*named]));
							}
						},
						Event::EscrowReturned { channel, funder, amount } => {
							let reward = claimed.remove(&channel).unwrap_or_default();
							let escrow = escrowed.remove(&channel).expect("claimed escrow was funded");
							prop_assert_eq!(reward + amount, escrow);
							*expected.get_mut(&funder).expect("tracked funder") -= reward;
						},
						_ => {},
					}
				}
				prop_assert!(claimed.is_empty(), "a reward without the escrow's return");

				prop_assert!(Monitoring::do_try_state().is_ok(), "{:?}", Monitoring::do_try_state());
				prop_assert_eq!(Balances::total_issuance(), issuance);
				for (who, total) in &expected {
					prop_assert_eq!(Balances::total_balance(who), *total);
				}
				for (channel, amount) in &escrowed {
					prop_assert_eq!(Monitoring::escrow_balance(*channel), *amount);
				}
			}
			Ok(())
		})?;
	}
}
