//! Golden vectors of Warden's signed off-chain formats: the constructors must produce
//! exactly the committed bytes, and every committed signature must verify.
//!
//! `WARDEN_WRITE_GOLDEN_VECTORS=1` writes the file anew from the fixed keys and fields
//! below (new sr25519 signatures: they are randomized).

use codec::{Decode, Encode};
use serde_json::{json, Value};
use sp_core::{bytes, crypto::Ss58Codec, ecdsa, sr25519, Pair, H256};
use sp_io::hashing::blake2_256;
use sp_runtime::{
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	AccountId32, MultiSignature, MultiSigner,
};
use warden_primitives::{
	Balance, BalanceProof, BalanceProofPayload, ChannelId, PeerMessagePayload,
	RewardAuthorizationPayload,
};

const FILE: &str = "test-vectors/signed-payloads.json";
const COMMITTED: &str = include_str!("../test-vectors/signed-payloads.json");

/// The genesis hash every vector names.
const GENESIS_HASH: [u8; 32] = [0x57; 32];
const CHANNEL: ChannelId = 0;
const NONCE: u64 = 5;
const TRANSFERRED: Balance = 1_500_000_000_000;
const REWARD: Balance = 100_000_000_000;
/// The sender signs balance proofs; the receiver co-signs and authorizes rewards.
const SENDER_URI: &str = "//Alice";
const RECEIVER_URI: &str = "//Bob";
/// The monitor a named reward authorization is for (its sr25519 account).
const MONITOR_URI: &str = "//Ferdie";
/// A peer message: the sender's daemon delivers a proof to the receiver's.
const SEQUENCE: u64 = 42;
const PEER_BODY: &str = r#"{"type":"proof","proof":{"channel":0,"nonce":5}}"#;

/// The account of the monitor named in `named` authorizations.
fn named_monitor() -> AccountId32 {
	Key::from_uri("sr25519", MONITOR_URI).account()
}

/// The monitor field of a vector: `null`, or the hex of the account it names.
fn monitor_field(value: &Value) -> Option<AccountId32> {
	value.as_str().map(|_| AccountId32::new(unhex(value).try_into().expect("32 bytes")))
}

/// A key of one of the two schemes the vectors cover.
enum Key {
	Sr25519(sr25519::Pair),
	Ecdsa(ecdsa::Pair),
}

impl Key {
	fn from_uri(scheme: &str, uri: &str) -> Key {
		match scheme {
			"sr25519" => Key::Sr25519(sr25519::Pair::from_string(uri, None).unwrap()),
			"ecdsa" => Key::Ecdsa(ecdsa::Pair::from_string(uri, None).unwrap()),
			other => panic!("unknown scheme {other}"),
		}
	}

	fn signer(&self) -> MultiSigner {
		match self {
			Key::Sr25519(pair) => pair.public().into(),
			Key::Ecdsa(pair) => pair.public().into(),
		}
	}

	fn public_bytes(&self) -> Vec<u8> {
		match self {
			Key::Sr25519(pair) => pair.public().0.to_vec(),
			Key::Ecdsa(pair) => pair.public().0.to_vec(),
		}
	}

	fn account(&self) -> AccountId32 {
		self.signer().into_account()
	}

	fn sign(&self, message: &[u8]) -> MultiSignature {
		match self {
			Key::Sr25519(pair) => pair.sign(message).into(),
			Key::Ecdsa(pair) => pair.sign(message).into(),
		}
	}
}

fn hex(data: &[u8]) -> String {
	bytes::to_hex(data, false)
}

fn unhex(value: &Value) -> Vec<u8> {
	bytes::from_hex(value.as_str().expect("a hex string")).expect("valid hex")
}

fn balance(value: &Value) -> Balance {
	value.as_str().expect("a decimal string").parse().expect("a balance")
}

/// The payload bytes a vector's fields describe, built through the primitives
/// constructors.
fn signing_bytes(vector: &Value, genesis_hash: H256) -> Vec<u8> {
	let fields = &vector["fields"];
	if vector["message"] == "peer_message" {
		let account = |field: &Value| AccountId32::new(unhex(field).try_into().expect("32 bytes"));
		return PeerMessagePayload::new(
			genesis_hash,
			account(&fields["from"]),
			account(&fields["to"]),
			fields["sequence"].as_u64().unwrap(),
			fields["body"].as_str().unwrap().as_bytes().to_vec(),
		)
		.signing_bytes();
	}
	let channel = fields["channel"].as_u64().unwrap();
	let nonce = fields["nonce"].as_u64().unwrap();
	match vector["message"].as_str().unwrap() {
		"balance_proof" => {
			BalanceProofPayload::new(genesis_hash, channel, nonce, balance(&fields["transferred"]))
				.signing_bytes()
		}
		"cooperative_close" => BalanceProofPayload::cooperative_close(
			genesis_hash,
			channel,
			nonce,
			balance(&fields["transferred"]),
		)
		.signing_bytes(),
		"reward_authorization" => {
			let proof_signature =
				MultiSignature::decode(&mut &unhex(&fields["proof_signature"])[..]).unwrap();
			let proof = BalanceProof {
				channel,
				nonce,
				transferred: balance(&fields["proof_transferred"]),
				signature: proof_signature,
			};
			let payload = RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(
				genesis_hash,
				&proof,
				balance(&fields["reward"]),
				monitor_field(&fields["monitor"]),
			);
			assert_eq!(
				hex(payload.proof_signature_hash.as_bytes()),
				fields["proof_signature_hash"].as_str().unwrap(),
				"{}: proof_signature_hash",
				vector["name"]
			);
			payload.signing_bytes()
		}
		other => panic!("unknown message {other}"),
	}
}

