import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '../../shared/db/ids.js';
import { AppError, ErrorCode } from '../../shared/errors/index.js';
import { basisPointsOf, formatBRL } from '../../shared/money/index.js';
import { FundedByKind, Promotion, PromotionKind, PromotionPaymentMethod, PromotionRedemption } from './promotions.entity.js';

/*
 * What the cart and the checkout ask of promotions: which discounts a cart gets, whether a
 * coupon is usable, and recording the uses at checkout. Nothing here knows about sellers or
 * orders: the checkout splits each discount over the orders (largest remainder, by
 * merchandise value) and freezes the shares.
 */

export type FundedBy = 'OPERATOR' | 'SELLER' | 'SHARED';
export type PaymentChoice = 'PIX' | 'CARD' | 'BANK_DEPOSIT' | 'VOUCHER' | 'MIXED';

export interface CartDiscount {
  promotionId: string;
  name: string;
  code: string | null;
  kind: 'PERCENTAGE' | 'FIXED' | 'PAYMENT_METHOD';
  /** > 0, already capped so the sum over discounts ≤ merchandise. */
  amountCents: number;
  fundedBy: FundedBy;
  /** 0 for OPERATOR, 100 for SELLER, 1–99 for SHARED. */
  sellerSharePercent: number;
}

export interface PromotionEvaluation {
  /** In application order. */
  discounts: CartDiscount[];
  freeShipping: { promotionId: string; name: string; code: string | null; fundedBy: FundedBy; sellerSharePercent: number } | null;
  voucher: { code: string; applied: boolean; problem?: { code: ErrorCode; message: string } } | null;
}

export interface EvaluationInput {
  /** The cart's merchandise subtotal: before any discount, without freight. */
  merchandiseCents: number;
  voucherCode: string | null;
  payment: PaymentChoice | null;
  installments?: number;
  now: Date;
  customerId?: string | null;
}

export const COUPON_CODE_RE = /^[A-Z0-9_-]{3,40}$/;

/** Coupons are typed by shoppers: surrounding spaces and letter case never matter. */
export const normaliseCode = (code: string) => code.trim().toUpperCase();

export function sellerShareOf(p: Pick<Promotion, 'fundedBy' | 'sellerSharePercent'>): number {
  if (p.fundedBy === FundedByKind.SELLER) return 100;
  if (p.fundedBy === FundedByKind.SHARED) return p.sellerSharePercent ?? 0;
  return 0;
}


const inWindow = (p: Promotion, now: Date) => (!p.startsAt || p.startsAt <= now) && (!p.endsAt || now < p.endsAt);
const totalExhausted = (p: Promotion) => p.usageLimit != null && p.usageCount >= p.usageLimit;

/** `bps` basis points of `base`, rounded down (shared/money basisPointsOf: one rounding rule for every discount). */
export const percentOf = basisPointsOf;

/** How many times this customer redeemed each of these promotions (only those with a per-customer limit). */
async function customerUses(em: EntityManager, promotions: Promotion[], customerId: string | null | undefined): Promise<Map<string, number>> {
  if (customerId && !isId(customerId)) throw new Error(`customerId must be a user id, got ${customerId}`);
  const limited = promotions.filter((p) => p.perCustomerLimit != null).map((p) => p.id);
  const uses = new Map<string, number>();
  if (!customerId || !limited.length) return uses;
  const rows = await em.find(PromotionRedemption, { promotion: { $in: limited }, customerId }, { fields: ['promotion'] });
  for (const r of rows) uses.set(r.promotion.id, (uses.get(r.promotion.id) ?? 0) + 1);
  return uses;
}

/** Whether a customer may still use a per-customer-limited promotion; anonymous carts cannot be counted, so they may not. */
function customerProblem(p: Promotion, customerId: string | null | undefined, uses: Map<string, number>): { code: ErrorCode; message: string } | null {
  if (p.perCustomerLimit == null) return null;
  const label = p.code ? `Coupon ${p.code}` : `Promotion "${p.name}"`;
  if (!customerId) return { code: ErrorCode.VOUCHER_INVALID, message: `${label} is limited per customer: sign in to use it.` };
  const used = uses.get(p.id) ?? 0;
  if (used >= p.perCustomerLimit) {
    return {
      code: ErrorCode.VOUCHER_EXHAUSTED,
      message: `${label} can be used ${p.perCustomerLimit} time(s) per customer, and you have used it ${used} time(s).`,
    };
  }
  return null;
}

