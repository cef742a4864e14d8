import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readAuthConfig, signDevToken } from '../lib/auth.js';
import { createCatalogApi, ImportAbortedError } from './catalog-import/catalog-api.js';
import { CatalogFileError, readCatalogCsv } from './catalog-import/csv.js';
import { importCatalog, type RowOutcome } from './catalog-import/import.js';

const USAGE = 'usage: npm run import:products -- <file.csv> [--url http://localhost:4000/graphql] [--token <admin JWT>]';

/** Exit codes: 0 every row imported, 1 some rows rejected (the others were imported),
 *  2 nothing could be done or the import stopped part-way (bad file, unreachable, refused token). */
class UsageError extends Error {}

function readArgs() {
  try {
    const { values, positionals } = parseArgs({
      options: { url: { type: 'string', default: 'http://localhost:4000/graphql' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
    if (values.help) return null;
    if (positionals.length !== 1) throw new UsageError('give exactly one CSV file');
    return { file: positionals[0]!, url: values.url, token: values.token };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Without --token, a short-lived admin token is signed with the JWT_SECRET the services use. */
async function adminToken(): Promise<string> {
  const auth = readAuthConfig(process.env);
  if (!auth.jwtSecret) throw new UsageError('JWT_JWKS_URL is set, so no token can be signed here: pass --token with an admin token from your identity provider');
  return signDevToken(auth.jwtSecret, { sub: 'catalog-import', admin: true, ttlSeconds: 3600, issuer: auth.issuer, audience: auth.audience });
}

function summarise(file: string, outcomes: RowOutcome[]): string {
  const count = (result: RowOutcome['result']) => outcomes.filter((outcome) => outcome.result === result).length;
  return `${file}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('rejected')} rejected`;
}

async function main(): Promise<number> {
  const args = readArgs();
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  const { rows, rejected } = readCatalogCsv(await readFile(args.file, 'utf8'));
  const api = createCatalogApi(args.url, args.token ?? (await adminToken()));
  const outcomes: RowOutcome[] = rejected.map((row) => ({ ...row, result: 'rejected' as const }));
  let done = 0;
  try {
    await importCatalog(api, rows, (outcome) => {
      outcomes.push(outcome);
      done += 1;
    });
  } catch (error) {
    if (!(error instanceof ImportAbortedError)) throw error;
    console.error(`import stopped at line ${rows[done]!.line}: ${error.message}`);
    console.error(`before it stopped: ${summarise(args.file, outcomes)}`);
    return 2;
  }
  for (const outcome of outcomes.sort((a, b) => a.line - b.line)) {
    if (outcome.result === 'rejected') console.error(`line ${outcome.line}: ${outcome.reason}`);
  }
  console.log(summarise(args.file, outcomes));
  return outcomes.some((outcome) => outcome.result === 'rejected') ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
  else if (error instanceof CatalogFileError) console.error(`nothing imported: ${error.message}`);
  else if (error instanceof Error && 'code' in error && error.code === 'ENOENT') console.error(`nothing imported: ${error.message}`);
  else console.error(error);
  process.exitCode = 2;
}
