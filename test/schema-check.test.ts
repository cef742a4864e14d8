import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SUBGRAPHS } from '../lib/subgraphs.js';
import { composedSchemaFiles, composeSubgraphs } from '../scripts/compose.js';
import { checkClientOperations } from '../scripts/schema-check/client-operations.js';
import { checkGeneratedTypes } from '../scripts/schema-check/generated-types.js';
import type { Finding, SchemaCheckReport } from '../scripts/schema-check/report.js';
import { runSchemaCheck } from '../scripts/schema-check/run-schema-check.js';

const repo = fileURLToPath(new URL('../', import.meta.url));

/** What the check reads, taken from this working tree. Clients and playground operations are
 *  not copied: the cases bring operations of their own. */
const COPIED = [
  'schema',
  'lib/subgraphs.ts',
  'scripts/compose.ts',
  'scripts/schema-check.ts',
  'scripts/schema-check',
  ...SUBGRAPHS.flatMap(({ name, sdlPath }) => [sdlPath, `subgraphs/${name}/src/resolvers`]),
];

const OPERATIONS: Record<string, string> = {
  'clients/web/src/fragments.graphql': 'fragment ProductSummary on Product {\n  id\n  name\n  price\n}\n',
  'clients/web/src/product-page.graphql':
    'query ProductPage($id: ID!) {\n  product(id: $id) {\n    ...ProductSummary\n    stock\n  }\n}\n',
  'gateway/src/playground/examples/my-orders.graphql':
    'query MyOrders {\n  myOrders(first: 5) {\n    edges {\n      node {\n        id\n        status\n        totalAmount\n      }\n    }\n  }\n}\n',
};

let copy: string;
let baseline: string;

function git(...args: string[]): string {
  const identity = [
    '-c',
    'user.name=Schema Check',
    '-c',
    'user.email=schema-check@example.invalid',
    '-c',
    'commit.gpgsign=false',
  ];
  return execFileSync('git', [...identity, ...args], {
    cwd: copy,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(copy, path)), { recursive: true });
  writeFileSync(join(copy, path), text);
}

function edit(path: string, from: string, to: string): void {
  const text = readFileSync(join(copy, path), 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  writeFileSync(join(copy, path), text.replace(from, to));
}

/** What a developer does after an SDL change: `npm run schema:compose`. */
function recompose(): void {
  const result = composeSubgraphs(pathToFileURL(`${copy}/`));
  if (result.errors) throw new Error(result.errors.map(({ message }) => message).join('\n'));
  for (const { path, content } of composedSchemaFiles(result)) write(path, content);
}

const check = (base?: string) => runSchemaCheck({ root: copy, base });

function findings(report: SchemaCheckReport, titleStart: string): Finding[] {
  const found = report.sections.find(({ title }) => title.startsWith(titleStart));
  if (!found) throw new Error(`no section ${titleStart}`);
  return found.findings;
}

const failures = (report: SchemaCheckReport) =>
  report.sections.flatMap(({ findings: all }) => all.filter(({ status }) => status === 'fail'));

function runCli(...args: string[]) {
  return spawnSync(join(copy, 'node_modules/.bin/tsx'), ['scripts/schema-check.ts', ...args], {
    cwd: copy,
    encoding: 'utf8',
  });
}

const REMOVE_PRODUCT_DESCRIPTION: [string, string, string] = [
  'subgraphs/product/schema.graphql',
  '  "Longer text shown on the product page."\n  description: String\n',
  '',
];

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'schema-check-'));
  for (const path of COPIED) cpSync(join(repo, path), join(copy, path), { recursive: true });
  write('package.json', JSON.stringify({ name: 'schema-check-case', private: true, type: 'module' }, null, 2));
  write('.gitignore', 'node_modules\n');
  for (const [path, text] of Object.entries(OPERATIONS)) write(path, text);
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'baseline');
  baseline = git('rev-parse', 'HEAD');
});

