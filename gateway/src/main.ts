import { runService } from '../../lib/main.js';
import { readGatewayConfig } from './config.js';
import { buildGateway } from './server.js';

await runService('gateway', (env, logger) => buildGateway(readGatewayConfig(env), logger));
