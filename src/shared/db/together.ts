import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * One flush, one statement (issue 14, item 4). MikroORM sends a flush as one statement per
 * table and kind (the orders, their lines, their history, the events, the audit entries …):
 * a checkout's flush was a dozen round trips, each a few tenths of a millisecond of network
 * and parsing while the transaction holds its row locks. `flushTogether` sends the same
 * statements as ONE: each becomes a data-modifying CTE of a single `with … select`, which
 * PostgreSQL runs as one command (foreign keys are checked at its end, so an order line may
 * reference the order inserted beside it). Nothing else changes: the unit of work computes
 * the same change sets, the flush subscribers (audit log, derived events) and hooks (outbox
 * sealing) run as in any flush, and the statements are the ones MikroORM built.
 *
 * What PostgreSQL cannot do in one command it refuses here, rather than do it wrong:
 * - the parts of one statement all see the database as it was before it, so a row cannot be
 *   written twice in it: a table updated (or written by a caller's raw write) may not be
 *   written by any other part, and deletes are not taken;
 * - values the database makes up (a sequence's position, a default) are not read back into
 *   the entities: an entity whose key the database assigns cannot be flushed this way;
 * - every part says how many rows it writes (the unit of work: one per entity; a raw write:
 *   its own `rows`), and the count is checked once the statement ran: a part that wrote more
 *   or fewer rows fails the caller's transaction (a raw write with its own error).
 *
 * Only the flush's own writes may run inside: a read (or any other statement) would not see
 * the writes queued before it, so it is an error. Do the reads first, then flush together —
 * which is also what keeps a transaction's locks short.
 */

/** A write sent with the unit of work in its statement: plain SQL with `?` placeholders. */
export interface TogetherWrite {
  sql: string;
  params: unknown[];
  /** Exactly how many rows it must write; anything else throws `mismatch()` (or a plain Error). */
  rows: number;
  mismatch?: () => Error;
}

interface Part {
  sql: string;
  params: unknown[];
  rows: number;
  kind: 'insert' | 'update' | 'delete';
  table: string;
  /** Built by the unit of work (the persister), not handed in by the caller. */
  fromFlush: boolean;
  mismatch?: () => Error;
}

interface Scope {
  /** Rows the persister call now being made writes; null between its calls. */
  expecting: number | null;
  parts: Part[];
}

const scope = new AsyncLocalStorage<Scope>();

const STATEMENT_RE = /^\s*(?:(insert)\s+into|(update)|(delete)\s+from)\s+((?:"[^"]+"|[a-z_][a-z0-9_]*)(?:\.(?:"[^"]+"|[a-z_][a-z0-9_]*))?)/i;

function describe(sql: string): { kind: Part['kind']; table: string } | null {
  const m = STATEMENT_RE.exec(sql);
  if (!m) return null;
  const name = m[4]!.split('.').pop()!.replace(/"/g, '');
  return { kind: m[1] ? 'insert' : m[2] ? 'update' : 'delete', table: name };
}

/**
 * The driver's hook (shared/db/orm.ts RoutingDriver): runs one persister call (insert many,
 * update many, update one) knowing how many rows it writes, so its statement can be queued.
 */
export function persisterWrite<T>(rows: number, call: () => Promise<T>): Promise<T> {
  const s = scope.getStore();
  if (!s) return call();
  s.expecting = rows;
  return call().finally(() => {
    s.expecting = null;
  });
}

/** True while a flushTogether is collecting: the persister's refusal of deletes reads it. */
export const collectingTogether = (): boolean => scope.getStore() !== undefined;

/**
 * The connection's hook (shared/db/resilience.ts): inside flushTogether, a statement of the
 * persister is queued and answered as if it ran (its rows, nothing returned); anything else
 * is refused. Outside, undefined: the statement runs as usual.
 */
export function queueTogether(sql: unknown, params: readonly unknown[], method: 'all' | 'get' | 'run'): { answer: unknown } | null {
  const s = scope.getStore();
  if (!s) return null;
  const what = typeof sql === 'string' ? describe(sql) : null;
  if (typeof sql !== 'string' || s.expecting === null || !what || what.kind === 'delete') {
    throw new Error(`flushTogether: only the unit of work's inserts and updates may run inside it; this statement was sent: ${String(sql).slice(0, 120)}`);
  }
  s.parts.push({ sql, params: [...params], rows: s.expecting, ...what, fromFlush: true });
  if (method === 'all') return { answer: [] };
  if (method === 'get') return { answer: undefined };
  return { answer: { affectedRows: s.expecting, insertId: undefined, row: undefined, rows: undefined } };
}

function assertSafe(parts: readonly Part[]): void {
  parts.forEach((p, i) => {
    const others = parts.filter((o, j) => j !== i && o.table === p.table);
    if (!others.length) return;
    const allowed = p.fromFlush && others.every((o) => o.fromFlush && (p.kind === 'insert' ? o.kind === 'insert' : o.kind === 'update'));
    // Distinct entities of one flush are distinct rows, so the persister's own updates of one
    // table (grouped by the columns they change) may sit side by side; nothing else may.
    if (!allowed) throw new Error(`flushTogether: "${p.table}" is written by more than one part (${[p, ...others].map((o) => o.kind).join(', ')}); flush it on its own`);
  });
}

/**
 * Flushes `em`'s unit of work, and `writes` after it, as one statement in the caller's
 * transaction. Throws a write's own error when it did not write its rows (nothing of the
 * statement then survives: the caller's transaction is rolled back by that error).
 */
export async function flushTogether(em: EntityManager, writes: readonly TogetherWrite[] = []): Promise<void> {
  if (!em.isInTransaction()) throw new Error('flushTogether writes in the caller\'s transaction; call it inside em.transactional');
  const s: Scope = { expecting: null, parts: [] };
  await scope.run(s, () => em.flush());
  for (const w of writes) {
    const what = describe(w.sql);
    if (!what || what.kind === 'delete') throw new Error(`flushTogether: a write is an insert or an update: ${w.sql.slice(0, 120)}`);
    s.parts.push({ sql: w.sql, params: w.params, rows: w.rows, ...what, fromFlush: false, mismatch: w.mismatch });
  }
  const parts = s.parts;
  if (!parts.length) return;
  assertSafe(parts);
  // The templates are MikroORM's (or the caller's) with `?` placeholders and no data, so
  // looking for RETURNING in them cannot be fooled by a value.
  const ctes = parts.map((p, i) => `w${i} as (${p.sql.trim()}${/\breturning\b/i.test(p.sql) ? '' : ' returning 1'})`);
  const counts = parts.map((_, i) => `(select count(*) from w${i})::int as n${i}`);
  const [row] = await em.execute<Record<string, number>[]>(`with ${ctes.join(',\n')}\nselect ${counts.join(', ')}`, parts.flatMap((p) => p.params));
  parts.forEach((p, i) => {
    const n = row?.[`n${i}`];
    if (n === p.rows) return;
    throw p.mismatch?.() ?? new Error(`flushTogether: ${p.kind} of "${p.table}" wrote ${n} row(s), expected ${p.rows}`);
  });
}

/**
 * Before a hand-written read of rows that become entities (`em.map`, which refreshes what the
 * unit of work holds): writes the unit of work's pending changes to those entities first, as
 * MikroORM's own finds do (flush mode AUTO) — otherwise the refresh would silently drop them.
 * Nothing pending to them (the usual case): no statement.
 */
export async function flushPendingOf(em: EntityManager, ...entities: (abstract new (...args: never[]) => object)[]): Promise<void> {
  const uow = em.getUnitOfWork();
  if (entities.some((e) => uow.shouldAutoFlush(em.getMetadata().get(e.name)))) await em.flush();
}
