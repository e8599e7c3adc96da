import { raw, type EntityManager, type RequiredEntityData } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, conflict } from '../../shared/errors/index.js';
import { flushPendingOf } from '../../shared/db/together.js';
import { actorOf, recordEvents, systemActor } from '../../shared/events/index.js';
import type { UserRole } from '../../shared/access/index.js';
import { Order, OrderStatus } from './orders.entity.js';
import { OrderStatusChange } from './order-history.entity.js';
import {
  OrderAction,
  OrderActorKind,
  OrderProcess,
  rowAdmits,
  statusWords,
  transitionFrom,
  transitionsOf,
  UNCHANGED,
  type OrderActor,
  type OrderScope,
  type OrderTransition,
  type TransitionDetails,
} from './order-state.js';

/**
 * The state machine: the only code that writes an order's status. Each change follows a row of
 * the transition table (order-state.ts) and is recorded in the order's history in the caller's
 * transaction. The caller holds the order rows' locks (the store's lock order: payment
 * transaction → fraud analysis → orders → SKUs) and does the money and stock work of the row.
 */

/**
 * The refusal for taking `action` on an order in its current status, or null when the actor may.
 * CONFLICT names the status when no row leaves it; FORBIDDEN when a row does but not for this actor.
 */
function refusal(order: Order, action: OrderAction, actor: OrderActor): AppError | null {
  const row = transitionFrom(action, order.status);
  if (!row) {
    const verb = transitionsOf(action)[0]?.verb.past ?? action.toLowerCase();
    return conflict(`Order ${order.code} is ${statusWords(order.status)} and cannot be ${verb}.`, 'input', 'orderCode');
  }
  const ok = rowAdmits(row, actor, order);
  if (ok === true) return null;
  return new AppError(ErrorCode.FORBIDDEN, typeof ok === 'string' ? ok : `You may not ${row.verb.base} order ${order.code}.`);
}

/** Refuses unless `actor` may take `action` on the order now; changes nothing. */
export function assertTransition(order: Order, action: OrderAction, actor: OrderActor): void {
  const refused = refusal(order, action, actor);
  if (refused) throw refused;
}

/**
 * Whether the actor may take the action on this order in some status: the service's check
 * before it answers a repeat (cancelling a cancelled order returns it unchanged, but only to
 * someone who could have cancelled it). FORBIDDEN otherwise.
 */
export function assertMayEver(order: Order, action: OrderAction, actor: OrderActor): void {
  let reason: string | null = null;
  for (const row of transitionsOf(action)) {
    const ok = rowAdmits(row, actor, order);
    if (ok === true) return;
    if (typeof ok === 'string') reason = ok;
  }
  throw new AppError(ErrorCode.FORBIDDEN, reason ?? `You may not ${transitionsOf(action)[0]?.verb.base ?? 'change'} order ${order.code}.`);
}

/**
 * Takes `action` on every order: all are checked before any changes, so one refusal leaves
 * every order as it was. Sets the status (and the row's own fields) and writes one history row
 * per order; the caller flushes with the rest of its work.
 */
export async function transitionOrders(
  em: EntityManager,
  orders: readonly Order[],
  action: OrderAction,
  actor: OrderActor,
  details: TransitionDetails,
  /** Each order's last history position as read under its lock (lockCartOrders); read here otherwise. */
  lastPositions?: ReadonlyMap<string, number>,
): Promise<void> {
  if (!orders.length) return;
  const rows = new Map<Order, OrderTransition>();
  for (const order of orders) {
    assertTransition(order, action, actor);
    rows.set(order, transitionFrom(action, order.status)!);
  }
  const next = await nextPositions(em, orders.map((o) => o.id), lastPositions);
  for (const order of orders) {
    const row = rows.get(order)!;
    const from = order.status;
    if (row.to !== UNCHANGED) order.status = row.to;
    row.onEnter?.(order, details);
    record(em, order, from, row, actor, details, next.get(order.id) ?? 1);
  }
}

/**
 * Creates an order through a placing row (from null): its first status is the row's, and its
 * history starts with that creation.
 */
export function placeOrder(
  em: EntityManager,
  action: OrderAction,
  actor: OrderActor,
  data: Omit<RequiredEntityData<Order>, 'status'>,
  details: TransitionDetails,
  /** Whose order it will be, for rows that admit the order's own seller (a replacement: the original order). */
  scope: OrderScope | null = null,
): Order {
  const row = transitionFrom(action, null);
  if (!row || row.to === UNCHANGED) throw new Error(`${action} does not create orders`);
  const ok = rowAdmits(row, actor, scope);
  if (ok !== true) throw new AppError(ErrorCode.FORBIDDEN, typeof ok === 'string' ? ok : 'You may not place this order.');
  const order = em.create(Order, { ...data, status: row.to });
  row.onEnter?.(order, details);
  record(em, order, null, row, actor, details, 1);
  return order;
}

