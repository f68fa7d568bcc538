//! What a channel receiver sends a monitor (`warden-monitor`'s `PUT /api/1/balance_proofs`):
//! a balance proof and its reward authorization as JSON, and the checks that need no chain
//! access. One definition for both sides: the monitor checks submissions with it and a
//! receiver's wallet builds them with it.
//!
//! ```json
//! {
//!   "proof": {
//!     "channel": 7, "nonce": 4, "transferred": "70000000000000",
//!     "signature": "0x01…"
//!   },
//!   "authorization": {
//!     "channel": 7, "nonce": 4, "reward": "5000000000000",
//!     "proof_signature_hash": "0x…", "monitor": null,
//!     "signature": "0x01…"
//!   },
//!   "sender": "5F…", "receiver": "5G…"
//! }
//! ```
//!
//! Amounts are planck, as a JSON string or number. Signatures are the hex of the SCALE
//! encoding of the chain's `MultiSignature` (a scheme byte, then the signature); the
//! monitor is an SS58 address or `null`. `sender` and `receiver` name the channel's parties:
//! optional for a channel the chain has issued (they must then match it), required for one
//! it hasn't issued yet. [`Submission::new`] and [`Submission::with_parties`] build this
//! from the [`crate::signing`] functions.

use crate::{
	keys::{from_chain_account, to_chain_account},
	parse_account,
	signing::{Authorization, Proof},
	AccountId32,
};
use codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use warden_primitives::PairMismatch;

/// Why a submission is refused: the HTTP status, a machine-readable code and a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
	/// The HTTP status.
	#[serde(skip)]
	pub status: u16,
	/// A stable, machine-readable code, e.g. `stale_nonce`.
	pub code: &'static str,
	/// What went wrong, for people.
	pub message: String,
}

impl Refusal {
	/// A refusal with `status`, `code` and `message`.
	pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
		Self { status, code, message: message.into() }
	}

	/// `400`: the request can't be read.
	pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
		Self::new(400, code, message)
	}

	/// `422`: the request is well-formed but its content is refused.
	pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
		Self::new(422, code, message)
	}
}

impl std::fmt::Display for Refusal {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{} ({}): {}", self.code, self.status, self.message)
	}
}

/// An amount in planck: a JSON string (any size) or number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(pub u128);

impl Serialize for Amount {
	fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&self.0.to_string())
	}
}

impl<'de> Deserialize<'de> for Amount {
	fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
		#[derive(Deserialize)]
		#[serde(untagged)]
		enum Either {
			Number(u64),
			Text(String),
		}
		match Either::deserialize(d)? {
			Either::Number(n) => Ok(Amount(n.into())),
			Either::Text(text) => text.trim().parse().map(Amount).map_err(|_| {
				serde::de::Error::custom(format!("`{text}` is not an amount in planck"))
			}),
		}
	}
}

/// A balance proof as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofJson {
	/// The channel.
	pub channel: u64,
	/// The proof's nonce.
	pub nonce: u64,
	/// Everything transferred to the receiver so far, in planck.
	pub transferred: Amount,
	/// The sender's signature: hex of the SCALE-encoded `MultiSignature`.
	pub signature: String,
}

/// A reward authorization as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationJson {
	/// The channel.
	pub channel: u64,
	/// The nonce of the proof it is for.
	pub nonce: u64,
	/// The reward, in planck.
	pub reward: Amount,
	/// Hex of the Blake2-256 hash of the proof's SCALE-encoded signature.
	pub proof_signature_hash: String,
	/// The only monitor that may use it (SS58), or `null` for any.
	#[serde(default)]
	pub monitor: Option<String>,
	/// The receiver's signature: hex of the SCALE-encoded `MultiSignature`.
	pub signature: String,
}

