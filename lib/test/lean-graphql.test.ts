import { gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { waitFor } from '../../test/support/processes.js';
import { serve, type RunningServer } from '../http.js';
import { bodyLimitBytes } from '../lean-graphql.js';
import { createLogger } from '../log.js';
import { createMetrics } from '../metrics.js';

describe('POST /graphql, plain JSON or not, answers the same', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let server: RunningServer;

  beforeAll(async () => {
    const logger = createLogger('test', 'info', sink);
    const apollo = new ApolloServer<{ caller: string }>({
      typeDefs: 'type Query { caller: String }',
      resolvers: { Query: { caller: (_root, _args, context) => context.caller } },
      logger: createLogger('apollo', 'silent'),
    });
    server = await serve(apollo, {
      port: 0,
      logger,
      metrics: createMetrics('test'),
      bodyLimit: '1kb',
      ready: async () => true,
      context: async (req) => ({ caller: req.header('authorization') ?? 'nobody' }),
    });
  });
  afterAll(() => server.stop());

  const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body as BodyInit });

  it('runs the operation with the context built from the request, echoes the request id and logs one line', async () => {
    const response = await post(JSON.stringify({ query: '{ caller }' }), { authorization: 'Bearer x', 'x-request-id': 'lean-1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('lean-1');
    expect(await response.json()).toEqual({ data: { caller: 'Bearer x' } });
    // The line is written once the answer has gone, which may be after the client has it.
    const line = await waitFor('the request\'s log line', async () => lines.find((entry) => entry.requestId === 'lean-1'));
    expect(line).toMatchObject({ operation: 'anonymous', type: 'query', status: 200, msg: 'graphql request' });
  });

  it('answers a plain JSON POST without an ETag: nothing revalidates a POST, and express hashed every answer for it', async () => {
    const response = await post(JSON.stringify({ query: '{ caller }' }));
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('content-length')).toBe(String(JSON.stringify({ data: { caller: 'nobody' } }).length + 1));
  });

  it('reads a body with a byte order mark, and in upper-case UTF-8', async () => {
    const withBom = await post(`\uFEFF${JSON.stringify({ query: '{ caller }' })}`, { 'content-type': 'application/json; charset=UTF-8' });
    expect(await withBom.json()).toEqual({ data: { caller: 'nobody' } });
  });

  it('refuses JSON that is not an object or an array, and text that is not JSON, as express does', async () => {
    for (const body of ['null', '"{ caller }"', '42', '{"query":']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('still serves compressed bodies and still refuses bodies over the limit', async () => {
    const compressed = await post(gzipSync(JSON.stringify({ query: '{ caller }' })), { 'content-encoding': 'gzip' });
    expect(await compressed.json()).toEqual({ data: { caller: 'nobody' } });
    const tooLarge = await post(JSON.stringify({ query: `{ caller } # ${'x'.repeat(2048)}` }));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });
});

describe('bodyLimitBytes', () => {
  it('reads the sizes the BODY_LIMIT settings accept, and nothing else', () => {
    expect([bodyLimitBytes('100kb'), bodyLimitBytes('1MB'), bodyLimitBytes('512')]).toEqual([102_400, 1_048_576, 512]);
    expect(bodyLimitBytes('1.5mb')).toBeUndefined();
  });
});
