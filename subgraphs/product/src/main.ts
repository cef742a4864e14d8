import { startTracing } from '../../../lib/tracing.js';

// Tracing starts first: in ESM its instrumentations wrap only the modules imported after it.
const stopTracing = await startTracing('product', process.env);
const [{ runService }, { readProductConfig }, { buildProductServer }] = await Promise.all([import('../../../lib/main.js'), import('./config.js'), import('./server.js')]);

await runService('product', (env, logger) => buildProductServer(readProductConfig(env), logger), { beforeExit: stopTracing });
