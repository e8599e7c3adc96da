import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import { Order } from '../orders/index.js';

/**
 * The order's NF-e, as its seller issued it. One per order: sending the same invoice again
 * returns this row, different data for an invoiced order is a CONFLICT. When an invoiced order
 * is cancelled the invoice reads as cancelled from the order (the seller cancels the NF-e
 * itself at the tax authority; the store keeps the record).
 */
@Entity({ tableName: 'order_invoice' })
export class OrderInvoice extends BaseEntity {
  @ManyToOne({ entity: () => Order, ref: true, deleteRule: 'cascade' })
  @Unique({ name: 'order_invoice_order_unique' })
  order!: Ref<Order>;

  /** nNF: 1 to 9 digits, as written on the note. */
  @Property({ type: 'string', length: 9 })
  number!: string;

  @Property({ type: 'integer' })
  series!: number;

  @Property({ type: 'datetime' })
  issuedAt!: Date;

  @Property({ type: new CentsType() })
  amountCents!: number;

  /** Why the invoiced amount differs from the order total, when it does. */
  @Property({ type: 'string', length: 500, nullable: true })
  amountReason?: string | null;

  /** The 44-character chave de acesso; unique in the country, so unique here. */
  @Property({ type: 'string', length: 44 })
  @Unique({ name: 'order_invoice_access_key_unique' })
  accessKey!: string;

  @Property({ type: 'string', length: 2000, nullable: true })
  xmlUrl?: string | null;

  @Property({ type: 'string', length: 2000, nullable: true })
  pdfUrl?: string | null;
}

/** How the order travels: one shipment per order, with the carrier's tracking. */
@Entity({ tableName: 'order_shipment' })
export class OrderShipment extends BaseEntity {
  @ManyToOne({ entity: () => Order, ref: true, deleteRule: 'cascade' })
  @Unique({ name: 'order_shipment_order_unique' })
  order!: Ref<Order>;

  @Property({ type: 'string', length: 100 })
  carrier!: string;

  @Property({ type: 'string', length: 100 })
  trackingCode!: string;

  @Property({ type: 'string', length: 2000, nullable: true })
  trackingUrl?: string | null;

  @Property({ type: 'datetime' })
  shippedAt!: Date;
}

/** Where a parcel is, as the carrier reports it (through the seller's ERP or the portal). */
export enum TrackingStatus {
  POSTED = 'POSTED',
  IN_TRANSIT = 'IN_TRANSIT',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  DELIVERY_FAILED = 'DELIVERY_FAILED',
  /** Moves the order to DELIVERED at the event's time. */
  DELIVERED = 'DELIVERED',
  RETURNED_TO_SENDER = 'RETURNED_TO_SENDER',
  EXCEPTION = 'EXCEPTION',
}

/**
 * One tracking event. Carriers and ERPs resend events; `dedupeKey` (the sender's own event id,
 * or status + time) makes the same event twice one row.
 */
@Entity({ tableName: 'order_tracking_event' })
@Index({ name: 'order_tracking_event_order_time', properties: ['order', 'occurredAt'] })
@Unique({ name: 'order_tracking_event_dedupe', properties: ['order', 'dedupeKey'] })
export class TrackingEvent extends BaseEntity {
  @ManyToOne({ entity: () => Order, ref: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Enum({ items: () => TrackingStatus })
  status!: TrackingStatus;

  @Property({ type: 'string', length: 500, nullable: true })
  description?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  location?: string | null;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'string', length: 120 })
  dedupeKey!: string;
}
