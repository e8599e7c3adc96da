import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { ErrorCode, Validation, assertIdempotencyKey, conflict, notFound } from '../../shared/errors/index.js';
import { formatBRL } from '../../shared/money/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { Order, OrderLine } from './orders.entity.js';
import { OrderAdjustment, type OrderAdjustmentKind } from './order-adjustment.entity.js';
import { canSeeOrder } from './orders.service.js';
import { unitsLeft } from './order-money.js';

/**
 * What item-unavailable cancellations and order edits share besides the money: finding the
 * order the caller may see, answering a repeated idempotency key, and checking which units of
 * which lines a request names.
 */

/** Units of one line, by its position in the order (integrators read positions from the order). */
export interface LineUnits {
  position: number;
  quantity: number;
}

export const MAX_REQUEST_LINES = 100;

/** The order named by code, when the caller may see it; another seller's order is NOT_FOUND. */
export async function visibleOrder(ctx: Context, em: EntityManager, code: string): Promise<Order> {
  const trimmed = code.trim();
  const order = trimmed && trimmed.length <= 40 ? await em.findOne(Order, { code: trimmed }) : null;
  if (!order || !canSeeOrder(ctx, order)) throw notFound(`No order ${trimmed || '(empty code)'}.`, 'input', 'orderCode');
  return order;
}

/** A replacement order moves no money of its own: its changes go through the return it came from. */
export function refuseReplacement(order: Order, what: string): void {
  if (order.replacesOrderId) {
    throw conflict(`Order ${order.code} is the replacement of an exchange and carries no money of its own: it cannot be ${what}; ask the store.`, 'input', 'orderCode');
  }
}

/** The key's digest, for ledger references (bounded, and the client's key is not written into the books). */
export const keyDigest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);

/**
 * The adjustment already made under this key, if any. The same key for another order or
 * request is a CONFLICT. The order's lock only serialises twins on the same order: the key is
 * also locked (a transaction-scoped advisory lock on kind + key, taken after the order's lock,
 * last of the locks a request holds while waiting), so the same key sent at once for two
 * orders waits here and answers CONFLICT before any money moves, instead of both refunding
 * and one failing on the unique index.
 */
export async function priorAdjustment(em: EntityManager, kind: OrderAdjustmentKind, key: string, orderId: string, request: string): Promise<OrderAdjustment | null> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`order-adjustment:${kind}:${key}`]);
  const prior = await em.findOne(OrderAdjustment, { kind, idempotencyKey: key });
  if (prior && (prior.order.id !== orderId || prior.request !== request)) {
    throw conflict('This idempotency key was already used for another request; send a new key for a new change.', 'input', 'idempotencyKey');
  }
  return prior;
}

export function recordAdjustment(em: EntityManager, order: Order, kind: OrderAdjustmentKind, key: string, request: string, refundedCents: number): void {
  em.persist(em.create(OrderAdjustment, { order, kind, idempotencyKey: key, request, refundedCents }));
}

/** Shape checks of a request's lines that need no database: key, note, positions and quantities. */
export function checkRequest(v: Validation, input: { idempotencyKey: string; note?: string | null }, lines: readonly LineUnits[], field: string): void {
  try {
    assertIdempotencyKey(input.idempotencyKey);
  } catch {
    v.add(ErrorCode.BAD_USER_INPUT, 'The idempotency key must be 8 to 200 letters, digits or . _ : -; send a fresh random one for each new request.', ['input', 'idempotencyKey']);
  }
  if (input.note && input.note.length > 2000) v.add(ErrorCode.BAD_USER_INPUT, 'The note is limited to 2,000 characters.', ['input', 'note']);
  v.check(lines.length <= MAX_REQUEST_LINES, `At most ${MAX_REQUEST_LINES} lines per request.`, ['input', field]);
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    v.check(Number.isInteger(l.quantity) && l.quantity > 0, 'The quantity is a whole number of units, at least 1.', ['input', field, String(i), 'quantity']);
    v.check(!seen.has(l.position), `Line ${l.position} is named twice.`, ['input', field, String(i), 'position']);
    seen.add(l.position);
  });
}

/** The order's lines named by position, each with no more units than it still holds. */
export function namedLines(v: Validation, order: Order, lines: readonly OrderLine[], wanted: readonly LineUnits[], field: string): { line: OrderLine; quantity: number }[] {
  const out: { line: OrderLine; quantity: number }[] = [];
  wanted.forEach((w, i) => {
    const line = lines.find((l) => l.position === w.position);
    if (!line) {
      v.add(ErrorCode.NOT_FOUND, `Order ${order.code} has no line ${w.position}.`, ['input', field, String(i), 'position']);
      return;
    }
    const left = unitsLeft(line);
    if (w.quantity > left) v.add(ErrorCode.BAD_USER_INPUT, `Line ${w.position} (${line.skuCode}) has ${left} unit(s) left; ${w.quantity} asked.`, ['input', field, String(i), 'quantity']);
    else out.push({ line, quantity: w.quantity });
  });
  return out;
}

/** A request as a stable text, so a repeated key can tell "the same request" from "another". */
export const requestText = (parts: Record<string, unknown>) => JSON.stringify(parts);

/** The buyer's e-mail about a change of an order before shipping (item unavailable, edit). */
export function notifyAdjusted(em: EntityManager, order: Order, topic: string, subject: string, lines: string[], refunded: number): void {
  enqueueEmail(em, topic, {
    to: order.buyerEmail,
    subject,
    text: [
      `Olá, ${order.buyerName}.`,
      '',
      ...lines,
      refunded > 0 ? `Estornamos ${formatBRL(refunded)} pela mesma forma de pagamento.` : 'Nenhum valor foi estornado.',
      `Novo total do pedido: ${formatBRL(order.totalCents)}.`,
    ].join('\n'),
  });
}
