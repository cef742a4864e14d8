import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { readDockerfile } from '../support/dockerfile.js';

interface ComposeService {
  image?: string;
  build?: { context: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: { published: number; target: number }[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

/** Every subgraph in the registry (lib/subgraphs.ts) must have its compose service. */
const SUBGRAPH_PORTS = Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [name, port]));
const SUBGRAPH_NAMES = SUBGRAPHS.map(({ name }) => name);
const scratch = mkdtempSync(join(tmpdir(), 'compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The variables of .env.example, which must be everything compose needs to start. */
const exampleEnv = Object.fromEntries(
  readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const testEnv: Record<string, string> = { ...exampleEnv, JWT_SECRET: 'compose-test-jwt-secret-0123456789abcdef', SERVICE_CREDENTIAL: 'compose-test-credential', ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_DB_PASSWORD`, `${name}-pw`])) };

/** `docker-compose config` with exactly these variables: no inherited environment, no .env. */
function composeConfig(variables: Record<string, string>) {
  const envFile = join(scratch, `${randomUUID()}.env`);
  writeFileSync(envFile, Object.entries(variables).map(([name, value]) => `${name}=${value}\n`).join(''));
  const result = spawnSync('docker-compose', ['--env-file', envFile, '--file', 'docker-compose.yml', 'config'], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('docker-compose is not installed, so docker-compose.yml cannot be validated: apt-get install -y docker-compose (.ci/run installs it)');
  }
  return result;
}

const resolved = (() => {
  const result = composeConfig(testEnv);
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  return parse(result.stdout) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
})();
const services = resolved.services;

describe('docker-compose.yml, as `docker-compose config` resolves it', () => {
  it('runs PostgreSQL, every subgraph of the registry and the gateway, publishing each one\'s port', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'postgres', ...SUBGRAPH_NAMES].sort());
    expect(services.postgres!.image).toMatch(/^postgres:\d+\.\d+(-[a-z]+)?$/);
    const local = parse(composeConfig({ ...testEnv, POSTGRES_IMAGE: 'localhost/pg:15' }).stdout) as { services: Record<string, ComposeService> };
    expect(local.services.postgres!.image).toBe('localhost/pg:15');
    for (const [name, port] of Object.entries({ gateway: 4000, ...SUBGRAPH_PORTS })) {
      expect({ name, ports: services[name]!.ports }).toEqual({ name, ports: [{ published: port, target: port }] });
      expect(services[name]!.environment).toMatchObject({ PORT: String(port), NODE_ENV: 'production', JWT_SECRET: testEnv.JWT_SECRET });
    }
  });

  it('publishes each service on the host port its variable names (GATEWAY_PORT, PRODUCT_PORT, ...)', () => {
    const chosen = { GATEWAY_PORT: '14000', ...Object.fromEntries(SUBGRAPHS.map(({ portVariable, port }) => [portVariable, String(port + 10_000)])) };
    const moved = (parse(composeConfig({ ...testEnv, ...chosen }).stdout) as { services: Record<string, ComposeService> }).services;
    for (const [name, port] of Object.entries({ gateway: 4000, ...SUBGRAPH_PORTS })) {
      expect({ name, ports: moved[name]!.ports }).toEqual({ name, ports: [{ published: port + 10_000, target: port }] });
    }
  });

  it('sets the gateway\'s worker count (Node 20 cannot see a container\'s CPU share), 2 unless GATEWAY_WORKERS says', () => {
    expect(services.gateway!.environment).toMatchObject({ GATEWAY_WORKERS: '2' });
    const chosen = composeConfig({ ...testEnv, GATEWAY_WORKERS: '4' });
    expect((parse(chosen.stdout) as { services: Record<string, ComposeService> }).services.gateway!.environment).toMatchObject({ GATEWAY_WORKERS: '4' });
  });

  it('builds one image from the Dockerfile and picks the service by command', () => {
    const apps = ['gateway', ...SUBGRAPH_NAMES].map((name) => services[name]!);
    expect(new Set(apps.map((app) => app.image)).size).toBe(1);
    for (const app of apps) {
      expect(app.build?.context).toBe(process.cwd());
      const [node, script = ''] = app.command ?? [];
      expect(node).toBe('node');
      // dist/<path>.js is compiled from <path>.ts.
      expect(existsSync(script.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
    }
  });

  it('gives each subgraph its own database and role on the postgres service, and the service credential', () => {
    for (const { name, database } of SUBGRAPHS) {
      const environment = services[name]!.environment!;
      const url = new URL(environment.DATABASE_URL!);
      expect({ name, host: url.host, database: url.pathname, user: url.username, password: url.password }).toEqual({
        name,
        host: 'postgres:5432',
        database: `/${database}`,
        user: `${name}_service`,
        password: testEnv[`${name.toUpperCase()}_DB_PASSWORD`],
      });
      expect(environment.SERVICE_CREDENTIAL).toBe(testEnv.SERVICE_CREDENTIAL);
      expect(services.postgres!.environment![`${name.toUpperCase()}_DB_PASSWORD`]).toBe(url.password);
    }
  });

  it('points the order saga and the gateway at the subgraphs by service name and port', () => {
    const subgraphUrl = (name: string) => `http://${name}:${SUBGRAPH_PORTS[name]}/graphql`;
    expect(services.order!.environment).toMatchObject({ PRODUCT_URL: subgraphUrl('product'), PAYMENT_URL: subgraphUrl('payment'), SHIPPING_URL: subgraphUrl('shipping') });
    expect(services.gateway!.environment).toMatchObject(Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, subgraphUrl(name)])));
  });

  it('gives the gateway a SUPERGRAPH_PATH where the image holds the supergraph', () => {
    const runtime = readDockerfile('Dockerfile').stages.at(-1)!;
    const workdir = runtime.instructions.find((instruction) => instruction.keyword === 'WORKDIR')!.args;
    const copiesSupergraph = runtime.instructions.some((instruction) => instruction.keyword === 'COPY' && instruction.args === 'schema/supergraph.graphql schema/supergraph.graphql');
    expect(copiesSupergraph).toBe(true);
    expect(services.gateway!.environment!.SUPERGRAPH_PATH).toBe(`${workdir}/schema/supergraph.graphql`);
  });

  it('checks /ready with node (the slim image has no curl) and starts each service after what it needs is healthy', () => {
    for (const name of ['gateway', ...SUBGRAPH_NAMES]) {
      const [kind, command, ...rest] = services[name]!.healthcheck!.test;
      expect([kind, command]).toEqual(['CMD', 'node']);
      expect(rest.join(' ')).toContain("/ready'");
      // podman's Docker API (4.x) splits CMD arguments on whitespace, which would break the script.
      expect(rest.filter((argument) => /\s/.test(argument))).toEqual([]);
    }
    expect(services.postgres!.healthcheck!.test).toEqual(expect.arrayContaining(['pg_isready']));
    const needs = (name: string) => Object.entries(services[name]!.depends_on ?? {}).map(([dependency, { condition }]) => `${dependency}:${condition}`).sort();
    for (const name of SUBGRAPH_NAMES) expect(needs(name)).toContain('postgres:service_healthy');
    expect(needs('order')).toEqual(['payment:service_healthy', 'postgres:service_healthy', 'product:service_healthy', 'shipping:service_healthy']);
    expect(needs('gateway')).toEqual(SUBGRAPH_NAMES.map((name) => `${name}:service_healthy`).sort());
  });

  it('keeps PostgreSQL data in a named volume and runs the init script on first start', () => {
    expect(Object.keys(resolved.volumes)).toEqual(['pgdata']);
    expect(services.postgres!.volumes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^pgdata:\/var\/lib\/postgresql\/data\b/), `${process.cwd()}/deploy/postgres/init.sh:/docker-entrypoint-initdb.d/init.sh:ro`]),
    );
  });

  it.each(Object.keys(exampleEnv))('refuses to start without %s and says which variable is missing', (name) => {
    const { [name]: _missing, ...rest } = testEnv;
    const result = composeConfig(rest);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`set ${name}`);
  });
});

