//! `warden params`: each pallet's runtime parameters, read through its runtime API and
//! changed through sudo, field by field.

use clap::{Subcommand, ValueEnum};
use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive};
use subxt::ext::scale_value::{Composite, Value, ValueDef};
use subxt::ArcMetadata;
use warden_client::{api, units, Error};

use crate::{
	context::Context,
	parse::{parse_perbill, parse_percent},
};

/// A pallet with runtime parameters.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ParamsPallet {
	/// Delays and minimums of operators and delegations.
	Operators,
	/// Request expiry and the minimum heartbeat interval.
	Services,
	/// Defer and report windows, deposits, reporter reward.
	Slashing,
	/// Era length and emission.
	Rewards,
	/// Challenge period and minimum deposit.
	Channels,
	/// Monitor deposit, registration period and unregister delay.
	Monitoring,
}

/// `warden params`.
#[derive(Debug, Subcommand)]
pub enum ParamsCmd {
	/// A pallet's parameters.
	Show {
		/// The pallet.
		#[arg(value_enum)]
		pallet: ParamsPallet,
	},
	/// Changes some of a pallet's parameters, through sudo: `field=value` pairs, with
	/// amounts in WRD (or planck) and fractions as percentages.
	Set {
		/// The pallet.
		#[arg(value_enum)]
		pallet: ParamsPallet,
		/// `field=value` pairs, e.g. `leave_delay=30 min_delegation=20WRD`.
		#[arg(required = true)]
		assignments: Vec<String>,
	},
}

/// The pallet's name on chain.
fn pallet_name(pallet: ParamsPallet) -> &'static str {
	match pallet {
		ParamsPallet::Operators => "Operators",
		ParamsPallet::Services => "Services",
		ParamsPallet::Slashing => "Slashing",
		ParamsPallet::Rewards => "Rewards",
		ParamsPallet::Channels => "Channels",
		ParamsPallet::Monitoring => "Monitoring",
	}
}

/// The pallet's parameters through its runtime API, decoded with their types.
async fn read(pallet: ParamsPallet, ctx: &mut Context) -> Result<(Value<u32>, ArcMetadata), Error> {
	let apis = api::runtime_apis();
	match pallet {
		ParamsPallet::Operators => ctx.read_typed(apis.operators_api().operator_params()).await,
		ParamsPallet::Services => ctx.read_typed(apis.services_api().services_params()).await,
		ParamsPallet::Slashing => ctx.read_typed(apis.slashing_api().slashing_params()).await,
		ParamsPallet::Rewards => ctx.read_typed(apis.rewards_api().reward_params()).await,
		ParamsPallet::Channels => ctx.read_typed(apis.channels_api().channel_params()).await,
		ParamsPallet::Monitoring => ctx.read_typed(apis.monitoring_api().monitoring_params()).await,
	}
}

/// Runs `cmd`.
pub async fn run(cmd: ParamsCmd, ctx: &mut Context) -> Result<(), Error> {
	match cmd {
		ParamsCmd::Show { pallet } => {
			let (params, metadata) = read(pallet, ctx).await?;
			ctx.out().maybe(&ctx.json_of(&params, metadata.types()), "none");
			Ok(())
		}
		ParamsCmd::Set { pallet, assignments } => {
			let pallet_name = pallet_name(pallet);
			let (mut params, metadata) = read(pallet, ctx).await?;
			let types = metadata.types();
			for assignment in &assignments {
				let (field, text) = assignment
					.split_once('=')
					.ok_or_else(|| Error::Input(format!("`{assignment}` is not field=value")))?;
				set_field(&mut params, field.trim(), text.trim(), types)?;
			}
			let call = Value::unnamed_variant(
				pallet_name,
				[Value::named_variant("set_params", [("params", params.remove_context())])],
			);
			let payload = subxt::dynamic::tx("Sudo", "sudo", vec![call]);
			ctx.submit(&format!("params set {}", pallet_name.to_lowercase()), payload).await
		}
	}
}

/// Sets field `name` of the parameters to `text`, parsed by the field's type.
fn set_field(
	params: &mut Value<u32>,
	name: &str,
	text: &str,
	types: &PortableRegistry,
) -> Result<(), Error> {
	let ValueDef::Composite(Composite::Named(fields)) = &mut params.value else {
		return Err(Error::Rpc("the parameters are not a struct".into()));
	};
	let known: Vec<String> = fields.iter().map(|(n, _)| n.clone()).collect();
	let (_, value) = fields.iter_mut().find(|(n, _)| n == name).ok_or_else(|| {
		Error::Input(format!("no parameter `{name}`: the parameters are {}", known.join(", ")))
	})?;
	let ty = types
		.resolve(value.context)
		.ok_or_else(|| Error::Rpc(format!("unknown type of `{name}`")))?;
	let bad = |why: String| Error::Input(format!("{name}={text}: {why}"));
	let path = ty.path.segments.last().map(String::as_str);
	let new = match (&ty.type_def, path) {
		(TypeDef::Primitive(TypeDefPrimitive::U128), _) => {
			Value::u128(units::parse_amount(text).map_err(|e| bad(e.to_string()))?)
		}
		(
			TypeDef::Primitive(
				TypeDefPrimitive::U8
				| TypeDefPrimitive::U16
				| TypeDefPrimitive::U32
				| TypeDefPrimitive::U64,
			),
			_,
		) => Value::u128(text.parse::<u64>().map_err(|_| bad("not a whole number".into()))?.into()),
		(_, Some("Perbill")) => {
			Value::unnamed_composite([Value::u128(parse_perbill(text).map_err(bad)?.into())])
		}
		(_, Some("Percent")) => {
			Value::unnamed_composite([Value::u128(parse_percent(text).map_err(bad)?.into())])
		}
		_ => return Err(bad("this parameter can't be set from the command line".into())),
	};
	let id = value.context;
	*value = new.map_context(|_| id);
	Ok(())
}
