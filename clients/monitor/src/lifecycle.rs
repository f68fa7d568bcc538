//! The life of the monitor's update of one closing channel: what the actor does next, as
//! a pure function of what it holds and what the chain says ([`decide`]).
//!
//! ```text
//!             close seen (watcher)
//!                    │
//!                    ▼
//!   ┌──────────► Scheduled ──── chain holds ours or newer ──► StoodDown
//!   │                │   ├───── escrow short ────────────────► StoodDown
//!   │  before slot:  │   └───── window too near its end ─────► Failed
//!   └── WaitUntil ───┤
//!                    │ Send (recorded, then sent; mortal until the window's last block)
//!                    ▼
//!                Submitted ── included and final (watcher) ──► Accepted ──► Rewarded
//!                    │   └──── settled first (watcher) ──────► Failed
//!                    │
//!   still includable │ (account nonce not past it, chain not past its last block):
//!   Resend the same bytes, never a second transaction;
//!   no longer includable and the chain lacks ours: Send again while the window allows
//! ```
//!
//! The watcher moves records on finalized events (`Accepted`, `Superseded`, `Rewarded`,
//! `Failed` at settlement); the actor moves them on what it reads at the best block.

use crate::db::UpdateStatus;

/// Blocks after sending at which a sent update is looked at again if nothing happened.
pub const RECHECK_AFTER: u64 = 3;

/// The proof the monitor holds for the channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
	/// Its nonce.
	pub nonce: u64,
	/// The amount it pays the receiver.
	pub transferred: u128,
	/// The reward its authorization promises.
	pub reward: u128,
	/// Whether the authorization names this monitor (then it may act from the close on).
	pub named: bool,
}

/// The channel as the chain holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OnChain {
	/// The newest nonce the chain holds.
	pub nonce: u64,
	/// What that proof pays.
	pub transferred: u128,
	/// Its challenge window, if it is closing: closed at, and settled at (the window's last
	/// block is the one before).
	pub closing: Option<(u64, u64)>,
}

/// The update transaction recorded as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
	/// The account nonce it uses.
	pub account_nonce: u64,
	/// The last block it can be included in.
	pub last_block: u64,
}

/// Everything [`decide`] looks at, read at one best block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
	/// The best block it was read at.
	pub best: u64,
	/// The proof held.
	pub held: Held,
	/// Where the update record is.
	pub status: UpdateStatus,
	/// The update transaction last sent, if one is recorded.
	pub sent: Option<Sent>,
	/// The channel, or `None` if the chain has no such channel any more.
	pub channel: Option<OnChain>,
	/// The first block this monitor may update in (`MonitoringApi.first_allowed_block`),
	/// or `None` if it may not.
	pub first_allowed: Option<u64>,
	/// The channel's reward escrow.
	pub escrow: u128,
	/// The monitor account's nonce in the state of the best block.
	pub account_nonce: u64,
	/// Blocks before the window's end in which no update is sent any more.
	pub safety_margin: u64,
}

/// What the actor does next for the channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
	/// Nothing more for now: drop it from the schedule (the watcher schedules it again if
	/// the chain gives a reason).
	Unschedule,
	/// Don't send: the record becomes `StoodDown`, for this reason.
	StandDown(String),
	/// Too late: the record becomes `Failed`, for this reason.
	GiveUp(String),
	/// Look again at best block `at` (the one before the slot).
	WaitUntil {
		/// The best block to look again at.
		at: u64,
		/// The slot: the first block the update may be included in.
		slot: u64,
	},
	/// The transaction sent may still be included: send the same bytes again (harmless if
	/// the pool holds them) and look again at best block `recheck_at`.
	Resend {
		/// The best block to look again at.
		recheck_at: u64,
	},
	/// Sign a new transaction that can't be included after `last_block`, record it, send it
	/// and look again at best block `recheck_at`.
	Send {
		/// The last block the update may be included in.
		last_block: u64,
		/// The slot.
		slot: u64,
		/// The best block to look again at.
		recheck_at: u64,
	},
}

