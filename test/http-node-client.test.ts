import { clientFromEnv, placeOrderWithRetries, request, GraphQLRequestError, type Client } from '../clients/node-example/place-order.js';
import { InStockProductsDocument } from '../clients/node-example/generated/graphql.js';
import { customerToken } from './support/auth.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
});
afterAll(() => system.stop());

/** A fetch whose first `lost` answers never arrive, although the requests did reach the server. */
function losingAnswers(lost: number) {
  const keys: string[] = [];
  const flaky: typeof fetch = async (input, init) => {
    keys.push(JSON.parse(String(init?.body)).variables.input.idempotencyKey);
    const response = await fetch(input, init);
    if (keys.length <= lost) throw new TypeError('fetch failed: socket hang up');
    return response;
  };
  return { flaky, keys };
}

const quietly = { baseDelayMs: 1, onRetry: () => {} };

describe('the Node client example', () => {
  it('reads products with a typed query', async () => {
    await admin.createProduct({ name: 'Cold brew bottle', price: '18.00', stock: 4 });
    const { products } = await request({ url: system.gatewayUrl }, InStockProductsDocument, { first: 10 });
    expect(products.edges.map(({ node }) => node.name)).toContain('Cold brew bottle');
  });

  it('takes TOKEN as the token alone or as the "Bearer ..." line npm start prints', async () => {
    const productId = await admin.createProduct({ name: 'Filter papers', price: '4.00', stock: 10 });
    const token = await customerToken('node-client-env');
    for (const TOKEN of [token, `Bearer ${token}`, ` bearer ${token}\n`]) {
      const client = clientFromEnv({ TOKEN, GRAPHQL_URL: system.gatewayUrl });
      expect(client.token).toBe(token);
      const order = await placeOrderWithRetries(client, [{ productId, quantity: 1 }], quietly);
      expect(order.status).toBe('PAID');
    }
    expect(clientFromEnv({ TOKEN: '  ' }).token).toBeUndefined();
  });

  it('retries lost answers with the same idempotency key and places exactly one order', async () => {
    const productId = await admin.createProduct({ name: 'Aeropress', price: '39.90', stock: 5 });
    const { flaky, keys } = losingAnswers(2);
    const client: Client = { url: system.gatewayUrl, token: await customerToken('node-client'), fetch: flaky };
    const order = await placeOrderWithRetries(client, [{ productId, quantity: 2 }], quietly);
    expect(order).toMatchObject({ status: 'PAID', totalAmount: '79.80', paymentStatus: 'COMPLETED', lines: [{ quantity: 2, product: { name: 'Aeropress' } }] });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(await admin.stockOf(productId)).toBe(3);
  });

  it('does not retry an error the server answered, such as a bad token', async () => {
    const { flaky, keys } = losingAnswers(0);
    const attempt = placeOrderWithRetries({ url: system.gatewayUrl, token: 'not-a-jwt', fetch: flaky }, [{ productId: '1', quantity: 1 }], quietly);
    await expect(attempt).rejects.toEqual(new GraphQLRequestError('The token is invalid or expired', 'UNAUTHENTICATED', false));
    expect(keys).toHaveLength(1);
  });

  it('gives up after the last attempt and reports the network error', async () => {
    const { flaky, keys } = losingAnswers(10);
    const attempt = placeOrderWithRetries({ url: system.gatewayUrl, token: await customerToken('node-client-2'), fetch: flaky }, [{ productId: '1', quantity: 1 }], { ...quietly, attempts: 3 });
    await expect(attempt).rejects.toThrow('socket hang up');
    expect(keys).toHaveLength(3);
  });
});
