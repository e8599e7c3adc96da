import { LockMode, wrap } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertIdExists, isId } from '../../shared/db/ids.js';
import { ErrorCode, Validation, badInput, forbidden, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { assertMay, type Viewer } from '../../shared/access/index.js';
import { FINANCE_ACCESS } from './finance.access.js';
import { Category } from '../catalog/index.js';
import { Seller, type MarketplaceSettings, getSettings, updateSettings, sellerFilter } from '../sellers/index.js';
import { CommissionRule } from './finance.entity.js';

export const MAX_BPS = 10_000;

// ---------------------------------------------------------------------------------------
// Arithmetic

/** Commission in centavos for a base: round half up of base × bps / 10000 (integer arithmetic, no floats). */
export function commissionOf(baseCents: number, rateBps: number): number {
  if (!Number.isSafeInteger(baseCents) || baseCents < 0) throw new RangeError(`commission base must be whole non-negative centavos, got ${baseCents}`);
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > MAX_BPS) throw new RangeError(`commission rate must be 0–${MAX_BPS} bps, got ${rateBps}`);
  // BigInt: base × bps passes 2^53 for bases above ~R$ 9 billion / 100.
  return Number((BigInt(baseCents) * BigInt(rateBps) + 5_000n) / 10_000n);
}

export interface LineSettlement {
  /** Merchandise minus the seller-funded part of the line's discount. */
  baseCents: number;
  commissionCents: number;
  /** What the seller is owed for the line: base − commission. */
  receivableCents: number;
}

/**
 * The design's split of one order line: commission base = merchandise − seller-funded
 * discount; seller receivable = base − commission. Operator-funded discount and freight are
 * not the seller's and do not enter here.
 */
export function settleLine(line: { merchandiseCents: number; sellerFundedDiscountCents: number; rateBps: number }): LineSettlement {
  const { merchandiseCents, sellerFundedDiscountCents } = line;
  if (!Number.isSafeInteger(sellerFundedDiscountCents) || sellerFundedDiscountCents < 0 || sellerFundedDiscountCents > merchandiseCents) {
    throw new RangeError(`seller-funded discount must be 0–${merchandiseCents} centavos, got ${sellerFundedDiscountCents}`);
  }
  const baseCents = merchandiseCents - sellerFundedDiscountCents;
  const commissionCents = commissionOf(baseCents, line.rateBps);
  return { baseCents, commissionCents, receivableCents: baseCents - commissionCents };
}

// ---------------------------------------------------------------------------------------
// Resolution

const key = (sellerId: string | null, categoryId: string | null) => `${sellerId ?? '*'}|${categoryId ?? '*'}`;

/**
 * One rate (basis points) per line, in input order, with at most 2–3 queries whatever the number of lines.
 *
 * Precedence, most specific first:
 *  1. a rule for (the line's seller, its category) — or, failing that, for (the seller, the
 *     nearest ancestor category that has one);
 *  2. a rule for the seller alone;
 *  3. a rule for the category alone — or the nearest ancestor's;
 *  4. the store default (MarketplaceSettings.defaultCommissionBps).
 * A seller's negotiated rate beats a store-wide category rate because it is the more specific
 * agreement; a category rule covers its whole subtree so the operator sets "Electronics" once.
 *
 * Queries: the lines' categories (their paths name every ancestor), the candidate rules, and
 * the settings row only when some line falls through to the default. Unknown category ids
 * are a caller bug (products cannot point at a missing category) and throw.
 */
