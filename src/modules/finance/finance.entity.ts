import { randomUUID } from 'node:crypto';
import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Category } from '../catalog/index.js';
import { Seller } from '../sellers/index.js';

/**
 * A commission rate that overrides the store default (MarketplaceSettings.defaultCommissionBps)
 * for a seller, a category (and its descendants), or one seller inside one category. How the
 * rules combine is written once, in commission.service.ts (`commissionRatesFor`).
 *
 * Rules are removed with their seller or category: a rule without its target means nothing,
 * and rates already charged are frozen on the order lines, so history does not depend on them.
 */
@Entity({ tableName: 'commission_rule' })
@Check({ name: 'commission_rule_has_target', expression: '"seller_id" is not null or "category_id" is not null' })
@Check({ name: 'commission_rule_rate_range', expression: '"rate_bps" >= 0 and "rate_bps" <= 10000' })
// One rule per (seller, category) pair, nulls included: "the rule for seller S alone" is unique too.
@Index({
  name: 'commission_rule_target_unique',
  expression: 'create unique index "commission_rule_target_unique" on "commission_rule" ("seller_id", "category_id") nulls not distinct',
})
export class CommissionRule extends BaseEntity {
  @ManyToOne({ entity: () => Seller, nullable: true, ref: true, index: true, deleteRule: 'cascade' })
  seller?: Ref<Seller> | null;

  @ManyToOne({ entity: () => Category, nullable: true, ref: true, index: true, deleteRule: 'cascade' })
  category?: Ref<Category> | null;

  /** Basis points: 1250 = 12.5%. */
  @Property({ type: 'integer' })
  rateBps!: number;
}

/** What happened, for each journal entry. With `reference`, it makes posting idempotent. */
export enum LedgerEntryKind {
  CHECKOUT = 'CHECKOUT',
  CAPTURE = 'CAPTURE',
  CANCELLATION = 'CANCELLATION',
  /** Item unavailable: some units of an order cancelled before shipping (their checkout lines reversed). */
  LINE_CANCELLATION = 'LINE_CANCELLATION',
  /** An order edited before shipping: removed units reversed, added lines booked like a checkout. */
  EDIT = 'EDIT',
  REFUND = 'REFUND',
  VOID = 'VOID',
  RETURN = 'RETURN',
  CHARGEBACK = 'CHARGEBACK',
  PAYOUT = 'PAYOUT',
  ADJUSTMENT = 'ADJUSTMENT',
}

/**
 * The chart of accounts. Debits raise asset and expense accounts, credits raise liability and
 * revenue accounts; every entry nets to zero, so the balances below always add up.
 *
 * Typical entries (written by the modules that own each event):
 * - checkout, per order: Dr CUSTOMER (order total) + Dr COMMISSION_REVENUE (operator-funded
 *   discount: the operator's cost, netted against its revenue) = Cr SELLER_PAYABLE (seller
 *   receivable) + Cr COMMISSION_REVENUE (commission) + Cr FREIGHT_REVENUE. Per cart, the net
 *   credits to sellers, commission and freight therefore equal what is captured.
 * - capture: Dr PAYMENT_PROVIDER / Cr CUSTOMER (the captured amount); gift-card tender:
 *   Dr GIFT_CARD / Cr CUSTOMER.
 * - cancellation / line cancellation / return: the checkout lines of that order reversed for
 *   what goes back (the units' frozen receivable, commission and operator-funded discount; the
 *   freight only with a whole cancellation, or a return whose freight the operator refunds).
 * - edit: removed units reversed as above, added lines booked as at checkout.
 * - refund: Dr CUSTOMER / Cr PAYMENT_PROVIDER; chargeback the same with kind CHARGEBACK.
 * - payout: Dr SELLER_PAYABLE / Cr PAYMENT_PROVIDER (money leaves for the seller's bank).
 */