/**
 * Locks a cart's orders (position order) and reads each one's last history position under the
 * same lock, in one statement: whoever writes an order's history holds its row lock, so the
 * positions stay true until this transaction ends.
 */
export async function lockCartOrders(em: EntityManager, cartId: string): Promise<{ orders: Order[]; lastPositions: Map<string, number> }> {
  await flushPendingOf(em, Order, OrderStatusChange);
  const rows = await em.execute<(Record<string, unknown> & { _last_position: number | null })[]>(
    `select o.*, (select max(c.position) from order_status_change c where c.order_id = o.id) as _last_position
       from "order" o where o.cart_id = ? order by o.position for update of o`,
    [cartId],
  );
  const lastPositions = new Map<string, number>();
  const orders = rows.map(({ _last_position, ...columns }) => {
    const order = em.map(Order, columns);
    lastPositions.set(order.id, Number(_last_position ?? 0));
    return order;
  });
  return { orders, lastPositions };
}

/** The next history position of each order (1 when it has none). */
async function nextPositions(em: EntityManager, orderIds: string[], known?: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const rows: { order_id: string; last: number }[] =
    known && orderIds.every((id) => known.has(id))
      ? orderIds.map((id) => ({ order_id: id, last: known.get(id)! }))
      : await em
          .createQueryBuilder(OrderStatusChange, 'c')
          .select(['c.order', raw('max(c.position) as last')])
          .where({ order: { $in: orderIds } })
          .groupBy('c.order')
          .execute('all', false);
  const next = new Map(rows.map((r) => [r.order_id, Number(r.last) + 1]));
  // Changes recorded in this unit of work but not flushed yet count too (two moves of one order in one transaction).
  for (const entity of em.getUnitOfWork().getPersistStack()) {
    if (entity instanceof OrderStatusChange && entity.position >= (next.get(entity.order.id) ?? 1)) next.set(entity.order.id, entity.position + 1);
  }
  return next;
}

function record(em: EntityManager, order: Order, from: OrderStatus | null, row: OrderTransition, actor: OrderActor, details: TransitionDetails, position: number): void {
  // The domain event and the history row are written with the change, in its transaction.
  recordEvents(em, [
    {
      type: row.event,
      aggregate: { type: 'order', id: order.id, code: order.code },
      sellerId: order.seller.id,
      actor: 'viewer' in actor ? actorOf(actor.viewer) : systemActor(describeActor(actor).actorLabel),
      data: { from, to: order.status, action: row.action, reason: details.reason ?? null, cartNumber: order.cartNumber, ...(details.data ?? {}) },
    },
  ]);
  em.persist(
    em.create(OrderStatusChange, {
      order,
      position,
      fromStatus: from,
      toStatus: order.status,
      action: row.action,
      ...describeActor(actor),
      reason: details.reason ?? null,
      note: details.note ?? null,
      at: details.at,
    }),
  );
}

const PROCESS_LABELS: Record<OrderProcess, string> = {
  [OrderProcess.FRAUD_ANALYZER]: 'fraud analyzer',
  [OrderProcess.PAYMENT_PROVIDER]: 'payment provider',
  [OrderProcess.PAYMENT_EXPIRY]: 'payment expiry',
  [OrderProcess.CARRIER]: 'carrier',
};

/**
 * What the history keeps of an actor. The label is what anyone who sees the order may read, so
 * it names kinds and sellers (public), never a person; ids and roles are for operator staff.
 */
export function describeActor(actor: OrderActor): {
  actorKind: OrderActorKind;
  actorLabel: string;
  actorRole: UserRole | null;
  actorUserId: string | null;
  actorIntegrationId: string | null;
} {
  const none = { actorRole: null, actorUserId: null, actorIntegrationId: null };
  if (!('viewer' in actor)) {
    const label = PROCESS_LABELS[actor.process];
    return { ...none, actorKind: OrderActorKind.SYSTEM, actorLabel: actor.detail ? `${label} (${actor.detail})` : label };
  }
  const v = actor.viewer;
  switch (v.kind) {
    case 'ANONYMOUS':
      return { ...none, actorKind: OrderActorKind.ANONYMOUS, actorLabel: 'shopper' };
    case 'CUSTOMER':
      return { ...none, actorKind: OrderActorKind.CUSTOMER, actorLabel: 'customer', actorUserId: v.user.id };
    case 'OPERATOR':
      return { ...none, actorKind: OrderActorKind.OPERATOR, actorLabel: 'store staff', actorRole: v.role, actorUserId: v.user.id };
    case 'SELLER':
      return { ...none, actorKind: OrderActorKind.SELLER, actorLabel: `seller ${v.seller.name}`, actorRole: v.role, actorUserId: v.user.id };
    case 'INTEGRATION':
      return { ...none, actorKind: OrderActorKind.INTEGRATION, actorLabel: `${v.seller.name} integration`, actorIntegrationId: v.integration.id };
  }
}
