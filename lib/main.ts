import type { Env } from './config.js';
import type { RunningServer } from './http.js';
import { createLogger, type Logger } from './log.js';

/** The whole of a service's main.ts: read config from the environment, listen, stop cleanly on
 *  SIGINT/SIGTERM, and turn a startup failure into one clear line and exit code 1. */
export async function runService(name: string, start: (env: Env, logger: Logger) => Promise<RunningServer>): Promise<void> {
  const logger = createLogger(name);
  let server: RunningServer;
  try {
    server = await start(process.env, logger);
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  logger.info({ url: server.url }, `${name} ready at ${server.url}`);
  const stop = async (signal: string) => {
    logger.info({ signal }, `${name} stopping`);
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
