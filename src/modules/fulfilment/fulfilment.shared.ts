import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { notFound } from '../../shared/errors/index.js';
import { Order, canSeeOrder } from '../orders/index.js';

/**
 * The order a fulfilment call names by its full code (integrators send it with the
 * concatenation code), locked for the change. An order the caller may not see does not exist
 * for it: another seller's order is NOT_FOUND, never FORBIDDEN, so codes cannot be probed.
 * Only the order row is locked: fulfilment moves no money or stock, so it needs none of the
 * locks that come before orders in the store's lock order.
 */
export async function lockOrderByCode(ctx: Context, em: EntityManager, code: string, field: readonly string[]): Promise<Order> {
  const trimmed = code.trim();
  const order = trimmed.length > 0 && trimmed.length <= 40 ? await em.findOne(Order, { code: trimmed }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
  if (!order || !canSeeOrder(ctx, order)) throw notFound(`No order ${trimmed || '(empty code)'}.`, ...field);
  return order;
}

/** Times a client reports (issued, shipped, delivered) may be a little ahead of our clock, never in the future. */
export const CLOCK_SKEW_MS = 10 * 60_000;
