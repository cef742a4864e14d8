import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  url: string;
  /** Resolves when the first request matching the gate has reached the real service. */
  held: Promise<void>;
  /** Lets the held answers (and every later one) through. */
  open: () => void;
  /** How many requests matching the gate have come so far. */
  gated: () => number;
  stop: () => Promise<void>;
}

/**
 * Forwards every request to a real service, but holds back the answers of requests whose body
 * matches `gate` until open() is called: the call has taken effect and its caller is still
 * waiting, for as long as a test needs, with no timing involved.
 */
export async function startGateProxy(targetUrl: string, gate: RegExp): Promise<GateProxy> {
  const target = new URL(targetUrl);
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  let gatedCount = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const gated = gate.test(body.toString());
      if (gated) gatedCount += 1;
      const upstream = http.request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          if (gated) arrived();
          void (gated ? opened : Promise.resolve()).then(() => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    held,
    open,
    gated: () => gatedCount,
    stop: () =>
      new Promise((resolve) => {
        open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
