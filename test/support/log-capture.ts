import type { DestinationStream } from '../../lib/log.js';
import { TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from './auth.js';

export interface LogLine {
  name: string;
  level: number;
  msg: string;
  requestId?: string;
  orderId?: string;
  [field: string]: unknown;
}

export interface CapturedLogs {
  /** Give it to startSystem({ logs }) or createLogger(name, level, stream). */
  stream: DestinationStream;
  lines: LogLine[];
  /** Each line exactly as written. */
  raw: string[];
}

/** Collects pino's JSON lines in memory instead of writing them to stdout. */
export function captureLogs(): CapturedLogs {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream: DestinationStream = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      }
    },
  };
  return { stream, lines, raw };
}

/** A JWT anywhere in a line: three base64url parts, the first an encoded JSON object. */
const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;

/**
 * The lines that give away a secret: the test JWT secret, the service credential, any JWT, a
 * bearer token, or one of `extra` (a database password, a gateway secret, the tokens a test sent).
 */
export function linesWithSecrets(raw: readonly string[], extra: readonly string[] = []): string[] {
  const secrets = [TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL, ...extra];
  return raw.filter((line) => secrets.some((secret) => line.includes(secret)) || JWT.test(line) || /Bearer (?!\[redacted\])\S/i.test(line));
}
