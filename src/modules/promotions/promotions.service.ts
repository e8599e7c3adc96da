import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { findById, isId } from '../../shared/db/ids.js';
import { ErrorCode, Validation, badInput, conflict, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { assertMay, type Viewer } from '../../shared/access/index.js';
import { PROMOTIONS_ACCESS } from './promotions.access.js';
import { FundedByKind, Promotion, PromotionKind, type PromotionPaymentMethod } from './promotions.entity.js';
import { COUPON_CODE_RE, normaliseCode } from './promotions.evaluate.js';

/*
 * Managing promotions: operator owners/admins write them, every operator role reads them,
 * nobody else sees them (a coupon list in a seller's hands would be given away). The shield
 * rules say the same; the checks are repeated here for callers that do not come through
 * GraphQL.
 */

const INT_MAX = 2_147_483_647; // counts and percentages are PostgreSQL integers

export function assertPromotionWriter(viewer: Viewer): void {
  assertMay(viewer, PROMOTIONS_ACCESS.writePromotions);
}

export function assertPromotionReader(viewer: Viewer): void {
  assertMay(viewer, PROMOTIONS_ACCESS.readPromotions);
}

export interface PromotionData {
  name?: string | null;
  value?: number | null;
  paymentMethod?: PromotionPaymentMethod | null;
  code?: string | null;
  minMerchandise?: number | null;
  maxDiscount?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
  fundedBy?: FundedByKind | null;
  sellerSharePercent?: number | null;
}

export interface CreatePromotionData extends PromotionData {
  kind: PromotionKind;
  active?: boolean | null;
}

export interface PromotionListArgs extends ConnectionArgs {
  active?: boolean | null;
  kind?: PromotionKind | null;
  code?: string | null;
}

/** The promotion's state after a create or update, before it is written. */
type State = Pick<
  Promotion,
  | 'name' | 'kind' | 'value' | 'paymentMethod' | 'code' | 'minMerchandiseCents' | 'maxDiscountCents' | 'startsAt' | 'endsAt'
  | 'usageLimit' | 'perCustomerLimit' | 'fundedBy' | 'sellerSharePercent'
>;

const f = (name: string) => ['input', name];
const isInt = (n: number, min: number, max = INT_MAX) => Number.isInteger(n) && n >= min && n <= max;
// Amounts are bigint columns and SafeInt in GraphQL: whole centavos up to 2^53 − 1.
const isCents = (n: number, min: number) => isInt(n, min, Number.MAX_SAFE_INTEGER);

/** `input[key]` when the client sent it (null included), otherwise the current value. */
function pick<K extends keyof PromotionData, T>(input: PromotionData, key: K, current: T, map: (v: NonNullable<PromotionData[K]> | null) => T = (v) => v as T): T {
  return input[key] === undefined ? current : map((input[key] ?? null) as NonNullable<PromotionData[K]> | null);
}

/**
 * Merges the input over the current state (create starts from nothing) and checks the whole
 * result, so an update that only moves endsAt is checked against the stored startsAt. Errors
 * name the input field the operator would change to fix them.
 */
function merge(v: Validation, current: State, input: PromotionData, usedSoFar = 0): State {
  const name = input.name == null ? current.name : input.name.trim().replace(/\s+/g, ' ');
  v.check(!!name && name.length <= 120, 'Give it a name of 1 to 120 characters.', f('name'));

  const code = pick(input, 'code', current.code ?? null, (c) => (c == null ? null : normaliseCode(c)));
  if (code != null) v.check(COUPON_CODE_RE.test(code), 'Coupon codes have 3 to 40 letters, digits, "_" or "-".', f('code'));

  const fundedBy = input.fundedBy ?? current.fundedBy;
  let sellerSharePercent = pick(input, 'sellerSharePercent', current.sellerSharePercent ?? null);
  if (fundedBy === FundedByKind.SHARED) {
    v.check(sellerSharePercent != null && isInt(sellerSharePercent, 1, 99), "A SHARED promotion needs the seller's share, 1 to 99 percent.", f('sellerSharePercent'));
  } else if (input.sellerSharePercent != null) {
    v.add(ErrorCode.BAD_USER_INPUT, 'Only SHARED promotions have a seller share.', f('sellerSharePercent'));
  } else {
    sellerSharePercent = null; // moving away from SHARED drops the old share
  }
  // Freight is the operator's revenue and its carriers ship (design.md): waiving it is the
  // operator's cost, and there is no seller freight for a seller to give up.
  v.check(
    current.kind !== PromotionKind.FREE_SHIPPING || fundedBy === FundedByKind.OPERATOR,
    'Free shipping waives the operator\'s freight, so only the operator can fund it.',
    f('fundedBy'),
  );

  const state: State = {
    name,
    kind: current.kind,
    value: pick(input, 'value', current.value ?? null),
    paymentMethod: pick(input, 'paymentMethod', current.paymentMethod ?? null),
    code,
    minMerchandiseCents: pick(input, 'minMerchandise', current.minMerchandiseCents ?? null),
    maxDiscountCents: pick(input, 'maxDiscount', current.maxDiscountCents ?? null),
    startsAt: pick(input, 'startsAt', current.startsAt ?? null),
    endsAt: pick(input, 'endsAt', current.endsAt ?? null),
    usageLimit: pick(input, 'usageLimit', current.usageLimit ?? null),
    perCustomerLimit: pick(input, 'perCustomerLimit', current.perCustomerLimit ?? null),
    fundedBy,
    sellerSharePercent,
  };

  const { kind, value } = state;
  const percentLike = kind === PromotionKind.PERCENTAGE || kind === PromotionKind.PAYMENT_METHOD;
  if (percentLike) {
    v.check(value != null && isInt(value, 1, 10_000), 'A percentage is 1 to 10000 basis points (1000 = 10%).', f('value'));
  } else if (kind === PromotionKind.FIXED) {
    v.check(value != null && isCents(value, 1), 'A fixed discount is a positive amount in centavos.', f('value'));
  } else {
    v.check(value == null, 'Free shipping has no value.', f('value'));
  }
  if (kind === PromotionKind.PAYMENT_METHOD) {
    v.check(state.paymentMethod != null, 'Say which payment method this discount rewards.', f('paymentMethod'));
    // Payment-method discounts are store-wide rules, never a coupon a shopper types.
    v.check(code == null, 'Payment-method discounts apply by themselves: they take no coupon code.', f('code'));
  } else {
    v.check(state.paymentMethod == null, 'Only PAYMENT_METHOD promotions have a payment method.', f('paymentMethod'));
  }
  if (state.maxDiscountCents != null) {
    if (percentLike) v.check(isCents(state.maxDiscountCents, 1), 'The maximum discount is a positive amount in centavos.', f('maxDiscount'));
    else v.add(ErrorCode.BAD_USER_INPUT, 'Only percentage discounts take a maximum.', f('maxDiscount'));
  }
  if (state.minMerchandiseCents != null) {
    v.check(isCents(state.minMerchandiseCents, 1), 'The threshold is a positive amount in centavos; leave it out for none.', f('minMerchandise'));
  }
  if (state.startsAt && state.endsAt) v.check(state.endsAt > state.startsAt, 'endsAt must be after startsAt.', f('endsAt'));
  if (state.usageLimit != null) {
    v.check(isInt(state.usageLimit, 1), 'The usage limit is at least 1; leave it out for none.', f('usageLimit'));
    // Past redemptions stay counted; to stop further use, switch the promotion off instead.
    v.check(state.usageLimit >= usedSoFar, `It has been used ${usedSoFar} time(s): the limit cannot go below that.`, f('usageLimit'));
  }
  if (state.perCustomerLimit != null) {
    v.check(isInt(state.perCustomerLimit, 1), 'The per-customer limit is at least 1; leave it out for none.', f('perCustomerLimit'));
  }
  return state;
}

async function codeTaken(em: EntityManager, code: string | null | undefined, exceptId?: string): Promise<boolean> {
  if (!code) return false;
  return !!(await em.findOne(Promotion, { code, ...(exceptId ? { id: { $ne: exceptId } } : {}) }, { fields: ['id'] }));
}

/** Flushes inside the mutation's transaction, so losing a race on the unique code is a CONFLICT too. */
async function flushOrConflict(em: EntityManager, code: string | null | undefined): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(`Another promotion has the code ${code}.`, 'input', 'code');
    throw err;
  }
}

