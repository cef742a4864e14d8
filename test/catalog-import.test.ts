import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalogApi, RowRefusedError, type CatalogApi, type CatalogProduct } from '../scripts/catalog-import/catalog-api.js';
import { readCatalogCsv } from '../scripts/catalog-import/csv.js';
import { importCatalog } from '../scripts/catalog-import/import.js';
import { adminToken, customerToken, TEST_JWT_SECRET } from './support/auth.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;
let api: CatalogApi;
const scratch = mkdtempSync(join(tmpdir(), 'catalog-import-'));

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  api = createCatalogApi(system.gatewayUrl, await adminToken());
});
afterAll(async () => {
  await system.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function productBySku(sku: string) {
  const { data } = await admin.request(`query($sku: String!) { products(first: 100, filter: { search: $sku }) { edges { node { id sku name description price stock updatedAt } } } }`, { sku });
  return (data.products.edges as { node: CatalogProduct & { updatedAt: string } }[]).map(({ node }) => node).find((node) => node.sku === sku) ?? null;
}

function importText(text: string) {
  const { rows, rejected } = readCatalogCsv(text);
  return importCatalog(api, rows).then((outcomes) => [...rejected.map((row) => ({ ...row, result: 'rejected' })), ...outcomes].sort((a, b) => a.line - b.line));
}

/** Runs `npm run import:products` the way an operator does, as a child process. */
function runImportCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/import-products.ts', ...args], { env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('catalog import through the gateway', () => {
  it('creates new skus, updates existing ones, and rejects duplicate and bad rows by line without touching them', async () => {
    await admin.createProduct({ sku: 'IMP-EXISTING', name: 'Old name', price: '5.00', stock: 10 });
    await admin.createProduct({ sku: 'IMP-UNTOUCHED', name: 'Untouched', price: '3.00', stock: 7 });
    const before = await productBySku('IMP-UNTOUCHED');

    const outcomes = await importText(
      [
        'sku,name,description,price,stock',
        'IMP-NEW,New kettle,"Steel, 1 litre",24.50,12',
        'IMP-EXISTING,New name,,6.00,3',
        'IMP-NEW,The same sku again,,1.00,1',
        'IMP-UNTOUCHED,Renamed,,-1.00,100',
        'IMP-UNTOUCHED,Renamed,,1.00,many',
        'IMP-TWO-LINES,Tea tin,"Airtight',
        'holds 200 g",9.90,0',
      ].join('\n'),
    );

    expect(outcomes).toEqual([
      { line: 2, sku: 'IMP-NEW', result: 'created' },
      { line: 3, sku: 'IMP-EXISTING', result: 'updated' },
      { line: 4, result: 'rejected', reason: 'sku "IMP-NEW" already appears on line 2' },
      { line: 5, result: 'rejected', reason: 'price must be greater than 0, got -1.00' },
      { line: 6, result: 'rejected', reason: 'stock must be a whole number from 0 to 1000000000, got "many"' },
      { line: 7, sku: 'IMP-TWO-LINES', result: 'created' },
    ]);
    expect(await productBySku('IMP-NEW')).toMatchObject({ name: 'New kettle', description: 'Steel, 1 litre', price: '24.50', stock: 12 });
    expect(await productBySku('IMP-EXISTING')).toMatchObject({ name: 'New name', description: null, price: '6.00', stock: 3 });
    expect(await productBySku('IMP-TWO-LINES')).toMatchObject({ description: 'Airtight\nholds 200 g', stock: 0 });
    expect(await productBySku('IMP-UNTOUCHED')).toEqual(before);
  });

  it('changes nothing when the same file is imported again', async () => {
    const text = 'sku,name,description,price,stock\nIMP-AGAIN-1,Cup,,3.00,4\nIMP-AGAIN-2,Saucer,Blue,2.00,0\n';
    await importText(text);
    const first = await productBySku('IMP-AGAIN-1');
    expect(await importText(text)).toEqual([
      { line: 2, sku: 'IMP-AGAIN-1', result: 'unchanged' },
      { line: 3, sku: 'IMP-AGAIN-2', result: 'unchanged' },
    ]);
    expect(await productBySku('IMP-AGAIN-1')).toEqual(first);
  });

  it('sets stock to the file count while orders have taken units, by adjusting the difference', async () => {
    const productId = await admin.createProduct({ sku: 'IMP-SOLD', name: 'Sold', price: '2.00', stock: 10 });
    const buyer = await Shopper.customer(system.gatewayUrl, 'import-buyer');
    expect((await buyer.placeOrder([{ productId, quantity: 4 }])).data.placeOrder.status).toBe('PAID');
    await importText('sku,name,price,stock\nIMP-SOLD,Sold,2.00,20\n');
    expect(await admin.stockOf(productId)).toBe(20);
  });

  it('finds an existing sku even when its search matches more than a page of other products', async () => {
    for (let i = 0; i < 3; i += 1) await admin.createProduct({ sku: `IMP-PAGE-${i}`, name: 'IMP-PAGE-TARGET lookalike', price: '1.00', stock: 1 });
    await admin.createProduct({ sku: 'IMP-PAGE-TARGET', name: 'Target', price: '1.00', stock: 1 });
    const paged = createCatalogApi(system.gatewayUrl, await adminToken(), { pageSize: 2 });
    const { rows } = readCatalogCsv('sku,name,price,stock\nIMP-PAGE-TARGET,Target,1.50,1\n');
    expect(await importCatalog(paged, rows)).toEqual([{ line: 2, sku: 'IMP-PAGE-TARGET', result: 'updated' }]);
    expect((await productBySku('IMP-PAGE-TARGET'))?.price).toBe('1.50');
  });
});

