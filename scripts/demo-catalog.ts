import type { CreateProductInput } from '../subgraphs/product/src/catalog.js';

/** A coffee shop's catalog. The espresso machine costs more than the payment simulator's
 *  default decline threshold (1000.00) and two products are sold out, so a newcomer can see
 *  PAYMENT_DECLINED and OUT_OF_STOCK without changing any data. */
export const DEMO_CATALOG: readonly CreateProductInput[] = [
  { sku: 'BEAN-ETH-1KG', name: 'Ethiopia Yirgacheffe coffee beans, 1 kg', description: 'Washed single-origin beans with notes of jasmine and lemon; roasted light for filter coffee.', price: '32.50', stock: 120 },
  { sku: 'BEAN-BRA-1KG', name: 'Brazil Cerrado coffee beans, 1 kg', description: 'Natural-process beans with chocolate and hazelnut notes; a forgiving espresso roast.', price: '24.90', stock: 200 },
  { sku: 'BEAN-DECAF-500', name: 'Colombia decaf coffee beans, 500 g', description: 'Sugarcane-process decaf that still tastes like coffee.', price: '16.75', stock: 45 },
  { sku: 'GRIND-BURR-60', name: 'Conical burr coffee grinder', description: '60 mm steel burrs, 40 grind settings from espresso to cold brew.', price: '189.00', stock: 15 },
  { sku: 'ESP-DUAL-BOILER', name: 'Dual boiler espresso machine', description: 'PID-controlled dual boiler with a rotary pump and a 58 mm group head.', price: '1499.00', stock: 4 },
  { sku: 'KETTLE-GOOSE-1L', name: 'Gooseneck pour-over kettle, 1 l', description: 'Variable temperature with a hold function and a precise spout.', price: '79.00', stock: 30 },
  { sku: 'DRIP-V60-02', name: 'Ceramic pour-over dripper, size 02', description: 'Spiral ribs and one large hole for a quick, clean cup of coffee.', price: '24.00', stock: 60 },
  { sku: 'FILTER-02-100', name: 'Paper filters, size 02, pack of 100', description: 'Unbleached paper filters for size 02 drippers.', price: '6.99', stock: 500 },
  { sku: 'SCALE-TIMER', name: 'Coffee scale with timer', description: 'Weighs to 0.1 g with a built-in shot timer; USB-C rechargeable.', price: '54.50', stock: 25 },
  { sku: 'PITCHER-600', name: 'Milk frothing pitcher, 600 ml', description: 'Stainless steel with a sharp spout for latte art.', price: '21.00', stock: 0 },
  { sku: 'TAMPER-58', name: 'Espresso tamper, 58 mm', description: 'Calibrated, spring-loaded tamper for even pressure every time.', price: '45.00', stock: 0 },
  { sku: 'MUG-TRAVEL-350', name: 'Insulated travel mug, 350 ml', description: 'Double-walled steel keeps coffee hot for four hours; leak-proof lid.', price: '27.40', stock: 80 },
  { sku: 'CLEAN-TABS-100', name: 'Espresso machine cleaning tablets, 100', description: 'Backflush tablets that dissolve coffee oils in the group head.', price: '12.49', stock: 150 },
];

const CATALOG_SIZE = 'query DemoCatalogSize { products(first: 0) { totalCount } }';
const CREATE_PRODUCT = 'mutation SeedDemoProduct($input: CreateProductInput!) { createProduct(input: $input) { id } }';

/**
 * Seeds the catalog only while it is empty, so restarts and products an admin has added are left
 * alone. It goes through the product subgraph's API with an admin token, as an admin would:
 * no script or service writes another service's tables. Returns how many products it created.
 */
export async function seedDemoCatalog(productUrl: string, adminToken: string): Promise<number> {
  const { products } = await callGraphQL<{ products: { totalCount: number } }>(productUrl, CATALOG_SIZE, {}, adminToken);
  if (products.totalCount > 0) return 0;
  for (const input of DEMO_CATALOG) await callGraphQL(productUrl, CREATE_PRODUCT, { input }, adminToken);
  return DEMO_CATALOG.length;
}

async function callGraphQL<T>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const [error] = body.errors ?? [];
  if (error) throw new Error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  if (body.data === undefined) throw new Error(`the product subgraph answered HTTP ${response.status} without data`);
  return body.data;
}
