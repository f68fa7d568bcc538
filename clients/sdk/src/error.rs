//! What can go wrong talking to Warden, sorted by what the user should do about it.

use std::fmt;

use subxt::error::{
	DispatchError, TransactionEventsError, TransactionFinalizedSuccessError,
	TransactionProgressError, TransactionStatusError,
};

/// An error of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
	/// The node at `url` couldn't be reached.
	Unreachable {
		/// The URL tried.
		url: String,
		/// Why.
		reason: String,
	},
	/// The chain refused the call with a pallet's error.
	Rejected {
		/// The pallet, e.g. `Operators`.
		pallet: String,
		/// The error, e.g. `BondTooLow`.
		error: String,
		/// The error's documentation from the metadata.
		docs: String,
	},
	/// The chain refused the call with a system error (`BadOrigin`, a token error, …).
	Dispatch(String),
	/// The transaction pool refused the transaction (bad nonce, can't pay the fee, …), or
	/// dropped it.
	Invalid(String),
	/// A wait ran out.
	Timeout(String),
	/// The transaction's fee is above the limit it was signed with: it wasn't signed.
	FeeAboveLimit {
		/// The fee the chain would charge, in planck.
		fee: u128,
		/// The limit, in planck.
		limit: u128,
	},
	/// The user's input is wrong: a key, an amount, an account.
	Input(String),
	/// Anything else the node or the connection reported.
	Rpc(String),
	/// No `wardend` answers at `url` (not running, or the token file is missing).
	NoWallet {
		/// The URL tried.
		url: String,
		/// Why.
		reason: String,
	},
	/// `wardend` refused the operation by its own rules (a stale proof, a channel it
	/// isn't a party of, a watcher behind finality, a bad token).
	Wallet(String),
	/// Refused before anything was sent, for a reason the chain would give too: the account
	/// can't pay the fee, or the call can't do anything (a transfer of 0, a channel that
	/// doesn't exist).
	NotSent(String),
}

impl Error {
	/// Whether the chain refused the call (dispatched and failed, or refused by the pool).
	pub fn is_refusal(&self) -> bool {
		matches!(self, Error::Rejected { .. } | Error::Dispatch(_) | Error::Invalid(_))
	}

	/// Whether the pool refused a transaction because it holds it already (or held it a
	/// moment ago): sending the same bytes again, it is still on its way.
	pub fn is_already_pooled(&self) -> bool {
		let Error::Invalid(message) = self else { return false };
		let message = message.to_ascii_lowercase();
		["already imported", "priority is too low", "temporarily banned"]
			.iter()
			.any(|known| message.contains(known))
	}

	/// A pallet error's `Pallet::Error` name, if it is one.
	pub fn pallet_error(&self) -> Option<String> {
		match self {
			Error::Rejected { pallet, error, .. } => Some(format!("{pallet}::{error}")),
			_ => None,
		}
	}

	/// The error of a failed dispatch, decoded with its documentation.
	pub fn from_dispatch(error: &DispatchError) -> Self {
		match error {
			DispatchError::Module(module) => match module.details() {
				Ok(details) => Error::Rejected {
					pallet: details.pallet.name().to_string(),
					error: details.variant.name.clone(),
					docs: details.variant.docs.join(" ").trim().to_string(),
				},
				Err(_) => Error::Dispatch(module.to_string()),
			},
			// Its name, then what it means: `BadOrigin: Bad origin.`
			other => Error::Dispatch(format!("{other:?}: {other}")),
		}
	}

	/// Anything subxt reports.
	pub fn rpc(error: impl fmt::Display) -> Self {
		Error::Rpc(error.to_string())
	}
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::Unreachable { url, reason } => {
				write!(f, "can't reach a node at {url}: {reason}")
			}
			Error::Rejected { pallet, error, docs } if docs.is_empty() => {
				write!(f, "the chain refused it: {pallet}::{error}")
			}
			Error::Rejected { pallet, error, docs } => {
				write!(f, "the chain refused it: {pallet}::{error}: {docs}")
			}
			Error::Dispatch(error) => write!(f, "the chain refused it: {error}"),
			Error::Invalid(why) => write!(f, "the transaction was not accepted: {why}"),
			Error::Timeout(what) => write!(f, "timed out: {what}"),
			Error::FeeAboveLimit { fee, limit } => write!(
				f,
				"the fee of {} is above the limit of {}",
				crate::units::format_amount(*fee),
				crate::units::format_amount(*limit)
			),
			Error::Input(why) => f.write_str(why),
			Error::Rpc(why) => write!(f, "node error: {why}"),
			Error::NoWallet { url, reason } => {
				write!(f, "no wardend at {url} ({reason}): start it with `wardend --suri …`")
			}
			Error::Wallet(why) => write!(f, "wardend refused it: {why}"),
			Error::NotSent(why) => write!(f, "not sent: {why}"),
		}
	}
}

impl std::error::Error for Error {}

impl From<TransactionEventsError> for Error {
	fn from(error: TransactionEventsError) -> Self {
		match error {
			TransactionEventsError::ExtrinsicFailed(dispatch) => Error::from_dispatch(&dispatch),
			other => Error::rpc(other),
		}
	}
}

