import { captureLogs } from '../../test/support/log-capture.js';
import { createLogger, maskSecrets } from '../log.js';

describe('the logger', () => {
  it('redacts tokens, credentials, secrets and database URLs wherever they sit in a logged object', () => {
    const { stream, raw } = captureLogs();
    const logger = createLogger('test', 'info', stream);
    logger.info(
      {
        authorization: 'Bearer tok-v1',
        headers: { authorization: 'Bearer tok-v2', 'x-service-credential': 'cred-v1', 'x-gateway-secret': 'gw-v1' },
        req: { headers: { authorization: 'Bearer tok-v3', cookie: 'session=cookie-v1' } },
        config: { jwtSecret: 'jwt-v1', databaseUrl: 'postgres://svc:pw-v1@db/order', auth: { jwtSecret: 'jwt-v2' } },
        env: { JWT_SECRET: 'jwt-v3', SERVICE_CREDENTIAL: 'cred-v2', GATEWAY_SECRET: 'gw-v2', DATABASE_URL: 'postgres://svc:pw-v2@db/x' },
        password: 'pw-v3',
      },
      'configured',
    );
    const [line] = raw;
    for (const secret of ['tok-v', 'cred-v', 'gw-v', 'cookie-v', 'jwt-v', 'pw-v']) expect(line).not.toContain(secret);
    expect(JSON.parse(line!)).toMatchObject({ authorization: '[redacted]', headers: { authorization: '[redacted]' }, config: { auth: { jwtSecret: '[redacted]' } } });
  });

  it('masks URL passwords and bearer tokens inside logged errors', () => {
    const { stream, lines } = captureLogs();
    createLogger('test', 'info', stream).error({ err: new Error('cannot reach postgres://svc:password-4@db:5432/order with Bearer eyJabc.def.ghi') }, 'failed');
    const err = lines[0]!.err as { message: string; stack: string };
    expect(err.message).toBe('cannot reach postgres://svc:***@db:5432/order with Bearer [redacted]');
    expect(err.stack).not.toContain('password-4');
  });

  it('masks URL passwords with an empty user name or an unencoded @ in them', () => {
    expect(maskSecrets('postgres://:s3cret@db/x')).toBe('postgres://:***@db/x');
    expect(maskSecrets('connect postgres://app:p@ss@db:5432/order failed')).toBe('connect postgres://app:***@db:5432/order failed');
    expect(maskSecrets('two: http://a:one@h1/x and http://b:two@h2/y')).toBe('two: http://a:***@h1/x and http://b:***@h2/y');
    expect(maskSecrets('http://host:8080/path?q=a@b')).toBe('http://host:8080/path?q=a@b');
  });

  it('writes nothing and builds no line below its level', () => {
    const { stream, raw } = captureLogs();
    const logger = createLogger('test', 'warn', stream);
    logger.info({ anything: 1 }, 'quiet');
    expect(raw).toEqual([]);
    expect(maskSecrets('http://user:pw@host/path')).toBe('http://user:***@host/path');
  });
});
