//! `warden delegate`, `warden undelegate` and `warden delegations`: stake delegated to
//! operators.

use clap::{Args, Subcommand};
use warden_client::{
	api::{self, runtime_types as rt},
	AccountId32, Error,
};

use crate::{
	context::Context,
	parse::{parse_account, parse_amount},
};

/// `warden delegate`.
#[derive(Debug, Args)]
pub struct DelegateArgs {
	/// The operator.
	#[arg(value_parser = parse_account)]
	pub operator: AccountId32,
	/// The amount.
	#[arg(value_parser = parse_amount)]
	pub amount: u128,
	/// Back only these blueprints (comma-separated ids): the stake is never slashed for
	/// another blueprint. Without it, the delegation backs all of the operator's
	/// blueprints. A delegation keeps its blueprints until it is fully released.
	#[arg(long, value_delimiter = ',', num_args = 1..)]
	pub blueprints: Vec<u64>,
}

/// `warden undelegate`.
#[derive(Debug, Subcommand)]
pub enum UndelegateCmd {
	/// Moves an amount of a delegation to unbonding.
	Schedule {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Moves an amount back from unbonding to the delegation.
	Cancel {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Releases what is due, except what pending slashes may still take.
	Execute {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
	},
}

/// Delegates to an Active operator, backing all its blueprints or only some.
pub async fn delegate(args: DelegateArgs, ctx: &mut Context) -> Result<(), Error> {
	let DelegateArgs { operator, amount, mut blueprints } = args;
	let tx = api::tx().operators();
	if blueprints.is_empty() {
		return ctx.submit("delegate", tx.delegate(operator, amount)).await;
	}
	blueprints.sort_unstable();
	blueprints.dedup();
	let selection = rt::warden_primitives::operators::BlueprintSelection::Only(
		rt::bounded_collections::bounded_vec::BoundedVec(blueprints),
	);
	ctx.submit("delegate", tx.delegate_with_selection(operator, amount, selection)).await
}

/// Runs `cmd`.
pub async fn undelegate(cmd: UndelegateCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().operators();
	match cmd {
		UndelegateCmd::Schedule { operator, amount } => {
			ctx.submit("undelegate schedule", tx.schedule_undelegate(operator, amount)).await
		}
		UndelegateCmd::Cancel { operator, amount } => {
			ctx.submit("undelegate cancel", tx.cancel_undelegate(operator, amount)).await
		}
		UndelegateCmd::Execute { operator } => {
			ctx.submit("undelegate execute", tx.execute_undelegate(operator)).await
		}
	}
}

/// The delegations of `account` (the key's if none).
pub async fn delegations(account: Option<AccountId32>, ctx: &mut Context) -> Result<(), Error> {
	let who = ctx.who(account)?;
	ctx.read(api::runtime_apis().operators_api().delegations_of(who), "no delegations").await
}
