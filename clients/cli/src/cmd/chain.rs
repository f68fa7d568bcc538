//! `warden chain`: the chain's head, finalized block, era and runtime.

use clap::Subcommand;
use serde_json::json;
use warden_client::{api, Error};

use crate::context::Context;

/// `warden chain`.
#[derive(Debug, Subcommand)]
pub enum ChainCmd {
	/// Best and finalized blocks, the genesis hash, the era and the runtime version.
	Status,
}

/// Runs `cmd`.
pub async fn run(cmd: ChainCmd, ctx: &mut Context) -> Result<(), Error> {
	match cmd {
		ChainCmd::Status => chain_status(ctx).await,
	}
}

async fn chain_status(ctx: &mut Context) -> Result<(), Error> {
	let out = ctx.out();
	let client = ctx.client().await?;
	let best = client.at_best().await?;
	let finalized = client.at_finalized().await?;
	let era = client.read_json(api::runtime_apis().rewards_api().active_era()).await?;
	out.value(&json!({
		"url": client.url(),
		"genesis_hash": format!("{:?}", client.genesis_hash()),
		"best": best.block_number(),
		"finalized": finalized.block_number(),
		"spec_version": best.spec_version(),
		"era": era,
	}));
	Ok(())
}
