import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertIdExists } from '../../shared/db/ids.js';
import { badInput, forbidden, notFound } from '../../shared/errors/index.js';
import { hasNoNul } from '../../shared/validation/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { Order, canSeeOrder, grantOrder } from '../orders/index.js';
import { Seller, sellerFilter } from '../sellers/index.js';
import { Return, type ReturnStatus } from './returns.entity.js';
import type { ReturnActor } from './return-state.js';

/** Orders whose signed link this request presented: their returns are visible to it. */
function linkedOrders(ctx: Context): Set<string> {
  let set = ctx.loaders.get('returns.linkedOrders') as Set<string> | undefined;
  if (!set) {
    set = new Set();
    ctx.loaders.set('returns.linkedOrders', set);
  }
  return set;
}

export function grantOrderLink(ctx: Context, orderId: string): void {
  linkedOrders(ctx).add(orderId);
  // The buyer who opened a return through its order's link reads that order back in the answer.
  grantOrder(ctx, orderId);
}

/** The caller as the return state machine sees it: its viewer, and the order its link opened in this request. */
export function returnActor(ctx: Context, orderId?: string): ReturnActor {
  return { actor: { viewer: ctx.viewer }, linkedOrderId: orderId && linkedOrders(ctx).has(orderId) ? orderId : null };
}

/**
 * Who sees a return: whoever sees its order (operator staff, the order's seller except its
 * catalog users, its integration, the order's customer), and whoever presented a valid signed
 * link to that order in this request. Another seller's return does not exist for a seller.
 */
export function canSeeReturn(ctx: Context, order: Order): boolean {
  return canSeeOrder(ctx, order) || linkedOrders(ctx).has(order.id);
}

/** A return by code with its order, when the caller may see it (null otherwise). */
export async function findReturn(ctx: Context, em: EntityManager, code: string): Promise<{ ret: Return; order: Order } | null> {
  const trimmed = code.trim();
  if (!trimmed || trimmed.length > 40 || !hasNoNul(trimmed)) return null;
  const ret = await em.findOne(Return, { code: trimmed });
  if (!ret) return null;
  const order = await em.findOneOrFail(Order, ret.order.id);
  return canSeeReturn(ctx, order) ? { ret, order } : null;
}

/** The return a mutation names, or NOT_FOUND on input.returnCode (another seller's included). */
export async function returnForChange(ctx: Context, em: EntityManager, code: string): Promise<{ ret: Return; order: Order }> {
  const found = await findReturn(ctx, em, code);
  if (!found) throw notFound(`No return ${code.trim() || '(empty code)'}.`, 'input', 'returnCode');
  return found;
}

/** Re-reads the return locked for a change (after the order and what comes before it, in the store's lock order). */
export async function lockReturn(em: EntityManager, id: string): Promise<Return> {
  return em.findOneOrFail(Return, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, populate: ['lines'] as never });
}

export interface ReturnListArgs extends ConnectionArgs {
  status?: ReturnStatus | null;
  orderCode?: string | null;
  sellerId?: string | null;
}

/**
 * Returns the viewer may list, newest first: operator staff all (or one seller's), a seller's
 * users and integration their own (naming another seller is FORBIDDEN), customers those of
 * their own orders.
 */
export async function listReturns(ctx: Context, args: ReturnListArgs) {
  const where: FilterQuery<Return> = {};
  const v = ctx.viewer;
  if (v.kind === 'CUSTOMER') {
    if (args.sellerId) throw forbidden('Customers list the returns of their own orders.');
    where.order = { customer: v.user.id };
  } else {
    const sellerId = sellerFilter(v, args.sellerId);
    if (args.sellerId) await assertIdExists(ctx.em, Seller, args.sellerId, ['sellerId'], 'seller');
    if (sellerId) where.seller = sellerId;
  }
  if (args.status) where.status = args.status;
  if (args.orderCode && !hasNoNul(args.orderCode)) throw badInput('Text may not contain NUL characters.', 'orderCode');
  if (args.orderCode) where.order = { ...(where.order as object | undefined), code: args.orderCode.trim() };
  return paginate(ctx.em, Return, where, args, { createdAt: 'desc', id: 'desc' } as never);
}