/// One vector: `message` signed by `signer` (its key fields) with `scheme` over `bytes`,
/// built from `fields`.
fn vector(
	name: String,
	message: &str,
	scheme: &str,
	signer: Value,
	fields: Value,
	bytes: &[u8],
	signature: &MultiSignature,
) -> Value {
	json!({
		"name": name,
		"message": message,
		"scheme": scheme,
		"signer": signer,
		"fields": fields,
		"signing_bytes": hex(bytes),
		"signature": hex(&signature.encode()),
	})
}

/// Builds the whole file from the fixed keys and fields.
fn generate() -> Value {
	let genesis_hash = H256(GENESIS_HASH);
	let mut vectors = Vec::new();
	for scheme in ["sr25519", "ecdsa"] {
		let sender = Key::from_uri(scheme, SENDER_URI);
		let receiver = Key::from_uri(scheme, RECEIVER_URI);
		let key_fields = |key: &Key, uri: &str| {
			json!({
				"secret_uri": uri,
				"public": hex(&key.public_bytes()),
				"account": hex(key.account().as_ref()),
				"account_ss58": key.account().to_ss58check(),
			})
		};

		let proof_payload = BalanceProofPayload::new(genesis_hash, CHANNEL, NONCE, TRANSFERRED);
		let proof_signature = sender.sign(&proof_payload.signing_bytes());
		let proof = proof_payload.clone().into_proof(proof_signature.clone());
		vectors.push(vector(
			format!("balance_proof_{scheme}"),
			"balance_proof",
			scheme,
			key_fields(&sender, SENDER_URI),
			json!({
				"channel": CHANNEL,
				"nonce": NONCE,
				"transferred": TRANSFERRED.to_string(),
			}),
			&proof_payload.signing_bytes(),
			&proof_signature,
		));

		let close_payload =
			BalanceProofPayload::cooperative_close(genesis_hash, CHANNEL, NONCE, TRANSFERRED);
		let close_signature = receiver.sign(&close_payload.signing_bytes());
		vectors.push(vector(
			format!("cooperative_close_{scheme}"),
			"cooperative_close",
			scheme,
			key_fields(&receiver, RECEIVER_URI),
			json!({
				"channel": CHANNEL,
				"nonce": NONCE,
				"transferred": TRANSFERRED.to_string(),
			}),
			&close_payload.signing_bytes(),
			&close_signature,
		));

		for (name, monitor) in [
			(format!("reward_authorization_{scheme}"), None),
			(format!("reward_authorization_named_{scheme}"), Some(named_monitor())),
		] {
			let authorization = RewardAuthorizationPayload::for_proof::<BlakeTwo256, _>(
				genesis_hash,
				&proof,
				REWARD,
				monitor.clone(),
			);
			let authorization_signature = receiver.sign(&authorization.signing_bytes());
			vectors.push(vector(
				name,
				"reward_authorization",
				scheme,
				key_fields(&receiver, RECEIVER_URI),
				json!({
					"channel": CHANNEL,
					"nonce": NONCE,
					"reward": REWARD.to_string(),
					"proof_transferred": TRANSFERRED.to_string(),
					"proof_signature": hex(&proof_signature.encode()),
					"proof_signature_hash": hex(&blake2_256(&proof_signature.encode())),
					"monitor": monitor.map(|account| hex(account.as_ref())),
				}),
				&authorization.signing_bytes(),
				&authorization_signature,
			));
		}

		let message = PeerMessagePayload::new(
			genesis_hash,
			sender.account(),
			receiver.account(),
			SEQUENCE,
			PEER_BODY.as_bytes().to_vec(),
		);
		let message_signature = sender.sign(&message.signing_bytes());
		assert!(message.is_signed(&message_signature));
		vectors.push(vector(
			format!("peer_message_{scheme}"),
			"peer_message",
			scheme,
			key_fields(&sender, SENDER_URI),
			json!({
				"from": hex(sender.account().as_ref()),
				"to": hex(receiver.account().as_ref()),
				"sequence": SEQUENCE,
				"body": PEER_BODY,
			}),
			&message.signing_bytes(),
			&message_signature,
		));
	}
	json!({
		"description": "Golden vectors of Warden's signed off-chain formats. signing_bytes is the SCALE encoding of the payload built from fields; signature is a SCALE-encoded MultiSignature (0x01 sr25519, 0x02 ecdsa) by signer over signing_bytes. Balances are decimal strings. The reward authorization's proof is the balance_proof vector of the same scheme; a peer_message's from and to are accounts (hex) and its body the exact UTF-8 bytes signed, SCALE-encoded as Vec<u8>; its monitor is null (any registered monitor may use it) or the account of the only monitor that may (here //Ferdie's sr25519 account), encoded as Option<AccountId32>.",
		"genesis_hash": hex(&GENESIS_HASH),
		"vectors": vectors,
	})
}

