import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertNoNul } from '../../shared/validation/index.js';
import { AppError, ErrorCode, assertIdempotencyKey, conflict } from '../../shared/errors/index.js';
import { allocate, formatBRL } from '../../shared/money/index.js';
import { LedgerAccount, LedgerEntryKind } from '../finance/index.js';
import { displayedCode } from '../catalog/index.js';
import { Seller } from '../sellers/index.js';
import {
  OrderAction,
  OrderLine,
  ZERO,
  addFigures,
  createLine,
  lockOrderForMoney,
  paymentOf,
  placeOrder,
  postOrderJournal,
  postRefund,
  refundOf,
  releaseForOrder,
  resolveSellerSkus,
  releaseKey,
  takeStock,
  unitsFigures,
  type Order,
  type WantedSku,
} from '../orders/index.js';
import { Return, ReturnStatus } from './returns.entity.js';
import { ReturnAction } from './return-state.js';
import { assertMayEverReturn, assertReturnTransition, transitionReturn } from './return-machine.js';
import { lockReturn, returnActor, returnForChange } from './returns.service.js';

export interface ExchangeReturnInput {
  returnCode: string;
  /** The replacement: SKUs of the original order's seller (an integration names its raw codes). */
  lines: WantedSku[];
  idempotencyKey: string;
}

/**
 * RECEIVED → EXCHANGED (design.md): the return ends in a replacement order of the same seller,
 * with a fresh cart number, linked to the original order and its payment transaction, placed
 * APPROVED through the orders' state machine (PLACE_REPLACEMENT). It moves no money and creates
 * no receivable: its lines carry no commission or seller share (the original order's receivable
 * already pays the seller for these goods) and their whole merchandise is the exchange credit
 * (discount = merchandise, total 0). The replacement is priced at today's prices and may not be
 * worth more than the returned units' frozen merchandise; a cheaper one refunds the part of what
 * was paid for the returned units (merchandise − discount) that its value does not take, the
 * discount carried over in proportion — booked as a RETURN entry that takes the difference out
 * of the seller's share and the commission in proportion (allocate), plus its REFUND entry.
 *
 * Locks: payment transaction → fraud analysis → original order → return → SKUs (key order).
 */
