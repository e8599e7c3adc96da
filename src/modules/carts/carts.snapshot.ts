import { may, type Viewer } from '../../shared/access/index.js';
import { CARTS_ACCESS } from './carts.access.js';
import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, type UserErrorData } from '../../shared/errors/index.js';
import { Category, Product, Sku, saleProblem } from '../catalog/index.js';
import { priceCart, type PricedCart, type PricingDiscount } from './pricing.js';
import { campaignOffersAt, freightCampaigns, lineCampaign, type CampaignOffer, type FreightCampaign, type LineCampaign, type PaidWith } from '../campaigns/index.js';
import { nowOf } from '../../shared/time/index.js';
import { evaluatePromotions, type CartDiscount, type PaymentChoice, type PromotionEvaluation } from '../promotions/index.js';
import { Seller, getSettings, type MarketplaceSettings } from '../sellers/index.js';
import { findShippingOption, quoteForCart, type Quote, type QuoteOption } from '../shipping/index.js';
import { Cart, CartLine, CartStatus } from './carts.entity.js';
import type { TogetherWrite } from '../../shared/db/together.js';

/*
 * The one evaluation of a cart, shared by the cart view and the checkout so the two never
 * disagree. Figures always use the SKUs' current prices: the price a line remembers
 * (CartLine.unitPriceCents) is what the shopper last confirmed, and the checkout compares
 * the two to answer PRICE_CHANGED instead of charging a figure nobody saw.
 */

export type CartRequirement = 'BUYER' | 'ADDRESS' | 'LINES' | 'SHIPPING';

export interface CartSnapshotLine {
  line: CartLine;
  sku: Sku;
  product: Product;
  seller: Seller;
}

export interface CartSnapshot {
  cart: Cart;
  /** In the order lines were added. */
  lines: CartSnapshotLine[];
  pricing: PricedCart;
  discounts: CartDiscount[];
  /** The campaigns priced in: line discounts by cart line id, freight discounts by seller. */
  campaigns: CartCampaigns;
  freeShipping: PromotionEvaluation['freeShipping'];
  /** Null without a delivery address or lines, or when nothing can ship the cart. */
  quote: Quote | null;
  /** The chosen option while it is still offered, else the cheapest; null when there is none. */
  shipping: QuoteOption | null;
  /** What the cart still needs before checkout (CartRequirement values); empty when ready. */
  missing: string[];
}

export interface CartCampaigns {
  lines: Map<string, LineCampaign>;
  freight: FreightCampaign[];
}

/** How the cart is (to be) paid, as the pricing path reads it: promotions want one choice, campaigns every part. */
export interface CartPayment {
  payment?: PaymentChoice | null;
  installments?: number;
  /** Every part of the payment; null or left out: not chosen yet (payment-conditioned campaigns then show per payment option). */
  paidWith?: PaidWith[] | null;
}

/** What the cart view shows besides the snapshot. */
export interface CartEvaluation extends CartSnapshot {
  settings: MarketplaceSettings;
  /** Why a line cannot be bought as it is, by line id (no longer on sale, not enough stock…). */
  lineProblems: Map<string, UserErrorData>;
  /** Set when an address is set but nothing can ship the cart (NO_FREIGHT_AVAILABLE). */
  shippingProblem: UserErrorData | null;
  voucher: PromotionEvaluation['voucher'];
  /** The same cart priced for another way of paying (payment-method discounts), without a new quote. */
  reprice(payment: PaymentChoice, installments?: number): Promise<{ discounts: CartDiscount[]; pricing: PricedCart; campaigns: CartCampaigns }>;
}

const TOKEN_RE = /^mkc_[A-Za-z0-9_-]{43}$/;

/** Cart tokens are 256 random bits, so a plain SHA-256 stores them without the secret. */
export function hashCartToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The cart of a token, or NOT_FOUND on `field`. An unknown token and a malformed one answer
 * the same, so a token reveals nothing about other carts.
 */
export async function findCartByToken(em: EntityManager, token: string, opts: { lock?: boolean; field?: string[]; viewer?: Viewer } = {}): Promise<Cart> {
  const field = opts.field ?? ['cartToken'];
  const cart = TOKEN_RE.test(token)
    ? await em.findOne(Cart, { tokenHash: hashCartToken(token) }, opts.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {})
    : null;
  if (!cart || (opts.viewer && !mayUseCart(opts.viewer, cart))) throw new AppError(ErrorCode.NOT_FOUND, 'No cart has this token.', field);
  return cart;
}

