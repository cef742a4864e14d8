import { readAuthConfig } from './auth.js';
import { readLogLevel, readShutdownGraceMs, type Env } from './config.js';
import { PortInUseError, type RunningServer } from './http.js';
import { createLogger, type Logger } from './log.js';

/** Time beyond the drain grace for closing the database pool and the rest before giving up. */
const CLOSE_MARGIN_MS = 5_000;

export interface RunOptions {
  /** Runs after the server has stopped, before the process exits (flushing trace spans). */
  beforeExit?: () => Promise<void>;
}

/**
 * Reads what a process needs before it has a logger (LOG_LEVEL itself, the gateway's worker
 * count). A bad value cannot be logged at a level that does not exist, so it stops the process
 * with one plain line on stderr, naming the variable, and exit code 1.
 */
export function readSettingsOrExit<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    console.error(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/**
 * The whole of a service's main.ts: read config from the environment, listen, and turn a startup
 * failure into one clear line and exit code 1. SIGTERM (or SIGINT) stops accepting connections,
 * lets in-flight requests and their saga steps finish for up to SHUTDOWN_GRACE_MS, closes the
 * database pool and exits 0; a stop that overruns that deadline by CLOSE_MARGIN_MS exits 1.
 */
export async function runService(name: string, start: (env: Env, logger: Logger) => Promise<RunningServer>, options: RunOptions = {}): Promise<void> {
  const logger = createLogger(name, readSettingsOrExit(name, () => readLogLevel(process.env, 'info')));
  let server: RunningServer;
  let graceMs: number;
  try {
    graceMs = readShutdownGraceMs(process.env);
    // Every service verifies tokens with JWT_SECRET; what its reader accepted only outside
    // production (a short secret) is said once, as the service starts.
    for (const warning of readAuthConfig(process.env).warnings ?? []) logger.warn(warning);
    server = await start(process.env, logger);
  } catch (error) {
    const reason =
      error instanceof PortInUseError
        ? `port ${error.port} is already in use; stop whatever holds it or set PORT to another port`
        : error instanceof Error
          ? error.message
          : String(error);
    logger.fatal({ err: error }, `${name} failed to start: ${reason}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    // A second signal (Ctrl-C reaches every process of the group, and a cluster primary passes
    // SIGTERM on as well) must not cut the drain short: the deadline below bounds it.
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs }, `${name} stopping: finishing in-flight requests`);
    setTimeout(() => {
      logger.error({ graceMs }, `${name} did not stop within ${graceMs + CLOSE_MARGIN_MS} ms; exiting anyway`);
      process.exit(1);
    }, graceMs + CLOSE_MARGIN_MS);
    // Not unref'd: a stop stuck on a promise that holds no handle would otherwise let the process
    // end with 0, as if it had stopped cleanly. Every way out below exits explicitly.
    try {
      await server.stop();
      await options.beforeExit?.();
    } catch (error) {
      logger.error({ err: error }, `${name} did not stop cleanly`);
      process.exit(1);
    }
    logger.info(`${name} stopped`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Only now: whoever waits for this line (a supervisor, a script, a test) may signal at once,
  // and a signal before the handlers above would end the process without draining.
  logger.info({ url: server.url }, `${name} ready at ${server.url}`);
}
