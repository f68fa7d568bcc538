// Starting and stopping a real warden-node for the tests: free loopback ports, a readiness
// wait and a kill on exit, every wait bounded.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The node binary: $WARDEN_NODE, or the debug build in the project's target directory. */
export function nodeBinary() {
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'warden', 'target');
  const binary = process.env.WARDEN_NODE || path.join(target, 'debug', 'warden-node');
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} is missing: build it with \`cargo build -p warden-node\` or set WARDEN_NODE`);
  }
  return binary;
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the node binary with `args` to completion; returns its stdout. */
export function runNode(args) {
  return execFileSync(nodeBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `warden-node <args> --tmp` on free ports and waits (at most `timeoutMs`) until its
 * RPC answers. Returns its URL, its log and `stop()`.
 */
export async function startNode(args, { timeoutMs = 90_000 } = {}) {
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const logPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-js-')), 'node.log');
  const log = fs.openSync(logPath, 'a');
  const child = spawn(
    nodeBinary(),
    [...args, '--tmp', '--rpc-port', String(rpcPort), '--port', String(p2pPort), '--no-prometheus', '--no-telemetry', '--no-mdns'],
    { stdio: ['ignore', log, log] },
  );
  running.add(child);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; running.delete(child); });
  const node = {
    url: `ws://127.0.0.1:${rpcPort}`,
    log: () => fs.readFileSync(logPath, 'utf8'),
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`warden-node exited (${JSON.stringify(exited)}):\n${node.log().slice(-3000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return node;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error(`warden-node never answered on ${rpcPort}:\n${node.log().slice(-3000)}`);
    }
    await sleep(250);
  }
}