export async function exchangeReturn(ctx: Context, em: EntityManager, input: ExchangeReturnInput): Promise<{ ret: Return }> {
  assertNoNul(input);
  assertIdempotencyKey(input.idempotencyKey);
  const found = await returnForChange(ctx, em, input.returnCode);
  const who = returnActor(ctx, found.order.id);
  assertMayEverReturn(found.order, ReturnAction.EXCHANGE, who);
  if (!input.lines.length || input.lines.length > 100) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Name 1 to 100 replacement lines.', ['input', 'lines']);

  const order = await lockOrderForMoney(em, found.order.id);
  const ret = await lockReturn(em, found.ret.id);
  if (ret.status === ReturnStatus.EXCHANGED) return { ret };
  assertReturnTransition(ret, order, ReturnAction.EXCHANGE, who);

  const seller = await em.findOneOrFail(Seller, order.seller.id);
  const replacement = await resolveSellerSkus(em, ctx.viewer, seller, input.lines, ['input', 'lines']);
  const returnLines = ret.lines.getItems();
  const orderLines = await em.find(OrderLine, { id: { $in: returnLines.map((l) => l.orderLine.id) } }, { refresh: true });
  let returned = ZERO;
  const parts = returnLines.map((rl) => {
    const line = orderLines.find((o) => o.id === rl.orderLine.id)!;
    const figures = unitsFigures(line, line.cancelledQuantity + line.returnedQuantity, rl.quantity);
    returned = addFigures(returned, figures);
    return { rl, line, figures };
  });
  const paid = refundOf(returned);
  const value = replacement.reduce((s, l) => s + l.figures.merchandise, 0);
  if (value > returned.merchandise) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      `The replacement is worth ${formatBRL(value)}, more than the returned items (${formatBRL(returned.merchandise)}): an exchange never charges the buyer more; choose other items or refund the return.`,
      ['input', 'lines'],
    );
  }
  // The returned units' discount carries over to the replacement in proportion: the buyer keeps
  // what covers the replacement (allocate, exact) and gets the rest back. A like-for-like swap
  // (a size, a colour) refunds nothing, coupon or not.
  const difference = paid - allocate(paid, [value, returned.merchandise - value])[0]!;
  const transaction = await paymentOf(em, order);
  if (!transaction) throw conflict(`Order ${order.code} has no payment transaction to link the replacement to.`, 'input', 'returnCode');

  // 1. The difference, while no SKU row is locked.
  const back = await releaseForOrder(ctx.runtime, em, order, difference, releaseKey('exchange', ret.id, input.idempotencyKey));
  // 2. The replacement's stock, SKUs locked in key order.
  await takeStock(em, replacement, ['input', 'lines']);
  // 3. The replacement order, through the state machine, and the return's end.
  const replacementOrder = await placeReplacement(ctx, em, order, seller, replacement, value);
  const shares = allocate(difference, parts.map((p) => refundOf(p.figures)));
  parts.forEach((p, i) => {
    p.line.returnedQuantity += p.rl.quantity;
    p.line.refundedCents += shares[i]!;
    p.rl.refundedCents = shares[i]!;
  });
  const now = new Date();
  await transitionReturn(em, ret, order, ReturnAction.EXCHANGE, who, {
    at: now,
    data: { replacementOrderId: replacementOrder.id, replacementOrderCode: replacementOrder.code, refunded: difference },
  });
  ret.replacementOrderId = replacementOrder.id;
  ret.refundedCents = difference;
  ret.closedAt = now;
  if (difference > 0) {
    // The difference leaves the seller's share and the commission in proportion; the operator-funded discount stays the operator's.
    const [receivable, commission] = allocate(difference, [returned.receivable, returned.commission]);
    await postOrderJournal(em, order, LedgerEntryKind.RETURN, `exchange:${ret.id}`, `Return ${ret.code} exchanged for order ${replacementOrder.code}; the difference refunded.`, [
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, debit: receivable },
      { account: LedgerAccount.COMMISSION_REVENUE, debit: commission },
      { account: LedgerAccount.CUSTOMER, credit: difference },
    ]);
    await postRefund(em, order, `refund-exchange:${ret.id}`, `Refund of the exchange difference of return ${ret.code}.`, back);
  }
  await em.flush();
  ctx.runtime.logger.info({ return: ret.code, order: order.code, replacement: replacementOrder.code, refunded: difference }, 'return exchanged');
  return { ret };
}

async function placeReplacement(ctx: Context, em: EntityManager, original: Order, seller: Seller, lines: Awaited<ReturnType<typeof resolveSellerSkus>>, value: number): Promise<Order> {
  const [row] = await em.execute<{ n: string }[]>(`select nextval('cart_number_seq')::text as n`);
  const cartNumber = row!.n;
  const transaction = await paymentOf(em, original);
  const now = new Date();
  const order = placeOrder(
    em,
    OrderAction.PLACE_REPLACEMENT,
    { viewer: ctx.viewer },
    {
      code: displayedCode(seller, `${cartNumber}-1`),
      // A replacement has no cart of its own: a fresh id keeps (cartId, position) unique and its books apart.
      cartId: randomUUID(),
      cartNumber,
      position: 1,
      seller,
      customer: original.customer ?? null,
      agent: null,
      buyerName: original.buyerName,
      buyerEmail: original.buyerEmail,
      buyerDocument: original.buyerDocument,
      buyerPhone: original.buyerPhone,
      shippingAddress: original.shippingAddress,
      shippingCarrier: original.shippingCarrier,
      shippingMethod: original.shippingMethod,
      shippingDays: original.shippingDays,
      shippingSource: original.shippingSource,
      currency: original.currency,
      merchandiseCents: value,
      discountCents: value,
      sellerFundedDiscountCents: 0,
      freightCents: 0,
      totalCents: 0,
      weightGrams: lines.reduce((s, l) => s + l.sku.weightGrams * l.quantity, 0),
      commissionCents: 0,
      sellerReceivableCents: 0,
      placedAt: now,
      replacesOrderId: original.id,
      paymentTransactionId: transaction!.id,
    },
    { at: now, reason: 'EXCHANGE' },
    original,
  );
  lines.forEach((l, i) =>
    createLine(em, order, i + 1, l, { addedByEdit: false, figures: { merchandise: l.figures.merchandise, discount: l.figures.merchandise, sellerFundedDiscount: 0, commission: 0, receivable: 0 } }),
  );
  return order;
}
