import type { Browser, Page } from 'playwright-core';
import { customerToken } from './support/auth.js';
import { isolatedPage, launchChromium, screenshot, type IsolatedPage } from './support/browser.js';
import { Gate } from './support/gate.js';
import { waitFor } from './support/processes.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let browser: Browser;
let base: string;
let session: IsolatedPage;
let page: Page;
const shipping = new Gate();

beforeAll(async () => {
  system = await startSystem({ gateway: { playground: true, playgroundToken: await customerToken('playground-user'), storefront: true }, shipping: { holdShipmentLookups: shipping.wait } });
  base = system.gatewayUrl.replace(/\/graphql$/, '');
  const admin = await Shopper.admin(system.gatewayUrl);
  // Product 1 is the one the playground's place-order example orders.
  await admin.createProduct({ name: 'House blend coffee beans, 1 kg', price: '21.00', stock: 50 });
  await admin.createProduct({ name: 'Gooseneck kettle', price: '79.00', stock: 10 });
  await admin.createProduct({ name: 'Travel kettle', price: '35.50', stock: 10 });
  await admin.createProduct({ name: 'Coffee grinder', price: '189.00', stock: 5 });
  await admin.createProduct({ name: 'Dual boiler espresso machine', price: '1499.00', stock: 2 });
  await admin.createProduct({ name: 'Milk pitcher', price: '21.00', stock: 3 });
  await admin.createProduct({ name: 'Paper filters', price: '6.99', stock: 100 });
  // The gateway bundles GraphiQL on its first asset request (seconds, many more on a busy
  // machine): done here, under beforeAll's limit, not inside the first test's page load.
  expect((await fetch(`${base}/playground/assets/playground.js`)).status).toBe(200);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system.stop();
});

beforeEach(async () => {
  session = await isolatedPage(browser);
  page = session.page;
  page.setDefaultTimeout(15_000);
});
afterEach(async () => {
  await page.context().close();
  // Every asset and call came from the gateway on localhost: nothing was even attempted outside.
  expect(session.outsideRequests).toEqual([]);
  expect(session.pageErrors.filter((text) => /Content Security Policy|Refused to/.test(text))).toEqual([]);
});

/** Waits until an element matching `selector` shows `text`. */
const waitForText = (selector: string, text: string | RegExp) => page.locator(selector).filter({ hasText: text }).first().waitFor();

