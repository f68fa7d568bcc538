//! The commands, one module per domain: each holds its clap commands and runs them.

pub mod account;
pub mod blueprint;
pub mod chain;
pub mod channel;
pub mod committee;
pub mod delegation;
pub mod monitor;
pub mod operator;
pub mod params;
pub mod registration;
pub mod rewards;
pub mod service;
pub mod slash;
pub mod validator;

use clap::Subcommand;
use warden_client::{AccountId32, Error};

use crate::{
	context::Context,
	parse::{parse_account, parse_amount},
};

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// The chain: head, finalized block, era and parameters.
	#[command(subcommand)]
	Chain(chain::ChainCmd),
	/// The free, reserved and held balance of an account (the key's if none is given).
	Balance {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Transfers an amount, keeping the sender alive.
	Transfer {
		/// The recipient.
		#[arg(value_parser = parse_account)]
		to: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// The account of the signing key.
	Account,
	/// Operators: bond, lifecycle and exit.
	#[command(subcommand)]
	Operator(operator::OperatorCmd),
	/// Delegates an amount to an Active operator.
	Delegate(delegation::DelegateArgs),
	/// Takes delegated stake out through unbonding.
	#[command(subcommand)]
	Undelegate(delegation::UndelegateCmd),
	/// The delegations of an account (the key's if none is given).
	Delegations {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Blueprints: the services operators offer.
	#[command(subcommand)]
	Blueprint(blueprint::BlueprintCmd),
	/// An operator's registration for a blueprint.
	#[command(subcommand)]
	Registration(registration::RegistrationCmd),
	/// Service requests and services: request, approve, call jobs, answer, heartbeat.
	#[command(subcommand)]
	Service(service::ServiceCmd),
	/// Reports an operator of a service for misbehaviour (a pending slash).
	Report(service::ReportArgs),
	/// Reports an operator of a service for missed heartbeats (anyone may).
	ReportMissedHeartbeats {
		/// The service.
		service: u64,
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
	},
	/// Pending slashes: list, dispute, veto through the committee, apply.
	#[command(subcommand)]
	Slash(slash::SlashCmd),
	/// Era rewards: pending, claim, commission.
	#[command(subcommand)]
	Rewards(rewards::RewardsCmd),
	/// The rewards pot.
	#[command(subcommand)]
	Pot(rewards::PotCmd),
	/// Blueprints whose work earns rewards (sudo).
	#[command(subcommand)]
	Incentive(rewards::IncentiveCmd),
	/// Monitors: registry, endpoint, slots.
	#[command(subcommand)]
	Monitor(monitor::MonitorCmd),
	/// Pays a settled channel's escrow: the reward to the monitor whose update stood, the
	/// rest to the funder. Anyone may call it.
	ClaimReward {
		/// The channel.
		channel: u64,
	},
	/// The runtime parameters of each pallet: show them, or set them through sudo.
	#[command(subcommand)]
	Params(params::ParamsCmd),
	/// Slashing-committee motions: propose a veto, vote, close.
	#[command(subcommand)]
	Committee(committee::CommitteeCmd),
	/// The validator set and session keys: show the set, rotate keys, add and remove
	/// validators (sudo or a committee motion).
	#[command(subcommand)]
	Validator(validator::ValidatorCmd),
	/// Payment channels, through the account's `wardend` (which signs, watches and defends
	/// them): open, pay, receive, close, settle.
	#[command(subcommand)]
	Channel(channel::ChannelCmd),
	/// A channel's monitoring escrow, through the account's `wardend`.
	#[command(subcommand)]
	Escrow(channel::EscrowCmd),
	/// The account's `wardend`: its status, or stop it.
	#[command(subcommand)]
	Wallet(channel::WalletCmd),
	/// SWAP accounting with another party's `wardend`: pay for units of service with
	/// cheques that are balance proofs on a channel.
	#[command(subcommand)]
	Swap(channel::SwapCmd),
	/// Prints shell completions.
	Completions {
		/// The shell.
		shell: clap_complete::Shell,
	},
}

/// Runs `command`.
pub async fn run(command: Command, ctx: &mut Context) -> Result<(), Error> {
	match command {
		Command::Completions { .. } => unreachable!("handled before connecting"),
		Command::Account => account::account(ctx),
		Command::Balance { account } => account::balance(account, ctx).await,
		Command::Transfer { to, amount } => account::transfer(to, amount, ctx).await,
		Command::Chain(cmd) => chain::run(cmd, ctx).await,
		Command::Operator(cmd) => operator::run(cmd, ctx).await,
		Command::Delegate(args) => delegation::delegate(args, ctx).await,
		Command::Undelegate(cmd) => delegation::undelegate(cmd, ctx).await,
		Command::Delegations { account } => delegation::delegations(account, ctx).await,
		Command::Blueprint(cmd) => blueprint::run(cmd, ctx).await,
		Command::Registration(cmd) => registration::run(cmd, ctx).await,
		Command::Service(cmd) => service::run(cmd, ctx).await,
		Command::Report(args) => service::report(args, ctx).await,
		Command::ReportMissedHeartbeats { service, operator } => {
			service::report_missed_heartbeats(service, operator, ctx).await
		}
		Command::Slash(cmd) => slash::run(cmd, ctx).await,
		Command::Rewards(cmd) => rewards::run(cmd, ctx).await,
		Command::Pot(cmd) => rewards::pot(cmd, ctx).await,
		Command::Incentive(cmd) => rewards::incentive(cmd, ctx).await,
		Command::Monitor(cmd) => monitor::run(cmd, ctx).await,
		Command::ClaimReward { channel } => monitor::claim_reward(channel, ctx).await,
		Command::Params(cmd) => params::run(cmd, ctx).await,
		Command::Committee(cmd) => committee::run(cmd, ctx).await,
		Command::Validator(cmd) => validator::run(cmd, ctx).await,
		Command::Channel(cmd) => channel::channel(cmd, ctx).await,
		Command::Escrow(cmd) => channel::escrow(cmd, ctx).await,
		Command::Wallet(cmd) => channel::wallet(cmd, ctx).await,
		Command::Swap(cmd) => channel::swap(cmd, ctx).await,
	}
}
