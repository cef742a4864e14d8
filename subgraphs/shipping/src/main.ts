import { startTracing } from '../../../lib/tracing.js';

// Tracing starts first: in ESM its instrumentations wrap only the modules imported after it.
const stopTracing = await startTracing('shipping', process.env);
const [{ runService }, { readShippingConfig }, { buildShippingServer }] = await Promise.all([import('../../../lib/main.js'), import('./config.js'), import('./server.js')]);

await runService('shipping', (env, logger) => buildShippingServer(readShippingConfig(env), logger), { beforeExit: stopTracing });
