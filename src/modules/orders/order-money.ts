import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { allocate, money } from '../../shared/money/index.js';
import { conflict } from '../../shared/errors/index.js';
import { Sku, lockSkusForStock } from '../catalog/index.js';
import { LedgerAccount, LedgerEntryKind, postJournal, type JournalLine } from '../finance/index.js';
import { PaymentTransaction, releasePayment } from '../payments/index.js';
import { FraudAnalysis } from '../fraud/index.js';
import { Order, type OrderLine } from './orders.entity.js';

/**
 * The money, stock and ledger steps every path that gives money back for an order shares:
 * the whole cancellation (cancellation.service), item unavailable (line-cancellation.service),
 * edits (order-edit.service) and returns (the returns module, through the orders' door).
 * One home, so the lock order, the idempotency keys and the journal shapes are the same for all.
 */

/** What some units of a line (or a whole order) are worth, from the frozen figures. All ≥ 0. */
export interface Figures {
  merchandise: number;
  discount: number;
  /** The part of `discount` the seller funds; the rest is the operator's. */
  sellerFundedDiscount: number;
  commission: number;
  /** The seller's share: merchandise − seller-funded discount − commission. */
  receivable: number;
}

export const ZERO: Figures = { merchandise: 0, discount: 0, sellerFundedDiscount: 0, commission: 0, receivable: 0 };

export const addFigures = (a: Figures, b: Figures): Figures => ({
  merchandise: a.merchandise + b.merchandise,
  discount: a.discount + b.discount,
  sellerFundedDiscount: a.sellerFundedDiscount + b.sellerFundedDiscount,
  commission: a.commission + b.commission,
  receivable: a.receivable + b.receivable,
});

/** What goes back to the buyer for these figures: merchandise − discount (design.md). */
export const refundOf = (f: Figures) => f.merchandise - f.discount;

/** The first `have` of `of`'s parts carry this much of `total` (largest remainder, two parts). */
const part = (total: number, have: number, of: number) => allocate(total, [have, of - have])[0]!;

/**
 * The line's figures for its first `q` units. Each figure is split inside the one above it —
 * merchandise by units, the discount inside the merchandise, the seller-funded part inside the
 * discount, the commission inside the commission base — each with `allocate`, so every figure
 * grows with `q`, none goes negative, and q = quantity gives the whole line.
 */
function firstUnits(line: OrderLine, q: number): Figures {
  const merchandise = part(line.merchandiseCents, q, line.quantity);
  const discount = part(line.discountCents, merchandise, line.merchandiseCents);
  const sellerFundedDiscount = part(line.sellerFundedDiscountCents, discount, line.discountCents);
  const base = merchandise - sellerFundedDiscount;
  const commission = part(line.commissionCents, base, line.commissionBaseCents);
  return { merchandise, discount, sellerFundedDiscount, commission, receivable: base - commission };
}

/**
 * The frozen figures of `n` units of a line after the `done` units already taken out of it
 * (cancelled or returned before): the difference of two prefixes, so repeated partial
 * cancellations and returns of one line add up exactly to the whole line, never re-prorated.
 */
export function unitsFigures(line: OrderLine, done: number, n: number): Figures {
  if (!Number.isInteger(done) || !Number.isInteger(n) || done < 0 || n < 0 || done + n > line.quantity) {
    throw new Error(`units ${done}+${n} of a line of ${line.quantity}`);
  }
  const a = firstUnits(line, done);
  const b = firstUnits(line, done + n);
  return {
    merchandise: b.merchandise - a.merchandise,
    discount: b.discount - a.discount,
    sellerFundedDiscount: b.sellerFundedDiscount - a.sellerFundedDiscount,
    commission: b.commission - a.commission,
    receivable: b.receivable - a.receivable,
  };
}

/** Units of a line still with the buyer or on their way: neither cancelled nor returned. */
export const unitsLeft = (line: OrderLine) => line.quantity - line.cancelledQuantity - line.returnedQuantity;

/** Takes figures out of the order's own (units cancelled or edited out before shipping). */
export function takeFromOrder(order: Order, f: Figures): void {
  order.merchandiseCents -= f.merchandise;
  order.discountCents -= f.discount;
  order.sellerFundedDiscountCents -= f.sellerFundedDiscount;
  order.commissionCents -= f.commission;
  order.sellerReceivableCents -= f.receivable;
  order.totalCents -= refundOf(f);
}

/** Adds figures to the order's own (a line an edit added). */
export function addToOrder(order: Order, f: Figures): void {
  order.merchandiseCents += f.merchandise;
  order.discountCents += f.discount;
  order.sellerFundedDiscountCents += f.sellerFundedDiscount;
  order.commissionCents += f.commission;
  order.sellerReceivableCents += f.receivable;
  order.totalCents += refundOf(f);
}

/**
 * The payment layer's idempotency key for one release of money: `<operation>:<subject id>:<key>`
 * — the operation first (a fixed name: cancel, lines, lines-all, edit, return, exchange, …),
 * then the order or return it is about (a UUID), then the caller's key. Every release path
 * has its own operation name, so no caller's key, whatever it contains, can make one path's
 * release key equal another's (with the key first, a partial item-unavailable refund and the
 * whole cancellation it may turn into both wrote `<key>:lines:<order id>`). The payment layer
 * bounds keys at 200 characters like clients' keys, so a longer one is replaced by its digest
 * (same key, same digest).
 */
export function releaseKey(operation: string, subjectId: string, key: string): string {
  const scoped = `${operation}:${subjectId}:${key}`;
  return scoped.length <= 200 ? scoped : `sha256:${createHash('sha256').update(scoped).digest('hex')}`;
}

