//! The signing key's account, balances and transfers.

use serde_json::json;
use warden_client::{api, AccountId32, Error};

use crate::context::Context;

/// `warden account`: the signing key's account.
pub fn account(ctx: &mut Context) -> Result<(), Error> {
	let key = ctx.key()?;
	let value = json!({
		"account": key.account_id().to_string(),
		"public_hex": format!("0x{}", hex_encode(&key.account_id().0)),
		"scheme": key.scheme().to_string(),
	});
	ctx.out().value(&value);
	Ok(())
}

/// `warden balance`.
pub async fn balance(account: Option<AccountId32>, ctx: &mut Context) -> Result<(), Error> {
	let who = ctx.who(account)?;
	let out = ctx.out();
	let info = ctx.client().await?.account(&who).await?;
	out.value(&json!({
		"account": who.to_string(),
		"free": info.data.free.to_string(),
		"reserved": info.data.reserved.to_string(),
		"frozen": info.data.frozen.to_string(),
		"nonce": info.nonce,
	}));
	Ok(())
}

/// `warden transfer`: refused before anything is sent when it would move nothing, or
/// leave the sender below the existential deposit once the fee is paid.
pub async fn transfer(to: AccountId32, amount: u128, ctx: &mut Context) -> Result<(), Error> {
	if amount == 0 {
		return Err(Error::NotSent("a transfer of 0 moves nothing".into()));
	}
	let call = api::tx().balances().transfer_keep_alive(to.into(), amount);
	ctx.submit_spending("transfer", call, amount).await
}

fn hex_encode(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
