// Long file: the checkout use case in its reading order (claim, price, authorize, write, verdict) with the rows it writes; its recovery sits beside the claim it recovers.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context, Runtime } from '../../shared/runtime/index.js';
import type { Viewer } from '../../shared/access/index.js';
import { AppError, ErrorCode, Validation, assertIdempotencyKey, badInput, conflict, notFound, type UserErrorData } from '../../shared/errors/index.js';
import { money, formatBRL } from '../../shared/money/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { displayedCode, lockSkusForSale, saleProblem } from '../catalog/index.js';
import { Seller, getSettings } from '../sellers/index.js';
import { flushTogether } from '../../shared/db/together.js';
import { Cart, CartLine, CartStatus, closeCheckedOutCart, hashCartToken, loadCartSnapshot, mayUseCart, type CartSnapshot } from '../carts/index.js';
import { redeemPromotions, type PaymentChoice } from '../promotions/index.js';
import { LedgerAccount, LedgerEntryKind, commissionRatesFor, postJournals, settleLine, type Journal } from '../finance/index.js';
import { GiftCard, PaymentTransaction, abandonAuthorization, authorizePayment, giveBackAbandoned, hashGiftCardCode, nothingLeftStanding, recordTransaction, runtimePaymentSettings, toPaymentTransactionType, type CheckoutPaymentPart, type PaymentAuthorization } from '../payments/index.js';
import { claimKey, type ClaimRecovery, type Lease } from '../../shared/idempotency/index.js';
import { FraudAnalysis, FraudStatus, analyzeCart, type FraudPaymentPart, type FraudRequest } from '../fraud/index.js';
import { Order, OrderAction, OrderLine, applyFraudOutcome, grantCart, orderLinkUrl, placeOrder } from '../orders/index.js';
import { User } from '../auth/index.js';
import { nowOf } from '../../shared/time/index.js';

/**
 * Checkout: one cart → one order per seller, one payment transaction, one fraud analysis.
 *
 * 1. Claim the idempotency key (shared/idempotency: unique, with a lease). A completed claim
 *    answers repeats; another cart under the same key is a CONFLICT; a claim whose holder
 *    stopped mid-way (process killed, clean-up lost) is taken over once its lease ran out: what
 *    that attempt authorized is voided first (the provider-call journal knows it), then the
 *    checkout runs afresh. Its transaction completes the claim, so "committed" and "answered
 *    to repeats" are the same fact: a taken-over attempt never committed.
 * 2. Price the cart exactly as the cart view does (loadCartSnapshot) and pre-check prices and
 *    stock, so most refusals cost no payment attempt. Its reads are sent while the key is
 *    being claimed (nothing is decided on them before the claim is ours), and the cart number
 *    is taken beside them once it is.
 * 3. Authorize the payment (cards authorized, Pix charges created) BEFORE any row lock: a
 *    provider can take seconds and SKU locks must be short. The commission rules are read
 *    meanwhile.
 * 4. One database transaction: lock the cart, lock the SKUs in primary-key order (so two
 *    checkouts can never deadlock), re-check price and stock under the lock and decrement;
 *    redeem promotions; create the orders with their frozen shares and commission snapshot;
 *    record the transaction; write the fraud analysis, the ledger and one e-mail per order.
 *    If anything fails, the authorization is voided (compensation) and the key released.
 * 5. After commit, the analyzer decides; its verdict is applied to every order of the cart,
 *    and the answer is built from what that transaction wrote.
 */

export interface CheckoutPaymentInput {
  parts: CheckoutPaymentPart[];
}

export interface CheckoutInput {
  cartToken: string;
  idempotencyKey: string;
  payment: CheckoutPaymentInput;
  /** Browser data for the fraud analysis, when the storefront collects it. */
  ip?: string | null;
  deviceSessionId?: string | null;
}

export interface CheckoutResult {
  cartId: string;
  cartNumber: string;
}

const PAYMENT_FIELD = ['input', 'payment', 'parts'];

/** The idempotency scope of checkout keys. */
export const CHECKOUT_SCOPE = 'checkout';

export async function checkout(ctx: Context, input: CheckoutInput): Promise<CheckoutResult> {
  return (await checkoutHolding(ctx, input)).result;
}

