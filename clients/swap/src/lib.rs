#![doc = include_str!("../README.md")]
// The code in these docs is indented with tabs, as the rest of the code.
#![allow(clippy::tabs_in_doc_comments)]

use serde::{Deserialize, Serialize};

/// An amount of the chain's token, in planck.
pub type Amount = u128;

/// Amounts in messages are decimal strings of planck (`"1500000000000"`), as everywhere in
/// Warden's JSON: JSON numbers lose precision past 2^53, and buffered serde formats don't
/// carry `u128`.
mod amount_text {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(amount: &u128, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(amount)
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
		let text = String::deserialize(deserializer)?;
		text.parse().map_err(serde::de::Error::custom)
	}
}

/// What a party stated for the units it provides and the debt it tolerates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
	/// The price of one unit this party provides.
	#[serde(with = "amount_text")]
	pub price_per_unit: Amount,
	/// The debt of a peer at which this party expects a cheque.
	#[serde(with = "amount_text")]
	pub payment: Amount,
	/// The debt of a peer past which this party stops serving it: above `payment`.
	#[serde(with = "amount_text")]
	pub disconnect: Amount,
}

impl Thresholds {
	/// Refuses thresholds a peer can't honour: a disconnect threshold not above the
	/// payment threshold, or a payment threshold below one unit's price (a cheque would be
	/// due before any unit is owed in full).
	pub fn check(&self) -> Result<(), Refusal> {
		if self.disconnect <= self.payment {
			return Err(Refusal::DisconnectNotAbovePayment);
		}
		if self.payment < self.price_per_unit || self.price_per_unit == 0 {
			return Err(Refusal::PaymentBelowPrice);
		}
		Ok(())
	}
}

/// A one-way payment channel as a party sees it: its on-chain id and deposit, and the
/// newest balance proof on it (the cumulative `transferred` at `nonce`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
	/// The channel's id on chain.
	pub id: u64,
	/// Its deposit.
	#[serde(with = "amount_text")]
	pub deposit: Amount,
	/// The newest proof's cumulative amount.
	#[serde(with = "amount_text")]
	pub transferred: Amount,
	/// The newest proof's nonce.
	pub nonce: u64,
}

impl Channel {
	/// What it can still pay.
	pub fn headroom(&self) -> Amount {
		self.deposit.saturating_sub(self.transferred)
	}
}

/// The first message each side sends: its thresholds and, if it will consume, the open
/// channel it pays on (checked against the chain by the caller).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handshake {
	/// The sender's thresholds.
	pub thresholds: Thresholds,
	/// The sender's open channel to the receiver, if it will consume.
	pub channel: Option<Channel>,
}

/// A cheque: the next cumulative balance proof on the payer's channel, with the payer's
/// view of the ledger so the payee can compare. The signature over the proof is checked by
/// the caller and its outcome passed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cheque {
	/// The payer's channel.
	pub channel: u64,
	/// The proof's nonce: above every earlier one.
	pub nonce: u64,
	/// The proof's cumulative amount.
	#[serde(with = "amount_text")]
	pub transferred: Amount,
	/// Units the payer consumed from the payee, as the payer counts them.
	pub consumed: u64,
	/// Units the payer provided to the payee, as the payer counts them.
	pub provided: u64,
}

/// Why a peer was disconnected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Disconnect {
	/// Its debt would have passed the disconnect threshold.
	Debt,
	/// Its count of units differs from ours by more than the tolerance.
	Disagreement,
	/// Its channel to us started closing.
	ChannelClosing,
	/// It said it stopped: its channel can't pay the next cheque.
	PeerStopped,
}

/// Why an operation was refused. Nothing changes on a refusal, except where it says the
/// peer is now disconnected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
	/// A disconnect threshold not above the payment threshold.
	DisconnectNotAbovePayment,
	/// A payment threshold below one unit's price, or a price of zero.
	PaymentBelowPrice,
	/// The channel shown can't cover our disconnect threshold.
	ChannelTooSmall,
	/// The peer has no channel to pay us on: we don't serve it.
	NoChannel,
	/// The peer is disconnected, for this reason.
	Disconnected(Disconnect),
	/// Serving would take the peer's debt past our disconnect threshold: it is now
	/// disconnected.
	DebtOverThreshold,
	/// The cheque's signature is not the payer's.
	BadSignature,
	/// The cheque is on another channel than the peer's.
	WrongChannel,
	/// The cheque's nonce is not above the newest one.
	StaleNonce,
	/// The cheque doesn't raise the cumulative amount.
	NotIncreasing,
	/// The cheque's amount is over the channel's deposit.
	OverDeposit,
	/// The cheque's units differ from ours by more than the tolerance: the peer is now
	/// disconnected.
	Disagreement,
	/// Nothing is owed at the payment threshold.
	NothingDue,
	/// The next cheque is over our channel's deposit: top it up by `by` first.
	TopUpNeeded {
		/// The least top-up that covers the cheque.
		by: Amount,
	},
	/// The next cheque is over our channel's deposit and the top-up limit: we stop
	/// consuming and tell the peer.
	Exhausted,
	/// We have no channel to the peer: open one first.
	NoOutgoingChannel,
}

