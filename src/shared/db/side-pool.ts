import { knex, type Knex, type MikroORM } from '@mikro-orm/postgresql';
import { sqlScope } from './sql-scope.js';
import { isConnectionError, suspectPooledConnections } from './resilience.js';

/**
 * A small pool of its own for the writes that must commit apart from the transaction a request
 * holds open: the idempotency claims and the provider-call journal (a refund's STARTED row must
 * survive that transaction's rollback), and the sandbox payment provider's own state (an outside
 * system in production). Drawn from the main pool, those writes need a second connection while
 * the first is held: with every connection of the pool held by a transaction that waits for its
 * second, the pool starves and every request times out at once (money review item 7). Drawn
 * from here, they always find one: what holds a side connection never waits for another. Same
 * server, settings, search path and connection checks as the main pool (its knex configuration,
 * copied); its statements count in the request's log line.
 */
export interface SideConnection {
  execute<T = unknown>(sql: string, params?: unknown[], method?: 'all' | 'run'): Promise<T>;
  /** Runs `work` in one transaction on one connection; inside it, `work`'s connection runs everything (a nested call joins it). */
  transaction<T>(work: (conn: SideConnection) => Promise<T>): Promise<T>;
}

const pools = new WeakMap<MikroORM, { knex: Knex; conn: SideConnection }>();

/**
 * A pool of its own beside `base`: the same server, settings, search path and connection checks
 * (its knex configuration, copied), with these connection parameters and limits on top.
 */
export function poolBeside(base: Knex, over: { connection?: Record<string, unknown>; max?: number } = {}): Knex {
  const config = base.client.config as Knex.Config;
  return knex({
    ...config,
    ...(over.connection ? { connection: { ...(config.connection as object), ...over.connection } } : {}),
    pool: { ...(config.pool ?? {}), min: 0, ...(over.max ? { max: over.max } : {}) },
  });
}

/** Statements on a pool beside the ORM's, counted in the request's scope like the ORM's own. */
export function onKnex(k: Knex | Knex.Transaction, inTransaction = false): SideConnection {
  const conn: SideConnection = {
    async execute<T>(sql: string, params: unknown[] = [], method: 'all' | 'run' = 'all') {
      const scope = sqlScope.getStore();
      if (scope) scope.statements++;
      let res: { rows: unknown[]; rowCount: number | null };
      try {
        res = (await k.raw(sql, params as Knex.RawBinding[])) as typeof res;
      } catch (err) {
        // As on the main pool (resilience.ts): its neighbours are pinged before their next use.
        if (isConnectionError(err)) suspectPooledConnections();
        throw err;
      }
      return (method === 'run' ? { affectedRows: res.rowCount ?? 0, rows: res.rows } : res.rows) as T;
    },
    transaction: (work) => (inTransaction ? work(conn) : k.transaction((trx) => work(onKnex(trx, true)))),
  };
  return conn;
}

/** Opens the side pool of `orm` (the app does it at start; `max` small: its work is a few short statements). */
export function openSidePool(orm: MikroORM, max = 3): void {
  if (pools.has(orm)) return;
  const side = poolBeside(orm.em.getConnection().getKnex(), { max });
  pools.set(orm, { knex: side, conn: onKnex(side) });
}

/**
 * Where out-of-transaction bookkeeping goes: the side pool when the app opened one, otherwise
 * (scripts, tests holding a bare ORM) connections of the main pool.
 */
export function sideConnection(orm: MikroORM): SideConnection {
  const side = pools.get(orm)?.conn;
  if (side) return side;
  const main = orm.em.fork().getConnection();
  return {
    execute: <T>(sql: string, params: unknown[] = [], method: 'all' | 'run' = 'all') => main.execute(sql, params, method) as Promise<T>,
    transaction: (work) =>
      orm.em.fork().transactional((em) => {
        const joined: SideConnection = { execute: <T>(sql: string, params: unknown[] = [], method: 'all' | 'run' = 'all') => em.execute(sql, params, method) as Promise<T>, transaction: (w) => w(joined) };
        return work(joined);
      }),
  };
}

/** The side pool's knex, when open (the bench counts its statements). */
export const sidePoolKnex = (orm: MikroORM): Knex | undefined => pools.get(orm)?.knex;

export async function closeSidePool(orm: MikroORM): Promise<void> {
  const pool = pools.get(orm);
  pools.delete(orm);
  await pool?.knex.destroy();
}
