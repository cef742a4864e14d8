import { ConfigError, readBoolean, readLogLevel, readNumber, readPort, readUrl } from '../config.js';

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

describe('readUrl', () => {
  it('returns an http, https or postgres URL as written, and the fallback when unset or blank', () => {
    expect(readUrl({ PRODUCT_URL: 'http://product:4001/graphql' }, 'PRODUCT_URL')).toBe('http://product:4001/graphql');
    expect(readUrl({ DATABASE_URL: 'postgresql://app:pw@db/orders' }, 'DATABASE_URL')).toBe('postgresql://app:pw@db/orders');
    expect(readUrl({ PAYMENT_URL: ' ' }, 'PAYMENT_URL', 'http://localhost:4002/graphql')).toBe('http://localhost:4002/graphql');
  });

  it.each(['not a url', 'ftp://files.example.com/graphql', 'localhost:4001', 'http://exa mple.com'])('refuses %j with a ConfigError naming the variable', (value) => {
    expect(() => readUrl({ PRODUCT_URL: value }, 'PRODUCT_URL')).toThrow(ConfigError);
    expect(() => readUrl({ PRODUCT_URL: value }, 'PRODUCT_URL')).toThrow(/^PRODUCT_URL must be a URL/);
  });

  it('names a variable that is required and missing', () => {
    expect(() => readUrl({}, 'JWT_JWKS_URL')).toThrow(new ConfigError('JWT_JWKS_URL is required'));
  });

  // Each value is refused (bad scheme, bad port, no scheme at all), so its text reaches the message.
  it.each([
    ['a bad scheme', 'mysql://app:Sup3r-secret@db:5432/orders'],
    ['a port out of range', 'postgres://app:Sup3r-secret@db:99999/orders'],
    ['a port that is not a number', 'postgres://app:Sup3r-secret@db:pg/orders'],
    ['a "/" in the password', 'postgres://app:Sup3r/secret@db:5432/orders'],
    ['an "@" in the password', 'mysql://app:Sup3r@secret@db:5432/orders'],
    ['a space in the password', 'postgres://app:Sup3r secret@db:99999/orders'],
    ['no user name', 'postgres://:Sup3r-secret@db:99999/orders'],
    ['no scheme', 'app:Sup3r-secret@db:5432/orders'],
  ])('never puts the password of a refused DATABASE_URL with %s into its message', (_case, value) => {
    let message = '';
    try {
      readUrl({ DATABASE_URL: value }, 'DATABASE_URL');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^DATABASE_URL must be a URL/);
    expect(message).not.toMatch(/Sup3r|secret/);
  });
});

describe('readBoolean', () => {
  it.each([
    ['true', true], ['1', true], ['yes', true], ['ON', true],
    ['false', false], ['0', false], ['no', false], ['Off', false],
  ])('reads %j as %s', (text, value) => {
    expect(readBoolean({ PLAYGROUND: text }, 'PLAYGROUND', !value)).toBe(value);
  });

  it('returns the fallback when unset or blank', () => {
    expect(readBoolean({}, 'PLAYGROUND', true)).toBe(true);
    expect(readBoolean({ PLAYGROUND: '' }, 'PLAYGROUND', false)).toBe(false);
  });

  it.each(['maybe', 'enabled', '2', 'truthy'])('refuses %j with a ConfigError naming the variable', (text) => {
    expect(() => readBoolean({ INTROSPECTION: text }, 'INTROSPECTION', false)).toThrow(ConfigError);
    expect(() => readBoolean({ INTROSPECTION: text }, 'INTROSPECTION', false)).toThrow(`INTROSPECTION must be true or false, got "${text}"`);
  });
});

describe('readPort', () => {
  it('reads 0 to 65535 and falls back when unset', () => {
    expect(readPort({ PORT: '0' }, 'PORT', 4000)).toBe(0);
    expect(readPort({ PORT: '65535' }, 'PORT', 4000)).toBe(65535);
    expect(readPort({}, 'PORT', 4001)).toBe(4001);
  });

  it.each(['-1', '65536', '80.5', 'http', '4000abc', 'Infinity'])('refuses %j with a ConfigError naming the variable', (text) => {
    expect(() => readPort({ ORDER_PORT: text }, 'ORDER_PORT', 4003)).toThrow(ConfigError);
    expect(() => readPort({ ORDER_PORT: text }, 'ORDER_PORT', 4003)).toThrow(`ORDER_PORT must be an integer between 0 and 65535, got "${text}"`);
  });
});

describe('readNumber', () => {
  it('names the variable, the range and the value it refused', () => {
    expect(() => readNumber({ SAGA_CALL_TIMEOUT_MS: '50' }, 'SAGA_CALL_TIMEOUT_MS', 4000, { min: 100, max: 60_000, integer: true })).toThrow(
      new ConfigError('SAGA_CALL_TIMEOUT_MS must be an integer between 100 and 60000, got "50"'),
    );
    expect(() => readNumber({ PAYMENT_FAILURE_RATE: 'often' }, 'PAYMENT_FAILURE_RATE', 0, { min: 0, max: 1 })).toThrow(
      new ConfigError('PAYMENT_FAILURE_RATE must be a number between 0 and 1, got "often"'),
    );
  });
});
