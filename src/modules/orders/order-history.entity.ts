import { Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { UserRole } from '../../shared/access/index.js';
import { Order, OrderStatus } from './orders.entity.js';
import { OrderAction, OrderActorKind } from './order-state.js';

/**
 * One change of an order's status, written by the state machine (order-machine.ts) in the same
 * database transaction as the change itself. Rows are never updated.
 */
@Entity({ tableName: 'order_status_change' })
// Also the index that reads an order's history in order.
@Unique({ name: 'order_status_change_order_position_unique', properties: ['order', 'position'] })
export class OrderStatusChange extends BaseEntity {
  @ManyToOne({ entity: () => Order, ref: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  /**
   * 1 for the order's creation, then one more per change. Orders the history (several changes
   * can share a millisecond), and two writers that raced past the order's row lock would
   * collide on the unique index instead of both recording the same step.
   */
  @Property({ type: 'integer' })
  position!: number;

  /** Null for the order's creation at checkout. */
  @Enum({ items: () => OrderStatus, nullable: true })
  fromStatus?: OrderStatus | null;

  @Enum({ items: () => OrderStatus })
  toStatus!: OrderStatus;

  @Enum({ items: () => OrderAction })
  action!: OrderAction;

  @Enum({ items: () => OrderActorKind })
  actorKind!: OrderActorKind;

  /** The role of the user who acted (operator staff, seller users). */
  @Enum({ items: () => UserRole, nullable: true })
  actorRole?: UserRole | null;

  /** Plain ids without a foreign key: the history keeps naming a user or integration that was later removed. */
  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  actorIntegrationId?: string | null;

  /**
   * Who acted, in words anyone who sees the order may read: "customer", "store staff",
   * "seller Alfa Modas", "fraud analyzer"; never a person's name or e-mail.
   */
  @Property({ type: 'text' })
  actorLabel!: string;

  /** A short code: the CancellationReason of a cancellation, PAYMENT_CONFIRMED, FRAUD_APPROVED, … */
  @Property({ type: 'string', length: 40, nullable: true })
  reason?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'datetime' })
  at!: Date;
}
