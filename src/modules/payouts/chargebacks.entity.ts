import { Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { ChargebackBearer, Seller } from '../sellers/index.js';
import { Order } from '../orders/index.js';

export enum ChargebackStatus {
  /** The issuer holds the money. */
  OPEN = 'OPEN',
  /** The dispute was won: what it took was credited back. */
  REVERSED = 'REVERSED',
}

export enum ChargebackSource {
  /** A card or Pix provider's notification. */
  PROVIDER = 'PROVIDER',
  /** Entered by operator staff from the acquirer's report. */
  OPERATOR = 'OPERATOR',
}

/**
 * A chargeback of one payment part, split over the orders that part paid by the largest
 * remainder of their unrefunded totals, and debited (CHARGEBACK ledger entries) to whoever
 * the store rule said bore it when it arrived. At most one is OPEN per part (a partial unique
 * index): after a won dispute the part is paid again, and the issuer may charge it back again.
 */
@Entity({ tableName: 'chargeback' })
@Unique({
  name: 'chargeback_part_open_unique',
  expression: `create unique index "chargeback_part_open_unique" on "chargeback" ("transaction_id", "part_index") where "status" = 'OPEN'`,
})
export class Chargeback extends BaseEntity {
  @Property({ type: 'uuid' })
  transactionId!: string;

  @Property({ type: 'uuid', index: 'chargeback_cart_id' })
  cartId!: string;

  @Property({ type: 'string', length: 40 })
  cartNumber!: string;

  @Property({ type: 'integer' })
  partIndex!: number;

  @Property({ type: 'string', length: 20 })
  method!: string;

  @Property({ type: 'string', length: 20, nullable: true })
  provider?: string | null;

  @Property({ type: new CentsType() })
  amountCents!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Enum({ items: () => ChargebackBearer })
  bearer!: ChargebackBearer;

  @Enum({ items: () => ChargebackStatus })
  status!: ChargebackStatus;

  @Enum({ items: () => ChargebackSource })
  source!: ChargebackSource;

  /** The provider event or the operator's idempotency key. */
  @Property({ type: 'string', length: 250 })
  reference!: string;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  reversedAt?: Date | null;
}

/** One order's share of a chargeback. */
@Entity({ tableName: 'chargeback_share' })
export class ChargebackShare extends BaseEntity {
  @ManyToOne({ entity: () => Chargeback, ref: true, index: true, deleteRule: 'cascade' })
  chargeback!: Ref<Chargeback>;

  @ManyToOne({ entity: () => Order, ref: true, index: true, deleteRule: 'restrict' })
  order!: Ref<Order>;

  @ManyToOne({ entity: () => Seller, ref: true, index: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  @Property({ type: new CentsType() })
  amountCents!: number;
}
