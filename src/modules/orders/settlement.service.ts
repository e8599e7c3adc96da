import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { centsFromDb, type Money } from '../../shared/money/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal } from '../finance/index.js';
import { FraudAnalysis, FraudStatus } from '../fraud/index.js';
import { PaymentTransaction, PaymentTransactionPart, captureTransaction, lockCartTransaction, type PaymentConfirmation, type PaymentLifecycle } from '../payments/index.js';
import { flushTogether } from '../../shared/db/together.js';
import { cancelOrders } from './cancellation.service.js';
import { CancellationReason, Order, OrderStatus } from './orders.entity.js';
import { OrderAction, OrderProcess, type OrderActor, type OrderChangeReason } from './order-state.js';
import { lockCartOrders, transitionOrders } from './order-machine.js';

/**
 * What moves a cart's orders after checkout: the fraud verdict (analyzer or operator) and the
 * payment events (Pix/deposit confirmed, transaction expired). Both facts are needed to
 * approve an order — money in hand (or a card authorization captured) AND an approving
 * verdict — so each event re-reads the other fact, under the rows' locks, and whichever comes
 * second does the approving. The lock order is always payment transaction → fraud analysis →
 * orders → SKUs (the webhook path arrives holding the transaction). Every status change goes
 * through the state machine (order-machine.ts) with the actor that caused it.
 */

/** The analyzer's verdict: at checkout and in the resume pass. */
const FRAUD_ANALYZER_ACTOR: OrderActor = { process: OrderProcess.FRAUD_ANALYZER };

/** Who moved the orders when the money arrived: the provider's webhook, or the staff member who confirmed a deposit. */
function paymentActor(confirmedBy: PaymentConfirmation): OrderActor {
  return confirmedBy.by === 'PROVIDER' ? { process: OrderProcess.PAYMENT_PROVIDER, detail: confirmedBy.provider } : { viewer: confirmedBy.viewer };
}

const awaiting = (orders: Order[], ...statuses: OrderStatus[]) => orders.filter((o) => statuses.includes(o.status));

const PAID_STATES = new Set(['PAID', 'PARTIALLY_REFUNDED']);

/** What settles a cart, locked: the payment transaction, the fraud analysis, the orders. */
interface LockedCart {
  transaction: PaymentTransaction | null;
  analysis: FraudAnalysis | null;
  orders: Order[];
  /** Each order's last history position, read under the orders' lock (transitionOrders). */
  lastPositions: Map<string, number>;
}

/**
 * Locks the cart's rows in the store's order. A caller that already holds the payment
 * transaction and the analysis (analyzeCart locked them, and may have changed the analysis
 * without writing it yet) hands them in; they are not read again.
 */
