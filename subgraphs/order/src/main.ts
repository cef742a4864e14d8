import { startTracing } from '../../../lib/tracing.js';

// Tracing starts first: in ESM its instrumentations wrap only the modules imported after it.
const stopTracing = await startTracing('order', process.env);
const [{ runService }, { readOrderConfig }, { buildOrderServer }] = await Promise.all([import('../../../lib/main.js'), import('./config.js'), import('./server.js')]);

await runService('order', (env, logger) => buildOrderServer(readOrderConfig(env), logger), { beforeExit: stopTracing });
