import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const guard = fileURLToPath(new URL('./network-guard.mjs', import.meta.url));

export interface BlockedConnection {
  kind: string;
  target: string;
  argv: string[];
  stack: string[];
}

export interface NetworkGuard {
  /** NODE_OPTIONS and NETWORK_GUARD_LOG for every process that should run under the guard. */
  env: { NODE_OPTIONS: string; NETWORK_GUARD_LOG: string };
  /** Every connect and DNS query the guard blocked so far, in every process that shared `env`. */
  blocked: () => BlockedConnection[];
}

/** Runs processes under network-guard.mjs: anything but loopback is recorded and refused. */
export function networkGuard(): NetworkGuard {
  const log = join(mkdtempSync(join(tmpdir(), 'supergraph-egress-')), 'blocked.jsonl');
  writeFileSync(log, '');
  return {
    env: { NODE_OPTIONS: `--import ${guard}`, NETWORK_GUARD_LOG: log },
    blocked: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as BlockedConnection),
  };
}