/// Our side's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
	/// What we state in the handshake.
	pub thresholds: Thresholds,
	/// How many units a peer's count may differ from ours before we disconnect.
	pub tolerance: u64,
	/// The most our outgoing channel's deposit may reach through top-ups.
	#[serde(with = "amount_text")]
	pub top_up_limit: Amount,
}

/// The SWAP ledger with one peer, from our side: what each provided to the other, the
/// newest cheque each way, and whether we still serve it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
	ours: Settings,
	theirs: Thresholds,
	/// Units we provided to the peer.
	provided: u64,
	/// Units the peer provided to us.
	consumed: u64,
	/// The peer's channel to us, with the newest cheque on it.
	incoming: Option<Channel>,
	/// The cumulative amount on `incoming` when the ledger began.
	incoming_base: Amount,
	/// Our channel to the peer, with the newest cheque we issued.
	outgoing: Option<Channel>,
	/// The cumulative amount on `outgoing` when it joined the ledger.
	outgoing_base: Amount,
	/// Why the peer is disconnected, if it is.
	disconnected: Option<Disconnect>,
	/// Whether we stopped consuming: our channel can't pay the next cheque.
	exhausted: bool,
}

/// Saturating conversion of an amount to a signed one.
fn signed(amount: Amount) -> i128 {
	i128::try_from(amount).unwrap_or(i128::MAX)
}

/// `price × units`, saturating.
fn value(price: Amount, units: u64) -> Amount {
	price.saturating_mul(Amount::from(units))
}

impl Ledger {
	/// A ledger after the handshake: our settings, the peer's handshake, and our channel to
	/// it if we have one. Refused if either side's thresholds are unsound, or if the channel
	/// the peer shows can't cover our disconnect threshold.
	pub fn new(
		ours: Settings,
		theirs: &Handshake,
		outgoing: Option<Channel>,
	) -> Result<Self, Refusal> {
		ours.thresholds.check()?;
		theirs.thresholds.check()?;
		if let Some(channel) = theirs.channel {
			if channel.headroom() < ours.thresholds.disconnect {
				return Err(Refusal::ChannelTooSmall);
			}
		}
		Ok(Self {
			ours,
			theirs: theirs.thresholds,
			provided: 0,
			consumed: 0,
			incoming: theirs.channel,
			incoming_base: theirs.channel.map_or(0, |c| c.transferred),
			outgoing,
			outgoing_base: outgoing.map_or(0, |c| c.transferred),
			disconnected: None,
			exhausted: false,
		})
	}

	/// What the peer owes us, net of both directions: positive if it owes us, negative if
	/// we owe it.
	pub fn balance(&self) -> i128 {
		let earned = signed(value(self.ours.thresholds.price_per_unit, self.provided));
		let spent = signed(value(self.theirs.price_per_unit, self.consumed));
		let received = signed(self.received());
		let paid = signed(self.paid());
		earned.saturating_sub(received).saturating_sub(spent).saturating_add(paid)
	}

	/// What the peer paid us in cheques since the ledger began.
	pub fn received(&self) -> Amount {
		self.incoming.map_or(0, |c| c.transferred.saturating_sub(self.incoming_base))
	}

	/// What we paid the peer in cheques since the ledger began.
	pub fn paid(&self) -> Amount {
		self.outgoing.map_or(0, |c| c.transferred.saturating_sub(self.outgoing_base))
	}

	/// What the peer stated in its handshake.
	pub fn their_thresholds(&self) -> Thresholds {
		self.theirs
	}

	/// Units we provided to the peer.
	pub fn provided(&self) -> u64 {
		self.provided
	}

	/// Units the peer provided to us.
	pub fn consumed(&self) -> u64 {
		self.consumed
	}

	/// Why we no longer serve the peer, if we don't.
	pub fn disconnected(&self) -> Option<Disconnect> {
		self.disconnected
	}

	/// Whether we stopped consuming because our channel can't pay.
	pub fn exhausted(&self) -> bool {
		self.exhausted
	}

	/// The peer's channel to us.
	pub fn incoming(&self) -> Option<Channel> {
		self.incoming
	}

	/// Our channel to the peer.
	pub fn outgoing(&self) -> Option<Channel> {
		self.outgoing
	}

