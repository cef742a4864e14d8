import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { PortInUseError, serve, type ServeOptions } from '../http.js';
import { createLogger } from '../log.js';
import { createMetrics } from '../metrics.js';
import { startSubgraph } from '../subgraph.js';

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

describe('serve() and startSubgraph() release what they were given on every failure', () => {
  const logger = createLogger('test', 'silent');
  const options = (onClose: () => Promise<void>): ServeOptions<object> => ({ port: 0, logger, metrics: createMetrics('test'), ready: async () => true, context: async () => ({}), onClose });
  const apolloWith = (plugin: ApolloServerPlugin) => new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } }, logger, plugins: [plugin] });

  it('runs onClose when Apollo fails to start', async () => {
    let closed = 0;
    const failing = apolloWith({ serverWillStart: async () => { throw new Error('the supergraph does not compose'); } });
    await expect(serve(failing, options(async () => void (closed += 1)))).rejects.toThrow('the supergraph does not compose');
    expect(closed).toBe(1);
  });

  it('runs onClose on stop even when stopping Apollo fails, and still reports that failure', async () => {
    let closed = 0;
    const failing = apolloWith({ serverWillStart: async () => ({ serverWillStop: async () => { throw new Error('a plugin did not stop'); } }) });
    const server = await serve(failing, options(async () => void (closed += 1)));
    await expect(server.stop()).rejects.toThrow('a plugin did not stop');
    expect(closed).toBe(1);
  });

  it('closes the database and runs onClose when the subgraph schema does not build', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'broken-sdl-'));
    try {
      const schemaFile = join(directory, 'schema.graphql');
      writeFileSync(schemaFile, 'type Query { broken: Missing }');
      const closed: string[] = [];
      const orm = { close: async () => void closed.push('database') } as unknown as MikroORM;
      const failure = startSubgraph({ schemaFile: pathToFileURL(schemaFile), resolvers: {}, orm, port: 0, logger, metrics: createMetrics('test'), context: async () => ({}), onClose: async () => void closed.push('recovery loop') });
      await expect(failure).rejects.toThrow(/Missing/);
      expect(closed).toEqual(['recovery loop', 'database']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
