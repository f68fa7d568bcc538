//! `warden operator`: bond, lifecycle and exit, and what an operator's agent reports.

use clap::Subcommand;
use serde_json::{json, Value as Json};
use warden_client::{api, http, AccountId32, Error};

use crate::{
	context::Context,
	parse::{parse_account, parse_amount},
};

/// `warden operator`.
#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
	/// Bonds an amount (at least the minimum operator bond) and becomes an Active operator.
	Join {
		/// The bond.
		#[arg(value_parser = parse_amount)]
		bond: u128,
		/// If the account is an operator already, print its record and exit 0 without a
		/// transaction (for scripts that retry).
		#[arg(long)]
		if_needed: bool,
	},
	/// Adds to the operator's bond.
	BondMore {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Takes part of the bond out through unbonding.
	#[command(subcommand)]
	BondLess(BondLessCmd),
	/// Goes Inactive: keeps serving its services, accepts nothing new.
	Offline,
	/// Goes back to Active.
	Online,
	/// Leaves: schedule, cancel, or execute once due.
	#[command(subcommand)]
	Leave(LeaveCmd),
	/// Releases the exit bond a former operator left, once unbonded.
	ReleaseExitBond,
	/// Sets the smallest delegation the operator accepts, on top of the chain's minimum.
	MinDelegation {
		/// The minimum.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// An operator: state, bond, delegated stake, exit bond (the key's if none is given).
	Show {
		/// The operator.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// An operator on chain and, with `--agent`, what its `warden-operator` reports: its
	/// heads, services, open calls and counters (the agent's operator if no account or key
	/// is given).
	Status {
		/// The operator.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
		/// The agent's HTTP endpoint, e.g. `http://127.0.0.1:9956`.
		#[arg(long)]
		agent: Option<String>,
	},
}

/// `warden operator bond-less`.
#[derive(Debug, Subcommand)]
pub enum BondLessCmd {
	/// Moves an amount of the bond to unbonding.
	Schedule {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Moves an amount back from unbonding to the bond.
	Cancel {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Releases what is due.
	Execute,
}

/// `warden operator leave`.
#[derive(Debug, Subcommand)]
pub enum LeaveCmd {
	/// Starts leaving: accepts nothing new, leaves after the leave delay.
	Schedule,
	/// Stops leaving.
	Cancel,
	/// Leaves once due: the bond becomes the exit bond, delegations start unbonding.
	Execute,
}

/// Runs `cmd`.
pub async fn run(cmd: OperatorCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().operators();
	match cmd {
		OperatorCmd::Join { bond, if_needed } => {
			if if_needed {
				let record = operator_record(ctx, ctx.who(None)?).await?;
				if !record["operator"].is_null() {
					ctx.out().value(&record);
					return Ok(());
				}
			}
			ctx.submit("operator join", tx.join_operators(bond)).await
		}
		OperatorCmd::BondMore { amount } => {
			ctx.submit("operator bond-more", tx.bond_more(amount)).await
		}
		OperatorCmd::BondLess(BondLessCmd::Schedule { amount }) => {
			ctx.submit("operator bond-less schedule", tx.schedule_bond_less(amount)).await
		}
		OperatorCmd::BondLess(BondLessCmd::Cancel { amount }) => {
			ctx.submit("operator bond-less cancel", tx.cancel_bond_less(amount)).await
		}
		OperatorCmd::BondLess(BondLessCmd::Execute) => {
			ctx.submit("operator bond-less execute", tx.execute_bond_less()).await
		}
		OperatorCmd::Offline => ctx.submit("operator offline", tx.go_offline()).await,
		OperatorCmd::Online => ctx.submit("operator online", tx.go_online()).await,
		OperatorCmd::Leave(LeaveCmd::Schedule) => {
			ctx.submit("operator leave schedule", tx.schedule_leave()).await
		}
		OperatorCmd::Leave(LeaveCmd::Cancel) => {
			ctx.submit("operator leave cancel", tx.cancel_leave()).await
		}
		OperatorCmd::Leave(LeaveCmd::Execute) => {
			ctx.submit("operator leave execute", tx.execute_leave()).await
		}
		OperatorCmd::ReleaseExitBond => {
			ctx.submit("operator release-exit-bond", tx.release_exit_bond()).await
		}
		OperatorCmd::MinDelegation { amount } => {
			ctx.submit("operator min-delegation", tx.set_min_delegation(amount)).await
		}
		OperatorCmd::Show { account } => {
			let who = ctx.who(account)?;
			let value = operator_record(ctx, who).await?;
			ctx.out().value(&value);
			Ok(())
		}
		OperatorCmd::Status { account, agent } => {
			let Some(url) = agent else {
				let who = ctx.who(account)?;
				let value = operator_record(ctx, who).await?;
				ctx.out().value(&value);
				return Ok(());
			};
			let status = agent_status(&url).await?;
			let who = match account {
				Some(account) => account,
				None => match ctx.who(None) {
					Ok(who) => who,
					Err(_) => status["operator"]
						.as_str()
						.and_then(|s| warden_client::parse_account(s).ok())
						.ok_or_else(|| {
							Error::Input(format!("the agent at {url} names no operator"))
						})?,
				},
			};
			if status["operator"].as_str() != Some(who.to_string().as_str()) {
				return Err(Error::Input(format!(
					"the agent at {url} runs for {}, not {who}",
					status["operator"].as_str().unwrap_or("no operator")
				)));
			}
			let mut value = operator_record(ctx, who).await?;
			value["agent"] = status;
			ctx.out().value(&value);
			Ok(())
		}
	}
}

/// The chain's record of operator `who`: its state, bond and stake, and its exit bond.
pub async fn operator_record(ctx: &mut Context, who: AccountId32) -> Result<Json, Error> {
	let operator = ctx.read_value(api::runtime_apis().operators_api().operator(who)).await?;
	let exit_bond = ctx.read_value(api::runtime_apis().operators_api().exit_bond(who)).await?;
	Ok(json!({
		"account": who.to_string(),
		"operator": operator,
		"exit_bond": exit_bond,
	}))
}

/// What the `warden-operator` at `url` reports on `GET /status`.
async fn agent_status(url: &str) -> Result<Json, Error> {
	let unreachable = |why: String| Error::Input(format!("can't read the agent at {url}: {why}"));
	let answer =
		http::fetch(url, "GET", "/status", b"", AGENT_TIMEOUT).await.map_err(unreachable)?;
	if answer.status != 200 {
		return Err(unreachable(format!("HTTP {}: {}", answer.status, answer.text())));
	}
	match answer.json() {
		Json::Null => Err(unreachable("its answer is not JSON".into())),
		status => Ok(status),
	}
}

/// How long `warden operator status --agent` waits for the agent.
const AGENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