/**
 * What this request's own checkout left, as its verdict's transaction wrote and committed it:
 * the answer is built from these instead of reading them back. Only for an APPROVED verdict
 * without gift cards (the answer shows a gift card's last digits, which the locked parts do not
 * carry); a repeat, or anything else, is read back.
 */
interface Settled {
  orders: Order[];
  transaction: PaymentTransaction | null;
  analysis: FraudAnalysis;
}

async function checkoutHolding(ctx: Context, input: CheckoutInput): Promise<{ result: CheckoutResult; settled?: Settled }> {
  const { runtime } = ctx;
  assertIdempotencyKey(input.idempotencyKey);
  const tokenHash = hashCartToken(input.cartToken ?? '');
  // The cart is read and priced while the key is being claimed: reads only, nothing is
  // decided on them before the claim is ours (a repeat or a refused claim just drops them, and
  // their error, if any, is the checkout's only once the key is held).
  const em = runtime.orm.em.fork();
  const reading = readCart(runtime, em, input);
  reading.catch(() => undefined);
  const claimed = await claimKey<CheckoutResult>(runtime.orm, {
    scope: CHECKOUT_SCOPE,
    key: input.idempotencyKey,
    fingerprint: tokenHash,
    leaseMs: runtimePaymentSettings(runtime).leaseMs,
    messages: {
      otherRequest: 'This idempotency key was already used for another cart; send a new key for a new checkout.',
      inProgress: 'A checkout with this idempotency key is still being processed.',
    },
  });
  if ('done' in claimed) {
    // A repeat answers with the cart's orders: only to whoever may use that cart.
    const cart = await runtime.orm.em.fork().findOne(Cart, claimed.done.cartId);
    if (!cart) throw notFound('No cart with this token.', 'input', 'cartToken');
    assertViewerMayCheckout(ctx, cart);
    return { result: claimed.done };
  }

  const { lease } = claimed;
  try {
    // An earlier attempt stopped between its claim and its commit: give back what it got.
    // The cart number is taken as soon as the key is ours, beside the cart's reads: a refused
    // or declined checkout leaves a gap in the sequence, as a declined card always did.
    const numbering = nextCartNumber(em);
    numbering.catch(() => undefined);
    if (lease.takenOver) await giveBackStoppedAttempt(runtime, lease);
    return await placeOrders(ctx, input, lease, await reading, numbering);
  } catch (err) {
    // Nothing was created (the transaction rolled back). The key is freed so the shopper can
    // retry — unless an authorization could not be voided: then the key stays claimed, and
    // the recovery pass (or the next replay, at once) voids it before running afresh.
    if (await nothingLeftStanding(runtime, lease).catch(() => false)) await lease.release();
    else await lease.expire().catch(() => undefined);
    throw err;
  }
}

/** Voids the authorizations of the attempts before this one; a provider that cannot be reached makes the replay fail retryably. */
async function giveBackStoppedAttempt(runtime: Runtime, lease: Lease): Promise<void> {
  try {
    const given = await giveBackAbandoned(runtime, lease);
    runtime.logger.info({ key: lease.key, attempt: lease.attempt, ...given }, 'checkout taken over from a stopped attempt');
  } catch (err) {
    runtime.logger.warn({ err, key: lease.key }, 'could not give back what a stopped checkout attempt authorized');
    throw new AppError(ErrorCode.PAYMENT_UNAVAILABLE, 'An earlier attempt of this checkout stopped and the payment provider could not be reached to undo it; nothing was charged. Try again in a moment with the same key.', PAYMENT_FIELD);
  }
}

/**
 * The recovery of checkout keys nobody replays (src/jobs/claim-recovery.ts): what the stopped
 * attempt authorized is voided and the key released, so the cart stays open and the same key
 * runs afresh whenever the shopper comes back.
 */
export function checkoutRecovery(runtime: Runtime): ClaimRecovery {
  return {
    scope: CHECKOUT_SCOPE,
    leaseMs: runtimePaymentSettings(runtime).leaseMs,
    async recover(lease) {
      await giveBackAbandoned(runtime, lease);
      await lease.release();
      return 'RELEASED';
    },
  };
}

