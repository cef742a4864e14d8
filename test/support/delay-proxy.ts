import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Forwards every request to a real service, but holds the first `answersToDelay` answers back
 * for `delayMs`: those calls take effect while their caller times out, which is how an answer
 * gets lost on a real network.
 */
export async function startDelayProxy(targetUrl: string, delayMs: number, answersToDelay = 1): Promise<{ url: string; stop: () => Promise<void> }> {
  const target = new URL(targetUrl);
  let delayed = 0;
  const server = http.createServer((req, res) => {
    const holdFor = delayed++ < answersToDelay ? delayMs : 0;
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          setTimeout(() => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }, holdFor),
        );
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
