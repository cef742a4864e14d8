import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAuthConfig } from '../lib/auth.js';
import { ConfigError, readLogLevel, readNumber, readPort, readString, type Env } from '../lib/config.js';
import { PortInUseError } from '../lib/http.js';
import { createLogger } from '../lib/log.js';
import { loadSubgraphService, SUBGRAPHS, subgraphUrlVariables } from '../lib/subgraphs.js';
import { tracingEnabled } from '../lib/tracing.js';
import { readGatewayConfig } from '../gateway/src/config.js';
import { buildGateway } from '../gateway/src/server.js';
import { seedDemoCatalog } from './demo-catalog.js';
import { startLocalPostgres } from './embedded-postgres.js';
import { blockedForPostgres, reachableDataDir } from './reachable-postgres.mjs';
import { ServiceStack, StopRequestedError } from './service-stack.js';
import { signDemoTokens, welcomeText } from './welcome.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Everything `npm start` decides before it starts anything; a bad value stops it here. */
function readStartSettings(env: Env) {
  const auth = readAuthConfig(env);
  for (const warning of auth.warnings ?? []) console.warn(`npm start: ${warning}`);
  if (auth.jwksUrl || !auth.jwtSecret) {
    throw new ConfigError('npm start signs its demo tokens with JWT_SECRET: unset JWT_JWKS_URL, or run the services standalone');
  }
  return {
    auth: { ...auth, jwtSecret: auth.jwtSecret },
    dataDir: resolve(readString(env, 'DATA_DIR', join(root, '.data'))),
    postgresPort: readNumber(env, 'POSTGRES_PORT', 5433, { min: 1, max: 65535, integer: true }),
    gatewayPort: readPort(env, 'PORT', 4000),
    subgraphPorts: Object.fromEntries(SUBGRAPHS.map(({ name, portVariable, port }) => [name, readPort(env, portVariable, port)])),
    // A person reads this terminal: services log warnings and errors unless asked for more.
    logLevel: readLogLevel(env, 'warn'),
    // Fresh per run, so a credential from an earlier run (or a default) opens nothing.
    serviceCredential: readString(env, 'SERVICE_CREDENTIAL', randomBytes(32).toString('base64url')),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', join(root, 'schema/supergraph.graphql')),
  };
}

/** Starts a service on a port chosen with `variable`; a busy port names that variable. */
function onPort<T>(variable: string, begin: () => Promise<T>): () => Promise<T> {
  return () =>
    begin().catch((error: unknown) => {
      throw error instanceof PortInUseError ? new Error(`port ${error.port} is already in use; stop whatever holds it or set ${variable} to another port`) : error;
    });
}

async function startSupergraph(env: Env, stack: ServiceStack): Promise<void> {
  const settings = readStartSettings(env);
  if (tracingEnabled(env)) {
    // Traces are per service (service.name, one SDK per process); here every service shares one.
    console.warn('OTEL_EXPORTER_OTLP_ENDPOINT is set, but npm start exports no traces: it runs every service in one process. Trace the standalone services (npm run start:gateway, start:product, ...) or docker compose.');
  }
  const tokens = await signDemoTokens(settings.auth);
  const { gatewayPort, subgraphPorts, logLevel } = settings;
  // Every service reads the caller's environment (JWT_*, PAYMENT_*, saga settings) with the
  // ports, databases and peer URLs of this run laid over it.
  const base: Env = { ...env, SERVICE_CREDENTIAL: settings.serviceCredential };
  const logger = (name: string) => createLogger(name, logLevel);

  const postgresDir = reachableDataDir(join(settings.dataDir, 'postgres'));
  if (postgresDir !== join(settings.dataDir, 'postgres')) {
    console.log(`PostgreSQL runs as the postgres user, which cannot enter ${blockedForPostgres(settings.dataDir)}: it keeps its data in ${postgresDir}.`);
  }
  const postgres = await stack.start(`PostgreSQL (POSTGRES_PORT=${settings.postgresPort})`, () =>
    startLocalPostgres({ dataDir: postgresDir, port: settings.postgresPort, databases: SUBGRAPHS.map(({ database }) => database), logger: logger('postgres') }),
  );
  // Every port is known before anything starts, so each subgraph is given every peer's URL, also of
  // the peers started after it (shipping tells order of moved shipments); started in the registry's order.
  const urls: Record<string, string> = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, `http://localhost:${subgraphPorts[name]}/graphql`]));
  for (const entry of SUBGRAPHS) {
    const service = await loadSubgraphService(entry);
    const port = subgraphPorts[entry.name]!;
    const env = { ...base, ...subgraphUrlVariables(urls), PORT: String(port), DATABASE_URL: postgres.databaseUrl(entry.database) };
    const started = await stack.start(
      `${entry.name} subgraph (${entry.portVariable}=${port})`,
      onPort(entry.portVariable, () => service.build(service.readConfig(env), logger(entry.name))),
    );
    urls[entry.name] = started.url;
    if (entry.name === 'product') {
      const seeded = await stack.run('seeding the demo catalog', () => seedDemoCatalog(started.url, tokens.admin));
      if (seeded > 0) console.log(`Seeded the demo catalog with ${seeded} products.`);
    }
  }
  const gatewayConfig = {
    ...readGatewayConfig({ ...base, PORT: String(gatewayPort), SUPERGRAPH_PATH: settings.supergraphPath, ...subgraphUrlVariables(urls) }),
    // The playground opens with the demo customer's token in its Authorization header.
    playgroundToken: tokens.customer,
  };
  const gateway = await stack.start(`gateway (PORT=${gatewayPort})`, onPort('PORT', () => buildGateway(gatewayConfig, logger('gateway'))));
  console.log(welcomeText(`http://localhost:${gateway.port}/`, tokens));
  if (gatewayConfig.storefront) console.log(`Storefront: http://localhost:${gateway.port}/shop/ (sign in with the customer token above)\n`);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

const stack = new ServiceStack();
const reportStopProblem = (step: string, error: unknown) => console.error(`npm start: ${step} did not stop cleanly: ${oneLine(error)}`);

function stopEverything(reason: string): void {
  console.log(`${reason}: stopping the gateway, the subgraphs, then PostgreSQL.`);
  void stack.stopAll(reportStopProblem).then((clean) => {
    console.log(clean ? 'Stopped.' : 'Stopped, with the problems above.');
    process.exit(clean ? 0 : 1);
  });
}

stack.stopOnSignals((signal) => {
  // A second Ctrl-C means "now": the embedded-postgres exit hook still stops PostgreSQL.
  if (stack.isStopping) process.exit(1);
  stopEverything(signal);
});
stack.stopWhenOrphaned(() => {
  // Whoever read this terminal may have gone with the parent: a failed write must not stop the stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  if (!stack.isStopping) stopEverything('The process that ran npm start is gone');
});

try {
  await startSupergraph(process.env, stack);
} catch (error) {
  // When a signal cut startup short, its handler is already stopping everything.
  if (!(error instanceof StopRequestedError) && !stack.isStopping) {
    console.error(`npm start failed: ${oneLine(error)}`);
    await stack.stopAll(reportStopProblem);
    process.exit(1);
  }
}
