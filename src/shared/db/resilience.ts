import { PostgreSqlConnection, type Knex } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { queueTogether } from './together.js';

/**
 * What keeps a dropped database connection from failing a request (issue 18).
 *
 * PostgreSQL closing a pooled connection (a restart, a failover, `pg_terminate_backend`, a
 * firewall dropping idle sockets) is noticed by node-postgres only when the connection's socket
 * says so — often after the pool has handed the dead connection to the next request. Three
 * layers close that gap:
 *
 * 1. The pool validates a connection before handing it out (`validatePooledConnection`): one
 *    whose client already knows it is broken is discarded; one idle for a while, or pooled
 *    before a connection error was seen anywhere in this process, is pinged first.
 * 2. A statement that fails with a connection error is retried once on a fresh connection
 *    when repeating it cannot change anything: a read outside a transaction, or the BEGIN that
 *    opens one (nothing ran on the dead connection). Writes, and anything inside a transaction,
 *    are never repeated blindly: the caller gets the error.
 * 3. That error is classified (`isConnectionError`) so the API answers SERVICE_UNAVAILABLE, a
 *    clean retryable code, instead of INTERNAL_SERVER_ERROR.
 */

/** SQLSTATE classes and codes that mean "the connection or the server is gone", not "the statement is wrong". */
const CONNECTION_SQLSTATES = /^(08...|57P0[1-4]|53300|53400)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /not queryable/i,
  /terminating connection/i,
  /timeout acquiring a connection/i,
  /connection ended unexpectedly/i,
  /server closed the connection unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /client was closed and is not queryable/i,
];

/** True when `test` holds for `err` or an error it wraps (MikroORM's `previous`, `cause`), a few levels deep. */
export function anyCause(err: unknown, test: (e: { code?: unknown; message?: unknown; name?: unknown }) => boolean): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if (test(e as { code?: unknown; message?: unknown; name?: unknown })) return true;
    e = (e as { cause?: unknown; previous?: unknown }).cause ?? (e as { previous?: unknown }).previous;
  }
  return false;
}

/** True when `err` (a pg, knex or MikroORM error, or one wrapping it) says the database connection failed. */
export function isConnectionError(err: unknown): boolean {
  return anyCause(err, ({ code, message, name }) => {
    if (typeof code === 'string' && (CONNECTION_SQLSTATES.test(code) || SOCKET_CODES.has(code))) return true;
    if (name === 'KnexTimeoutError' || name === 'ConnectionException') return true;
    return typeof message === 'string' && CONNECTION_MESSAGES.some((re) => re.test(message));
  });
}

/**
 * Connections pooled before this instant are pinged before use: once one connection failed,
 * its neighbours (opened to the same server) are suspect too, so the next requests do not
 * each find a dead one.
 */
let suspectSince = 0;

/** Marks every connection pooled until now as suspect (see validatePooledConnection). */
export function suspectPooledConnections(): void {
  suspectSince = Date.now();
}

/** A connection idle longer than this is pinged before use (sockets may have been dropped silently). */
export const IDLE_PING_AFTER_MS = 10_000;
/** How long a validation ping may take before the connection is given up. */
const PING_TIMEOUT_MS = 2_000;

/** The bits of a node-postgres Client the validation reads (its public API has no "is alive"). */
interface PgClientState {
  _ending?: boolean;
  _queryable?: boolean;
  connection?: { stream?: { destroyed?: boolean } };
  __knex__disposed?: unknown;
  /** Set here: when this connection was last handed out. */
  __lastCheckedAt?: number;
  query(sql: string): Promise<unknown>;
}

/**
 * The pool's `validate` hook (knex runs it on every acquire; false discards the connection
 * and the pool opens another). Cheap for a connection in steady use: a few property reads.
 */