/**
 * `checkout` as the API answers it: the cart's orders (readable by this request, which just
 * presented the cart's token), its payment and the fraud status at the time of answering.
 */
export async function checkoutAndAnswer(ctx: Context, input: CheckoutInput) {
  const { result, settled } = await checkoutHolding(ctx, input);
  grantCart(ctx, result.cartId);
  const [orders, transaction, analysis] = settled
    ? [settled.orders, settled.transaction, settled.analysis]
    : await Promise.all([
        ctx.em.find(Order, { cartId: result.cartId }, { orderBy: { position: 'asc' } }),
        ctx.em.findOne(PaymentTransaction, { cartId: result.cartId }, { populate: ['parts', 'parts.giftCard'] as never }),
        ctx.em.findOne(FraudAnalysis, { cartId: result.cartId }),
      ]);
  return {
    cartNumber: result.cartNumber,
    orders,
    payment: transaction ? toPaymentTransactionType(transaction) : undefined,
    fraudStatus: analysis?.status,
  };
}

/** What the payment-method discount depends on: a single tender paid at once, or a mix. */
function paymentChoice(parts: readonly CheckoutPaymentPart[]): { payment: PaymentChoice | null; installments?: number } {
  if (parts.length !== 1) return { payment: parts.length ? 'MIXED' : null };
  const [part] = parts;
  return { payment: part!.method, installments: part!.installments ?? 1 };
}

function assertViewerMayCheckout(ctx: Context, cart: Cart): void {
  // A customer's cart is theirs (or the assisting staff's): a leaked token alone does not buy with it.
  if (!mayUseCart(ctx.viewer, cart)) throw notFound('No cart with this token.', 'input', 'cartToken');
}

interface CartRead {
  /** The unit of work the snapshot's entities live in; the checkout's transaction runs on it. */
  em: EntityManager;
  /** The checkout's instant: pricing (campaign phases, promotions) and every row it writes. */
  now: Date;
  snapshot: CartSnapshot;
}

async function readCart(runtime: Runtime, em: EntityManager, input: CheckoutInput): Promise<CartRead> {
  const now = nowOf(runtime);
  const parts = input.payment?.parts ?? [];
  const paidWith = parts.map((p) => ({ method: p.method, installments: p.installments ?? 1 }));
  return { em, now, snapshot: await loadCartSnapshot(runtime, em, input.cartToken, { ...paymentChoice(parts), paidWith, now }) };
}

