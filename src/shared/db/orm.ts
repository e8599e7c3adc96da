import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionOptions } from 'node:tls';
import { DefaultLogger, type DeleteOptions, type EntityDictionary, type FilterQuery, type LogContext, type LoggerOptions, type NativeInsertUpdateManyOptions, type NativeInsertUpdateOptions, type QueryResult, type UpsertManyOptions, type UpsertOptions } from '@mikro-orm/core';
import { AbstractSqlDriver, defineConfig, MikroORM, PostgreSqlPlatform, type Configuration, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { sqlScope } from './sql-scope.js';
import { ResilientConnection, validatePooledConnection } from './resilience.js';
import { collectingTogether, persisterWrite } from './together.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const migrationsPath = path.join(root, 'migrations');

export interface OrmOptions {
  clientUrl: string;
  /** Every entity of the app (src/app/entities.ts assembles them from the modules). */
  entities: NonNullable<Options['entities']>;
  /** A PostgreSQL schema to live in (tests use one per file); default `public`. */
  schema?: string;
  debug?: boolean;
  poolMax?: number;
  /** Per statement, on every connection; 0 or unset: none. Migrations lift it (see migrate). */
  statementTimeoutMs?: number;
  ssl?: DbSsl;
  /** Read replicas of clientUrl; storefront catalog reads go there (RoutingDriver). */
  replicaUrls?: string[];
  /** Flush subscribers (derived domain events, the audit log), assembled by src/app. */
  subscribers?: NonNullable<Options['subscribers']>;
  /** PostgreSQL's application_name of every connection (pg_stat_activity); default marketplace-api. */
  applicationName?: string;
}

export interface DbSsl {
  mode: 'disable' | 'require' | 'verify-full';
  /** PEM of the CA to trust instead of the system's (verify-full). */
  ca?: string;
}

/** node-postgres' `ssl` for a mode: `require` encrypts without checking the certificate, as libpq does. */
export function pgSsl(ssl: DbSsl | undefined): false | ConnectionOptions {
  if (!ssl || ssl.mode === 'disable') return false;
  if (ssl.mode === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...(ssl.ca ? { ca: ssl.ca } : {}) };
}

/**
 * MikroORM hands every statement it sends to the logger, enabled or not (raw `execute`,
 * query builder, BEGIN/COMMIT): counting there sees them all, for the request in scope.
 */
class CountingLogger extends DefaultLogger {
  override logQuery(context: { query: string } & LogContext): void {
    const scope = sqlScope.getStore();
    if (scope) {
      scope.statements++;
      if (context.connection?.type === 'read') scope.replicaStatements++;
    }
    super.logQuery(context);
  }
}

/**
 * MikroORM's PostgreSQL driver with two changes. Its connections are ResilientConnection
 * (resilience.ts: reads and BEGINs that hit a dropped connection are retried once). And with
 * `preferReadReplicas`, MikroORM would send every read outside a transaction to a
 * replica — including a shopper's cart read right after adding to it, or a seller's product
 * read right after editing it. This driver lets reads reach a replica only inside a request
 * marked for it (storefront catalog queries); all else stays on the primary.
 */
export class RoutingDriver extends AbstractSqlDriver<ResilientConnection, PostgreSqlPlatform> {
  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), ResilientConnection, ['knex', 'pg']);
  }

  override getConnection(type: 'read' | 'write' = 'write') {
    return super.getConnection(type === 'read' && sqlScope.getStore()?.replicaReads ? 'read' : 'write');
  }

  // The persister's writes, each with the rows it writes, so flushTogether (together.ts) can
  // queue their statements; outside flushTogether these only pass through.
  override nativeInsertMany<T extends object>(entityName: string, data: EntityDictionary<T>[], options?: NativeInsertUpdateManyOptions<T>, transform?: (sql: string) => string): Promise<QueryResult<T>> {
    // A queued insert reads nothing back, so its rows must carry their keys.
    const keys = this.metadata.find(entityName)?.primaryKeys ?? [];
    if (collectingTogether() && data.some((row) => keys.some((k) => (row as Record<string, unknown>)[k] == null))) {
      return Promise.reject(new Error(`flushTogether: ${entityName} gets its key from the database; flush it on its own`));
    }
    return persisterWrite(data.length, () => super.nativeInsertMany(entityName, data, options, transform));
  }

  override nativeUpdateMany<T extends object>(entityName: string, where: FilterQuery<T>[], data: EntityDictionary<T>[], options?: NativeInsertUpdateManyOptions<T> & UpsertManyOptions<T>): Promise<QueryResult<T>> {
    return persisterWrite(where.length, () => super.nativeUpdateMany(entityName, where, data, options));
  }

  override nativeUpdate<T extends object>(entityName: string, where: FilterQuery<T>, data: EntityDictionary<T>, options?: NativeInsertUpdateOptions<T> & UpsertOptions<T>): Promise<QueryResult<T>> {
    // Inside a flush the persister updates one entity by its key: one row.
    return persisterWrite(1, () => super.nativeUpdate(entityName, where, data, options));
  }

  override nativeDelete<T extends object>(entityName: string, where: FilterQuery<T>, options?: DeleteOptions<T>): Promise<QueryResult<T>> {
    if (collectingTogether()) return Promise.reject(new Error('flushTogether does not take deletes; flush them on their own'));
    return super.nativeDelete(entityName, where, options);
  }
}

