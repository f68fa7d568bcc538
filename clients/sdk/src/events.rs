//! Events: decoded both as the typed [`api::Event`] and as JSON, and a stream of finalized
//! blocks' events that resumes from any block number.

use serde_json::Value as Json;
use subxt::{
	events::Phase,
	ext::scale_value::{Composite, Value, ValueDef},
};

use crate::{
	api,
	client::AtBlock,
	json::{to_display_json, to_json, Types},
	BlockId, Client, Error, WardenConfig,
};

/// One event.
#[derive(Clone, Debug)]
pub struct EventRecord {
	/// The pallet that emitted it, e.g. `Services`.
	pub pallet: String,
	/// Its name, e.g. `ServiceActivated`.
	pub name: String,
	/// Its fields as JSON (see [`crate::json`]).
	pub fields: Json,
	/// Its fields for a person to read (see [`crate::json::to_display_json`]): made for the
	/// events of a transaction [`crate::Client::submit`] sent, `None` for the events of
	/// followed blocks, which only programs read.
	pub display: Option<Json>,
	/// The event, typed.
	pub event: api::Event,
	/// The extrinsic that emitted it (its index in the block), if any.
	pub extrinsic: Option<u32>,
}

/// Decodes a subxt event, with the metadata of its block; with its fields for a person too
/// when `display`.
pub(crate) fn record_of(
	event: &subxt::events::Event<'_, WardenConfig>,
	metadata: &subxt::Metadata,
	display: bool,
) -> Result<EventRecord, Error> {
	// The event as the runtime's outer event enum: pallet, then event, then fields.
	let mut bytes = vec![event.pallet_index(), event.event_index()];
	bytes.extend_from_slice(event.field_bytes());
	let types = metadata.types();
	let root = subxt::ext::scale_value::scale::decode_as_type(
		&mut &bytes[..],
		metadata.outer_enums().event_enum_ty(),
		types,
	)
	.map_err(Error::rpc)?;
	let fields_as = |convert: fn(&Value<u32>, &Types) -> Json| match &root.value {
		ValueDef::Variant(pallet) => match pallet.values.values().next().map(|v| &v.value) {
			Some(ValueDef::Variant(inner)) => match &inner.values {
				Composite::Named(fields) => Json::Object(
					fields
						.iter()
						.map(|(name, value)| (name.clone(), convert(value, types)))
						.collect(),
				),
				Composite::Unnamed(values) => {
					Json::Array(values.iter().map(|value| convert(value, types)).collect())
				}
			},
			_ => Json::Null,
		},
		_ => Json::Null,
	};
	Ok(EventRecord {
		pallet: event.pallet_name().to_string(),
		name: event.event_name().to_string(),
		fields: fields_as(to_json),
		display: display.then(|| fields_as(to_display_json)),
		event: event.decode_as::<api::Event>().map_err(Error::rpc)?,
		extrinsic: match event.phase() {
			Phase::ApplyExtrinsic(index) => Some(index),
			_ => None,
		},
	})
}

/// The events of one finalized block.
#[derive(Clone, Debug)]
pub struct BlockEvents {
	/// The block.
	pub block: BlockId,
	/// Its events, in order.
	pub events: Vec<EventRecord>,
}

/// The events of every finalized block from a given number on, in order, each block
/// exactly once. Blocks already finalized when it starts are read back one by one (the
/// node must still have their state), then it follows the node's finalized blocks.
pub struct FinalizedEvents {
	client: Client,
	next: u64,
	blocks: subxt::client::Blocks<WardenConfig>,
}

impl FinalizedEvents {
	/// Starts at block `from`.
	pub async fn from(client: &Client, from: u64) -> Result<Self, Error> {
		// Subscribe first, so no block between the read-back and the subscription is missed.
		let blocks = client.subxt().stream_blocks().await.map_err(Error::rpc)?;
		Ok(Self { client: client.clone(), next: from, blocks })
	}

	/// The number of the next block it yields.
	pub fn next_number(&self) -> u64 {
		self.next
	}

	/// The next finalized block's events: waits for it if it isn't finalized yet.
	pub async fn next(&mut self) -> Result<BlockEvents, Error> {
		loop {
			let finalized = self.client.at_finalized().await?.block_number();
			if self.next <= finalized {
				let at = self.client.at_number(self.next).await?;
				let events = block_events(&at).await?;
				self.next += 1;
				return Ok(events);
			}
			// Wait for the next finalized block, then read from the number we need.
			match self.blocks.next().await {
				Some(Ok(_)) => continue,
				Some(Err(e)) => return Err(Error::rpc(e)),
				None => return Err(Error::Rpc("the finalized block stream ended".into())),
			}
		}
	}
}

/// The events of the block `at`.
pub async fn block_events(at: &AtBlock) -> Result<BlockEvents, Error> {
	let events = at.events().fetch().await.map_err(Error::rpc)?;
	let metadata = at.metadata();
	let events = events
		.iter()
		.map(|event| {
			event.map_err(Error::rpc).and_then(|event| record_of(&event, &metadata, false))
		})
		.collect::<Result<Vec<_>, _>>()?;
	let block = BlockId { number: at.block_number(), hash: at.block_hash() };
	Ok(BlockEvents { block, events })
}
