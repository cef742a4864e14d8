import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { createTokenVerifier, DEV_JWT_SECRET } from '../lib/auth.js';
import { TEST_JWT_SECRET } from './support/auth.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run token -- <args>` the way a developer would, minus npm's own banner. */
function runTokenScript(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  // Jest's NODE_OPTIONS and any JWT settings of the machine running the tests stay out.
  const { NODE_OPTIONS: _jest, JWT_SECRET: _secret, JWT_JWKS_URL: _jwks, JWT_ISSUER: _issuer, JWT_AUDIENCE: _audience, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], { cwd: root, env: { ...inherited, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run token', () => {
  it('prints a token the services accept, with the subject, admin role, issuer, audience and lifetime asked for', async () => {
    const auth = { jwtSecret: TEST_JWT_SECRET, issuer: 'https://issuer.example', audience: 'ordering' };
    const { code, stdout } = await runTokenScript(['--sub', '42', '--admin', '--ttl', '15m'], {
      JWT_SECRET: auth.jwtSecret,
      JWT_ISSUER: auth.issuer,
      JWT_AUDIENCE: auth.audience,
    });
    expect(code).toBe(0);
    const token = stdout.trim();
    const claims = decodeJwt(token);
    await expect(createTokenVerifier(auth)(`Bearer ${token}`)).resolves.toEqual({ customerId: '42', isAdmin: true, expiresAt: claims.exp! * 1000 });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
  });

  it('signs a one-hour customer token with the development secret when JWT_SECRET is not set', async () => {
    const { code, stdout } = await runTokenScript(['--sub', 'cust-7']);
    expect(code).toBe(0);
    const token = stdout.trim();
    await expect(createTokenVerifier({ jwtSecret: DEV_JWT_SECRET })(`Bearer ${token}`)).resolves.toMatchObject({ customerId: 'cust-7', isAdmin: false, expiresAt: expect.any(Number) });
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(60 * 60);
  });

  it('signs a subject up to 500 characters, as the services accept it', async () => {
    const sub = `cust-${'9'.repeat(495)}`;
    const { code, stdout } = await runTokenScript(['--sub', sub]);
    expect(code).toBe(0);
    await expect(createTokenVerifier({ jwtSecret: DEV_JWT_SECRET })(`Bearer ${stdout.trim()}`)).resolves.toMatchObject({ customerId: sub, isAdmin: false, expiresAt: expect.any(Number) });
  });

  it.each([
    ['30s', 30],
    ['7d', 7 * 24 * 60 * 60],
  ])('accepts --ttl %s', async (ttl, seconds) => {
    const { stdout } = await runTokenScript(['--sub', '42', '--ttl', ttl]);
    const claims = decodeJwt(stdout.trim());
    expect(claims.exp! - claims.iat!).toBe(seconds);
  });

  it.each([
    [[], /--sub is required/],
    [['--sub'], /--sub/],
    [['--sub', ''], /--sub is required/],
    [['--sub', ' \t '], /--sub is required/],
    [['--sub', '9'.repeat(501)], /--sub is longer than 500 characters/],
    [['--sub', '42', '--ttl', '5x'], /--ttl must be/],
    [['--sub', '42', '--ttl', '0s'], /--ttl must be/],
    [['--sub', '42', '--ttl', '1.5h'], /--ttl must be/],
    [['--sub', '42', '--role', 'admin'], /--role/],
    [['--sub', '42', 'extra'], /extra/],
  ])('refuses %j with a clear message, the usage line and exit code 2', async (args, problem) => {
    const { code, stdout, stderr } = await runTokenScript(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(problem);
    expect(stderr).toContain('usage: npm run token -- --sub');
  });

  it('refuses a short JWT_SECRET in production, as the services do', async () => {
    const { code, stdout, stderr } = await runTokenScript(['--sub', '42'], { JWT_SECRET: 'too-short', NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('JWT_SECRET must be at least 32 bytes');
  });

  it('signs with a short JWT_SECRET outside production, as the services accept it, and warns on stderr', async () => {
    const { code, stdout, stderr } = await runTokenScript(['--sub', '42'], { JWT_SECRET: 'too-short', NODE_ENV: 'development' });
    expect(code).toBe(0);
    await expect(createTokenVerifier({ jwtSecret: 'too-short' })(`Bearer ${stdout.trim()}`)).resolves.toMatchObject({ customerId: '42', isAdmin: false, expiresAt: expect.any(Number) });
    expect(stderr).toMatch(/^token: warning: JWT_SECRET is shorter than 32 bytes/);
  });
});
