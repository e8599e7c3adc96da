import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../access/index.js';
import { DomainEvent } from './event.entity.js';

/** Who caused an event. Names only what an audit or a feed needs; never a token. */
export interface EventActor {
  kind: 'ANONYMOUS' | 'CUSTOMER' | 'OPERATOR' | 'SELLER' | 'INTEGRATION' | 'SYSTEM';
  /** The user's or integration's id (absent for anonymous shoppers and the system). */
  id?: string;
  /** A display name: the user's or integration's name, or the system part ("checkout", "payment expiry"). */
  name?: string;
  /** The seller the actor works for, when it works for one. */
  sellerId?: string;
}

/** The actor behind a request's viewer. */
export function actorOf(viewer: Viewer): EventActor {
  switch (viewer.kind) {
    case 'ANONYMOUS':
      return { kind: 'ANONYMOUS' };
    case 'CUSTOMER':
      return { kind: 'CUSTOMER', id: viewer.user.id, name: viewer.user.name };
    case 'OPERATOR':
    case 'SELLER':
      return { kind: viewer.kind, id: viewer.user.id, name: viewer.user.name, sellerId: viewer.seller.id };
    case 'INTEGRATION':
      return { kind: 'INTEGRATION', id: viewer.integration.id, name: viewer.integration.name, sellerId: viewer.seller.id };
  }
}

/** A part of the system acting on its own (a job, a provider's webhook, the checkout itself). */
export const systemActor = (name: string): EventActor => ({ kind: 'SYSTEM', name });

export interface NewEvent {
  /** `<aggregate>.<what happened>`, e.g. `order.invoiced`. */
  type: string;
  aggregate: { type: string; id: string; code?: string | null };
  sellerId?: string | null;
  actor: EventActor;
  data?: Record<string, unknown>;
}

