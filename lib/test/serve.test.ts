import net from 'node:net';
import { ApolloServer } from '@apollo/server';
import { PortInUseError, serve } from '../http.js';
import { createLogger } from '../log.js';
import { createMetrics } from '../metrics.js';

async function holdAPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, resolve));
  return { port: (squatter.address() as net.AddressInfo).port, release: () => new Promise((resolve) => squatter.close(() => resolve())) };
}

describe('serve() on a port another process holds', () => {
  it('throws PortInUseError naming the port, after stopping Apollo and running onClose (which closes the database pool)', async () => {
    const { port, release } = await holdAPort();
    let closed = 0;
    const logger = createLogger('test', 'silent');
    const apollo = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } }, logger });
    try {
      const failure = await serve(apollo, {
        port,
        logger,
        metrics: createMetrics('test'),
        ready: async () => true,
        context: async () => ({}),
        onClose: async () => void (closed += 1),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PortInUseError);
      expect(failure).toMatchObject({ port, message: expect.stringContaining(`port ${port} is already in use`) });
      // The message fits every launcher: each names its own setting (PORT, ORDER_PORT, ...).
      expect((failure as Error).message).not.toMatch(/PORT/);
      expect(closed).toBe(1);
      await expect(apollo.executeOperation({ query: '{ ok }' })).rejects.toThrow(/shut down|stopped/i);
    } finally {
      await release();
    }
  });
});