export enum LedgerAccount {
  /** Asset: what shoppers owe for placed orders, settled by capture or gift card. */
  CUSTOMER = 'CUSTOMER',
  /** Asset: money captured and held at the payment provider. */
  PAYMENT_PROVIDER = 'PAYMENT_PROVIDER',
  /** Liability, per seller: what the store owes the seller (its receivable). */
  SELLER_PAYABLE = 'SELLER_PAYABLE',
  /** Revenue: the operator's commission on sellers' merchandise, net of the discounts the operator funds. */
  COMMISSION_REVENUE = 'COMMISSION_REVENUE',
  /** Revenue: freight charged to shoppers (the operator's carriers ship). */
  FREIGHT_REVENUE = 'FREIGHT_REVENUE',
  /** Liability: stored value (gift cards); used as tender it is debited. */
  GIFT_CARD = 'GIFT_CARD',
}

/**
 * One journal entry: a set of lines whose debits equal their credits. Append-only (no
 * updatedAt): a correction is a new ADJUSTMENT entry, never an edit. (kind, reference) is
 * unique, so the same event can never be posted twice.
 *
 * cartId and orderId are plain UUIDs rather than foreign keys: the ledger outlives and sits
 * below the cart and order tables, and it is written by whichever module owns the event.
 */
@Entity({ tableName: 'ledger_entry' })
@Unique({ name: 'ledger_entry_kind_reference_unique', properties: ['kind', 'reference'] })
@Index({ name: 'ledger_entry_created', properties: ['createdAt', 'id'] })
export class LedgerEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => LedgerEntryKind })
  kind!: LedgerEntryKind;

  /** The event's own identity, e.g. the payment transaction id for a capture. */
  @Property({ type: 'string', length: 200 })
  reference!: string;

  @Property({ type: 'uuid', nullable: true, index: 'ledger_entry_cart_id' })
  cartId?: string | null;

  @Property({ type: 'string', length: 40, nullable: true, index: 'ledger_entry_cart_number' })
  cartNumber?: string | null;

  @Property({ type: 'uuid', nullable: true, index: 'ledger_entry_order_id' })
  orderId?: string | null;

  @Property({ type: 'text', nullable: true })
  memo?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @OneToMany({ entity: () => LedgerLine, mappedBy: 'entry', orderBy: { position: 'asc' } })
  lines = new Collection<LedgerLine>(this);
}

/** One side of a journal entry: exactly one of debit and credit is positive. */
@Entity({ tableName: 'ledger_line' })
@Check({ name: 'ledger_line_one_side', expression: '("debit" > 0 and "credit" = 0) or ("credit" > 0 and "debit" = 0)' })
@Check({ name: 'ledger_line_seller_payable_has_seller', expression: `"account" <> 'SELLER_PAYABLE' or "seller_id" is not null` })
@Index({ name: 'ledger_line_seller_statement', properties: ['seller', 'account', 'createdAt', 'id'] })
export class LedgerLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => LedgerEntry, ref: true, index: true, deleteRule: 'cascade' })
  entry!: Ref<LedgerEntry>;

  /** Order of the line inside its entry, as posted. */
  @Property({ type: 'smallint' })
  position!: number;

  @Enum({ items: () => LedgerAccount })
  account!: LedgerAccount;

  /**
   * Required on SELLER_PAYABLE (whose balance is per seller); on other accounts it says which
   * seller the amount came from (e.g. the commission charged to that seller), for reports.
   */
  @ManyToOne({ entity: () => Seller, nullable: true, ref: true, deleteRule: 'restrict' })
  seller?: Ref<Seller> | null;

  /** Centavos; bigint because account totals over a store's history outgrow 32 bits. */
  @Property({ type: new CentsType(), default: 0 })
  debit: Opt<number> = 0;

  @Property({ type: new CentsType(), default: 0 })
  credit: Opt<number> = 0;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** The entry's time, repeated so a seller's statement pages over its lines without a join. */
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