/**
 * Locks what giving money back for one order needs, in the store's lock order: the cart's
 * payment transaction → its fraud analysis → the order (re-read). A caller that also locks a
 * return locks it next, and SKUs last, in primary-key order.
 */
export async function lockOrderForMoney(em: EntityManager, orderId: string): Promise<Order> {
  const peek = await em.findOneOrFail(Order, orderId, { fields: ['id', 'cartId', 'paymentTransactionId'] });
  if (peek.paymentTransactionId) {
    await em.findOne(PaymentTransaction, peek.paymentTransactionId, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
  } else {
    await em.findOne(PaymentTransaction, { cartId: peek.cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
    await em.findOne(FraudAnalysis, { cartId: peek.cartId }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] });
  }
  return em.findOneOrFail(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** The payment transaction that paid the order: its cart's, or the one a replacement order is linked to. */
export async function paymentOf(em: EntityManager, order: Order): Promise<PaymentTransaction | null> {
  return order.paymentTransactionId ? em.findOne(PaymentTransaction, order.paymentTransactionId) : em.findOne(PaymentTransaction, { cartId: order.cartId });
}

/** Where money given back went: to the provider's payment (a refund) or back onto a gift card. */
export interface Released {
  provider: number;
  giftCard: number;
}

export const NOTHING_RELEASED: Released = { provider: 0, giftCard: 0 };

/**
 * Gives `amount` back from the order's payment transaction, split over its parts by what each
 * has left (the payment layer's largest remainder), under `key` (the same key moves money
 * once). Only money actually taken counts as refunded in the books; an authorization reduced
 * before capture moves nothing.
 */
export async function releaseForOrder(runtime: Runtime, em: EntityManager, order: Order, amount: number, key: string): Promise<Released> {
  if (amount <= 0) return NOTHING_RELEASED;
  const transaction = await paymentOf(em, order);
  if (!transaction) throw conflict(`Order ${order.code} has no payment to give money back from.`, 'input', 'orderCode');
  const released = await releasePayment(runtime, em, transaction.id, money(amount, order.currency), key);
  const back = { provider: 0, giftCard: 0 };
  for (const p of released.parts) {
    if (p.action === 'REFUND') back.provider += p.amount.amount;
    if (p.action === 'GIFT_CARD_CREDIT') back.giftCard += p.amount.amount;
  }
  return back;
}

/** Puts units back on the shelf: SKUs locked in primary-key order (the store's order), then incremented. */
export async function restock(em: EntityManager, quantities: ReadonlyMap<string, number>): Promise<void> {
  const skuIds = [...quantities.keys()].filter((id) => quantities.get(id)! > 0).sort();
  if (!skuIds.length) return;
  await lockSkusForStock(em, skuIds);
  // Through the entities (re-read under the lock), so the catalog's stock events see the change; flushed at once as before.
  const skus = await em.find(Sku, { id: { $in: skuIds } }, { refresh: true });
  for (const sku of skus) sku.stock += quantities.get(sku.id)!;
  await em.flush();
}

/**
 * The lines of a journal that takes figures out of an order (reverses its checkout lines for
 * them): the seller's share and the commission come back, the operator-funded discount stops
 * being the operator's cost, and the buyer is owed merchandise − discount (plus freight when
 * it goes back too):
 *   Dr SELLER_PAYABLE receivable + Dr COMMISSION_REVENUE commission + Dr FREIGHT_REVENUE freight
 *   = Cr CUSTOMER (merchandise − discount + freight) + Cr COMMISSION_REVENUE operator-funded discount.
 */
export function reversalLines(order: Order, f: Figures, freight = 0): JournalLine[] {
  return [
    { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, debit: f.receivable },
    { account: LedgerAccount.COMMISSION_REVENUE, debit: f.commission },
    { account: LedgerAccount.FREIGHT_REVENUE, debit: freight },
    { account: LedgerAccount.CUSTOMER, credit: refundOf(f) + freight },
    { account: LedgerAccount.COMMISSION_REVENUE, credit: f.discount - f.sellerFundedDiscount },
  ];
}

/** The lines of a journal that adds figures to an order (a line an edit added): the checkout entry's shape. */
export function saleLines(order: Order, f: Figures): JournalLine[] {
  return [
    { account: LedgerAccount.CUSTOMER, debit: refundOf(f) },
    { account: LedgerAccount.COMMISSION_REVENUE, debit: f.discount - f.sellerFundedDiscount },
    { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, credit: f.receivable },
    { account: LedgerAccount.COMMISSION_REVENUE, credit: f.commission },
  ];
}

/**
 * Posts a journal on the order (its id and cart, so per-order receivables and per-cart
 * identities read it), unless every line is zero (nothing happened in the books).
 */
export async function postOrderJournal(em: EntityManager, order: Order, kind: LedgerEntryKind, reference: string, memo: string, lines: JournalLine[]): Promise<void> {
  if (!lines.some((l) => (l.debit ?? 0) > 0 || (l.credit ?? 0) > 0)) return;
  await postJournal(em, { kind, reference, cartId: order.cartId, cartNumber: order.cartNumber, orderId: order.id, memo, lines });
}

/** Books money given back: the buyer's claim settled by the provider's refund or the gift card's re-credit. */
export async function postRefund(em: EntityManager, order: Order, reference: string, memo: string, back: Released): Promise<void> {
  const total = back.provider + back.giftCard;
  await postOrderJournal(em, order, LedgerEntryKind.REFUND, reference, memo, [
    { account: LedgerAccount.CUSTOMER, debit: total },
    { account: LedgerAccount.PAYMENT_PROVIDER, credit: back.provider },
    { account: LedgerAccount.GIFT_CARD, credit: back.giftCard },
  ]);
}
