import type { Connection, Knex, MikroORM } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../errors/index.js';
import { anyCause } from './resilience.js';
import { onKnex, poolBeside } from './side-pool.js';

/**
 * A statement PostgreSQL stopped because it ran past its statement_timeout (SQLSTATE 57014,
 * query_canceled): the request asked for too much, not a bug, so it is answered QUERY_TIMEOUT.
 */
export function isStatementTimeout(err: unknown): boolean {
  return anyCause(err, ({ code }) => code === '57014');
}

/**
 * Pools whose connections carry a shorter statement_timeout than the main pool's, one per main
 * (or replica) pool and limit, opened on first use with that pool's configuration copied. A
 * connection parameter costs nothing per statement, where `set_config` in a transaction of its
 * own would cost three more round trips on every search.
 */
const timed = new WeakMap<Knex, Map<number, Knex>>();

function timedPool(base: Knex, ms: number): Knex {
  let byLimit = timed.get(base);
  if (!byLimit) timed.set(base, (byLimit = new Map()));
  let pool = byLimit.get(ms);
  if (!pool) {
    pool = poolBeside(base, { connection: { statement_timeout: ms } });
    byLimit.set(ms, pool);
  }
  return pool;
}

/**
 * Runs one read statement under a statement timeout of `ms` (a free-text search that a hostile
 * or careless caller can make expensive), so it gives its connection back in `ms` at the latest
 * instead of holding it for the general limit. Runs on the same server as `conn` (primary or
 * replica); counts in the request's statements like any other.
 */
export async function readWithTimeout<T>(conn: Connection, text: string, values: unknown[], ms: number, field: string[]): Promise<T[]> {
  try {
    return await onKnex(timedPool((conn as unknown as { getKnex(): Knex }).getKnex(), ms)).execute<T[]>(text, values);
  } catch (err) {
    if (isStatementTimeout(err)) {
      throw new AppError(ErrorCode.QUERY_TIMEOUT, `The search took longer than ${ms} ms and was stopped; narrow it (more characters, a category or a seller).`, field);
    }
    throw err;
  }
}

/** Closes the pools opened for timed reads of this ORM's primary and replicas (at shutdown, after the requests). */
export async function closeTimedPools(orm: MikroORM): Promise<void> {
  const driver = orm.em.getDriver() as unknown as { getConnection(type: 'write'): Connection; replicas?: Connection[] };
  const bases = [driver.getConnection('write'), ...(driver.replicas ?? [])].map((c) => (c as unknown as { getKnex(): Knex }).getKnex());
  const pools = bases.flatMap((b) => [...(timed.get(b)?.values() ?? [])]);
  for (const b of bases) timed.delete(b);
  await Promise.all(pools.map((p) => p.destroy()));
}
