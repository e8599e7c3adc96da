import { Entity, Enum, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../db/base.entity.js';

export enum ClaimStatus {
  /** Someone holds the key (until `leaseUntil`), or held it and stopped mid-way (past it). */
  IN_PROGRESS = 'IN_PROGRESS',
  /** The operation committed; `result` answers every repeat. */
  COMPLETED = 'COMPLETED',
}

/**
 * One idempotency key of a money-moving operation (checkout, a payment release, returns'
 * refunds, payouts), see claims.ts. Written and fenced with plain SQL there; the entity exists
 * for the migration and for reading.
 */
@Entity({ tableName: 'idempotency_claim' })
@Unique({ name: 'idempotency_claim_key_unique', properties: ['scope', 'key'] })
@Index({
  name: 'idempotency_claim_lease',
  expression: `create index "idempotency_claim_lease" on "idempotency_claim" ("lease_until") where "status" = 'IN_PROGRESS'`,
})
export class IdempotencyClaim extends BaseEntity {
  /** Which operation the key belongs to (`checkout`, `payment-release`, …): keys are unique per scope. */
  @Property({ type: 'string', length: 40 })
  scope!: string;

  @Property({ type: 'string', length: 200 })
  key!: string;

  /** What the key stands for (a digest of the request): the same key for another request is a CONFLICT. */
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  @Enum({ items: () => ClaimStatus })
  status!: ClaimStatus;

  /** The current holder's fencing token: every write of a holder names it, so one taken over writes nothing. */
  @Property({ type: 'uuid' })
  holder!: string;

  /** 1 for the first holder, one more per take-over. */
  @Property({ type: 'integer', default: 1 })
  attempt: Opt<number> = 1;

  /** Until when the holder is presumed alive; past it, the next replay or the recovery pass takes over. */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  /** What a recovery needs to finish or undo the operation without its caller (JSON). */
  @Property({ type: 'json', nullable: true })
  payload?: unknown;

  /** The answer repeats get once COMPLETED (JSON). */
  @Property({ type: 'json', nullable: true })
  result?: unknown;

  /** What the operation is about, for operators (a cart id, a payment transaction id). */
  @Property({ type: 'string', length: 100, nullable: true })
  subject?: string | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