describe('the playground', () => {
  it('renders GraphiQL with the example operations, runs the products query and shows the result', async () => {
    await page.goto(`${base}/`);
    await waitForText('.graphiql-tab', 'BrowseProducts');
    for (const name of ['PlaceOrder', 'ReadOrder', 'OrderPage', 'MyOrders', 'CancelOrder', 'TrackOrder', 'ShipShipment']) await waitForText('.graphiql-tab', name);
    await waitForText('.graphiql-query-editor', 'query BrowseProducts');
    await page.locator('.graphiql-execute-button').click();
    // The example's variables search for "coffee": two of the seven products.
    await waitForText('.graphiql-response', '"totalCount": 2');
    await waitForText('.graphiql-response', 'House blend coffee beans, 1 kg');
    await waitForText('.graphiql-response', 'Coffee grinder');
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await waitForText('.graphiql-doc-explorer', 'Query');
    await screenshot(page, 'playground-products-query');
  });

  it('places an order with the prefilled customer token, with CSRF prevention on', async () => {
    await page.goto(`${base}/graphql`);
    await page.locator('.graphiql-tab', { hasText: 'PlaceOrder' }).click();
    await page.getByRole('button', { name: 'Headers' }).click();
    await waitForText('.graphiql-editor-tool', 'Bearer eyJ');
    await page.locator('.graphiql-execute-button').click();
    await waitForText('.graphiql-response', '"status": "PAID"');
    await waitForText('.graphiql-response', '"paymentStatus": "COMPLETED"');
    await screenshot(page, 'playground-place-order');
  });

  /** Opens an example tab of the playground and pastes its variables (Monaco takes a paste where
   *  typed text would be auto-closed). The variables editor comes before the headers editor. */
  async function openExampleWithVariables(tab: string, queryStart: string, variables: Record<string, unknown>): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('.graphiql-tab', { hasText: tab }).click();
    await waitForText('.graphiql-query-editor', queryStart);
    await page.locator('.graphiql-editor-tool .monaco-editor').first().click();
    await page.keyboard.press('Control+A');
    await page.locator('.graphiql-editor-tool textarea').first().evaluate((input, text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, JSON.stringify(variables));
  }

  it('runs the TrackOrder subscription over WebSocket and shows the order shipped meanwhile', async () => {
    const customer = await Shopper.customer(system.gatewayUrl, 'playground-user');
    const placed = await customer.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id shipment { id } } }`, {
      input: { idempotencyKey: `track-${Date.now()}`, lines: [{ productId: '1', quantity: 1 }] },
    });
    const { id, shipment } = placed.data.placeOrder;
    await openExampleWithVariables('TrackOrder', 'subscription TrackOrder', { id });
    await page.locator('.graphiql-execute-button').click();
    await waitForText('.graphiql-response', '"shippingStatus": "PENDING"');
    const admin = await Shopper.admin(system.gatewayUrl);
    await admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "PLAYGROUND-1") { status } }`, { id: shipment.id });
    await waitForText('.graphiql-response', '"trackingNumber": "PLAYGROUND-1"');
    await waitForText('.graphiql-response', '"shippingStatus": "SHIPPED"');
    expect(session.pageErrors).toEqual([]);
    await screenshot(page, 'playground-track-order');
  });

  it('runs the OrderPage query with @defer, showing the order first and its shipment once shipping answers', async () => {
    const customer = await Shopper.customer(system.gatewayUrl, 'playground-user');
    const placed = await customer.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { idempotencyKey: `defer-${Date.now()}`, lines: [{ productId: '1', quantity: 1 }] },
    });
    await openExampleWithVariables('OrderPage', 'query OrderPage', { id: placed.data.placeOrder.id });
    shipping.close();
    try {
      await page.locator('.graphiql-execute-button').click();
      await waitForText('.graphiql-response', 'House blend coffee beans, 1 kg');
      // Shipping is held: the pane shows the order's own fields, and nothing of the deferred fragment yet.
      expect(await page.locator('.graphiql-response').textContent()).not.toContain('shippingStatus');
    } finally {
      shipping.open();
    }
    await waitForText('.graphiql-response', '"shippingStatus": "PENDING"');
    await waitForText('.graphiql-response', '"paymentStatus": "COMPLETED"');
    expect(session.pageErrors).toEqual([]);
    await screenshot(page, 'playground-order-page-deferred');
  });

  it('runs a query pasted over another and sent at once, on the first run, with no console error', async () => {
    // GraphiQL reads the operation name from the editor 100 ms after an edit: text pasted over
    // BrowseProducts and run at once reaches the fetcher with operationName "BrowseProducts".
    // The page's clock is paused while that happens, so the run comes first every time.
    await page.clock.install();
    await page.goto(`${base}/`);
    await waitForText('.graphiql-query-editor', 'query BrowseProducts');
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.clock.pauseAt(Date.now() + 60_000);
    await page.keyboard.press('Control+A');
    // Pasted, not typed: typing would have the editor close each brace a second time.
    await page.locator('.graphiql-query-editor textarea').evaluate((input, text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, '{ products(first: 1) { totalCount } }');
    const sent = page.waitForRequest((request) => request.method() === 'POST' && /totalCount/.test(request.postDataJSON()?.query ?? ''));
    await page.keyboard.press('Control+Enter');
    const request = await sent;
    await page.clock.resume();
    expect(request.postDataJSON()).toEqual({ query: '{ products(first: 1) { totalCount } }', variables: expect.anything() });
    expect((await request.response())?.status()).toBe(200);
    await waitForText('.graphiql-response', '"totalCount": 7');
    expect(await page.locator('.graphiql-response').innerText()).not.toMatch(/errors/);
    expect(session.pageErrors).toEqual([]);
    await screenshot(page, 'playground-pasted-query');
  });
});

