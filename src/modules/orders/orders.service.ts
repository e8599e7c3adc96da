import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { SortDirection, paginate } from '../../shared/pagination/index.js';
import { CancellationReason, Order, OrderStatus } from './orders.entity.js';
import { parseDocument, sellerById, sellerFilter } from '../sellers/index.js';
import { normalizeCep } from '../shipping/index.js';
import { assertIdExists, isId } from '../../shared/db/ids.js';
import { User } from '../auth/index.js';
import { Validation, assertIdempotencyKey, badInput, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { normaliseEmail } from '../../shared/validation/index.js';
import { cancelOrder } from './cancellation.service.js';
import { ORDER_ROLES, OrderAction } from './order-state.js';
import { assertMayEver } from './order-machine.js';
import { OrderSortField, type OrderFilter, type OrderListArgs, type OrderSort } from './orders.types.js';
import { Cart, hashCartToken, mayUseCart } from '../carts/index.js';
import { ORDER_LINKS } from './order-links.js';

/**
 * Who sees an order: operator staff; the order's seller (its users and its ERP integration);
 * the customer who bought it; and whoever holds the token of the cart it came from (an
 * anonymous shopper right after checkout). Storefront and portal go through this one check.
 */
export function canSeeOrder(ctx: Context, order: Order): boolean {
  const v = ctx.viewer;
  if (v.kind === 'OPERATOR') return true;
  if (v.kind === 'SELLER') return v.seller.id === order.seller.id && ORDER_ROLES.sellerReads.includes(v.role);
  if (v.kind === 'INTEGRATION') return v.seller.id === order.seller.id;
  if (v.kind === 'CUSTOMER' && order.customer?.id === v.user.id) return true;
  // The shopper who holds the cart's token (granted by checkout / ordersOfCart in this request),
  // or the signed link of this one order (orderByLink).
  if (v.kind !== 'ANONYMOUS' && v.kind !== 'CUSTOMER') return false;
  return grantedCarts(ctx).has(order.cartId) || grantedOrders(ctx).has(order.id);
}

/** Orders whose signed link this request presented. */
function grantedOrders(ctx: Context): Set<string> {
  let set = ctx.loaders.get('orders.grantedOrders') as Set<string> | undefined;
  if (!set) {
    set = new Set();
    ctx.loaders.set('orders.grantedOrders', set);
  }
  return set;
}

/** The order a signed link (checked by the caller) opens, for the rest of this request. */
export function grantOrder(ctx: Context, orderId: string): void {
  grantedOrders(ctx).add(orderId);
}

/**
 * The order a signed link opens (design.md: e-mails carry one so a buyer without an account
 * follows its order and can open a return), visible to this request only. A forged, expired or
 * malformed token opens nothing.
 */
export async function orderByLink(ctx: Context, token: string): Promise<Order | null> {
  const orderId = ctx.runtime.services.get(ORDER_LINKS).verify(token);
  if (!orderId) return null;
  const order = await ctx.em.findOne(Order, { id: orderId });
  if (!order) return null;
  grantedOrders(ctx).add(order.id);
  return canSeeOrder(ctx, order) ? order : null;
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
  const scope: FilterQuery<Order> = {};
  const v = ctx.viewer;
  // The same readers as one order's (canSeeOrder): a list's counts and cursors tell about orders too.
  if (v.kind === 'SELLER' && !ORDER_ROLES.sellerReads.includes(v.role)) throw forbidden("Orders are read by the seller's owner, finance and customer-service users.");
  if (v.kind === 'CUSTOMER') {
    if (args.sellerId) throw forbidden('Customers list their own orders.');
    scope.customer = v.user.id;
  } else {
    const sellerId = sellerFilter(v, args.sellerId);
    // Through the request's seller loader rather than an id probe: every order of the page is
    // this seller's, so their `seller` field reads the row loaded here (one statement for both).
    if (args.sellerId && !(isId(args.sellerId) && (await sellerById(ctx).load(args.sellerId)))) throw notFound('No seller has this id.', 'sellerId');
    if (sellerId) scope.seller = sellerId;
  }
  if (args.cartNumber) scope.cartNumber = args.cartNumber.trim();
  if (args.status) scope.status = args.status;
  const search = orderSearch(ctx, args.filter);
  // An agent id filters like any other id argument: one that names nobody is NOT_FOUND.
  if (args.filter?.agentId != null) await assertIdExists(ctx.em, User, args.filter.agentId, ['filter', 'agentId'], 'user');
  return paginate(ctx.em, Order, () => ({ $and: [scope, ...search()] }) as FilterQuery<Order>, args, orderingOf(args.orderBy) as never);
}

const SORT_COLUMN: Record<OrderSortField, keyof Order> = {
  [OrderSortField.CREATED_AT]: 'createdAt',
  [OrderSortField.UPDATED_AT]: 'updatedAt',
  [OrderSortField.TOTAL]: 'totalCents',
  [OrderSortField.CODE]: 'code',
};

/** The list's sort keys; orders of one cart share their creation instant, so position breaks that tie. */
function orderingOf(sort: OrderSort | undefined | null): Record<string, 'asc' | 'desc'> {
  if (!sort) return { createdAt: 'desc', position: 'asc' };
  const direction = sort.direction === SortDirection.ASC ? 'asc' : 'desc';
  const column = SORT_COLUMN[sort.field];
  return column === 'createdAt' ? { createdAt: direction, position: 'asc' } : { [column]: direction };
}

/** LIKE's own wildcards typed by a user are searched for literally. */
const likePrefix = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The filter's conditions (each one indexed; see the order entity). Built per query because
 * raw() fragments can be used once. Input problems are BAD_USER_INPUT on the filter's field.
 */
function orderSearch(ctx: Context, filter: OrderFilter | undefined | null): () => FilterQuery<Order>[] {
  if (!filter) return () => [];
  const field = (name: string) => ['filter', name];
  const v = new Validation();
  const document = filter.buyerDocument != null ? parseDocument(filter.buyerDocument) : undefined;
  v.check(document !== null, 'Not a valid CPF or CNPJ.', field('buyerDocument'));
  const cep = filter.postalCode != null ? normalizeCep(filter.postalCode) : undefined;
  v.check(filter.postalCode == null || cep !== undefined, 'A postal code (CEP) has 8 digits.', field('postalCode'));
  const name = filter.buyerName?.trim();
  v.check(name === undefined || (name.length >= 2 && name.length <= 200), 'Give 2 to 200 characters of the buyer\'s name.', field('buyerName'));
  v.check(filter.buyerEmail == null || filter.buyerEmail.length <= 320, 'An e-mail has at most 320 characters.', field('buyerEmail'));
  v.check(filter.code == null || filter.code.length <= 40, 'An order code has at most 40 characters.', field('code'));
  v.check(!filter.statuses || filter.statuses.length <= 10, 'At most 10 statuses.', field('statuses'));
  if (filter.agentId != null && ctx.viewer.kind !== 'OPERATOR') throw forbidden('Only operator staff search by sales agent.');
  v.throwIfAny();
  const agentId = filter.agentId ?? undefined;
  return () => {
    const out: FilterQuery<Order>[] = [];
    if (filter.statuses?.length) out.push({ status: { $in: filter.statuses } });
    if (filter.code) out.push({ code: filter.code.trim() });
    if (document) out.push({ buyerDocument: document.value });
    if (filter.buyerEmail) out.push({ buyerEmail: normaliseEmail(filter.buyerEmail) });
    if (name) out.push({ [raw('lower(buyer_name)')]: { $like: likePrefix(name) } } as FilterQuery<Order>);
    if (cep) out.push({ [raw(`(shipping_address->>'postalCode')`)]: cep } as FilterQuery<Order>);
    if (filter.createdFrom) out.push({ createdAt: { $gte: filter.createdFrom } });
    if (filter.createdTo) out.push({ createdAt: { $lt: filter.createdTo } });
    if (filter.updatedFrom) out.push({ updatedAt: { $gte: filter.updatedFrom } });
    if (filter.updatedTo) out.push({ updatedAt: { $lt: filter.updatedTo } });
    if (agentId !== undefined) out.push({ agent: agentId });
    return out;
  };
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
  const cancelled = await cancelOrder(ctx.runtime, em, order.id, { actor, reason: reasonFor(ctx), note: input.note, idempotencyKey: input.idempotencyKey });
  return { order: cancelled };
}
