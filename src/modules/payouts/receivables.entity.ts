import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Seller } from '../sellers/index.js';
import { Order } from '../orders/index.js';

/**
 * The stored life of a receivable. AVAILABLE is not stored: a SCHEDULED receivable is
 * available from its `availableOn` date on (in the store's time zone), read at the moment of
 * asking — so a receivable becomes available at midnight without a job having to run.
 */
export enum ReceivableStatus {
  /** The order is not approved yet (payment or fraud review pending). */
  PENDING = 'PENDING',
  /** Approved; `availableOn` is set once the order ships (fallback) and delivers (settlement rule). */
  SCHEDULED = 'SCHEDULED',
  /** Paid inside a payout; later changes (returns, chargebacks) are settled on the next payouts. */
  PAID = 'PAID',
  /** The order was cancelled before anything was paid: nothing is owed. */
  CANCELLED = 'CANCELLED',
}

export enum ReceivableKind {
  /** One per order: the seller's net share of it, as the ledger has it. */
  ORDER = 'ORDER',
  /** One per operator adjustment (a credit or a debit with a reason). */
  ADJUSTMENT = 'ADJUSTMENT',
}

/**
 * A credit or debit operator staff post to a seller, with a reason the seller sees. Booked
 * as a ledger ADJUSTMENT entry in the same transaction, and settled like a receivable: a
 * credit is available at once, a debit is taken from the next payout.
 */
@Entity({ tableName: 'seller_adjustment' })
@Check({ name: 'seller_adjustment_not_zero', expression: '"amount_cents" <> 0' })
export class SellerAdjustment extends BaseEntity {
  @ManyToOne({ entity: () => Seller, ref: true, index: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  /** Positive: credit to the seller; negative: debit. */
  @Property({ type: new CentsType() })
  amountCents!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'string', length: 200 })
  @Unique({ name: 'seller_adjustment_key_unique' })
  idempotencyKey!: string;

  /** The staff member who posted it. */
  @Property({ type: 'uuid', nullable: true })
  createdById?: string | null;
}

/**
 * What a seller is owed for one order (or one adjustment) and where it stands. The amount is
 * not stored: it is the ledger's, the SELLER_PAYABLE credits minus debits of the entries that
 * name the order (checkout, cancellation, returns, chargebacks — whoever posts them), so the
 * receivable follows every money movement without being told. `settledCents` is what payouts
 * have taken of it so far; amount − settled is still owed (negative: a debit on the next payout).
 */
@Entity({ tableName: 'receivable' })
@Check({
  name: 'receivable_kind_target',
  expression: `("kind" = 'ORDER' and "order_id" is not null and "adjustment_id" is null) or ("kind" = 'ADJUSTMENT' and "adjustment_id" is not null and "order_id" is null)`,
})
@Index({ name: 'receivable_seller_status', properties: ['seller', 'status', 'availableOn'] })
export class Receivable extends BaseEntity {
  @ManyToOne({ entity: () => Seller, ref: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  @Enum({ items: () => ReceivableKind })
  kind!: ReceivableKind;

  @ManyToOne({ entity: () => Order, ref: true, nullable: true, deleteRule: 'restrict', unique: 'receivable_order_unique' })
  order?: Ref<Order> | null;

  @ManyToOne({ entity: () => SellerAdjustment, ref: true, nullable: true, deleteRule: 'restrict', unique: 'receivable_adjustment_unique' })
  adjustment?: Ref<SellerAdjustment> | null;

  @Enum({ items: () => ReceivableStatus })
  status!: ReceivableStatus;

  /** The date (store time zone) it becomes available; null until the order ships. */
  @Property({ type: 'date', nullable: true })
  availableOn?: string | null;

  /** Taken by payouts that did not fail (positive for credits paid, negative for debits taken). */
  @Property({ type: new CentsType(), default: 0 })
  settledCents: Opt<number> = 0;
}
