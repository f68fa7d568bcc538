//! What every command runs with: the node (connected on first use), the signing key, and
//! how to print.

use scale_info::PortableRegistry;
use serde_json::Value as Json;
use subxt::{dynamic::Value, runtime_apis::Payload as ApiPayload, tx::Payload};
use warden_client::{
	api::runtime_types::bounded_collections::bounded_vec::BoundedVec, AccountId32, Client, Error,
	Keypair,
};

use crate::{global::Global, output::Output};

/// Bounded bytes, as calls take them.
pub fn bytes(data: impl Into<Vec<u8>>) -> BoundedVec<u8> {
	BoundedVec(data.into())
}

/// What a command needs: the node, the key (if it signs), and how to print.
pub struct Context {
	client: Option<Client>,
	global: Global,
	out: Output,
}

impl Context {
	/// The global options.
	pub fn global(&self) -> &Global {
		&self.global
	}

	/// How to print.
	pub fn out(&self) -> Output {
		self.out
	}

	/// A context for `global`; connects on first use.
	pub fn new(global: Global) -> Self {
		let out = Output { json: global.json, quiet: global.quiet };
		Self { client: None, global, out }
	}

	/// The node, connected on first use.
	pub async fn client(&mut self) -> Result<&Client, Error> {
		if self.client.is_none() {
			self.client = Some(Client::connect(&self.global.url).await?);
		}
		Ok(self.client.as_ref().expect("just connected"))
	}

	/// The signing key: `--suri` or `--key-file`.
	pub fn key(&self) -> Result<Keypair, Error> {
		Keypair::load(
			self.global.suri.as_deref(),
			self.global.key_file.as_deref(),
			self.global.scheme,
		)?
		.ok_or_else(|| {
			Error::Input(
				"this command signs a transaction: give --suri (or WARDEN_SURI) or --key-file"
					.into(),
			)
		})
	}

	/// `account`, or the key's account.
	pub fn who(&self, account: Option<AccountId32>) -> Result<AccountId32, Error> {
		match account {
			Some(account) => Ok(account),
			None => self.key().map(|key| key.account_id()).map_err(|_| {
				Error::Input("give an account, or --suri / --key-file for the key's own".into())
			}),
		}
	}

	/// Signs and submits `payload`, printing progress and the outcome.
	pub async fn submit<P: Payload>(&mut self, what: &str, payload: P) -> Result<(), Error> {
		self.submit_spending(what, payload, 0).await
	}

	/// As [`Context::submit`], for a call that moves `spends` out of the account besides
	/// its fee (a transfer): refused before sending if the account can't pay both.
	pub async fn submit_spending<P: Payload>(
		&mut self,
		what: &str,
		payload: P,
		spends: u128,
	) -> Result<(), Error> {
		let key = self.key()?;
		let (wait, out) = (self.global.wait, self.out);
		let client = self.client().await?;
		// A transaction the account can't pay for is refused by the pool: say so before
		// sending anything.
		client.payable_fee(&payload, &key, spends).await?;
		let done = client.submit(&payload, &key, wait, |p| out.progress(p)).await?;
		// Sudo and the committee succeed even when the call they dispatch fails: that is
		// the command's failure.
		let metadata = client.at_best().await?.metadata();
		if let Some(failure) = warden_client::nested_failure(&done.events, &metadata) {
			return Err(failure);
		}
		out.submitted(what, &done);
		Ok(())
	}

	/// Reads the runtime API of `payload` and prints the answer (`none` if it is empty).
	pub async fn read<P: ApiPayload>(&mut self, payload: P, none: &str) -> Result<(), Error> {
		let value = self.read_value(payload).await?;
		self.out.maybe(&value, none);
		Ok(())
	}

	/// Reads the runtime API of `payload` as JSON (see [`Context::json_of`]).
	pub async fn read_value<P: ApiPayload>(&mut self, payload: P) -> Result<Json, Error> {
		let (value, metadata) = self.read_typed(payload).await?;
		Ok(self.json_of(&value, metadata.types()))
	}

	/// A value read from the chain as JSON: raw for a script with `--json`, otherwise for a
	/// person (fractions as percentages, UTF-8 bytes as text).
	pub fn json_of(&self, value: &Value<u32>, types: &PortableRegistry) -> Json {
		if self.out.json {
			warden_client::json::to_json(value, types)
		} else {
			warden_client::json::to_display_json(value, types)
		}
	}

	/// Reads the runtime API of `payload` as a value carrying its types.
	pub async fn read_typed<P: ApiPayload>(
		&mut self,
		payload: P,
	) -> Result<(Value<u32>, subxt::ArcMetadata), Error> {
		self.client().await?.read_typed(payload).await
	}
}