afterEach(() => {
  git('checkout', '-q', '-f', 'main');
  git('reset', '-q', '--hard', baseline);
  git('clean', '-q', '-fdx', '-e', 'node_modules');
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('npm run schema:check', () => {
  it('passes on an unchanged repo and prints every section as passed', () => {
    const run = runCli();

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(nothing beyond main: the working tree against HEAD)');
    expect(run.stdout).toContain('✓ Subgraph SDL');
    expect(run.stdout).toContain('✓ Composition');
    expect(run.stdout).toContain('✓ Drift');
    expect(run.stdout).toContain('✓ Breaking changes');
    expect(run.stdout).toContain('2 operations in 3 files validate');
    expect(run.stdout).toContain('✓ schema check passed');
  });

  it('fails a removed field, naming its coordinate in the report and in --json', () => {
    edit(...REMOVE_PRODUCT_DESCRIPTION);
    recompose();

    const text = runCli();
    const json = runCli('--json');

    expect(text.status).toBe(1);
    expect(text.stdout).toContain(
      "✗ Product.description  [FIELD_REMOVED]  breaking: Field 'description' was removed from object type 'Product'",
    );
    expect(text.stdout).toContain('✗ schema check failed: breaking changes (1)');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as SchemaCheckReport;
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      expect.objectContaining({ status: 'fail', coordinate: 'Product.description', code: 'FIELD_REMOVED' }),
    ]);
  });

  it('exits 2 on an unknown option', () => {
    const run = runCli('--bsae', 'main');

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm run schema:check');
  });
});

describe('breaking changes of the API schema', () => {
  it('passes a new optional field committed on a branch and lists it as safe against the merge base', async () => {
    git('checkout', '-q', '-b', 'add-weight');
    edit(
      'subgraphs/product/schema.graphql',
      '  "Units available to order now."\n',
      '  "Shipping weight in grams."\n  weightGrams: Int\n  "Units available to order now."\n',
    );
    recompose();
    git('commit', '-q', '-am', 'Product.weightGrams');

    const report = await check();

    expect(report.base).toEqual(expect.objectContaining({ ref: 'main', commit: baseline }));
    expect(report.ok).toBe(true);
    expect(findings(report, 'Breaking changes')).toEqual([
      expect.objectContaining({
        status: 'pass',
        coordinate: 'Product.weightGrams',
        message: expect.stringMatching(/^safe: /),
      }),
    ]);
  });

  it('fails a removed enum value even when the branch has committed it', async () => {
    git('checkout', '-q', '-b', 'drop-admin-cancel');
    edit('subgraphs/order/schema.graphql', '  "An admin cancelled the order."\n  CANCELLED_BY_ADMIN\n', '');
    recompose();
    git('commit', '-q', '-am', 'no more admin cancellations');

    const report = await check();

    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      expect.objectContaining({ coordinate: 'CancellationCode.CANCELLED_BY_ADMIN', code: 'ENUM_VALUE_REMOVED' }),
    ]);
  });

  it('fails an argument made required, compared with HEAD when on main', async () => {
    edit(
      'subgraphs/order/schema.graphql',
      'cancelOrder(id: ID!, reason: String)',
      'cancelOrder(id: ID!, reason: String!)',
    );
    recompose();

    const report = await check();

    expect(report.base.commit).toBe(baseline);
    expect(failures(report)).toEqual([
      expect.objectContaining({ coordinate: 'Mutation.cancelOrder(reason:)', code: 'FIELD_ARGUMENT_TYPE_CHANGED' }),
    ]);
  });

  it('passes a break named with a reason in the allow file, and says so', async () => {
    edit(...REMOVE_PRODUCT_DESCRIPTION);
    recompose();
    write(
      'schema/allowed-breaking-changes.txt',
      '# coordinate  reason\nProduct.description  folded into name; no client reads it\n',
    );

    const report = await check();

    expect(report.ok).toBe(true);
    expect(findings(report, 'Breaking changes')).toEqual([
      expect.objectContaining({
        status: 'pass',
        coordinate: 'Product.description',
        allowedBecause: 'folded into name; no client reads it',
        message: expect.stringContaining('allowed by schema/allowed-breaking-changes.txt:2'),
      }),
    ]);
  });

  it('fails an allowance without a reason', async () => {
    edit(...REMOVE_PRODUCT_DESCRIPTION);
    recompose();
    write('schema/allowed-breaking-changes.txt', 'Product.description\n');

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        file: 'schema/allowed-breaking-changes.txt',
        line: 1,
        message: 'allows a break without a reason',
      }),
      expect.objectContaining({ coordinate: 'Product.description', code: 'FIELD_REMOVED' }),
    ]);
  });

  it('reports a dangerous change without failing', async () => {
    edit(
      'subgraphs/payment/schema.graphql',
      '  REFUNDED\n',
      '  REFUNDED\n  "The charge was voided before it ran."\n  VOIDED\n',
    );
    recompose();

    const report = await check();

    expect(report.ok).toBe(true);
    expect(findings(report, 'Breaking changes')).toEqual([
      expect.objectContaining({ status: 'warn', coordinate: 'PaymentStatus.VOIDED', code: 'ENUM_VALUE_ADDED' }),
    ]);
  });

  it('composes the base subgraphs when the base has no committed API schema', async () => {
    git('rm', '-q', 'schema/api.graphql');
    git('commit', '-q', '-m', 'before the API schema was committed');
    recompose();

    const report = await check();

    expect(report.ok).toBe(true);
    expect(findings(report, 'Breaking changes')).toEqual([
      expect.objectContaining({ message: 'no change to the API schema' }),
    ]);
  });

  it('has nothing to compare with a base that has no schema at all', async () => {
    const emptyTree = git('hash-object', '-t', 'tree', '/dev/null');
    const firstCommit = git('commit-tree', emptyTree, '-m', 'first commit');

    const report = await check(firstCommit);

    expect(report.ok).toBe(true);
    expect(findings(report, 'Breaking changes')).toEqual([
      expect.objectContaining({ status: 'info', message: expect.stringMatching(/^nothing to compare/) }),
    ]);
  });

  it('refuses a base ref that does not exist', async () => {
    await expect(check('no-such-branch')).rejects.toThrow('--base no-such-branch: no such commit');
  });
});