export interface StoredEvent {
  id: string;
  position: string;
  txid: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  aggregateCode: string | null;
  sellerId: string | null;
  actor: EventActor;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Writes events in the caller's transaction: they are persisted with the unit of work, so they
 * exist exactly when the change they describe does (a rolled-back change leaves none). Returns
 * their ids.
 */
export function recordEvents(em: EntityManager, events: readonly NewEvent[]): string[] {
  if (!events.length) return [];
  if (!em.isInTransaction()) throw new Error('domain events are written inside the transaction of the change they describe');
  return events.map((e) => {
    const row = em.create(DomainEvent, {
      id: randomUUID(),
      type: e.type,
      aggregateType: e.aggregate.type,
      aggregateId: e.aggregate.id,
      aggregateCode: e.aggregate.code ?? null,
      sellerId: e.sellerId ?? null,
      actor: { ...e.actor },
      data: e.data ?? {},
    });
    em.persist(row);
    return row.id;
  });
}

/**
 * Where a reader stands: the (txid, position) of the last event it took. Readers go through
 * events in (txid, position) order and only below the oldest of this app's transactions still
 * running (HORIZON), so an event whose transaction commits late (it drew a lower position, or
 * a lower txid, than events already committed) is never passed over: its txid is at or above
 * that horizon until it commits, and then sorts after everything already read.
 */
export interface EventCursor {
  txid: string;
  position: string;
}

const CURSOR_RE = /^(\d{1,20}):(\d{1,20})$/;

export function encodeCursor(c: EventCursor): string {
  return `${c.txid}:${c.position}`;
}

/** Parses a cursor a client sent back; null for anything that is not one. */
export function decodeCursor(raw: string): EventCursor | null {
  const m = CURSOR_RE.exec(raw);
  return m ? { txid: m[1]!, position: m[2]! } : null;
}

export interface ReadOptions {
  after: EventCursor | null;
  limit: number;
  types?: readonly string[];
  aggregateTypes?: readonly string[];
  /** Only this seller's events (feeds and webhooks of a seller's integration). */
  sellerId?: string;
}

interface EventRow {
  id: string;
  position: string;
  txid: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_code: string | null;
  seller_id: string | null;
  actor: EventActor;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * The first transaction id an event may not have yet: the oldest transaction still running
 * that holds a lock on a table of this schema (it has written or locked rows here, so it may
 * be about to write an event); with none, the first id not yet assigned. Transactions elsewhere
 * on the server (other databases, other schemas — e.g. other test files) cannot write this
 * schema's events, so they do not hold the readers back; a long transaction of this app does,
 * until it ends. Whatever stays below it is committed or rolled back for good.
 */
const HORIZON = `coalesce(
  (select min(x) from pg_snapshot_xip(pg_current_snapshot()) x
    where (x::text::bigint % 4294967296)::text in (
      select a.backend_xid::text from pg_locks l
        join pg_class c on c.oid = l.relation
        join pg_stat_activity a on a.pid = l.pid
       where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
         and a.backend_xid is not null and a.pid <> pg_backend_pid())),
  pg_snapshot_xmax(pg_current_snapshot()))`;

function eventFilter(opts: Omit<ReadOptions, 'limit'>): { where: string; params: unknown[] } {
  const where = [`txid < ${HORIZON}`];
  const params: unknown[] = [];
  if (opts.after) {
    where.push('(txid, position) > (?::xid8, ?::bigint)');
    params.push(opts.after.txid, opts.after.position);
  }
  // Lists become `in (?, …)`: the query builder expands array bindings into comma lists.
  const within = (column: string, values: readonly string[]) => {
    where.push(`${column} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (opts.types?.length) within('type', opts.types);
  if (opts.aggregateTypes?.length) within('aggregate_type', opts.aggregateTypes);
  if (opts.sellerId) {
    where.push('seller_id = ?');
    params.push(opts.sellerId);
  }
  return { where: where.join(' and '), params };
}

/** The next events after `after`, oldest first, that no running transaction can still precede. */
export async function readEvents(em: EntityManager, opts: ReadOptions): Promise<StoredEvent[]> {
  const { where, params } = eventFilter(opts);
  const rows = await em.execute<EventRow[]>(
    `select id, position::text as position, txid::text as txid, type, aggregate_type, aggregate_id, aggregate_code, seller_id, actor, data, occurred_at
       from domain_event where ${where} order by txid, position limit ?`,
    [...params, opts.limit],
  );
  return rows.map(toStoredEvent);
}

/** How many events readEvents would pass on after `after` (the same filter and horizon), for a feed's total. */
export async function countEvents(em: EntityManager, opts: Omit<ReadOptions, 'limit'>): Promise<number> {
  const { where, params } = eventFilter(opts);
  const [row] = await em.execute<{ n: string }[]>(`select count(*) as n from domain_event where ${where}`, params);
  return Number(row?.n ?? 0);
}

function toStoredEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    position: r.position,
    txid: r.txid,
    type: r.type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    aggregateCode: r.aggregate_code,
    sellerId: r.seller_id,
    actor: r.actor,
    data: r.data,
    occurredAt: new Date(r.occurred_at),
  };
}

/**
 * Writes events from inside a flush (a MikroORM `onFlush` subscriber that derives events from
 * the entities being changed): they are added to the same unit of work, so they are inserted
 * in the flush's transaction together with the change.
 */
export function recordEventsInFlush(uow: { computeChangeSet(entity: object): void }, events: readonly NewEvent[]): void {
  for (const e of events) {
    const row = Object.assign(new DomainEvent(), {
      id: randomUUID(),
      type: e.type,
      aggregateType: e.aggregate.type,
      aggregateId: e.aggregate.id,
      aggregateCode: e.aggregate.code ?? null,
      sellerId: e.sellerId ?? null,
      actor: { ...e.actor },
      data: e.data ?? {},
    });
    uow.computeChangeSet(row);
  }
}
