use proptest::prelude::*;

use super::*;

const PRICE: Amount = 10;

fn thresholds() -> Thresholds {
	Thresholds { price_per_unit: PRICE, payment: 100, disconnect: 300 }
}

fn settings() -> Settings {
	Settings { thresholds: thresholds(), tolerance: 0, top_up_limit: 2_000 }
}

fn channel(id: u64, deposit: Amount) -> Channel {
	Channel { id, deposit, transferred: 0, nonce: 0 }
}

/// A consumer (paying on channel 1 of 1 000) and a provider, after their handshake.
fn pair() -> (Ledger, Ledger) {
	let consumer_hello = Handshake { thresholds: thresholds(), channel: Some(channel(1, 1_000)) };
	let provider_hello = Handshake { thresholds: thresholds(), channel: None };
	let consumer =
		Ledger::new(settings(), &provider_hello, Some(channel(1, 1_000))).expect("handshake");
	let provider = Ledger::new(settings(), &consumer_hello, None).expect("handshake");
	(consumer, provider)
}

#[test]
fn thresholds_must_leave_room_between_payment_and_disconnect() {
	let hello = |payment, disconnect| Handshake {
		thresholds: Thresholds { price_per_unit: PRICE, payment, disconnect },
		channel: None,
	};
	assert_eq!(
		Ledger::new(settings(), &hello(100, 100), None),
		Err(Refusal::DisconnectNotAbovePayment)
	);
	assert_eq!(Ledger::new(settings(), &hello(5, 100), None), Err(Refusal::PaymentBelowPrice));
	let mut ours = settings();
	ours.thresholds.disconnect = 50;
	assert_eq!(Ledger::new(ours, &hello(100, 300), None), Err(Refusal::DisconnectNotAbovePayment));
}

#[test]
fn the_payer_shows_a_channel_covering_the_disconnect_threshold() {
	let small = Handshake { thresholds: thresholds(), channel: Some(channel(1, 299)) };
	assert_eq!(Ledger::new(settings(), &small, None), Err(Refusal::ChannelTooSmall));
	let spent = Handshake {
		thresholds: thresholds(),
		channel: Some(Channel { id: 1, deposit: 1_000, transferred: 800, nonce: 4 }),
	};
	assert_eq!(Ledger::new(settings(), &spent, None), Err(Refusal::ChannelTooSmall));
	let mut provider =
		Ledger::new(settings(), &Handshake { thresholds: thresholds(), channel: None }, None)
			.expect("no channel is a valid handshake");
	assert_eq!(provider.provide(1), Err(Refusal::NoChannel), "but it isn't served");
}

#[test]
fn a_cheque_at_the_payment_threshold_brings_the_balance_to_zero() {
	let (mut consumer, mut provider) = pair();
	for _ in 0..9 {
		provider.provide(1).expect("served");
		assert!(!consumer.consume(1));
	}
	provider.provide(1).expect("served");
	assert!(consumer.consume(1), "100 owed: the payment threshold");
	assert_eq!(provider.balance(), 100);
	let cheque = consumer.issue_cheque(1).expect("a cheque");
	assert_eq!(
		cheque,
		Cheque { channel: 1, nonce: 1, transferred: 100, consumed: 10, provided: 0 }
	);
	assert_eq!(consumer.balance(), 0);
	assert_eq!(provider.receive_cheque(&cheque, true), Ok(100));
	assert_eq!(provider.balance(), 0);
	assert_eq!(consumer.issue_cheque(2), Err(Refusal::NothingDue));
}

#[test]
fn a_consumer_that_stops_paying_is_disconnected_at_the_threshold() {
	let (mut consumer, mut provider) = pair();
	for _ in 0..30 {
		provider.provide(1).expect("served up to 300");
		consumer.consume(1);
	}
	assert_eq!(provider.provide(1), Err(Refusal::DebtOverThreshold));
	assert_eq!(provider.disconnected(), Some(Disconnect::Debt));
	assert_eq!(provider.provide(1), Err(Refusal::Disconnected(Disconnect::Debt)));
	assert_eq!(provider.provided(), 30, "the refused units aren't counted");
}

