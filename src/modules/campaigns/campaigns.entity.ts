import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Sku } from '../catalog/index.js';
import { Seller } from '../sellers/index.js';

/** What a campaign discounts. */
export enum CampaignKind {
  /** The price of the joined SKUs, however the cart is paid. */
  PRICE = 'PRICE',
  /** The cash ("à vista") price: only when the whole cart is paid at once (Pix, bank deposit, cards in one installment). */
  CASH_PRICE = 'CASH_PRICE',
  /** The price, only when the whole cart is paid by `paymentMethod`. */
  PAYMENT_METHOD = 'PAYMENT_METHOD',
  /** The freight of the joining seller's order (when it holds a joined SKU); the seller funds it. */
  FREIGHT = 'FREIGHT',
}

/** How a discount is measured: basis points of the price (or freight), or centavos per unit (per order for freight). */
export enum CampaignDiscountType {
  PERCENTAGE = 'PERCENTAGE',
  FIXED = 'FIXED',
}

/** The method a PAYMENT_METHOD campaign is tied to. */
export enum CampaignPaymentMethod {
  PIX = 'PIX',
  BANK_DEPOSIT = 'BANK_DEPOSIT',
  /** A credit card, any number of installments. */
  CARD = 'CARD',
}

/** Who bears a campaign's discount. */
export enum CampaignFunding {
  SELLER = 'SELLER',
  /** The operator bears `operatorSharePercent` of it, the seller the rest. */
  SHARED = 'SHARED',
}

/**
 * An operator-run campaign sellers opt into (design.md, Campaigns). Its phase is derived from
 * `publishedAt` and the period against the clock: DRAFT (not published) → OPEN for joining
 * (published, before `startsAt`) → RUNNING (startsAt ≤ now < endsAt) → ENDED. Prices revert
 * at `endsAt` by themselves: nothing has to run.
 */
@Entity({ tableName: 'campaign' })
@Check({ name: 'campaign_period', expression: '"ends_at" > "starts_at"' })
@Check({ name: 'campaign_bounds', expression: '"min_discount" >= 1 and "max_discount" >= "min_discount"' })
@Check({
  name: 'campaign_funding_share',
  expression: "(funding = 'SHARED' and operator_share_percent >= 1 and operator_share_percent <= 99) or (funding <> 'SHARED' and operator_share_percent is null)",
})
@Index({ name: 'campaign_period_index', properties: ['startsAt', 'endsAt'] })
export class Campaign extends BaseEntity {
  @Property({ type: 'string', length: 120 })
  name!: string;

  @Enum({ items: () => CampaignKind })
  kind!: CampaignKind;

  @Enum({ items: () => CampaignPaymentMethod, nullable: true })
  paymentMethod?: CampaignPaymentMethod | null;

  @Enum({ items: () => CampaignDiscountType })
  discountType!: CampaignDiscountType;

  /** Bounds of the discount a seller may choose: basis points (PERCENTAGE) or centavos (FIXED). */
  @Property({ type: new CentsType() })
  minDiscount!: number;

  @Property({ type: new CentsType() })
  maxDiscount!: number;

  @Enum({ items: () => CampaignFunding })
  funding!: CampaignFunding;

  /** SHARED only: the operator's part, 1–99 percent. */
  @Property({ type: 'integer', nullable: true })
  operatorSharePercent?: number | null;

  /** Inclusive. */
  @Property({ type: 'datetime' })
  startsAt!: Date;

  /** Exclusive: a checkout at this instant pays list price. */
  @Property({ type: 'datetime' })
  endsAt!: Date;

  /** Guest sellers that may join; empty: every guest seller. */
  @Property({ type: 'json' })
  sellerIds: Opt<string[]> = [];

  /** Categories whose products may join (a product in a sub-category counts); empty: any. */
  @Property({ type: 'json' })
  categoryIds: Opt<string[]> = [];

  /** How many SKUs one seller may join with; null: no cap. */
  @Property({ type: 'integer', nullable: true })
  maxSkusPerSeller?: number | null;

  /** Null while a draft; set when the operator opens it for joining. */
  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;
}

/**
 * One SKU a seller joined a campaign with, and the discount it chose (within the campaign's
 * bounds). A SKU is in a campaign once.
 */
@Entity({ tableName: 'campaign_sku' })
@Unique({ name: 'campaign_sku_once', properties: ['campaign', 'sku'] })
@Index({ name: 'campaign_sku_by_sku', properties: ['sku'] })
@Index({ name: 'campaign_sku_by_seller', properties: ['campaign', 'seller'] })
export class CampaignSku extends BaseEntity {
  @ManyToOne({ entity: () => Campaign, ref: true, deleteRule: 'cascade' })
  campaign!: Ref<Campaign>;

  @ManyToOne({ entity: () => Seller, ref: true, deleteRule: 'restrict' })
  seller!: Ref<Seller>;

  @ManyToOne({ entity: () => Sku, ref: true, deleteRule: 'cascade' })
  sku!: Ref<Sku>;

  /** Basis points or centavos, as the campaign's discountType says. */
  @Property({ type: new CentsType() })
  discount!: number;
}