export async function createPromotion(ctx: Context, em: EntityManager, input: CreatePromotionData): Promise<Promotion> {
  assertPromotionWriter(ctx.viewer);
  const v = new Validation();
  const empty: State = { name: '', kind: input.kind, fundedBy: FundedByKind.OPERATOR };
  const state = merge(v, empty, input);
  v.throwIfAny();
  if (await codeTaken(em, state.code)) throw conflict(`Another promotion has the code ${state.code}.`, 'input', 'code');

  const promotion = em.create(Promotion, { ...state, active: input.active ?? true });
  em.persist(promotion);
  await flushOrConflict(em, state.code);
  return promotion;
}

/** Changes anything but the kind (a different kind is a different promotion); usage so far is kept. */
export async function updatePromotion(ctx: Context, em: EntityManager, id: string, input: PromotionData): Promise<Promotion> {
  assertPromotionWriter(ctx.viewer);
  if (!isId(id)) throw notFound('No promotion has this id.', 'id');
  const promotion = await em.findOne(Promotion, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!promotion) throw notFound('No promotion has this id.', 'id');
  const v = new Validation();
  const state = merge(v, promotion, input, promotion.usageCount);
  v.throwIfAny();
  if (await codeTaken(em, state.code, id)) throw conflict(`Another promotion has the code ${state.code}.`, 'input', 'code');

  em.assign(promotion, state);
  await flushOrConflict(em, state.code);
  return promotion;
}

export async function setPromotionActive(ctx: Context, em: EntityManager, id: string, active: boolean): Promise<Promotion> {
  assertPromotionWriter(ctx.viewer);
  if (!isId(id)) throw notFound('No promotion has this id.', 'id');
  const promotion = await em.findOne(Promotion, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!promotion) throw notFound('No promotion has this id.', 'id');
  promotion.active = active;
  await em.flush();
  return promotion;
}

/** Newest first. */
export async function listPromotions(ctx: Context, args: PromotionListArgs) {
  assertPromotionReader(ctx.viewer);
  const where: FilterQuery<Promotion> = {};
  if (args.active != null) where.active = args.active;
  if (args.kind != null) where.kind = args.kind;
  if (args.code != null) {
    const code = normaliseCode(args.code);
    if (!COUPON_CODE_RE.test(code)) throw badInput('Coupon codes have 3 to 40 letters, digits, "_" or "-".', 'code');
    where.code = code;
  }
  return paginate(ctx.em, Promotion, where, args, { createdAt: 'desc' });
}

export async function findPromotion(ctx: Context, id: string): Promise<Promotion | null> {
  assertPromotionReader(ctx.viewer);
  return findById(ctx.em, Promotion, id);
}