/**
 * Why a coupon cannot be used on this cart, or null. Final reasons (unknown, inactive,
 * outside its window, exhausted) come before the one the shopper can fix (the threshold).
 */
function couponProblem(
  p: Promotion | null,
  code: string,
  input: { merchandiseCents: number; now: Date; customerId?: string | null },
  uses: Map<string, number>,
): { code: ErrorCode; message: string } | null {
  if (!p) return { code: ErrorCode.VOUCHER_INVALID, message: `No coupon has the code ${code}.` };
  if (!p.active) return { code: ErrorCode.VOUCHER_INVALID, message: `Coupon ${code} is not active.` };
  if (p.startsAt && input.now < p.startsAt) {
    return { code: ErrorCode.VOUCHER_INVALID, message: `Coupon ${code} is valid from ${p.startsAt.toISOString()}.` };
  }
  if (p.endsAt && input.now >= p.endsAt) {
    return { code: ErrorCode.VOUCHER_INVALID, message: `Coupon ${code} expired at ${p.endsAt.toISOString()}.` };
  }
  if (totalExhausted(p)) return { code: ErrorCode.VOUCHER_EXHAUSTED, message: `Coupon ${code} has reached its usage limit.` };
  const perCustomer = customerProblem(p, input.customerId, uses);
  if (perCustomer) return perCustomer;
  if (p.minMerchandiseCents != null && input.merchandiseCents < p.minMerchandiseCents) {
    return {
      code: ErrorCode.VOUCHER_INVALID,
      message: `Coupon ${code} needs a merchandise subtotal of at least ${formatBRL(p.minMerchandiseCents)}: add ${formatBRL(p.minMerchandiseCents - input.merchandiseCents)} more.`,
    };
  }
  return null;
}

async function findCoupon(em: EntityManager, code: string): Promise<Promotion | null> {
  return COUPON_CODE_RE.test(code) ? em.findOne(Promotion, { code }) : null;
}

function assertMerchandise(cents: number): void {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`merchandiseCents must be a non-negative integer, got ${cents}`);
}

/** Whether the cart is paid "à vista" with exactly the method a PAYMENT_METHOD promotion rewards. */
function paidWith(method: PromotionPaymentMethod | null | undefined, payment: PaymentChoice | null, installments: number | undefined): boolean {
  switch (method) {
    case PromotionPaymentMethod.PIX:
      return payment === 'PIX';
    case PromotionPaymentMethod.BANK_DEPOSIT:
      return payment === 'BANK_DEPOSIT';
    case PromotionPaymentMethod.CARD_ONE_INSTALLMENT:
      // Unknown installments are not "one": the discount must not appear and then vanish at checkout.
      return payment === 'CARD' && installments === 1;
    default:
      return false;
  }
}

/**
 * The promotions a cart gets. Rules:
 * - Candidates are the active automatic promotions (no code) whose window holds at `now`
 *   (startsAt ≤ now < endsAt; a missing bound is open), plus the coupon `voucherCode` when it
 *   is usable. A candidate applies when its threshold is met — merchandise ≥ minMerchandise,
 *   the merchandise subtotal before any discount and without freight — and it is not
 *   exhausted: usageCount ≥ usageLimit, or the customer reached perCustomerLimit (an anonymous
 *   cart cannot be counted, so per-customer-limited promotions need a signed-in customer).
 * - Order (deterministic): automatic PERCENTAGE/FIXED by creation (then id), then the
 *   coupon, then PAYMENT_METHOD discounts by creation.
 * - PERCENTAGE: value basis points of the merchandise, rounded down to the centavo (see
 *   percentOf), capped by maxDiscount. FIXED: value centavos. Either is then capped by what is
 *   left of the merchandise after the discounts before it, so the sum never exceeds the
 *   merchandise; a discount that comes to 0 is left out.
 * - PAYMENT_METHOD ("à vista", store-wide only): applies only when `payment` is that single
 *   method — PIX, BANK_DEPOSIT, or CARD with `installments` exactly 1 (MIXED and VOUCHER never
 *   qualify) — computed on the merchandise minus the discounts before it, rounded down, capped.
 * - FREE_SHIPPING sets `freeShipping` (no amount): the coupon's when it is one, otherwise the
 *   earliest automatic one. Only that promotion is redeemed at checkout.
 * - A coupon that cannot be used does not throw: `voucher.problem` says why (VOUCHER_INVALID:
 *   unknown, inactive, outside its window, below its threshold and by how much, or a
 *   per-customer coupon on an anonymous cart; VOUCHER_EXHAUSTED) and it is not applied.
 *   `voucher.applied` is true when the coupon contributed a discount or free shipping.
 */
