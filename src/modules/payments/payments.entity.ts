import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType, INSTALLMENTS_LIMIT } from '../../shared/money/index.js';
import type { PaymentPartMethod } from './payments.split.js';

/**
 * A cart's single payment transaction and its parts, as recorded by the checkout and moved
 * on by captures, releases, provider webhooks and the operator. Figures are integer centavos
 * of `currency`; for every part and for the transaction as a whole:
 *
 *   captured + released ≤ amount        (money received or given up before it arrived)
 *   refunded ≤ captured                 (never give back more than was received)
 *   left to release = amount − released − refunded
 *
 * A card authorization reduced before capture adds to `released` and is captured for the
 * rest; a Pix paid after part of it was released has that part moved from `released` to
 * `refunded` when the money is returned, so the figures above stay true.
 */

export enum PaymentTransactionStatus {
  /** Some part waits for the buyer's money (Pix, bank deposit). */
  PENDING = 'PENDING',
  /** Nothing waits for the buyer; some card authorization is not captured yet. */
  AUTHORIZED = 'AUTHORIZED',
  PAID = 'PAID',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  /** Everything was given up before any money was captured. */
  VOIDED = 'VOIDED',
  /** Unpaid when its time ran out; whatever had been secured was given back. */
  EXPIRED = 'EXPIRED',
}

export enum PaymentPartStatus {
  PENDING = 'PENDING',
  AUTHORIZED = 'AUTHORIZED',
  PAID = 'PAID',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  VOIDED = 'VOIDED',
  EXPIRED = 'EXPIRED',
  /** The issuer took the money back (card dispute, Pix MED). */
  CHARGED_BACK = 'CHARGED_BACK',
}

export const PAYMENT_PART_METHODS: readonly PaymentPartMethod[] = ['PIX', 'CARD', 'BANK_DEPOSIT', 'VOUCHER'];

const FIGURES_VALID = '"amount_cents" > 0 and "captured_cents" >= 0 and "released_cents" >= 0 and "refunded_cents" >= 0';
const REFUNDED_WITHIN_CAPTURED = '"refunded_cents" <= "captured_cents"';
const WITHIN_AMOUNT = '"captured_cents" + "released_cents" <= "amount_cents"';

@Entity({ tableName: 'payment_transaction' })
@Check({ name: 'payment_transaction_figures_valid', expression: FIGURES_VALID })
@Check({ name: 'payment_transaction_refunded_within_captured', expression: REFUNDED_WITHIN_CAPTURED })
@Check({ name: 'payment_transaction_within_amount', expression: WITHIN_AMOUNT })
@Index({
  name: 'payment_transaction_pending_expiry',
  expression: `create index "payment_transaction_pending_expiry" on "payment_transaction" ("expires_at") where "status" = 'PENDING'`,
})
export class PaymentTransaction extends BaseEntity {
  /** The cart it pays; one transaction per cart (no foreign key: carts may be archived independently). */
  @Property({ type: 'uuid' })
  @Unique({ name: 'payment_transaction_cart_unique' })
  cartId!: string;

  @Property({ type: 'string', length: 40 })
  @Unique({ name: 'payment_transaction_cart_number_unique' })
  cartNumber!: string;

  @Enum({ items: () => PaymentTransactionStatus })
  status!: PaymentTransactionStatus;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** The cart's total: the sum of its orders' totals. */
  @Property({ type: new CentsType() })
  amountCents!: number;

  /** Card authorizations obtained at checkout. */
  @Property({ type: new CentsType(), default: 0 })
  authorizedCents: Opt<number> = 0;

  @Property({ type: new CentsType(), default: 0 })
  capturedCents: Opt<number> = 0;

  /** Given up before it was captured (authorizations reduced or voided, unpaid charges cancelled). */
  @Property({ type: new CentsType(), default: 0 })
  releasedCents: Opt<number> = 0;

  /** Given back after capture, chargebacks included. */
  @Property({ type: new CentsType(), default: 0 })
  refundedCents: Opt<number> = 0;

  /** The part of `refundedCents` taken back by issuers rather than refunded by the store. */
  @Property({ type: new CentsType(), default: 0 })
  chargedBackCents: Opt<number> = 0;

  /** When unpaid Pix or deposit parts stop being awaited; null when nothing waits for the buyer. */
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  paidAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  expiredAt?: Date | null;

  @OneToMany({ entity: () => PaymentTransactionPart, mappedBy: 'transaction', orderBy: { index: 'asc' } })
  parts = new Collection<PaymentTransactionPart>(this);
}

/** One tender of a transaction (Pix, a card, a deposit, a gift card), in the order the buyer entered them. */
@Entity({ tableName: 'payment_part' })
@Check({ name: 'payment_part_figures_valid', expression: FIGURES_VALID })
@Check({ name: 'payment_part_refunded_within_captured', expression: REFUNDED_WITHIN_CAPTURED })
@Check({ name: 'payment_part_within_amount', expression: WITHIN_AMOUNT })
@Unique({ name: 'payment_part_position_unique', properties: ['transaction', 'index'] })
@Index({
  name: 'payment_part_provider_ref_unique',
  expression: 'create unique index "payment_part_provider_ref_unique" on "payment_part" ("provider", "provider_ref") where "provider_ref" is not null',
})
@Check({ name: 'payment_part_installments_range', expression: `"installments" >= 1 and "installments" <= ${INSTALLMENTS_LIMIT}` })
export class PaymentTransactionPart extends BaseEntity {
  @ManyToOne({ entity: () => PaymentTransaction, ref: true, deleteRule: 'cascade' })
  transaction!: Ref<PaymentTransaction>;

