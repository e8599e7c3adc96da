import type { Viewer } from '../../shared/access/index.js';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { AppError, badInput, conflict, forbidden, notFound, Validation } from '../../shared/errors/index.js';
import { findById } from '../../shared/db/ids.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { User } from '../auth/index.js';
import { may } from '../../shared/access/index.js';
import { CARTS_ACCESS } from './carts.access.js';
import { normaliseEmail } from '../../shared/validation/index.js';
import { Sku } from '../catalog/index.js';
import { checkVoucher } from '../promotions/index.js';
import { getSettings } from '../sellers/index.js';
import { findShippingOption } from '../shipping/index.js';
import { Cart, CartLine, CartStatus } from './carts.entity.js';
import { evaluateCarts, findCartByToken, hashCartToken, loadCartLines, merchandiseOf, lineProblem, notOnSale } from './carts.snapshot.js';
import { checkQuantity, MAX_QUANTITY, validateAddress, validateBuyer, type AddressInputData, type BuyerInputData } from './carts.validation.js';

/** Bounds the work of every cart view and checkout (one quote, one pricing over all lines). */
export const MAX_LINES = 100;

/**
 * A new cart and its token, shown only here. A signed-in customer's cart is attached to the
 * customer. Operator staff with an agent role name an existing customer to build an assisted
 * cart for them; the agent is recorded. Anyone else naming a customer is FORBIDDEN.
 */
export async function createCart(ctx: Context, em: EntityManager, input: { customerEmail?: string | null }): Promise<{ cart: Cart; token: string }> {
  const v = ctx.viewer;
  // Only ids are kept: the cart points at the accounts, the viewer is a snapshot of them.
  let customer: { id: string } | null = v.kind === 'CUSTOMER' ? v.user : null;
  let agent: { id: string } | null = null;
  if (input.customerEmail != null) {
    if (v.kind !== 'OPERATOR' || !may(v, CARTS_ACCESS.assistedSale)) throw forbidden(CARTS_ACCESS.assistedSale.denied);
    const email = normaliseEmail(input.customerEmail);
    const found = email ? await em.findOne(User, { email, seller: null, active: true }) : null;
    if (!found) throw notFound('No customer has this e-mail.', 'input', 'customerEmail');
    customer = found;
    agent = v.user;
  }
  const token = `mkc_${randomBytes(32).toString('base64url')}`;
  const cart = em.create(Cart, {
    tokenHash: hashCartToken(token),
    customer: customer ? em.getReference(User, customer.id) : null,
    createdBy: agent ? em.getReference(User, agent.id) : null,
  });
  await em.persistAndFlush(cart);
  return { cart, token };
}

/** The cart of a token, row-locked for this transaction so concurrent edits of one cart serialise. */
async function openCart(em: EntityManager, token: string, viewer: Viewer): Promise<Cart> {
  const cart = await findCartByToken(em, token, { lock: true, viewer });
  if (cart.status !== CartStatus.OPEN) throw conflict('This cart was already checked out; it cannot change any more.', 'cartToken');
  return cart;
}

function touch(cart: Cart): Cart {
  // Line edits do not write the cart row; its updatedAt still says when the cart last changed.
  cart.updatedAt = new Date();
  return cart;
}

async function lineOf(em: EntityManager, cart: Cart, lineId: string): Promise<CartLine> {
  const line = await findById(em, CartLine, lineId, { where: { cart: cart.id }, options: { populate: ['sku', 'sku.product', 'sku.seller'] } });
  if (!line) throw notFound('This cart has no such line.', 'lineId');
  return line;
}

/** Adds units of a SKU (by its displayed code); a SKU already in the cart gets the units added to its line. */
export async function addCartLine(viewer: Viewer, em: EntityManager, token: string, skuCode: string, quantity: number): Promise<Cart> {
  const v = new Validation();
  checkQuantity(v, quantity, ['quantity']);
  v.check(skuCode.trim().length > 0, 'Give the SKU code.', ['skuCode']);
  v.throwIfAny();
  const cart = await openCart(em, token, viewer);
  const sku = await em.findOne(Sku, { code: skuCode.trim() }, { populate: ['product', 'seller'] });
  if (!sku) throw new AppError([notOnSale(skuCode.trim(), ['skuCode'])]);
  const existing = await em.findOne(CartLine, { cart: cart.id, sku: sku.id });
  const total = (existing?.quantity ?? 0) + quantity;
  if (total > MAX_QUANTITY) throw badInput(`A line holds at most ${MAX_QUANTITY} units; the cart already has ${existing!.quantity} of ${sku.code}.`, 'quantity');
  const problem = lineProblem(sku, sku.product.getEntity(), sku.seller.getEntity(), await getSettings(em), total, ['skuCode']);
  if (problem) throw new AppError([problem]);
  if (existing) {
    existing.quantity = total;
    existing.unitPriceCents = sku.priceCents;
  } else {
    const lines = await em.find(CartLine, { cart: cart.id }, { fields: ['position'], orderBy: { position: 'desc' } });
    if (lines.length >= MAX_LINES) throw badInput(`A cart holds at most ${MAX_LINES} different SKUs.`, 'skuCode');
    em.persist(em.create(CartLine, { cart, sku, quantity, unitPriceCents: sku.priceCents, position: (lines[0]?.position ?? -1) + 1 }));
  }
  return touch(cart);
}

