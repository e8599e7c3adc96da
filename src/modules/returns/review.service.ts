import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { ErrorCode, Validation } from '../../shared/errors/index.js';
import { assertNoNul, checkText, checkUrl } from '../../shared/validation/index.js';
import { Order, OrderLine, restock } from '../orders/index.js';
import type { Return } from './returns.entity.js';
import { ReturnAction } from './return-state.js';
import { assertMayEverReturn, assertReturnTransition, transitionReturn } from './return-machine.js';
import { lockReturn, returnActor, returnForChange } from './returns.service.js';

/**
 * The seller side's steps of a return before the money (design.md): approve or reject a
 * request, give the reverse-logistics tracking, receive the items (resellable units restocked).
 * Each is a row of return-state.ts; the order row is locked before the return (the store's lock
 * order: … → orders → returns → SKUs), since receiving moves stock.
 */
async function locked(ctx: Context, em: EntityManager, code: string, action: ReturnAction): Promise<{ ret: Return; order: Order }> {
  const found = await returnForChange(ctx, em, code);
  assertMayEverReturn(found.order, action, returnActor(ctx, found.order.id));
  const order = await em.findOneOrFail(Order, found.order.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const ret = await lockReturn(em, found.ret.id);
  return { ret, order };
}

export async function approveReturn(ctx: Context, em: EntityManager, input: { returnCode: string; note?: string | null }) {
  assertNoNul(input);
  const v = new Validation();
  checkText(v, input.note, 'note', 2000);
  v.throwIfAny();
  const { ret, order } = await locked(ctx, em, input.returnCode, ReturnAction.APPROVE);
  const now = new Date();
  await transitionReturn(em, ret, order, ReturnAction.APPROVE, returnActor(ctx, order.id), { at: now, note: input.note ?? null });
  ret.decidedAt = now;
  await em.flush();
  return { ret };
}

export async function rejectReturn(ctx: Context, em: EntityManager, input: { returnCode: string; reason: string }) {
  assertNoNul(input);
  const v = new Validation();
  checkText(v, input.reason, 'reason', 2000, true);
  v.throwIfAny();
  const { ret, order } = await locked(ctx, em, input.returnCode, ReturnAction.REJECT);
  const now = new Date();
  await transitionReturn(em, ret, order, ReturnAction.REJECT, returnActor(ctx, order.id), { at: now, note: input.reason.trim(), data: { rejectionReason: input.reason.trim() } });
  ret.decidedAt = now;
  ret.rejectionReason = input.reason.trim();
  await em.flush();
  return { ret };
}

const TRACKING_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,99}$/;

export async function setReturnTracking(ctx: Context, em: EntityManager, input: { returnCode: string; carrier: string; trackingCode: string; trackingUrl?: string | null }) {
  assertNoNul(input);
  const v = new Validation();
  checkText(v, input.carrier, 'carrier', 100, true);
  v.check(TRACKING_CODE_RE.test(input.trackingCode.trim()), 'The tracking code has up to 100 letters, digits, spaces or . _ / -.', ['input', 'trackingCode']);
  checkUrl(v, input.trackingUrl, ['input', 'trackingUrl']);
  v.throwIfAny();
  const { ret, order } = await locked(ctx, em, input.returnCode, ReturnAction.TRACK);
  const same = ret.trackingCarrier === input.carrier.trim() && ret.trackingCode === input.trackingCode.trim() && (ret.trackingUrl ?? null) === (input.trackingUrl?.trim() || null);
  if (same) return { ret };
  await transitionReturn(em, ret, order, ReturnAction.TRACK, returnActor(ctx, order.id), {
    at: new Date(),
    data: { carrier: input.carrier.trim(), trackingCode: input.trackingCode.trim(), trackingUrl: input.trackingUrl?.trim() || null },
  });
  ret.trackingCarrier = input.carrier.trim();
  ret.trackingCode = input.trackingCode.trim();
  ret.trackingUrl = input.trackingUrl?.trim() || null;
  await em.flush();
  return { ret };
}

export interface ReceiveInput {
  returnCode: string;
  /** Per line, the units fit to sell again; lines left out: every unit is. */
  lines?: { position: number; resellableQuantity: number }[] | null;
  note?: string | null;
}

/** APPROVED → RECEIVED: the items arrived; resellable units go back to stock (SKUs locked in key order). */
export async function receiveReturn(ctx: Context, em: EntityManager, input: ReceiveInput) {
  assertNoNul(input);
  const v = new Validation();
  checkText(v, input.note, 'note', 2000);
  v.throwIfAny();
  const { ret, order } = await locked(ctx, em, input.returnCode, ReturnAction.RECEIVE);
  assertReturnTransition(ret, order, ReturnAction.RECEIVE, returnActor(ctx, order.id));
  const lines = ret.lines.getItems();
  (input.lines ?? []).forEach((w, i) => {
    const line = lines.find((l) => l.position === w.position);
    if (!line) v.add(ErrorCode.NOT_FOUND, `Return ${ret.code} has no line ${w.position}.`, ['input', 'lines', String(i), 'position']);
    else if (!Number.isInteger(w.resellableQuantity) || w.resellableQuantity < 0 || w.resellableQuantity > line.quantity) {
      v.add(ErrorCode.BAD_USER_INPUT, `Line ${w.position} returns ${line.quantity} unit(s): 0 to ${line.quantity} of them can be resellable.`, ['input', 'lines', String(i), 'resellableQuantity']);
    }
  });
  v.throwIfAny();
  const orderLines = await em.find(OrderLine, { id: { $in: lines.map((l) => l.orderLine.id) } });
  const quantities = new Map<string, number>();
  for (const line of lines) {
    line.resellableQuantity = input.lines?.find((w) => w.position === line.position)?.resellableQuantity ?? line.quantity;
    const skuId = orderLines.find((o) => o.id === line.orderLine.id)!.sku.id;
    quantities.set(skuId, (quantities.get(skuId) ?? 0) + line.resellableQuantity);
  }
  const now = new Date();
  await transitionReturn(em, ret, order, ReturnAction.RECEIVE, returnActor(ctx, order.id), {
    at: now,
    note: input.note ?? null,
    data: { lines: lines.map((l) => ({ position: l.position, quantity: l.quantity, resellable: l.resellableQuantity })) },
  });
  ret.receivedAt = now;
  await restock(em, quantities);
  await em.flush();
  return { ret };
}

