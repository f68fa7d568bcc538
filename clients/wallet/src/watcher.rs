//! Applies each finalized block's channel events to the database, exactly once (the changes
//! and the new cursor in one transaction, through `warden-daemon`'s follower).
//!
//! A close the account must answer (a receiver holding a newer proof than the chain's) is
//! marked here; the defender submits the proof at the next best block. A SWAP peer whose
//! channel to the account starts closing (or settles) is no longer served.

use warden_client::{
	api::{self, runtime_types::pallet_warden_channels::pallet::Event as ChannelsEvent},
	AccountId32, BlockEvents,
};
use warden_daemon::store::Error;

use crate::db::{ChannelRecord, Phase, Role, Settled, Tx};

/// Applies one finalized block's events for account `me` and moves the cursor past it.
pub fn apply_block(tx: &Tx, block: &BlockEvents, me: &AccountId32) -> Result<(), Error> {
	let number = block.block.number;
	for record in &block.events {
		if let api::Event::Channels(event) = &record.event {
			apply_channels_event(tx, event, me, number)?;
		}
	}
	tx.set_cursor(number.saturating_add(1))
}

fn apply_channels_event(
	tx: &Tx,
	event: &ChannelsEvent,
	me: &AccountId32,
	number: u64,
) -> Result<(), Error> {
	match event {
		ChannelsEvent::ChannelOpened { channel, sender, receiver, deposit } => {
			let (role, counterparty) = if sender == me {
				(Role::Sender, receiver)
			} else if receiver == me {
				(Role::Receiver, sender)
			} else {
				return Ok(());
			};
			if tx.channel(*channel)?.is_some() {
				// A proof on it arrived (over the peer API) before this block was applied.
				return Ok(());
			}
			tracing::info!(channel, ?role, %counterparty, deposit, "channel opened");
			let record = ChannelRecord {
				role,
				counterparty: counterparty.to_string(),
				deposit: *deposit,
				phase: Phase::Open,
				chain_nonce: 0,
				chain_transferred: 0,
				newest: None,
				committed_nonce: 0,
			};
			tx.put_channel(*channel, &record)?;
		}
		ChannelsEvent::ChannelToppedUp { channel, deposit, .. } => {
			if let Some(mut record) = tx.channel(*channel)? {
				record.deposit = *deposit;
				tx.put_channel(*channel, &record)?;
			}
			for_swap_peer_paying_on(tx, *channel, |ledger| ledger.peer_topped_up(*deposit))?;
		}
		ChannelsEvent::ChannelCloseStarted { channel, nonce, transferred, settle_from, .. } => {
			stop_serving(tx, *channel)?;
			if let Some(mut record) = tx.channel(*channel)? {
				record.phase = Phase::Closing { settle_from: u64::from(*settle_from) };
				record.chain_nonce = *nonce;
				record.chain_transferred = *transferred;
				if record.needs_defence() {
					tracing::warn!(
						channel,
						chain_nonce = nonce,
						newest = record.newest.as_ref().map(|p| p.nonce),
						settle_from,
						"the channel is closing with an older state than ours: defending it"
					);
				} else {
					tracing::info!(channel, nonce, transferred, settle_from, "channel closing");
				}
				tx.put_channel(*channel, &record)?;
			}
		}
		ChannelsEvent::ChannelUpdated { channel, nonce, transferred } => {
			if let Some(mut record) = tx.channel(*channel)? {
				record.chain_nonce = *nonce;
				record.chain_transferred = *transferred;
				tracing::info!(channel, nonce, transferred, "channel updated on chain");
				tx.put_channel(*channel, &record)?;
			}
		}
		ChannelsEvent::ChannelSettled { channel, nonce, to_receiver, to_sender } => {
			stop_serving(tx, *channel)?;
			if let Some(record) = tx.channel(*channel)? {
				tracing::info!(channel, nonce, to_receiver, to_sender, "channel settled");
				let settled = Settled {
					role: record.role,
					nonce: *nonce,
					to_receiver: *to_receiver,
					to_sender: *to_sender,
					block: number,
				};
				tx.settle(*channel, &settled)?;
			}
		}
		_ => {}
	}
	Ok(())
}

/// Applies `change` to the SWAP ledger of the peer that pays the account on `channel`.
fn for_swap_peer_paying_on(
	tx: &Tx,
	channel: u64,
	change: impl FnOnce(&mut warden_swap::Ledger),
) -> Result<(), Error> {
	let paying =
		tx.ledgers()?.into_iter().find(|(_, l)| l.incoming().is_some_and(|c| c.id == channel));
	if let Some((peer, mut ledger)) = paying {
		change(&mut ledger);
		tx.put_ledger(&peer, &ledger)?;
	}
	Ok(())
}

/// The peer paying on `channel` is no longer served: its channel is closing.
fn stop_serving(tx: &Tx, channel: u64) -> Result<(), Error> {
	for_swap_peer_paying_on(tx, channel, |ledger| {
		if ledger.disconnected().is_none() {
			tracing::warn!(channel, "the SWAP peer's channel is closing: no longer serving it");
		}
		ledger.disconnect(warden_swap::Disconnect::ChannelClosing);
	})
}

#[cfg(test)]
mod tests {
	use warden_client::api::runtime_types::pallet_warden_channels::types::Closer;
	use warden_swap::{Channel, Disconnect, Handshake, Ledger, Settings, Thresholds};

	use super::*;
	use crate::db::Db;

	const PEER: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

	fn ledger_paying_on(channel: u64) -> Ledger {
		let thresholds = Thresholds { price_per_unit: 1, payment: 10, disconnect: 20 };
		let settings = Settings { thresholds, tolerance: 0, top_up_limit: 0 };
		let incoming = Channel { id: channel, deposit: 100, transferred: 0, nonce: 0 };
		Ledger::new(settings, &Handshake { thresholds, channel: Some(incoming) }, None)
			.expect("a ledger")
	}

	fn apply(db: &Db, event: ChannelsEvent) {
		let me = AccountId32([9; 32]);
		db.write(|tx| apply_channels_event(&Tx(tx.0), &event, &me, 5)).expect("applies");
	}

	#[test]
	fn a_swap_peer_is_not_served_once_its_channel_starts_closing() {
		let dir = tempfile::tempdir().expect("a directory");
		let db = Db::open(&dir.path().join("w.redb"), &[1; 32], &[9; 32]).expect("opens");
		db.write(|tx| tx.put_ledger(PEER, &ledger_paying_on(7))).expect("writes");

		// Another channel's close changes nothing; a top-up of the peer's raises its deposit.
		let closing = |channel| ChannelsEvent::ChannelCloseStarted {
			channel,
			closer: Closer::Sender,
			nonce: 0,
			transferred: 0,
			settle_from: 20,
		};
		apply(&db, closing(8));
		assert_eq!(db.ledger(PEER).unwrap().unwrap().disconnected(), None);
		apply(&db, ChannelsEvent::ChannelToppedUp { channel: 7, amount: 50, deposit: 150 });
		let ledger = db.ledger(PEER).unwrap().unwrap();
		assert_eq!(ledger.incoming().map(|c| c.deposit), Some(150));

		apply(&db, closing(7));
		let mut ledger = db.ledger(PEER).unwrap().unwrap();
		assert_eq!(ledger.disconnected(), Some(Disconnect::ChannelClosing));
		assert!(ledger.provide(1).is_err(), "no more service");
	}
}
