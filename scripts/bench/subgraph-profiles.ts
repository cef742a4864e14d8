import { join } from 'node:path';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import type { BenchOptions } from './options.js';
import { PEERS, PeerUnavailable, startPeer } from './peers.js';
import { summariseProfiles } from './profile-split.js';
import { startBenchPostgres } from './postgres.js';
import { adminOrders } from './scenarios.js';
import { seedCatalog, seedHistory } from './seed.js';
import { measureOnce } from './run.js';
import { buildServices, newSecrets, signTokens, startOurGateway, startSubgraphs, type CpuMillis, type Gateway } from './services.js';

export interface ProfiledGateway {
  gateway: string;
  /** Where its subgraphs' profiles are, one folder per subgraph; absent when it could not run. */
  dir?: string;
  note?: string;
  requestsPerSecond?: number;
  errors?: number;
  /** CPU ms per request of each process, the gateway's included. */
  cpuPerRequest?: CpuMillis;
  /** Each subgraph's self time by owner (profile-split.ts), one line per subgraph. */
  split?: string[];
}

const ADMINS = 16;

/**
 * The subgraphs' CPU profiles under each gateway in turn: for every gateway, four fresh subgraph
 * processes under `node --cpu-prof` (on the same database, seeded once), the nested order page by
 * 16 admins for a warm-up and a measured run, then the subgraphs stopped, which writes their
 * profiles. Only the subgraphs are profiled, the gateways run as in the table. What a subgraph does
 * differently under one gateway shows in its profile beside the same subgraph's under another
 * (scripts/bench/profile-split.ts sums self time by package; open the files in Chrome's DevTools
 * for the rest).
 */
export async function profileSubgraphsUnderEachGateway(root: string, options: BenchOptions, dir: string, say: (line: string) => void): Promise<ProfiledGateway[]> {
  const secrets = newSecrets();
  const admins = await signTokens(secrets.jwtSecret, 'bench-admin-', ADMINS, true);
  const plain = buildServices(root);
  const postgres = await startBenchPostgres(SUBGRAPHS.map(({ database }) => database));
  const results: ProfiledGateway[] = [];
  try {
    let seeded = false;
    for (const spec of [{ name: 'ours' }, ...(options.noPeers ? [] : PEERS)]) {
      const profiles = join(dir, spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
      const system = await startSubgraphs(buildServices(root, profiles), postgres, secrets);
      let gateway: Gateway | undefined;
      try {
        if (!seeded) {
          say(`Seeding ${options.products} products and ${options.orders} orders ...`);
          const catalog = await seedCatalog(system.subgraphs.product!.url, admins[0]!, options.products);
          await seedHistory(postgres.databaseUrl, catalog, options.orders, 1);
          seeded = true;
        }
        try {
          gateway = 'kind' in spec ? await startPeer(spec, root, system.subgraphs, options.workers) : await startOurGateway(plain, root, system.subgraphs, secrets, options.workers);
        } catch (error) {
          if (!(error instanceof PeerUnavailable)) throw error;
          results.push({ gateway: spec.name, note: error.message });
          continue;
        }
        say(`Profiling the subgraphs under ${spec.name} ...`);
        const load = { ...options.load, warmupSeconds: options.load.durationSeconds };
        const { result, cpuMillis } = await measureOnce(system, gateway, adminOrders(admins), { ...options, load });
        const cpuPerRequest = Object.fromEntries(Object.entries(cpuMillis).map(([name, millis]) => [name, millis / Math.max(result.responses, 1)]));
        results.push({ gateway: spec.name, dir: profiles, requestsPerSecond: result.requestsPerSecond, errors: result.errors, cpuPerRequest });
      } finally {
        await gateway?.stop();
        await system.stop();
      }
      const last = results.at(-1)!;
      if (last.dir) last.split = summariseProfiles(last.dir);
    }
  } finally {
    await postgres.stop();
  }
  return results;
}

export function describeSubgraphProfiles(results: ProfiledGateway[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    if (!result.cpuPerRequest) {
      lines.push(`${result.gateway}: did not run (${result.note ?? 'no result'})`);
      continue;
    }
    const cpu = result.cpuPerRequest;
    const subgraphs = SUBGRAPHS.reduce((sum, { name }) => sum + (cpu[name] ?? 0), 0);
    lines.push(
      `${result.gateway}: ${result.requestsPerSecond!.toFixed(0)} req/s, ${result.errors} errors; CPU ms/req gateway ${cpu.gateway?.toFixed(2)}, ` +
        `${SUBGRAPHS.map(({ name }) => `${name} ${(cpu[name] ?? 0).toFixed(2)}`).join(', ')} (subgraphs ${subgraphs.toFixed(2)}); profiles in ${result.dir}`,
    );
    for (const line of result.split ?? []) lines.push(`  ${line}`);
  }
  return lines;
}
