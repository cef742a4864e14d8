/**
 * The compose run (README, "Containers"): builds the image from the Dockerfile with podman and
 * brings docker-compose.yml up through podman's Docker API socket, on base images built from
 * Debian's packages (deploy/containers/base-images.sh), no registry being reachable. Every
 * container stays on podman's bridge: the image builds with --network=none from the host's npm
 * cache. Exits non-zero, saying why, on the first thing that does not hold.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signDevToken } from '../lib/auth.js';
import { SUBGRAPHS } from '../lib/subgraphs.js';

const root = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'compose-run-'));
const project = `supergraph-run-${process.pid}`;
const image = 'localhost/ordering-supergraph:local';
const JWT_SECRET = 'compose-run-jwt-secret-0123456789abcdef';
const env = { ...process.env, CONTAINERS_CONF: join(root, 'deploy/containers/containers.conf') };
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
/** Where the time went, for the closing line: cold runs build the base images, warm ones reuse them. */
const phases: string[] = [];
let phaseStarted = started;
function phaseDone(what: string): void {
  phases.push(`${what} ${((performance.now() - phaseStarted) / 1000).toFixed(0)} s`);
  phaseStarted = performance.now();
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): string {
  const result = spawnSync(command, args, { cwd: root, env: options.env ?? env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${(result.stderr || result.stdout).slice(-4000)}`);
  return result.stdout;
}
const podman = (...args: string[]) => run('podman', args);
const step = (what: string) => console.log(`[${elapsed()}] ${what}`);
function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`compose run: ${what}`);
}

/** Podman runs as root here, or rootless where user namespaces allow; otherwise one line says so. */
function requirePodman(): void {
  const probe = spawnSync('podman', ['info', '--format', '{{.Host.Security.Rootless}}'], { env, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`compose run: podman cannot run here (${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}); as root, or with user namespaces, npm run ci:packages installs it`);
  }
}

const nodeVersion = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
check(nodeVersion, 'the Dockerfile names no exact node:X.Y.Z image');

let service: ChildProcess | undefined;
let ticker = false;
const socket = join(scratch, 'podman.sock');
const composeEnv = { ...env, DOCKER_HOST: `unix://${socket}`, COMPOSE_PROJECT_NAME: project };
const envFile = join(scratch, 'compose.env');
const compose = (...args: string[]) => run('docker-compose', ['--env-file', envFile, '--file', 'docker-compose.yml', ...args], { env: composeEnv });
const containers = () => podman('ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}').split('\n').filter(Boolean);

/** Podman schedules healthchecks with systemd timers; where there is no systemd this runs them. */
async function tickHealthchecks(): Promise<void> {
  while (ticker) {
    for (const name of containers()) spawnSync('podman', ['healthcheck', 'run', name], { env, stdio: 'ignore' });
    await sleep(2000);
  }
}

async function up(): Promise<void> {
  ticker = true;
  const ticking = tickHealthchecks();
  // Not spawnSync: `up` waits on healthchecks that only the ticker above runs.
  const upping = spawn('docker-compose', ['--env-file', envFile, '--file', 'docker-compose.yml', 'up', '--detach', '--no-build'], { cwd: root, env: composeEnv, stdio: 'inherit' });
  let upExit: number | null | undefined;
  upping.on('exit', (code) => (upExit = code ?? -1));
  const deadline = performance.now() + 5 * 60_000;
  for (;;) {
    const states = containers().map((name) => podman('inspect', '--format', '{{.Name}} {{.State.Status}} {{.State.Health.Status}}', name).trim());
    if (upExit === 0 && states.length === SUBGRAPHS.length + 2 && states.every((state) => state.endsWith(' healthy'))) break;
    if ((upExit !== undefined && upExit !== 0) || performance.now() > deadline) {
      const unhealthy = states.filter((state) => !state.endsWith(' healthy')).map((state) => state.split(' ')[0]!);
      const why = unhealthy.map((name) => `${name}: ${podman('inspect', '--format', '{{json .State.Health.Log}}', name).slice(-600)}\n${run('podman', ['logs', '--tail', '5', name]).trim()}`);
      check(false, `docker-compose up ${upExit === undefined ? 'still waiting after 5 min' : `exited ${upExit}`}: ${states.join(', ')}\n${why.join('\n')}`);
    }
    await sleep(1000);
  }
  ticker = false;
  await ticking;
}

/** Secrets come from the environment only: compose refuses to start without one, and so does a service. */
function checkMissingSecretRefusesToStart(): void {
  const withoutSecret = join(scratch, 'without-secret.env');
  writeFileSync(withoutSecret, readFileSync(envFile, 'utf8').split('\n').filter((line) => !line.startsWith('JWT_SECRET=')).join('\n'));
  const refused = spawnSync('docker-compose', ['--env-file', withoutSecret, '--file', 'docker-compose.yml', 'up', '--detach', '--no-build'], { cwd: root, env: composeEnv, encoding: 'utf8' });
  check(refused.status !== 0 && refused.stderr.includes('set JWT_SECRET') && containers().length === 0, `docker-compose up without JWT_SECRET: exit ${refused.status}, ${refused.stderr.trim()}`);
  const service = spawnSync('podman', ['run', '--rm', '--network=none', '--env=NODE_ENV=production', '--env=DATABASE_URL=postgres://product_service:x@postgres:5432/product', image, 'node', 'dist/subgraphs/product/src/main.js'], { env, encoding: 'utf8' });
  check(service.status === 1 && service.stdout.includes('JWT_SECRET'), `the product service without JWT_SECRET: exit ${service.status}, ${service.stdout.trim()}`);
}

async function gql(port: number, query: string, variables: object, token?: string, requestId?: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  check(!body.errors, `${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const ORDER = `query($id: ID!) { order(id: $id) { id status lines { quantity product { sku name } } payment { status amount } shipment { status } } }`;

async function main(): Promise<void> {
  requirePodman();
  step('base images');
  const bases = Object.fromEntries(run('bash', ['deploy/containers/base-images.sh', nodeVersion!]).trim().split('\n').filter((line) => line.includes('=')).map((line) => line.split('=') as [string, string]));
  phaseDone(bases.BUILT ? `base images (cold: built ${bases.BUILT})` : 'base images (warm: reused)');
  const hard = run('sh', ['-c', 'ulimit -Hn']).trim();
  const nofile = hard === 'unlimited' ? '65536' : hard;

  step('image: podman build --network=none, npm from the host\'s cache');
  const npmrc = join(scratch, 'npmrc');
  writeFileSync(npmrc, 'offline=true\nfund=false\naudit=false\n');
  const npmCache = run('npm', ['config', 'get', 'cache'], { env: process.env }).trim();
  podman('build', '--network=none', `--ulimit=nofile=${nofile}:${nofile}`, '--volume', `${npmCache}:/root/.npm:O`, '--volume', `${npmrc}:/root/.npmrc:ro`,
    '--build-arg', `NODE_IMAGE=${bases.NODE_IMAGE}`, '--tag', image, '.');
  const size = Number(podman('image', 'inspect', '--format', '{{.Size}}', image).trim());
  phaseDone('image build');
  console.log(`image ${image}: ${(size / 1e6).toFixed(0)} MB`);
  // Every package the lockfile marks dev-only must be absent; so must sources and local data.
  const devInImage = podman('run', '--rm', '--network=none', image, 'node', '-e',
    "const lock=require('/app/package-lock.json');const fs=require('fs');const dev=Object.entries(lock.packages).filter(([p,e])=>p&&e.dev).map(([p])=>p);console.log(JSON.stringify({dev:dev.length,present:dev.filter((p)=>fs.existsSync('/app/'+p))}))");
  const { dev, present } = JSON.parse(devInImage) as { dev: number; present: string[] };
  check(dev > 0 && present.length === 0, `the image holds dev dependencies: ${present.slice(0, 5).join(', ')} (${present.length} of the lockfile's ${dev})`);
  const sourcesInImage = podman('run', '--rm', '--network=none', '--user=0', '--entrypoint=sh', image, '-c', 'find /app \\( -name "*.ts" ! -name "*.d.ts" ! -path "*/node_modules/*" \\) -o -name .data | head -5').trim();
  check(sourcesInImage === '', `the image holds TypeScript sources or .data: ${sourcesInImage}`);

  step('podman system service, docker-compose up');
  service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env, stdio: 'ignore' });
  for (let i = 0; !existsSync(socket); i++) { check(i < 100, 'podman system service made no socket'); await sleep(100); }
  const ports = { GATEWAY_PORT: 24000, ...Object.fromEntries(SUBGRAPHS.map(({ portVariable, port }) => [portVariable, port + 20_000])) } as Record<string, number>;
  const example = readFileSync(join(root, '.env.example'), 'utf8').split('\n').filter((line) => /^[A-Z_]+=/.test(line));
  writeFileSync(envFile, [...example, `JWT_SECRET=${JWT_SECRET}`, 'SERVICE_CREDENTIAL=compose-run-credential', `POSTGRES_IMAGE=${bases.POSTGRES_IMAGE}`,
    // Published on loopback only: nothing off this machine reaches the containers.
    ...Object.entries(ports).map(([name, port]) => `${name}=127.0.0.1:${port}`)].join('\n') + '\n');
  checkMissingSecretRefusesToStart();
  await up();
  step('every service healthy');

  const gateway = ports.GATEWAY_PORT!;
  for (const [name, port] of Object.entries({ gateway, ...Object.fromEntries(SUBGRAPHS.map(({ name, portVariable }) => [name, ports[portVariable]!])) })) {
    for (const path of ['/health', '/ready', '/metrics']) check((await fetch(`http://127.0.0.1:${port}${path}`)).status === 200, `${name} ${path}`);
    const container = containers().find((each) => each.includes(`_${name}_`))!;
    check(podman('exec', container, 'id', '-u').trim() === '1000', `${name} runs as uid 1000`);
  }
  const gatewayContainer = containers().find((each) => each.includes('_gateway_'))!;
  for (const { name, port } of SUBGRAPHS) {
    podman('exec', gatewayContainer, 'node', '-e', `fetch('http://${name}:${port}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`);
  }

  step('the playground\'s operations through the gateway');
  const admin = await signDevToken(JWT_SECRET, { sub: 'admin-1', admin: true });
  const customer = await signDevToken(JWT_SECRET, { sub: 'compose-customer' });
  const created = await gql(gateway, `mutation { createProduct(input: { sku: "RUN-1", name: "Mug", price: "4.00", stock: 5 }) { id } }`, {}, admin);
  const browsed = await gql(gateway, `{ products(first: 10) { totalCount edges { node { sku name stock } } } }`, {});
  check(browsed.products.totalCount === 1, `browse: ${JSON.stringify(browsed)}`);
  const place = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status paymentStatus shippingStatus } }`;
  const requestId = `compose-run-${process.pid}`;
  const placed = (await gql(gateway, place, { input: { idempotencyKey: 'run-1', lines: [{ productId: created.createProduct.id, quantity: 1 }] } }, customer, requestId)).placeOrder;
  check(placed.status === 'PAID' && placed.shippingStatus === 'PENDING', `placeOrder: ${JSON.stringify(placed)}`);
  const read = (await gql(gateway, ORDER, { id: placed.id }, customer)).order;
  check(read.lines[0].product.sku === 'RUN-1' && read.payment.status === 'COMPLETED' && read.shipment.status === 'PENDING', `order: ${JSON.stringify(read)}`);
  const other = (await gql(gateway, place, { input: { idempotencyKey: 'run-2', lines: [{ productId: created.createProduct.id, quantity: 1 }] } }, customer)).placeOrder;
  const cancelled = (await gql(gateway, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: other.id }, customer)).cancelOrder;
  check(cancelled.status === 'CANCELLED', `cancelOrder: ${JSON.stringify(cancelled)}`);
  console.log(`request ${requestId} in the containers' logs:`);
  console.log(compose('logs', '--no-color').split('\n').filter((line) => line.includes(requestId)).join('\n'));

  step('docker-compose stop');
  compose('stop');
  for (const name of containers()) {
    const [code, oom] = podman('inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', name).trim().split(' ');
    check(code === '0' && oom === 'false', `${name} exited ${code} (OOM killed: ${oom}) on stop`);
  }
  step('docker-compose up again');
  await up();
  const again = (await gql(gateway, ORDER, { id: placed.id }, customer)).order;
  check(JSON.stringify(again) === JSON.stringify(read), `after the restart the order reads ${JSON.stringify(again)}`);
  phaseDone('compose');
  step(`compose run passed on ${hostname()}`);
}

let cleanedUp = false;
function cleanUp(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  ticker = false;
  if (existsSync(socket)) spawnSync('docker-compose', ['--env-file', envFile, '--file', 'docker-compose.yml', 'down', '--volumes'], { cwd: root, env: composeEnv, stdio: 'inherit' });
  service?.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
// A test that times out stops the run with SIGTERM; the containers must not outlive it.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`compose run failed: stopped by ${signal} after ${elapsed()}`);
    cleanUp();
    process.exit(1);
  });
}

try {
  await main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  // One line the test shows as its failure; the detail follows on stderr.
  console.log(`compose run failed: ${message.split('\n')[0]!.replace(/^compose run: /, '')}`);
  console.error(message);
  process.exitCode = 1;
} finally {
  cleanUp();
  console.log(`compose run: ${elapsed()}${phases.length ? ` (${phases.join(', ')})` : ''}`);
}
