import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertNoNul } from '../../shared/validation/index.js';
import { Validation, badInput } from '../../shared/errors/index.js';
import { LedgerEntryKind } from '../finance/index.js';
import { CancellationReason, OrderLine, type Order } from './orders.entity.js';
import { OrderAdjustmentKind } from './order-adjustment.entity.js';
import { OrderAction } from './order-state.js';
import { assertMayEver, assertTransition, transitionOrders } from './order-machine.js';
import { cancelOrders } from './cancellation.service.js';
import { ZERO, addFigures, lockOrderForMoney, postOrderJournal, postRefund, refundOf, releaseForOrder, releaseKey, restock, reversalLines, takeFromOrder, unitsFigures, unitsLeft } from './order-money.js';
import { checkRequest, keyDigest, namedLines, notifyAdjusted, priorAdjustment, recordAdjustment, refuseReplacement, requestText, visibleOrder, type LineUnits } from './order-adjustments.js';

export interface CancelLinesInput {
  orderCode: string;
  lines: LineUnits[];
  note?: string | null;
  idempotencyKey: string;
}

/** Why the seller side cancels, by who asks (the history's reason for a whole cancellation). */
function wholeReason(ctx: Context): CancellationReason {
  return ctx.viewer.kind === 'OPERATOR' ? CancellationReason.OPERATOR_REQUEST : CancellationReason.SELLER_REQUEST;
}

/**
 * Item unavailable (design.md): the order's seller (OWNER/SERVICE users, its integration) or
 * operator staff cancel some lines or units before shipping. The refund is those units' frozen
 * merchandise minus their frozen discount share, split over the payment parts by the payment
 * layer; the order keeps its freight and stays alive with what is left. Cancelling every unit
 * still held is the whole cancellation (the one path, cancellation.service), which also gives
 * the freight back. The same key twice changes nothing the second time.
 *
 * Locks: payment transaction → fraud analysis → order (lockOrderForMoney); money goes back
 * before any SKU row is locked, then the stock returns with SKUs in key order.
 */
export async function cancelOrderLines(ctx: Context, em: EntityManager, input: CancelLinesInput): Promise<{ order: Order }> {
  assertNoNul(input);
  const v = new Validation();
  checkRequest(v, input, input.lines, 'lines');
  v.check(input.lines.length > 0, 'Name the lines and units to cancel.', ['input', 'lines']);
  v.throwIfAny();
  const found = await visibleOrder(ctx, em, input.orderCode);
  const actor = { viewer: ctx.viewer };
  assertMayEver(found, OrderAction.CANCEL_LINES, actor);
  refuseReplacement(found, 'partly cancelled');

  const order = await lockOrderForMoney(em, found.id);
  const request = requestText({ lines: [...input.lines].sort((a, b) => a.position - b.position) });
  if (await priorAdjustment(em, OrderAdjustmentKind.LINE_CANCELLATION, input.idempotencyKey, order.id, request)) return { order };
  assertTransition(order, OrderAction.CANCEL_LINES, actor);

  const lines = await em.find(OrderLine, { order: order.id }, { orderBy: { position: 'asc' }, refresh: true });
  const named = namedLines(v, order, lines, input.lines, 'lines');
  v.throwIfAny();

  const leftAfter = lines.reduce((s, l) => s + unitsLeft(l), 0) - named.reduce((s, n) => s + n.quantity, 0);
  if (leftAfter === 0) {
    // Nothing would be left: that is the whole order's cancellation, freight included.
    const refunded = order.totalCents;
    await cancelOrders(ctx.runtime, em, [order.id], { actor, reason: wholeReason(ctx), note: input.note ?? 'Itens indisponíveis', idempotencyKey: input.idempotencyKey, releaseOperation: 'lines-all' });
    recordAdjustment(em, order, OrderAdjustmentKind.LINE_CANCELLATION, input.idempotencyKey, request, refunded);
    await em.flush();
    return { order };
  }

  let total = ZERO;
  const taken = named.map(({ line, quantity }) => {
    const figures = unitsFigures(line, line.cancelledQuantity + line.returnedQuantity, quantity);
    total = addFigures(total, figures);
    return { line, quantity, figures };
  });
  const refund = refundOf(total);
  if (refund > order.totalCents - order.freightCents) throw badInput('These units are worth more than the order still holds.', 'input', 'lines');

  // 1. Money, while no SKU row is locked.
  const back = await releaseForOrder(ctx.runtime, em, order, refund, releaseKey('lines', order.id, input.idempotencyKey));
  // 2. Stock, SKUs in primary-key order.
  const quantities = new Map<string, number>();
  for (const t of taken) quantities.set(t.line.sku.id, (quantities.get(t.line.sku.id) ?? 0) + t.quantity);
  await restock(em, quantities);
  // 3. Lines, order figures, books, history and the buyer's e-mail.
  for (const t of taken) {
    t.line.cancelledQuantity += t.quantity;
    t.line.refundedCents += refundOf(t.figures);
  }
  takeFromOrder(order, total);
  const ref = `${order.id}:${keyDigest(input.idempotencyKey)}`;
  await postOrderJournal(em, order, LedgerEntryKind.LINE_CANCELLATION, `lines:${ref}`, `Order ${order.code}: unavailable items cancelled.`, reversalLines(order, total));
  await postRefund(em, order, `refund-lines:${ref}`, `Refund of unavailable items of order ${order.code}.`, back);
  await transitionOrders(em, [order], OrderAction.CANCEL_LINES, actor, {
    at: new Date(),
    reason: 'ITEM_UNAVAILABLE',
    note: input.note ?? null,
    data: { lines: taken.map((t) => ({ position: t.line.position, quantity: t.quantity })), refunded: refund },
  });
  recordAdjustment(em, order, OrderAdjustmentKind.LINE_CANCELLATION, input.idempotencyKey, request, refund);
  notifyAdjusted(
    em,
    order,
    'order.lines_cancelled',
    `Pedido ${order.code}: itens indisponíveis`,
    [`O vendedor não tem em estoque parte do pedido ${order.code}; estes itens foram cancelados:`, ...taken.map((t) => `- ${t.quantity} × ${t.line.productName}`), ''],
    back.provider + back.giftCard,
  );
  await em.flush();
  ctx.runtime.logger.info({ order: order.code, refunded: refund }, 'order lines cancelled');
  return { order };
}

