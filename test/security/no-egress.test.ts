import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { TEST_JWT_SECRET } from '../support/auth.js';
import { networkGuard } from '../support/egress.js';
import { prepareStartRun, tryStart, type StartRun } from '../support/start-process.js';

const run = promisify(execFile);
describe('nothing leaves the machine unless configured', () => {
  it('the guard records and blocks, before anything is sent, a connect and a DNS query to a host nobody configured, and lets loopback through', async () => {
    const { env, blocked } = networkGuard();
    const probe = `
      const net = require('node:net');
      const outcome = (promise) => promise.then(() => 'connected', (error) => error.code);
      const connect = (port, host) => outcome(new Promise((resolve, reject) => net.connect(port, host).once('connect', resolve).once('error', reject)));
      const server = net.createServer((socket) => socket.end()).listen(0, '127.0.0.1', async () => {
        const results = {
          documentationAddress: await connect(80, '192.0.2.1'),
          fetch: await fetch('http://192.0.2.1/').then(() => 'fetched', (error) => error.cause?.code),
          lookup: await outcome(require('node:dns').promises.lookup('metadata.google.internal')),
          loopback: await connect(server.address().port, 'localhost'),
        };
        console.log(JSON.stringify(results));
        server.close();
      });`;
    const { stdout } = await run(process.execPath, ['-e', probe], { env: { ...process.env, ...env } });
    // EGRESS_BLOCKED comes only from the guard, which never calls the real connect or lookup.
    expect(JSON.parse(stdout)).toEqual({ documentationAddress: 'EGRESS_BLOCKED', fetch: 'EGRESS_BLOCKED', lookup: 'EGRESS_BLOCKED', loopback: 'connected' });
    expect(blocked().map(({ kind, target }) => `${kind} ${target}`)).toEqual(['connect 192.0.2.1:80', 'connect 192.0.2.1:80', 'dns.lookup metadata.google.internal']);
  });

  describe('npm start', () => {
    let start: StartRun;
    beforeAll(async () => {
      start = await prepareStartRun(TEST_JWT_SECRET);
    });
    afterAll(() => rmSync(start.dataDir, { recursive: true, force: true }));

    it('serves a query and a placeOrder and stops with no connect or DNS query outside loopback, under the guard', async () => {
      const { env, blocked } = networkGuard();
      const trial = await tryStart(start, env);
      expect(trial).toMatchObject({ order: { status: 'PAID', paymentStatus: 'COMPLETED' }, exitCode: 0 });
      expect(blocked()).toEqual([]);
    }, 120_000);
  });

  // unshare -n needs root (or user namespaces) on Linux: these machines and CI have it.
  const namespaces = spawnSync('unshare', ['-n', 'true']);
  it('runs air-gapped: in a network namespace with only loopback, npm start comes up, serves a placeOrder and stops cleanly', async () => {
    if (namespaces.status !== 0) {
      // Where the platform refuses network namespaces, this says why rather than passing silently.
      expect(`${namespaces.error?.message ?? ''}${namespaces.stderr}`).toMatch(/Operation not permitted|ENOENT/);
      return;
    }
    const { stdout } = await run('unshare', ['-n', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, '--import', 'tsx', 'test/support/air-gapped-start.ts'], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const trial = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(trial).toMatchObject({ order: { status: 'PAID', paymentStatus: 'COMPLETED' }, exitCode: 0 });
    expect(trial.products).toBeGreaterThan(0);
  }, 120_000);
});