describe('npm run import:products', () => {
  it('imports the sample catalog with an admin token signed from JWT_SECRET and exits 0', async () => {
    const { code, stdout, stderr } = await runImportCommand(['deploy/sample-products.csv', '--url', system.gatewayUrl], { JWT_SECRET: TEST_JWT_SECRET });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('deploy/sample-products.csv: 7 created, 0 updated, 0 unchanged, 0 rejected');
    expect(await productBySku('TEA-EARL-100')).toMatchObject({ name: 'Earl Grey tea (100 g)', price: '6.90', stock: 120 });
  });

  it('prints each bad row with its line, imports the rest and exits 1', async () => {
    const file = join(scratch, 'some-bad.csv');
    writeFileSync(file, 'sku,name,price,stock\nCLI-GOOD,Good,1.00,1\nCLI-BAD,Bad,free,1\n');
    const { code, stdout, stderr } = await runImportCommand([file, '--url', system.gatewayUrl, '--token', await adminToken()]);
    expect(code).toBe(1);
    expect(stderr).toBe('line 3: price "free" is not an amount with at most two fraction digits, e.g. 19.99\n');
    expect(stdout).toContain('1 created, 0 updated, 0 unchanged, 1 rejected');
    expect(await productBySku('CLI-GOOD')).not.toBeNull();
    expect(await productBySku('CLI-BAD')).toBeNull();
  });

  it('stops with exit 2 and changes nothing when the token is not an admin one', async () => {
    const file = join(scratch, 'forbidden.csv');
    writeFileSync(file, 'sku,name,price,stock\nCLI-FORBIDDEN,Nope,1.00,1\n');
    const { code, stderr } = await runImportCommand([file, '--url', system.gatewayUrl, '--token', await customerToken('not-an-admin')]);
    expect(code).toBe(2);
    expect(stderr).toContain('import stopped at line 2');
    expect(stderr).toContain('FORBIDDEN');
    expect(await productBySku('CLI-FORBIDDEN')).toBeNull();
  });

  it('imports nothing from a file with a broken header and exits 2', async () => {
    const file = join(scratch, 'broken-header.csv');
    writeFileSync(file, 'sku,name,price\nCLI-HEADER,No stock column,1.00\n');
    const { code, stderr } = await runImportCommand([file, '--url', system.gatewayUrl]);
    expect({ code, stderr }).toEqual({ code: 2, stderr: 'nothing imported: missing column(s) stock in the header line\n' });
  });
});

describe('importCatalog when the API refuses a row part-way', () => {
  it('undoes the stock adjustment when the field update is refused, so the row changes nothing', async () => {
    const product: CatalogProduct = { id: '1', sku: 'S', name: 'Old', description: null, price: '1.00', stock: 5 };
    const adjustments: number[] = [];
    const refusing: CatalogApi = {
      findBySku: async () => product,
      create: async () => product,
      adjustStock: async (_id, delta) => {
        adjustments.push(delta);
        return product;
      },
      update: async () => {
        throw new RowRefusedError('name is taken');
      },
    };
    const { rows } = readCatalogCsv('sku,name,price,stock\nS,New,1.00,8\n');
    expect(await importCatalog(refusing, rows)).toEqual([{ line: 2, result: 'rejected', reason: 'name is taken' }]);
    expect(adjustments).toEqual([3, -3]);
  });
});