/**
 * A customer's cart (their own or an agent's assisted cart for them) is that customer's and
 * operator staff's: a leaked token alone neither reads it, nor edits it, nor checks it out.
 * Anonymous carts are reached by their token, which is the capability.
 */
export function mayUseCart(viewer: Viewer, cart: Cart): boolean {
  if (!cart.customer) return true;
  return may(viewer, CARTS_ACCESS.useCustomersCart) || (viewer.kind === 'CUSTOMER' && viewer.user.id === cart.customer.id);
}

/**
 * What a shopper is told about a SKU code that is not on sale — whether it does not exist or
 * is a draft's, an inactive SKU or a suspended seller's: one answer, word for word, so the cart
 * cannot be used to find out which codes exist behind the storefront.
 */
export function notOnSale(code: string, field?: string[]): UserErrorData {
  return { code: ErrorCode.NOT_FOUND, message: `No SKU on sale has the code ${code}.`, field };
}

/**
 * Why `quantity` units of a SKU cannot be in a cart, or null: catalog's "on sale" rule
 * (saleProblem) with the stock of this line, told the way the cart tells it. Not on sale
 * answers as if the SKU did not exist (notOnSale).
 */
export function lineProblem(
  sku: Sku,
  product: Product,
  seller: Seller,
  settings: MarketplaceSettings,
  quantity: number,
  field?: string[],
): UserErrorData | null {
  switch (saleProblem({ product, seller, sku }, settings, { quantity })) {
    case null:
      return null;
    case 'UNAVAILABLE':
      return notOnSale(sku.code, field);
    case 'MARKETPLACE_DISABLED':
      return { code: ErrorCode.MARKETPLACE_DISABLED, message: `${sku.code} is sold by ${seller.name}, and the store does not sell guest sellers' products at the moment.`, field };
    case 'OUT_OF_STOCK': {
      const left = sku.stock === 0 ? 'none is' : sku.stock === 1 ? 'only 1 unit is' : `only ${sku.stock} units are`;
      return { code: ErrorCode.OUT_OF_STOCK, message: `${sku.code} (${product.name}): ${quantity} asked, ${left} in stock.`, field };
    }
  }
}

/** What a cart line is read with: its SKU, product (with its category, for the commission at checkout) and seller. */
const LINE_POPULATE = ['sku', 'sku.product', 'sku.product.category', 'sku.seller'] as const;
const LINE_ORDER = { position: 'asc', id: 'asc' } as const;

const snapshotLine = (line: CartLine): CartSnapshotLine => {
  const sku = line.sku.getEntity();
  return { line, sku, product: sku.product.getEntity(), seller: sku.seller.getEntity() };
};

/** The lines of several carts with their SKU, product and seller, in one query. */
export async function loadCartLines(em: EntityManager, cartIds: readonly string[]): Promise<Map<string, CartSnapshotLine[]>> {
  const rows = cartIds.length ? await em.find(CartLine, { cart: { $in: [...cartIds] } }, { populate: LINE_POPULATE, orderBy: LINE_ORDER }) : [];
  const byCart = new Map<string, CartSnapshotLine[]>(cartIds.map((id) => [id, []]));
  for (const line of rows) byCart.get(line.cart.id)?.push(snapshotLine(line));
  return byCart;
}

export const merchandiseOf = (lines: readonly CartSnapshotLine[]) => lines.reduce((s, l) => s + l.line.quantity * l.sku.priceCents, 0);

/** Each line's campaign for this way of paying, and each seller's freight campaign. */
function campaignsFor(lines: readonly CartSnapshotLine[], offers: ReadonlyMap<string, CampaignOffer[]>, paidWith: readonly PaidWith[] | null): CartCampaigns {
  const byLine = new Map<string, LineCampaign>();
  for (const { line, sku } of lines) {
    const c = lineCampaign(offers.get(sku.id), sku.priceCents, line.quantity, paidWith);
    if (c) byLine.set(line.id, c);
  }
  return { lines: byLine, freight: freightCampaigns(lines.flatMap(({ sku }) => offers.get(sku.id) ?? [])) };
}

function price(lines: readonly CartSnapshotLine[], discounts: readonly PricingDiscount[], freightCents: number, campaigns: CartCampaigns): PricedCart {
  return priceCart({
    lines: lines.map(({ line, sku, seller }) => {
      const c = campaigns.lines.get(line.id);
      return {
        key: line.id,
        seller: { id: seller.id, isAdmin: seller.isAdmin, concatenationCode: seller.concatenationCode ?? null },
        quantity: line.quantity,
        unitPriceCents: sku.priceCents,
        weightGrams: sku.weightGrams,
        campaign: c ? { amountCents: c.amountCents, sellerSharePercent: c.sellerSharePercent } : null,
      };
    }),
    discounts,
    freightCents,
    freightDiscounts: campaigns.freight,
  });
}

