import os from 'node:os';
import { ConfigError } from '../../lib/config.js';
import { readWorkerSettings } from '../src/workers.js';

describe('GATEWAY_WORKERS', () => {
  it('defaults to one worker per core', () => {
    expect(readWorkerSettings({}).count).toBe(os.availableParallelism());
  });

  it('takes a whole number from 1 to 256', () => {
    expect(readWorkerSettings({ GATEWAY_WORKERS: '3' }).count).toBe(3);
    for (const bad of ['0', '1.5', 'many', '257']) expect(() => readWorkerSettings({ GATEWAY_WORKERS: bad })).toThrow(ConfigError);
    expect(() => readWorkerSettings({ GATEWAY_WORKERS: 'many' })).toThrow(/GATEWAY_WORKERS/);
  });
});