export async function evaluatePromotions(em: EntityManager, input: EvaluationInput): Promise<PromotionEvaluation> {
  assertMerchandise(input.merchandiseCents);
  const { now, merchandiseCents } = input;
  const code = input.voucherCode?.trim() ? normaliseCode(input.voucherCode) : null;

  const [automatic, coupon] = await Promise.all([
    em.find(
      Promotion,
      {
        code: null,
        active: true,
        $and: [{ $or: [{ startsAt: null }, { startsAt: { $lte: now } }] }, { $or: [{ endsAt: null }, { endsAt: { $gt: now } }] }],
      },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    ),
    code ? findCoupon(em, code) : Promise.resolve(null),
  ]);
  const uses = await customerUses(em, coupon ? [...automatic, coupon] : automatic, input.customerId);

  const qualifies = (p: Promotion) =>
    inWindow(p, now) &&
    !totalExhausted(p) &&
    !customerProblem(p, input.customerId, uses) &&
    (p.minMerchandiseCents == null || merchandiseCents >= p.minMerchandiseCents);
  const applicable = automatic.filter(qualifies);

  let voucher: PromotionEvaluation['voucher'] = null;
  let usableCoupon: Promotion | null = null;
  if (code) {
    const problem = couponProblem(coupon, code, input, uses);
    voucher = problem ? { code, applied: false, problem } : { code, applied: false };
    if (!problem) usableCoupon = coupon;
  }

  const discounts: CartDiscount[] = [];
  let left = merchandiseCents;
  const apply = (p: Promotion, uncapped: number): number => {
    const amount = Math.min(uncapped, left);
    if (amount <= 0) return 0;
    left -= amount;
    discounts.push({
      promotionId: p.id,
      name: p.name,
      code: p.code ?? null,
      kind: p.kind as CartDiscount['kind'],
      amountCents: amount,
      fundedBy: p.fundedBy,
      sellerSharePercent: sellerShareOf(p),
    });
    return amount;
  };
  const capped = (p: Promotion, amount: number) => (p.maxDiscountCents != null ? Math.min(amount, p.maxDiscountCents) : amount);
  const merchandiseDiscount = (p: Promotion) =>
    p.kind === PromotionKind.PERCENTAGE ? capped(p, percentOf(merchandiseCents, p.value ?? 0)) : (p.value ?? 0);

  for (const p of applicable) {
    if (p.kind === PromotionKind.PERCENTAGE || p.kind === PromotionKind.FIXED) apply(p, merchandiseDiscount(p));
  }
  if (usableCoupon && voucher && (usableCoupon.kind === PromotionKind.PERCENTAGE || usableCoupon.kind === PromotionKind.FIXED)) {
    if (apply(usableCoupon, merchandiseDiscount(usableCoupon)) > 0) voucher.applied = true;
    else voucher.problem = { code: ErrorCode.VOUCHER_INVALID, message: `Coupon ${code} adds nothing: the other discounts already cover the whole merchandise.` };
  }
  for (const p of applicable) {
    if (p.kind === PromotionKind.PAYMENT_METHOD && paidWith(p.paymentMethod, input.payment, input.installments)) {
      apply(p, capped(p, percentOf(left, p.value ?? 0)));
    }
  }

  let freeShipping: PromotionEvaluation['freeShipping'] = null;
  const shippingPromotion =
    usableCoupon?.kind === PromotionKind.FREE_SHIPPING ? usableCoupon : applicable.find((p) => p.kind === PromotionKind.FREE_SHIPPING);
  if (shippingPromotion) {
    freeShipping = {
      promotionId: shippingPromotion.id,
      name: shippingPromotion.name,
      code: shippingPromotion.code ?? null,
      fundedBy: shippingPromotion.fundedBy,
      sellerSharePercent: sellerShareOf(shippingPromotion),
    };
    if (voucher && shippingPromotion === usableCoupon) voucher.applied = true;
  }

  return { discounts, freeShipping, voucher };
}

