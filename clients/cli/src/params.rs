//! `warden params`: each pallet's runtime parameters, read through its runtime API and
//! changed through sudo, field by field.

use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive};
use subxt::ext::scale_value::{Composite, Value, ValueDef};
use warden_client::{units, Error};

use crate::{
	args::{parse_perbill, parse_percent, ParamsCmd, ParamsPallet},
	commands::Context,
};

/// The pallet's name on chain and the runtime API method that answers its parameters.
fn source(pallet: ParamsPallet) -> (&'static str, &'static str, &'static str) {
	match pallet {
		ParamsPallet::Operators => ("Operators", "OperatorsApi", "operator_params"),
		ParamsPallet::Services => ("Services", "ServicesApi", "services_params"),
		ParamsPallet::Slashing => ("Slashing", "SlashingApi", "slashing_params"),
		ParamsPallet::Rewards => ("Rewards", "RewardsApi", "reward_params"),
		ParamsPallet::Channels => ("Channels", "ChannelsApi", "channel_params"),
		ParamsPallet::Monitoring => ("Monitoring", "MonitoringApi", "monitoring_params"),
	}
}

/// Runs `cmd`.
pub async fn run(cmd: ParamsCmd, ctx: &mut Context) -> Result<(), Error> {
	match cmd {
		ParamsCmd::Show { pallet } => {
			let (_, api, method) = source(pallet);
			ctx.read_api(api, method).await
		}
		ParamsCmd::Set { pallet, assignments } => {
			let (pallet_name, api, method) = source(pallet);
			let (mut params, metadata) = ctx.read_typed(api, method).await?;
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
