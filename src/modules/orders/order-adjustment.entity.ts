import { Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Order } from './orders.entity.js';

export enum OrderAdjustmentKind {
  /** cancelOrderLines: the seller lacks some units. */
  LINE_CANCELLATION = 'LINE_CANCELLATION',
  /** editOrder: lines swapped, removed or added. */
  EDIT = 'EDIT',
}

/**
 * A partial cancellation or an edit of an order already made under an idempotency key: the
 * same key again answers the order as it is and changes nothing; the same key with another
 * request is a CONFLICT. Written in the transaction of the change, under the order's lock.
 */
@Entity({ tableName: 'order_adjustment' })
@Unique({ name: 'order_adjustment_key_unique', properties: ['kind', 'idempotencyKey'] })
export class OrderAdjustment extends BaseEntity {
  @ManyToOne({ entity: () => Order, ref: true, index: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Enum({ items: () => OrderAdjustmentKind })
  kind!: OrderAdjustmentKind;

  @Property({ type: 'string', length: 200 })
  idempotencyKey!: string;

  /** The request as normalised text, so a repeat with other content is told apart. */
  @Property({ type: 'text' })
  request!: string;

  /** What went back to the buyer (merchandise − discount, plus freight when nothing was left). */
  @Property({ type: new CentsType() })
  refundedCents!: number;
}