#[test]
fn bad_cheques_are_refused_and_change_nothing() {
	let (mut consumer, mut provider) = pair();
	for _ in 0..10 {
		provider.provide(1).expect("served");
		consumer.consume(1);
	}
	let cheque = consumer.issue_cheque(5).expect("a cheque");
	let before = provider.clone();
	assert_eq!(provider.receive_cheque(&cheque, false), Err(Refusal::BadSignature));
	let other = Cheque { channel: 2, ..cheque };
	assert_eq!(provider.receive_cheque(&other, true), Err(Refusal::WrongChannel));
	let over = Cheque { transferred: 1_001, ..cheque };
	assert_eq!(provider.receive_cheque(&over, true), Err(Refusal::OverDeposit));
	assert_eq!(provider, before);
	provider.receive_cheque(&cheque, true).expect("the good one");
	let after = provider.clone();
	assert_eq!(provider.receive_cheque(&cheque, true), Err(Refusal::StaleNonce), "a replay");
	let lower = Cheque { nonce: 6, transferred: 50, ..cheque };
	assert_eq!(provider.receive_cheque(&lower, true), Err(Refusal::NotIncreasing));
	assert_eq!(provider, after);
}

#[test]
fn a_disagreement_beyond_the_tolerance_disconnects() {
	let (mut consumer, mut provider) = pair();
	for _ in 0..10 {
		provider.provide(1).expect("served");
		consumer.consume(1);
	}
	let mut cheque = consumer.issue_cheque(1).expect("a cheque");
	cheque.consumed = 8;
	assert_eq!(provider.receive_cheque(&cheque, true), Err(Refusal::Disagreement));
	assert_eq!(provider.disconnected(), Some(Disconnect::Disagreement));
	assert_eq!(provider.received(), 100, "the valid proof's payment is kept");
}

#[test]
fn an_empty_channel_asks_for_a_top_up_then_stops_at_the_limit() {
	let provider_hello = Handshake { thresholds: thresholds(), channel: None };
	let mut ours = settings();
	ours.top_up_limit = 200;
	let mut consumer = Ledger::new(ours, &provider_hello, Some(channel(1, 120))).expect("ok");
	consumer.consume(10);
	consumer.issue_cheque(1).expect("100 of 120");
	consumer.consume(10);
	let before = consumer.clone();
	assert_eq!(consumer.issue_cheque(2), Err(Refusal::TopUpNeeded { by: 80 }));
	assert_eq!(consumer, before, "nothing signed");
	consumer.topped_up(channel(1, 200));
	assert_eq!(consumer.outgoing().map(|c| (c.deposit, c.transferred)), Some((200, 100)));
	assert_eq!(consumer.issue_cheque(2).map(|c| c.transferred), Ok(200));
	consumer.consume(10);
	assert_eq!(consumer.issue_cheque(3), Err(Refusal::Exhausted), "300 is over the limit");
	assert!(consumer.exhausted(), "it stops consuming and tells the peer");
}

#[test]
fn balances_net_both_directions() {
	let a_hello = Handshake { thresholds: thresholds(), channel: Some(channel(1, 1_000)) };
	let b_hello = Handshake { thresholds: thresholds(), channel: Some(channel(2, 1_000)) };
	let mut a = Ledger::new(settings(), &b_hello, Some(channel(1, 1_000))).expect("ok");
	let mut b = Ledger::new(settings(), &a_hello, Some(channel(2, 1_000))).expect("ok");
	for _ in 0..15 {
		a.provide(1).expect("a serves b");
		b.consume(1);
		b.provide(1).expect("b serves a");
		a.consume(1);
	}
	assert_eq!((a.balance(), b.balance()), (0, 0), "even trade: no cheque");
	assert!(!a.cheque_due() && !b.cheque_due());
	b.provide(10).expect("b serves 10 more");
	assert!(a.consume(10));
	let cheque = a.issue_cheque(1).expect("a pays the net 100");
	assert_eq!((cheque.channel, cheque.transferred), (1, 100));
	assert_eq!(b.receive_cheque(&cheque, true), Ok(100));
	assert_eq!((a.balance(), b.balance()), (0, 0));
}

#[test]
fn a_closing_channel_stops_service() {
	let (_, mut provider) = pair();
	provider.disconnect(Disconnect::ChannelClosing);
	assert_eq!(provider.provide(1), Err(Refusal::Disconnected(Disconnect::ChannelClosing)));
}

#[test]
fn messages_round_trip_as_json() {
	let hello = Handshake { thresholds: thresholds(), channel: Some(channel(1, 1_000)) };
	let text = serde_json::to_string(&hello).expect("encodes");
	assert_eq!(serde_json::from_str::<Handshake>(&text).expect("decodes"), hello);
	let (mut consumer, _) = pair();
	consumer.consume(10);
	let cheque = consumer.issue_cheque(1).expect("a cheque");
	let text = serde_json::to_string(&cheque).expect("encodes");
	assert_eq!(serde_json::from_str::<Cheque>(&text).expect("decodes"), cheque);
}

