import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signDevToken } from '../../lib/auth.js';
import { decodeJwt } from 'jose';
import { UnauthenticatedError } from '../../lib/errors.js';
import { createSubgraphFetcher } from '../src/subgraph-fetcher.js';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { cacheVerifiedTokens, verifiedTokenStore } from '../../lib/token-cache.js';
import { waitFor } from '../../test/support/processes.js';

/** A subgraph stand-in that answers after a short delay and counts what reached it. */
let received: { authorization?: string; body: string }[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body });
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { calls: received.length } })), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
beforeEach(() => (received = []));
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (query: string, authorization: string, requestId = String(Math.random())) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization, 'x-request-id': requestId },
  body: JSON.stringify({ query, variables: { first: 50 } }),
});

describe('the subgraph fetcher', () => {
  it('sends identical queries in flight together once, and gives each caller its own copy', async () => {
    const fetcher = createSubgraphFetcher();
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetcher(url, post('{ orders { id } }', 'Bearer a')).then((answer) => JSON.parse(answer.text))));
    expect(received).toHaveLength(1);
    expect(answers.every((answer) => JSON.stringify(answer) === JSON.stringify(answers[0]))).toBe(true);
    expect(new Set(answers).size).toBe(5);
  });

  it('never shares an answer between two callers', async () => {
    const fetcher = createSubgraphFetcher();
    await Promise.all([fetcher(url, post('{ orders { id } }', 'Bearer a')), fetcher(url, post('{ orders { id } }', 'Bearer b'))]);
    expect(received.map((call) => call.authorization).sort()).toEqual(['Bearer a', 'Bearer b']);
  });

  it('sends every mutation', async () => {
    const fetcher = createSubgraphFetcher();
    await Promise.all(Array.from({ length: 3 }, () => fetcher(url, post('mutation { placeOrder { id } }', 'Bearer a'))));
    expect(received).toHaveLength(3);
  });

  it('sends a query again once the first answer is in', async () => {
    const fetcher = createSubgraphFetcher();
    await fetcher(url, post('{ orders { id } }', 'Bearer a'));
    await fetcher(url, post('{ orders { id } }', 'Bearer a'));
    expect(received).toHaveLength(2);
  });
});

describe('the subgraph fetcher and a slow subgraph', () => {
  /** Answers after the `delay` (ms) its URL asks for. */
  let slow: http.Server;
  let slowUrl: string;
  const timers = new Set<NodeJS.Timeout>();
  /** Requests whose caller hung up before the answer. */
  let abandoned = 0;

  beforeAll(async () => {
    slow = http.createServer((req, res) => {
      const delay = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('delay'));
      req.resume();
      res.on('close', () => {
        if (!res.writableEnded) abandoned += 1;
      });
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"slow":true}}');
      }, delay);
      timers.add(timer);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    for (const timer of timers) clearTimeout(timer);
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  });

  it('waits for an answer as long as the request\'s deadline allows, past its own time limit', async () => {
    const fetcher = createSubgraphFetcher({ timeoutMs: 100 });
    const response = await fetcher(`${slowUrl}?delay=400`, { ...post('{ slow }', 'Bearer a'), signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ data: { slow: true } });
  });

  it('cuts the fetch off at the request\'s deadline', async () => {
    const fetcher = createSubgraphFetcher({ timeoutMs: 10_000 });
    // The subgraph would answer after a minute, long past this test's own time limit.
    const fetching = fetcher(`${slowUrl}?delay=60000`, { ...post('{ slow }', 'Bearer a'), signal: AbortSignal.timeout(100) });
    await expect(fetching).rejects.toMatchObject({ name: 'TimeoutError' });
    await waitFor('the subgraph to see the request given up', async () => abandoned > 0, 5_000, 10);
  });

  it('gives up on a fetch that brings no deadline after its own time limit', async () => {
    const fetcher = createSubgraphFetcher({ timeoutMs: 100 });
    await expect(fetcher(`${slowUrl}?delay=1000`, post('{ slow }', 'Bearer a'))).rejects.toThrow(/did not answer within 100 ms/);
  });
});

describe('the verified-token cache', () => {
  const secret = 'a-test-secret-that-is-long-enough-0123456789';
  /** What the real verifier answers for a good token: its subject, and its exp as expiresAt. */
  const verified = (authorization: string | undefined) => ({ customerId: 'c-1', isAdmin: false, expiresAt: decodeJwt(authorization!.slice('Bearer '.length)).exp! * 1000 });

  it('checks a good token once and a bad one every time', async () => {
    let checks = 0;
    const verify = cacheVerifiedTokens(async (authorization) => {
      checks += 1;
      if (authorization === 'Bearer bad') throw new UnauthenticatedError('The token is invalid or expired');
      return verified(authorization);
    });
    const good = `Bearer ${await signDevToken(secret, { sub: 'c-1' })}`;
    await verify(good);
    await expect(verify(good)).resolves.toMatchObject({ customerId: 'c-1', isAdmin: false });
    await expect(verify('Bearer bad')).rejects.toThrow(UnauthenticatedError);
    await expect(verify('Bearer bad')).rejects.toThrow(UnauthenticatedError);
    expect(checks).toBe(3);
  });

  it('does not serve a token past its expiry', async () => {
    let checks = 0;
    const verify = cacheVerifiedTokens(async (authorization) => {
      checks += 1;
      return verified(authorization);
    });
    const expired = `Bearer ${await signDevToken(secret, { sub: 'c-1', ttlSeconds: -10 })}`;
    await verify(expired);
    await verify(expired);
    expect(checks).toBe(2);
  });

  it('keeps a verified token a minute at most, and never past its expiry', async () => {
    const store = verifiedTokenStore();
    const kept: { token: string; ttl?: number | null }[] = [];
    const recording = { ...store, get: (key: string) => store.get(key), delete: (key: string) => store.delete(key), set: (key: string, value: any, options?: { ttl?: number | null }) => {
      kept.push({ token: key, ttl: options?.ttl });
      return store.set(key, value, options);
    } };
    const verify = cacheVerifiedTokens(async (authorization) => verified(authorization), recording);
    const longLived = `Bearer ${await signDevToken(secret, { sub: 'c-1', ttlSeconds: 3600 })}`;
    const shortLived = `Bearer ${await signDevToken(secret, { sub: 'c-1', ttlSeconds: 5 })}`;
    await verify(longLived);
    await verify(shortLived);
    expect(kept.map((entry) => entry.token)).toEqual([longLived, shortLived]);
    expect(kept[0]!.ttl).toBe(60);
    expect(kept[1]!.ttl).toBeGreaterThan(0);
    expect(kept[1]!.ttl).toBeLessThanOrEqual(5);
  });

  it('forgets the least recently used token when full', async () => {
    let checks = 0;
    const verify = cacheVerifiedTokens(async (authorization) => {
      checks += 1;
      return verified(authorization);
    }, new InMemoryLRUCache({ max: 2 }));
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (sub) => `Bearer ${await signDevToken(secret, { sub })}`));
    for (const token of [a, b, a, c, a, b]) await verify(token!);
    // a, b checked; a hit; c checked and pushes out b (least recent); a hit; b checked again.
    expect(checks).toBe(4);
  });
});