export async function commissionRatesFor(em: EntityManager, lines: readonly { sellerId: string; categoryId: string | null }[]): Promise<number[]> {
  if (lines.length === 0) return [];
  for (const l of lines) {
    if (!isId(l.sellerId)) throw new Error(`commissionRatesFor: seller id ${l.sellerId} is not a UUID`);
    if (l.categoryId != null && !isId(l.categoryId)) throw new Error(`commissionRatesFor: category id ${l.categoryId} is not a UUID`);
  }
  const sellerIds = [...new Set(lines.map((l) => l.sellerId))];
  const categoryIds = [...new Set(lines.flatMap((l) => (l.categoryId ? [l.categoryId] : [])))];

  // Each category's chain, nearest first: itself, its parent, …, the root.
  const chains = new Map<string, string[]>();
  if (categoryIds.length) {
    // Categories this unit of work already holds (the checkout read them with the cart) are not read again.
    const held = categoryIds.map((id) => em.getUnitOfWork().getById<Category>(Category.name, id)).filter((c): c is Category => !!c && wrap(c).isInitialized());
    const unread = categoryIds.filter((id) => !held.some((c) => c.id === id));
    const categories = [...held, ...(unread.length ? await em.find(Category, { id: { $in: unread } }) : [])];
    for (const c of categories) chains.set(c.id, c.path.split('/').filter(Boolean).reverse());
    const missing = categoryIds.find((id) => !chains.has(id));
    if (missing) throw new Error(`commissionRatesFor: no category ${missing}`);
  }
  const chainIds = [...new Set([...chains.values()].flat())];

  const where: FilterQuery<CommissionRule>[] = [{ seller: { $in: sellerIds } }];
  if (chainIds.length) where.push({ seller: null, category: { $in: chainIds } });
  const rules = await em.find(CommissionRule, { $or: where });
  const rate = new Map(rules.map((r) => [key(r.seller?.id ?? null, r.category?.id ?? null), r.rateBps]));

  const resolved = lines.map((l) => {
    const chain = l.categoryId ? chains.get(l.categoryId)! : [];
    for (const c of chain) {
      const r = rate.get(key(l.sellerId, c));
      if (r !== undefined) return r;
    }
    const seller = rate.get(key(l.sellerId, null));
    if (seller !== undefined) return seller;
    for (const c of chain) {
      const r = rate.get(key(null, c));
      if (r !== undefined) return r;
    }
    return undefined;
  });
  if (resolved.every((r) => r !== undefined)) return resolved as number[];
  const { defaultCommissionBps } = await getSettings(em);
  return resolved.map((r) => r ?? defaultCommissionBps);
}

// ---------------------------------------------------------------------------------------
// Rules: operator owners/admins write them (the shield rule, repeated for other callers)

export interface CommissionRuleData {
  /** undefined keeps the current value on update; null clears it. */
  sellerId?: string | null;
  categoryId?: string | null;
  rateBps?: number | null;
}

export interface CommissionRuleListArgs extends ConnectionArgs {
  sellerId?: string | null;
  categoryId?: string | null;
}

function assertFinanceAdmin(viewer: Viewer): void {
  assertMay(viewer, FINANCE_ACCESS.manageCommission);
}

/** Rule writes are rare; one lock makes "is this pair free, then insert" safe against a concurrent writer. */
async function lockRules(em: EntityManager): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', ['finance:commission_rules']);
}

function checkRate(v: Validation, rateBps: number | null | undefined, required: boolean, field: string[]): void {
  if (rateBps == null) {
    if (required) v.add(ErrorCode.BAD_USER_INPUT, 'Give the rate in basis points (1500 = 15%).', field);
    return;
  }
  v.check(Number.isInteger(rateBps) && rateBps >= 0 && rateBps <= MAX_BPS, `The rate is in basis points, a whole number from 0 to ${MAX_BPS} (100%).`, field);
}

/** Checks shapes, then that the named seller and category exist; both refer to input fields. */
async function checkTargets(em: EntityManager, v: Validation, sellerId: string | null, categoryId: string | null): Promise<void> {
  const sellerOk = !sellerId || isId(sellerId);
  const categoryOk = !categoryId || isId(categoryId);
  const [seller, category] = await Promise.all([
    sellerId && sellerOk ? em.findOne(Seller, { id: sellerId }) : null,
    categoryId && categoryOk ? em.findOne(Category, { id: categoryId }) : null,
  ]);
  if (sellerId && !seller) v.add(ErrorCode.NOT_FOUND, 'No seller has this id.', ['input', 'sellerId']);
  if (categoryId && !category) v.add(ErrorCode.NOT_FOUND, 'No category has this id.', ['input', 'categoryId']);
}

