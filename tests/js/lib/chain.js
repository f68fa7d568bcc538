// Talking to Warden through @polkadot/api: connecting, keys, submitting with decoded
// results, and Warden's signed off-chain formats built with SCALE types and the keyring.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

/** One WRD in planck (12 decimals). */
export const UNIT = 10n ** 12n;

/** Connects to `url`; fails after `timeoutMs`. */
export async function connect(url, { timeoutMs = 30_000 } = {}) {
  const provider = new WsProvider(url, 1_000, {}, timeoutMs);
  const api = await withTimeout(ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }), timeoutMs, `connecting to ${url}`);
  return api;
}

export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The development keys, sr25519 (and ecdsa on request). */
export async function keys(type = 'sr25519') {
  await cryptoWaitReady();
  const keyring = new Keyring({ type, ss58Format: 42 });
  const add = (name) => keyring.addFromUri(`//${name}`);
  return Object.fromEntries(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) => [n.toLowerCase(), add(n)]));
}

/** A dispatch error as `{ section, name, docs }` (module errors), or its text. */
export function decodeError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return { section, name, docs: docs.join(' ') };
  }
  return { section: null, name: dispatchError.toString(), docs: '' };
}

/**
 * Signs and submits `tx` with `signer`; resolves once its block is finalized with its events
 * and, if it failed, its decoded error. Fails after `timeoutMs`.
 */
export function submit(api, tx, signer, { timeoutMs = 60_000 } = {}) {
  let unsubscribe = () => {};
  const done = new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      }
      if (status.isFinalized) {
        unsubscribe();
        resolve({
          block: status.asFinalized.toHex(),
          events: events.map(({ event }) => event),
          error: dispatchError ? decodeError(api, dispatchError) : null,
        });
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
  return withTimeout(done, timeoutMs, `${tx.method.section}.${tx.method.method}`);
}

/** The first event `section.method` of `result`, or undefined. */
export function eventOf(result, section, method) {
  return result.events.find((e) => e.section === section && e.method === method);
}

// Warden's signed off-chain formats, as SCALE types (see warden-primitives).
export const TYPES = {
  WardenBalanceProofPayload: {
    tag: '[u8; 16]', genesisHash: 'H256', channel: 'u64', nonce: 'u64', transferred: 'u128',
  },
  WardenRewardAuthorizationPayload: {
    tag: '[u8; 16]', genesisHash: 'H256', channel: 'u64', nonce: 'u64', reward: 'u128',
    proofSignatureHash: 'H256', monitor: 'Option<AccountId32>',
  },
  WardenPeerMessagePayload: {
    tag: '[u8; 16]', genesisHash: 'H256', from: 'AccountId32', to: 'AccountId32', sequence: 'u64', body: 'Bytes',
  },
};

export const TAGS = {
  balanceProof: stringToU8a('warden/bal-proof'),
  cooperativeClose: stringToU8a('warden/coop-clos'),
  rewardAuthorization: stringToU8a('warden/mon-rewrd'),
  peerMessage: stringToU8a('warden/peer-msg_'),
};

export function registry() {
  const r = new TypeRegistry();
  r.register(TYPES);
  return r;
}

/** What a sender signs for a balance proof (or a receiver for a cooperative close). */
export function balanceProofBytes(r, { genesisHash, channel, nonce, transferred, tag = TAGS.balanceProof }) {
  return r.createType('WardenBalanceProofPayload', { tag, genesisHash, channel, nonce, transferred }).toU8a();
}

/** What a receiver signs for a reward authorization. */
export function rewardAuthorizationBytes(r, { genesisHash, channel, nonce, reward, proofSignatureHash, monitor = null }) {
  return r.createType('WardenRewardAuthorizationPayload', { tag: TAGS.rewardAuthorization, genesisHash, channel, nonce, reward, proofSignatureHash, monitor }).toU8a();
}

/** What one wardend signs for a message to another: `body` is the exact JSON text. */
export function peerMessageBytes(r, { genesisHash, from, to, sequence, body }) {
  return r.createType('WardenPeerMessagePayload', { tag: TAGS.peerMessage, genesisHash, from, to, sequence, body: u8aToHex(stringToU8a(body)) }).toU8a();
}

/** `pair`'s signature of `bytes` as a SCALE-encoded MultiSignature. */
export function multiSignature(r, pair, bytes) {
  const variant = { sr25519: 'Sr25519', ed25519: 'Ed25519', ecdsa: 'Ecdsa' }[pair.type];
  return r.createType('MultiSignature', { [variant]: pair.sign(bytes) });
}

/** The chain's hash of a proof's SCALE-encoded signature (Blake2-256). */
export function signatureHash(signature) {
  return blake2AsU8a(signature.toU8a(), 256);
}

/**
 * A balance proof and a reward authorization for it, signed in JavaScript, as the call
 * arguments of `monitoring.monitorUpdate` and `channels.close`.
 */
export function signedProof(r, { genesisHash, channel, nonce, transferred, sender }) {
  const signature = multiSignature(r, sender, balanceProofBytes(r, { genesisHash, channel, nonce, transferred }));
  return { channel, nonce, transferred, signature: signature.toJSON(), signatureObject: signature };
}

export function signedAuthorization(r, { genesisHash, proof, reward, receiver, monitor = null }) {
  const proofSignatureHash = signatureHash(proof.signatureObject);
  const bytes = rewardAuthorizationBytes(r, { genesisHash, channel: proof.channel, nonce: proof.nonce, reward, proofSignatureHash, monitor });
  const signature = multiSignature(r, receiver, bytes);
  return { channel: proof.channel, nonce: proof.nonce, reward, proofSignatureHash: u8aToHex(proofSignatureHash), monitor, signature: signature.toJSON() };
}

/** The call argument of a proof (without the helper field). */
export function proofArg({ channel, nonce, transferred, signature }) {
  return { channel, nonce, transferred, signature };
}
