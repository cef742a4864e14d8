import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; secrets are redacted wherever they appear in a logged object. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: {
      paths: ['*.authorization', '*.headers.authorization', '*["x-service-credential"]', '*.password', '*.jwtSecret', '*.serviceCredential', '*.databaseUrl'],
      censor: '[redacted]',
    },
  });
}
