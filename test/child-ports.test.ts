import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from './support/processes.js';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

describe('ports for child processes (freePort)', () => {
  it('come from below the kernel ephemeral range, where no listen(0) or outbound connection takes them first', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 50; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
    // Each one really is free: a child can listen on it.
    for (const port of ports.slice(0, 5)) await close(await listenOn(port));
  });

  it('passes over ports in use', async () => {
    const last = await freePort();
    // The next few ports taken, as by a child of another suite that got there first.
    const taken = (await Promise.all([1, 2, 3, 4, 5].map((step) => listenOn(last + step).catch(() => null)))).filter((server) => server !== null);
    try {
      const next = await freePort();
      expect(taken.map((server) => (server.address() as net.AddressInfo).port)).not.toContain(next);
      await close(await listenOn(next));
    } finally {
      await Promise.all(taken.map(close));
    }
  });
});