/// One step of a random session between a consumer and a provider.
#[derive(Clone, Debug)]
enum Step {
	/// The provider serves `units` (if it still does) and the consumer records them.
	Serve(u64),
	/// The consumer pays if a cheque is due, unless it stopped paying.
	Pay,
	/// From now on the consumer never pays.
	StopPaying,
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		6 => (1u64..20).prop_map(Step::Serve),
		3 => Just(Step::Pay),
		1 => Just(Step::StopPaying),
	]
}

#[test]
fn messages_carry_amounts_as_decimal_strings_of_any_size() {
	let handshake = Handshake {
		thresholds: Thresholds { price_per_unit: 1, payment: u128::MAX - 1, disconnect: u128::MAX },
		channel: Some(Channel { id: 3, deposit: u128::MAX, transferred: 7, nonce: 2 }),
	};
	let value = serde_json::to_value(handshake).expect("serializes");
	assert_eq!(value["thresholds"]["disconnect"], u128::MAX.to_string());
	assert_eq!(value["channel"]["transferred"], "7");
	// Through a buffered format (as an internally tagged message is read), and back.
	let back: Handshake = serde_json::from_value(value).expect("deserializes");
	assert_eq!(back, handshake);
	let bad = serde_json::json!({"price_per_unit": "1.5", "payment": "1", "disconnect": "2"});
	assert!(serde_json::from_value::<Thresholds>(bad).is_err(), "planck are whole");
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	/// Over random sessions and thresholds: what the consumer owes the provider stays
	/// between 0 and the disconnect threshold while it is served, right after a cheque it
	/// is under one unit's price, and the cheques' nonces strictly increase.
	#[test]
	fn debt_stays_within_the_thresholds(
		price in 1u128..50,
		payment_units in 1u128..20,
		gap_units in 1u128..20,
		steps in proptest::collection::vec(step(), 1..200),
	) {
		let thresholds = Thresholds {
			price_per_unit: price,
			payment: price * payment_units,
			disconnect: price * (payment_units + gap_units),
		};
		let ours = Settings { thresholds, tolerance: 0, top_up_limit: Amount::MAX };
		let deposit = Amount::MAX / 4;
		let paying = Handshake { thresholds, channel: Some(channel(1, deposit)) };
		let serving = Handshake { thresholds, channel: None };
		let mut consumer = Ledger::new(ours, &serving, Some(channel(1, deposit))).expect("ok");
		let mut provider = Ledger::new(ours, &paying, None).expect("ok");
		let mut pays = true;
		let mut last_nonce = 0;
		for step in steps {
			match step {
				Step::Serve(units) => {
					if provider.provide(units).is_ok() {
						consumer.consume(units);
					}
				}
				Step::Pay if pays && consumer.cheque_due() => {
					let cheque = consumer.issue_cheque(last_nonce + 1).expect("a cheque");
					prop_assert!(cheque.nonce > last_nonce);
					last_nonce = cheque.nonce;
					provider.receive_cheque(&cheque, true).expect("accepted");
					let gap = price * Amount::from(provider.provided()) - provider.received();
					prop_assert!(gap < price, "right after a cheque: {gap}");
				}
				Step::Pay => {}
				Step::StopPaying => pays = false,
			}
			let owed = provider.balance();
			prop_assert_eq!(owed, -consumer.balance(), "both sides agree");
			prop_assert!(owed >= 0);
			prop_assert!(
				owed <= thresholds.disconnect as i128 || provider.disconnected().is_some(),
				"owed {} over {}", owed, thresholds.disconnect
			);
		}
	}

	/// A cheque the provider refuses changes nothing, whatever its fields.
	#[test]
	fn refused_cheques_change_nothing(
		nonce in 0u64..5,
		transferred in 0u128..2_000,
		signature_valid in any::<bool>(),
		id in 0u64..3,
	) {
		let (mut consumer, mut provider) = pair();
		for _ in 0..10 {
			provider.provide(1).expect("served");
			consumer.consume(1);
		}
		provider.receive_cheque(&consumer.issue_cheque(2).expect("a cheque"), true).expect("ok");
		let before = provider.clone();
		let cheque = Cheque { channel: id, nonce, transferred, consumed: 10, provided: 0 };
		if provider.receive_cheque(&cheque, signature_valid).is_err() {
			prop_assert_eq!(provider, before);
		}
	}
}
