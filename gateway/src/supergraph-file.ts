import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { ConfigError } from '../../lib/config.js';
import type { Logger } from '../../lib/log.js';

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
 */
export function watchSupergraphFile(path: string, initial: string, logger: Logger, debounceMs = 100): SupergraphSdlHook {
  return async ({ update }) => {
    let current = initial;
    let timer: NodeJS.Timeout | undefined;
    const reload = async () => {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined || text.trim() === '' || text === current) return;
      try {
        update(text);
        current = text;
        logger.info({ path }, 'supergraph reloaded');
      } catch (error) {
        logger.warn({ err: error, path }, 'the changed supergraph file could not be loaded; still serving the previous one');
      }
    };
    const watcher: FSWatcher = watch(dirname(path), () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), debounceMs);
    });
    watcher.on('error', (error) => logger.warn({ err: error, path }, 'stopped watching the supergraph file'));
    // Watching must not keep a stopping gateway alive.
    watcher.unref();
    return {
      supergraphSdl: initial,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