/// What `PUT /api/1/balance_proofs` takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
	/// The sender's balance proof.
	pub proof: ProofJson,
	/// The receiver's reward authorization for it.
	pub authorization: AuthorizationJson,
	/// The channel's sender (SS58): required for a channel not issued yet, whose parties
	/// the chain can't tell yet; checked against the chain's otherwise.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub sender: Option<String>,
	/// The channel's receiver (SS58), like `sender`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub receiver: Option<String>,
}

/// A channel's sender and receiver as a submission names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parties {
	/// Who pays; signs balance proofs.
	pub sender: sp_runtime::AccountId32,
	/// Who is paid; signs reward authorizations.
	pub receiver: sp_runtime::AccountId32,
}

fn hex_of(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn bytes_of(field: &str, text: &str) -> Result<Vec<u8>, Refusal> {
	hex::decode(text.trim_start_matches("0x"))
		.map_err(|e| Refusal::bad_request("bad_field", format!("{field}: not hex ({e})")))
}

fn signature_of(field: &str, text: &str) -> Result<sp_runtime::MultiSignature, Refusal> {
	let bytes = bytes_of(field, text)?;
	let mut input = &bytes[..];
	let signature =
		sp_runtime::MultiSignature::decode(&mut input).map_err(|_| {
			Refusal::bad_request(
			"bad_field",
			format!("{field}: not a SCALE-encoded MultiSignature (a scheme byte, then the signature)"),
		)
		})?;
	if !input.is_empty() {
		return Err(Refusal::bad_request("bad_field", format!("{field}: trailing bytes")));
	}
	Ok(signature)
}

impl ProofJson {
	/// The JSON of `proof`.
	pub fn new(proof: &Proof) -> Self {
		Self {
			channel: proof.channel,
			nonce: proof.nonce,
			transferred: Amount(proof.transferred),
			signature: hex_of(&proof.signature.encode()),
		}
	}

	/// The proof it carries, or why it can't be read.
	pub fn decode(&self) -> Result<Proof, Refusal> {
		Ok(Proof {
			channel: self.channel,
			nonce: self.nonce,
			transferred: self.transferred.0,
			signature: signature_of("proof.signature", &self.signature)?,
		})
	}
}

impl Submission {
	/// The JSON of `proof` and `authorization`.
	pub fn new(proof: &Proof, authorization: &Authorization) -> Self {
		Self {
			proof: ProofJson::new(proof),
			authorization: AuthorizationJson {
				channel: authorization.channel,
				nonce: authorization.nonce,
				reward: Amount(authorization.reward),
				proof_signature_hash: hex_of(authorization.proof_signature_hash.as_bytes()),
				monitor: authorization.monitor.as_ref().map(|m| from_chain_account(m).to_string()),
				signature: hex_of(&authorization.signature.encode()),
			},
			sender: None,
			receiver: None,
		}
	}

	/// The JSON of `proof` and `authorization` naming the channel's `sender` and
	/// `receiver`, as a proof for a channel not issued yet needs.
	pub fn with_parties(
		proof: &Proof,
		authorization: &Authorization,
		sender: &AccountId32,
		receiver: &AccountId32,
	) -> Self {
		Self {
			sender: Some(sender.to_string()),
			receiver: Some(receiver.to_string()),
			..Self::new(proof, authorization)
		}
	}

	/// The parties the submission names, if it names them (both or neither).
	pub fn parties(&self) -> Result<Option<Parties>, Refusal> {
		let account = |field: &str, text: &str| {
			parse_account(text).map(|a| to_chain_account(&a)).map_err(|_| {
				Refusal::bad_request("bad_field", format!("{field}: `{text}` is not an account"))
			})
		};
		match (&self.sender, &self.receiver) {
			(None, None) => Ok(None),
			(Some(sender), Some(receiver)) => Ok(Some(Parties {
				sender: account("sender", sender)?,
				receiver: account("receiver", receiver)?,
			})),
			_ => Err(Refusal::bad_request(
				"bad_field",
				"name both the channel's sender and its receiver, or neither",
			)),
		}
	}

	/// The proof and authorization it carries, or why they can't be read.
	pub fn decode(&self) -> Result<(Proof, Authorization), Refusal> {
		let proof = self.proof.decode()?;
		let a = &self.authorization;
		let hash = bytes_of("authorization.proof_signature_hash", &a.proof_signature_hash)?;
		let hash: [u8; 32] = hash.try_into().map_err(|_| {
			Refusal::bad_request("bad_field", "authorization.proof_signature_hash: not 32 bytes")
		})?;
		let monitor = match &a.monitor {
			None => None,
			Some(text) => Some(to_chain_account(&parse_account(text).map_err(|_| {
				Refusal::bad_request(
					"bad_field",
					format!("authorization.monitor: `{text}` is not an account"),
				)
			})?)),
		};
		let authorization = Authorization {
			channel: a.channel,
			nonce: a.nonce,
			reward: a.reward.0,
			proof_signature_hash: sp_core::H256(hash),
			monitor,
			signature: signature_of("authorization.signature", &a.signature)?,
		};
		Ok((proof, authorization))
	}
}

/// Checks that `authorization` is for exactly `proof` and may be used by `me`: no chain
/// access, no signature checks.
pub fn check_pair(
	proof: &Proof,
	authorization: &Authorization,
	me: &AccountId32,
) -> Result<(), Refusal> {
	if proof.nonce == 0 {
		return Err(Refusal::unprocessable("zero_nonce", "a balance proof's nonce starts at 1"));
	}
	// The chain's own rule (`warden-primitives`), so the two can't drift.
	let me = to_chain_account(me);
	authorization.check_pair::<sp_runtime::traits::BlakeTwo256, _>(proof, &me).map_err(
		|mismatch| match mismatch {
			PairMismatch::Channel | PairMismatch::Nonce => Refusal::unprocessable(
				"authorization_mismatch",
				"the authorization is for another channel or nonce than the proof",
			),
			PairMismatch::Proof => Refusal::unprocessable(
				"authorization_mismatch",
				"the authorization is for another proof: its proof_signature_hash doesn't match",
			),
			PairMismatch::NotNamedMonitor => Refusal::unprocessable(
				"not_named_monitor",
				format!(
					"the authorization names another monitor, {}",
					authorization
						.monitor
						.as_ref()
						.map_or_else(String::new, |named| from_chain_account(named).to_string())
				),
			),
		},
	)?;
	Ok(())
}

/// Checks both signatures on the chain with `genesis_hash`: the proof's by `sender`, the
/// authorization's by `receiver`.
pub fn check_signatures(
	genesis_hash: sp_core::H256,
	proof: &Proof,
	authorization: &Authorization,
	sender: &sp_runtime::AccountId32,
	receiver: &sp_runtime::AccountId32,
) -> Result<(), Refusal> {
	if !proof.is_signed_by(genesis_hash, sender) {
		return Err(Refusal::unprocessable(
			"bad_proof_signature",
			"the balance proof is not signed by the channel's sender",
		));
	}
	if !authorization.is_signed_by(genesis_hash, receiver) {
		return Err(Refusal::unprocessable(
			"bad_authorization_signature",
			"the reward authorization is not signed by the channel's receiver",
		));
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{signing, Keypair, Scheme, H256};

	fn key(name: &str) -> Keypair {
		Keypair::from_suri(name, Scheme::Sr25519).expect("dev key")
	}

	fn signed() -> (Proof, Authorization) {
		let genesis = H256([7; 32]);
		let proof = signing::balance_proof(&key("//Ferdie"), genesis, 3, 4, 70);
		let authorization = signing::reward_authorization(&key("//Dave"), genesis, &proof, 5, None);
		(proof, authorization)
	}

	#[test]
	fn json_round_trips_and_signatures_verify() {
		let (proof, authorization) = signed();
		let json = serde_json::to_string(&Submission::new(&proof, &authorization)).expect("json");
		let back: Submission = serde_json::from_str(&json).expect("parses");
		let (p, a) = back.decode().expect("decodes");
		assert_eq!((p.clone(), a.clone()), (proof, authorization));
		check_pair(&p, &a, &key("//Charlie").account_id()).expect("a pair");
		let (ferdie, dave) = (
			to_chain_account(&key("//Ferdie").account_id()),
			to_chain_account(&key("//Dave").account_id()),
		);
		let genesis = sp_core::H256([7; 32]);
		check_signatures(genesis, &p, &a, &ferdie, &dave).expect("signed by the parties");
		let refused = check_signatures(genesis, &p, &a, &dave, &dave).expect_err("wrong sender");
		assert_eq!(refused.code, "bad_proof_signature");
		let refused =
			check_signatures(genesis, &p, &a, &ferdie, &ferdie).expect_err("wrong receiver");
		assert_eq!(refused.code, "bad_authorization_signature");
		let other_chain = sp_core::H256([8; 32]);
		assert!(check_signatures(other_chain, &p, &a, &ferdie, &dave).is_err());
	}

	#[test]
	fn amounts_read_as_strings_or_numbers() {
		let (proof, authorization) = signed();
		let mut json = serde_json::to_value(Submission::new(&proof, &authorization)).expect("json");
		json["proof"]["transferred"] = serde_json::json!(70);
		let back: Submission = serde_json::from_value(json.clone()).expect("a number");
		assert_eq!(back.proof.transferred, Amount(70));
		json["proof"]["transferred"] = serde_json::json!("seventy");
		assert!(serde_json::from_value::<Submission>(json).is_err());
	}

	#[test]
	fn parties_are_named_both_or_neither() {
		let (proof, authorization) = signed();
		let plain = Submission::new(&proof, &authorization);
		assert_eq!(plain.parties(), Ok(None));
		let (ferdie, dave) = (key("//Ferdie").account_id(), key("//Dave").account_id());
		let named = Submission::with_parties(&proof, &authorization, &ferdie, &dave);
		let parties = named.parties().expect("parses").expect("named");
		assert_eq!(parties.sender, to_chain_account(&ferdie));
		assert_eq!(parties.receiver, to_chain_account(&dave));
		// JSON round trip keeps them; a submission without them has no such fields.
		let json = serde_json::to_string(&named).expect("json");
		let back: Submission = serde_json::from_str(&json).expect("parses");
		assert_eq!(back, named);
		assert!(!serde_json::to_string(&plain).expect("json").contains("sender"));
		let one = Submission { receiver: None, ..named.clone() };
		assert_eq!(one.parties().map_err(|r| r.code), Err("bad_field"));
		let bad = Submission { sender: Some("nobody".into()), ..named };
		assert_eq!(bad.parties().map_err(|r| r.code), Err("bad_field"));
	}

	#[test]
	fn mismatched_pairs_are_refused() {
		let (proof, authorization) = signed();
		let me = key("//Charlie").account_id();
		let mut other = proof.clone();
		other.nonce = 5;
		assert_eq!(
			check_pair(&other, &authorization, &me).unwrap_err().code,
			"authorization_mismatch"
		);
		let mut other = proof.clone();
		other.signature = authorization.signature.clone();
		assert_eq!(
			check_pair(&other, &authorization, &me).unwrap_err().code,
			"authorization_mismatch"
		);
		let named = signing::reward_authorization(
			&key("//Dave"),
			H256([7; 32]),
			&proof,
			5,
			Some(&key("//Eve").account_id()),
		);
		assert_eq!(check_pair(&proof, &named, &me).unwrap_err().code, "not_named_monitor");
		let mut json = Submission::new(&proof, &authorization);
		json.proof.signature = "0x99".into();
		assert_eq!(json.decode().unwrap_err().code, "bad_field");
	}
}
