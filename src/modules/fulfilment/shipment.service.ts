import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { Validation, conflict } from '../../shared/errors/index.js';
import { checkText, checkUrl } from '../../shared/validation/index.js';
import { OrderAction, OrderStatus, assertMayEver, statusWords, transitionOrders, type Order } from '../orders/index.js';
import { OrderShipment, TrackingEvent, TrackingStatus } from './fulfilment.entity.js';
import { CLOCK_SKEW_MS, lockOrderByCode } from './fulfilment.shared.js';

export interface ShipInput {
  orderCode: string;
  carrier: string;
  trackingCode: string;
  trackingUrl?: string | null;
  /** Defaults to now. */
  shippedAt?: Date | null;
}

/** A tracking code as carriers print it: letters, digits and a few separators. */
const TRACKING_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,99}$/;

/**
 * INVOICED → SHIPPED with the carrier and tracking code (design.md). Sending the same shipment
 * again returns the first result; a different carrier or code for a shipped order is a CONFLICT.
 */
export async function shipOrder(ctx: Context, em: EntityManager, input: ShipInput): Promise<{ order: Order; shipment: OrderShipment }> {
  const order = await lockOrderByCode(ctx, em, input.orderCode, ['input', 'orderCode']);
  const actor = { viewer: ctx.viewer };
  assertMayEver(order, OrderAction.SHIP, actor);
  const shippedAt = input.shippedAt ?? new Date();
  const v = new Validation();
  checkText(v, input.carrier, 'carrier', 100, true);
  v.check(TRACKING_CODE_RE.test(input.trackingCode.trim()), 'The tracking code has up to 100 letters, digits, spaces or . _ / -.', ['input', 'trackingCode']);
  checkUrl(v, input.trackingUrl, ['input', 'trackingUrl']);
  v.check(shippedAt.getTime() <= Date.now() + CLOCK_SKEW_MS, 'The shipping time is in the future.', ['input', 'shippedAt']);
  if (order.invoicedAt) v.check(shippedAt.getTime() >= order.invoicedAt.getTime() - CLOCK_SKEW_MS, 'An order ships after it is invoiced.', ['input', 'shippedAt']);
  v.throwIfAny();

  const existing = await em.findOne(OrderShipment, { order: order.id });
  if (existing) {
    if (existing.carrier === input.carrier.trim() && existing.trackingCode === input.trackingCode.trim()) return { order, shipment: existing };
    throw conflict(`Order ${order.code} already shipped with ${existing.carrier}, tracking ${existing.trackingCode}.`, 'input', 'trackingCode');
  }
  await transitionOrders(em, [order], OrderAction.SHIP, actor, { at: shippedAt });
  const shipment = em.create(OrderShipment, {
    order,
    carrier: input.carrier.trim(),
    trackingCode: input.trackingCode.trim(),
    trackingUrl: input.trackingUrl?.trim() || null,
    shippedAt,
  });
  em.persist(shipment);
  return { order, shipment };
}

export interface TrackingInput {
  orderCode: string;
  status: TrackingStatus;
  description?: string | null;
  location?: string | null;
  occurredAt: Date;
  /** The sender's own id for the event; without one, status and time identify it. */
  eventId?: string | null;
}

/**
 * Appends a carrier event to a shipped order's tracking. The same event twice is one event
 * (the first is returned). A DELIVERED event delivers the order at the event's time.
 */
export async function addTrackingEvent(ctx: Context, em: EntityManager, input: TrackingInput): Promise<{ order: Order; event: TrackingEvent }> {
  const order = await lockOrderByCode(ctx, em, input.orderCode, ['input', 'orderCode']);
  const actor = { viewer: ctx.viewer };
  // Adding tracking is the shipping row's right (design.md: "ship, tracking events").
  assertMayEver(order, OrderAction.SHIP, actor);
  const v = new Validation();
  checkText(v, input.description, 'description', 500);
  checkText(v, input.location, 'location', 200);
  checkText(v, input.eventId, 'eventId', 100);
  v.check(input.occurredAt.getTime() <= Date.now() + CLOCK_SKEW_MS, 'The event is in the future.', ['input', 'occurredAt']);
  v.throwIfAny();
  const dedupeKey = input.eventId?.trim() ? `id:${input.eventId.trim()}` : `at:${input.status}:${input.occurredAt.toISOString()}`;

  const repeated = await em.findOne(TrackingEvent, { order: order.id, dedupeKey });
  if (repeated) return { order, event: repeated };
  if (order.status !== OrderStatus.SHIPPED) {
    throw conflict(`Order ${order.code} is ${statusWords(order.status)}: tracking events are added to shipped orders.`, 'input', 'orderCode');
  }
  // An order shipped before shipments were recorded (or moved by a data fix) has no shipment
  // row: its own shipping instant bounds the events then.
  const shippedAt = (await em.findOne(OrderShipment, { order: order.id }))?.shippedAt ?? order.shippedAt;
  if (shippedAt && input.occurredAt.getTime() < shippedAt.getTime() - CLOCK_SKEW_MS) {
    throw conflict('The event is older than the shipment.', 'input', 'occurredAt');
  }
  const event = em.create(TrackingEvent, {
    order,
    status: input.status,
    description: input.description?.trim() || null,
    location: input.location?.trim() || null,
    occurredAt: input.occurredAt,
    dedupeKey,
  });
  em.persist(event);
  if (input.status === TrackingStatus.DELIVERED) await transitionOrders(em, [order], OrderAction.DELIVER, actor, { at: input.occurredAt });
  return { order, event };
}

/** SHIPPED → DELIVERED at `deliveredAt` (default now); delivering a delivered order returns it unchanged. */
export async function markDelivered(ctx: Context, em: EntityManager, input: { orderCode: string; deliveredAt?: Date | null }): Promise<{ order: Order }> {
  const order = await lockOrderByCode(ctx, em, input.orderCode, ['input', 'orderCode']);
  const actor = { viewer: ctx.viewer };
  assertMayEver(order, OrderAction.DELIVER, actor);
  if (order.status === OrderStatus.DELIVERED) return { order };
  const at = input.deliveredAt ?? new Date();
  const v = new Validation();
  v.check(at.getTime() <= Date.now() + CLOCK_SKEW_MS, 'The delivery time is in the future.', ['input', 'deliveredAt']);
  if (order.shippedAt) v.check(at.getTime() >= order.shippedAt.getTime() - CLOCK_SKEW_MS, 'An order is delivered after it ships.', ['input', 'deliveredAt']);
  v.throwIfAny();
  await transitionOrders(em, [order], OrderAction.DELIVER, actor, { at });
  return { order };
}
