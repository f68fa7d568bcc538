//! `warden validator …`: the validator set and session keys, for chain operators.
//!
//! Changes to the set go through sudo when the signer is the sudo key, and otherwise as a
//! motion of the committee with two thirds of its members as threshold (the origin the
//! validator set pallet accepts), which members then `committee vote` and `committee close`.

use clap::Subcommand;
use serde_json::{json, Value as Json};
use warden_client::{
	api::{self, runtime_types as rt},
	AccountId32, Error,
};

use crate::{
	cmd::committee::{committee_members, encoded_len},
	context::Context,
	parse::parse_account,
};

/// `warden validator`.
#[derive(Debug, Subcommand)]
pub enum ValidatorCmd {
	/// The validator set: the session and when the next starts, the active, queued and
	/// target sets, whether a change waits for the next boundary, the limits, and who has
	/// session keys.
	Set,
	/// Session keys: generate and register, show, purge.
	#[command(subcommand)]
	Keys(KeysCmd),
	/// Adds `who` to the target set (its session keys must be registered): through sudo
	/// if the key is the sudo key, otherwise as a committee motion (two thirds).
	Add {
		/// The validator's account.
		#[arg(value_parser = parse_account)]
		who: AccountId32,
	},
	/// Removes `who` from the target set, never below the minimum: through sudo or a
	/// committee motion, as `add`.
	Remove {
		/// The validator's account.
		#[arg(value_parser = parse_account)]
		who: AccountId32,
	},
	/// Sets the fewest validators the target set may have: through sudo or a committee
	/// motion, as `add`.
	SetMin {
		/// The minimum.
		min: u32,
	},
}

