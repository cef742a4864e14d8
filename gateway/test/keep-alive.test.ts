import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../test/support/processes.js';
import { createSubgraphFetcher } from '../src/subgraph-fetcher.js';

/** A subgraph stand-in that counts the TCP connections made to it. */
let connections = 0;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'), 20));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
beforeEach(() => (connections = 0));
const openConnections = () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
afterAll(() => new Promise((resolve) => server.close(resolve)));

const mutation = (n: number) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation { m${n} }` }) });
const query = (n: number) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ q${n} }` }) });

describe('the subgraph fetcher\'s connections', () => {
  it('reuses its keep-alive connections for calls one after another', async () => {
    const fetcher = createSubgraphFetcher();
    for (let n = 0; n < 10; n++) expect((await fetcher(url, mutation(n))).status).toBe(200);
    // A call made in the same turn as the last answer arrived may find its connection not yet
    // handed back to the pool, and take a second one: never more.
    expect(connections).toBeLessThanOrEqual(2);
    await fetcher.close();
  });

  it('opens no more connections than maxSockets, queueing the rest', async () => {
    const fetcher = createSubgraphFetcher({ maxSockets: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => fetcher(url, mutation(n))));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(connections).toBe(3);
    await fetcher.close();
  });

  it('closes its kept-alive connections on close(), and fetches nothing after', async () => {
    const fetcher = createSubgraphFetcher();
    await Promise.all(Array.from({ length: 3 }, (_, n) => fetcher(url, mutation(n))));
    expect(await openConnections()).toBeGreaterThan(0);
    await fetcher.close();
    // Well inside the stand-in's 5 s keep-alive, after which idle connections would close anyway.
    await waitFor('the connections to close', async () => (await openConnections()) === 0, 2_000, 10);
    await expect(fetcher(url, mutation(99))).rejects.toThrow();
  });
});

/**
 * A subgraph stand-in that answers the first request of each connection and keeps it alive, then
 * resets the connection when the next request arrives on it: what a kept-alive socket looks like
 * when the peer's keep-alive timeout closes it just as a request is written to it.
 */
async function resettingSecondRequests(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    let answered = false;
    socket.on('error', () => undefined);
    socket.on('data', (bytes) => {
      if (!bytes.includes('\r\n\r\n')) return;
      if (answered) return void socket.resetAndDestroy();
      answered = true;
      const body = '{"data":{"ok":true}}';
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    connections: () => sockets.length,
    close: () => {
      // The last connection is still kept alive; close() waits for it otherwise.
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Past the turns in which the pool takes an answered connection back. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a kept-alive socket the subgraph closed as it was reused', () => {
  it('sends a query again on a new socket instead of failing the fetch', async () => {
    const peer = await resettingSecondRequests();
    try {
      const fetcher = createSubgraphFetcher();
      for (let n = 0; n < 5; n++) {
        // Each call after the connection is back in the pool, so it goes to the one last used.
        await settled();
        const answer = await fetcher(peer.url, query(n));
        expect(JSON.parse(answer.text)).toEqual({ data: { ok: true } });
      }
      // The first connection answered one request; each later one was reset once, then a new socket answered.
      expect(peer.connections()).toBe(5);
    } finally {
      await peer.close();
    }
  });

  it('fails a mutation rather than send it twice: the subgraph may have run it', async () => {
    const peer = await resettingSecondRequests();
    try {
      const fetcher = createSubgraphFetcher();
      expect(JSON.parse((await fetcher(peer.url, mutation(1))).text)).toEqual({ data: { ok: true } });
      await settled();
      await expect(fetcher(peer.url, mutation(2))).rejects.toThrow();
      expect(peer.connections()).toBe(1);
    } finally {
      await peer.close();
    }
  });
});
