import pg from 'pg';
import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { readMetric } from '../../lib/metrics.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { adminToken, testAuth } from '../support/auth.js';
import { createTestDatabase } from '../support/database.js';
import { bearer, gql } from '../support/graphql.js';
import { waitFor } from '../support/processes.js';

const POOL_SIZE = 10;
const ADJUST = `mutation($id: ID!) { adjustStock(id: $id, delta: 1) { stock } }`;

let server: RunningServer;
let databaseUrl: string;
let admin: Record<string, string>;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('product');
  server = await buildProductServer({ port: 0, databaseUrl, ...testAuth }, createLogger('product', 'silent'));
  admin = bearer(await adminToken());
});
afterAll(() => server.stop());

async function poolGauge(name: string): Promise<number> {
  return readMetric(await (await fetch(server.url.replace('/graphql', '/metrics'))).text(), name);
}

describe('/ready with every pooled connection busy', () => {
  it('answers ready while slow queries hold the whole pool and more wait for it', async () => {
    const created = await gql(server.url, `mutation { createProduct(input: { sku: "READY-1", name: "Ready", price: "1.00", stock: 5 }) { id } }`, {}, admin);
    const productId = created.data.createProduct.id as string;
    // The test's own connection locks the product's row: every adjustStock then holds a pooled
    // connection until the lock is released, which only this test does.
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    await locker.query('begin');
    await locker.query('select id from product where id = $1 for update', [productId]);
    let finished = 0;
    const slow = Array.from({ length: POOL_SIZE + 3 }, () => gql(server.url, ADJUST, { id: productId }, admin).then((response) => ((finished += 1), response)));
    try {
      await waitFor('the pool to be saturated', async () => (await poolGauge('db_pool_connections_used')) === POOL_SIZE && (await poolGauge('db_pool_pending_acquires')) > 0);
      const started = performance.now();
      const response = await fetch(server.url.replace('/graphql', '/ready'));
      const tookMs = performance.now() - started;
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { status: 'ready' } });
      // It answered while the pool was still saturated: not one slow query has finished.
      expect(finished).toBe(0);
      expect(await poolGauge('db_pool_pending_acquires')).toBeGreaterThan(0);
      console.info(`/ready with ${POOL_SIZE} connections busy and requests queueing: 200 in ${tookMs.toFixed(0)} ms`);
    } finally {
      await locker.query('commit');
      await locker.end();
    }
    const answers = await Promise.all(slow);
    expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
  });
});
