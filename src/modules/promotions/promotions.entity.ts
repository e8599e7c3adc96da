import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';

export enum PromotionKind {
  /** `value` basis points off the merchandise (1000 = 10%), optionally capped by `maxDiscountCents`. */
  PERCENTAGE = 'PERCENTAGE',
  /** `value` centavos off the merchandise, never more than what is left of it. */
  FIXED = 'FIXED',
  /** The cart's freight is waived; no amount. */
  FREE_SHIPPING = 'FREE_SHIPPING',
  /** Store-wide "à vista" discount: `value` basis points when the cart is paid with `paymentMethod` alone. */
  PAYMENT_METHOD = 'PAYMENT_METHOD',
}

/** The "à vista" ways to pay that a PAYMENT_METHOD promotion can reward. */
export enum PromotionPaymentMethod {
  PIX = 'PIX',
  BANK_DEPOSIT = 'BANK_DEPOSIT',
  /** A credit card in one installment. */
  CARD_ONE_INSTALLMENT = 'CARD_ONE_INSTALLMENT',
}

/** Who bears a discount's cost: it lowers the commission base only for the seller-funded part. */
export enum FundedByKind {
  OPERATOR = 'OPERATOR',
  SELLER = 'SELLER',
  SHARED = 'SHARED',
}

/**
 * A store-wide promotion, created only by operator staff. Without `code` it is automatic and
 * applies to every qualifying cart; with one it is a coupon the shopper types. Codes are
 * stored upper-case, so the plain unique index makes them unique ignoring case.
 */
@Entity({ tableName: 'promotion' })
@Check({ name: 'promotion_code_upper', expression: 'code is null or code = upper(code)' })
@Check({ name: 'promotion_usage_within_limit', expression: 'usage_limit is null or usage_count <= usage_limit' })
@Check({
  name: 'promotion_seller_share',
  expression: "(funded_by = 'SHARED' and seller_share_percent >= 1 and seller_share_percent <= 99) or (funded_by <> 'SHARED' and seller_share_percent is null)",
})
// Operators list newest first; pagination appends the id ascending.
@Index({ name: 'promotion_listing', expression: 'create index "promotion_listing" on "promotion" ("created_at" desc, "id")' })
export class Promotion extends BaseEntity {
  @Property({ type: 'string', length: 120 })
  name!: string;

  @Enum({ items: () => PromotionKind })
  kind!: PromotionKind;

  /** Basis points (PERCENTAGE, PAYMENT_METHOD) or centavos (FIXED: hence bigint); null for FREE_SHIPPING. */
  @Property({ type: new CentsType(), nullable: true })
  value?: number | null;

  @Enum({ items: () => PromotionPaymentMethod, nullable: true })
  paymentMethod?: PromotionPaymentMethod | null;

  @Property({ type: 'string', length: 40, nullable: true })
  @Unique({ name: 'promotion_code_unique' })
  code?: string | null;

  /** "Purchase above X": the cart's merchandise before vouchers and without freight must reach it. */
  @Property({ type: new CentsType(), nullable: true })
  minMerchandiseCents?: number | null;

  /** Upper bound of a percentage discount, in centavos. */
  @Property({ type: new CentsType(), nullable: true })
  maxDiscountCents?: number | null;

  /** Valid from (inclusive); null: as soon as it is active. */
  @Property({ type: 'datetime', nullable: true })
  startsAt?: Date | null;

  /** Valid until (exclusive); null: no end. */
  @Property({ type: 'datetime', nullable: true })
  endsAt?: Date | null;

  /** Total redemptions allowed; null: unlimited. */
  @Property({ type: 'integer', nullable: true })
  usageLimit?: number | null;

  /** Redemptions allowed per signed-in customer; null: no per-customer limit. */
  @Property({ type: 'integer', nullable: true })
  perCustomerLimit?: number | null;

  /** Redemptions so far, incremented at checkout by a guarded UPDATE (redeemPromotions). */
  @Property({ type: 'integer', default: 0 })
  usageCount: Opt<number> = 0;

  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  @Enum({ items: () => FundedByKind, default: FundedByKind.OPERATOR })
  fundedBy: Opt<FundedByKind> = FundedByKind.OPERATOR;

  /** The seller's part of a SHARED discount, 1–99 percent; null otherwise. */
  @Property({ type: 'integer', nullable: true })
  sellerSharePercent?: number | null;
}

/**
 * One use of a promotion by one cart at checkout. The cart and the customer are plain ids:
 * carts belong to the carts module, and the redemption must outlive either.
 */
@Entity({ tableName: 'promotion_redemption' })
@Unique({ name: 'promotion_redemption_once_per_cart', properties: ['promotion', 'cartId'] })
@Index({ name: 'promotion_redemption_by_customer', properties: ['promotion', 'customerId'] })
export class PromotionRedemption extends BaseEntity {
  @ManyToOne({ entity: () => Promotion, ref: true, deleteRule: 'restrict' })
  promotion!: Ref<Promotion>;

  @Property({ type: 'uuid' })
  cartId!: string;

  @Property({ type: 'uuid', nullable: true })
  customerId?: string | null;
}
