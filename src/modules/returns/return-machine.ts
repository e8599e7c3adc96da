import { raw, type EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, conflict } from '../../shared/errors/index.js';
import { actorOf, recordEvents, systemActor } from '../../shared/events/index.js';
import { describeActor, type Order } from '../orders/index.js';
import { Return, ReturnStatusChange, type ReturnStatus } from './returns.entity.js';
import { RETURN_UNCHANGED, returnRowAdmits, returnStatusWords, returnTransitionFrom, returnTransitionsOf, ReturnAction, type ReturnActor } from './return-state.js';

/**
 * The only code that writes a return's status: each change follows a row of return-state.ts,
 * is kept in the return's history and writes its domain event (aggregate `return`, with the
 * return code and the seller), in the caller's transaction.
 */

/** FORBIDDEN unless the actor appears on one of the action's rows for this return's order (any status). */
export function assertMayEverReturn(order: Order, action: ReturnAction, who: ReturnActor): void {
  let reason: string | null = null;
  for (const row of returnTransitionsOf(action)) {
    const ok = returnRowAdmits(row, who, order);
    if (ok === true) return;
    if (typeof ok === 'string') reason = ok;
  }
  // Opening's verb names its object already ("open a return of"); the others act on returns.
  const what = action === ReturnAction.OPEN ? `order ${order.code}` : `returns of order ${order.code}`;
  throw new AppError(ErrorCode.FORBIDDEN, reason ?? `You may not ${returnTransitionsOf(action)[0]?.verb.base ?? 'change'} ${what}.`);
}

/** CONFLICT naming the status when no row leaves it; FORBIDDEN when one does but not for this actor. */
export function assertReturnTransition(ret: Return, order: Order, action: ReturnAction, who: ReturnActor): void {
  const row = returnTransitionFrom(action, ret.status);
  if (!row) {
    const verb = returnTransitionsOf(action)[0]?.verb.past ?? action.toLowerCase();
    throw conflict(`Return ${ret.code} is ${returnStatusWords(ret.status)} and cannot be ${verb}.`, 'input', 'returnCode');
  }
  const ok = returnRowAdmits(row, who, order);
  if (ok !== true) throw new AppError(ErrorCode.FORBIDDEN, typeof ok === 'string' ? ok : `You may not ${row.verb.base} return ${ret.code}.`);
}

export interface ReturnChange {
  at: Date;
  note?: string | null;
  /** Facts for the domain event (amounts, replacement order…). */
  data?: Record<string, unknown>;
}

/** Takes `action` on the return (checked first) and records the history row and the event. */
export async function transitionReturn(em: EntityManager, ret: Return, order: Order, action: ReturnAction, who: ReturnActor, change: ReturnChange): Promise<void> {
  assertReturnTransition(ret, order, action, who);
  const row = returnTransitionFrom(action, ret.status)!;
  const from = ret.status;
  if (row.to !== RETURN_UNCHANGED) ret.status = row.to;
  record(em, ret, order, from, action, row.event, who, change, await nextPosition(em, ret));
}

/** Records the opening of a return just created (status REQUESTED, set by the caller). */
export function recordOpening(em: EntityManager, ret: Return, order: Order, action: ReturnAction, who: ReturnActor, change: ReturnChange): void {
  const row = returnTransitionFrom(action, null)!;
  record(em, ret, order, null, action, row.event, who, change, 1);
}

async function nextPosition(em: EntityManager, ret: Return): Promise<number> {
  const [row] = await em
    .createQueryBuilder(ReturnStatusChange, 'c')
    .select(raw('coalesce(max(c.position), 0) as last'))
    .where({ ret: ret.id })
    .execute<{ last: number }[]>('all', false);
  let next = Number(row?.last ?? 0) + 1;
  for (const entity of em.getUnitOfWork().getPersistStack()) {
    if (entity instanceof ReturnStatusChange && entity.ret.id === ret.id && entity.position >= next) next = entity.position + 1;
  }
  return next;
}

function record(em: EntityManager, ret: Return, order: Order, from: ReturnStatus | null, action: ReturnAction, event: string, who: ReturnActor, change: ReturnChange, position: number): void {
  const actor = who.actor;
  const described = describeActor(actor);
  // A buyer who opened the return through the order's signed link has no account: "shopper (order link)".
  const label = 'viewer' in actor && actor.viewer.kind === 'ANONYMOUS' && who.linkedOrderId ? 'shopper (order link)' : described.actorLabel;
  recordEvents(em, [
    {
      type: event,
      aggregate: { type: 'return', id: ret.id, code: ret.code },
      sellerId: ret.seller.id,
      actor: 'viewer' in actor ? actorOf(actor.viewer) : systemActor(label),
      data: { from, to: ret.status, action, orderId: order.id, orderCode: order.code, ...(change.data ?? {}) },
    },
  ]);
  em.persist(
    em.create(ReturnStatusChange, {
      ret,
      position,
      fromStatus: from,
      toStatus: ret.status,
      action,
      ...described,
      actorLabel: label,
      note: change.note ?? null,
      at: change.at,
    }),
  );
}