const buyerComplete = (cart: Cart) => !!(cart.buyer?.name && cart.buyer.email && cart.buyer.document && cart.buyer.phone);

async function evaluate(
  runtime: Runtime,
  em: EntityManager,
  cart: Cart,
  lines: CartSnapshotLine[],
  settings: MarketplaceSettings,
  offers: ReadonlyMap<string, CampaignOffer[]>,
  opts: CartPayment & { now: Date },
): Promise<CartEvaluation> {
  const { now } = opts;
  const merchandiseCents = merchandiseOf(lines);
  const weightGrams = lines.reduce((s, l) => s + l.line.quantity * l.sku.weightGrams, 0);

  const lineProblems = new Map<string, UserErrorData>();
  lines.forEach((l) => {
    const problem = lineProblem(l.sku, l.product, l.seller, settings, l.line.quantity);
    if (problem) lineProblems.set(l.line.id, problem);
  });

  const address = cart.shippingAddress;
  const quoting = async (): Promise<{ quote: Quote | null; shippingProblem: UserErrorData | null }> => {
    if (!address?.postalCode || lines.length === 0) return { quote: null, shippingProblem: null };
    try {
      const quote = await quoteForCart(runtime, em, {
        destinationPostalCode: address.postalCode,
        weightGrams,
        merchandiseCents,
        hasGuestSellerItems: lines.some((l) => !l.seller.isAdmin),
      });
      return { quote, shippingProblem: null };
    } catch (err) {
      // Nothing ships the cart to this address: the shopper sees it as data and may change the address.
      if (!(err instanceof AppError) || err.code !== ErrorCode.NO_FREIGHT_AVAILABLE) throw err;
      return { quote: null, shippingProblem: { code: err.code, message: err.errors[0]!.message } };
    }
  };

  // Campaign line discounts come first; promotions and the coupon (percentages, "purchase
  // above X") then see the merchandise after them, which is what the shopper pays for goods.
  const promotionsFor = (campaigns: CartCampaigns, payment: PaymentChoice | null, installments?: number) => {
    const campaignCents = [...campaigns.lines.values()].reduce((s, c) => s + c.amountCents, 0);
    return evaluatePromotions(em, {
      merchandiseCents: merchandiseCents - campaignCents,
      voucherCode: cart.voucherCode ?? null,
      now,
      customerId: cart.customer?.id ?? null,
      payment,
      installments,
    });
  };
  const campaigns = campaignsFor(lines, offers, opts.paidWith ?? null);
  // The quote and the promotions read different tables and neither needs the other: both
  // statements are sent at once (outside a transaction, on two connections).
  const [{ quote, shippingProblem }, promotions] = await Promise.all([quoting(), promotionsFor(campaigns, opts.payment ?? null, opts.installments)]);
  const chosen = quote && cart.shippingCarrier && cart.shippingMethod ? findShippingOption(quote, { carrier: cart.shippingCarrier, method: cart.shippingMethod }) : undefined;
  const shipping = chosen ?? quote?.options[0] ?? null;
  // A free-shipping promotion waives whichever option is chosen; the quote still shows its price.
  const freightCents = shipping && !promotions.freeShipping ? shipping.priceCents : 0;
  const pricing = price(lines, promotions.discounts, freightCents, campaigns);

  const missing: CartRequirement[] = [];
  if (!buyerComplete(cart)) missing.push('BUYER');
  if (!address?.postalCode) missing.push('ADDRESS');
  if (lines.length === 0 || lineProblems.size > 0) missing.push('LINES');
  if (!shipping) missing.push('SHIPPING');

  return {
    cart,
    lines,
    pricing,
    discounts: promotions.discounts,
    campaigns,
    freeShipping: promotions.freeShipping,
    quote,
    shipping,
    missing,
    settings,
    lineProblems,
    shippingProblem,
    voucher: promotions.voucher,
    async reprice(payment, installments) {
      const paidWith: PaidWith[] = payment === 'MIXED' ? [] : [{ method: payment, installments: installments ?? 1 }];
      const otherCampaigns = campaignsFor(lines, offers, paidWith);
      const other = await promotionsFor(otherCampaigns, payment, installments);
      return { discounts: other.discounts, campaigns: otherCampaigns, pricing: price(lines, other.discounts, freightCents, otherCampaigns) };
    },
  };
}

