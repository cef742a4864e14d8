import { runService } from '../../../lib/main.js';
import { readOrderConfig } from './config.js';
import { buildOrderServer } from './server.js';

await runService('order', (env, logger) => buildOrderServer(readOrderConfig(env), logger));
