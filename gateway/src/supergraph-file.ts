import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { ConfigError } from '../../lib/config.js';
import type { Logger } from '../../lib/log.js';

export interface SupergraphWatchOptions {
  debounceMs?: number;
  /** Given the new supergraph before it is swapped in; resolves to what runs right after the swap. */
  prepare?: (supergraphSdl: string) => Promise<() => void>;
}

export function readSupergraph(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`SUPERGRAPH_PATH: cannot read ${path}; run npm run schema:compose`);
  }
}

/**
 * Serves the supergraph in `path` and swaps in a new one when the file changes, for ApolloGateway's
 * `supergraphSdl`. Requests already running finish on the schema they started with.
 *
 * The directory is watched, not the file: editors and `cp` often replace a file (write a new one,
 * rename it over the old), and a Kubernetes ConfigMap volume swaps a symlink beside it; a watch on
 * the old file would see none of that. Events are debounced, the file is read again and applied
 * only when its text changed; a file that is missing for a moment or does not compose leaves the
 * running supergraph in place (a warning says why) until the next change.
 *
 * `prepare` runs before each swap, while the running supergraph still serves (query-plans.ts plans
 * the recent operations against the new one); what it resolves to runs right after the swap, in the
 * same turn of the event loop. Reloads run one at a time, so a slow one never swaps in an older file
 * after a newer one.
 */
export function watchSupergraphFile(path: string, initial: string, logger: Logger, options: SupergraphWatchOptions = {}): SupergraphSdlHook {
  const { debounceMs = 100, prepare = async () => () => {} } = options;
  return async ({ update }) => {
    let current = initial;
    let timer: NodeJS.Timeout | undefined;
    let reloading = Promise.resolve();
    let stopped = false;
    const reload = async () => {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined || text.trim() === '' || text === current) return;
      const afterSwap = await prepare(text);
      if (stopped) return;
      try {
        update(text);
      } catch (error) {
        logger.warn({ err: error, path }, 'the changed supergraph file could not be loaded; still serving the previous one');
        return;
      }
      current = text;
      logger.info({ path }, 'supergraph reloaded');
      afterSwap();
    };
    const watcher: FSWatcher = watch(dirname(path), () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // A reload that fails must not stop the ones after it.
        reloading = reloading.then(reload).catch((error: unknown) => logger.warn({ err: error, path }, 'the supergraph reload failed'));
      }, debounceMs);
    });
    watcher.on('error', (error) => logger.warn({ err: error, path }, 'stopped watching the supergraph file'));
    // Watching must not keep a stopping gateway alive.
    watcher.unref();
    return {
      supergraphSdl: initial,
      cleanup: async () => {
        stopped = true;
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
