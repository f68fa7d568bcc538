// Node modes: a development node sealing by hand (`--sealing manual`, `engine_createBlock`,
// `engine_finalizeBlock`), and a raw chain spec from `build-spec --chain local --raw`
// started with `--chain <file>`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { WsProvider } from '@polkadot/api';

import { UNIT, connect, keys, withTimeout } from './lib/chain.js';
import { runNode, sleep, startNode } from './lib/node.js';

test('manual sealing: blocks are made and finalized only on request', async () => {
  const node = await startNode(['--dev', '--sealing', 'manual']);
  const api = await connect(node.url);
  try {
    const k = await keys();
    await sleep(1_500);
    assert.equal((await api.rpc.chain.getHeader()).number.toNumber(), 0, 'nothing sealed by itself');

    // A transfer waits in the pool until a block is made.
    const before = (await api.query.system.account(k.ferdie.address)).data.free.toBigInt();
    // Immortal: a mortal era needs a parent of the best block, and there is only genesis.
    const hash = await api.tx.balances.transferKeepAlive(k.ferdie.address, 7n * UNIT).signAndSend(k.bob, { era: 0 });
    assert.equal((await api.rpc.author.pendingExtrinsics()).length, 1);

    // The engine RPCs through the provider, answers as the node sends them: @polkadot/api
    // 16.5.6 decodes `engine_createBlock`'s answer (which also carries `proof_size`) to a
    // hash that isn't the block's.
    const provider = new WsProvider(node.url);
    await withTimeout(provider.isReady, 30_000, 'the provider');
    const engine = (method, ...params) => provider.send(`engine_${method}`, params);
    const created = await engine('createBlock', true, false, null);
    const block = created.hash;
    // Read at the best block: @polkadot/api can't decorate a read at block #1 by its hash
    // (it looks for genesis's parent), so the test reads the head and checks its hash.
    const header = await api.rpc.chain.getHeader();
    assert.equal(header.number.toNumber(), 1);
    assert.equal((await api.rpc.chain.getBlockHash(1)).toHex(), block);
    const extrinsics = (await api.rpc.chain.getBlock()).block.extrinsics.map((x) => x.hash.toHex());
    assert.ok(extrinsics.includes(hash.toHex()), 'the transfer is in the block');
    const after = (await api.query.system.account(k.ferdie.address)).data.free.toBigInt();
    assert.equal(after - before, 7n * UNIT);
    assert.equal((await api.rpc.chain.getFinalizedHead()).toHex(), api.genesisHash.toHex(), 'not finalized yet');

    assert.equal(await engine('finalizeBlock', block, null), true);
    assert.equal((await api.rpc.chain.getFinalizedHead()).toHex(), block);

    // An empty block on request, on top.
    const empty = await engine('createBlock', true, true, null);
    assert.equal((await api.rpc.chain.getHeader()).number.toNumber(), 2);
    assert.equal((await api.rpc.chain.getBlockHash(2)).toHex(), empty.hash);
    assert.equal((await api.rpc.chain.getFinalizedHead()).toHex(), empty.hash, 'finalized at once');
    await provider.disconnect();
  } finally {
    await api.disconnect();
    await node.stop();
  }
});

test('a raw chain spec of the local testnet starts a chain that authors blocks', async () => {
  const raw = runNode(['build-spec', '--chain', 'local', '--raw', '--disable-default-bootnode']);
  const spec = JSON.parse(raw);
  assert.equal(spec.id, 'warden_local_testnet');
  assert.ok(spec.genesis.raw?.top, 'the genesis is raw storage');
  assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'WRD' });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-spec-')), 'local-raw.json');
  fs.writeFileSync(file, raw);

  // Alice alone, one of the spec's two authorities: she authors in her Aura slots.
  const node = await startNode(['--chain', file, '--alice', '--force-authoring', '--unsafe-force-node-key-generation']);
  const api = await connect(node.url);
  try {
    assert.equal((await api.rpc.system.chain()).toString(), spec.name);
    assert.equal(api.runtimeVersion.specName.toString(), 'warden');
    const k = await keys();
    const aliceFree = (await api.query.system.account(k.alice.address)).data.free.toBigInt();
    assert.ok(aliceFree > 0n, 'the spec endows Alice');
    // Aura slots are 6 s and Alice has every other one: block #1 within a few slots.
    await withTimeout((async () => {
      while ((await api.rpc.chain.getHeader()).number.toNumber() < 1) await sleep(500);
    })(), 60_000, 'block #1 of the raw-spec chain');
  } finally {
    await api.disconnect();
    await node.stop();
  }
});
