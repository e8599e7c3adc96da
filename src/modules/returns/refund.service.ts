import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertNoNul } from '../../shared/validation/index.js';
import { assertIdempotencyKey, forbidden } from '../../shared/errors/index.js';
import { LedgerEntryKind } from '../finance/index.js';
import { OrderLine, ZERO, addFigures, lockOrderForMoney, postOrderJournal, postRefund, refundOf, releaseForOrder, releaseKey, reversalLines, unitsFigures } from '../orders/index.js';
import { Return, ReturnStatus } from './returns.entity.js';
import { ReturnAction } from './return-state.js';
import { assertMayEverReturn, transitionReturn } from './return-machine.js';
import { lockReturn, returnActor, returnForChange } from './returns.service.js';

export interface RefundReturnInput {
  returnCode: string;
  /** Operator staff only: give the order's freight share back too (design.md: freight only by operator decision). */
  refundFreight?: boolean | null;
  idempotencyKey: string;
}

/**
 * RECEIVED → REFUNDED (design.md: the money moves here). Exactly the returned units' frozen
 * merchandise − discount share goes back over the payment parts, split by quantity with
 * allocate from the order lines' frozen figures (order-money.ts), after the units returned
 * before; with `refundFreight` (operator staff) the order's freight share not yet given back.
 * The books: RETURN (the units' receivable, commission and operator-funded discount reversed,
 * and the freight) and REFUND (where the money went).
 *
 * Locks, in the store's order: payment transaction → fraud analysis → order → this return.
 * A second call — the same key repeated, or another call racing this one — waits for the
 * return's lock, finds it REFUNDED and answers it unchanged: the money moves once.
 */
export async function refundReturn(ctx: Context, em: EntityManager, input: RefundReturnInput): Promise<{ ret: Return }> {
  assertNoNul(input);
  assertIdempotencyKey(input.idempotencyKey);
  const found = await returnForChange(ctx, em, input.returnCode);
  const who = returnActor(ctx, found.order.id);
  assertMayEverReturn(found.order, ReturnAction.REFUND, who);
  if (input.refundFreight && ctx.viewer.kind !== 'OPERATOR') throw forbidden('Only operator staff decide to refund the freight of a return.');

  const order = await lockOrderForMoney(em, found.order.id);
  const ret = await lockReturn(em, found.ret.id);
  if (ret.status === ReturnStatus.REFUNDED) return { ret };

  const returnLines = ret.lines.getItems();
  const orderLines = await em.find(OrderLine, { id: { $in: returnLines.map((l) => l.orderLine.id) } }, { refresh: true });
  let total = ZERO;
  const parts = returnLines.map((rl) => {
    const line = orderLines.find((o) => o.id === rl.orderLine.id)!;
    const figures = unitsFigures(line, line.cancelledQuantity + line.returnedQuantity, rl.quantity);
    total = addFigures(total, figures);
    return { rl, line, figures };
  });
  let freight = 0;
  if (input.refundFreight) {
    const others = await em.find(Return, { order: order.id, id: { $ne: ret.id } }, { fields: ['freightRefundedCents'] });
    freight = order.freightCents - others.reduce((s, r) => s + r.freightRefundedCents, 0);
  }
  const refund = refundOf(total) + freight;

  // Checked (status, actor) before any money moves; the change itself is written below.
  const now = new Date();
  await transitionReturn(em, ret, order, ReturnAction.REFUND, who, { at: now, data: { refunded: refundOf(total), freightRefunded: freight } });
  const back = await releaseForOrder(ctx.runtime, em, order, refund, releaseKey('return', ret.id, input.idempotencyKey));
  for (const p of parts) {
    p.line.returnedQuantity += p.rl.quantity;
    p.line.refundedCents += refundOf(p.figures);
    p.rl.refundedCents = refundOf(p.figures);
  }
  ret.refundedCents = refundOf(total);
  ret.freightRefundedCents = freight;
  ret.closedAt = now;
  await postOrderJournal(em, order, LedgerEntryKind.RETURN, `return:${ret.id}`, `Return ${ret.code} of order ${order.code} refunded.`, reversalLines(order, total, freight));
  await postRefund(em, order, `refund-return:${ret.id}`, `Refund of return ${ret.code}.`, back);
  await em.flush();
  ctx.runtime.logger.info({ return: ret.code, order: order.code, refunded: refund }, 'return refunded');
  return { ret };
}