async function placeOrders(ctx: Context, input: CheckoutInput, lease: Lease, { em, now, snapshot }: CartRead, numbering: Promise<string>): Promise<{ result: CheckoutResult; settled?: Settled }> {
  const { runtime } = ctx;
  const parts = input.payment?.parts ?? [];
  const { cart } = snapshot;
  assertViewerMayCheckout(ctx, cart);
  if (cart.status !== CartStatus.OPEN) throw conflict('This cart was already checked out.', 'input', 'cartToken');
  // The specific refusals first: a short or re-priced line is also a "LINES" problem for the cart view.
  await refuseChangedPrices(runtime, snapshot);
  refuseShortStock(snapshot);
  if (snapshot.missing.length) {
    throw badInput(`The cart is not ready for checkout; missing: ${snapshot.missing.join(', ')}.`, 'input', 'cartToken');
  }

  const total = snapshot.pricing.totalCents;
  const settings = await getSettings(em);
  const currency = settings.currency;
  // A single tender may leave its amount out: it pays the whole total.
  const filled = parts.map((p) => (parts.length === 1 && (!p.amount || p.amount.amount === 0) ? { ...p, amount: money(total, currency) } : p));
  const buyer = cart.buyer!;
  const cartNumber = await numbering;
  // The commission rules are read while the card is being authorized: a plain read, which the
  // orders' transaction would not lock either; the rates are frozen on the order lines.
  const rating = commissionRatesFor(em, orderedLines(snapshot).map((l) => ({ sellerId: l.seller.id, categoryId: l.product.category?.id ?? null })));
  rating.catch(() => undefined);

  const auth = await authorizePayment(runtime, {
    reference: cartNumber,
    // Per claim of the key and per attempt: a declined attempt releases the key, and its retry
    // (another card) is a new request for the provider, which would refuse a reused key with
    // other data; an attempt that takes over a stopped one must not be answered with its
    // (now voided) authorization.
    idempotencyKey: `${input.idempotencyKey}:${lease.id}:${lease.attempt}`,
    lease,
    total: money(total, currency),
    parts: filled,
    buyer: { name: buyer.name, email: buyer.email, document: buyer.document, phone: buyer.phone },
    field: PAYMENT_FIELD,
    // The store's installment rule (maxInstallments, minInstallmentCents), applied by the
    // payment split before any provider is asked.
    installments: settings,
  });

  let analysis: FraudAnalysis;
  try {
    await lease.renew();
    const rates = await rating;
    analysis = await em.transactional((tx) => writeOrders(tx, { snapshot, cartNumber, auth, lease, currency, now, rates, parts: filled, input, viewer: ctx.viewer, orderLink: (id) => orderLinkUrl(runtime, id, now) }));
  } catch (err) {
    await abandonAuthorization(runtime, auth);
    throw err;
  }

  // The orders exist and are committed; the verdict now moves them. A failure here leaves the
  // analysis PENDING (operator staff can decide it), never a half-applied verdict.
  const result = { cartId: cart.id, cartNumber };
  try {
    let applied: Settled | undefined;
    const verdict = await analyzeCart(runtime, analysis, async (tx, found, locked) => {
      const orders = await applyFraudOutcome(runtime, tx, cart.id, found.status, undefined, { ...locked, analysis: found });
      applied = { orders, transaction: locked.transaction, analysis: found };
      // The verdict and everything it moved are written (its one statement): the closing flush
      // has nothing to compare, and the answer only reads these instances.
      tx.clear();
    });
    // Set only once the verdict's transaction committed (analyzeCart answers a verdict then).
    const plain = applied && verdict?.outcome === 'APPROVED' && !applied.transaction?.parts.getItems().some((p) => p.giftCard);
    return plain ? { result, settled: applied } : { result };
  } catch (err) {
    runtime.logger.error({ err, cartNumber }, 'applying the fraud verdict failed; the analysis stays for operator review');
  }
  return { result };
}

/** The cart's lines in the order its orders take them: by order, then by position in the order. */
function orderedLines(snapshot: CartSnapshot) {
  const lineByKey = new Map(snapshot.lines.map((l) => [l.line.id, l]));
  return snapshot.pricing.groups.flatMap((g) => g.lines.map((pl) => lineByKey.get(pl.key)!));
}

async function nextCartNumber(em: EntityManager): Promise<string> {
  const [row] = await em.execute<{ n: string }[]>(`select nextval('cart_number_seq')::text as n`);
  return row!.n;
}

/**
 * A price that moved since the shopper saw it is refused with the new figures. The cart's
 * lines are brought up to date (in their own transaction) so the shopper reviews the new
 * total and confirms by checking out again; nothing else changes.
 */
async function refuseChangedPrices(runtime: Runtime, snapshot: CartSnapshot): Promise<void> {
  const changed = snapshot.lines.filter((l) => l.sku.priceCents !== l.line.unitPriceCents);
  if (!changed.length) return;
  await runtime.orm.em.fork().transactional(async (tx) => {
    for (const { line, sku } of changed) await tx.nativeUpdate(CartLine, { id: line.id }, { unitPriceCents: sku.priceCents });
  });
  const delta = changed.reduce((s, { line, sku }) => s + (sku.priceCents - line.unitPriceCents) * line.quantity, 0);
  throw new AppError(
    changed.map(({ line, sku }) => ({
      code: ErrorCode.PRICE_CHANGED,
      message: `The price of ${sku.code} changed from ${formatBRL(line.unitPriceCents)} to ${formatBRL(sku.priceCents)}; the cart total changes by ${formatBRL(delta)} to about ${formatBRL(snapshot.pricing.totalCents + delta)}. Review the cart and check out again.`,
      field: ['input', 'cartToken', 'lines', line.id],
    })),
  );
}

