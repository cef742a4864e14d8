import { MikroORM, type EntitySchema } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import { maskSecrets, type Logger } from './log.js';
import { observeDatabasePool, type ServiceMetrics } from './metrics.js';

export type { MigrationObject };

/** The part of knex's connection pool (tarn) the pool gauges read. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
  on(event: 'acquireFail', listener: () => void): void;
}

export interface DatabaseOptions {
  databaseUrl: string;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  metrics?: ServiceMetrics;
  logger?: Logger;
  poolSize?: number;
}

/**
 * Opens the service's own database and brings its schema up to date. Replicas starting at the
 * same moment serialise on an advisory lock, so a migration never runs twice.
 */
export async function openDatabase(options: DatabaseOptions): Promise<MikroORM> {
  const orm = await MikroORM.init({
    clientUrl: options.databaseUrl,
    entities: options.entities,
    extensions: [Migrator],
    migrations: { migrationsList: options.migrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // While PostgreSQL is down, a request waits at most 5 s for a connection and then fails
    // with SERVICE_UNAVAILABLE instead of hanging; new connections are made once it is back.
    pool: { min: 0, max: options.poolSize ?? 10, idleTimeoutMillis: 10_000, acquireTimeoutMillis: 5_000, createTimeoutMillis: 5_000 },
    driverOptions: {
      connection: { connectionTimeoutMillis: 5_000, statement_timeout: 15_000 },
      // knex writes its own warnings ("Connection Error: ...") with console.log: into the JSON log instead.
      ...(options.logger ? { log: knexLog(options.logger) } : {}),
    },
    allowGlobalContext: false,
    debug: false,
  });
  const knex = orm.em.getKnex();
  if (options.metrics) {
    const counter = options.metrics.sqlStatements;
    knex.on('query', () => counter.inc());
    const pool = () => (knex.client as { pool?: TarnPool }).pool;
    const observed = observeDatabasePool(options.metrics, () => {
      const current = pool();
      return current && { used: current.numUsed(), free: current.numFree(), pendingAcquires: current.numPendingAcquires(), max: current.max };
    });
    pool()?.on('acquireFail', observed.acquireFailed);
  }
  try {
    await knex.transaction(async (lock) => {
      await lock.raw('select pg_advisory_xact_lock(hashtext(?))', ['mikro-orm-migrations']);
      await orm.getMigrator().up();
    });
  } catch (error) {
    // Nobody else holds this ORM yet: left open, its pool would keep the process (or a test) alive.
    await orm.close(true).catch(() => undefined);
    throw error;
  }
  const missing = await missingColumns(orm);
  if (missing.length > 0) {
    options.logger?.error({ database: maskSecrets(options.databaseUrl), missingColumns: missing }, schemaBehind(missing));
  } else {
    options.logger?.info({ database: maskSecrets(options.databaseUrl) }, 'database schema up to date');
  }
  return orm;
}

/**
 * Every property of an entity, for `fields` in em.find: MikroORM otherwise selects `*` and leaves
 * a property whose column has gone (renamed, a migration rolled back) undefined, which a client
 * reads as null. Named, a missing column fails the statement instead. It costs nothing measurable.
 */
export function everyField(schema: EntitySchema<any, any>): any[] {
  return Object.keys(schema.meta.properties);
}

/** Every column the entities read, as table.column. */
export function entityColumns(orm: MikroORM): string[] {
  return Object.values(orm.getMetadata().getAll()).flatMap((meta) =>
    meta.props.filter((prop) => prop.persist !== false && !prop.formula).flatMap((prop) => prop.fieldNames.map((column) => `${meta.tableName}.${column}`)),
  );
}

/** The columns of the current schema, as table.column: one catalog query. */
export const PRESENT_COLUMNS_SQL = `select table_name || '.' || column_name as name from information_schema.columns where table_schema = current_schema()`;

/** The entities' columns the database does not have, as table.column. */
export async function missingColumns(orm: MikroORM): Promise<string[]> {
  const present = await orm.em.getConnection().execute<{ name: string }[]>(PRESENT_COLUMNS_SQL);
  const have = new Set(present.map((row) => row.name));
  return entityColumns(orm).filter((column) => !have.has(column));
}

export function schemaBehind(missing: string[]): string {
  return `the database schema is behind the code: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
}

function knexLog(logger: Logger) {
  const text = (message: unknown) => maskSecrets(typeof message === 'string' ? message : String((message as Error)?.message ?? message));
  return {
    warn: (message: unknown) => logger.warn({ driver: text(message) }, 'database driver warning'),
    error: (message: unknown) => logger.warn({ driver: text(message) }, 'database driver error'),
    deprecate: (method: unknown, alternative: unknown) => logger.debug({ driver: `${String(method)} is deprecated; use ${String(alternative)}` }, 'database driver deprecation'),
    debug: (message: unknown) => logger.debug({ driver: text(message) }, 'database driver'),
  };
}
