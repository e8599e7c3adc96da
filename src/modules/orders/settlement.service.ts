import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../app/context.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { FraudAnalysis, FraudStatus } from '../fraud/fraud.entity.js';
import { PaymentTransaction, captureTransaction, registerPaymentLifecycle } from '../payments/index.js';
import type { Money } from '../../shared/money/index.js';
import { cancelOrder } from './cancellation.service.js';
import { CancellationReason, Order, OrderStatus } from './orders.entity.js';

/**
 * What moves a cart's orders after checkout: the fraud verdict (analyzer or operator) and the
 * payment events (Pix/deposit confirmed, transaction expired). Both facts are needed to
 * approve an order — money in hand (or a card authorization captured) AND an approving
 * verdict — so each event re-reads the other fact, under the analysis row's lock, and
 * whichever comes second does the approving. The lock order is always payment transaction →
 * fraud analysis → orders → SKUs (the webhook path arrives holding the transaction).
 */

const PAID_STATES = new Set(['PAID', 'PARTIALLY_REFUNDED']);

async function lockedCart(em: EntityManager, cartId: string) {
  const transaction = await em.findOne(PaymentTransaction, { cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const analysis = await em.findOne(FraudAnalysis, { cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const orders = await em.find(Order, { cartId }, { orderBy: { position: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  return { analysis, transaction, orders };
}

/** The capture journal: what the shopper owed is now money held at the provider (or gift-card value used). */
async function postCapture(em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  const captured = transaction.capturedCents;
  if (captured <= 0) return;
  await postJournal(em, {
    kind: LedgerEntryKind.CAPTURE,
    reference: `capture:${transaction.id}`,
    cartId: transaction.cartId,
    cartNumber: transaction.cartNumber,
    memo: `Payment of cart ${transaction.cartNumber} captured.`,
    lines: [
      { account: LedgerAccount.PAYMENT_PROVIDER, debit: captured },
      { account: LedgerAccount.CUSTOMER, credit: captured },
    ],
  });
}

function approve(orders: Order[], at: Date): void {
  for (const order of orders) {
    if (order.status === OrderStatus.PENDING_PAYMENT || order.status === OrderStatus.PENDING_FRAUD_REVIEW) {
      order.status = OrderStatus.APPROVED;
      order.approvedAt = at;
    }
  }
}

/**
 * Applies a settled verdict (APPROVED / REJECTED / REVIEW) to every order of the cart.
 * APPROVED: card authorizations are captured; orders whose money is in are approved, Pix
 * and deposit orders keep waiting for payment. REJECTED: every order goes through the
 * cancellation service (stock back, payment voided or refunded). REVIEW: paid or authorized
 * orders wait for staff; unpaid ones keep waiting for payment.
 */
export async function applyFraudOutcome(runtime: Runtime, em: EntityManager, cartId: string, outcome: FraudStatus): Promise<void> {
  const { transaction, orders } = await lockedCart(em, cartId);
  const live = orders.filter((o) => o.status !== OrderStatus.CANCELLED);
  if (outcome === FraudStatus.REJECTED) {
    for (const order of live) {
      await cancelOrder(runtime, em, order.id, { reason: CancellationReason.FRAUD_REJECTED, idempotencyKey: `fraud-rejected:${order.id}` });
    }
    return;
  }
  if (!transaction) return;
  if (outcome === FraudStatus.APPROVED) {
    let tx = transaction;
    if (tx.status === 'AUTHORIZED') {
      tx = await captureTransaction(runtime, em, tx.id);
      await postCapture(em, tx);
    }
    if (PAID_STATES.has(tx.status)) approve(live, new Date());
  } else if (outcome === FraudStatus.REVIEW) {
    if (transaction.status === 'AUTHORIZED' || PAID_STATES.has(transaction.status)) {
      for (const order of live) if (order.status === OrderStatus.PENDING_PAYMENT) order.status = OrderStatus.PENDING_FRAUD_REVIEW;
    }
  }
  await em.flush();
}

/** Every part of the cart's transaction is paid (Pix/deposit confirmed). */
async function onPaid(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  const { analysis, orders } = await lockedCart(em, transaction.cartId);
  const live = orders.filter((o) => o.status !== OrderStatus.CANCELLED);
  await postCapture(em, transaction);
  const verdict = analysis?.status ?? FraudStatus.PENDING;
  if (verdict === FraudStatus.APPROVED) {
    // Pix + card: the card waited, authorized, for the Pix; both are in now.
    let tx = transaction;
    if (tx.status === 'AUTHORIZED') {
      tx = await captureTransaction(runtime, em, tx.id);
      await postCapture(em, tx);
    }
    if (PAID_STATES.has(tx.status)) approve(live, new Date());
  } else if (verdict === FraudStatus.REJECTED) {
    // Paid after the verdict had cancelled the cart: payments refunds the released share as it
    // arrives (lateRefund below books it); the orders are already cancelled.
  } else {
    for (const order of live) if (order.status === OrderStatus.PENDING_PAYMENT) order.status = OrderStatus.PENDING_FRAUD_REVIEW;
  }
  await em.flush();
}

/** The transaction expired unpaid: its orders are cancelled and their stock returned; there is no money to give back. */
async function onExpired(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  const orders = await em.find(Order, { cartId: transaction.cartId, status: { $ne: OrderStatus.CANCELLED } }, { orderBy: { position: 'asc' } });
  for (const order of orders) {
    await cancelOrder(runtime, em, order.id, { reason: CancellationReason.PAYMENT_EXPIRED, idempotencyKey: `expired:${order.id}`, releaseMoney: false });
  }
}

/** Money that arrived after its orders were cancelled and went straight back: book both moves. */
async function onLateRefund(_runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, amount: Money): Promise<void> {
  await postJournal(em, {
    kind: LedgerEntryKind.REFUND,
    reference: `late-refund:${transaction.id}:${transaction.refundedCents}`,
    cartId: transaction.cartId,
    cartNumber: transaction.cartNumber,
    memo: `Payment of cart ${transaction.cartNumber} arrived after its orders were cancelled; refunded.`,
    lines: [
      { account: LedgerAccount.CUSTOMER, debit: amount.amount },
      { account: LedgerAccount.PAYMENT_PROVIDER, credit: amount.amount },
    ],
  });
}

registerPaymentLifecycle({ paid: onPaid, expired: onExpired, lateRefund: onLateRefund });
