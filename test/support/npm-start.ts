import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DemoTokens {
  customer: string;
  admin: string;
}

/** `npm start` as a child process. */
export interface StartProcess {
  /** The printed tokens, once startup is complete; rejects if the process exits first. */
  up: Promise<DemoTokens>;
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  /** The first match of `pattern` in stdout, once printed; rejects if the process exits first. */
  printed: (pattern: RegExp) => Promise<RegExpExecArray>;
  signal: (signal: NodeJS.Signals) => void;
}

/** Runs scripts/start.ts in `cwd` (this repository, or a copy of it). */
export function launch(env: Record<string, string>, cwd = repoRoot): StartProcess {
  // Jest's NODE_OPTIONS and any service settings of the machine running the tests stay out.
  const { NODE_OPTIONS: _jest, DATABASE_URL: _db, JWT_JWKS_URL: _jwks, JWT_ISSUER: _issuer, JWT_AUDIENCE: _audience, SERVICE_CREDENTIAL: _credential, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd, env: { ...inherited, LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const up = new Promise<DemoTokens>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const customer = /Customer token[^\n]*\n\s+Bearer (\S+)/.exec(stdout)?.[1];
      const admin = /Admin token[^\n]*\n\s+Bearer (\S+)/.exec(stdout)?.[1];
      if (customer && admin && stdout.includes('Ctrl-C stops everything.')) resolve({ customer, admin });
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before it was up:\n${stdout}\n${stderr}`)));
  });
  // A run that is expected to fail never comes up; that rejection is not the test's concern.
  up.catch(() => undefined);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const match = pattern.exec(stdout);
        if (match) {
          child.stdout.off('data', look);
          resolve(match);
        }
      };
      child.stdout.on('data', look);
      look();
      void exited.then(() => reject(new Error(`npm start exited without printing ${pattern}:\n${stdout}`)));
    });
  return { up, exited, stdout: () => stdout, stderr: () => stderr, printed, signal: (signal) => child.kill(signal) };
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Distinct free ports: every probe stays open until all are chosen, so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