async function lockedCart(em: EntityManager, cartId: string, held?: { transaction: PaymentTransaction | null; analysis: FraudAnalysis | null }): Promise<LockedCart> {
  const transaction = held ? held.transaction : await lockCartTransaction(em, cartId);
  const analysis = held ? held.analysis : await em.findOne(FraudAnalysis, { cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const { orders, lastPositions } = await lockCartOrders(em, cartId);
  return { analysis, transaction, orders, lastPositions };
}

/**
 * Books what the payment layer has captured and the ledger does not know yet, part by part:
 * money held at the provider (cards, Pix, deposits) or stored value used (gift cards)
 * settles what the shopper owes. Captures happen at different moments (a gift card at
 * checkout, a Pix by webhook, a card when fraud approves), so this books the difference,
 * and can be called after any of them; each booking's reference names the part and its
 * captured total, so a repeat books nothing.
 */
export async function postCaptures(em: EntityManager, transaction: PaymentTransaction, held?: { nothingBookedBefore: boolean }): Promise<void> {
  // `held`: the caller locked the transaction with its parts in this transaction and may have
  // changed them (a capture) without writing yet: they are used as they are, and the entries
  // are left to the caller's flush. Every poster of capture entries holds that lock, and
  // bookings never exceed captures: with nothing captured before, nothing is booked yet.
  const parts = held
    ? [...transaction.parts.getItems()].sort((a, b) => a.index - b.index)
    : await em.find(PaymentTransactionPart, { transaction: transaction.id }, { orderBy: { index: 'asc' }, refresh: true });
  if (!parts.some((p) => p.capturedCents > 0)) return;
  // What each part already has in the books (the cart's capture entries, by the cart index).
  const rows = held?.nothingBookedBefore
    ? []
    : await em.execute<{ reference: string; booked: string }[]>(
        `select e.reference, sum(l.debit) as booked from ledger_entry e join ledger_line l on l.entry_id = e.id
          where e.cart_id = ? and e.kind = 'CAPTURE' group by e.reference`,
        [transaction.cartId],
      );
  const bookedFor = (partId: string) => rows.filter((r) => r.reference.startsWith(`capture:${partId}:`)).reduce((s, r) => s + centsFromDb(r.booked), 0);
  for (const part of parts) {
    if (part.capturedCents <= 0) continue;
    const delta = part.capturedCents - bookedFor(part.id);
    if (delta <= 0) continue;
    await postJournal(
      em,
      {
        kind: LedgerEntryKind.CAPTURE,
        reference: `capture:${part.id}:${part.capturedCents}`,
        cartId: transaction.cartId,
        cartNumber: transaction.cartNumber,
        currency: transaction.currency,
        memo: `Cart ${transaction.cartNumber}: ${part.method.toLowerCase()} part ${part.index + 1} captured.`,
        lines: [
          { account: part.method === 'VOUCHER' ? LedgerAccount.GIFT_CARD : LedgerAccount.PAYMENT_PROVIDER, debit: delta },
          { account: LedgerAccount.CUSTOMER, credit: delta },
        ],
      },
      // Under the lock, the bookings just read (or known to be none) say this total is not booked.
      held ? { unposted: true, flush: false } : {},
    );
  }
}

/**
 * Captures authorized cards once nothing waits for the buyer any more, then approves the
 * orders still pending. `reason` says which fact came second (the verdict or the money).
 */
async function captureAndApprove(runtime: Runtime, em: EntityManager, cart: LockedCart & { transaction: PaymentTransaction }, live: Order[], actor: OrderActor, reason: OrderChangeReason): Promise<void> {
  const tx = cart.transaction;
  const nothingBookedBefore = tx.parts.getItems().every((p) => p.capturedCents === 0);
  if (tx.status === 'AUTHORIZED') await captureTransaction(runtime, em, { locked: tx });
  await postCaptures(em, tx, { nothingBookedBefore });
  if (PAID_STATES.has(tx.status)) {
    await transitionOrders(em, awaiting(live, OrderStatus.PENDING_PAYMENT, OrderStatus.PENDING_FRAUD_REVIEW), OrderAction.APPROVE, actor, { at: new Date(), reason }, cart.lastPositions);
  }
}

/**
 * Applies a settled verdict (APPROVED / REJECTED / REVIEW) to every order of the cart.
 * APPROVED: card authorizations are captured; orders whose money is in are approved, Pix
 * and deposit orders keep waiting for payment. REJECTED: every order goes through the
 * cancellation service (stock back, payment voided or refunded). REVIEW: paid or authorized
 * orders wait for staff; unpaid ones keep waiting for payment. `actor` is the analyzer (checkout
 * and the resume pass leave it to this default) or the staff member who settled a review.
 * Returns the cart's orders as this transaction left them (by position), once it is written:
 * what the caller holds after the commit, without reading them again.
 */
export async function applyFraudOutcome(
  runtime: Runtime,
  em: EntityManager,
  cartId: string,
  outcome: FraudStatus,
  actor: OrderActor = FRAUD_ANALYZER_ACTOR,
  /** The payment transaction (with its parts) and analysis the caller locked in this transaction (analyzeCart). */
  held?: { transaction: PaymentTransaction | null; analysis: FraudAnalysis | null },
): Promise<Order[]> {
  const cart = await lockedCart(em, cartId, held);
  const { transaction, orders } = cart;
  const live = orders.filter((o) => o.status !== OrderStatus.CANCELLED);
  if (outcome === FraudStatus.APPROVED) {
    // Books what is captured, the gift cards taken at checkout included. Everything this
    // wrote, and the caller's verdict, goes out as one statement.
    if (transaction) await captureAndApprove(runtime, em, { ...cart, transaction }, live, actor, 'FRAUD_APPROVED');
    await flushTogether(em);
    return orders;
  }
  // Money already taken (a gift card at checkout) is booked whatever the verdict.
  if (transaction) await postCaptures(em, transaction);
  if (outcome === FraudStatus.REJECTED) {
    await cancelOrders(runtime, em, live.map((o) => o.id), { actor, reason: CancellationReason.FRAUD_REJECTED, idempotencyKey: cartId, releaseOperation: 'fraud-rejected' });
  } else if (transaction && outcome === FraudStatus.REVIEW && (transaction.status === 'AUTHORIZED' || PAID_STATES.has(transaction.status))) {
    await transitionOrders(em, awaiting(live, OrderStatus.PENDING_PAYMENT), OrderAction.HOLD_FOR_REVIEW, actor, { at: new Date(), reason: 'FRAUD_REVIEW' }, cart.lastPositions);
  }
  await em.flush();
  return orders;
}

/** No part of the cart's transaction waits for the buyer any more (Pix/deposit confirmed). */
async function onPaid(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, confirmedBy: PaymentConfirmation): Promise<void> {
  const cart = await lockedCart(em, transaction.cartId);
  const { analysis, transaction: tx, orders } = cart;
  const actor = paymentActor(confirmedBy);
  const live = orders.filter((o) => o.status !== OrderStatus.CANCELLED);
  const verdict = analysis?.status ?? FraudStatus.PENDING;
  if (verdict === FraudStatus.APPROVED) {
    // Pix + card: the card waited, authorized, for the Pix; both are in now.
    await captureAndApprove(runtime, em, { ...cart, transaction: tx ?? transaction }, live, actor, 'PAYMENT_CONFIRMED');
  } else {
    await postCaptures(em, tx ?? transaction);
    // REJECTED: the orders are already cancelled, and money that arrives for them is refunded
    // by the payment layer as it arrives (onLateRefund books it). Otherwise staff decide.
    if (verdict !== FraudStatus.REJECTED) {
      await transitionOrders(em, awaiting(live, OrderStatus.PENDING_PAYMENT), OrderAction.PAY_PENDING_REVIEW, actor, { at: new Date(), reason: 'PAYMENT_CONFIRMED' }, cart.lastPositions);
    }
  }
  await em.flush();
}

/** The transaction expired unpaid: its orders are cancelled and their stock returned; there is no money to give back. */
async function onExpired(runtime: Runtime, em: EntityManager, transaction: PaymentTransaction): Promise<void> {
  await postCaptures(em, transaction);
  const orders = await em.find(Order, { cartId: transaction.cartId, status: { $ne: OrderStatus.CANCELLED } }, { orderBy: { position: 'asc' } });
  await cancelOrders(runtime, em, orders.map((o) => o.id), {
    actor: { process: OrderProcess.PAYMENT_EXPIRY },
    reason: CancellationReason.PAYMENT_EXPIRED,
    idempotencyKey: `expired:${transaction.id}`,
    releaseMoney: false,
  });
}

/**
 * Money that arrived after its orders were cancelled and went straight back: the arrival is a
 * capture like any other, then the refund. Payments calls this before `paid`, and alone when
 * nothing else was awaited (a Pix paid after its cart expired).
 */
async function onLateRefund(_runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, amount: Money): Promise<void> {
  await postCaptures(em, transaction);
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

/**
 * A refund made in the provider's back office, outside this API: no order, line or return
 * says what it was for, so no seller's receivable moves. The money that left is booked as the
 * operator's cost — Dr COMMISSION_REVENUE / Cr PAYMENT_PROVIDER — until staff charge it to a
 * seller with an adjustment. (Only card and Pix parts are reported refunded by providers.) Once per part and reported
 * total, so a redelivered notification books nothing.
 */
async function onRefundedOutside(_runtime: Runtime, em: EntityManager, transaction: PaymentTransaction, part: PaymentTransactionPart, amount: Money, refundedTotal: number): Promise<void> {
  if (amount.amount <= 0) return;
  await postCaptures(em, transaction);
  await postJournal(em, {
    kind: LedgerEntryKind.REFUND,
    reference: `outside-refund:${part.id}:${refundedTotal}`,
    cartId: transaction.cartId,
    cartNumber: transaction.cartNumber,
    currency: amount.currency,
    memo: `Cart ${transaction.cartNumber}: part ${part.index + 1} (${part.method.toLowerCase()}) refunded at the provider outside the store; borne by the operator until charged to a seller.`,
    lines: [
      { account: LedgerAccount.COMMISSION_REVENUE, debit: amount.amount },
      { account: LedgerAccount.PAYMENT_PROVIDER, credit: amount.amount },
    ],
  });
}

/** What the orders module does when the payment layer settles a transaction on its own; src/app wires it into payments. */
export const orderPaymentLifecycle: PaymentLifecycle = { paid: onPaid, expired: onExpired, lateRefund: onLateRefund, refundedOutside: onRefundedOutside };
