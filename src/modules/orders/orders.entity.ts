import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Seller } from '../sellers/index.js';
import { User } from '../auth/index.js';
import { Sku } from '../catalog/index.js';

export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PENDING_FRAUD_REVIEW = 'PENDING_FRAUD_REVIEW',
  APPROVED = 'APPROVED',
  INVOICED = 'INVOICED',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
}

/** Why an order was cancelled: the cancellation service serves every one of these. */
export enum CancellationReason {
  SHOPPER_REQUEST = 'SHOPPER_REQUEST',
  SELLER_REQUEST = 'SELLER_REQUEST',
  OPERATOR_REQUEST = 'OPERATOR_REQUEST',
  FRAUD_REJECTED = 'FRAUD_REJECTED',
  PAYMENT_EXPIRED = 'PAYMENT_EXPIRED',
}

/** Delivery address as the buyer gave it at checkout; frozen, later cart edits do not touch it. */
export interface OrderAddress {
  recipientName: string;
  street: string;
  number: string;
  complement: string | null;
  district: string;
  city: string;
  state: string;
  postalCode: string;
}

/**
 * One seller's part of a checked-out cart. Every figure is frozen at checkout (design.md:
 * splits are computed once; refunds and payouts use these, nothing is re-prorated). Units
 * cancelled or edited out before shipping take their lines' frozen figures out of the
 * order's, so the order's figures are always the sum of what it still holds; returns leave
 * them as they are (the return keeps what it refunded).
 * Invariant (checked by the database): total = merchandise − discount + freight.
 */
@Entity({ tableName: 'order' })
@Check({ name: 'order_total_adds_up', expression: '"total_cents" = "merchandise_cents" - "discount_cents" + "freight_cents"' })
@Unique({ name: 'order_cart_position_unique', properties: ['cartId', 'position'] })
// Order search (orders.service orderSearch): each filter has an index, so a search stays an
// index lookup on a large store; name search is by prefix, which a pattern index serves.
@Index({ name: 'order_seller_placed_index', properties: ['seller', 'placedAt'] })
@Index({ name: 'order_buyer_document_index', properties: ['buyerDocument'] })
@Index({ name: 'order_buyer_email_index', properties: ['buyerEmail'] })
@Index({ name: 'order_updated_at_index', properties: ['updatedAt'] })
@Index({ name: 'order_agent_index', properties: ['agent'] })
@Index({ name: 'order_buyer_name_prefix', expression: 'create index "order_buyer_name_prefix" on "order" (lower("buyer_name") text_pattern_ops)' })
@Index({ name: 'order_postal_code_index', expression: `create index "order_postal_code_index" on "order" (("shipping_address"->>'postalCode'))` })
export class Order extends BaseEntity {
  /** `[<concat>-]<cartNumber>-<n>`, unique store-wide. */
  @Property({ type: 'string', length: 40 })
  @Unique({ name: 'order_code_unique' })
  code!: string;

  @Property({ type: 'uuid' })
  @Index({ name: 'order_cart_id_index' })
  cartId!: string;

  /** The middle of the code, shared by every order of the cart. */
  @Property({ type: 'string', length: 20 })
  @Index({ name: 'order_cart_number_index' })
  cartNumber!: string;

  /** `n`: 1 for the admin seller's order when there is one, then guest sellers by concatenation code. */
  @Property({ type: 'integer' })
  position!: number;

