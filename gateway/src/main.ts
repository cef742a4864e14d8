import { startTracing } from '../../lib/tracing.js';

// Tracing starts first: in ESM its instrumentations wrap only the modules imported after it.
const stopTracing = await startTracing('gateway', process.env);
const [{ readSettingsOrExit, runService }, { readGatewayConfig }, { buildGateway }, { readWorkerSettings, runInWorkers }] = await Promise.all([
  import('../../lib/main.js'),
  import('./config.js'),
  import('./server.js'),
  import('./workers.js'),
]);

await runInWorkers(readSettingsOrExit('gateway', () => readWorkerSettings(process.env)), () =>
  runService('gateway', (env, logger) => buildGateway(readGatewayConfig(env), logger), { beforeExit: stopTracing }),
);