/// What to do next, given `view`.
pub fn decide(view: &View) -> Action {
	let View { best, held, status, sent, .. } = *view;
	// Settled, or not closing: nothing to do until the watcher sees a close.
	let Some(channel) = view.channel else { return Action::Unschedule };
	let Some((closed_at, settle_from)) = channel.closing else { return Action::Unschedule };
	// The chain already has what ours would bring: ours (then the watcher records it as
	// accepted) or someone else's.
	if channel.nonce >= held.nonce || channel.transferred >= held.transferred {
		return if status == UpdateStatus::Scheduled {
			Action::StandDown(format!(
				"the chain already holds nonce {} paying {}: ours (nonce {}) adds nothing",
				channel.nonce, channel.transferred, held.nonce
			))
		} else {
			Action::Unschedule
		};
	}
	if status.is_final() || status == UpdateStatus::Accepted {
		return Action::Unschedule;
	}
	// A transaction of ours that may still be included: never a second one beside it.
	if let Some(sent) = sent {
		if view.account_nonce <= sent.account_nonce && best < sent.last_block {
			return Action::Resend { recheck_at: best.saturating_add(1) };
		}
	}
	let slot = if held.named {
		// Named in the authorization: no race to arbitrate, act from the close on.
		closed_at
	} else {
		match view.first_allowed {
			Some(slot) => slot,
			None => return Action::Unschedule,
		}
	};
	// A transaction sent at `best` is in the next block at the earliest.
	let next = best.saturating_add(1);
	if next < slot {
		return Action::WaitUntil { at: slot.saturating_sub(1), slot };
	}
	let last_block = settle_from.saturating_sub(1);
	if next > last_block.saturating_sub(view.safety_margin) {
		return Action::GiveUp(format!(
			"the window ends before block {settle_from}: too late to send at best block {best}"
		));
	}
	// The receiver may have withdrawn the escrow since the proof was stored: the chain
	// would refuse the update and the monitor would only pay its fee.
	if view.escrow < held.reward {
		return Action::StandDown(format!(
			"the escrow holds {} planck, less than the reward {}: the update would be refused",
			view.escrow, held.reward
		));
	}
	Action::Send { last_block, slot, recheck_at: best.saturating_add(RECHECK_AFTER) }
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A channel closed at 100 that settles at 120, a proof of nonce 5 paying 500 with a
	/// reward of 10, this monitor's slot at 110, best block 109.
	fn view() -> View {
		View {
			best: 109,
			held: Held { nonce: 5, transferred: 500, reward: 10, named: false },
			status: UpdateStatus::Scheduled,
			sent: None,
			channel: Some(OnChain { nonce: 2, transferred: 200, closing: Some((100, 120)) }),
			first_allowed: Some(110),
			escrow: 10,
			account_nonce: 7,
			safety_margin: 2,
		}
	}

	fn with(f: impl FnOnce(&mut View)) -> View {
		let mut v = view();
		f(&mut v);
		v
	}

	#[test]
	fn in_its_slot_it_sends_an_update_that_dies_with_the_window() {
		assert_eq!(
			decide(&view()),
			Action::Send { last_block: 119, slot: 110, recheck_at: 109 + RECHECK_AFTER }
		);
	}

	#[test]
	fn before_its_slot_it_waits_for_the_block_before() {
		assert_eq!(decide(&with(|v| v.best = 101)), Action::WaitUntil { at: 109, slot: 110 });
	}

	#[test]
	fn a_named_monitor_acts_from_the_close() {
		let named = with(|v| {
			v.best = 100;
			v.held.named = true;
			v.first_allowed = None;
		});
		assert!(matches!(decide(&named), Action::Send { slot: 100, last_block: 119, .. }));
	}

	#[test]
	fn a_monitor_without_a_slot_does_nothing() {
		assert_eq!(decide(&with(|v| v.first_allowed = None)), Action::Unschedule);
	}

	#[test]
	fn a_settled_or_open_channel_is_left_to_the_watcher() {
		assert_eq!(decide(&with(|v| v.channel = None)), Action::Unschedule);
		assert_eq!(
			decide(&with(|v| v.channel.as_mut().unwrap().closing = None)),
			Action::Unschedule
		);
	}

	#[test]
	fn it_stands_down_when_the_chain_has_as_new_a_proof_or_as_much() {
		let newer = with(|v| v.channel.as_mut().unwrap().nonce = 5);
		assert!(matches!(decide(&newer), Action::StandDown(why) if why.contains("nonce 5")));
		let as_much = with(|v| v.channel.as_mut().unwrap().transferred = 500);
		assert!(matches!(decide(&as_much), Action::StandDown(_)));
		// Once sent, the chain holding it means ours landed: the watcher records it.
		let ours = with(|v| {
			v.status = UpdateStatus::Submitted;
			v.channel.as_mut().unwrap().nonce = 5;
		});
		assert_eq!(decide(&ours), Action::Unschedule);
	}

	#[test]
	fn it_stands_down_when_the_escrow_no_longer_covers_the_reward() {
		assert!(matches!(
			decide(&with(|v| v.escrow = 9)),
			Action::StandDown(why) if why.contains("escrow")
		));
	}

	#[test]
	fn it_gives_up_within_the_safety_margin_of_the_window_end() {
		// The window's last block is 119; with a margin of 2 the last send is at 116.
		assert!(matches!(decide(&with(|v| v.best = 116)), Action::Send { .. }));
		assert!(matches!(decide(&with(|v| v.best = 117)), Action::GiveUp(_)));
		assert!(matches!(decide(&with(|v| v.best = 130)), Action::Unschedule | Action::GiveUp(_)));
	}

	#[test]
	fn a_transaction_that_may_still_be_included_is_sent_again_never_a_second() {
		let sent = |account_nonce, last_block| {
			with(|v| {
				v.status = UpdateStatus::Submitted;
				v.best = 111;
				v.sent = Some(Sent { account_nonce: 7, last_block });
				v.account_nonce = account_nonce;
			})
		};
		// In the pool, or dropped from it: the account's nonce hasn't reached it.
		assert_eq!(decide(&sent(7, 119)), Action::Resend { recheck_at: 112 });
		// Even past the safety margin: the same bytes cost nothing more.
		let late = with(|v| {
			v.status = UpdateStatus::Submitted;
			v.best = 118;
			v.sent = Some(Sent { account_nonce: 7, last_block: 119 });
		});
		assert_eq!(decide(&late), Action::Resend { recheck_at: 119 });
		// Its nonce was used and the chain still lacks our proof (the transaction failed,
		// or another one took the nonce): a new one, while the window allows.
		assert!(matches!(decide(&sent(8, 119)), Action::Send { .. }));
		// Past its mortality it can never be included: a new one.
		assert!(matches!(decide(&sent(7, 111)), Action::Send { .. }));
	}

	#[test]
	fn final_records_are_left_alone() {
		for status in [
			UpdateStatus::Accepted,
			UpdateStatus::StoodDown,
			UpdateStatus::Superseded,
			UpdateStatus::Failed,
			UpdateStatus::Rewarded,
		] {
			assert_eq!(decide(&with(|v| v.status = status)), Action::Unschedule, "{status:?}");
		}
	}
}