  @ManyToOne({ entity: () => Seller, ref: true, deleteRule: 'restrict' })
  @Index({ name: 'order_seller_created_index', properties: ['seller', 'createdAt'] })
  seller!: Ref<Seller>;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true, deleteRule: 'set null' })
  customer?: Ref<User> | null;

  /** The sales agent who built the cart (assisted sale). */
  @ManyToOne({ entity: () => User, ref: true, nullable: true, deleteRule: 'set null' })
  agent?: Ref<User> | null;

  @Enum({ items: () => OrderStatus })
  @Index({ name: 'order_status_index' })
  status!: OrderStatus;

  @Property({ type: 'string', length: 200 })
  buyerName!: string;

  @Property({ type: 'string', length: 320 })
  buyerEmail!: string;

  @Property({ type: 'string', length: 14 })
  buyerDocument!: string;

  @Property({ type: 'string', length: 20 })
  buyerPhone!: string;

  @Property({ type: 'json' })
  shippingAddress!: OrderAddress;

  @Property({ type: 'string', length: 100 })
  shippingCarrier!: string;

  @Property({ type: 'string', length: 100 })
  shippingMethod!: string;

  @Property({ type: 'integer' })
  shippingDays!: number;

  /** TABLE, CARRIER, CONTINGENCY or RULE: where the cart's freight quote came from. */
  @Property({ type: 'string', length: 20 })
  shippingSource!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: new CentsType() })
  merchandiseCents!: number;

  @Property({ type: new CentsType() })
  discountCents!: number;

  /** The part of the discount share the seller pays for (fundedBy SELLER / SHARED). */
  @Property({ type: new CentsType() })
  sellerFundedDiscountCents!: number;

  @Property({ type: new CentsType() })
  freightCents!: number;

  /** Campaign line discounts of its lines (a part of discountCents), frozen at checkout. */
  @Property({ type: new CentsType(), default: 0 })
  campaignDiscountCents: Opt<number> = 0;

  /**
   * What a freight campaign took off this order's freight (a part of discountCents, funded by
   * the seller): the buyer pays freightCents − this for freight, the operator's freight revenue
   * stays freightCents.
   */
  @Property({ type: new CentsType(), default: 0 })
  freightDiscountCents: Opt<number> = 0;

  /** The freight campaign that discounted it (campaigns module), kept as a plain id. */
  @Property({ type: 'uuid', nullable: true })
  freightCampaignId?: string | null;

  @Property({ type: new CentsType() })
  totalCents!: number;

  @Property({ type: 'integer' })
  weightGrams!: number;

  @Property({ type: new CentsType() })
  commissionCents!: number;

  /** What the seller is owed for this order: commission base − commission. */
  @Property({ type: new CentsType() })
  sellerReceivableCents!: number;

  @Property({ type: 'datetime' })
  placedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date | null;

  /** When its NF-e was issued (fulfilment). */
  @Property({ type: 'datetime', nullable: true })
  invoicedAt?: Date | null;

  /** When it left with the carrier. */
  @Property({ type: 'datetime', nullable: true })
  shippedAt?: Date | null;

  /** When the buyer received it: the return window and the seller's settlement count from here. */
  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;

  @Enum({ items: () => CancellationReason, nullable: true })
  cancellationReason?: CancellationReason | null;

  @Property({ type: 'text', nullable: true })
  cancellationNote?: string | null;

  /**
   * An exchange's replacement order: the order whose return it replaces. It has a fresh cart
   * number, moves no money and carries no receivable (the original order's pays the seller).
   */
  @Property({ type: 'uuid', nullable: true, index: 'order_replaces_order_index' })
  replacesOrderId?: string | null;

  /** A replacement order's link to the payment transaction of the order it replaces (checkout orders find theirs by cartId). */
  @Property({ type: 'uuid', nullable: true })
  paymentTransactionId?: string | null;

  @OneToMany({ entity: () => OrderLine, mappedBy: 'order', orderBy: { position: 'asc' } })
  lines = new Collection<OrderLine>(this);
}

/**
 * One SKU of an order with its frozen shares and commission snapshot. The figures never change
 * after checkout (or after the edit that added the line); units taken out later — cancelled
 * because the item was unavailable or removed by an edit (`cancelledQuantity`), refunded or
 * exchanged through a return (`returnedQuantity`) — are counted here, and their money is the
 * line's figures split by quantity (order-money.ts), so the same unit is never refunded twice
 * and the parts of a line always add up to the whole line.
 */
