import { pino, stdSerializers, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { DestinationStream, Logger };

/** pino's level names, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Header and config keys whose values open something: never written to a log. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  '["x-service-credential"]',
  '["x-gateway-secret"]',
  'password',
  'token',
  'jwtSecret',
  'serviceCredential',
  'gatewaySecret',
  'databaseUrl',
  'JWT_SECRET',
  'SERVICE_CREDENTIAL',
  'GATEWAY_SECRET',
  'DATABASE_URL',
];

/** Where a secret may sit in a logged object: at the top, one level down (`{ config: {...} }`),
 *  or in headers (`{ req: { headers } }`, `{ headers }`). Paths are compiled once by pino. */
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const member = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${member}`, `*.headers${member}`, `*.*${member}`];
});

/** A password in a URL (`postgres://user:secret@host`, also with an empty user name or an
 *  unencoded '@' in the password: everything up to the last '@' of the URL goes) or a bearer
 *  token inside free text. */
const SECRET_IN_TEXT = /(\/\/[^/:@\s]*:)[^\s/]*@|(\bBearer\s+)[\w.~+/=-]+/gi;

/** Masks the password of a URL and any bearer token in a piece of text. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, (_match, userinfo: string | undefined, bearer: string | undefined) => (userinfo ? `${userinfo}***@` : `${bearer}[redacted]`));
}

/** Errors are the one place where text from elsewhere (a driver, a peer) reaches the log: their
 *  message and stack are scrubbed. Only runs when an error is actually logged. */
function serializeError(error: unknown): unknown {
  const serialized = stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (serialized === null || typeof serialized !== 'object') return serialized;
  for (const key of ['message', 'stack'] as const) {
    if (typeof serialized[key] === 'string') serialized[key] = maskSecrets(serialized[key] as string);
  }
  return serialized;
}

/**
 * JSON lines on stdout (or `destination`), one object per line, no pretty printing: cheap on the
 * hot path and ready for any log shipper. Values under secret keys are replaced by
 * "[redacted]" wherever they appear in a logged object. The level comes from the caller (a
 * service's main reads LOG_LEVEL with readLogLevel); pino throws on a name it does not know.
 */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
