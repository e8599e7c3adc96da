import { Check, Embeddable, Embedded, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { User } from '../auth/index.js';
import { Sku } from '../catalog/index.js';
import { DocumentType } from '../sellers/index.js';

export enum CartStatus {
  OPEN = 'OPEN',
  /** Set by the checkout; a checked-out cart refuses every change. */
  CHECKED_OUT = 'CHECKED_OUT',
}

/** Who buys: required before checkout. Stored normalised (e-mail lower-cased, document and phone digits only). */
@Embeddable()
export class CartBuyer {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Enum({ items: () => DocumentType })
  documentType!: DocumentType;

  /** CPF or CNPJ (numeric or alphanumeric), check digits verified. */
  @Property({ type: 'string', length: 14 })
  document!: string;

  /** Area code + number, 10 or 11 digits. */
  @Property({ type: 'string', length: 11 })
  phone!: string;
}

/** Where the whole cart is delivered (one freight quote, every order ships there). */
@Embeddable()
export class CartAddress {
  @Property({ type: 'string', length: 200 })
  recipient!: string;

  @Property({ type: 'string', length: 200 })
  street!: string;

  @Property({ type: 'string', length: 20 })
  number!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  complement?: string | null;

  @Property({ type: 'string', length: 100 })
  district!: string;

  @Property({ type: 'string', length: 100 })
  city!: string;

  /** UF, two upper-case letters. */
  @Property({ type: 'string', length: 2 })
  state!: string;

  /** CEP, 8 digits. */
  @Property({ type: 'string', length: 8 })
  postalCode!: string;
}

/**
 * A shopping cart. It is reached by an opaque token (`mkc_…`) handed out once by createCart;
 * only its SHA-256 is stored, like session tokens, so a database read never yields a usable
 * cart link. `customer` is set for a signed-in shopper's cart and for assisted sales, where
 * `createdBy` records the sales agent.
 */
@Entity({ tableName: 'cart' })
@Index({ name: 'cart_customer_open', properties: ['customer', 'status', 'createdAt'] })
export class Cart extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'cart_token_hash_unique' })
  tokenHash!: string;

  @ManyToOne({ entity: () => User, nullable: true, ref: true, deleteRule: 'set null' })
  customer?: Ref<User> | null;

  /** The operator's sales agent who built the cart for the customer (venda assistida). */
  @ManyToOne({ entity: () => User, nullable: true, ref: true, index: true, deleteRule: 'set null' })
  createdBy?: Ref<User> | null;

  @Enum({ items: () => CartStatus, default: CartStatus.OPEN })
  status: Opt<CartStatus> = CartStatus.OPEN;

  @Embedded({ entity: () => CartBuyer, nullable: true, prefix: 'buyer_' })
  buyer?: CartBuyer | null;

  @Embedded({ entity: () => CartAddress, nullable: true, prefix: 'address_' })
  shippingAddress?: CartAddress | null;

  /** Normalised coupon code (checked by applyVoucher; re-evaluated on every view and at checkout). */
  @Property({ type: 'string', length: 40, nullable: true })
  voucherCode?: string | null;

  /** The chosen shipping option, by (carrier, method); re-quoted on every view. */
  @Property({ type: 'string', length: 100, nullable: true })
  shippingCarrier?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  shippingMethod?: string | null;

  @Property({ type: 'datetime', nullable: true })
  checkedOutAt?: Date | null;
}

/**
 * One SKU in a cart. `unitPriceCents` is the price the shopper last saw (when the line was
 * added or updated): the cart shows current prices, and the checkout compares the two to
 * report PRICE_CHANGED instead of charging a figure the shopper never saw.
 */
@Entity({ tableName: 'cart_line' })
@Unique({ name: 'cart_line_sku_unique', properties: ['cart', 'sku'] })
@Check({ name: 'cart_line_quantity_range', expression: '"quantity" >= 1 and "quantity" <= 999' })
@Check({ name: 'cart_line_unit_price_not_negative', expression: '"unit_price_cents" >= 0' })
export class CartLine extends BaseEntity {
  @ManyToOne({ entity: () => Cart, ref: true, deleteRule: 'cascade' })
  cart!: Ref<Cart>;

  @ManyToOne({ entity: () => Sku, ref: true, index: true, deleteRule: 'cascade' })
  sku!: Ref<Sku>;

  @Property({ type: 'integer' })
  quantity!: number;

  /** A SKU price as seen: `integer`, bounded by MAX_UNIT_PRICE_CENTS (shared/money). */
  @Property({ type: 'integer' })
  unitPriceCents!: number;

  /** Order of addition; lines keep it inside their seller group. */
  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;
}
