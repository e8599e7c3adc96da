import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertNoNul } from '../../shared/validation/index.js';
import { ErrorCode, Validation, AppError } from '../../shared/errors/index.js';
import { formatBRL } from '../../shared/money/index.js';
import { LedgerEntryKind } from '../finance/index.js';
import { Seller } from '../sellers/index.js';
import { lockSkusForStock } from '../catalog/index.js';
import { OrderLine, type Order } from './orders.entity.js';
import { OrderAdjustmentKind } from './order-adjustment.entity.js';
import { OrderAction } from './order-state.js';
import { assertMayEver, assertTransition, transitionOrders } from './order-machine.js';
import { ZERO, addFigures, addToOrder, lockOrderForMoney, postOrderJournal, postRefund, refundOf, releaseForOrder, releaseKey, restock, reversalLines, saleLines, takeFromOrder, unitsFigures, unitsLeft } from './order-money.js';
import { checkRequest, keyDigest, namedLines, notifyAdjusted, priorAdjustment, recordAdjustment, refuseReplacement, requestText, visibleOrder, type LineUnits } from './order-adjustments.js';
import { createLine, resolveSellerSkus, takeStock, type WantedSku } from './new-lines.js';

export interface EditOrderInput {
  orderCode: string;
  /** Units to take out, by line position (a swap is a removal and an addition). */
  remove?: LineUnits[] | null;
  /** New lines, from the order's own seller's SKUs. */
  add?: WantedSku[] | null;
  note?: string | null;
  idempotencyKey: string;
}

/**
 * Order edits before shipping (design.md): swap, remove or add lines, only with SKUs of the
 * order's own seller. Untouched lines keep their frozen shares; removed units give back their
 * frozen merchandise − discount; an added line costs today's price with a discount share of 0
 * and today's commission rate. A lower total is refunded through the provider; a higher one is
 * refused (the buyer paid for the order as it was). Something must be left: taking every unit
 * out is cancelOrder's. The same key twice changes nothing the second time.
 *
 * Locks as the other money paths: payment transaction → fraud analysis → order, the money
 * given back before SKUs are locked — removed and added ones together, once, in key order —
 * to restock and take stock. Stock for added
 * lines is checked before the money moves and again under the lock.
 */
export async function editOrder(ctx: Context, em: EntityManager, input: EditOrderInput): Promise<{ order: Order }> {
  assertNoNul(input);
  const remove = input.remove ?? [];
  const add = input.add ?? [];
  const v = new Validation();
  checkRequest(v, input, remove, 'remove');
  v.check(add.length <= 100, 'At most 100 lines per request.', ['input', 'add']);
  v.check(remove.length + add.length > 0, 'Name lines to remove or to add.', ['input']);
  v.throwIfAny();
  const found = await visibleOrder(ctx, em, input.orderCode);
  const actor = { viewer: ctx.viewer };
  assertMayEver(found, OrderAction.EDIT, actor);
  refuseReplacement(found, 'edited');

  const order = await lockOrderForMoney(em, found.id);
  const request = requestText({ remove: [...remove].sort((a, b) => a.position - b.position), add: add.map((a) => [a.skuCode.trim(), a.quantity]) });
  if (await priorAdjustment(em, OrderAdjustmentKind.EDIT, input.idempotencyKey, order.id, request)) return { order };
  assertTransition(order, OrderAction.EDIT, actor);

  const lines = await em.find(OrderLine, { order: order.id }, { orderBy: { position: 'asc' }, refresh: true });
  const removed = namedLines(v, order, lines, remove, 'remove');
  v.throwIfAny();
  const seller = await em.findOneOrFail(Seller, order.seller.id);
  const added = await resolveSellerSkus(em, ctx.viewer, seller, add, ['input', 'add']);

  const left = lines.reduce((s, l) => s + unitsLeft(l), 0) - removed.reduce((s, r) => s + r.quantity, 0) + added.reduce((s, a) => s + a.quantity, 0);
  if (left === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'An edit leaves something in the order; to cancel all of it, use cancelOrder.', ['input', 'remove']);

  let out = ZERO;
  const taken = removed.map(({ line, quantity }) => {
    const figures = unitsFigures(line, line.cancelledQuantity + line.returnedQuantity, quantity);
    out = addFigures(out, figures);
    return { line, quantity, figures };
  });
  const inn = added.reduce((s, a) => addFigures(s, a.figures), ZERO);
  const before = order.totalCents;
  const after = before - refundOf(out) + refundOf(inn);
  if (after > before) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      `The edit would raise order ${order.code} from ${formatBRL(before)} to ${formatBRL(after)}: an edit may keep or lower the total the buyer paid, never raise it.`,
      ['input', 'add'],
    );
  }
  const refund = before - after;

  // 1. Money, while no SKU row is locked.
  const back = await releaseForOrder(ctx.runtime, em, order, refund, releaseKey('edit', order.id, input.idempotencyKey));
  // 2. Stock: removed units back, added lines taken. Every SKU the edit touches is locked in
  // one pass, in key order, before either step: locking the removed SKUs and then the added
  // ones would hold a higher key while waiting for a lower one, and deadlock against a
  // checkout or refund taking the same two in key order.
  const quantities = new Map<string, number>();
  for (const t of taken) quantities.set(t.line.sku.id, (quantities.get(t.line.sku.id) ?? 0) + t.quantity);
  await lockSkusForStock(em, [...quantities.keys(), ...added.map((a) => a.sku.id)]);
  await restock(em, quantities);
  await takeStock(em, added, ['input', 'add']);
  // 3. Lines, figures, books, history, e-mail.
  for (const t of taken) {
    t.line.cancelledQuantity += t.quantity;
    t.line.refundedCents += refundOf(t.figures);
  }
  let position = lines.reduce((m, l) => Math.max(m, l.position), 0);
  for (const a of added) createLine(em, order, ++position, a, { addedByEdit: true });
  takeFromOrder(order, out);
  addToOrder(order, inn);
  order.weightGrams += added.reduce((s, a) => s + a.sku.weightGrams * a.quantity, 0);
  const ref = `${order.id}:${keyDigest(input.idempotencyKey)}`;
  await postOrderJournal(em, order, LedgerEntryKind.EDIT, `edit:${ref}`, `Order ${order.code} edited.`, [...reversalLines(order, out), ...saleLines(order, inn)]);
  await postRefund(em, order, `refund-edit:${ref}`, `Refund of the edit of order ${order.code}.`, back);
  await transitionOrders(em, [order], OrderAction.EDIT, actor, {
    at: new Date(),
    reason: 'ORDER_EDITED',
    note: input.note ?? null,
    data: {
      removed: taken.map((t) => ({ position: t.line.position, quantity: t.quantity })),
      added: added.map((a) => ({ skuCode: a.sku.code, quantity: a.quantity })),
      refunded: refund,
    },
  });
  recordAdjustment(em, order, OrderAdjustmentKind.EDIT, input.idempotencyKey, request, refund);
  notifyAdjusted(
    em,
    order,
    'order.edited',
    `Pedido ${order.code} alterado`,
    [
      `O pedido ${order.code} foi alterado:`,
      ...taken.map((t) => `- retirado: ${t.quantity} × ${t.line.productName}`),
      ...added.map((a) => `- incluído: ${a.quantity} × ${a.product.name}`),
      '',
    ],
    back.provider + back.giftCard,
  );
  await em.flush();
  ctx.runtime.logger.info({ order: order.code, refunded: refund }, 'order edited');
  return { order };
}