/** Evaluates several carts (a page of myCarts) with one query for all their lines. */
export async function evaluateCarts(
  runtime: Runtime,
  em: EntityManager,
  carts: readonly Cart[],
  opts: CartPayment & { now?: Date; lines?: Map<string, CartSnapshotLine[]> } = {},
): Promise<CartEvaluation[]> {
  if (carts.length === 0) return [];
  const now = opts.now ?? nowOf(runtime);
  // The running campaigns of every SKU of every cart: one query, however many lines, sent as
  // soon as the lines are known, beside the settings'.
  const withOffers = async () => {
    const lines = opts.lines ?? (await loadCartLines(em, carts.map((c) => c.id)));
    return { lines, offers: await campaignOffersAt(em, [...lines.values()].flatMap((ls) => ls.map((l) => l.sku.id)), now) };
  };
  const [{ lines, offers }, settings] = await Promise.all([withOffers(), getSettings(em)]);
  const out: CartEvaluation[] = [];
  // One after the other: inside the checkout's transaction the em has a single connection anyway.
  for (const cart of carts) out.push(await evaluate(runtime, em, cart, lines.get(cart.id) ?? [], settings, offers, { ...opts, now }));
  return out;
}

/** Loads a cart by its token with everything the checkout needs, evaluated exactly like the cart view. */
export async function loadCartSnapshot(
  runtime: Runtime,
  em: EntityManager,
  token: string,
  opts?: CartPayment & { now?: Date },
): Promise<CartSnapshot> {
  const read = TOKEN_RE.test(token) ? await readCartRows(em, hashCartToken(token)) : null;
  const cart = read?.cart ?? (await findCartByToken(em, token));
  const [evaluation] = await evaluateCarts(runtime, em, [cart], { ...opts, lines: new Map([[cart.id, read?.lines ?? []]]) });
  return evaluation!;
}

/**
 * The cart of a token hash with its lines, each with its SKU, product (with its category) and
 * seller — what `find(CartLine, …, { populate: LINE_POPULATE })` loads, in the same order — in
 * one statement written by hand, each table's row mapped into the unit of work as a find maps
 * it (`em.map`; the rows a line refers to first, so its references are the loaded entities).
 * The checkout's first read: MikroORM's joined query cost more to build and unpack than the
 * rest of the cart's pricing. Null when no cart has the hash.
 */
async function readCartRows(em: EntityManager, tokenHash: string): Promise<{ cart: Cart; lines: CartSnapshotLine[] } | null> {
  type Row = Record<'cart' | 'line' | 'sku' | 'product' | 'category' | 'seller', Record<string, unknown> | null>;
  const rows = await em.execute<Row[]>(
    `select to_jsonb(c) as cart, to_jsonb(l) as line, to_jsonb(k) as sku, to_jsonb(p) as product, to_jsonb(g) as category, to_jsonb(s) as seller
       from cart c
       left join cart_line l on l.cart_id = c.id
       left join sku k on k.id = l.sku_id
       left join product p on p.id = k.product_id
       left join category g on g.id = p.category_id
       left join seller s on s.id = k.seller_id
      where c.token_hash = ?
      order by l.position, l.id`,
    [tokenHash],
  );
  if (!rows.length) return null;
  const cart = em.map(Cart, rows[0]!.cart!);
  const lines = rows
    .filter((row) => row.line)
    .map((row) => {
      const seller = em.map(Seller, row.seller!);
      if (row.category) em.map(Category, row.category);
      const product = em.map(Product, row.product!);
      const sku = em.map(Sku, row.sku!);
      return { line: em.map(CartLine, row.line!), sku, product, seller };
    });
  return { cart, lines };
}

/**
 * The checkout's last word on the cart, as a write for its one-statement flush (shared/db
 * flushTogether): closes it only if it is still open and its lines are exactly the snapshot's
 * (ids and quantities). The caller holds the cart's row lock, and this statement's snapshot is
 * taken after that lock, so it sees every line another tab added before it; anything else
 * writes no row and fails the checkout with `changed()`.
 */
export function closeCheckedOutCart(snapshot: CartSnapshot, at: Date, changed: () => Error): TogetherWrite {
  const lines = snapshot.lines.map(({ line }) => [line.id, line.quantity] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    sql: `update cart set status = '${CartStatus.CHECKED_OUT}', checked_out_at = ?, updated_at = ?
      where id = ? and status = '${CartStatus.OPEN}'
        and (select coalesce(jsonb_agg(jsonb_build_array(l.id, l.quantity) order by l.id), '[]'::jsonb) from cart_line l where l.cart_id = cart.id) = ?::jsonb`,
    params: [at, at, snapshot.cart.id, JSON.stringify(lines)],
    rows: 1,
    mismatch: changed,
  };
}
