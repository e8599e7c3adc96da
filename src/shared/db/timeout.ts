import type { Connection } from '@mikro-orm/core';
import { AppError, ErrorCode } from '../errors/index.js';

/**
 * A statement PostgreSQL stopped because it ran past its statement_timeout (SQLSTATE 57014,
 * query_canceled): the request asked for too much, not a bug, so it is answered QUERY_TIMEOUT.
 */
export function isStatementTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === '57014') return true;
    e = (e as { cause?: unknown; previous?: unknown }).cause ?? (e as { previous?: unknown }).previous;
  }
  return false;
}

/**
 * Runs one read statement with a shorter statement timeout than the pool's (a free-text search
 * that a hostile or careless caller can make expensive), so it gives its connection back in
 * `ms` at the latest instead of holding it for the general limit. The timeout is set with
 * `set_config(…, true)`, local to a read-only transaction, so it cannot leak to the pooled
 * connection's next user: three more round trips, paid only by searches.
 */
export async function readWithTimeout<T>(conn: Connection, text: string, values: unknown[], ms: number, field: string[]): Promise<T[]> {
  try {
    return await conn.transactional(
      async (trx) => {
        await conn.execute(`select set_config('statement_timeout', ?, true)`, [String(ms)], 'all', trx);
        return conn.execute<T[]>(text, values, 'all', trx);
      },
      { readOnly: true },
    );
  } catch (err) {
    if (isStatementTimeout(err)) {
      throw new AppError(ErrorCode.QUERY_TIMEOUT, `The search took longer than ${ms} ms and was stopped; narrow it (more characters, a category or a seller).`, field);
    }
    throw err;
  }
}
