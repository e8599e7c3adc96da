import { Entity, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../db/base.entity.js';

/**
 * An item a background pass keeps failing on (a fraud analysis whose capture the provider
 * refuses, an unpaid transaction that cannot be expired, an abandoned idempotency key whose
 * authorization cannot be voided): how often, the last error, when it is tried next, and —
 * once it failed `maxFailures` times — since when it waits for an operator. The row goes away
 * when the item succeeds. See attention.ts.
 */
@Entity({ tableName: 'attention_item' })
@Unique({ name: 'attention_item_subject_unique', properties: ['source', 'subjectId'] })
@Index({ name: 'attention_item_listing', properties: ['attentionSince', 'lastFailedAt'] })
export class AttentionItem extends BaseEntity {
  /** The pass that fails on it: `fraud-resume`, `payment-expiry`, `claim:checkout`, … */
  @Property({ type: 'string', length: 60 })
  source!: string;

  /** The item's id in its own table. */
  @Property({ type: 'string', length: 100 })
  subjectId!: string;

  /** What an operator looks for, e.g. "cart 100231". */
  @Property({ type: 'string', length: 200 })
  label!: string;

  @Property({ type: 'integer', default: 0 })
  failures: Opt<number> = 0;

  @Property({ type: 'text' })
  lastError!: string;

  @Property({ type: 'datetime' })
  firstFailedAt!: Date;

  @Property({ type: 'datetime' })
  lastFailedAt!: Date;

  /** The pass leaves it alone until then (exponential back-off). */
  @Property({ type: 'datetime' })
  nextAttemptAt!: Date;

  /** Set when it reached the bound: listed for operators (`attentionItems`). */
  @Property({ type: 'datetime', nullable: true })
  attentionSince?: Date | null;
}