describe('deploy/postgres/init.sh', () => {
  it('creates one role and database per subgraph, as the DATABASE_URLs expect, each reachable by its own role only', async () => {
    const server = new URL(process.env.TEST_POSTGRES_URL!);
    const result = spawnSync('sh', ['deploy/postgres/init.sh'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', PGHOST: server.hostname, PGPORT: server.port, PGPASSWORD: server.password, POSTGRES_USER: server.username, ...testEnv },
    });
    if (result.error) throw new Error(`init.sh needs psql on the PATH (apt-get install -y postgresql-client): ${result.error.message}`);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });

    const connectAs = (serviceUrl: string, database?: string) => {
      const url = new URL(serviceUrl);
      url.host = server.host;
      if (database) url.pathname = `/${database}`;
      return new pg.Client({ connectionString: url.toString() });
    };
    for (const name of Object.keys(SUBGRAPH_PORTS)) {
      const own = connectAs(services[name]!.environment!.DATABASE_URL!);
      await own.connect();
      // Migrations run as this role, so it must be able to create tables.
      await own.query('create table migration_check (id int)');
      await own.end();
      const other = connectAs(services[name]!.environment!.DATABASE_URL!, name === 'product' ? 'payment' : 'product');
      await expect(other.connect()).rejects.toThrow(/permission denied for database/);
    }
  });
});