@Entity({ tableName: 'order_line' })
@Check({ name: 'order_line_units_taken_within_quantity', expression: '"cancelled_quantity" >= 0 and "returned_quantity" >= 0 and "cancelled_quantity" + "returned_quantity" <= "quantity"' })
@Check({ name: 'order_line_total_adds_up', expression: '"total_cents" = "merchandise_cents" - "discount_cents" + "freight_cents"' })
@Check({ name: 'order_line_quantity_positive', expression: '"quantity" > 0' })
export class OrderLine extends BaseEntity {
  @ManyToOne({ entity: () => Order, ref: true, index: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Property({ type: 'integer' })
  position!: number;

  @ManyToOne({ entity: () => Sku, ref: true, index: true, deleteRule: 'restrict' })
  sku!: Ref<Sku>;

  /** Displayed SKU code at checkout (`<concat>-<raw>`). */
  @Property({ type: 'string', length: 51 })
  skuCode!: string;

  /** The seller's own (ERP) SKU code. */
  @Property({ type: 'string', length: 40 })
  skuSellerCode!: string;

  @Property({ type: 'string', length: 300 })
  productName!: string;

  @Property({ type: 'uuid', nullable: true })
  categoryId?: string | null;

  @Property({ type: 'integer' })
  quantity!: number;

  /** The SKU price frozen at checkout: `integer`, bounded by MAX_UNIT_PRICE_CENTS (shared/money); the line's figures below are bigint. */
  @Property({ type: 'integer' })
  unitPriceCents!: number;

  @Property({ type: 'integer' })
  weightGrams!: number;

  @Property({ type: new CentsType() })
  merchandiseCents!: number;

  @Property({ type: new CentsType() })
  discountCents!: number;

  @Property({ type: new CentsType() })
  sellerFundedDiscountCents!: number;

  @Property({ type: new CentsType() })
  freightCents!: number;

  /** The running campaign that discounted this line at checkout (campaigns module), kept as a plain id. */
  @Property({ type: 'uuid', nullable: true, index: 'order_line_campaign_index' })
  campaignId?: string | null;

  /** The campaign's line discount (a part of discountCents) and the seller's part of it (a part of sellerFundedDiscountCents). */
  @Property({ type: new CentsType(), default: 0 })
  campaignDiscountCents: Opt<number> = 0;

  @Property({ type: new CentsType(), default: 0 })
  campaignSellerFundedCents: Opt<number> = 0;

  /** The line's part of its order's freight campaign discount (a part of discountCents, seller-funded). */
  @Property({ type: new CentsType(), default: 0 })
  freightDiscountCents: Opt<number> = 0;

  @Property({ type: new CentsType() })
  totalCents!: number;

  /** The commission rate in force at checkout (basis points), frozen. */
  @Property({ type: 'integer' })
  commissionBps!: number;

  /** merchandise − seller-funded discount. */
  @Property({ type: new CentsType() })
  commissionBaseCents!: number;

  @Property({ type: new CentsType() })
  commissionCents!: number;

  @Property({ type: new CentsType() })
  sellerReceivableCents!: number;

  /** Units cancelled before shipping (item unavailable, or removed by an order edit). */
  @Property({ type: 'integer', default: 0 })
  cancelledQuantity: Opt<number> = 0;

  /** Units refunded or exchanged through a return. */
  @Property({ type: 'integer', default: 0 })
  returnedQuantity: Opt<number> = 0;

  /** Merchandise minus discount given back for this line so far (cancelled and returned units). */
  @Property({ type: new CentsType(), default: 0 })
  refundedCents: Opt<number> = 0;

  /** True for a line an order edit added (its discount share is 0). */
  @Property({ type: 'boolean', default: false })
  addedByEdit: Opt<boolean> = false;
}
