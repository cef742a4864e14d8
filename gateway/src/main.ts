import { runService } from '../../lib/main.js';
import { readGatewayConfig } from './config.js';
import { buildGateway } from './server.js';
import { readWorkerCount, runInWorkers } from './workers.js';

await runInWorkers(readWorkerCount(process.env), () => runService('gateway', (env, logger) => buildGateway(readGatewayConfig(env), logger)));
