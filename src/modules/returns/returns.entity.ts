import { BigIntType, Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { UserRole } from '../../shared/access/index.js';
import { Order, OrderActorKind, OrderLine } from '../orders/index.js';
import { Seller } from '../sellers/index.js';

/** design.md: REQUESTED → APPROVED | REJECTED, APPROVED → RECEIVED → REFUNDED | EXCHANGED. */
export enum ReturnStatus {
  REQUESTED = 'REQUESTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  RECEIVED = 'RECEIVED',
  REFUNDED = 'REFUNDED',
  EXCHANGED = 'EXCHANGED',
}

/** Why the buyer sends the items back. */
export enum ReturnReason {
  /** Changed their mind (direito de arrependimento, CDC art. 49). */
  REGRET = 'REGRET',
  DAMAGED = 'DAMAGED',
  DEFECTIVE = 'DEFECTIVE',
  WRONG_ITEM = 'WRONG_ITEM',
  NOT_AS_DESCRIBED = 'NOT_AS_DESCRIBED',
  /** A size or colour that does not fit: usually ends in an exchange. */
  DOES_NOT_FIT = 'DOES_NOT_FIT',
  OTHER = 'OTHER',
}

/**
 * A return ("devolução"): lines and units of one delivered order going back to its seller,
 * coded `[<concat>-]R<n>` from a store-wide sequence. Its status moves only through the
 * return state machine (return-state.ts), each change kept in its history; it ends refunded
 * (the returned units' frozen merchandise − discount, freight only by operator decision) or in
 * an exchange (a replacement order of the same seller). The order's own figures never move:
 * the return keeps what it gave back, and the order's lines count the units returned.
 */
@Entity({ tableName: 'order_return' })
@Check({ name: 'order_return_money_valid', expression: '"refunded_cents" >= 0 and "freight_refunded_cents" >= 0' })
export class Return extends BaseEntity {
  /** The n of `R<n>`, from return_number_seq. */
  @Property({ type: new BigIntType('string') })
  @Unique({ name: 'order_return_number_unique' })
  returnNumber!: string;

  @Property({ type: 'string', length: 40 })
  @Unique({ name: 'order_return_code_unique' })
  code!: string;

  @ManyToOne({ entity: () => Order, ref: true, index: true, deleteRule: 'restrict' })
  order!: Ref<Order>;

  /** The order's seller, kept here so listings scope by seller without a join. */
  @ManyToOne({ entity: () => Seller, ref: true, deleteRule: 'restrict' })
  @Index({ name: 'order_return_seller_created_index', properties: ['seller', 'createdAt'] })
  seller!: Ref<Seller>;

  @Enum({ items: () => ReturnStatus })
  @Index({ name: 'order_return_status_index' })
  status!: ReturnStatus;

  @Enum({ items: () => ReturnReason })
  reason!: ReturnReason;

  /** The opener's own words. */
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Why the seller or the store refused it. */
  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  /** Reverse logistics: who carries the items back, and their tracking. */
  @Property({ type: 'string', length: 100, nullable: true })
  trackingCarrier?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  trackingCode?: string | null;

  @Property({ type: 'string', length: 2000, nullable: true })
  trackingUrl?: string | null;

  /** Merchandise − discount given back (an exchange: the difference refunded). */
  @Property({ type: new CentsType(), default: 0 })
  refundedCents: Opt<number> = 0;

  /** Freight given back by operator decision (refundReturn with refundFreight). */
  @Property({ type: new CentsType(), default: 0 })
  freightRefundedCents: Opt<number> = 0;

  /** An exchange's replacement order. */
  @Property({ type: 'uuid', nullable: true })
  replacementOrderId?: string | null;

  @Property({ type: 'datetime' })
  openedAt!: Date;

  /** Approved or rejected. */
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  receivedAt?: Date | null;

  /** Refunded or exchanged. */
  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @OneToMany({ entity: () => ReturnLine, mappedBy: 'ret', orderBy: { position: 'asc' } })
  lines = new Collection<ReturnLine>(this);
}

/** Units of one order line in a return. */
@Entity({ tableName: 'order_return_line' })
@Check({ name: 'order_return_line_quantities', expression: '"quantity" > 0 and ("resellable_quantity" is null or ("resellable_quantity" >= 0 and "resellable_quantity" <= "quantity"))' })
@Unique({ name: 'order_return_line_unique', properties: ['ret', 'orderLine'] })
export class ReturnLine extends BaseEntity {
  @ManyToOne({ entity: () => Return, ref: true, fieldName: 'return_id', deleteRule: 'cascade' })
  ret!: Ref<Return>;

  @ManyToOne({ entity: () => OrderLine, ref: true, index: true, deleteRule: 'restrict' })
  orderLine!: Ref<OrderLine>;

  /** The order line's position, as the order lists it. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'integer' })
  quantity!: number;

  /** Units received fit to sell again (restocked); null until received. */
  @Property({ type: 'integer', nullable: true })
  resellableQuantity?: number | null;

  /** This line's part of the refund (merchandise − discount of its units). */
  @Property({ type: new CentsType(), default: 0 })
  refundedCents: Opt<number> = 0;
}

/** One change of a return's status, written by the return state machine with the change. */
@Entity({ tableName: 'order_return_status_change' })
@Unique({ name: 'order_return_status_change_position_unique', properties: ['ret', 'position'] })
export class ReturnStatusChange extends BaseEntity {
  @ManyToOne({ entity: () => Return, ref: true, fieldName: 'return_id', deleteRule: 'cascade' })
  ret!: Ref<Return>;

  @Property({ type: 'integer' })
  position!: number;

  /** Null for the opening. */
  @Enum({ items: () => ReturnStatus, nullable: true })
  fromStatus?: ReturnStatus | null;

  @Enum({ items: () => ReturnStatus })
  toStatus!: ReturnStatus;

  @Property({ type: 'string', length: 20 })
  action!: string;

  @Enum({ items: () => OrderActorKind })
  actorKind!: OrderActorKind;

  @Property({ type: 'text' })
  actorLabel!: string;

  @Enum({ items: () => UserRole, nullable: true })
  actorRole?: UserRole | null;

  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  actorIntegrationId?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'datetime' })
  at!: Date;
}
