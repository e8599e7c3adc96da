import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { paginate } from '../../shared/pagination/index.js';
import { CancellationReason, Order, OrderStatus } from './orders.entity.js';
import { Seller, sellerFilter } from '../sellers/index.js';
import { assertIdExists } from '../../shared/db/ids.js';
import { assertIdempotencyKey, badInput, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { cancelOrder } from './cancellation.service.js';
import { OrderAction } from './order-state.js';
import { assertMayEver } from './order-machine.js';
import type { OrderListArgs } from './orders.types.js';
import { Cart, hashCartToken, mayUseCart } from '../carts/index.js';

/**
 * Who sees an order: operator staff; the order's seller (its users and its ERP integration);
 * the customer who bought it; and whoever holds the token of the cart it came from (an
 * anonymous shopper right after checkout). Storefront and portal go through this one check.
 */
export function canSeeOrder(ctx: Context, order: Order): boolean {
  const v = ctx.viewer;
  if (v.kind === 'OPERATOR') return true;
  // Catalog users look after products and stock; orders are for owners, service and finance.
  if (v.kind === 'SELLER') return v.seller.id === order.seller.id && v.role !== 'CATALOG';
  if (v.kind === 'INTEGRATION') return v.seller.id === order.seller.id;
  if (v.kind === 'CUSTOMER' && order.customer?.id === v.user.id) return true;
  // The shopper who holds the cart's token (granted by checkout / ordersOfCart in this request).
  return (v.kind === 'ANONYMOUS' || v.kind === 'CUSTOMER') && grantedCarts(ctx).has(order.cartId);
}

/** Carts whose token this request presented: their orders are visible to it. */
function grantedCarts(ctx: Context): Set<string> {
  let set = ctx.loaders.get('orders.grantedCarts') as Set<string> | undefined;
  if (!set) {
    set = new Set();
    ctx.loaders.set('orders.grantedCarts', set);
  }
  return set;
}

export function grantCart(ctx: Context, cartId: string): void {
  grantedCarts(ctx).add(cartId);
}

/** Finance figures of an order (commission, receivable): operator staff and the order's own seller. */
export function canSeeOrderFinance(ctx: Context, sellerId: string): boolean {
  const v = ctx.viewer;
  if (v.kind === 'OPERATOR') return true;
  if (v.kind === 'INTEGRATION') return v.seller.id === sellerId;
  return v.kind === 'SELLER' && v.seller.id === sellerId && (v.role === 'OWNER' || v.role === 'FINANCE');
}

export async function findOrder(ctx: Context, code: string): Promise<Order | null> {
  const order = await ctx.em.findOne(Order, { code: code.trim() });
  return order && canSeeOrder(ctx, order) ? order : null;
}

/**
 * Orders the viewer may list: operator staff (all, or one seller's), a seller's users and
 * integration (their own; naming another seller is FORBIDDEN), customers (their own).
 */
export async function listOrders(ctx: Context, args: OrderListArgs) {
  const where: FilterQuery<Order> = {};
  const v = ctx.viewer;
  if (v.kind === 'CUSTOMER') {
    if (args.sellerId) throw forbidden('Customers list their own orders.');
    where.customer = v.user.id;
  } else {
    const sellerId = sellerFilter(v, args.sellerId);
    if (args.sellerId) await assertIdExists(ctx.em, Seller, args.sellerId, ['sellerId'], 'seller');
    if (sellerId) where.seller = sellerId;
  }
  if (args.cartNumber) where.cartNumber = args.cartNumber.trim();
  if (args.status) where.status = args.status;
  return paginate(ctx.em, Order, where, args, { createdAt: 'desc', position: 'asc' } as never);
}

/** The orders of a checked-out cart, for whoever holds its token (the storefront's order confirmation). */
export async function ordersOfCart(ctx: Context, cartToken: string): Promise<Order[]> {
  const cart = await ctx.em.findOne(Cart, { tokenHash: hashCartToken(cartToken) });
  if (!cart || !mayUseCart(ctx.viewer, cart)) throw notFound('No cart with this token.', 'cartToken');
  grantCart(ctx, cart.id);
  return ctx.em.find(Order, { cartId: cart.id }, { orderBy: { position: 'asc' } });
}

/** Which reason a cancellation gets from who asks for it. */
function reasonFor(ctx: Context): CancellationReason {
  switch (ctx.viewer.kind) {
    case 'OPERATOR':
      return CancellationReason.OPERATOR_REQUEST;
    case 'SELLER':
    case 'INTEGRATION':
      return CancellationReason.SELLER_REQUEST;
    default:
      return CancellationReason.SHOPPER_REQUEST;
  }
}

/**
 * `cancelOrder` for shoppers (their own orders), the order's seller (OWNER/SERVICE users, its
 * integration, while the seller is not suspended) and operator staff: the CANCEL rows of the
 * transition table (order-state.ts) say who and from which statuses. The refund is this
 * order's frozen total, nothing else of the cart changes. Runs inside the mutation runner's
 * transaction, so a malformed key or note is a userError like every other refusal.
 */
export async function requestCancellation(ctx: Context, em: EntityManager, input: { orderCode: string; note?: string | null; idempotencyKey: string }) {
  assertIdempotencyKey(input.idempotencyKey);
  if (input.note && input.note.length > 2000) throw badInput('The note is limited to 2,000 characters.', 'input', 'note');
  const order = await em.findOne(Order, { code: input.orderCode.trim() });
  if (!order || !canSeeOrder(ctx, order)) throw notFound(`No order ${input.orderCode}.`, 'input', 'orderCode');
  const actor = { viewer: ctx.viewer };
  // Checked before the repeat below: a cancelled order is returned unchanged only to someone who could have cancelled it.
  assertMayEver(order, OrderAction.CANCEL, actor);
  if (order.status === OrderStatus.CANCELLED) return { order };
  if (order.replacesOrderId) {
    throw conflict(`Order ${order.code} is the replacement of an exchange and carries no money of its own: it cannot be cancelled; ask the store.`, 'input', 'orderCode');
  }
  const cancelled = await cancelOrder(ctx.runtime, em, order.id, { actor, reason: reasonFor(ctx), note: input.note, idempotencyKey: `cancel:${input.idempotencyKey}` });
  return { order: cancelled };
}
