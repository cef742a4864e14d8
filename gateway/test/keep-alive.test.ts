import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
afterAll(() => new Promise((resolve) => server.close(resolve)));

const mutation = (n: number) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation { m${n} }` }) });

describe('the subgraph fetcher\'s connections', () => {
  it('reuses one keep-alive connection for calls one after another', async () => {
    const fetcher = createSubgraphFetcher();
    for (let n = 0; n < 10; n++) expect((await fetcher(url, mutation(n))).status).toBe(200);
    expect(connections).toBe(1);
  });

  it('opens no more connections than maxSockets, queueing the rest', async () => {
    const fetcher = createSubgraphFetcher({ maxSockets: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => fetcher(url, mutation(n))));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(connections).toBe(3);
  });
});