describe('composition and drift', () => {
  it('fails two subgraphs giving a shared field conflicting types, with code, subgraphs and file:line', async () => {
    edit('subgraphs/product/schema.graphql', 'hasNextPage: Boolean!', 'hasNextPage: Int!');

    const report = await check();

    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      expect.objectContaining({
        code: 'FIELD_TYPE_MISMATCH',
        subgraph: expect.stringMatching(/^(order, product|product, order)$/),
        file: expect.stringMatching(/^subgraphs\/(order|product)\/schema\.graphql$/),
        line: expect.any(Number),
        message: expect.stringContaining('"PageInfo.hasNextPage"'),
      }),
      expect.objectContaining({
        code: 'FIELD_TYPE_MISMATCH',
        message: expect.stringMatching(/^@theguild\/federation-composition refuses: .*"PageInfo\.hasNextPage"/),
      }),
    ]);
    expect(findings(report, 'Drift')).toEqual([expect.objectContaining({ status: 'info' })]);
  });

  it('passes an unchanged repo with both composers and the @inaccessible rule other routers apply', async () => {
    const messages = findings(await check(), 'Composition').map(({ status, message }) => `${status}: ${message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^pass: the ${SUBGRAPHS.length} subgraphs compose with @apollo/composition`)),
        'pass: @theguild/federation-composition composes them too',
        expect.stringMatching(/^pass: every field and argument of an @inaccessible type is @inaccessible itself/),
      ]),
    );
  });

  it('fails a field and an argument of an @inaccessible type not marked @inaccessible, naming each (Grafbase refuses them)', async () => {
    edit('subgraphs/product/schema.graphql', '  "Internal, like its type: where the reservation stands."\n  status: ReservationStatus! @inaccessible', '  status: ReservationStatus!');
    edit('subgraphs/product/schema.graphql', 'lines: [ReservationLineInput!]! @inaccessible)', 'lines: [ReservationLineInput!]!)');
    recompose();

    const report = await check();

    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      expect.objectContaining({ subgraph: 'product', coordinate: 'Reservation.status', message: expect.stringContaining('@inaccessible type ReservationStatus') }),
      expect.objectContaining({ subgraph: 'product', coordinate: 'Mutation.reserveStock(lines:)', message: expect.stringContaining('@inaccessible type ReservationLineInput') }),
    ]);
  });

  it('fails a hand edit of schema/supergraph.graphql, pointing at the line', async () => {
    const supergraph = readFileSync(join(copy, 'schema/supergraph.graphql'), 'utf8');
    const line = supergraph.split('\n').findIndex((text) => text.includes('stock: Int!')) + 1;
    edit('schema/supergraph.graphql', 'stock: Int!', 'stock: Int');

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        file: 'schema/supergraph.graphql',
        line,
        message: expect.stringContaining('npm run schema:compose'),
      }),
    ]);
  });

  it('fails a hand edit of schema/api.graphql that no subgraph makes, pointing at the line', async () => {
    const api = readFileSync(join(copy, 'schema/api.graphql'), 'utf8');
    const line = api.split('\n').findIndex((text) => text.includes('Units available to order now.')) + 1;
    edit('schema/api.graphql', '  """Units available to order now."""\n', '  """Shipping weight in grams."""\n  weightGrams: Int\n  """Units available to order now."""\n');

    const report = await check();

    expect(findings(report, 'Drift')).toContainEqual(expect.objectContaining({ status: 'pass', file: 'schema/supergraph.graphql' }));
    expect(failures(report)).toEqual([
      expect.objectContaining({
        file: 'schema/api.graphql',
        line,
        message: expect.stringContaining('npm run schema:compose'),
      }),
    ]);
  });
});