function refuseShortStock(snapshot: CartSnapshot): void {
  const errors = snapshot.lines
    .filter(({ line, sku }) => sku.stock < line.quantity)
    .map(({ line, sku }): UserErrorData => ({ code: ErrorCode.OUT_OF_STOCK, message: shortMessage(sku.code, sku.stock, line.quantity), field: ['input', 'cartToken', 'lines', line.id] }));
  if (errors.length) throw new AppError(errors);
}

function shortMessage(code: string, stock: number, wanted: number): string {
  return stock > 0 ? `Only ${stock} unit(s) of ${code} left; the cart asks for ${wanted}.` : `${code} is out of stock.`;
}

interface WriteArgs {
  snapshot: CartSnapshot;
  /** Who checks out: the first actor of every order's history. */
  viewer: Viewer;
  cartNumber: string;
  auth: PaymentAuthorization;
  /** The checkout's idempotency claim: held first, completed last, in this transaction. */
  lease: Lease;
  currency: string;
  now: Date;
  parts: CheckoutPaymentPart[];
  /** The commission rate of each line, in the order of orderedLines(snapshot). */
  rates: number[];
  input: CheckoutInput;
  /** The signed link each order's e-mail carries. */
  orderLink: (orderId: string) => string;
}

/**
 * Everything of step 4, in the caller's transaction; returns the fraud analysis. The reads and
 * row locks come first, in the store's lock order (cart → gift cards → promotions → SKUs in
 * primary-key order, so two checkouts never deadlock); then every row is written by ONE
 * statement (flushTogether): the orders with their lines, history and events, the payment
 * transaction, the fraud analysis, the ledger, the e-mails, the stock, the audit entries, the
 * closed cart and the completed key. The SKUs, which every checkout of a popular item competes
 * for, are locked last, so they are held only for that statement and the commit.
 */