export function ormConfig(opts: OrmOptions): Options {
  const schema = opts.schema;
  const replicas = opts.replicaUrls ?? [];
  return defineConfig({
    clientUrl: opts.clientUrl,
    driver: RoutingDriver,
    loggerFactory: (options: LoggerOptions) => new CountingLogger(options),
    driverOptions: {
      connection: {
        ssl: pgSsl(opts.ssl),
        application_name: opts.applicationName ?? 'marketplace-api',
        ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
      },
      // knex's pool option MikroORM's typings leave out (merged into `pool` below): a
      // connection the server dropped is replaced instead of failing the request that draws it.
      pool: { validate: validatePooledConnection },
      // knex prints "Connection Error: …" to the console for every dropped connection it
      // discards; that is the pool doing its job (resilience.ts), not news for the log.
      log: { warn: () => undefined },
    },
    ...(replicas.length
      ? { replicas: replicas.map((clientUrl, i) => ({ name: `replica-${i + 1}`, clientUrl })), preferReadReplicas: true }
      : { preferReadReplicas: false }),
    entities: opts.entities,
    subscribers: opts.subscribers ?? [],
    extensions: [Migrator],
    debug: opts.debug ?? false,
    // Entities are declared with explicit types (tsx emits no decorator metadata).
    discovery: { requireEntitiesArray: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ...(schema ? { schema } : {}),
    pool: {
      min: 0,
      max: opts.poolMax ?? 10,
      // Migrations are written schema-less; the search path puts every table, including the
      // migrations table, in the chosen schema.
      ...(schema
        ? {
            afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) =>
              conn.query(`set search_path to "${schema}"`, (err) => done(err, conn)),
          }
        : {}),
    },
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      glob: '!(*.d).{js,ts}',
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    // Vitest and tsx load .ts migrations only through a native dynamic import.
    dynamicImportProvider: (id: string) => import(id),
  });
}

export async function openOrm(opts: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(opts));
  if (opts.schema) {
    await orm.em.getConnection().execute(`create schema if not exists "${opts.schema}"`);
  }
  return orm;
}

/**
 * Applies pending migrations; returns the names it ran. Several processes may start at once
 * on one database (replicas, a restart overlapping the old process): the migrator has no lock
 * of its own, so each holds a PostgreSQL advisory lock for its schema while it migrates — the
 * others wait, then find nothing pending — instead of racing to create the same tables.
 * The migrations run in the lock's transaction, with the statement timeout lifted: rewriting
 * a large table may rightly take longer than any request should.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const schema = orm.config.get('schema') ?? 'public';
  const conn = orm.em.getConnection();
  const run = () =>
    conn.transactional(async (trx) => {
      await conn.execute('select pg_advisory_xact_lock_shared(hashtext(?))', [SCHEMA_DDL_LOCK], 'all', trx);
      await conn.execute('select pg_advisory_xact_lock(hashtext(?))', [`marketplace:migrations:${schema}`], 'all', trx);
      await conn.execute('set local statement_timeout = 0', [], 'run', trx);
      const ran = await orm.getMigrator().up({ transaction: trx });
      return ran.map((m) => m.name);
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      // The migrator looks for its table among every schema's tables (information_schema, then a
      // regclass cast per table): a schema dropped in between fails that look-up. Drops through
      // dropSchema wait for the lock above; another program's drop (a second test run on the same
      // database) does not, so: nothing was migrated (one transaction), again.
      const missing = /schema "([^"]+)" does not exist/.exec(err instanceof Error ? err.message : '')?.[1];
      if (!missing || missing === schema || attempt >= 3) throw err;
    }
  }
}

/**
 * The migrator lists every table of the database (casting each name to a regclass), which fails
 * if another schema of the same database is dropped meanwhile — test files each drop theirs when
 * they end. Migration checks hold this advisory lock shared; whoever drops a schema takes it
 * exclusively (dropSchema), so the two never overlap.
 */
export const SCHEMA_DDL_LOCK = 'marketplace:schema-ddl';

/** Drops a schema (tests, benchmarks) without racing a migration check elsewhere in the database. */
export async function dropSchema(orm: MikroORM, schema: string): Promise<void> {
  const conn = orm.em.getConnection();
  await conn.transactional(async (trx) => {
    await conn.execute('select pg_advisory_xact_lock(hashtext(?))', [SCHEMA_DDL_LOCK], 'all', trx);
    await conn.execute(`drop schema if exists "${schema.replace(/"/g, '""')}" cascade`, [], 'run', trx);
  });
}

/** Migrations this build has that the database has not applied yet (readiness). */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const conn = orm.em.getConnection();
  return conn.transactional(async (trx) => {
    await conn.execute('select pg_advisory_xact_lock_shared(hashtext(?))', [SCHEMA_DDL_LOCK], 'all', trx);
    return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
  });
}
