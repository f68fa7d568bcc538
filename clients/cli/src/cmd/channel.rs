//! `warden channel …`, `warden escrow …`, `warden swap …` and `warden wallet …`: every
//! command is a JSON-RPC call to the account's `wardend`, which holds the key, signs the
//! proofs and watches the chain. No command here signs anything itself, so a channel is
//! never opened without a watcher and a nonce is never reused.

use clap::Subcommand;
use serde_json::{json, Value as Json};
use warden_client::{wallet::Wallet, AccountId32, Error};

use crate::{
	context::Context,
	parse::{parse_account, parse_amount},
};

/// `warden channel`: every command goes through `wardend` (`--wallet`), which holds the key.
#[derive(Debug, Subcommand)]
pub enum ChannelCmd {
	/// Opens a channel to `receiver`, holding `deposit` from the account.
	Open {
		/// Who is paid.
		#[arg(value_parser = parse_account)]
		receiver: AccountId32,
		/// The deposit.
		#[arg(value_parser = parse_amount)]
		deposit: u128,
		/// The receiver's wardend peer API (`http://host:port`): each payment's proof is
		/// delivered there, and a cooperative close asks it to co-sign.
		#[arg(long)]
		peer: Option<String>,
	},
	/// Adds to a channel's deposit (its sender).
	TopUp {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Pays `amount` more: prints the next balance proof (JSON) to hand to the receiver.
	Pay {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Takes a balance proof from the sender (its JSON, `@file`, or `-` for stdin).
	Receive {
		/// The proof.
		proof: String,
	},
	/// Starts closing: a receiver with its newest proof, a sender admitting nothing (the
	/// receiver's wardend answers with hers).
	Close {
		/// The channel.
		channel: u64,
	},
	/// Submits the newest proof now (wardend does so by itself when a close needs it).
	Update {
		/// The channel.
		channel: u64,
	},
	/// Settles at once with the newest proof, co-signed by the receiver (its wardend, over
	/// the peer API, when the sender asks).
	CooperativeClose {
		/// The channel.
		channel: u64,
	},
	/// Settles a channel whose challenge window has ended.
	Settle {
		/// The channel.
		channel: u64,
	},
	/// Hands the newest proof of the account's channels (or one) to monitors, which defend
	/// it while the account is away: funds the escrow to cover the largest reward and sends
	/// each monitor a reward authorization naming it (at least its own minimum reward).
	HandOff {
		/// Only this channel.
		#[arg(long)]
		channel: Option<u64>,
		/// Only these monitors (repeat the flag); every registered one otherwise.
		#[arg(long = "monitor", value_parser = parse_account)]
		monitors: Vec<AccountId32>,
		/// The least reward to offer each monitor.
		#[arg(long, value_parser = parse_amount)]
		reward: Option<u128>,
		/// The most reward to offer (wardend's `--max-reward` by default): a monitor asking
		/// more is passed over.
		#[arg(long, value_parser = parse_amount)]
		max_reward: Option<u128>,
	},
	/// The account's open and closing channels.
	List,
	/// A channel: its deposit, newest proof and phase, or how it settled.
	Show {
		/// The channel.
		channel: u64,
	},
}

/// `warden escrow`: a channel's monitoring escrow, through `wardend`.
#[derive(Debug, Subcommand)]
pub enum EscrowCmd {
	/// Adds to the escrow monitors' rewards are paid from.
	Fund {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Takes from the escrow (the funder, while no reward is owed).
	Withdraw {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
}

/// `warden swap`: SWAP accounting through `wardend`.
#[derive(Debug, Subcommand)]
pub enum SwapCmd {
	/// Starts paying `peer` for its service: opens a channel to it if there is none, and
	/// exchanges thresholds with its wardend.
	Connect {
		/// The provider's account.
		#[arg(value_parser = parse_account)]
		peer: AccountId32,
		/// Its wardend peer API (`http://host:port`).
		url: String,
		/// The deposit of a new channel (wardend's `--swap-deposit` by default).
		#[arg(long, value_parser = parse_amount)]
		deposit: Option<u128>,
		/// The most the peer may ask per unit: a dearer peer is refused.
		#[arg(long, value_parser = parse_amount)]
		max_price: Option<u128>,
	},
	/// Records units of service: provided to `peer` (refused, and the peer disconnected,
	/// past its disconnect threshold), or consumed from it (a cheque is paid at its payment
	/// threshold).
	Record {
		/// The peer.
		#[arg(value_parser = parse_account)]
		peer: AccountId32,
		/// Units provided to the peer.
		#[arg(long, default_value_t = 0)]
		provided: u64,
		/// Units consumed from the peer.
		#[arg(long, default_value_t = 0)]
		consumed: u64,
	},
	/// Every SWAP ledger.
	List,
	/// The ledger with `peer`: units each way, cheques each way, the balance.
	Show {
		/// The peer.
		#[arg(value_parser = parse_account)]
		peer: AccountId32,
	},
}

/// `warden wallet`.
#[derive(Debug, Subcommand)]
pub enum WalletCmd {
	/// The daemon's account, heads, the watcher's lag and channels.
	Status,
	/// Stops the daemon.
	Shutdown,
}

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