/// `warden validator keys`.
#[derive(Debug, Subcommand)]
pub enum KeysCmd {
	/// Generates new session keys in the validator's own node's keystore
	/// (`author_rotateKeysWithOwner` over `--node-url`, an unsafe RPC: a local port, or
	/// `--rpc-methods unsafe`), registers them with `Session.set_keys` and the key proof,
	/// signed by the key, and prints the public keys. They take effect two session
	/// boundaries later.
	Rotate {
		/// The validator's own node (`ws://127.0.0.1:9944` by default: `--url`).
		#[arg(long)]
		node_url: Option<String>,
	},
	/// Whether `account` (the key's by default) has session keys registered, and which.
	Show {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Removes the key's session keys (`Session.purge_keys`), returning their deposit; a
	/// validator drops out at the next rotation.
	Purge,
}

/// Runs a `warden validator` command.
pub async fn run(cmd: ValidatorCmd, ctx: &mut Context) -> Result<(), Error> {
	use rt::pallet_warden_validators::pallet::Call;
	match cmd {
		ValidatorCmd::Set => {
			let value = validator_set(ctx).await?;
			ctx.out().value(&value);
			Ok(())
		}
		ValidatorCmd::Keys(KeysCmd::Rotate { node_url }) => rotate(node_url, ctx).await,
		ValidatorCmd::Keys(KeysCmd::Show { account }) => {
			let who = ctx.who(account)?;
			let value = keys_of(ctx, &who).await?;
			ctx.out().value(&value);
			Ok(())
		}
		ValidatorCmd::Keys(KeysCmd::Purge) => {
			ctx.submit("validator keys purge", api::tx().session().purge_keys()).await
		}
		ValidatorCmd::Add { who } => {
			governed(ctx, "validator add", api::Call::ValidatorSet(Call::add_validator { who }))
				.await
		}
		ValidatorCmd::Remove { who } => {
			let call = api::Call::ValidatorSet(Call::remove_validator { who });
			governed(ctx, "validator remove", call).await
		}
		ValidatorCmd::SetMin { min } => {
			let call = api::Call::ValidatorSet(Call::set_min_validators { min });
			governed(ctx, "validator set-min", call).await
		}
	}
}

/// The set as the runtime reports it, with who has session keys.
async fn validator_set(ctx: &mut Context) -> Result<Json, Error> {
	let client = ctx.client().await?;
	let info = client.read(api::runtime_apis().validator_set_api().validator_set()).await?;
	let mut everyone: Vec<AccountId32> = Vec::new();
	for who in info.active.iter().chain(&info.queued).chain(&info.target) {
		if !everyone.contains(who) {
			everyone.push(*who);
		}
	}
	let mut with_keys = Vec::new();
	for who in &everyone {
		let has =
			client.read(api::runtime_apis().validator_set_api().has_session_keys(*who)).await?;
		if has {
			with_keys.push(who.to_string());
		}
	}
	let names = |set: &[AccountId32]| set.iter().map(|who| who.to_string()).collect::<Vec<_>>();
	// A target changed since the last boundary is queued there and active one session
	// after.
	let change = info.target_changed.then(|| {
		json!({
			"queued_at": info.next_session_start,
			"active_from": u64::from(info.next_session_start)
				.saturating_add(u64::from(info.session_length)),
		})
	});
	Ok(json!({
		"session": info.session,
		"session_length": info.session_length,
		"next_session_start": info.next_session_start,
		"active": names(&info.active),
		"queued": names(&info.queued),
		"target": names(&info.target),
		"pending_change": change,
		"min_validators": info.min_validators,
		"max_validators": info.max_validators,
		"with_keys": with_keys,
	}))
}

/// Whether `who` has session keys, and which.
async fn keys_of(ctx: &mut Context, who: &AccountId32) -> Result<Json, Error> {
	let client = ctx.client().await?;
	let at = client.at_best().await?;
	let keys = at
		.storage()
		.try_fetch(api::storage().session().next_keys(), (*who,))
		.await
		.map_err(Error::rpc)?;
	let keys = match keys {
		Some(keys) => {
			let keys = keys.decode().map_err(Error::rpc)?;
			json!({
				"aura": format!("0x{}", hex::encode(keys.aura.0)),
				"grandpa": format!("0x{}", hex::encode(keys.grandpa.0)),
			})
		}
		None => Json::Null,
	};
	Ok(json!({"account": who.to_string(), "has_keys": !keys.is_null(), "keys": keys}))
}

/// `keys rotate`: new keys from the validator's node, registered with their proof.
async fn rotate(node_url: Option<String>, ctx: &mut Context) -> Result<(), Error> {
	let me = ctx.who(None)?;
	let node_url = node_url.unwrap_or_else(|| ctx.global().url.clone());
	let node = warden_client::Client::connect(&node_url).await?;
	let (keys, proof) = node.rotate_keys(&me).await?;
	let (Ok(aura), Ok(grandpa)) = (
		<[u8; 32]>::try_from(keys.get(..32).unwrap_or_default()),
		<[u8; 32]>::try_from(keys.get(32..).unwrap_or_default()),
	) else {
		return Err(Error::Rpc(format!(
			"{node_url} generated {} bytes of keys, not an Aura and a GRANDPA key",
			keys.len()
		)));
	};
	let session_keys = rt::warden_runtime::SessionKeys {
		aura: rt::sp_consensus_aura::sr25519::app_sr25519::Public(aura),
		grandpa: rt::sp_consensus_grandpa::app::Public(grandpa),
	};
	ctx.submit("validator keys rotate", api::tx().session().set_keys(session_keys, proof)).await?;
	if !ctx.global().json {
		eprintln!(
			"session keys of {me}: aura 0x{}, grandpa 0x{} (in the keystore of {node_url})",
			hex::encode(aura),
			hex::encode(grandpa)
		);
	}
	Ok(())
}

/// Dispatches `call` as governance: through sudo when the key is the sudo key, otherwise
/// proposed to the committee with two thirds of its members as threshold.
async fn governed(ctx: &mut Context, what: &str, call: api::Call) -> Result<(), Error> {
	let me = ctx.who(None)?;
	let client = ctx.client().await?;
	let at = client.at_best().await?;
	let storage = at.storage();
	let sudo = storage
		.try_fetch(api::storage().sudo().key(), ())
		.await
		.map_err(Error::rpc)?
		.map(|key| key.decode())
		.transpose()
		.map_err(Error::rpc)?;
	if sudo == Some(me) {
		return ctx.submit(&format!("{what} (sudo)"), api::tx().sudo().sudo(call)).await;
	}
	let members = committee_members(ctx).await?;
	if !members.contains(&me) {
		return Err(Error::Input(format!(
			"{me} is neither the sudo key nor a committee member: it can't propose `{what}`"
		)));
	}
	let threshold = (members.len() as u32).saturating_mul(2).div_ceil(3).max(1);
	let length_bound = encoded_len(&call, ctx).await?;
	let propose = api::tx().slashing_committee().propose(threshold, call, length_bound);
	ctx.submit(&format!("{what} (committee motion, {threshold} of {})", members.len()), propose)
		.await
}
