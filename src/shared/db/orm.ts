import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';

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
}

export function ormConfig(opts: OrmOptions): Options {
  const schema = opts.schema;
  return defineConfig({
    clientUrl: opts.clientUrl,
    entities: opts.entities,
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
 * The lock takes one pooled connection, so the pool needs at least two.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const schema = orm.config.get('schema') ?? 'public';
  const conn = orm.em.getConnection();
  // The lock lives in a transaction on a connection of its own; the migrator uses others.
  return conn.transactional(async (trx) => {
    await conn.execute('select pg_advisory_xact_lock(hashtext(?))', [`marketplace:migrations:${schema}`], 'all', trx);
    const ran = await orm.getMigrator().up();
    return ran.map((m) => m.name);
  });
}
