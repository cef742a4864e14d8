import { runService } from '../../../lib/main.js';
import { readPaymentConfig } from './config.js';
import { buildPaymentServer } from './server.js';

await runService('payment', (env, logger) => buildPaymentServer(readPaymentConfig(env), logger));
