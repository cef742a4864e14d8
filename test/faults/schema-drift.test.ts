import pg from 'pg';
import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { testAuth } from '../support/auth.js';
import { captureLogs } from '../support/log-capture.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/** A column renamed under a running service (a migration rolled back by hand, a DBA's fix) must
 *  fail what reads it, masked for the client and logged with its cause, never answer null. */
const logs = captureLogs();
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({ logs: logs.stream, logLevel: 'info' });
});
afterAll(() => system.stop());

async function sql(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: system.databases.product });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const BEHIND = 'the database schema is behind the code: missing column product.description';

async function readiness(server: RunningServer): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const response = await fetch(server.url.replace('/graphql', '/ready'));
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
}

describe('a column renamed under the running product service', () => {
  it('fails every read of it with a masked INTERNAL_SERVER_ERROR, logs why, and is not ready until it is back', async () => {
    const admin = await Shopper.admin(system.gatewayUrl);
    const productId = await admin.createProduct({ name: 'Described', price: '2.00', stock: 1 });
    await admin.request(`mutation($id: ID!) { updateProduct(id: $id, input: { description: "a description" }) { id } }`, { id: productId });
    const anonymous = Shopper.anonymous(system.gatewayUrl);
    const reads = [
      ['the list', `{ products { edges { node { id description } } pageInfo { hasNextPage } } }`],
      ['one product', `query($id: ID!) { product(id: $id) { id description } }`],
    ] as const;
    expect((await anonymous.request(reads[1][1], { id: productId })).data.product.description).toBe('a description');

    await sql('alter table product rename column description to details');
    try {
      for (const [what, query] of reads) {
        const response = await anonymous.request(query, { id: productId });
        expect({ what, errors: response.errors?.map((error) => [error.message, error.extensions?.code]) }).toEqual({ what, errors: [['Internal server error', 'INTERNAL_SERVER_ERROR']] });
        expect(JSON.stringify(response)).not.toMatch(/description|details|column|select/i);
      }
      const causes = logs.lines.filter((line) => line.name === 'product' && line.msg === 'internal error').map((line) => (line.err as { message: string }).message);
      expect(causes.length).toBeGreaterThanOrEqual(reads.length);
      for (const cause of causes) expect(cause).toMatch(/column (p0\.)?"?description"? does not exist/);
      expect(await readiness(system.product)).toEqual({ status: 503, body: { status: 'unavailable', reason: BEHIND } });
      // Counting touches no column: a list asked only for its count reads no row, so it still answers.
      const counted = await anonymous.request(`{ products(first: 1) { totalCount count { count precision } } }`);
      expect({ errors: counted.errors, status: counted.status }).toEqual({ errors: undefined, status: 200 });
      expect(counted.data.products.totalCount).toBeGreaterThan(0);
      expect(counted.data.products.count).toEqual({ count: counted.data.products.totalCount, precision: 'EXACT' });

      // A replica started now says so in its log, and is not ready either.
      const startLogs = captureLogs();
      const replica = await buildProductServer({ port: 0, databaseUrl: system.databases.product, ...testAuth }, createLogger('product', 'info', startLogs.stream));
      try {
        expect(startLogs.lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([BEHIND]);
        expect(await readiness(replica)).toEqual({ status: 503, body: { status: 'unavailable', reason: BEHIND } });
      } finally {
        await replica.stop();
      }
    } finally {
      await sql('alter table product rename column details to description');
    }
    expect(await readiness(system.product)).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await anonymous.request(reads[1][1], { id: productId })).data.product.description).toBe('a description');
  });
});
