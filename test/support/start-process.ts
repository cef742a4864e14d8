import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { bearer, gql } from './graphql.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DemoTokens {
  customer: string;
  admin: string;
}

/** `npm start` as a child process. */
export interface StartProcess {
  /** The printed tokens, once startup is complete; rejects if the process exits first. */
  up: Promise<DemoTokens>;
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  /** The first match of `pattern` in stdout, once printed; rejects if the process exits first. */
  printed: (pattern: RegExp) => Promise<RegExpExecArray>;
  signal: (signal: NodeJS.Signals) => void;
  /** The process launched: scripts/start.ts itself, or npm when launched through `npm start`. */
  pid: number;
}

const START_SCRIPT = [process.execPath, '--import', 'tsx', 'scripts/start.ts'];

/** Runs scripts/start.ts in `cwd` (this repository, or a copy of it), or `command` (as `['npm', 'start']`). */
export function launch(env: Record<string, string>, cwd = repoRoot, command = START_SCRIPT): StartProcess {
  // Jest's NODE_OPTIONS and any service settings of the machine running the tests stay out.
  const { NODE_OPTIONS: _jest, DATABASE_URL: _db, JWT_JWKS_URL: _jwks, JWT_ISSUER: _issuer, JWT_AUDIENCE: _audience, SERVICE_CREDENTIAL: _credential, ...inherited } = process.env;
  const [program, ...args] = command as [string, ...string[]];
  const child = spawn(program, args, { cwd, env: { ...inherited, LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const up = new Promise<DemoTokens>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const customer = /Customer token[^\n]*\n\s+Bearer (\S+)/.exec(stdout)?.[1];
      const admin = /Admin token[^\n]*\n\s+Bearer (\S+)/.exec(stdout)?.[1];
      if (customer && admin && stdout.includes('Ctrl-C stops everything.')) resolve({ customer, admin });
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before it was up:\n${stdout}\n${stderr}`)));
  });
  // A run that is expected to fail never comes up; that rejection is not the test's concern.
  up.catch(() => undefined);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const match = pattern.exec(stdout);
        if (match) {
          child.stdout.off('data', look);
          resolve(match);
        }
      };
      child.stdout.on('data', look);
      look();
      void exited.then(() => reject(new Error(`npm start exited without printing ${pattern}:\n${stdout}`)));
    });
  return { up, exited, stdout: () => stdout, stderr: () => stderr, printed, signal: (signal) => child.kill(signal), pid: child.pid! };
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Distinct free ports: every probe stays open until all are chosen, so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface StartRun {
  /** DATA_DIR: a fresh directory the postgres user can reach (PostgreSQL runs as that user under root). */
  dataDir: string;
  /** PostgreSQL's, the gateway's and each subgraph's (lib/subgraphs.ts), by name. */
  ports: { postgres: number; gateway: number } & Record<string, number>;
  /** What `npm start` needs to run on those ports and that directory, with the test secret. */
  env: Record<string, string>;
  gatewayUrl: string;
}

/** Free ports and a scratch data directory for one `npm start` run. */
export async function prepareStartRun(secret: string): Promise<StartRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'supergraph-start-'));
  chmodSync(dataDir, 0o755);
  const { ports, env } = await startPorts();
  return { dataDir, ports, env: { DATA_DIR: dataDir, ...env, JWT_SECRET: secret }, gatewayUrl: `http://localhost:${ports.gateway}/graphql` };
}

/** Free ports for PostgreSQL, the gateway and every subgraph, and the settings that give them to `npm start`. */
export async function startPorts(): Promise<{ ports: StartRun['ports']; env: Record<string, string> }> {
  const [postgres, gateway, ...subgraphs] = (await freePorts(2 + SUBGRAPHS.length)) as [number, number, ...number[]];
  const env: Record<string, string> = { POSTGRES_PORT: String(postgres), PORT: String(gateway) };
  const ports: StartRun['ports'] = { postgres, gateway };
  SUBGRAPHS.forEach(({ name, portVariable }, index) => {
    ports[name] = subgraphs[index]!;
    env[portVariable] = String(subgraphs[index]);
  });
  return { ports, env };
}

export interface StartTrial {
  products: number;
  order: { status: string; paymentStatus: string | null };
  exitCode: number | null;
  stderr: string;
}

/**
 * What a newcomer does first: `npm start`, browse the catalog, place an order with the printed
 * customer token, then Ctrl-C. `extraEnv` is laid over the run's own settings.
 */
export async function tryStart(run: StartRun, extraEnv: Record<string, string> = {}): Promise<StartTrial> {
  const started = launch({ ...run.env, ...extraEnv });
  try {
    const { customer } = await started.up;
    const listed = await gql(run.gatewayUrl, `{ products(first: 100) { totalCount edges { node { id price stock } } } }`);
    const catalog: { id: string; price: string; stock: number }[] = listed.data.products.edges.map((edge: { node: unknown }) => edge.node);
    const affordable = catalog.find((product) => product.stock > 0 && Number(product.price) < 100);
    if (!affordable) throw new Error('the demo catalog has no product in stock under 100.00');
    const placed = await gql(
      run.gatewayUrl,
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { status paymentStatus } }`,
      { input: { idempotencyKey: 'first-order', lines: [{ productId: affordable.id, quantity: 1 }] } },
      bearer(customer),
    );
    if (placed.errors) throw new Error(`placeOrder failed: ${JSON.stringify(placed.errors)}`);
    started.signal('SIGINT');
    return { products: listed.data.products.totalCount, order: placed.data.placeOrder, exitCode: await started.exited, stderr: started.stderr() };
  } finally {
    // On the way out of a failure too, so PostgreSQL is stopped rather than orphaned.
    started.signal('SIGINT');
    await started.exited;
  }
}

/** Every process below `pid` now, children before their own children (from ps, so Linux and macOS alike). */
export function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  for (let parents = [pid]; parents.length > 0; ) {
    parents = table.filter(([, ppid]) => parents.includes(ppid)).map(([child]) => child);
    found.push(...parents);
  }
  return found;
}

/** Those of `pids` still running, with their command lines; a zombie (exited, not yet reaped by whoever adopted it) is not. */
export function stillRunning(pids: readonly number[]): { pid: number; command: string }[] {
  if (pids.length === 0) return [];
  // ps exits 1 when none of them is left.
  const listed = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-p', pids.join(',')], { encoding: 'utf8' }).stdout;
  return listed
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && !match[2]!.startsWith('Z'))
    .map((match) => ({ pid: Number(match![1]), command: match![3]!.slice(0, 80) }));
}