async function writeOrders(em: EntityManager, args: WriteArgs): Promise<FraudAnalysis> {
  const { snapshot, cartNumber, auth, currency, now } = args;
  // By hand, as a locking find would read it (refreshed into the snapshot's Cart), without building that query.
  const [row] = await em.execute<Record<string, unknown>[]>(`select * from cart where id = ? for update`, [snapshot.cart.id]);
  if (!row) throw notFound('No cart with this token.', 'input', 'cartToken');
  const cart = em.map(Cart, row);
  if (cart.status !== CartStatus.OPEN) throw conflict('This cart was already checked out.', 'input', 'cartToken');

  // Gift cards before SKUs: cancellations re-credit gift cards before they return stock, so
  // taking the two in the same order here keeps the pair deadlock-free.
  const giftCodes = args.parts.filter((p) => p.method === 'VOUCHER' && p.giftCardCode).map((p) => hashGiftCardCode(p.giftCardCode!));
  if (giftCodes.length) await em.find(GiftCard, { codeHash: { $in: giftCodes } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, fields: ['id'] });

  const customerId = cart.customer?.id ?? null;

  const lineByKey = new Map(snapshot.lines.map((l) => [l.line.id, l]));
  const { rates } = args;

  const buyer = cart.buyer!;
  const address = cart.shippingAddress!;
  const shipping = snapshot.shipping!;
  // The orders wait for the fraud verdict when the payment is secured, for the buyer's money otherwise.
  const placing = auth.outcome === 'AUTHORIZED' ? OrderAction.PLACE_AUTHORIZED : OrderAction.PLACE;
  const orders: Order[] = [];
  let rateIndex = 0;
  for (const group of snapshot.pricing.groups) {
    // The snapshot loaded every seller of the cart into this unit of work.
    const seller = await em.findOneOrFail(Seller, group.seller.id);
    const order = placeOrder(em, placing, { viewer: args.viewer }, {
      code: displayedCode(seller, `${cartNumber}-${group.position}`),
      cartId: cart.id,
      cartNumber,
      position: group.position,
      seller,
      customer: cart.customer ?? null,
      agent: cart.createdBy ?? null,
      buyerName: buyer.name,
      buyerEmail: buyer.email,
      buyerDocument: buyer.document,
      buyerPhone: buyer.phone,
      shippingAddress: {
        recipientName: address.recipient,
        street: address.street,
        number: address.number,
        complement: address.complement ?? null,
        district: address.district,
        city: address.city,
        state: address.state,
        postalCode: address.postalCode,
      },
      shippingCarrier: shipping.carrier,
      shippingMethod: shipping.method,
      shippingDays: shipping.days,
      shippingSource: shipping.source,
      currency,
      merchandiseCents: group.merchandiseCents,
      discountCents: group.discountCents,
      sellerFundedDiscountCents: group.sellerFundedDiscountCents,
      campaignDiscountCents: group.campaignDiscountCents,
      freightDiscountCents: group.freightDiscountCents,
      freightCampaignId: group.freightDiscountCents > 0 ? (snapshot.campaigns.freight.find((c) => c.sellerId === group.seller.id)?.campaignId ?? null) : null,
      freightCents: group.freightCents,
      totalCents: group.totalCents,
      weightGrams: group.weightGrams,
      commissionCents: 0,
      sellerReceivableCents: 0,
      placedAt: now,
      // One instant for the whole cart, so listings (newest first, then position) keep a cart's orders in code order.
      createdAt: now,
    }, { at: now, reason: auth.outcome === 'AUTHORIZED' ? 'PAYMENT_AUTHORIZED' : 'PAYMENT_PENDING' });
    group.lines.forEach((pl, index) => {
      const { line, sku, product } = lineByKey.get(pl.key)!;
      const rateBps = rates[rateIndex++]!;
      const settled = settleLine({ merchandiseCents: pl.merchandiseCents, sellerFundedDiscountCents: pl.sellerFundedDiscountCents, rateBps });
      order.commissionCents += settled.commissionCents;
      order.sellerReceivableCents += settled.receivableCents;
      em.create(OrderLine, {
        order,
        position: index + 1,
        sku: sku.id,
        skuCode: sku.code,
        skuSellerCode: sku.sellerCode,
        productName: product.name,
        categoryId: product.category?.id ?? null,
        quantity: line.quantity,
        unitPriceCents: pl.unitPriceCents,
        weightGrams: pl.weightGrams,
        merchandiseCents: pl.merchandiseCents,
        discountCents: pl.discountCents,
        sellerFundedDiscountCents: pl.sellerFundedDiscountCents,
        campaignId: pl.campaignDiscountCents > 0 ? (snapshot.campaigns.lines.get(pl.key)?.campaignId ?? null) : null,
        campaignDiscountCents: pl.campaignDiscountCents,
        campaignSellerFundedCents: pl.campaignSellerFundedCents,
        freightDiscountCents: pl.freightDiscountCents,
        freightCents: pl.freightCents,
        totalCents: pl.totalCents,
        commissionBps: rateBps,
        commissionBaseCents: settled.baseCents,
        commissionCents: settled.commissionCents,
        sellerReceivableCents: settled.receivableCents,
      });
    });
    orders.push(order);
  }

  const total = snapshot.pricing.totalCents;
  await recordTransaction(em, { cartId: cart.id, cartNumber, auth, total: money(total, currency) }, { openCartLocked: true });

  const customer = customerId ? await em.findOne(User, customerId) : null;
  const analysis = em.create(FraudAnalysis, {
    cartId: cart.id,
    cartNumber,
    status: FraudStatus.PENDING,
    request: fraudRequest(snapshot, { cartNumber, now, parts: args.parts, customer, ip: args.input.ip, sessionId: args.input.deviceSessionId }),
  });

  // One posting for every order of the cart. Their references name the orders made just above,
  // so nothing can have posted them: no look-up, no lock.
  await postJournals(em, orders.map(checkoutJournal), { unposted: true, flush: false });
  for (const order of orders) notifyOrderPlaced(em, order, snapshot, auth, args.orderLink(order.id));

  // The rows every checkout of a popular item or promotion competes for, last.
  const promotionIds = [...new Set([...snapshot.discounts.map((d) => d.promotionId), ...(snapshot.freeShipping ? [snapshot.freeShipping.promotionId] : [])])];
  await redeemPromotions(em, promotionIds, { cartId: cart.id, customerId });
  await takeStock(em, snapshot);

  await flushTogether(em, [
    // The cart may have changed between pricing and its lock (another tab): then the priced
    // figures are stale, and the shopper must look again.
    closeCheckedOutCart(snapshot, now, () => conflict('The cart changed while checking out; review it and try again.', 'input', 'cartToken')),
    // Fenced by the key's holder token: a taken-over attempt commits nothing.
    args.lease.completion({ cartId: cart.id, cartNumber } satisfies CheckoutResult),
  ]);
  // Everything is written and nothing here is read again: the transaction's closing flush then
  // has no hundred rows to compare with their snapshots. (The analysis is read, not written, after.)
  em.clear();
  return analysis;
}

