//! Random call sequences: after every step the invariants hold, and no sequence pays out
//! more than was deposited.

use std::{collections::BTreeMap, sync::OnceLock};

use frame_support::traits::{fungible::Inspect, Hooks};
use proptest::prelude::*;
use sp_core::sr25519;

use crate::{mock::*, BalanceProofOf, ChannelPhase, Event, NextChannelId};

/// How many random sequences run; `PROPTEST_CASES` overrides it for longer runs.
fn cases() -> u32 {
	std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(5_000)
}
/// The accounts the sequences use: senders, receivers and bystanders at once.
const NAMES: [&str; 3] = ["Alice", "Bob", "Charlie"];

fn pairs() -> &'static [sr25519::Pair; 3] {
	static PAIRS: OnceLock<[sr25519::Pair; 3]> = OnceLock::new();
	PAIRS.get_or_init(|| NAMES.map(pair))
}

fn who(index: u8) -> AccountId {
	account_of(&pairs()[usize::from(index) % 3])
}

/// Who signs a proof: the channel's real sender most of the time, or someone else.
#[derive(Clone, Debug)]
enum Signer {
	Sender,
	Other(u8),
}

/// Who calls: mostly a participant of the channel, sometimes anyone.
#[derive(Clone, Debug)]
enum Party {
	Sender,
	Receiver,
	Anyone(u8),
}

#[derive(Clone, Debug)]
enum Action {
	Open { sender: u8, receiver: u8, deposit: Balance },
	TopUp { by: Party, channel: u64, amount: Balance },
	Close { by: Party, channel: u64, proof: Option<(u64, Balance, Signer)> },
	Update { by: Party, channel: u64, nonce: u64, transferred: Balance, signer: Signer },
	CooperativeClose { by: Party, channel: u64, nonce: u64, transferred: Balance, co_signed: bool },
	Settle { by: u8, channel: u64 },
	Advance { blocks: u64 },
}

fn party() -> impl Strategy<Value = Party> + Clone {
	prop_oneof![
		2 => Just(Party::Sender),
		3 => Just(Party::Receiver),
		1 => (0u8..3).prop_map(Party::Anyone),
	]
}

/// Mostly the prelude's two channels, sometimes later ones or none.
fn channel() -> impl Strategy<Value = u64> + Clone {
	prop_oneof![4 => 0u64..2, 1 => 0u64..5]
}

fn signer() -> impl Strategy<Value = Signer> {
	prop_oneof![4 => Just(Signer::Sender), 1 => (0u8..3).prop_map(Signer::Other)]
}

/// Amounts in proofs: steps of 10, so the same messages recur and their signatures are
/// made once.
fn amount() -> impl Strategy<Value = Balance> {
	(0u128..50).prop_map(|tens| tens * 10)
}

fn action() -> impl Strategy<Value = Action> {
	let account = 0u8..3;
	let channel = channel();
	prop_oneof![
		3 => (account.clone(), account.clone(), 0u128..400)
			.prop_map(|(sender, receiver, deposit)| Action::Open { sender, receiver, deposit }),
		1 => (party(), channel.clone(), 0u128..200)
			.prop_map(|(by, channel, amount)| Action::TopUp { by, channel, amount }),
		2 => (party(), channel.clone(), proptest::option::of((0u64..6, amount(), signer())))
			.prop_map(|(by, channel, proof)| Action::Close { by, channel, proof }),
		4 => (party(), channel.clone(), 0u64..8, amount(), signer()).prop_map(
			|(by, channel, nonce, transferred, signer)| Action::Update { by, channel, nonce, transferred, signer }
		),
		1 => (party(), channel.clone(), 0u64..8, amount(), any::<bool>()).prop_map(
			|(by, channel, nonce, transferred, co_signed)| Action::CooperativeClose {
				by, channel, nonce, transferred, co_signed
			}
		),
		1 => (account, channel).prop_map(|(by, channel)| Action::Settle { by, channel }),
		2 => (1u64..8).prop_map(|blocks| Action::Advance { blocks }),
	]
}

/// The index of `channel`'s sender or receiver, if the channel exists.
fn participant(channel: u64, receiver: bool) -> Option<u8> {
	let state = crate::Channels::<Test>::get(channel)?;
	let wanted = if receiver { state.receiver } else { state.sender };
	(0u8..3).find(|index| who(*index) == wanted)
}

/// Who `party` is for `channel` (Alice if the channel doesn't exist).
fn resolve(party: &Party, channel: u64) -> u8 {
	match party {
		Party::Sender => participant(channel, false).unwrap_or(0),
		Party::Receiver => participant(channel, true).unwrap_or(0),
		Party::Anyone(index) => *index,
	}
}

fn signed_proof(
	channel: u64,
	nonce: u64,
	transferred: Balance,
	signer: &Signer,
) -> BalanceProofOf<Test> {
	let index = match signer {
		Signer::Sender => participant(channel, false).unwrap_or(0),
		Signer::Other(index) => *index,
	};
	proof_with(&pairs()[usize::from(index) % 3], GENESIS_HASH, channel, nonce, transferred)
}