fn committed() -> Value {
	serde_json::from_str(COMMITTED).expect("the committed vectors are JSON")
}

/// Whether this run writes the file anew: the checks of the file compiled in then wait
/// for the next run.
fn writing() -> bool {
	std::env::var_os("WARDEN_WRITE_GOLDEN_VECTORS").is_some()
}

#[test]
fn constructors_build_the_committed_bytes_and_signatures_verify() {
	if writing() {
		let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
		let text = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
		std::fs::write(&path, text).unwrap();
		eprintln!("wrote {}", path.display());
		return;
	}
	let file = committed();
	let genesis_hash = H256::from_slice(&unhex(&file["genesis_hash"]));
	let vectors = file["vectors"].as_array().unwrap();
	assert_eq!(vectors.len(), 10, "five messages (a reward authorization for any monitor and one for a named monitor), two schemes");
	for vector in vectors {
		let name = vector["name"].as_str().unwrap();
		let bytes = signing_bytes(vector, genesis_hash);
		assert_eq!(hex(&bytes), vector["signing_bytes"].as_str().unwrap(), "{name}: bytes");

		let key = Key::from_uri(
			vector["scheme"].as_str().unwrap(),
			vector["signer"]["secret_uri"].as_str().unwrap(),
		);
		assert_eq!(hex(&key.public_bytes()), vector["signer"]["public"].as_str().unwrap());
		let account = key.account();
		assert_eq!(hex(account.as_ref()), vector["signer"]["account"].as_str().unwrap());
		assert_eq!(account.to_ss58check(), vector["signer"]["account_ss58"].as_str().unwrap());

		let signature = MultiSignature::decode(&mut &unhex(&vector["signature"])[..]).unwrap();
		assert!(signature.verify(&bytes[..], &account), "{name}: the signature verifies");
		if let Key::Ecdsa(_) = key {
			// RFC 6979: the same key and message always give the same signature.
			assert_eq!(key.sign(&bytes).encode(), signature.encode(), "{name}: deterministic");
		}
	}
}

#[test]
fn a_changed_field_breaks_every_signature() {
	if writing() {
		return;
	}
	let file = committed();
	let genesis_hash = H256::from_slice(&unhex(&file["genesis_hash"]));
	for vector in file["vectors"].as_array().unwrap() {
		let name = vector["name"].as_str().unwrap();
		let account =
			AccountId32::new(unhex(&vector["signer"]["account"]).try_into().expect("32 bytes"));
		let signature = MultiSignature::decode(&mut &unhex(&vector["signature"])[..]).unwrap();
		let mut tampered = vector.clone();
		let counter = if vector["message"] == "peer_message" { "sequence" } else { "nonce" };
		let value = tampered["fields"][counter].as_u64().unwrap();
		tampered["fields"][counter] = json!(value + 1);
		if tampered["message"] == "reward_authorization" {
			// The proof hash binds the reward to the proof; the check on it comes first.
			continue;
		}
		let bytes = signing_bytes(&tampered, genesis_hash);
		assert!(
			!signature.verify(&bytes[..], &account),
			"{name}: a new nonce needs a new signature"
		);
		if vector["message"] == "peer_message" {
			let mut relayed = vector.clone();
			relayed["fields"]["to"] = json!(hex(named_monitor().as_ref()));
			let bytes = signing_bytes(&relayed, genesis_hash);
			assert!(!signature.verify(&bytes[..], &account), "{name}: bound to its recipient");
		}
		let other_chain = signing_bytes(vector, H256::repeat_byte(0x01));
		assert!(!signature.verify(&other_chain[..], &account), "{name}: bound to its chain");
	}
}

#[test]
fn the_generator_matches_the_committed_file_but_for_randomized_signatures() {
	if writing() {
		return;
	}
	let mut fresh = generate();
	let mut file = committed();
	for value in [&mut fresh, &mut file] {
		for vector in value["vectors"].as_array_mut().unwrap() {
			if vector["scheme"] == "sr25519" {
				vector["signature"] = Value::Null;
				vector["fields"]["proof_signature"] = Value::Null;
				vector["fields"]["proof_signature_hash"] = Value::Null;
				if vector["message"] == "reward_authorization" {
					vector["signing_bytes"] = Value::Null;
				}
			}
		}
	}
	assert_eq!(fresh, file, "regenerate with WARDEN_WRITE_GOLDEN_VECTORS=1");
}
