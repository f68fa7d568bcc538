//! `warden channel …` and `warden wallet …`: every command is a JSON-RPC call to the
//! account's `wardend`, which holds the key, signs the proofs and watches the chain. No
//! command here signs anything itself, so a channel is never opened without a watcher and
//! a nonce is never reused.

use serde_json::{json, Value as Json};
use warden_client::{wallet::Wallet, Error};

use crate::{
	args::{ChannelCmd, EscrowCmd, SwapCmd, WalletCmd},
	commands::Context,
};

/// The daemon `ctx` names; refused if a key was given, since the daemon holds it.
fn daemon(ctx: &Context) -> Result<Wallet, Error> {
	let global = ctx.global();
	if global.suri.is_some() || global.key_file.is_some() {
		return Err(Error::Input(
			"wardend holds the key for channel commands: drop --suri/--key-file (and \
			 WARDEN_SURI), and start `wardend --suri …` instead"
				.into(),
		));
	}
	let token_file =
		global.wallet_token_file.clone().unwrap_or_else(warden_client::wallet::default_token_file);
	Wallet::new(&global.wallet, &token_file)
}

fn planck(amount: u128) -> String {
	format!("{amount}planck")
}

/// Reads a proof given as JSON text, `@file` or `-` (stdin).
fn proof_json(text: &str) -> Result<Json, Error> {
	let text = match text {
		"-" => std::io::read_to_string(std::io::stdin())
			.map_err(|e| Error::Input(format!("can't read the proof from stdin: {e}")))?,
		file if file.starts_with('@') => std::fs::read_to_string(&file[1..])
			.map_err(|e| Error::Input(format!("can't read {}: {e}", &file[1..])))?,
		json => json.to_string(),
	};
	let value: Json = serde_json::from_str(&text)
		.map_err(|e| Error::Input(format!("the proof is not JSON: {e}")))?;
	// `warden channel pay` prints {"channel", "proof"}: take either it or the proof.
	Ok(value.get("proof").cloned().unwrap_or(value))
}

/// Runs a `warden channel` command.
pub async fn channel(cmd: ChannelCmd, ctx: &mut Context) -> Result<(), Error> {
	let wallet = daemon(ctx)?;
	let (method, params) = match cmd {
		ChannelCmd::Open { receiver, deposit, peer } => (
			"channel_open",
			json!({"receiver": receiver.to_string(), "deposit": planck(deposit), "peer": peer}),
		),
		ChannelCmd::TopUp { channel, amount } => {
			("channel_topUp", json!({"channel": channel, "amount": planck(amount)}))
		}
		ChannelCmd::Pay { channel, amount } => {
			("channel_pay", json!({"channel": channel, "amount": planck(amount)}))
		}
		ChannelCmd::Receive { proof } => ("channel_receive", json!({"proof": proof_json(&proof)?})),
		ChannelCmd::Close { channel } => ("channel_close", json!({"channel": channel})),
		ChannelCmd::Update { channel } => ("channel_update", json!({"channel": channel})),
		ChannelCmd::CooperativeClose { channel } => {
			("channel_cooperativeClose", json!({"channel": channel}))
		}
		ChannelCmd::Settle { channel } => ("channel_settle", json!({"channel": channel})),
		ChannelCmd::HandOff { channel, monitors, reward, max_reward } => (
			"monitor_handOff",
			json!({
				"channel": channel,
				"monitors": monitors.iter().map(ToString::to_string).collect::<Vec<_>>(),
				"reward": reward.map(planck),
				"max_reward": max_reward.map(planck),
			}),
		),
		ChannelCmd::List => ("channel_list", json!({})),
		ChannelCmd::Show { channel } => ("channel_show", json!({"channel": channel})),
	};
	let result = wallet.call(method, params).await?;
	ctx.out().value(&result);
	Ok(())
}

/// Runs a `warden escrow` command.
pub async fn escrow(cmd: EscrowCmd, ctx: &mut Context) -> Result<(), Error> {
	let wallet = daemon(ctx)?;
	let (method, channel, amount) = match cmd {
		EscrowCmd::Fund { channel, amount } => ("escrow_fund", channel, amount),
		EscrowCmd::Withdraw { channel, amount } => ("escrow_withdraw", channel, amount),
	};
	let result = wallet.call(method, json!({"channel": channel, "amount": planck(amount)})).await?;
	ctx.out().value(&result);
	Ok(())
}

/// Runs a `warden wallet` command.
pub async fn wallet(cmd: WalletCmd, ctx: &mut Context) -> Result<(), Error> {
	let wallet = daemon(ctx)?;
	let method = match cmd {
		WalletCmd::Status => "daemon_status",
		WalletCmd::Shutdown => "daemon_shutdown",
	};
	let result = wallet.call(method, json!({})).await?;
	ctx.out().value(&result);
	Ok(())
}

/// Runs a `warden swap` command.
pub async fn swap(cmd: SwapCmd, ctx: &mut Context) -> Result<(), Error> {
	let wallet = daemon(ctx)?;
	let (method, params) = match cmd {
		SwapCmd::Connect { peer, url, deposit, max_price } => (
			"swap_connect",
			json!({
				"peer": peer.to_string(),
				"url": url,
				"deposit": deposit.map(planck),
				"max_price": max_price.map(planck),
			}),
		),
		SwapCmd::Record { peer, provided, consumed } => (
			"swap_record",
			json!({"peer": peer.to_string(), "provided": provided, "consumed": consumed}),
		),
		SwapCmd::List => ("swap_list", json!({})),
		SwapCmd::Show { peer } => ("swap_show", json!({"peer": peer.to_string()})),
	};
	let result = wallet.call(method, params).await?;
	ctx.out().value(&result);
	Ok(())
}
