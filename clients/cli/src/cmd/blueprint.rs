//! `warden blueprint`: the services operators offer, created from a TOML or JSON file.

mod file;

use std::path::PathBuf;

use clap::Subcommand;
use warden_client::{api, Error};

use crate::context::Context;

/// `warden blueprint`.
#[derive(Debug, Subcommand)]
pub enum BlueprintCmd {
	/// Creates a blueprint from a TOML or JSON file (see the README's example), holding its
	/// deposit.
	Create {
		/// The file.
		file: PathBuf,
	},
	/// Replaces a blueprint's metadata with the metadata of a TOML or JSON file.
	UpdateMetadata {
		/// The blueprint.
		blueprint: u64,
		/// The file.
		file: PathBuf,
	},
	/// Deactivates a blueprint: no new requests.
	Deactivate {
		/// The blueprint.
		blueprint: u64,
	},
	/// Removes a blueprint nothing uses and releases its deposit.
	Remove {
		/// The blueprint.
		blueprint: u64,
	},
	/// A blueprint.
	Show {
		/// The blueprint.
		blueprint: u64,
	},
}

/// Runs `cmd`.
pub async fn run(cmd: BlueprintCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().services();
	match cmd {
		BlueprintCmd::Create { file } => {
			let file = file::load(&file)?;
			let (metadata, jobs, policy) = file.into_call_args()?;
			ctx.submit("blueprint create", tx.create_blueprint(metadata, jobs, policy)).await
		}
		BlueprintCmd::UpdateMetadata { blueprint, file } => {
			let (metadata, _, _) = file::load(&file)?.into_call_args()?;
			ctx.submit(
				"blueprint update-metadata",
				tx.update_blueprint_metadata(blueprint, metadata),
			)
			.await
		}
		BlueprintCmd::Deactivate { blueprint } => {
			ctx.submit("blueprint deactivate", tx.deactivate_blueprint(blueprint)).await
		}
		BlueprintCmd::Remove { blueprint } => {
			ctx.submit("blueprint remove", tx.remove_blueprint(blueprint)).await
		}
		BlueprintCmd::Show { blueprint } => {
			ctx.read(api::runtime_apis().services_api().blueprint(blueprint), "no such blueprint")
				.await
		}
	}
}
