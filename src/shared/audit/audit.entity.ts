import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * One change to an audited entity: who (user or integration; an operator acting on a
 * seller's data is marked with that seller), what (entity, id, code), when, and the changed
 * fields before and after. Written by AuditSubscriber inside the flush of the change, so it
 * commits or rolls back with it. Secrets (hashes, tokens, sealed secrets, bank data) are
 * never copied here: they show as "[redacted]".
 */
@Entity({ tableName: 'audit_entry' })
@Index({ name: 'audit_entry_seller_at', properties: ['sellerId', 'at'] })
@Index({ name: 'audit_entry_entity', properties: ['entityType', 'entityId'] })
@Index({ name: 'audit_entry_at', properties: ['at'] })
export class AuditEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Opt<Date> = new Date();

  /** USER kinds (OPERATOR, SELLER, CUSTOMER), INTEGRATION, ANONYMOUS or SYSTEM. */
  @Property({ type: 'string', length: 20 })
  actorKind!: string;

  /** The user's or integration's id. */
  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  /** The user's or integration's name, or the system part. */
  @Property({ type: 'string', length: 200, nullable: true })
  actorName?: string | null;

  /** Operator staff changing a guest seller's data: that seller ("acting for"). */
  @Property({ type: 'uuid', nullable: true })
  actingForSellerId?: string | null;

  /** The seller whose data changed; null for store-wide things (settings, store promotions). */
  @Property({ type: 'uuid', nullable: true })
  sellerId?: string | null;

  /** The kind of thing changed: `product`, `sku`, `order`, `seller`, `user`, `settings` … */
  @Property({ type: 'string', length: 40 })
  entityType!: string;

  @Property({ type: 'string', length: 64 })
  entityId!: string;

  @Property({ type: 'string', length: 120, nullable: true })
  entityCode?: string | null;

  /** CREATE, UPDATE or DELETE. */
  @Property({ type: 'string', length: 10 })
  action!: string;

  /** field → { before, after } of every changed field (before null on CREATE, after null on DELETE). */
  @Property({ type: 'json' })
  changes!: Record<string, { before: unknown; after: unknown }>;
}
