import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { LedgerEntryKind } from '../finance/index.js';
import { PaymentTransaction } from '../payments/index.js';
import { FraudAnalysis } from '../fraud/index.js';
import { CancellationReason, Order, OrderLine, OrderStatus } from './orders.entity.js';
import { OrderAction, type OrderActor } from './order-state.js';
import { assertTransition, transitionOrders } from './order-machine.js';
import { NOTHING_RELEASED, paymentOf, postOrderJournal, postRefund, releaseForOrder, releaseKey, restock, reversalLines, unitsLeft, type Figures, type Released } from './order-money.js';

export interface CancelOptions {
  /** Who cancels: the transition table's CANCEL rows say who may, and from which statuses. */
  actor: OrderActor;
  reason: CancellationReason;
  note?: string | null;
  /**
   * The caller's idempotency key. Refunds and voids happen once per (key, order): the payment
   * layer stores it, scoped here by the operation and the order (releaseKey) so one key can
   * never stand for two orders or two kinds of release.
   */
  idempotencyKey: string;
  /** The release's operation name in its payment key (releaseKey): `cancel` unless the caller is another path (fraud rejection, item unavailable). */
  releaseOperation?: string;
  /**
   * False when there is no money to give back: an unpaid transaction that expired (its
   * provider charge is cancelled by the expiry itself).
   */
  releaseMoney?: boolean;
}

/** THE cancellation path for one order (see cancelOrders). */
export async function cancelOrder(runtime: Runtime, em: EntityManager, orderId: string, opts: CancelOptions): Promise<Order> {
  const [order] = await cancelOrders(runtime, em, [orderId], opts);
  return order!;
}

/**
 * THE cancellation path: shopper, seller, operator, fraud rejection and payment expiry all
 * come here, so stock, money and the ledger are handled the same way every time. Runs in the
 * caller's transaction; cancelling a cancelled order returns it unchanged. Several orders
 * (a rejected cart) are cancelled in one pass.
 *
 * Locks follow the store-wide order — payment transaction → fraud analysis → orders → SKUs in
 * primary-key order — so cancellations, settlements, webhooks and checkouts never deadlock.
 * The money goes back first, while no SKU row is locked (a provider call can take seconds and
 * checkouts wait on SKU rows); then the stock of every order returns in one sorted pass.
 */
export async function cancelOrders(runtime: Runtime, em: EntityManager, orderIds: readonly string[], opts: CancelOptions): Promise<Order[]> {
  if (!orderIds.length) return [];
  const peek = await em.find(Order, { id: { $in: [...orderIds] } }, { fields: ['id', 'cartId'] });
  const cartIds = [...new Set(peek.map((o) => o.cartId))].sort();
  for (const cartId of cartIds) {
    await em.findOne(PaymentTransaction, { cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
    await em.findOne(FraudAnalysis, { cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
  }
  const orders = await em.find(Order, { id: { $in: [...orderIds] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { cartId: 'asc', position: 'asc' } });
  const toCancel = orders.filter((o) => o.status !== OrderStatus.CANCELLED);
  // Refused before any money moves: CONFLICT naming the status, or FORBIDDEN for this actor.
  for (const order of toCancel) assertTransition(order, OrderAction.CANCEL, opts.actor);

  // 1. Money, order by order (each order's frozen total — what it still holds — split over the payment parts).
  const refunds = new Map<string, Released>();
  for (const order of toCancel) {
    // An order without a payment transaction (none is created without one today) has nothing to give back.
    const paid = opts.releaseMoney !== false && (await paymentOf(em, order)) !== null;
    const back = paid ? await releaseForOrder(runtime, em, order, order.totalCents, releaseKey(opts.releaseOperation ?? 'cancel', order.id, opts.idempotencyKey)) : NOTHING_RELEASED;
    refunds.set(order.id, back);
  }

  // 2. Stock of every order (units not cancelled before), SKUs locked in primary-key order.
  const lines = await em.find(OrderLine, { order: { $in: toCancel.map((o) => o.id) } }, { orderBy: { position: 'asc' } });
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.sku.id, (quantities.get(line.sku.id) ?? 0) + unitsLeft(line));
  await restock(em, quantities);

  // 3. Books and status (through the state machine, which records the history and the domain
  // event the buyer's e-mail is written from, with what this order refunded).
  const at = new Date();
  for (const order of toCancel) {
    const back = refunds.get(order.id)!;
    await transitionOrders(em, [order], OrderAction.CANCEL, opts.actor, { at, reason: opts.reason, note: opts.note ?? null, data: { refunded: back.provider + back.giftCard } });
    await postCancellation(em, order, opts, back);
    runtime.logger.info({ order: order.code, reason: opts.reason, refunded: back.provider + back.giftCard }, 'order cancelled');
  }
  await em.flush();
  return orderIds.map((id) => orders.find((o) => o.id === id)!).filter(Boolean);
}

/**
 * Reverses what the order still holds of its checkout entry (every unit left, and its freight);
 * books the refund by where the money returns to.
 */
async function postCancellation(em: EntityManager, order: Order, opts: CancelOptions, refunded: Released): Promise<void> {
  const left: Figures = {
    merchandise: order.merchandiseCents,
    discount: order.discountCents,
    sellerFundedDiscount: order.sellerFundedDiscountCents,
    commission: order.commissionCents,
    receivable: order.sellerReceivableCents,
  };
  await postOrderJournal(em, order, LedgerEntryKind.CANCELLATION, `cancel:${order.id}`, `Order ${order.code} cancelled (${opts.reason}).`, reversalLines(order, left, order.freightCents));
  await postRefund(em, order, `refund:${order.id}`, `Refund of order ${order.code}.`, refunded);
}
