//! `warden committee`: the slashing committee's motions (vetoes of pending slashes), and
//! the reads other commands share: its members and a call's encoded length.

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use warden_client::{
	api::{self, runtime_types as rt},
	AccountId32, Error,
};

use crate::{context::Context, parse::parse_hash};

/// A veto's reason.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VetoReasonArg {
	/// The report was wrong or made in bad faith.
	Unfounded,
	/// The report was right, but the slash should not happen.
	Pardoned,
}

/// A vote on a committee motion.
#[derive(Debug, Args)]
pub struct VoteArgs {
	/// The motion's hash.
	#[arg(value_parser = parse_hash)]
	pub motion: [u8; 32],
	/// The motion's index.
	pub index: u32,
	/// Vote against it (the default is for).
	#[arg(long)]
	pub nay: bool,
}

/// Closing a committee motion.
#[derive(Debug, Args)]
pub struct CloseArgs {
	/// The motion's hash.
	#[arg(value_parser = parse_hash)]
	pub motion: [u8; 32],
	/// The motion's index.
	pub index: u32,
}

/// `warden committee`.
#[derive(Debug, Subcommand)]
pub enum CommitteeCmd {
	/// Proposes a motion to veto a pending slash.
	ProposeVeto {
		/// The slash.
		slash: u64,
		/// Why.
		#[arg(long, value_enum)]
		reason: VetoReasonArg,
	},
	/// Votes on a motion.
	Vote(VoteArgs),
	/// Closes a motion once decided.
	Close(CloseArgs),
	/// The committee's members and open motions.
	Show,
}

/// The slashing pallet's veto call.
fn veto_call(slash_id: u64, reason: VetoReasonArg) -> api::Call {
	use rt::pallet_warden_slashing::types::VetoReason;
	let reason = match reason {
		VetoReasonArg::Unfounded => VetoReason::Unfounded,
		VetoReasonArg::Pardoned => VetoReason::Pardoned,
	};
	api::Call::Slashing(rt::pallet_warden_slashing::pallet::Call::veto { slash_id, reason })
}

/// A motion needs this many votes: half the committee, rounded up.
async fn threshold(ctx: &mut Context) -> Result<u32, Error> {
	let members = committee_members(ctx).await?;
	Ok((members.len() as u32).div_ceil(2).max(1))
}

/// The committee's members, at the best block.
pub async fn committee_members(ctx: &mut Context) -> Result<Vec<AccountId32>, Error> {
	let at = ctx.client().await?.at_best().await?;
	at.storage()
		.fetch(api::storage().slashing_committee().members(), ())
		.await
		.map_err(Error::rpc)?
		.decode()
		.map_err(Error::rpc)
}

pub async fn propose_veto(
	slash: u64,
	reason: VetoReasonArg,
	ctx: &mut Context,
) -> Result<(), Error> {
	let call = veto_call(slash, reason);
	let length_bound = encoded_len(&call, ctx).await?;
	let threshold = threshold(ctx).await?;
	let propose = api::tx().slashing_committee().propose(threshold, call, length_bound);
	ctx.submit("committee propose (veto)", propose).await
}

/// The encoded length of `call`, which bounds a motion carrying it.
pub async fn encoded_len(call: &api::Call, ctx: &mut Context) -> Result<u32, Error> {
	use subxt::ext::scale_encode::EncodeAsType;
	let at = ctx.client().await?.at_best().await?;
	let metadata = at.metadata();
	let bytes = call
		.encode_as_type(metadata.outer_enums().call_enum_ty(), metadata.types())
		.map_err(Error::rpc)?;
	Ok(bytes.len() as u32)
}

pub async fn vote(args: VoteArgs, ctx: &mut Context) -> Result<(), Error> {
	let call = api::tx().slashing_committee().vote(args.motion.into(), args.index, !args.nay);
	ctx.submit("committee vote", call).await
}

pub async fn close(args: CloseArgs, ctx: &mut Context) -> Result<(), Error> {
	// The motion's call bounds the close: its length, and its weight as the runtime
	// reports it (the weight the closer pays for up front; the unused part is refunded).
	let client = ctx.client().await?;
	let at = client.at_best().await?;
	let proposal = at
		.storage()
		.try_fetch(api::storage().slashing_committee().proposal_of(), (args.motion.into(),))
		.await
		.map_err(Error::rpc)?
		.ok_or_else(|| Error::Input("no open motion with this hash".into()))?
		.decode()
		.map_err(Error::rpc)?;
	let length_bound = encoded_len(&proposal, ctx).await?;
	let info = ctx
		.client()
		.await?
		.read(
			api::runtime_apis()
				.transaction_payment_call_api()
				.query_call_info(proposal, length_bound),
		)
		.await?;
	let weight = info.weight;
	let call =
		api::tx().slashing_committee().close(args.motion.into(), args.index, weight, length_bound);
	ctx.submit("committee close", call).await
}

/// Runs `cmd`.
pub async fn run(cmd: CommitteeCmd, ctx: &mut Context) -> Result<(), Error> {
	match cmd {
		CommitteeCmd::ProposeVeto { slash, reason } => propose_veto(slash, reason, ctx).await,
		CommitteeCmd::Vote(args) => vote(args, ctx).await,
		CommitteeCmd::Close(args) => close(args, ctx).await,
		CommitteeCmd::Show => {
			let out = ctx.out();
			let members = committee_members(ctx).await?;
			let client = ctx.client().await?;
			let at = client.at_best().await?;
			let storage = at.storage();
			let proposals = storage
				.fetch(api::storage().slashing_committee().proposals(), ())
				.await
				.map_err(Error::rpc)?
				.decode()
				.map_err(Error::rpc)?;
			let mut motions = Vec::new();
			for hash in proposals.0 {
				let votes = storage
					.try_fetch(api::storage().slashing_committee().voting(), (hash,))
					.await
					.map_err(Error::rpc)?;
				let votes = match votes {
					Some(votes) => votes.decode().map_err(Error::rpc)?,
					None => continue,
				};
				motions.push(json!({
					"motion": format!("{hash:?}"),
					"index": votes.index,
					"threshold": votes.threshold,
					"ayes": votes.ayes.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"nays": votes.nays.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"end": votes.end,
				}));
			}
			out.value(&json!({
				"members": members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
				"motions": motions,
			}));
			Ok(())
		}
	}
}