describe('subgraph SDL on its own', () => {
  it('fails a public field without a description', async () => {
    edit(
      'subgraphs/order/schema.graphql',
      '  updatedAt: DateTime!\n',
      '  updatedAt: DateTime!\n  giftMessage: String\n',
    );
    recompose();
    const line =
      readFileSync(join(copy, 'subgraphs/order/schema.graphql'), 'utf8').split('\n').indexOf('  giftMessage: String') +
      1;

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        subgraph: 'order',
        coordinate: 'Order.giftMessage',
        file: 'subgraphs/order/schema.graphql',
        line,
        message: 'has no description',
      }),
    ]);
  });

  it('fails an internal saga mutation that is no longer @inaccessible', async () => {
    edit(
      'subgraphs/payment/schema.graphql',
      'amount: Decimal!): Payment! @inaccessible',
      'amount: Decimal!): Payment!',
    );

    const report = await check();

    expect(findings(report, 'Subgraph SDL').filter(({ status }) => status === 'fail')).toEqual([
      expect.objectContaining({
        coordinate: 'Mutation.chargePayment',
        message: 'is described as Internal but is not @inaccessible',
      }),
      expect.objectContaining({
        coordinate: 'Mutation.chargePayment',
        message:
          'requires the service credential (subgraphs/payment/src/resolvers/Mutation.ts) but is not @inaccessible',
      }),
    ]);
  });

  it('fails an @inaccessible field whose description does not say it is internal', async () => {
    edit('subgraphs/product/schema.graphql', '"Internal (service credential): puts an order', '"Puts an order');
    recompose();

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        coordinate: 'Mutation.releaseStock',
        message: expect.stringContaining('must start with "Internal"'),
      }),
    ]);
  });

  it('fails an SDL that does not parse, at file:line', async () => {
    edit('subgraphs/payment/schema.graphql', 'type Payment @key(fields: "id") {', 'type Payment @key(fields: "id") {{');

    const report = await check();

    expect(findings(report, 'Subgraph SDL')).toContainEqual(
      expect.objectContaining({ status: 'fail', file: 'subgraphs/payment/schema.graphql', line: expect.any(Number) }),
    );
    expect(findings(report, 'Composition')).toContainEqual(
      expect.objectContaining({ status: 'fail', message: 'not composed: fix payment first' }),
    );
  });
});

describe('client operations', () => {
  it('fails an operation asking for a field that does not exist, at file:line:column', async () => {
    write(
      'clients/web/src/order-status.graphql',
      'query OrderStatus($id: ID!) {\n  order(id: $id) {\n    id\n    status\n    giftWrapping\n  }\n}\n',
    );

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        file: 'clients/web/src/order-status.graphql',
        line: 5,
        column: 5,
        message: 'Cannot query field "giftWrapping" on type "Order".',
      }),
    ]);
  });

  it('fails a field that a fragment in another file asks for, at the fragment', async () => {
    edit('clients/web/src/fragments.graphql', '  price\n', '  price\n  discount\n');

    expect(checkClientOperations(copy).filter(({ status }) => status === 'fail')).toEqual([
      expect.objectContaining({ file: 'clients/web/src/fragments.graphql', line: 5 }),
    ]);
  });

  it('has nothing to validate when there is no clients/ folder and no playground operations', () => {
    rmSync(join(copy, 'clients'), { recursive: true });
    rmSync(join(copy, 'gateway'), { recursive: true });

    expect(checkClientOperations(copy)).toEqual([
      expect.objectContaining({ status: 'pass', message: expect.stringMatching(/^no operations/) }),
    ]);
  });
});