  @Property({ type: 'integer' })
  index!: number;

  @Enum({ items: () => [...PAYMENT_PART_METHODS] })
  method!: PaymentPartMethod;

  /** The provider holding the charge (the one that took it, even if configuration changes later); null for deposits and gift cards. */
  @Property({ type: 'string', length: 20, nullable: true })
  provider?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  providerRef?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  authorizationCode?: string | null;

  @Enum({ items: () => PaymentPartStatus })
  status!: PaymentPartStatus;

  @Property({ type: new CentsType() })
  amountCents!: number;

  @Property({ type: 'integer', default: 1 })
  installments: Opt<number> = 1;

  @Property({ type: new CentsType(), default: 0 })
  capturedCents: Opt<number> = 0;

  @Property({ type: new CentsType(), default: 0 })
  releasedCents: Opt<number> = 0;

  @Property({ type: new CentsType(), default: 0 })
  refundedCents: Opt<number> = 0;

  /** The part of `refundedCents` the issuer took back (a chargeback still standing); 0 once a dispute is won. */
  @Property({ type: new CentsType(), default: 0 })
  chargedBackCents: Opt<number> = 0;

  // Card display data only: the card itself exists only at the provider, behind its token.
  @Property({ type: 'string', length: 20, nullable: true })
  cardBrand?: string | null;

  @Property({ type: 'string', length: 8, nullable: true })
  cardBin?: string | null;

  @Property({ type: 'string', length: 4, nullable: true })
  cardLast4?: string | null;

  /** Pix "copia e cola" payload. */
  @Property({ type: 'text', nullable: true })
  pixQrCode?: string | null;

  @Property({ type: 'datetime', nullable: true })
  pixExpiresAt?: Date | null;

  /** What the buyer writes on a bank deposit so the operator can match it. */
  @Property({ type: 'string', length: 60, nullable: true })
  depositReference?: string | null;

  @ManyToOne({ entity: () => GiftCard, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  giftCard?: Ref<GiftCard> | null;

  @Property({ type: 'datetime', nullable: true })
  paidAt?: Date | null;
}

/** A provider notification already applied: providers redeliver, and each delivery must count once. */
@Entity({ tableName: 'payment_event_record' })
@Unique({ name: 'payment_event_record_unique', properties: ['provider', 'eventId'] })
export class PaymentEventRecord extends BaseEntity {
  @Property({ type: 'string', length: 20 })
  provider!: string;

  @Property({ type: 'string', length: 200 })
  eventId!: string;

  @Property({ type: 'string', length: 40 })
  type!: string;

  @Property({ type: 'string', length: 100 })
  providerRef!: string;

  @ManyToOne({ entity: () => PaymentTransaction, ref: true, index: true, deleteRule: 'cascade' })
  transaction!: Ref<PaymentTransaction>;

  /** What applying it did, for support ("part 0 paid", "duplicate payment refunded"). */
  @Property({ type: 'text' })
  outcome!: string;
}

export enum PaymentOperationKind {
  RELEASE = 'RELEASE',
  CONFIRM_DEPOSIT = 'CONFIRM_DEPOSIT',
}

/** A money-moving call already made under an idempotency key: repeating it returns `result` and moves nothing. */
@Entity({ tableName: 'payment_operation' })
export class PaymentOperation extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  @Unique({ name: 'payment_operation_key_unique' })
  idempotencyKey!: string;

  @Enum({ items: () => PaymentOperationKind })
  kind!: PaymentOperationKind;

  @ManyToOne({ entity: () => PaymentTransaction, ref: true, index: true, deleteRule: 'cascade' })
  transaction!: Ref<PaymentTransaction>;

  /** The request's own figures, so the same key with another request is refused instead of answered. */
  @Property({ type: 'string', length: 200 })
  request!: string;

  @Property({ type: 'json' })
  result!: unknown;
}

/**
 * Stored value used as tender (payment method "voucher"). The code is a bearer secret: only
 * its SHA-256 is kept, with the last four characters to tell cards apart.
 */
@Entity({ tableName: 'gift_card' })
@Check({ name: 'gift_card_balance_range', expression: '"balance_cents" >= 0 and "balance_cents" <= "initial_cents"' })
export class GiftCard extends BaseEntity {
  @Property({ type: 'string', length: 64, hidden: true })
  @Unique({ name: 'gift_card_code_hash_unique' })
  codeHash!: string;

  @Property({ type: 'string', length: 4 })
  last4!: string;

  @Property({ type: new CentsType() })
  initialCents!: number;

  @Property({ type: new CentsType() })
  balanceCents!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;
}