export async function validatePooledConnection(connection: unknown): Promise<boolean> {
  const client = connection as PgClientState;
  if (client.__knex__disposed || client._ending || client._queryable === false || client.connection?.stream?.destroyed) return false;
  const now = Date.now();
  const last = client.__lastCheckedAt ?? now;
  client.__lastCheckedAt = now;
  if (now - last < IDLE_PING_AFTER_MS && last > suspectSince) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([client.query('select 1'), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A statement that only reads: repeating it on another connection changes nothing. */
function isRead(sql: string, method: string): boolean {
  if (method === 'run') return false;
  const text = sql.trimStart().slice(0, 8).toLowerCase();
  if (text.startsWith('select')) return !/\bfor\s+(update|no\s+key\s+update|share|key\s+share)\b/i.test(sql);
  return text.startsWith('with') && !/\b(insert|update|delete|merge)\b/i.test(sql);
}

/** How many statement texts one process prepares (see ResilientConnection.prepared). */
export const PREPARED_STATEMENTS_MAX = 500;
/** Statement text → its name (null for a text that must go unnamed, see below) and its text in PostgreSQL's `$n` placeholders. */
const preparedNames = new Map<string, { name: string | null; native: string }>();

/** A stable name for a statement's final text (pg refuses one name for two texts), or null past the cap. */
function statementName(text: string, native: () => string): { name: string | null; native: string } {
  const known = preparedNames.get(text);
  if (known !== undefined) return known;
  const found = { name: preparedNames.size >= PREPARED_STATEMENTS_MAX ? null : `mk_${createHash('sha1').update(text).digest('base64url')}`, native: native() };
  if (found.name) preparedNames.set(text, found);
  return found;
}

type ExecuteArgs = Parameters<PostgreSqlConnection['execute']>;
type ExecuteResult = Awaited<ReturnType<PostgreSqlConnection['execute']>>;
type BeginOptions = Parameters<PostgreSqlConnection['begin']>[0];

/**
 * MikroORM's PostgreSQL connection with layer 2 above: a connection error on a read outside a
 * transaction, or on the BEGIN of a new transaction, is retried once on a fresh connection.
 */
export class ResilientConnection extends PostgreSqlConnection {
  override async execute<T extends ExecuteResult = ExecuteResult>(...args: ExecuteArgs): Promise<T> {
    const [query, params = [], method = 'all', ctx] = args;
    // Inside flushTogether the persister's statements are queued for one statement (together.ts).
    const queued = queueTogether(query, params, method);
    if (queued) return queued.answer as T;
    try {
      return await super.execute<T>(...args);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      suspectPooledConnections();
      if (ctx || typeof query !== 'string' || !isRead(query, method)) throw err;
      return super.execute<T>(...args);
    }
  }

  /**
   * A read sent as a named prepared statement, outside any transaction: PostgreSQL parses and
   * plans it once per connection. MikroORM's `execute` writes the values into the text, so
   * PostgreSQL parses and plans every call anew — for the catalog's page statement that
   * planning (2.3 ms) cost more than running it (the listing's own statement: 5.5 ms → 3.2 ms).
   * For the reads a storefront sends most, whose texts come from a small set; past
   * PREPARED_STATEMENTS_MAX texts in this process a read goes unnamed (parsed and planned each
   * time) rather than leave every connection holding ever more plans. Logged and counted as
   * every statement (MikroORM's executeQuery), retried once on a connection error as reads are.
   */
  async prepared<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const knex = this.getKnex();
    // Named by the text as given: its lists are spelled out already (preparedRead), so one text
    // is one statement; its `?` become `$n` as knex would write them, once per text.
    const { name, native } = statementName(sql, () => knex.raw(sql, params as Knex.RawBinding[]).toSQL().toNative().sql);
    // Straight to a pooled pg connection rather than through knex's raw query and runner, which
    // rebuilt the same text and bindings on every call (knex's own code was 3 % of a product
    // page's CPU in a profile).
    // Still a statement like any other: counted and logged by MikroORM's executeQuery, announced
    // to knex's `query` listeners, on a connection of knex's pool.
    const run = (as: string | null) =>
      this.executeQuery(
        sql,
        async () => {
          const client = knex.client as Knex.Client & { emit(event: string, data: unknown): boolean };
          const connection = (await client.acquireConnection()) as { __knexUid?: string; query(config: object): Promise<{ rows: T[] }> };
          try {
            client.emit('query', { __knexUid: connection.__knexUid, method: 'raw', sql: native, bindings: params, options: as ? { name: as } : {} });
            const result = await connection.query(as ? { name: as, text: native, values: params } : { text: native, values: params });
            return result.rows;
          } finally {
            await client.releaseConnection(connection);
          }
        },
        { query: sql, params: params as unknown[] },
      );
    try {
      return await run(name);
    } catch (err) {
      // A table changed under a prepared `select t.*` (a migration of a newer instance during a
      // rolling deploy): PostgreSQL refuses the cached plan for good on that connection. The text
      // goes unnamed from now on, and this read runs again unnamed.
      if (name && anyCause(err, ({ code, message }) => code === '0A000' && /cached plan must not change result type/.test(String(message)))) {
        preparedNames.set(sql, { name: null, native });
        return run(null);
      }
      if (!isConnectionError(err)) throw err;
      suspectPooledConnections();
      return run(name);
    }
  }

  override async begin(options: BeginOptions = {}): Promise<Knex.Transaction> {
    try {
      return await super.begin(options);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      suspectPooledConnections();
      // A savepoint belongs to a transaction whose connection is gone: nothing to retry.
      if (options.ctx) throw err;
      return super.begin(options);
    }
  }
}