describe('the storefront', () => {
  async function openShop(customer: string): Promise<void> {
    await page.goto(`${base}/shop/`);
    await page.getByTestId('token').fill(await customerToken(customer));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText('[data-testid=who]', `Signed in as ${customer}`);
    await waitForText('[data-testid=product-count]', 'of 7');
  }

  async function addToCart(productName: string, quantity = 1): Promise<void> {
    await page.getByTestId('search').fill(productName);
    await page.getByRole('button', { name: 'Search' }).click();
    await waitForText('[data-testid=product-count]', '1–1 of 1');
    const item = page.getByTestId('product').filter({ hasText: productName });
    await item.getByRole('spinbutton').fill(String(quantity));
    await item.getByRole('button', { name: 'Add to cart' }).click();
  }

  const lineNames = () => page.getByTestId('order-line').locator('td:first-child').allTextContents();

  it('lists products a page at a time and searches them', async () => {
    await openShop('browser-1');
    expect(await page.getByTestId('product').count()).toBe(5);
    await page.getByRole('button', { name: 'Next →' }).click();
    await waitForText('[data-testid=product-count]', '6–7 of 7');
    expect(await page.getByTestId('product').count()).toBe(2);
    await page.getByTestId('search').fill('kettle');
    await page.getByRole('button', { name: 'Search' }).click();
    await waitForText('[data-testid=product-count]', '1–2 of 2');
    expect(await page.getByTestId('product').locator('strong').allTextContents()).toEqual(['Gooseneck kettle', 'Travel kettle']);
    await screenshot(page, 'storefront-search');
  });

  it('places an order that ends PAID, showing line product names, the total and COMPLETED', async () => {
    await openShop('browser-2');
    await addToCart('Gooseneck kettle', 2);
    await addToCart('Paper filters', 3);
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'PAID');
    expect(await page.getByTestId('payment-status').textContent()).toBe('COMPLETED');
    expect(await page.getByTestId('shipping-status').textContent()).toBe('PENDING');
    expect(await page.getByTestId('order-total').textContent()).toBe('178.97');
    expect(await lineNames()).toEqual(expect.arrayContaining(['Gooseneck kettle', 'Paper filters']));
    await waitForText('#my-orders', 'My orders (1)');
    await screenshot(page, 'storefront-order-paid');
  });

  it('shows why an order over the decline threshold was cancelled', async () => {
    await openShop('browser-3');
    await addToCart('Dual boiler espresso machine');
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'CANCELLED');
    expect(await page.getByTestId('payment-status').textContent()).toBe('FAILED');
    expect(await page.getByTestId('cancellation-reason').textContent()).toMatch(/^PAYMENT_DECLINED: .*declined/i);
    await screenshot(page, 'storefront-order-declined');
  });

  it('shows why an order for more than the stock was cancelled', async () => {
    await openShop('browser-4');
    await addToCart('Milk pitcher', 20);
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'CANCELLED');
    expect(await page.getByTestId('cancellation-reason').textContent()).toMatch(/^OUT_OF_STOCK: Product \d+ is out of stock/);
    await screenshot(page, 'storefront-order-out-of-stock');
  });

  it('cancels a paid order, which refunds it', async () => {
    await openShop('browser-5');
    await addToCart('Travel kettle');
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'PAID');
    await page.getByTestId('cancel-order').click();
    await waitForText('[data-testid=order-status]', 'CANCELLED');
    // The page follows the order live: an event of the cancel's own steps (cancelled, refund still
    // to come) may be shown a moment before the refunded state.
    await waitForText('[data-testid=payment-status]', 'REFUNDED');
    expect(await page.getByTestId('shipping-status').textContent()).toBe('CANCELLED');
    expect(await page.getByTestId('cancellation-reason').textContent()).toMatch(/^CANCELLED_BY_CUSTOMER/);
    expect(await page.getByTestId('cancel-order').count()).toBe(0);
    await screenshot(page, 'storefront-order-cancelled');
  });

  it('shows the carrier and tracking number once an admin has shipped the order, and no longer offers to cancel it', async () => {
    await openShop('browser-ship');
    await addToCart('House blend coffee beans, 1 kg');
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'PAID');
    const orderId = (await page.locator('h2', { hasText: /^Order / }).textContent())!.replace('Order ', '');
    const admin = await Shopper.admin(system.gatewayUrl);
    const { data } = await admin.request(`query($id: ID!) { order(id: $id) { shipment { id } } }`, { id: orderId });
    const shipped = await admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "JD0146") { status } }`, { id: data.order.shipment.id });
    expect(shipped.data.shipShipment.status).toBe('SHIPPED');
    await page.getByRole('button', { name: `Order ${orderId}` }).click();
    await waitForText('[data-testid=shipping-status]', 'SHIPPED');
    expect(await page.getByTestId('shipment-carrier').textContent()).toBe('DHL');
    expect(await page.getByTestId('shipment-tracking').textContent()).toBe('JD0146');
    expect(await page.getByTestId('cancel-order').count()).toBe(0);
    await screenshot(page, 'storefront-order-shipped');
  });

  it('updates the order page live when an admin ships the order (orderUpdated over WebSocket), with no reload', async () => {
    await openShop('browser-live');
    await addToCart('House blend coffee beans, 1 kg');
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'PAID');
    const orderId = (await page.locator('h2', { hasText: /^Order / }).textContent())!.replace('Order ', '');
    const admin = await Shopper.admin(system.gatewayUrl);
    const { data } = await admin.request(`query($id: ID!) { order(id: $id) { shipment { id } } }`, { id: orderId });
    await admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "UPS", trackingNumber: "LIVE-1") { status } }`, { id: data.order.shipment.id });
    await waitForText('[data-testid=shipping-status]', 'SHIPPED');
    expect(await page.getByTestId('shipment-tracking').textContent()).toBe('LIVE-1');
    expect(await page.getByTestId('cancel-order').count()).toBe(0);
    await screenshot(page, 'storefront-order-shipped-live');
  });

  it('retries a placement whose answer was lost with the same idempotency key, ordering once', async () => {
    await openShop('browser-6');
    const keys: string[] = [];
    let answers = 0;
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { query?: string; variables?: { input?: { idempotencyKey?: string } } } | null;
      if (!body?.query?.includes('placeOrder')) return route.continue();
      keys.push(body.variables!.input!.idempotencyKey!);
      // The first request reaches the server and places the order; only its answer is lost.
      const response = await route.fetch();
      if (answers++ === 0) return route.abort('connectionreset');
      return route.fulfill({ response });
    });
    await addToCart('Coffee grinder');
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=notice]', 'may or may not have been placed');
    await waitForText('[data-testid=place-order]', 'Retry placing this order');
    await screenshot(page, 'storefront-retry-offered');
    await page.getByTestId('place-order').click();
    await waitForText('[data-testid=order-status]', 'PAID');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await waitForText('#my-orders', 'My orders (1)');
    const buyer = await Shopper.customer(system.gatewayUrl, 'browser-6');
    expect((await buyer.request('{ myOrders { totalCount } }')).data.myOrders.totalCount).toBe(1);
  });

  it('sorts my orders by total when asked, newest first until then', async () => {
    await openShop('browser-7');
    for (const [product, count] of [['Paper filters', 1], ['Gooseneck kettle', 2]] as const) {
      await addToCart(product);
      await page.getByTestId('place-order').click();
      await waitForText('#my-orders', `My orders (${count})`);
    }
    const totals = async () => (await page.getByTestId('my-order').allTextContents()).map((text) => Number(text.split(' · ')[1]));
    const [newest, oldest] = await totals();
    expect(newest).toBeGreaterThan(oldest!);
    await page.getByTestId('order-sort').selectOption({ label: 'Smallest total first' });
    await waitFor('the smallest total first', async () => (await totals())[0] === oldest, 10_000, 50);
    await page.getByTestId('order-sort').selectOption({ label: 'Largest total first' });
    await waitFor('the largest total first', async () => (await totals())[0] === newest, 10_000, 50);
    await screenshot(page, 'storefront-my-orders-sorted');
  });
});
