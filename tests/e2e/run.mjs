// Global setup of the end-to-end suite (`npm test`).
//
// Builds nothing. Starts the already built `maillage` binary (MAILLAGE_BIN,
// default ../../target/debug/maillage) with `serve --demo` on a free port of
// 127.0.0.1 and a fresh temporary data directory, waits for GET /health,
// runs every test file with Node's own test runner (`node --test`, files one
// after the other: they share the server), then stops the server (SIGTERM)
// and removes the data directory. Exits with the test runner's status.
//
// Extra arguments are passed to `node --test`; plain file names replace the
// default list, e.g. `npm test -- test/04-keyboard.test.mjs`.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');

function log(msg) {
  process.stderr.write(`[e2e] ${msg}\n`);
}

// The files run one after the other, in the order of their names (node
// --test sorts them): the route check first (no browser), the user stories
// next (they change the data: a new organisation, an invitation, tokens),
// then the page checks, which see those changes.
function testFiles(args) {
  const explicit = args.filter((a) => !a.startsWith('-'));
  if (explicit.length > 0) return explicit;
  return fs
    .readdirSync(path.join(here, 'test'))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => path.join('test', f));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the server exited early (${server.exitCode ?? server.signalCode})`);
    }
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(200);
  }
  throw new Error(`GET /health did not answer 200 within ${timeoutMs / 1000}s (${last})`);
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

async function main() {
  const args = process.argv.slice(2);
  const bin = path.resolve(here, process.env.MAILLAGE_BIN || '../../target/debug/maillage');
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    log(`no executable at ${bin}: build it first (cargo build), or set MAILLAGE_BIN`);
    return 2;
  }

  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-e2e-'));
  const dataDir = path.join(root, 'data');
  const stateDir = path.join(root, 'state');
  fs.mkdirSync(stateDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  const serverLog = fs.openSync(path.join(artifacts, 'server.log'), 'w');
  const server = spawn(bin, ['serve', '--demo', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['ignore', serverLog, serverLog],
    env: { ...process.env, NO_COLOR: '1', MAILLAGE_LOG: process.env.MAILLAGE_LOG || 'info' },
  });
  const killOnExit = () => server.kill('SIGKILL');
  process.on('exit', killOnExit);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      server.kill('SIGTERM');
      process.exit(130);
    });
  }

  let status = 1;
  try {
    const t0 = Date.now();
    await waitHealthy(base, server, 60_000);
    log(`${path.relative(process.cwd(), bin) || bin} serving ${base} (ready in ${Date.now() - t0} ms), data in ${dataDir}`);

    const files = testFiles(args);
    const flags = args.filter((a) => a.startsWith('-'));
    // The timeout also bounds each file as a whole (Node counts a file as a
    // test): the keyboard walk of every page, role and width takes minutes.
    // A single step is bounded well below by Playwright's own timeouts.
    // TAP as it goes, then the list of failures at the end (see the reporter).
    const reporters = [
      '--test-reporter=tap',
      '--test-reporter-destination=stdout',
      '--test-reporter=./lib/failures-reporter.mjs',
      '--test-reporter-destination=stdout',
    ];
    const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=900000', ...reporters, ...flags, ...files], {
      cwd: here,
      stdio: 'inherit',
      env: {
        ...process.env,
        MAILLAGE_URL: base,
        MAILLAGE_DATA_DIR: dataDir,
        MAILLAGE_E2E_STATE: stateDir,
      },
    });
    status = await new Promise((resolve) => runner.on('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
  } catch (e) {
    log(`setup failed: ${e.message} (see ${path.join(artifacts, 'server.log')})`);
    status = 1;
  } finally {
    await stopServer(server);
    process.off('exit', killOnExit);
    fs.closeSync(serverLog);
    fs.rmSync(root, { recursive: true, force: true });
    log(`server stopped (${server.exitCode ?? server.signalCode}); artifacts in ${artifacts}`);
  }
  return status;
}

process.exitCode = await main();