describe('generated types', () => {
  /** The repo's own codegen: its config and the resolver types it generated, as committed. */
  function copyCodegen(): void {
    cpSync(join(repo, 'codegen.ts'), join(copy, 'codegen.ts'));
    for (const { name } of SUBGRAPHS) {
      cpSync(join(repo, `subgraphs/${name}/src/generated`), join(copy, `subgraphs/${name}/src/generated`), { recursive: true });
      cpSync(join(repo, `subgraphs/${name}/codegen.json`), join(copy, `subgraphs/${name}/codegen.json`));
    }
    cpSync(join(repo, 'subgraphs/order/src/saga/operations'), join(copy, 'subgraphs/order/src/saga/operations'), { recursive: true });
  }

  it('passes the committed resolver types through graphql-codegen --check, the CLI installed beside the copy', () => {
    copyCodegen();

    expect(existsSync(join(copy, 'node_modules/.bin/graphql-codegen'))).toBe(true);
    expect(checkGeneratedTypes(copy)).toEqual([
      expect.objectContaining({ status: 'pass', file: 'codegen.ts', message: expect.stringContaining('graphql-codegen --config codegen.ts --check') }),
    ]);
  });

  it('fails an SDL change that composes but leaves the subgraph resolver types stale, naming the stale file', async () => {
    copyCodegen();
    edit(
      'subgraphs/product/schema.graphql',
      '  "Units available to order now."\n',
      '  "Shipping weight in grams."\n  weightGrams: Int\n  "Units available to order now."\n',
    );
    recompose();

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        file: 'codegen.ts',
        message: expect.stringMatching(/out of date.*subgraphs\/product\/src\/generated\/resolvers\.ts/),
      }),
    ]);
  });

  it('fails a peer change that breaks the saga\'s calls, naming the saga\'s operation', async () => {
    copyCodegen();
    // Internal (@inaccessible): the API schema does not change, only what the saga asks for.
    edit('subgraphs/product/schema.graphql', '  reason: String\n', '');
    recompose();

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({
        file: 'codegen.ts',
        message: expect.stringMatching(/Cannot query field "reason" on type "Reservation".*subgraphs\/order\/src\/saga\/operations\/product\.graphql/),
      }),
    ]);
  });

  it('fails a peer change the saga\'s calls still validate against but whose types change, naming the stale file', async () => {
    copyCodegen();
    edit('subgraphs/payment/schema.graphql', '  failureReason: String\n', '  failureReason: String!\n');
    recompose();

    const report = await check();

    expect(failures(report)).toEqual([
      expect.objectContaining({ file: 'codegen.ts', message: expect.stringMatching(/out of date.*subgraphs\/order\/src\/generated\/payment-operations\.ts/) }),
    ]);
  });

  it('fails a hand edit of a generated resolver file, naming it', () => {
    copyCodegen();
    edit('subgraphs/order/src/generated/resolvers.ts', 'export type ', '// tidied by hand\nexport type ');

    expect(checkGeneratedTypes(copy)).toEqual([
      expect.objectContaining({
        status: 'fail',
        file: 'codegen.ts',
        message: expect.stringContaining('subgraphs/order/src/generated/resolvers.ts'),
      }),
    ]);
  });

  it('fails when the codegen:check script says the generated types are stale', () => {
    write(
      'clients/web/package.json',
      JSON.stringify({ scripts: { 'codegen:check': 'echo stale: src/gql/graphql.ts && exit 1' } }),
    );

    expect(checkGeneratedTypes(copy)).toEqual([
      expect.objectContaining({
        status: 'fail',
        file: 'clients/web/package.json',
        message: expect.stringContaining('stale: src/gql/graphql.ts'),
      }),
    ]);
  });

  it('passes when the codegen:check script does', () => {
    write('clients/web/package.json', JSON.stringify({ scripts: { 'codegen:check': 'exit 0' } }));

    expect(checkGeneratedTypes(copy)).toEqual([
      expect.objectContaining({ status: 'pass', file: 'clients/web/package.json' }),
    ]);
  });
});

describe('CI', () => {
  const workflow = readFileSync(join(repo, '.github/workflows/ci.yml'), 'utf8');
  const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;

  it('pins every GitHub action to a commit', () => {
    const uses = [...workflow.matchAll(/uses:\s*(\S+)/g)].map(([, action]) => action);

    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it('only runs npm scripts that exist, including the schema check against the pull request base', () => {
    const runs = [...workflow.matchAll(/^\s*(?:- )?run:\s*(.+)$/gm)].map(([, command]) => command!.trim());

    for (const command of runs) {
      const script = /^npm run ([\w:-]+)/.exec(command)?.[1];
      expect(script ? scripts[script] : ['npm ci', 'npm test'].includes(command)).toBeTruthy();
    }
    expect(runs).toContain('npm run schema:check -- --base "origin/$BASE_REF"');
    // The runner lacks docker-compose v1: the same package step as .ci/run, before the tests.
    expect(runs.indexOf('npm run ci:packages')).toBeGreaterThanOrEqual(0);
    expect(runs.indexOf('npm run ci:packages')).toBeLessThan(runs.indexOf('npm test'));
    expect(readFileSync(join(repo, '.ci/run'), 'utf8')).toContain('bash scripts/ci-packages.sh');
    expect(readFileSync(join(repo, '.ci/run'), 'utf8')).toMatch(/npm test\nnpm run schema:check/);
  });
});
