//! `warden slash`: pending slashes, disputes, vetoes through the committee, and applying
//! a due slash.

use clap::Subcommand;
use warden_client::{api, AccountId32, Error};

use crate::{
	cmd::committee::{close, propose_veto, vote, CloseArgs, VetoReasonArg, VoteArgs},
	context::{bytes, Context},
	parse::parse_account,
};

/// `warden slash`.
#[derive(Debug, Subcommand)]
pub enum SlashCmd {
	/// Pending slashes of an operator or a service.
	List {
		/// Against this operator.
		#[arg(long, value_parser = parse_account, conflicts_with = "service", required_unless_present = "service")]
		operator: Option<AccountId32>,
		/// For offences in this service.
		#[arg(long)]
		service: Option<u64>,
	},
	/// What pending slashes hold back of an account's stake (the key's if none is given).
	HeldBack {
		/// The staker.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Disputes a pending slash against the key's operator, with a statement.
	Dispute {
		/// The slash.
		slash: u64,
		/// The statement for the reviewers.
		statement: String,
	},
	/// Proposes a committee motion to veto a pending slash (executed at once if the
	/// threshold is one vote).
	Veto {
		/// The slash.
		slash: u64,
		/// Why: the report was unfounded (its deposit is forfeited) or the offender is
		/// pardoned (the deposit is returned).
		#[arg(long, value_enum)]
		reason: VetoReasonArg,
	},
	/// Votes on a committee motion.
	Vote(VoteArgs),
	/// Closes a committee motion once decided.
	Close(CloseArgs),
	/// Applies a due slash the per-block queue hasn't reached yet (anyone; free).
	Apply {
		/// The slash.
		slash: u64,
	},
}

/// Runs `cmd`.
pub async fn run(cmd: SlashCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().slashing();
	match cmd {
		SlashCmd::List { operator: Some(operator), .. } => {
			ctx.read(
				api::runtime_apis().slashing_api().pending_slashes_of_operator(operator),
				"none",
			)
			.await
		}
		SlashCmd::List { service: Some(service), .. } => {
			ctx.read(api::runtime_apis().slashing_api().pending_slashes_of_service(service), "none")
				.await
		}
		SlashCmd::List { .. } => Err(Error::Input("give --operator or --service".into())),
		SlashCmd::HeldBack { account } => {
			let who = ctx.who(account)?;
			ctx.read(api::runtime_apis().slashing_api().held_back_of(who), "nothing held back")
				.await
		}
		SlashCmd::Dispute { slash, statement } => {
			ctx.submit("slash dispute", tx.dispute(slash, bytes(statement.into_bytes()))).await
		}
		SlashCmd::Veto { slash, reason } => propose_veto(slash, reason, ctx).await,
		SlashCmd::Vote(args) => vote(args, ctx).await,
		SlashCmd::Close(args) => close(args, ctx).await,
		SlashCmd::Apply { slash } => ctx.submit("slash apply", tx.apply_slash(slash)).await,
	}
}