/**
 * Checks a coupon for applyVoucher; throws AppError VOUCHER_INVALID (unknown, inactive,
 * outside its window, below its threshold — saying by how much — or limited per customer on
 * an anonymous cart) or VOUCHER_EXHAUSTED, with `field`. Returns the normalised code.
 */
export async function checkVoucher(
  em: EntityManager,
  code: string,
  input: { merchandiseCents: number; now: Date; customerId?: string | null },
  field?: string[],
): Promise<string> {
  assertMerchandise(input.merchandiseCents);
  const normalised = normaliseCode(code);
  const coupon = normalised ? await findCoupon(em, normalised) : null;
  const uses = coupon ? await customerUses(em, [coupon], input.customerId) : new Map<string, number>();
  const problem = normalised
    ? couponProblem(coupon, normalised, input, uses)
    : { code: ErrorCode.VOUCHER_INVALID, message: 'Type a coupon code.' };
  if (problem) throw new AppError(problem.code, problem.message, field);
  return normalised;
}

/**
 * Inside the checkout transaction: records one redemption per promotion for the cart and
 * counts the use. Each promotion's counter moves by a guarded UPDATE (usage_count <
 * usage_limit), which also row-locks the promotion until the checkout commits: a concurrent
 * checkout of the same promotion waits, then re-checks the guard against the committed count,
 * so no number of parallel checkouts can pass a limit; the per-customer count is read after
 * that lock for the same reason. Promotions are taken in id order so two checkouts sharing
 * several promotions lock them in the same order and cannot deadlock.
 *
 * A promotion this cart already redeemed is skipped (the unique (promotion, cart) index):
 * the count never moves twice for one cart. Throws AppError VOUCHER_EXHAUSTED naming the
 * coupon (or the promotion) when one cannot be redeemed; the caller's transaction then rolls
 * back every redemption it made.
 *
 * Trade-off: an unlimited automatic promotion (the Pix discount) is still counted, so its row
 * serialises the checkouts that use it for the length of their commits.
 */
export async function redeemPromotions(em: EntityManager, promotionIds: string[], cart: { cartId: string; customerId?: string | null }): Promise<void> {
  const ids = [...new Set(promotionIds)].sort();
  if (!ids.length) return;
  const promotions = await em.find(Promotion, { id: { $in: ids } });
  const byId = new Map(promotions.map((p) => [p.id, p]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`redeemPromotions: no promotion ${missing.join(', ')}`);

  for (const id of ids) {
    const p = byId.get(id)!;
    const label = p.code ? `Coupon ${p.code}` : `Promotion "${p.name}"`;
    const inserted = await em.execute<{ id: string }[]>(
      `insert into "promotion_redemption" ("id", "promotion_id", "cart_id", "customer_id")
       values (?, ?, ?, ?)
       on conflict ("promotion_id", "cart_id") do nothing
       returning "id"`,
      [randomUUID(), id, cart.cartId, cart.customerId ?? null],
    );
    if (!inserted.length) continue;

    const counted = await em.execute<{ id: string }[]>(
      `update "promotion" set "usage_count" = "usage_count" + 1, "updated_at" = now()
       where "id" = ? and ("usage_limit" is null or "usage_count" < "usage_limit")
       returning "id"`,
      [id],
    );
    if (!counted.length) throw new AppError(ErrorCode.VOUCHER_EXHAUSTED, `${label} has reached its usage limit.`);

    if (p.perCustomerLimit != null) {
      if (!cart.customerId) throw new AppError(ErrorCode.VOUCHER_INVALID, `${label} is limited per customer: sign in to use it.`);
      const [row] = await em.execute<{ n: number }[]>(
        `select count(*)::int as "n" from "promotion_redemption" where "promotion_id" = ? and "customer_id" = ?`,
        [id, cart.customerId],
      );
      if ((row?.n ?? 0) > p.perCustomerLimit) {
        throw new AppError(ErrorCode.VOUCHER_EXHAUSTED, `${label} can be used ${p.perCustomerLimit} time(s) per customer, and this customer has used it already.`);
      }
    }
  }
}
