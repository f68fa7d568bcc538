// Warden through @polkadot/api against one real `warden-node --dev`: the chain's
// properties and metadata, one call of each Warden pallet with its event decoded, every
// Warden runtime API through `api.call`, a refused call's error decoded, and the channel
// flow signed entirely in JavaScript, ending in a `monitor_update` the runtime accepts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  UNIT, connect, eventOf, keys, proofArg, registry, signedAuthorization, signedProof, submit,
} from './lib/chain.js';
import { startNode } from './lib/node.js';

const WARDEN_PALLETS = ['operators', 'services', 'slashing', 'rewards', 'channels', 'monitoring', 'validatorSet'];
const WARDEN_APIS = [
  'OperatorsApi', 'ServicesApi', 'SlashingApi', 'RewardsApi', 'ChannelsApi', 'MonitoringApi', 'ValidatorSetApi',
];

let node;
let api;
let k;

before(async () => {
  node = await startNode(['--dev']);
  api = await connect(node.url);
  k = await keys();
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

describe('metadata and properties', () => {
  test('the chain states its token, decimals and SS58 prefix', async () => {
    const properties = await api.rpc.system.properties();
    assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
    assert.deepEqual(properties.tokenDecimals.unwrap().toJSON(), [12]);
    assert.deepEqual(properties.tokenSymbol.unwrap().toHuman(), ['WRD']);
    assert.equal(api.registry.chainSS58, 42);
    assert.deepEqual(api.registry.chainDecimals, [12]);
    assert.deepEqual(api.registry.chainTokens, ['WRD']);
    assert.equal(api.runtimeVersion.specName.toString(), 'warden');
  });

  test('the metadata decodes with every Warden pallet, its calls, events, errors and APIs', () => {
    for (const pallet of WARDEN_PALLETS) {
      assert.ok(Object.keys(api.tx[pallet]).length > 0, `${pallet} calls`);
      assert.ok(Object.keys(api.events[pallet]).length > 0, `${pallet} events`);
      assert.ok(Object.keys(api.errors[pallet]).length > 0, `${pallet} errors`);
    }
    const apis = api.runtimeMetadata.asLatest.apis.map((a) => a.name.toString());
    for (const name of WARDEN_APIS) assert.ok(apis.includes(name), name);
  });
});

describe('one call of each Warden pallet, its event decoded', () => {
  test('operators.joinOperators, then services.register', async () => {
    const bond = 1_000n * UNIT;
    const joined = await submit(api, api.tx.operators.joinOperators(bond), k.eve);
    assert.equal(joined.error, null);
    const event = eventOf(joined, 'operators', 'OperatorJoined');
    assert.ok(event, 'OperatorJoined');
    assert.equal(event.data[0].toString(), k.eve.address);
    assert.equal(event.data[1].toBigInt(), bond);

    const preferences = { operatorKey: k.eve.publicKey, rpcAddress: 'https://eve.example', maxInstances: 2, pricePerBlock: 0 };
    const registered = await submit(api, api.tx.services.register(0, preferences), k.eve);
    assert.equal(registered.error, null);
    const reg = eventOf(registered, 'services', 'Registered');
    assert.ok(reg, 'Registered');
    assert.equal(reg.data.operator.toString(), k.eve.address);
    assert.equal(reg.data.blueprint.toNumber(), 0);
    assert.equal(reg.data.maxInstances.toNumber(), 2);
  });

  test('operators.delegateWithSelection backs only the blueprints it names', async () => {
    const amount = 20n * UNIT;
    const done = await submit(api, api.tx.operators.delegateWithSelection(k.eve.address, amount, { Only: [0] }), k.bob);
    assert.equal(done.error, null);
    const scoped = eventOf(done, 'operators', 'DelegationScoped');
    assert.ok(scoped, 'DelegationScoped');
    assert.equal(scoped.data.operator.toString(), k.eve.address);
    assert.deepEqual(scoped.data.blueprints.toJSON(), [0]);
    const delegated = eventOf(done, 'operators', 'Delegated');
    assert.equal(delegated.data.amount.toBigInt(), amount);
    const delegations = await api.call.operatorsApi.delegationsOf(k.bob.address);
    const toEve = delegations.find((d) => d.operator.toString() === k.eve.address);
    assert.deepEqual(toEve.blueprints.toJSON(), [0]);
    // Another list for the same delegation is refused.
    const refused = await submit(api, api.tx.operators.delegateWithSelection(k.eve.address, amount, 'All'), k.bob);
    assert.equal(refused.error.name, 'BlueprintSelectionMismatch');
  });

  test('rewards.fundPot', async () => {
    const funded = await submit(api, api.tx.rewards.fundPot(10n * UNIT), k.bob);
    assert.equal(funded.error, null);
    const event = eventOf(funded, 'rewards', 'PotFunded');
    assert.ok(event, 'PotFunded');
    assert.ok(event.data.toJSON().includes(k.bob.address));
  });

  test('slashing.setParams through sudo', async () => {
    const params = await api.call.slashingApi.slashingParams();
    const done = await submit(api, api.tx.sudo.sudo(api.tx.slashing.setParams(params)), k.alice);
    assert.equal(done.error, null);
    const event = eventOf(done, 'slashing', 'ParamsSet');
    assert.ok(event, 'ParamsSet');
    assert.deepEqual(event.data[0].toJSON(), params.toJSON());
    const sudid = eventOf(done, 'sudo', 'Sudid');
    assert.ok(sudid.data[0].isOk, 'the inner call succeeded');
  });
  // channels.open and monitoring.registerMonitor: in the channel flow below.
});

describe('a refused call', () => {
  test('decodes to its pallet, error and documentation', async () => {
    const refused = await submit(api, api.tx.operators.joinOperators(UNIT), k.dave);
    assert.equal(refused.error.section, 'operators');
    assert.equal(refused.error.name, 'BondTooLow');
    assert.match(refused.error.docs, /bond/i);
    assert.ok(eventOf(refused, 'system', 'ExtrinsicFailed'));
  });
});

describe('the channel flow signed in JavaScript', () => {
  test('proofs and an authorization built with SCALE types and the keyring; the runtime accepts the monitor update', async () => {
    const genesisHash = api.genesisHash.toHex();
    const r = registry();
    // Ferdie opens a channel to Dave.
    const opened = await submit(api, api.tx.channels.open(k.dave.address, 100n * UNIT), k.ferdie);
    assert.equal(opened.error, null);
    const openEvent = eventOf(opened, 'channels', 'ChannelOpened');
    assert.ok(openEvent, 'ChannelOpened');
    const channel = openEvent.data[0].toNumber();
    // Charlie registers as a monitor, with his endpoint.
    const registered = await submit(api, api.tx.monitoring.registerMonitor(10n * UNIT, 'https://charlie.example'), k.charlie);
    assert.equal(registered.error, null);
    const monitorEvent = eventOf(registered, 'monitoring', 'MonitorRegistered');
    assert.ok(monitorEvent, 'MonitorRegistered');
    assert.equal(monitorEvent.data[0].toString(), k.charlie.address);
    // Dave funds the escrow.
    assert.equal((await submit(api, api.tx.monitoring.fundMonitoring(channel, 10n * UNIT), k.dave)).error, null);

    // Ferdie pays Dave off-chain; Dave authorizes 5 WRD to Charlie for the newest proof.
    const stale = signedProof(r, { genesisHash, channel, nonce: 1, transferred: 10n * UNIT, sender: k.ferdie });
    const newest = signedProof(r, { genesisHash, channel, nonce: 3, transferred: 60n * UNIT, sender: k.ferdie });
    const authorization = signedAuthorization(r, { genesisHash, proof: newest, reward: 5n * UNIT, receiver: k.dave, monitor: k.charlie.address });

    // Ferdie closes with the stale proof; Charlie, named, submits the newest at once.
    const closed = await submit(api, api.tx.channels.close(channel, proofArg(stale)), k.ferdie);
    assert.equal(closed.error, null);
    assert.ok(eventOf(closed, 'channels', 'ChannelCloseStarted'));
    const update = api.tx.monitoring.monitorUpdate(proofArg(newest), authorization, k.charlie.address);
    const accepted = await submit(api, update, k.charlie);
    assert.equal(accepted.error, null, JSON.stringify(accepted.error));
    const event = eventOf(accepted, 'monitoring', 'MonitorUpdateAccepted');
    assert.ok(event, 'MonitorUpdateAccepted');
    const fields = event.data.toJSON();
    assert.equal(fields[0], channel);
    assert.equal(fields[1], k.charlie.address);
    const info = (await api.call.channelsApi.channel(channel)).unwrap();
    assert.equal(info.nonce.toNumber(), 3);
    assert.equal(info.transferred.toBigInt(), 60n * UNIT);

    // A proof signed by the wrong key is refused with the channels pallet's error.
    const forged = signedProof(r, { genesisHash, channel, nonce: 4, transferred: 70n * UNIT, sender: k.eve });
    const refused = await submit(api, api.tx.channels.update(channel, proofArg(forged)), k.dave);
    assert.equal(refused.error.name, 'BadSignature');
  });
});

describe('every Warden runtime API through api.call', () => {
  // Arguments by parameter name; each API method of the metadata must be covered.
  const argFor = (name, type) => {
    if (type.startsWith('Option<')) return null;
    switch (name) {
      case 'who': case 'operator': case 'staker': return k.eve.address;
      case 'monitor': return k.charlie.address;
      case 'max': return 10;
      case 'era': return 0;
      case 'from': case 'id': case 'channel': case 'service': return 0;
      default: throw new Error(`no test argument for ${name}: ${type}`);
    }
  };

  test('each method answers and decodes', async () => {
    const lookup = api.registry.lookup;
    let called = 0;
    for (const runtimeApi of api.runtimeMetadata.asLatest.apis) {
      const apiName = runtimeApi.name.toString();
      if (!WARDEN_APIS.includes(apiName)) continue;
      const section = apiName[0].toLowerCase() + apiName.slice(1);
      for (const method of runtimeApi.methods) {
        const name = method.name.toString();
        const camel = name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
        const args = method.inputs.map((input) => argFor(input.name.toString(), lookup.getTypeDef(input.type).type));
        const fn = api.call[section][camel];
        assert.ok(fn, `api.call.${section}.${camel}`);
        const answer = await fn(...args);
        assert.notEqual(answer.toJSON(), undefined, `${apiName}.${name}`);
        called += 1;
      }
    }
    assert.ok(called >= 30, `${called} methods`);
  });

  test('answers agree with the chain', async () => {
    const operator = (await api.call.operatorsApi.operator(k.eve.address)).unwrap();
    assert.equal(operator.bond.toBigInt(), 1_000n * UNIT);
    assert.equal((await api.call.operatorsApi.operatorParams()).minOperatorBond.toBigInt(), 1_000n * UNIT);
    const blueprint = (await api.call.servicesApi.blueprint(0)).unwrap();
    assert.equal(Buffer.from(blueprint.metadata.name).toString(), 'echo');
    const registrations = await api.call.servicesApi.registrationsOf(k.eve.address);
    assert.equal(registrations.length, 1);
    // Eve is registered but serves nothing yet: her page of services is empty.
    assert.equal((await api.call.servicesApi.servicesOf(k.eve.address, null, 10)).length, 0);
    assert.equal((await api.call.channelsApi.channelParams()).challengePeriod.toNumber(), 20);
    const validators = await api.call.validatorSetApi.validatorSet();
    assert.deepEqual(validators.active.map((v) => v.toString()), [k.alice.address]);
    assert.equal(validators.sessionLength.toNumber(), 10);
    assert.equal((await api.call.validatorSetApi.hasSessionKeys(k.alice.address)).toJSON(), true);
    assert.equal((await api.call.validatorSetApi.hasSessionKeys(k.eve.address)).toJSON(), false);
    const monitor = (await api.call.monitoringApi.monitor(k.charlie.address)).unwrap();
    assert.equal(Buffer.from(monitor.endpoint).toString(), 'https://charlie.example');
    assert.equal((await api.call.monitoringApi.monitoringParams()).minMonitorDeposit.toBigInt(), 10n * UNIT);
    const monitors = await api.call.monitoringApi.monitors(null, 10);
    assert.ok(monitors.some(([who]) => who.toString() === k.charlie.address));
    assert.equal((await api.call.rewardsApi.rewardParams()).toJSON().eraLength, 20);
    assert.equal((await api.call.slashingApi.pendingSlashesOfOperator(k.eve.address)).length, 0);
  });
});