	/// Records `units` we are about to provide: refused if the peer is disconnected, has no
	/// channel, or would then owe more than our disconnect threshold (it is disconnected).
	pub fn provide(&mut self, units: u64) -> Result<(), Refusal> {
		if let Some(why) = self.disconnected {
			return Err(Refusal::Disconnected(why));
		}
		if self.incoming.is_none() {
			return Err(Refusal::NoChannel);
		}
		let after = self
			.balance()
			.saturating_add(signed(value(self.ours.thresholds.price_per_unit, units)));
		if after > signed(self.ours.thresholds.disconnect) {
			self.disconnected = Some(Disconnect::Debt);
			return Err(Refusal::DebtOverThreshold);
		}
		self.provided = self.provided.saturating_add(units);
		Ok(())
	}

	/// Records `units` the peer provided to us. Returns whether a cheque is due.
	pub fn consume(&mut self, units: u64) -> bool {
		self.consumed = self.consumed.saturating_add(units);
		self.cheque_due()
	}

	/// Whether we owe the peer its payment threshold or more.
	pub fn cheque_due(&self) -> bool {
		self.balance() <= signed(self.theirs.payment).saturating_neg()
	}

	/// The next cheque, bringing what we owe back to zero: the next cumulative proof on our
	/// channel at nonce `nonce` (above the newest; gaps are fine). The ledger counts it as
	/// paid at once: the caller commits the ledger before the signed cheque leaves.
	/// Refused if nothing is due, or if our channel can't pay it (a top-up within the limit
	/// is asked for, or else we stop consuming).
	pub fn issue_cheque(&mut self, nonce: u64) -> Result<Cheque, Refusal> {
		if !self.cheque_due() {
			return Err(Refusal::NothingDue);
		}
		let Some(mut channel) = self.outgoing else { return Err(Refusal::NoOutgoingChannel) };
		let owed = Amount::try_from(self.balance().saturating_neg()).unwrap_or(0);
		let transferred = channel.transferred.saturating_add(owed);
		if transferred > channel.deposit {
			let by = transferred.saturating_sub(channel.deposit);
			if channel.deposit.saturating_add(by) <= self.ours.top_up_limit {
				return Err(Refusal::TopUpNeeded { by });
			}
			self.exhausted = true;
			return Err(Refusal::Exhausted);
		}
		if nonce <= channel.nonce {
			return Err(Refusal::StaleNonce);
		}
		channel.transferred = transferred;
		channel.nonce = nonce;
		self.outgoing = Some(channel);
		Ok(Cheque {
			channel: channel.id,
			nonce,
			transferred,
			consumed: self.consumed,
			provided: self.provided,
		})
	}

	/// Our channel was topped up to `deposit` (or opened, when we had none).
	pub fn topped_up(&mut self, channel: Channel) {
		match &mut self.outgoing {
			Some(ours) if ours.id == channel.id => ours.deposit = channel.deposit,
			_ => {
				self.outgoing_base = channel.transferred;
				self.outgoing = Some(channel);
			}
		}
		self.exhausted = false;
	}

	/// A cheque from the peer, whose signature the caller checked (`signature_valid`).
	/// Returns what it credits us. Refused if it isn't the peer's newest valid proof on its
	/// channel to us; if its count of units differs from ours by more than our tolerance
	/// the payment is still taken (the proof is good) but the peer is disconnected.
	pub fn receive_cheque(
		&mut self,
		cheque: &Cheque,
		signature_valid: bool,
	) -> Result<Amount, Refusal> {
		if !signature_valid {
			return Err(Refusal::BadSignature);
		}
		let Some(mut channel) = self.incoming else { return Err(Refusal::NoChannel) };
		if cheque.channel != channel.id {
			return Err(Refusal::WrongChannel);
		}
		if cheque.nonce <= channel.nonce {
			return Err(Refusal::StaleNonce);
		}
		if cheque.transferred <= channel.transferred {
			return Err(Refusal::NotIncreasing);
		}
		if cheque.transferred > channel.deposit {
			return Err(Refusal::OverDeposit);
		}
		let credited = cheque.transferred.saturating_sub(channel.transferred);
		channel.transferred = cheque.transferred;
		channel.nonce = cheque.nonce;
		self.incoming = Some(channel);
		let off = |theirs: u64, ours: u64| theirs.abs_diff(ours) > self.ours.tolerance;
		if off(cheque.consumed, self.provided) || off(cheque.provided, self.consumed) {
			self.disconnected = Some(Disconnect::Disagreement);
			return Err(Refusal::Disagreement);
		}
		Ok(credited)
	}

	/// The peer's channel to us was topped up to `deposit`.
	pub fn peer_topped_up(&mut self, deposit: Amount) {
		if let Some(channel) = &mut self.incoming {
			channel.deposit = channel.deposit.max(deposit);
		}
	}

	/// The peer's channel to us started closing, or the peer told us it stopped: we stop
	/// serving it.
	pub fn disconnect(&mut self, why: Disconnect) {
		self.disconnected.get_or_insert(why);
	}
}

#[cfg(test)]
mod tests;
