import { parseArgs } from 'node:util';
import { readAuthConfig, signDevToken, subjectProblem } from '../lib/auth.js';
import { ConfigError } from '../lib/config.js';

const USAGE = 'usage: npm run token -- --sub <customer id> [--admin] [--ttl 30s|15m|1h|7d]';
const SECONDS_PER_UNIT = { s: 1, m: 60, h: 60 * 60, d: 24 * 60 * 60 } as const;

class UsageError extends Error {}

function parseTtl(text: string): number {
  const match = /^([1-9]\d{0,5})([smhd])$/.exec(text);
  if (!match) throw new UsageError(`--ttl must be a whole number and a unit (s, m, h or d), e.g. 30s, 15m, 1h, 7d; got "${text}"`);
  return Number(match[1]) * SECONDS_PER_UNIT[match[2] as keyof typeof SECONDS_PER_UNIT];
}

function readArgs(args: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { sub: { type: 'string' }, admin: { type: 'boolean', default: false }, ttl: { type: 'string', default: '1h' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  // A token the services would refuse (blank or over-long subject) is not printed.
  if (values.sub === undefined || values.sub.trim() === '') throw new UsageError('--sub is required: the customer id the token stands for, e.g. --sub 42');
  const problem = subjectProblem(values.sub);
  if (problem) throw new UsageError(`--sub ${problem}`);
  return { sub: values.sub, admin: values.admin, ttlSeconds: parseTtl(values.ttl) };
}

try {
  const args = readArgs(process.argv.slice(2));
  if (args === null) {
    console.log(USAGE);
  } else {
    const auth = readAuthConfig(process.env);
    // With a JWKS configured the services accept no HS256 token, so one signed here would be refused.
    if (auth.jwksUrl || !auth.jwtSecret) throw new ConfigError('JWT_JWKS_URL is set: the services only accept tokens from that identity provider');
    // On stderr, so `TOKEN=$(npm run -s token -- --sub 42)` still captures the token alone.
    for (const warning of auth.warnings ?? []) console.error(`token: warning: ${warning}`);
    console.log(await signDevToken(auth.jwtSecret, { ...args, issuer: auth.issuer, audience: auth.audience }));
  }
} catch (error) {
  if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
  console.error(`token: ${error.message}`);
  if (error instanceof UsageError) console.error(USAGE);
  process.exit(error instanceof UsageError ? 2 : 1);
}