/**
 * Locks the cart's SKUs in primary-key order (checkout and cancellation alike, so they never
 * deadlock), re-checks under the lock that each is still on sale at the price the shopper
 * confirmed and that the stock covers the cart, then decrements it — never below zero.
 */
async function takeStock(em: EntityManager, snapshot: CartSnapshot): Promise<void> {
  const wanted = new Map<string, number>();
  for (const { line, sku } of snapshot.lines) wanted.set(sku.id, (wanted.get(sku.id) ?? 0) + line.quantity);
  const skuIds = [...wanted.keys()].sort();
  const locked = await lockSkusForSale(em, skuIds);

  const v = new Validation();
  for (const { line, sku: seenSku } of snapshot.lines) {
    const found = locked.get(seenSku.id);
    const field = ['input', 'cartToken', 'lines', line.id];
    // Stock is left out here: it is checked below per SKU, summed over the cart's lines.
    if (!found || saleProblem(found, found.settings) !== null) {
      v.add(ErrorCode.OUT_OF_STOCK, `${seenSku.code} is no longer for sale.`, field);
      continue;
    }
    if (found.sku.priceCents !== line.unitPriceCents) {
      v.add(ErrorCode.PRICE_CHANGED, `The price of ${found.sku.code} changed from ${formatBRL(line.unitPriceCents)} to ${formatBRL(found.sku.priceCents)}.`, field);
    }
  }
  for (const id of skuIds) {
    const sku = locked.get(id)?.sku;
    if (sku && sku.stock < wanted.get(id)!) v.add(ErrorCode.OUT_OF_STOCK, shortMessage(sku.code, sku.stock, wanted.get(id)!), ['input', 'cartToken']);
  }
  v.throwIfAny();
  for (const id of skuIds) locked.get(id)!.sku.stock -= wanted.get(id)!;
}

/**
 * The order's checkout journal: what the shopper owes (the order total) is credited to the
 * seller (its receivable), the operator's commission and the operator's freight. The part of
 * the discount the operator funds is the operator's cost, charged against its commission
 * revenue (a contra-revenue line), because the seller's receivable does not bear it:
 *   Dr CUSTOMER total + Dr COMMISSION_REVENUE operator-funded discount
 *   = Cr SELLER_PAYABLE receivable + Cr COMMISSION_REVENUE commission + Cr FREIGHT_REVENUE freight.
 * So per cart the net credits to sellers, commission and freight equal what the shopper pays,
 * which is what gets captured (design.md, Finance).
 */
function checkoutJournal(order: Order): Journal {
  return {
    kind: LedgerEntryKind.CHECKOUT,
    reference: `order:${order.id}`,
    cartId: order.cartId,
    cartNumber: order.cartNumber,
    orderId: order.id,
    memo: `Order ${order.code} placed.`,
    currency: order.currency,
    lines: [
      { account: LedgerAccount.CUSTOMER, debit: order.totalCents },
      { account: LedgerAccount.COMMISSION_REVENUE, debit: order.discountCents - order.sellerFundedDiscountCents },
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: order.seller.id, credit: order.sellerReceivableCents },
      { account: LedgerAccount.COMMISSION_REVENUE, credit: order.commissionCents },
      { account: LedgerAccount.FREIGHT_REVENUE, credit: order.freightCents },
    ],
  };
}

