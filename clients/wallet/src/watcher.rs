//! Applies each finalized block's channel events to the database, exactly once (the changes
//! and the new cursor in one transaction, through `warden-daemon`'s follower).
//!
//! A close the account must answer (a receiver holding a newer proof than the chain's) is
//! marked here; the defender submits the proof at the next best block.

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
		}
		ChannelsEvent::ChannelCloseStarted { channel, nonce, transferred, settle_from, .. } => {
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
