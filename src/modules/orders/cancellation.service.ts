import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { money } from '../../shared/money/index.js';
import { lockSkusForStock } from '../catalog/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { PaymentTransaction, releasePayment } from '../payments/index.js';
import { FraudAnalysis } from '../fraud/index.js';
import { CancellationReason, Order, OrderLine, OrderStatus } from './orders.entity.js';
import { OrderAction, type OrderActor } from './order-state.js';
import { assertTransition, transitionOrders } from './order-machine.js';

export interface CancelOptions {
  /** Who cancels: the transition table's CANCEL rows say who may, and from which statuses. */
  actor: OrderActor;
  reason: CancellationReason;
  note?: string | null;
  /**
   * The caller's idempotency key. Refunds and voids happen once per (key, order): the payment
   * layer stores it, scoped here by the order so one key can never stand for two orders.
   */
  idempotencyKey: string;
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

  // 1. Money, order by order (each order's frozen total, split over the payment parts).
  const refunds = new Map<string, { provider: number; giftCard: number }>();
  for (const order of toCancel) {
    const transaction = await em.findOne(PaymentTransaction, { cartId: order.cartId });
    const back = { provider: 0, giftCard: 0 };
    if (opts.releaseMoney !== false && transaction && order.totalCents > 0) {
      const released = await releasePayment(runtime, em, transaction.id, money(order.totalCents, order.currency), orderScopedKey(opts.idempotencyKey, order.id));
      // Only money that had actually been taken is a refund in the books; voiding an
      // authorization or reducing a future capture moves nothing.
      for (const p of released.parts) {
        if (p.action === 'REFUND') back.provider += p.amount.amount;
        if (p.action === 'GIFT_CARD_CREDIT') back.giftCard += p.amount.amount;
      }
    }
    refunds.set(order.id, back);
  }

  // 2. Stock of every order, SKUs locked in primary-key order.
  const lines = await em.find(OrderLine, { order: { $in: toCancel.map((o) => o.id) } }, { orderBy: { position: 'asc' } });
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.sku.id, (quantities.get(line.sku.id) ?? 0) + line.quantity);
  const skuIds = [...quantities.keys()].sort();
  if (skuIds.length) {
    await lockSkusForStock(em, skuIds);
    for (const id of skuIds) await em.execute('update "sku" set "stock" = "stock" + ? where "id" = ?', [quantities.get(id)!, id]);
  }

  // 3. Books and status (through the state machine, which records the history and the domain
  // event the buyer's e-mail is written from).
  const refunded = (order: Order) => refunds.get(order.id)!.provider + refunds.get(order.id)!.giftCard;
  await transitionOrders(em, toCancel, OrderAction.CANCEL, opts.actor, { at: new Date(), reason: opts.reason, note: opts.note ?? null, eventData: (o) => ({ refundedCents: refunded(o) }) });
  for (const order of toCancel) {
    await postCancellation(em, order, opts, refunds.get(order.id)!);
    const back = refunds.get(order.id)!;
    runtime.logger.info({ order: order.code, reason: opts.reason, refunded: back.provider + back.giftCard }, 'order cancelled');
  }
  await em.flush();
  return orderIds.map((id) => orders.find((o) => o.id === id)!).filter(Boolean);
}

/**
 * The payment layer's key for this order's release: the caller's key scoped by the order, so
 * one key never stands for two orders. A client key may be 200 characters, the payment layer's
 * bound too, so a scoped key that would pass it is replaced by its digest (same key, same digest).
 */
function orderScopedKey(key: string, orderId: string): string {
  const scoped = `${key}:${orderId}`;
  return scoped.length <= 200 ? scoped : `sha256:${createHash('sha256').update(scoped).digest('hex')}`;
}

/** Reverses the order's checkout entry; books the refund by where the money returns to. */
async function postCancellation(em: EntityManager, order: Order, opts: CancelOptions, refunded: { provider: number; giftCard: number }): Promise<void> {
  const operatorFunded = order.discountCents - order.sellerFundedDiscountCents;
  await postJournal(em, {
    kind: LedgerEntryKind.CANCELLATION,
    reference: `cancel:${order.id}`,
    cartId: order.cartId,
    cartNumber: order.cartNumber,
    orderId: order.id,
    memo: `Order ${order.code} cancelled (${opts.reason}).`,
    lines: [
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, debit: order.sellerReceivableCents },
      { account: LedgerAccount.COMMISSION_REVENUE, debit: order.commissionCents },
      { account: LedgerAccount.FREIGHT_REVENUE, debit: order.freightCents },
      { account: LedgerAccount.CUSTOMER, credit: order.totalCents },
      { account: LedgerAccount.COMMISSION_REVENUE, credit: operatorFunded },
    ],
  });
  const total = refunded.provider + refunded.giftCard;
  if (total > 0) {
    await postJournal(em, {
      kind: LedgerEntryKind.REFUND,
      reference: `refund:${order.id}`,
      cartId: order.cartId,
      cartNumber: order.cartNumber,
      orderId: order.id,
      memo: `Refund of order ${order.code}.`,
      lines: [
        { account: LedgerAccount.CUSTOMER, debit: total },
        { account: LedgerAccount.PAYMENT_PROVIDER, credit: refunded.provider },
        { account: LedgerAccount.GIFT_CARD, credit: refunded.giftCard },
      ],
    });
  }
}
