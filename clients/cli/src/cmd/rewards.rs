//! `warden rewards`, `warden pot` and `warden incentive`: era rewards, the pot that pays
//! them, and which blueprints' work earns them.

use clap::Subcommand;
use serde_json::json;
use warden_client::{
	api::{self, runtime_types as rt},
	AccountId32, Error,
};

use crate::{
	context::Context,
	parse::{parse_account, parse_amount, parse_perbill},
};

use rt::sp_arithmetic::per_things::Perbill;

/// `warden rewards`.
#[derive(Debug, Subcommand)]
pub enum RewardsCmd {
	/// What an account may claim now (the key's if none is given).
	Pending {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Claims the key's rewards.
	Claim,
	/// Claims an account's rewards for it (paid to it; anyone may).
	ClaimFor {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: AccountId32,
	},
	/// Sets the key's operator commission (e.g. 10%).
	Commission {
		/// The commission.
		#[arg(value_parser = parse_perbill)]
		commission: u32,
	},
	/// Settles the next ended era's rewards by hand (anyone).
	SettleNext,
	/// The last settled era's report.
	Era,
}

/// `warden pot`.
#[derive(Debug, Subcommand)]
pub enum PotCmd {
	/// Adds an amount to the rewards pot.
	Fund {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
}

/// `warden incentive`.
#[derive(Debug, Subcommand)]
pub enum IncentiveCmd {
	/// Makes a blueprint's work earn rewards with a weight (through sudo).
	Set {
		/// The blueprint.
		blueprint: u64,
		/// Its weight.
		weight: u32,
	},
	/// Stops a blueprint's work earning rewards (through sudo).
	Remove {
		/// The blueprint.
		blueprint: u64,
	},
}

/// Runs `cmd`.
pub async fn run(cmd: RewardsCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().rewards();
	match cmd {
		RewardsCmd::Pending { account } => {
			let who = ctx.who(account)?;
			let pending =
				ctx.read_value(api::runtime_apis().rewards_api().pending_rewards(who)).await?;
			ctx.out().value(&json!({ "account": who.to_string(), "pending_reward": pending }));
			Ok(())
		}
		RewardsCmd::Claim => ctx.submit("rewards claim", tx.claim()).await,
		RewardsCmd::ClaimFor { account } => {
			ctx.submit("rewards claim-for", tx.claim_for(account)).await
		}
		RewardsCmd::Commission { commission } => {
			ctx.submit("rewards commission", tx.set_commission(Perbill(commission))).await
		}
		RewardsCmd::SettleNext => ctx.submit("rewards settle-next", tx.settle_next()).await,
		RewardsCmd::Era => {
			let active = ctx.read_value(api::runtime_apis().rewards_api().active_era()).await?;
			let last = ctx.read_value(api::runtime_apis().rewards_api().last_era_report()).await?;
			ctx.out().value(&json!({ "active_era": active, "last_settled": last }));
			Ok(())
		}
	}
}

/// Runs a `warden pot` command.
pub async fn pot(cmd: PotCmd, ctx: &mut Context) -> Result<(), Error> {
	match cmd {
		PotCmd::Fund { amount } => {
			ctx.submit("pot fund", api::tx().rewards().fund_pot(amount)).await
		}
	}
}

/// Runs a `warden incentive` command: through sudo.
pub async fn incentive(cmd: IncentiveCmd, ctx: &mut Context) -> Result<(), Error> {
	use rt::pallet_warden_rewards::pallet::Call;
	let call = match cmd {
		IncentiveCmd::Set { blueprint, weight } => {
			api::Call::Rewards(Call::set_incentivized { blueprint, weight })
		}
		IncentiveCmd::Remove { blueprint } => {
			api::Call::Rewards(Call::remove_incentivized { blueprint })
		}
	};
	ctx.submit("incentive (sudo)", api::tx().sudo().sudo(call)).await
}
