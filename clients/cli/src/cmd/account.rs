//! The signing key's account, balances and transfers.

use serde_json::json;
use warden_client::{api, units::format_amount, AccountId32, Error};

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
	let key = ctx.key()?;
	let client = ctx.client().await?;
	let fee = client.payable_fee(&call, &key).await?;
	let who = key.account_id();
	let free = client.free_balance(&who).await?;
	let keep = client.existential_deposit().await?;
	if free < amount.saturating_add(fee).saturating_add(keep) {
		return Err(Error::NotSent(format!(
			"{who} has {} free: sending {} and paying the fee of {} would leave less than \
			 the existential deposit of {} (a transfer keeps the sender alive)",
			format_amount(free),
			format_amount(amount),
			format_amount(fee),
			format_amount(keep)
		)));
	}
	ctx.submit("transfer", call).await
}

fn hex_encode(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
