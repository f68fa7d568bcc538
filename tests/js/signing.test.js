// Warden's signed off-chain formats built in JavaScript (SCALE types and the keyring, no
// Rust), checked against the golden vectors of warden-primitives: the same bytes, and
// signatures the vectors' verification accepts.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';

import {
  TAGS, balanceProofBytes, keys, multiSignature, peerMessageBytes, registry, rewardAuthorizationBytes,
} from './lib/chain.js';

const golden = JSON.parse(fs.readFileSync(new URL('../../primitives/test-vectors/signed-payloads.json', import.meta.url)));

const tagOf = { balance_proof: TAGS.balanceProof, cooperative_close: TAGS.cooperativeClose };

function bytesOf(r, vector) {
  const { fields } = vector;
  if (vector.message === 'peer_message') {
    return peerMessageBytes(r, { genesisHash: golden.genesis_hash, ...fields });
  }
  const common = { genesisHash: golden.genesis_hash, channel: fields.channel, nonce: fields.nonce };
  if (vector.message === 'reward_authorization') {
    return rewardAuthorizationBytes(r, { ...common, reward: BigInt(fields.reward), proofSignatureHash: fields.proof_signature_hash, monitor: fields.monitor });
  }
  return balanceProofBytes(r, { ...common, transferred: BigInt(fields.transferred), tag: tagOf[vector.message] });
}

test('every golden vector: the JavaScript bytes equal the signing bytes', () => {
  const r = registry();
  assert.ok(golden.vectors.length >= 10);
  assert.ok(golden.vectors.some((v) => v.message === 'peer_message'), 'the peer envelope has vectors');
  for (const vector of golden.vectors) {
    assert.equal(u8aToHex(bytesOf(r, vector)), vector.signing_bytes, vector.name);
  }
});

test('reward authorizations bind the proof by the hash of its SCALE-encoded signature', () => {
  for (const vector of golden.vectors.filter((v) => v.message === 'reward_authorization')) {
    const hash = blake2AsU8a(hexToU8a(vector.fields.proof_signature), 256);
    assert.equal(u8aToHex(hash), vector.fields.proof_signature_hash, vector.name);
    const proof = golden.vectors.find((v) => v.message === 'balance_proof' && v.scheme === vector.scheme);
    assert.equal(vector.fields.proof_signature, proof.signature, `${vector.name}: the proof is the ${proof.name} vector`);
  }
});

test('the golden signatures verify in JavaScript, and keyring signatures match or verify', async () => {
  const r = registry();
  for (const scheme of ['sr25519', 'ecdsa']) {
    const pairs = await keys(scheme);
    for (const vector of golden.vectors.filter((v) => v.scheme === scheme)) {
      const pair = pairs[vector.signer.secret_uri.replace('//', '').toLowerCase()];
      const account = scheme === 'ecdsa' ? blake2AsU8a(pair.publicKey, 256) : pair.publicKey;
      assert.equal(u8aToHex(account), vector.signer.account, `${vector.name}: the keyring derives the signer`);
      const bytes = hexToU8a(vector.signing_bytes);
      const golden_signature = hexToU8a(vector.signature);
      // A MultiSignature: the scheme byte (1 sr25519, 2 ecdsa), then the signature.
      assert.equal(golden_signature[0], scheme === 'sr25519' ? 1 : 2);
      assert.ok(signatureVerify(bytes, golden_signature.slice(1), pair.publicKey).isValid, `${vector.name}: verifies`);
      const ours = multiSignature(r, pair, bytes);
      if (scheme === 'ecdsa') {
        // ECDSA (RFC 6979) is deterministic: the keyring's signature is the vector's.
        assert.equal(ours.toHex(), vector.signature, `${vector.name}: same signature`);
      } else {
        // sr25519 signatures are randomised: ours differs and verifies.
        assert.ok(signatureVerify(bytes, ours.toU8a().slice(1), pair.publicKey).isValid, `${vector.name}: ours verifies`);
      }
    }
  }
});
