//! `warden monitor` and `warden claim-reward`: the monitor registry, slots, and rewards
//! paid from a settled channel's escrow.

use clap::Subcommand;
use serde_json::{json, Value as Json};
use warden_client::{api, AccountId32, Error};

use crate::{
	context::{bytes, Context},
	output::as_text,
	parse::{parse_account, parse_amount},
};

/// `warden monitor`.
#[derive(Debug, Subcommand)]
pub enum MonitorCmd {
	/// Registers the key as a monitor, holding a deposit, with its public API's URL.
	Register {
		/// The deposit (at least the minimum).
		#[arg(value_parser = parse_amount)]
		deposit: u128,
		/// Where its public API listens.
		#[arg(long)]
		endpoint: String,
		/// If the key is a registered monitor already, print its record and exit 0 without a
		/// transaction (for scripts that retry).
		#[arg(long)]
		if_needed: bool,
	},
	/// Renews the registration, optionally adding to the deposit.
	Renew {
		/// What to add to the deposit.
		#[arg(default_value = "0", value_parser = parse_amount)]
		top_up: u128,
	},
	/// Unregisters: stops at once; the deposit is released after the unregister delay.
	Unregister,
	/// Releases the deposit once the unregister delay passed.
	Release,
	/// Changes the monitor's endpoint.
	SetEndpoint {
		/// Where its public API listens.
		endpoint: String,
	},
	/// The first block a monitor may act in for a closing channel.
	Slot {
		/// The channel.
		channel: u64,
		/// The monitor (the key's if none is given).
		#[arg(value_parser = parse_account)]
		monitor: Option<AccountId32>,
	},
	/// A monitor (the key's if none is given).
	Show {
		/// The monitor.
		#[arg(value_parser = parse_account)]
		monitor: Option<AccountId32>,
	},
	/// Registered monitors, page by page.
	List {
		/// Start after this monitor.
		#[arg(long, value_parser = parse_account)]
		after: Option<AccountId32>,
		/// The most to list.
		#[arg(long, default_value_t = 100)]
		max: u32,
	},
}

/// Runs `cmd`.
pub async fn run(cmd: MonitorCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().monitoring();
	match cmd {
		MonitorCmd::Register { deposit, endpoint, if_needed } => {
			if if_needed {
				let who = ctx.who(None)?;
				let found =
					ctx.read_value(api::runtime_apis().monitoring_api().monitor(who)).await?;
				if !found.is_null() {
					ctx.out().value(&with_text_endpoint(found));
					return Ok(());
				}
			}
			ctx.submit(
				"monitor register",
				tx.register_monitor(deposit, bytes(endpoint.into_bytes())),
			)
			.await
		}
		MonitorCmd::Renew { top_up } => ctx.submit("monitor renew", tx.renew_monitor(top_up)).await,
		MonitorCmd::Unregister => ctx.submit("monitor unregister", tx.unregister_monitor()).await,
		MonitorCmd::Release => ctx.submit("monitor release", tx.release_monitor_deposit()).await,
		MonitorCmd::SetEndpoint { endpoint } => {
			ctx.submit("monitor set-endpoint", tx.set_endpoint(bytes(endpoint.into_bytes()))).await
		}
		MonitorCmd::Slot { channel, monitor } => {
			let who = ctx.who(monitor)?;
			let slot = ctx
				.read_value(api::runtime_apis().monitoring_api().first_allowed_block(channel, who))
				.await?;
			ctx.out().value(
				&json!({ "channel": channel, "monitor": who.to_string(), "first_allowed_block": slot }),
			);
			Ok(())
		}
		MonitorCmd::Show { monitor } => {
			let who = ctx.who(monitor)?;
			let value = ctx.read_value(api::runtime_apis().monitoring_api().monitor(who)).await?;
			let value = with_text_endpoint(value);
			ctx.out().maybe(&value, "not a registered monitor");
			Ok(())
		}
		MonitorCmd::List { after, max } => {
			let list =
				ctx.read_value(api::runtime_apis().monitoring_api().monitors(after, max)).await?;
			let list: Vec<Json> = list
				.as_array()
				.cloned()
				.unwrap_or_default()
				.into_iter()
				.map(|entry| match entry {
					Json::Array(pair) if pair.len() == 2 => json!({
						"monitor": pair[0],
						"info": with_text_endpoint(pair[1].clone()),
					}),
					other => other,
				})
				.collect();
			ctx.out().value(&Json::Array(list));
			Ok(())
		}
	}
}

/// A monitor record with its endpoint as text rather than hex bytes.
fn with_text_endpoint(mut value: Json) -> Json {
	as_text(&mut value, "/endpoint");
	value
}

/// Pays a settled channel's escrow (anyone may). A channel with no escrow, or one not
/// settled yet, is refused before anything is sent.
pub async fn claim_reward(channel: u64, ctx: &mut Context) -> Result<(), Error> {
	let at = ctx.client().await?.at_best().await?;
	let escrow = at
		.storage()
		.try_fetch(api::storage().monitoring().escrows(), (channel,))
		.await
		.map_err(Error::rpc)?;
	let escrow = match escrow {
		Some(escrow) => escrow.decode().map_err(Error::rpc)?,
		None => {
			return Err(Error::NotSent(format!(
				"channel {channel} has no monitoring escrow, so nothing to claim \
				 (Monitoring::NoEscrow)"
			)))
		}
	};
	if escrow.settled_nonce.is_none() {
		return Err(Error::NotSent(format!(
			"channel {channel} has not settled: its escrow pays out once it has \
			 (Monitoring::NotSettled)"
		)));
	}
	ctx.submit("claim-reward", api::tx().monitoring().claim_reward(channel)).await
}
