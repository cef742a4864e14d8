import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signDevToken } from '../../lib/auth.js';
import { readMetric } from '../../lib/metrics.js';
import { SUBGRAPHS, subgraphUrlVariables, type SubgraphEntry } from '../../lib/subgraphs.js';
import { inspectFlag } from './inspector.js';
import type { BenchPostgres } from './postgres.js';
import { cpuMillis } from './proc.js';
import { freePort, startChild, type ChildServer } from './processes.js';

export type SubgraphName = string;
/** SQL statements by subgraph name. */
export type SqlCounts = Record<SubgraphName, number>;

/** How the services are run: the compiled JavaScript, or the TypeScript through tsx when the
 *  checkout has no `npm run build` to make it. */
export interface Build {
  entry: (service: 'gateway' | SubgraphName) => string[];
  description: string;
}

const sourceOf = (service: string) => (service === 'gateway' ? 'gateway/src/main' : `subgraphs/${service}/src/main`);

/** The TypeScript sources through tsx, as the tests run the services. */
export function sourceServices(root: string, description = 'TypeScript through tsx'): Build {
  return { entry: (service) => ['--import', 'tsx', join(root, `${sourceOf(service)}.ts`)], description };
}

/** Compiles into a directory of its own, so a run never disturbs dist/ or a test using it. With
 *  `cpuProfileDir`, every service (each gateway worker too) writes a V8 CPU profile there when it stops. */
export function buildServices(root: string, cpuProfileDir?: string): Build {
  const built = compile(root);
  if (!cpuProfileDir) return built;
  return { ...built, entry: (service) => ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfileDir, service)}`, ...built.entry(service)] };
}

function compile(root: string): Build {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts.build) return sourceServices(root, 'TypeScript through tsx (this checkout has no npm run build)');
  const outDir = join(root, '.data', 'bench', 'dist');
  const built = spawnSync('npm', ['run', '--silent', 'build', '--', '--out-dir', outDir], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
  return { entry: (service) => [join(outDir, `${sourceOf(service)}.js`)], description: 'the production JavaScript (npm run build)' };
}

export interface Secrets {
  jwtSecret: string;
  serviceCredential: string;
}

/** Fresh secrets for one run's services. */
export const newSecrets = (): Secrets => ({ jwtSecret: randomBytes(32).toString('base64url'), serviceCredential: randomBytes(32).toString('base64url') });

/** `count` distinct users' tokens, `<prefix>1` to `<prefix><count>`, good for the whole run. */
export const signTokens = (secret: string, prefix: string, count: number, admin = false): Promise<string[]> =>
  Promise.all(Array.from({ length: count }, (_, i) => signDevToken(secret, { sub: `${prefix}${i + 1}`, admin, ttlSeconds: 6 * 3600 })));

export interface Subgraph {
  url: string;
  server: ChildServer;
  /** Where its inspector opens for a live-memory reading (scripts/bench/inspector.ts). */
  inspectPort: number;
}

export interface RunningSubgraphs {
  subgraphs: Record<SubgraphName, Subgraph>;
  /** A counter of every subgraph's /metrics, by subgraph. */
  metric: (name: string) => Promise<Record<SubgraphName, number>>;
  /** SQL statements each subgraph has sent so far, from its /metrics. */
  sqlStatements: () => Promise<SqlCounts>;
  stop: () => Promise<void>;
}

const PRODUCTION = { NODE_ENV: 'production', LOG_LEVEL: 'warn' };

export async function startSubgraphs(build: Build, postgres: BenchPostgres, secrets: Secrets): Promise<RunningSubgraphs> {
  const started: ChildServer[] = [];
  const common = { ...PRODUCTION, JWT_SECRET: secrets.jwtSecret, SERVICE_CREDENTIAL: secrets.serviceCredential };
  // Every port is chosen first, so each subgraph is given every peer's URL, also of the peers
  // started after it (shipping tells order of moved shipments).
  const ports: Record<string, number> = {};
  // One at a time: two picks at once could land on the same free port.
  for (const { name } of SUBGRAPHS) ports[name] = await freePort();
  const urls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, `http://127.0.0.1:${ports[name]}/graphql`]));
  const start = async ({ name, database }: SubgraphEntry, env: Record<string, string>): Promise<Subgraph> => {
    const url = urls[name]!;
    const inspector = await inspectFlag();
    const server = await startChild(name, [inspector.flag, ...build.entry(name)], { ...common, ...env, PORT: String(ports[name]), DATABASE_URL: postgres.databaseUrl(database) }, url.replace('/graphql', '/ready'));
    started.push(server);
    return { url, server, inspectPort: inspector.port };
  };
  const stop = async () => void (await Promise.all(started.splice(0).map((server) => server.stop())));
  try {
    // In the registry's order, so a subgraph's peers that it calls as it starts are up.
    const subgraphs: Record<SubgraphName, Subgraph> = {};
    for (const entry of SUBGRAPHS) subgraphs[entry.name] = await start(entry, subgraphUrlVariables(urls) as Record<string, string>);
    const metric = async (metricName: string): Promise<Record<SubgraphName, number>> =>
      Object.fromEntries(
        await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, readMetric(await (await fetch(subgraphs[name]!.url.replace('/graphql', '/metrics'))).text(), metricName)] as const)),
      );
    return { subgraphs, metric, sqlStatements: () => metric('db_sql_statements_total'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface Gateway {
  name: string;
  url: string;
  /** Its process (workers are its descendants), for CPU time and memory. */
  pid: number;
  /** Ours, when it serves in that one process: where its inspector opens for a live-memory reading. */
  inspectPort?: number;
  stop: () => Promise<void>;
}

/** Our gateway, started the way a deployment starts it: its main with the environment. */
export async function startOurGateway(build: Build, root: string, subgraphs: Record<SubgraphName, Pick<Subgraph, 'url'>>, secrets: Secrets, workers: number): Promise<Gateway> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  // With more than one worker the primary only supervises: its heap says nothing of theirs.
  const inspector = workers === 1 ? await inspectFlag() : undefined;
  const server = await startChild(
    'gateway',
    [...(inspector ? [inspector.flag] : []), ...build.entry('gateway')],
    {
      ...PRODUCTION,
      PORT: String(port),
      JWT_SECRET: secrets.jwtSecret,
      SUPERGRAPH_PATH: join(root, 'schema', 'supergraph.graphql'),
      ...(subgraphUrlVariables(Object.fromEntries(Object.entries(subgraphs).map(([name, { url }]) => [name, url]))) as Record<string, string>),
      GATEWAY_WORKERS: String(workers),
    },
    url.replace('/graphql', '/ready'),
  );
  return { name: 'ours', url, pid: server.pid, inspectPort: inspector?.port, stop: server.stop };
}

export function perRequest(before: SqlCounts, after: SqlCounts, requests: number): SqlCounts {
  const share = (name: SubgraphName) => (requests > 0 ? ((after[name] ?? 0) - (before[name] ?? 0)) / requests : 0);
  return Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, share(name)]));
}

/** The processes a request runs through: the gateway under measure and our subgraphs. */
export type ProcessName = 'gateway' | SubgraphName;
export type CpuMillis = Record<ProcessName, number>;

/** CPU time used so far by each process a request runs through (Linux /proc). */
export function cpuOf(gateway: Gateway, subgraphs: Record<SubgraphName, Subgraph>): CpuMillis {
  return { gateway: cpuMillis(gateway.pid), ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, cpuMillis(subgraphs[name]!.server.pid)])) };
}
