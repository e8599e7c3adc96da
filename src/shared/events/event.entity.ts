import { BigIntType, Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * One state change of the domain (an order invoiced, a return approved, stock changed …),
 * written in the same transaction as the change. E-mails, change feeds, webhooks and the audit
 * log all read from here, so a change and its consequences commit or roll back together.
 *
 * Written with the unit of work of the change (recordEvents), read with plain SQL (readEvents).
 * `position` is drawn from a sequence when the row is inserted, so positions of transactions that commit out of order arrive out of order: readers therefore follow
 * (txid, position) below the oldest transaction still running (see readEvents).
 */
@Entity({ tableName: 'domain_event' })
@Index({ name: 'domain_event_feed', properties: ['txid', 'position'] })
@Index({ name: 'domain_event_aggregate', properties: ['aggregateType', 'aggregateId'] })
@Index({ name: 'domain_event_seller', properties: ['sellerId', 'txid', 'position'] })
export class DomainEvent {
  /**
   * Stable id of the event, e.g. the webhook-id a receiver deduplicates on. The key, made by the
   * app, so an event needs nothing back from its insert (a flush sent as one statement,
   * shared/db/together.ts, reads nothing back).
   */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: new BigIntType('string'), autoincrement: true, unique: 'domain_event_position_unique' })
  position?: string;

  /** `<aggregate>.<what happened>`, e.g. `order.invoiced`. */
  @Property({ type: 'string', length: 60 })
  type!: string;

  @Property({ type: 'string', length: 30 })
  aggregateType!: string;

  @Property({ type: 'uuid' })
  aggregateId!: string;

  /** The code people and ERPs know it by (order or return code), when it has one. */
  @Property({ type: 'string', length: 60, nullable: true })
  aggregateCode?: string | null;

  /** The seller whose data this is, for scoping feeds and webhooks; null for store-wide events. */
  @Property({ type: 'uuid', nullable: true })
  sellerId?: string | null;

  /** Who caused it: kind, id and a display name; never a token or personal data beyond a name. */
  @Property({ type: 'json' })
  actor!: Record<string, unknown>;

  /** What changed (the event's own facts); readers fetch the object for the rest. */
  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  occurredAt: Opt<Date> = new Date();

  /** The writing transaction's id (xid8), set by PostgreSQL: readers only pass events below the oldest running one. */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txid?: string;
}

/** How far a background consumer of events (e-mails, webhooks) has read, and its last failure. */
@Entity({ tableName: 'event_consumer' })
export class EventConsumerState {
  @PrimaryKey({ type: 'string', length: 60 })
  name!: string;

  @Property({ type: 'string', columnType: 'xid8', nullable: true })
  lastTxid?: string | null;

  @Property({ type: new BigIntType('string'), nullable: true })
  lastPosition?: string | null;

  @Property({ type: 'integer', default: 0 })
  failures!: number;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt!: Date;
}
