import { ConfigError, readLogLevel } from '../config.js';

describe('readLogLevel', () => {
  it('returns the fallback when LOG_LEVEL is unset or blank', () => {
    expect(readLogLevel({}, 'warn')).toBe('warn');
    expect(readLogLevel({ LOG_LEVEL: '  ' }, 'info')).toBe('info');
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('accepts pino level %s', (level) => {
    expect(readLogLevel({ LOG_LEVEL: level }, 'info')).toBe(level);
  });

  it('accepts a level in any case, as pino spells it', () => {
    expect(readLogLevel({ LOG_LEVEL: ' DEBUG ' }, 'info')).toBe('debug');
  });

  it('refuses an unknown level with a message naming LOG_LEVEL and the levels it takes', () => {
    expect(() => readLogLevel({ LOG_LEVEL: 'verbose' }, 'info')).toThrow(ConfigError);
    expect(() => readLogLevel({ LOG_LEVEL: 'verbose' }, 'info')).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"');
  });
});
