import { startTracing } from '../../../lib/tracing.js';

// Tracing starts first: in ESM its instrumentations wrap only the modules imported after it.
const stopTracing = await startTracing('payment', process.env);
const [{ runService }, { readPaymentConfig }, { buildPaymentServer }] = await Promise.all([import('../../../lib/main.js'), import('./config.js'), import('./server.js')]);

await runService('payment', (env, logger) => buildPaymentServer(readPaymentConfig(env), logger), { beforeExit: stopTracing });