function notifyOrderPlaced(em: EntityManager, order: Order, snapshot: CartSnapshot, auth: PaymentAuthorization, link: string): void {
  const group = snapshot.pricing.groups.find((g) => g.position === order.position)!;
  const lineByKey = new Map(snapshot.lines.map((l) => [l.line.id, l]));
  const seller = lineByKey.get(group.lines[0]!.key)!.seller;
  const pending = auth.outcome === 'PENDING';
  enqueueEmail(em, 'order.placed', {
    to: order.buyerEmail,
    subject: `Pedido ${order.code} recebido`,
    text: [
      `Olá, ${order.buyerName}.`,
      '',
      `Recebemos o pedido ${order.code}, vendido e entregue por ${seller.name}.`,
      ...group.lines.map((pl) => {
        const { product, sku } = lineByKey.get(pl.key)!;
        return `- ${pl.quantity} × ${product.name} (${sku.code}): ${formatBRL(pl.merchandiseCents)}`;
      }),
      '',
      `Mercadorias: ${formatBRL(order.merchandiseCents)}`,
      `Descontos: ${formatBRL(order.discountCents)}`,
      `Frete (${order.shippingCarrier} ${order.shippingMethod}, ${order.shippingDays} dias): ${formatBRL(order.freightCents)}`,
      `Total deste pedido: ${formatBRL(order.totalCents)}`,
      '',
      pending ? 'Aguardamos a confirmação do pagamento.' : 'O pagamento foi autorizado e está em análise.',
      snapshot.pricing.groups.length > 1 ? `Sua compra ${order.cartNumber} foi dividida em ${snapshot.pricing.groups.length} pedidos, um por vendedor.` : '',
      `Acompanhe o pedido: ${link}`,
    ].join('\n'),
  });
}

function fraudRequest(
  snapshot: CartSnapshot,
  opts: { cartNumber: string; now: Date; parts: CheckoutPaymentPart[]; customer: User | null; ip?: string | null; sessionId?: string | null },
): FraudRequest {
  const { pricing } = snapshot;
  const buyer = snapshot.cart.buyer!;
  const a = snapshot.cart.shippingAddress!;
  const address = { recipientName: a.recipient, street: a.street, number: a.number, complement: a.complement ?? undefined, district: a.district, city: a.city, state: a.state, postalCode: a.postalCode, country: 'BR' };
  const lineByKey = new Map(snapshot.lines.map((l) => [l.line.id, l]));
  const items = pricing.groups.flatMap((g) =>
    g.lines.map((pl) => {
      const { sku, product, seller } = lineByKey.get(pl.key)!;
      return {
        skuCode: sku.code,
        name: product.name,
        quantity: pl.quantity,
        unitPrice: pl.unitPriceCents,
        seller: { id: seller.id, name: seller.name, concatenationCode: seller.concatenationCode ?? null, ...(seller.document ? { document: seller.document } : {}) },
        marketplace: !seller.isAdmin,
      };
    }),
  );
  const payments: FraudPaymentPart[] = opts.parts.map((p) => {
    if (p.method === 'CARD') {
      return {
        method: 'CREDIT_CARD',
        amount: p.amount.amount,
        card: { bin: p.card?.bin ?? '', last4: p.card?.last4 ?? '', brand: p.card?.brand, holderName: p.card?.holderName, installments: p.installments ?? 1 },
      };
    }
    return { method: p.method === 'VOUCHER' ? 'VOUCHER' : p.method === 'BANK_DEPOSIT' ? 'BANK_DEPOSIT' : 'PIX', amount: p.amount.amount };
  });
  return {
    cartNumber: opts.cartNumber,
    placedAt: opts.now,
    currency: 'BRL',
    totals: { merchandise: pricing.merchandiseCents, discount: pricing.discountCents, freight: pricing.freightCents, total: pricing.totalCents },
    payments,
    buyer: {
      ...(opts.customer ? { customerId: opts.customer.id, accountCreatedAt: opts.customer.createdAt } : {}),
      name: buyer.name,
      email: buyer.email,
      document: buyer.document,
      phone: buyer.phone,
      ...(opts.ip ? { ip: opts.ip } : {}),
      ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
    },
    delivery: address,
    billing: address,
    items,
    distinctSellers: new Set(items.map((i) => i.seller.id)).size,
  };
}