/** Sets a line's quantity; the line takes the SKU's current price as the one the shopper saw. */
export async function updateCartLine(viewer: Viewer, em: EntityManager, token: string, lineId: string, quantity: number): Promise<Cart> {
  const v = new Validation();
  checkQuantity(v, quantity, ['quantity']);
  v.throwIfAny();
  const cart = await openCart(em, token, viewer);
  const line = await lineOf(em, cart, lineId);
  const sku = line.sku.getEntity();
  const problem = lineProblem(sku, sku.product.getEntity(), sku.seller.getEntity(), await getSettings(em), quantity, ['quantity']);
  if (problem) throw new AppError([problem]);
  line.quantity = quantity;
  line.unitPriceCents = sku.priceCents;
  return touch(cart);
}

export async function removeCartLine(viewer: Viewer, em: EntityManager, token: string, lineId: string): Promise<Cart> {
  const cart = await openCart(em, token, viewer);
  em.remove(await lineOf(em, cart, lineId));
  return touch(cart);
}

export async function setBuyer(viewer: Viewer, em: EntityManager, token: string, input: BuyerInputData): Promise<Cart> {
  const buyer = validateBuyer(input);
  const cart = await openCart(em, token, viewer);
  cart.buyer = buyer;
  return touch(cart);
}

/** A new address keeps the chosen shipping option only while the new quote still offers it (the view falls back to the cheapest). */
export async function setShippingAddress(viewer: Viewer, em: EntityManager, token: string, input: AddressInputData): Promise<Cart> {
  const address = validateAddress(input);
  const cart = await openCart(em, token, viewer);
  cart.shippingAddress = address;
  return touch(cart);
}

/** Chooses one of the options the cart's current quote offers. */
export async function selectShippingOption(ctx: Context, em: EntityManager, token: string, choice: { carrier: string; method: string }): Promise<Cart> {
  const cart = await openCart(em, token, ctx.viewer);
  if (!cart.shippingAddress) throw badInput('Set the delivery address first: shipping options depend on it.', 'cartToken');
  const [evaluation] = await evaluateCarts(ctx.runtime, em, [cart]);
  if (evaluation!.lines.length === 0) throw badInput('Add products first: shipping is quoted for what the cart holds.', 'cartToken');
  if (evaluation!.shippingProblem) throw new AppError([evaluation!.shippingProblem]);
  const option = findShippingOption(evaluation!.quote!, choice);
  if (!option) {
    const offered = evaluation!.quote!.options.map((o) => `${o.carrier} ${o.method}`).join(', ');
    throw badInput(`${choice.carrier} ${choice.method} is not offered for this cart; choose one of: ${offered}.`, 'method');
  }
  cart.shippingCarrier = option.carrier;
  cart.shippingMethod = option.method;
  return touch(cart);
}

/** Checks the coupon against the cart as it is now; the view and the checkout re-evaluate it every time. */
export async function applyVoucher(viewer: Viewer, em: EntityManager, token: string, code: string): Promise<Cart> {
  const cart = await openCart(em, token, viewer);
  const lines = (await loadCartLines(em, [cart.id])).get(cart.id) ?? [];
  cart.voucherCode = await checkVoucher(em, code, { merchandiseCents: merchandiseOf(lines), now: new Date(), customerId: cart.customer?.id ?? null }, ['code']);
  return touch(cart);
}

export async function removeVoucher(viewer: Viewer, em: EntityManager, token: string): Promise<Cart> {
  const cart = await openCart(em, token, viewer);
  cart.voucherCode = null;
  return touch(cart);
}

/** The signed-in customer's open carts (their own and those agents built for them), newest first. */
export async function myCarts(ctx: Context, args: ConnectionArgs) {
  if (ctx.viewer.kind !== 'CUSTOMER') throw forbidden();
  return paginate(ctx.em, Cart, { customer: ctx.viewer.user.id, status: CartStatus.OPEN }, args, { createdAt: 'desc' } as never);
}

/** The cart of a token (cart query). */
export async function cartByToken(ctx: Context, token: string): Promise<Cart> {
  return findCartByToken(ctx.em, token, { field: ['token'], viewer: ctx.viewer });
}
