import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatReport } from './schema-check/report.js';
import { runSchemaCheck } from './schema-check/run-schema-check.js';

const USAGE = `usage: npm run schema:check [-- --base <git-ref>] [--json]

Checks the subgraph SDL, the composition, drift of schema/, breaking changes of the API schema
against <git-ref> (default: the merge base of HEAD and main), client operations and generated
types. Exits 1 when any check fails, 2 on bad usage.`;

let options: { base?: string; json?: boolean; help?: boolean };
try {
  ({ values: options } = parseArgs({
    options: { base: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const root = fileURLToPath(new URL('../', import.meta.url));
try {
  const report = await runSchemaCheck({ root, base: options.base });
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error(`schema check: ${(error as Error).message}`);
  process.exitCode = 2;
}
