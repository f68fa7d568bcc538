//! The client's off-chain signing produces exactly the committed golden vectors of
//! `warden-primitives`: the same bytes for the same fields, and signatures that verify (and,
//! for ecdsa, which is deterministic, the same signatures).

use codec::{Decode, Encode};
use serde_json::Value;
use sp_runtime::traits::Verify;
use warden_client::{signing, AccountId32, Keypair, Scheme, H256};

const VECTORS: &str = include_str!("../../../primitives/test-vectors/signed-payloads.json");

fn unhex(value: &Value) -> Vec<u8> {
	hex::decode(value.as_str().unwrap().trim_start_matches("0x")).unwrap()
}

fn balance(value: &Value) -> u128 {
	value.as_str().unwrap().parse().unwrap()
}

fn key(vector: &Value) -> Keypair {
	let scheme = vector["scheme"].as_str().unwrap().parse::<Scheme>().unwrap();
	Keypair::from_suri(vector["signer"]["secret_uri"].as_str().unwrap(), scheme).unwrap()
}

#[test]
fn the_client_signs_the_golden_vectors() {
	let file: Value = serde_json::from_str(VECTORS).unwrap();
	let genesis = H256::from_slice(&unhex(&file["genesis_hash"]));
	let mut checked = 0;
	for vector in file["vectors"].as_array().unwrap() {
		let name = vector["name"].as_str().unwrap();
		let key = key(vector);
		assert_eq!(
			hex::encode(key.account_id().0),
			hex::encode(unhex(&vector["signer"]["account"]))
		);
		let fields = &vector["fields"];
		if vector["message"] == "peer_message" {
			// The envelope the daemons exchange signs exactly the vector's bytes.
			let to = AccountId32(unhex(&fields["to"]).try_into().unwrap());
			assert_eq!(hex::encode(unhex(&fields["from"])), hex::encode(key.account_id().0));
			let body = fields["body"].as_str().unwrap();
			let sealed = warden_client::peer::Envelope::seal(
				&key,
				genesis,
				&to,
				fields["sequence"].as_u64().unwrap(),
				body,
			);
			assert_eq!(sealed.body, body, "{name}: the body is kept as its exact text");
			let signature = sp_runtime::MultiSignature::decode(
				&mut &hex::decode(sealed.signature.trim_start_matches("0x")).unwrap()[..],
			)
			.unwrap();
			let account = sp_runtime::AccountId32::new(key.account_id().0);
			assert!(
				signature.verify(&unhex(&vector["signing_bytes"])[..], &account),
				"{name}: the envelope signs the vector's bytes"
			);
			// And the vector's own signature opens as an envelope.
			let golden = warden_client::peer::Envelope {
				signature: vector["signature"].as_str().unwrap().into(),
				..sealed
			};
			assert_eq!(golden.open(genesis, &to).map(|(from, _)| from), Ok(key.account_id()));
			checked += 1;
			continue;
		}
		let (channel, nonce) =
			(fields["channel"].as_u64().unwrap(), fields["nonce"].as_u64().unwrap());
		let (bytes, signature) = match vector["message"].as_str().unwrap() {
			"balance_proof" => {
				let proof = signing::balance_proof(
					&key,
					genesis,
					channel,
					nonce,
					balance(&fields["transferred"]),
				);
				(proof.payload(sp_core::H256(genesis.0)).signing_bytes(), proof.signature)
			}
			"cooperative_close" => {
				let proof = warden_primitives::BalanceProof {
					channel,
					nonce,
					transferred: balance(&fields["transferred"]),
					signature: sp_runtime::MultiSignature::Sr25519(Default::default()),
				};
				let signature = signing::cooperative_close_signature(&key, genesis, &proof);
				(
					proof.cooperative_close_payload(sp_core::H256(genesis.0)).signing_bytes(),
					signature,
				)
			}
			"reward_authorization" => {
				let proof_signature =
					sp_runtime::MultiSignature::decode(&mut &unhex(&fields["proof_signature"])[..])
						.unwrap();
				let proof = warden_primitives::BalanceProof {
					channel,
					nonce,
					transferred: balance(&fields["proof_transferred"]),
					signature: proof_signature,
				};
				let monitor = fields["monitor"]
					.as_str()
					.map(|_| AccountId32(unhex(&fields["monitor"]).try_into().unwrap()));
				let authorization = signing::reward_authorization(
					&key,
					genesis,
					&proof,
					balance(&fields["reward"]),
					monitor.as_ref(),
				);
				// The call argument carries the same fields.
				let arg = signing::authorization_arg(&authorization);
				assert_eq!(arg.monitor, monitor, "{name}");
				assert_eq!(
					hex::encode(arg.proof_signature_hash.0),
					hex::encode(unhex(&fields["proof_signature_hash"]))
				);
				(
					authorization.payload(sp_core::H256(genesis.0)).signing_bytes(),
					authorization.signature,
				)
			}
			other => panic!("unknown message {other}"),
		};
		assert_eq!(
			hex::encode(&bytes),
			hex::encode(unhex(&vector["signing_bytes"])),
			"{name}: bytes"
		);
		let account = sp_runtime::AccountId32::new(key.account_id().0);
		assert!(signature.verify(&bytes[..], &account), "{name}: the signature verifies");
		if key.scheme() == Scheme::Ecdsa {
			assert_eq!(
				hex::encode(signature.encode()),
				hex::encode(unhex(&vector["signature"])),
				"{name}"
			);
		}
		checked += 1;
	}
	assert_eq!(checked, 10);
}
