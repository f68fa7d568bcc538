//! `warden registration`: an operator's registration for a blueprint.

use clap::Subcommand;
use serde_json::{json, Value as Json};
use warden_client::{
	api::{self, runtime_types as rt},
	AccountId32, Error,
};

use crate::{
	context::{bytes, Context},
	output::as_text,
	parse::{parse_account, parse_amount, parse_hash},
};

/// `warden registration`.
#[derive(Debug, Subcommand)]
pub enum RegistrationCmd {
	/// Registers the operator for a blueprint.
	Register {
		/// The blueprint.
		blueprint: u64,
		/// The operator's service key for this blueprint (0x and 32 bytes).
		#[arg(long, value_parser = parse_hash)]
		operator_key: [u8; 32],
		/// Where customers reach the operator's service.
		#[arg(long)]
		rpc_address: String,
		/// The most instances it runs at once.
		#[arg(long, default_value_t = 1)]
		max_instances: u32,
		/// Its price per block of service.
		#[arg(long, default_value = "0", value_parser = parse_amount)]
		price_per_block: u128,
		/// If the operator is registered for the blueprint already, print the registration
		/// and exit 0 without a transaction (for scripts that retry).
		#[arg(long)]
		if_needed: bool,
	},
	/// Changes a registration.
	Update {
		/// The blueprint.
		blueprint: u64,
		/// The most instances it runs at once.
		#[arg(long)]
		max_instances: Option<u32>,
		/// Where customers reach the operator's service.
		#[arg(long)]
		rpc_address: Option<String>,
		/// Its price per block of service.
		#[arg(long, value_parser = parse_amount)]
		price_per_block: Option<u128>,
	},
	/// Unregisters from a blueprint.
	Unregister {
		/// The blueprint.
		blueprint: u64,
	},
	/// A registration.
	Show {
		/// The blueprint.
		blueprint: u64,
		/// The operator (the key's if none is given).
		#[arg(value_parser = parse_account)]
		operator: Option<AccountId32>,
	},
}

/// Runs `cmd`.
pub async fn run(cmd: RegistrationCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().services();
	match cmd {
		RegistrationCmd::Register {
			blueprint,
			operator_key,
			rpc_address,
			max_instances,
			price_per_block,
			if_needed,
		} => {
			if if_needed {
				let found = registration_record(ctx, blueprint, ctx.who(None)?).await?;
				if !found.is_null() {
					ctx.out().value(&found);
					return Ok(());
				}
			}
			let preferences = rt::pallet_warden_services::types::OperatorPreferences {
				operator_key,
				rpc_address: bytes(rpc_address.into_bytes()),
				max_instances,
				price_per_block,
			};
			ctx.submit("registration register", tx.register(blueprint, preferences)).await
		}
		RegistrationCmd::Update { blueprint, max_instances, rpc_address, price_per_block } => {
			let call = tx.update_registration(
				blueprint,
				max_instances,
				rpc_address.map(|address| bytes(address.into_bytes())),
				price_per_block,
			);
			ctx.submit("registration update", call).await
		}
		RegistrationCmd::Unregister { blueprint } => {
			ctx.submit("registration unregister", tx.unregister(blueprint)).await
		}
		RegistrationCmd::Show { blueprint, operator } => {
			let who = ctx.who(operator)?;
			let found = registration_record(ctx, blueprint, who).await?;
			ctx.out().maybe(&found, "not registered for this blueprint");
			Ok(())
		}
	}
}

/// Operator `who`'s registration for `blueprint`, or null.
async fn registration_record(
	ctx: &mut Context,
	blueprint: u64,
	who: AccountId32,
) -> Result<Json, Error> {
	let all = ctx.read_value(api::runtime_apis().services_api().registrations_of(who)).await?;
	let mut found = all
		.as_array()
		.and_then(|list| list.iter().find(|r| r["blueprint"] == json!(blueprint)))
		.cloned()
		.unwrap_or(Json::Null);
	as_text(&mut found, "/preferences/rpc_address");
	Ok(found)
}