/// The failure of a call dispatched inside a successful transaction (sudo's `Sudid`, a
/// collective's `Executed`), decoded with `metadata`: the transaction succeeded, the call it
/// carried did not. `events` are a transaction's events as [`crate::EventRecord`]s.
pub fn nested_failure(events: &[crate::EventRecord], metadata: &subxt::Metadata) -> Option<Error> {
	events.iter().find_map(|event| {
		let result = match (event.pallet.as_str(), event.name.as_str()) {
			("Sudo", "Sudid") => event.fields.get("sudo_result"),
			("Sudo", "SudoAsDone") => event.fields.get("sudo_result"),
			(_, "Executed" | "MemberExecuted") => event.fields.get("result"),
			_ => None,
		}?;
		let failure = result.get("Err")?;
		Some(
			module_error(failure, metadata).unwrap_or_else(|| Error::Dispatch(failure.to_string())),
		)
	})
}

/// The pallet error a dispatch error's JSON (`{"Module": {"index", "error"}}`, possibly in a
/// one-element list) names, decoded with `metadata`.
fn module_error(failure: &serde_json::Value, metadata: &subxt::Metadata) -> Option<Error> {
	let failure = failure.as_array().and_then(|list| list.first()).unwrap_or(failure);
	let module = failure.get("Module")?;
	let module = module.as_array().and_then(|list| list.first()).unwrap_or(module);
	let index = u8::try_from(module.get("index")?.as_u64()?).ok()?;
	let error = match module.get("error")? {
		serde_json::Value::String(text) => {
			*hex::decode(text.trim_start_matches("0x")).ok()?.first()?
		}
		serde_json::Value::Array(bytes) => u8::try_from(bytes.first()?.as_u64()?).ok()?,
		_ => return None,
	};
	let pallet = metadata.pallet_by_error_index(index)?;
	let variant = pallet.error_variant_by_index(error)?;
	Some(Error::Rejected {
		pallet: pallet.name().to_string(),
		error: variant.name.clone(),
		docs: variant.docs.join(" ").trim().to_string(),
	})
}

/// The pool's refusal of a submitted transaction, with the reason the node gave: a refusal
/// is a JSON-RPC error such as `Invalid Transaction (1010)` whose `data` says why (`Transaction
/// is outdated`, `Inability to pay some fees`, `Transaction has a bad signature`, …), which
/// the error's own text leaves out.
pub fn submission_error(error: subxt::error::ExtrinsicError) -> Error {
	use subxt::error::{BackendError, ExtrinsicError, RpcError};
	if let ExtrinsicError::ErrorSubmittingTransaction(BackendError::Rpc(RpcError::ClientError(
		subxt::rpcs::Error::User(refusal),
	))) = &error
	{
		let reason = refusal.data.as_ref().map(|data| {
			// The reason is a JSON string, or an object for custom errors.
			let raw = data.get();
			serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string())
		});
		return Error::Invalid(match reason {
			Some(reason) => format!("{} ({}): {reason}", refusal.message, refusal.code),
			None => format!("{} ({})", refusal.message, refusal.code),
		});
	}
	Error::Invalid(error.to_string())
}

impl From<TransactionProgressError> for Error {
	fn from(error: TransactionProgressError) -> Self {
		match error {
			TransactionProgressError::TransactionStatusError(status) => match status {
				TransactionStatusError::Error(why)
				| TransactionStatusError::Invalid(why)
				| TransactionStatusError::Dropped(why) => Error::Invalid(why),
				other => Error::Invalid(other.to_string()),
			},
			other => Error::rpc(other),
		}
	}
}

impl From<TransactionFinalizedSuccessError> for Error {
	fn from(error: TransactionFinalizedSuccessError) -> Self {
		match error {
			TransactionFinalizedSuccessError::FinalizationError(e) => e.into(),
			TransactionFinalizedSuccessError::SuccessError(e) => e.into(),
			other => Error::rpc(other),
		}
	}
}

#[cfg(test)]
mod tests {
	use subxt::error::{BackendError, ExtrinsicError, RpcError};

	use super::*;

	fn refused_by_pool(code: i32, message: &str, data: Option<&str>) -> ExtrinsicError {
		let data = data.map(|d| serde_json::value::RawValue::from_string(d.into()).unwrap());
		let refusal = subxt::rpcs::UserError { code, message: message.into(), data };
		ExtrinsicError::ErrorSubmittingTransaction(BackendError::Rpc(RpcError::ClientError(
			subxt::rpcs::Error::User(refusal),
		)))
	}

	#[test]
	fn the_pools_reason_is_kept() {
		let outdated =
			refused_by_pool(1010, "Invalid Transaction", Some(r#""Transaction is outdated""#));
		assert_eq!(
			submission_error(outdated).to_string(),
			"the transaction was not accepted: Invalid Transaction (1010): Transaction is outdated"
		);
		let custom = refused_by_pool(1010, "Invalid Transaction", Some(r#"{"custom":3}"#));
		assert!(submission_error(custom).to_string().ends_with(r#"(1010): {"custom":3}"#));
		let pooled = submission_error(refused_by_pool(1013, "Transaction Already Imported", None));
		assert!(pooled.is_already_pooled(), "{pooled}");
	}
}