/// Applies `action`; failures are expected and must change nothing (the calls are
/// transactional), so only successes update the model.
fn apply(action: &Action, deposited: &mut BTreeMap<u64, Balance>) {
	let origin = |index: u8| RuntimeOrigin::signed(who(index));
	let caller = |party: &Party, channel: u64| origin(resolve(party, channel));
	match action.clone() {
		Action::Open { sender, receiver, deposit } => {
			let id = NextChannelId::<Test>::get();
			if Channels::open(origin(sender), who(receiver), deposit).is_ok() {
				deposited.insert(id, deposit);
			}
		}
		Action::TopUp { by, channel, amount } => {
			if Channels::top_up(caller(&by, channel), channel, amount).is_ok() {
				*deposited.get_mut(&channel).expect("topped-up channel is known") += amount;
			}
		}
		Action::Close { by, channel, proof } => {
			let proof =
				proof.map(|(nonce, amount, signer)| signed_proof(channel, nonce, amount, &signer));
			let _ = Channels::close(caller(&by, channel), channel, proof);
		}
		Action::Update { by, channel, nonce, transferred, signer } => {
			let proof = signed_proof(channel, nonce, transferred, &signer);
			let _ = Channels::update(caller(&by, channel), channel, proof);
		}
		Action::CooperativeClose { by, channel, nonce, transferred, co_signed } => {
			let proof = signed_proof(channel, nonce, transferred, &Signer::Sender);
			let co_signer =
				if co_signed { resolve(&Party::Receiver, channel) } else { resolve(&by, channel) };
			let signature =
				co_signature(&pairs()[usize::from(co_signer) % 3], channel, nonce, transferred);
			let _ = Channels::cooperative_close(caller(&by, channel), channel, proof, signature);
		}
		Action::Settle { by, channel } => {
			let _ = Channels::settle(origin(by), channel);
		}
		Action::Advance { blocks } => {
			for _ in 0..blocks {
				let next = System::block_number() + 1;
				System::set_block_number(next);
				Channels::on_initialize(next);
			}
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(cases()))]

	#[test]
	fn no_sequence_pays_out_more_than_was_deposited(
		actions in proptest::collection::vec(action(), 1..14)
	) {
		ExtBuilder::default().max_settlements_per_block(2).challenge_period(4).build().execute_with(|| {
			let issuance = Balances::total_issuance();
			// What each account should own in total (free + held): its start, plus what
			// it received, minus what it paid, through settlements only.
			let mut expected: BTreeMap<AccountId, Balance> =
				(0u8..3).map(|index| (who(index), INITIAL_BALANCE)).collect();
			let mut deposited = BTreeMap::new();
			let mut participants = BTreeMap::new();
			// Every sequence starts with two channels, one of them closing with a stale
			// proof, so short sequences still reach updates and settlements.
			let prelude = [
				Action::Open { sender: 0, receiver: 1, deposit: 300 },
				Action::Open { sender: 1, receiver: 2, deposit: 300 },
				Action::Close { by: Party::Sender, channel: 0, proof: Some((2, 50, Signer::Sender)) },
			];

			for action in prelude.iter().chain(&actions) {
				let next_id = NextChannelId::<Test>::get();
				// What each closing channel gives its receiver before the step.
				let closing_before: BTreeMap<u64, Balance> = crate::Channels::<Test>::iter()
					.filter(|(_, channel)| channel.phase != ChannelPhase::Open)
					.map(|(id, channel)| (id, channel.transferred))
					.collect();
				apply(action, &mut deposited);
				// The receiver's side never lowers what a closing channel gives her.
				for (id, before) in &closing_before {
					if let Some(channel) = crate::Channels::<Test>::get(id) {
						prop_assert!(channel.transferred >= *before, "an update lowered the payout");
					}
				}
				if NextChannelId::<Test>::get() > next_id {
					let channel = crate::Channels::<Test>::get(next_id).expect("just opened");
					participants.insert(next_id, (channel.sender, channel.receiver));
				}

				for event in events() {
					if let Event::ChannelSettled { channel, to_receiver, to_sender, .. } = event {
						let deposit = deposited.remove(&channel).expect("settled channel was opened");
						prop_assert_eq!(to_receiver + to_sender, deposit);
						prop_assert!(to_receiver <= deposit);
						let (sender, receiver) = participants.remove(&channel).expect("known");
						*expected.get_mut(&sender).expect("known account") -= to_receiver;
						*expected.get_mut(&receiver).expect("known account") += to_receiver;
					}
				}

				prop_assert!(Channels::do_try_state().is_ok(), "{:?}", Channels::do_try_state());
				prop_assert_eq!(Balances::total_issuance(), issuance);
				for (account, total) in &expected {
					prop_assert_eq!(Balances::total_balance(account), *total);
				}
				let live: Balance = deposited.values().sum();
				let held_total: Balance = expected.keys().map(held).sum();
				prop_assert_eq!(held_total, live);
			}
			Ok(())
		})?;
	}
}
