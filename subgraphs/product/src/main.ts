import { runService } from '../../../lib/main.js';
import { readProductConfig } from './config.js';
import { buildProductServer } from './server.js';

await runService('product', (env, logger) => buildProductServer(readProductConfig(env), logger));
