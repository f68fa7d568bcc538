//! The signed envelope of messages between two channel parties' daemons (`wardend`'s peer
//! API), as JSON: a [`warden_primitives::PeerMessagePayload`] and its signature.
//!
//! ```json
//! {"from": "5Grw…", "to": "5FHn…", "sequence": 42, "body": "{\"type\":\"proof\",…}",
//!  "signature": "0x01…"}
//! ```
//!
//! `body` is the message's exact JSON text: the bytes signed are those bytes, so the
//! recipient checks the signature before it parses anything.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use subxt::utils::{AccountId32, H256};
use warden_primitives::PeerMessagePayload;

use crate::{keys::to_chain_account, parse_account, Keypair};

/// A signed message from one party's daemon to another's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
	/// The signer (SS58).
	pub from: String,
	/// The only party that takes it (SS58).
	pub to: String,
	/// Above every earlier message from `from`.
	pub sequence: u64,
	/// The message: JSON text, signed as its exact bytes.
	pub body: String,
	/// The SCALE-encoded `MultiSignature` of `from`, hex.
	pub signature: String,
}

/// Why an envelope is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
	/// A field doesn't parse.
	Malformed(String),
	/// It is for another party.
	NotForUs,
	/// The signature is not `from`'s over these bytes on this chain.
	BadSignature,
}

impl std::fmt::Display for Refused {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Refused::Malformed(why) => write!(f, "a malformed message: {why}"),
			Refused::NotForUs => f.write_str("the message is for another party"),
			Refused::BadSignature => f.write_str("the message's signature is not its sender's"),
		}
	}
}

fn payload(
	genesis_hash: H256,
	from: &AccountId32,
	to: &AccountId32,
	sequence: u64,
	body: &str,
) -> PeerMessagePayload<sp_runtime::AccountId32, sp_core::H256> {
	PeerMessagePayload::new(
		sp_core::H256(genesis_hash.0),
		to_chain_account(from),
		to_chain_account(to),
		sequence,
		body.as_bytes().to_vec(),
	)
}

impl Envelope {
	/// `body` (JSON text) from `key`'s account to `to`, numbered `sequence`, signed for the
	/// chain with `genesis_hash`.
	pub fn seal(
		key: &Keypair,
		genesis_hash: H256,
		to: &AccountId32,
		sequence: u64,
		body: &str,
	) -> Self {
		let from = key.account_id();
		let body = body.to_string();
		let signature =
			key.sign(&payload(genesis_hash, &from, to, sequence, &body).signing_bytes());
		Self {
			from: from.to_string(),
			to: to.to_string(),
			sequence,
			body,
			signature: format!("0x{}", hex::encode(codec::Encode::encode(&signature))),
		}
	}

	/// The sender and the message, if the envelope is for `me` on the chain with
	/// `genesis_hash` and its sender signed it. The caller refuses a sequence not above the
	/// highest it took from that sender.
	pub fn open(
		&self,
		genesis_hash: H256,
		me: &AccountId32,
	) -> Result<(AccountId32, Value), Refused> {
		let account = |field: &str, text: &str| {
			parse_account(text).map_err(|e| Refused::Malformed(format!("{field}: {e}")))
		};
		let from = account("from", &self.from)?;
		if account("to", &self.to)? != *me {
			return Err(Refused::NotForUs);
		}
		let bytes = hex::decode(self.signature.trim_start_matches("0x"))
			.map_err(|e| Refused::Malformed(format!("signature: {e}")))?;
		let signature: sp_runtime::MultiSignature = codec::Decode::decode(&mut &bytes[..])
			.map_err(|e| Refused::Malformed(format!("signature: {e}")))?;
		if !payload(genesis_hash, &from, me, self.sequence, &self.body).is_signed(&signature) {
			return Err(Refused::BadSignature);
		}
		let body = serde_json::from_str(&self.body)
			.map_err(|e| Refused::Malformed(format!("body: {e}")))?;
		Ok((from, body))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::Scheme;

	fn keys() -> (Keypair, Keypair) {
		(
			Keypair::dev("ferdie", Scheme::Sr25519).unwrap(),
			Keypair::dev("dave", Scheme::Ecdsa).unwrap(),
		)
	}

	#[test]
	fn a_sealed_envelope_opens_for_its_recipient_only() {
		let (ferdie, dave) = keys();
		let genesis = H256::repeat_byte(7);
		let body = serde_json::json!({"type": "proof", "nonce": 3});
		let sealed = Envelope::seal(&ferdie, genesis, &dave.account_id(), 9, &body.to_string());
		let text = serde_json::to_string(&sealed).unwrap();
		let envelope: Envelope = serde_json::from_str(&text).unwrap();
		assert_eq!(envelope.open(genesis, &dave.account_id()), Ok((ferdie.account_id(), body)));
		assert_eq!(envelope.open(genesis, &ferdie.account_id()), Err(Refused::NotForUs));
		assert_eq!(
			envelope.open(H256::repeat_byte(8), &dave.account_id()),
			Err(Refused::BadSignature),
			"another chain"
		);
		let mut replayed = envelope.clone();
		replayed.sequence = 10;
		assert_eq!(replayed.open(genesis, &dave.account_id()), Err(Refused::BadSignature));
		let mut edited = envelope.clone();
		edited.body = r#"{"type":"proof","nonce":4}"#.into();
		assert_eq!(edited.open(genesis, &dave.account_id()), Err(Refused::BadSignature));
		let mut forged = envelope;
		forged.from = dave.account_id().to_string();
		assert_eq!(forged.open(genesis, &dave.account_id()), Err(Refused::BadSignature));
	}

	#[test]
	fn a_malformed_envelope_is_refused_with_its_field() {
		let (ferdie, dave) = keys();
		let genesis = H256::repeat_byte(7);
		let mut envelope = Envelope::seal(&ferdie, genesis, &dave.account_id(), 1, "{}");
		envelope.signature = "0xzz".into();
		let refused = envelope.open(genesis, &dave.account_id()).unwrap_err();
		assert!(matches!(refused, Refused::Malformed(ref why) if why.starts_with("signature")));
	}
}