async function checkFreePair(em: EntityManager, v: Validation, sellerId: string | null, categoryId: string | null, exceptId?: string): Promise<void> {
  const other = await em.findOne(CommissionRule, { seller: sellerId, category: categoryId, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  if (other) {
    const what = sellerId && categoryId ? 'this seller in this category' : sellerId ? 'this seller' : 'this category';
    v.add(ErrorCode.CONFLICT, `There is already a commission rule for ${what}; change that one instead.`, ['input']);
  }
}

export async function createCommissionRule(ctx: Context, em: EntityManager, input: CommissionRuleData): Promise<CommissionRule> {
  assertFinanceAdmin(ctx.viewer);
  const v = new Validation();
  const sellerId = input.sellerId ?? null;
  const categoryId = input.categoryId ?? null;
  v.check(!!sellerId || !!categoryId, 'Give a seller, a category, or both.', ['input', 'sellerId']);
  checkRate(v, input.rateBps, true, ['input', 'rateBps']);
  v.throwIfAny();

  await lockRules(em);
  await checkTargets(em, v, sellerId, categoryId);
  v.throwIfAny();
  await checkFreePair(em, v, sellerId, categoryId);
  v.throwIfAny();

  const rule = em.create(CommissionRule, {
    seller: sellerId ? em.getReference(Seller, sellerId) : null,
    category: categoryId ? em.getReference(Category, categoryId) : null,
    rateBps: input.rateBps!,
  });
  em.persist(rule);
  return rule;
}

/** Changes the rate and/or the target. Orders already placed keep the rate frozen on their lines. */
export async function updateCommissionRule(ctx: Context, em: EntityManager, id: string, input: CommissionRuleData): Promise<CommissionRule> {
  assertFinanceAdmin(ctx.viewer);
  if (!isId(id)) throw notFound('No commission rule has this id.', 'id');
  const v = new Validation();
  checkRate(v, input.rateBps, false, ['input', 'rateBps']);
  v.throwIfAny();

  await lockRules(em);
  const rule = await em.findOne(CommissionRule, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!rule) throw notFound('No commission rule has this id.', 'id');
  const sellerId = input.sellerId === undefined ? (rule.seller?.id ?? null) : input.sellerId;
  const categoryId = input.categoryId === undefined ? (rule.category?.id ?? null) : input.categoryId;
  v.check(!!sellerId || !!categoryId, 'A rule keeps a seller, a category, or both.', ['input', input.sellerId === null ? 'sellerId' : 'categoryId']);
  v.throwIfAny();
  await checkTargets(em, v, input.sellerId ? sellerId : null, input.categoryId ? categoryId : null);
  v.throwIfAny();
  await checkFreePair(em, v, sellerId, categoryId, rule.id);
  v.throwIfAny();

  rule.seller = sellerId ? em.getReference(Seller, sellerId, { wrapped: true }) : null;
  rule.category = categoryId ? em.getReference(Category, categoryId, { wrapped: true }) : null;
  if (input.rateBps != null) rule.rateBps = input.rateBps;
  return rule;
}

/** Returns the rule as it was, for the payload. */
export async function deleteCommissionRule(ctx: Context, em: EntityManager, id: string): Promise<CommissionRule> {
  assertFinanceAdmin(ctx.viewer);
  if (!isId(id)) throw notFound('No commission rule has this id.', 'id');
  await lockRules(em);
  const rule = await em.findOne(CommissionRule, { id });
  if (!rule) throw notFound('No commission rule has this id.', 'id');
  em.remove(rule);
  return rule;
}

/** The store default, used when no rule matches. Returns the settings row. */
export async function setDefaultCommission(ctx: Context, em: EntityManager, rateBps: number): Promise<MarketplaceSettings> {
  assertFinanceAdmin(ctx.viewer);
  const v = new Validation();
  checkRate(v, rateBps, true, ['rateBps']);
  v.throwIfAny();
  return updateSettings(em, { defaultCommissionBps: rateBps });
}

/** Every rule, oldest first; optionally only those naming one seller and/or one category. */
export async function listCommissionRules(ctx: Context, args: CommissionRuleListArgs) {
  assertFinanceAdmin(ctx.viewer);
  if (args.sellerId) await assertIdExists(ctx.em, Seller, args.sellerId, ['sellerId'], 'seller');
  if (args.categoryId) await assertIdExists(ctx.em, Category, args.categoryId, ['categoryId'], 'category');
  const where: FilterQuery<CommissionRule> = {};
  if (args.sellerId) where.seller = args.sellerId;
  if (args.categoryId) where.category = args.categoryId;
  return paginate(ctx.em, CommissionRule, where, args, { createdAt: 'asc' });
}

/**
 * What a seller's portal shows: the store default and the rules that can apply to this
 * seller — its own rules and the store-wide category rules — never another seller's.
 * Seller users see their own seller; operator staff name one (sellerFilter).
 */
export async function sellerCommissionRates(ctx: Context, requestedSellerId?: string | null): Promise<{ sellerId: string; defaultRateBps: number }> {
  // The scope comes first: a seller user naming any other id, well-formed or not, is FORBIDDEN.
  const sellerId = sellerFilter(ctx.viewer, requestedSellerId);
  if (!sellerId) throw badInput('Name the seller whose rates to show.', 'sellerId');
  if (!isId(sellerId)) throw notFound('No seller has this id.', 'sellerId');
  const [seller, settings] = await Promise.all([ctx.em.findOne(Seller, { id: sellerId }), getSettings(ctx.em)]);
  if (!seller) throw notFound('No seller has this id.', 'sellerId');
  return { sellerId, defaultRateBps: settings.defaultCommissionBps };
}

export async function rulesApplyingTo(ctx: Context, sellerId: string, args: ConnectionArgs) {
  // Defence in depth: the id came from sellerCommissionRates, but never trust a parent blindly.
  if (sellerFilter(ctx.viewer, sellerId) !== sellerId) throw forbidden();
  return paginate(ctx.em, CommissionRule, { $or: [{ seller: sellerId }, { seller: null }] }, args, { createdAt: 'asc' });
}
