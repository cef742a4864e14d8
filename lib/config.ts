import { LOG_LEVELS, type LogLevel } from './log.js';

/** Small, strict readers for environment variables: a bad value stops the process with a
 *  message that names the variable, instead of surfacing later as a confusing failure. */
export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

export function readString(env: Env, name: string, fallback?: string): string {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(`${name} is required`);
  return value;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function readNumber(env: Env, name: string, fallback: number, range: { min?: number; max?: number; integer?: boolean } = {}): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    const kind = integer ? 'an integer' : 'a number';
    throw new ConfigError(`${name} must be ${kind} between ${min} and ${max}, got "${text}"`);
  }
  return value;
}

export function readPort(env: Env, name: string, fallback: number): number {
  return readNumber(env, name, fallback, { min: 0, max: 65535, integer: true });
}

export function readUrl(env: Env, name: string, fallback?: string): string {
  const text = readString(env, name, fallback);
  try {
    const url = new URL(text);
    if (!/^(https?|postgres(ql)?):$/.test(url.protocol)) throw new Error('protocol');
    return text;
  } catch {
    // The value may be a database URL with its password: the message must not carry it.
    throw new ConfigError(`${name} must be a URL (http://, https:// or postgres://), got "${withoutPassword(text)}"`);
  }
}

/** A refused URL's text with anything that may be a password hidden: what lies between the user
 *  name and the last "@" (where a host begins). Not lib/log's maskSecrets, whose pattern finds
 *  URLs in free text: a value refused here is malformed by definition, and a password with a
 *  space in it or a URL without its scheme would slip past that pattern. */
function withoutPassword(text: string): string {
  const at = text.lastIndexOf('@');
  if (at === -1) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const userinfo = text.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  return colon === -1 ? text : `${scheme}${userinfo.slice(0, colon)}:***${text.slice(at)}`;
}

export function readOptionalUrl(env: Env, name: string): string | undefined {
  return raw(env, name) === undefined ? undefined : readUrl(env, name);
}

/** SHUTDOWN_GRACE_MS's default. It outlasts the slowest placeOrder (about 20 s with the payment
 *  service hanging). lib/main.ts allows 5 s more for closing the database pool before it gives up,
 *  so a stop is over within 30 s: inside the 40 s the Kubernetes pods allow
 *  (terminationGracePeriodSeconds in deploy/k8s) and compose's 35 s stop_grace_period. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** SHUTDOWN_GRACE_MS: how long a stopping service lets in-flight requests finish. */
export function readShutdownGraceMs(env: Env): number {
  return readNumber(env, 'SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, { min: 0, max: 600_000, integer: true });
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const text = raw(env, name)?.toLowerCase();
  if (text === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, got "${text}"`);
}

/** LOG_LEVEL, checked here: pino refuses an unknown level with a stack trace that does not name
 *  the variable. Any case is accepted ("DEBUG"); pino itself only knows lower case. */
export function readLogLevel(env: Env, fallback: LogLevel): LogLevel {
  const text = raw(env, 'LOG_LEVEL');
  if (text === undefined) return fallback;
  const level = LOG_LEVELS.find((name) => name === text.toLowerCase());
  if (level === undefined) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${text}"`);
  return level;
}
