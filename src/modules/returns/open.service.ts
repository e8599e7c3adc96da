import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertNoNul } from '../../shared/validation/index.js';
import { ErrorCode, Validation, conflict, notFound, badInput } from '../../shared/errors/index.js';
import { displayedCode } from '../catalog/index.js';
import { ORDER_LINKS, Order, OrderLine, OrderStatus, unitsLeft } from '../orders/index.js';
import { Seller, getSettings } from '../sellers/index.js';
import { Return, ReturnLine, ReturnStatus, type ReturnReason } from './returns.entity.js';
import { ReturnAction } from './return-state.js';
import { assertMayEverReturn, recordOpening } from './return-machine.js';
import { canSeeReturn, grantOrderLink, returnActor } from './returns.service.js';

export interface OpenReturnInput {
  /** The order's full code (signed-in callers). */
  orderCode?: string | null;
  /** A signed order link's token (anonymous buyers, from their e-mail). */
  orderLinkToken?: string | null;
  lines: { position: number; quantity: number }[];
  reason: ReturnReason;
  description?: string | null;
}

const DAY_MS = 24 * 3600_000;
/** Returns still waiting for the items or the money hold their units. */
const OPEN_STATES = [ReturnStatus.REQUESTED, ReturnStatus.APPROVED, ReturnStatus.RECEIVED];

/**
 * Opens a return (design.md): lines and units of one DELIVERED order, within the store's return
 * window counted from delivery (operator staff may also open one after it), by the order's
 * customer, whoever holds the order's signed link (anonymous buyers), the seller's OWNER/SERVICE
 * users or operator staff — the OPEN row of return-state.ts. Units already cancelled, returned or
 * held by another open return cannot be returned again. The code is `[<concat>-]R<n>`.
 *
 * The order row is locked, so two returns opened at once cannot both take the same units.
 */
export async function openReturn(ctx: Context, em: EntityManager, input: OpenReturnInput): Promise<{ ret: Return }> {
  assertNoNul(input);
  const v = new Validation();
  v.check(!!input.orderCode?.trim() !== !!input.orderLinkToken?.trim(), 'Name the order by its code or by its link token, one of the two.', ['input', 'orderCode']);
  v.check(input.lines.length > 0 && input.lines.length <= 100, 'Name 1 to 100 lines to return.', ['input', 'lines']);
  v.check(!input.description || input.description.length <= 2000, 'The description is limited to 2,000 characters.', ['input', 'description']);
  const seen = new Set<number>();
  input.lines.forEach((l, i) => {
    v.check(Number.isInteger(l.quantity) && l.quantity > 0, 'The quantity is a whole number of units, at least 1.', ['input', 'lines', String(i), 'quantity']);
    v.check(!seen.has(l.position), `Line ${l.position} is named twice.`, ['input', 'lines', String(i), 'position']);
    seen.add(l.position);
  });
  v.throwIfAny();

  let order: Order | null;
  if (input.orderLinkToken?.trim()) {
    const orderId = ctx.runtime.services.get(ORDER_LINKS).verify(input.orderLinkToken);
    order = orderId ? await em.findOne(Order, orderId) : null;
    if (!order) throw notFound('This order link is not valid (or it expired); ask the store for a new one.', 'input', 'orderLinkToken');
    grantOrderLink(ctx, order.id);
  } else {
    const code = input.orderCode!.trim();
    order = code.length <= 40 ? await em.findOne(Order, { code }) : null;
    if (!order || !canSeeReturn(ctx, order)) throw notFound(`No order ${code}.`, 'input', 'orderCode');
  }
  const who = returnActor(ctx, order.id);
  assertMayEverReturn(order, ReturnAction.OPEN, who);

  order = await em.findOneOrFail(Order, order.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (order.replacesOrderId) throw conflict(`Order ${order.code} replaced items of an exchange; ask the store to return it.`, 'input', 'orderCode');
  if (order.status !== OrderStatus.DELIVERED || !order.deliveredAt) {
    throw conflict(`Order ${order.code} is ${order.status.toLowerCase().replace(/_/g, ' ')}: returns are opened for delivered orders.`, 'input', 'orderCode');
  }
  const settings = await getSettings(em);
  const closes = order.deliveredAt.getTime() + settings.returnWindowDays * DAY_MS;
  if (Date.now() > closes && ctx.viewer.kind !== 'OPERATOR') {
    throw conflict(`The return window of order ${order.code} (${settings.returnWindowDays} days after delivery) closed on ${new Date(closes).toISOString().slice(0, 10)}; ask the store.`, 'input', 'orderCode');
  }

  const lines = await em.find(OrderLine, { order: order.id }, { orderBy: { position: 'asc' }, refresh: true });
  const held = await em.find(ReturnLine, { orderLine: { $in: lines.map((l) => l.id) }, ret: { status: { $in: OPEN_STATES } } });
  const taken = input.lines.map((w, i) => {
    const line = lines.find((l) => l.position === w.position);
    if (!line) {
      v.add(ErrorCode.NOT_FOUND, `Order ${order.code} has no line ${w.position}.`, ['input', 'lines', String(i), 'position']);
      return null;
    }
    const free = unitsLeft(line) - held.filter((h) => h.orderLine.id === line.id).reduce((s, h) => s + h.quantity, 0);
    if (w.quantity > free) v.add(ErrorCode.BAD_USER_INPUT, `Line ${w.position} (${line.productName}) has ${Math.max(free, 0)} unit(s) that can still be returned; ${w.quantity} asked.`, ['input', 'lines', String(i), 'quantity']);
    return { line, quantity: w.quantity };
  });
  v.throwIfAny();

  const [row] = await em.execute<{ n: string }[]>(`select nextval('return_number_seq')::text as n`);
  if (!row) throw badInput('No return number.');
  const seller = await em.findOneOrFail(Seller, order.seller.id);
  const now = new Date();
  const ret = em.create(Return, {
    returnNumber: row.n,
    code: displayedCode(seller, `R${row.n}`),
    order,
    seller,
    status: ReturnStatus.REQUESTED,
    reason: input.reason,
    description: input.description?.trim() || null,
    openedAt: now,
  });
  for (const t of taken) em.create(ReturnLine, { ret, orderLine: t!.line, position: t!.line.position, quantity: t!.quantity });
  recordOpening(em, ret, order, ReturnAction.OPEN, who, { at: now, note: input.description ?? null, data: { reason: input.reason, lines: taken.map((t) => ({ position: t!.line.position, quantity: t!.quantity })) } });
  await em.flush();
  return { ret };
}
