import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';

export enum CheckoutAttemptStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}

/**
 * The idempotency record of `checkout`. The key is claimed (unique) before any payment is
 * attempted, so two requests with one key can never both charge; a completed record answers
 * repeats with the same cart number. A failed attempt deletes its record, so the shopper may
 * retry with the same key after fixing the cause (a declined card, a changed price).
 */
@Entity({ tableName: 'checkout_attempt' })
export class CheckoutAttempt extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  @Unique({ name: 'checkout_attempt_key_unique' })
  idempotencyKey!: string;

  /** sha256 of the cart token: the same key with another cart is a CONFLICT. */
  @Property({ type: 'string', length: 64 })
  cartTokenHash!: string;

  @Enum({ items: () => CheckoutAttemptStatus })
  status!: CheckoutAttemptStatus;

  @Property({ type: 'uuid', nullable: true })
  cartId?: string | null;

  @Property({ type: 'string', length: 20, nullable: true })
  cartNumber?: string | null;
}
