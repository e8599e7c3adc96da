import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { PromoCreateDocument, PromoListDocument, PromoOneDocument, PromoSetActiveDocument, PromoUpdateDocument, type CreatePromotionInput, type PromoUpdateMutationVariables } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';
import { FundedByKind, Promotion, PromotionKind, PromotionPaymentMethod, PromotionRedemption } from '../src/modules/promotions/promotions.entity.js';
import { checkVoucher, evaluatePromotions, redeemPromotions, type PromotionEvaluation } from '../src/modules/promotions/index.js';
import { AppError, ErrorCode } from '../src/shared/errors/index.js';

let t: TestApp;
let f: Factory;
let alfa: Seller;
let owner: string;
let admin: string;
let support: string;

const errs = (e: { code: string; field?: string[] | null }[] | undefined) => (e ?? []).map((x) => [x.code, x.field?.join('.')]);

async function create(input: CreatePromotionInput, token = admin) {
  const res = await t.request(PromoCreateDocument, { input }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.createPromotion;
}

async function createOk(input: CreatePromotionInput) {
  const out = await create(input);
  expect(out.userErrors).toEqual([]);
  return out.promotion!;
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'PROMO' });
  owner = (await f.operator(UserRole.OWNER)).token;
  admin = (await f.operator(UserRole.ADMIN)).token;
  support = (await f.operator(UserRole.SUPPORT)).token;
});
afterAll(async () => t?.stop());

describe('who may manage and read promotions', () => {
  const actors: [string, 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN', 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN', () => Promise<string | undefined>][] = [
    // actor, may write, may read, token
    ['anonymous', 'UNAUTHENTICATED', 'UNAUTHENTICATED', async () => undefined],
    ['customer', 'FORBIDDEN', 'FORBIDDEN', async () => (await f.customer()).token],
    ['operator OWNER', 'ok', 'ok', async () => owner],
    ['operator ADMIN', 'ok', 'ok', async () => admin],
    ['operator SUPPORT', 'FORBIDDEN', 'ok', async () => support],
    ['operator AGENT', 'FORBIDDEN', 'ok', async () => (await f.operator(UserRole.AGENT)).token],
    ['guest seller OWNER', 'FORBIDDEN', 'FORBIDDEN', async () => (await f.user({ seller: alfa, role: UserRole.OWNER })).token],
    ['guest seller FINANCE', 'FORBIDDEN', 'FORBIDDEN', async () => (await f.user({ seller: alfa, role: UserRole.FINANCE })).token],
    ['guest-linked integration', 'FORBIDDEN', 'FORBIDDEN', async () => (await f.integration({ seller: alfa })).token],
    ['unlinked (store) integration', 'FORBIDDEN', 'FORBIDDEN', async () => (await f.integration()).token],
  ];

  it.each(actors)('%s: write %s, read %s', async (_name, write, read, tokenOf) => {
    const token = await tokenOf();
    const before = await f.em().count(Promotion, {});
    const created = await t.request(PromoCreateDocument, { input: { name: 'Matrix', kind: 'PERCENTAGE', value: 500 } }, token);
    const existing = await createOk({ name: 'Existing', kind: 'FIXED', value: 100 });
    const updated = await t.request(PromoUpdateDocument, { id: existing.id, input: { name: 'Renamed' } }, token);
    const toggled = await t.request(PromoSetActiveDocument, { id: existing.id, active: false }, token);
    if (write === 'ok') {
      expect(created.data?.createPromotion.userErrors).toEqual([]);
      expect(updated.data?.updatePromotion.promotion?.id).toBe(existing.id);
      expect(toggled.data?.setPromotionActive.promotion?.active).toBe(false);
    } else {
      for (const res of [created, updated, toggled]) expect(codes(res)).toEqual([write]);
      expect(await f.em().count(Promotion, {})).toBe(before + 1); // only the admin's "Existing"
      const stored = await f.em().findOneOrFail(Promotion, { id: existing.id });
      expect([stored.name, stored.active]).toEqual(['Existing', true]);
    }

    const list = await t.request(PromoListDocument, { first: 5 }, token);
    const one = await t.request(PromoOneDocument, { id: existing.id }, token);
    if (read === 'ok') {
      expect(list.errors).toBeUndefined();
      expect(list.data?.promotions.totalCount).toBeGreaterThan(0);
      expect(one.data?.promotion?.id).toBe(existing.id);
    } else {
      expect(codes(list)).toEqual([read]);
      expect(codes(one)).toEqual([read]);
      expect(list.data?.promotions ?? null).toBeNull();
    }
  });
});

describe('creating and changing promotions', () => {
  it('creates a coupon, stores its code upper-case and shows money as Money', async () => {
    const p = await createOk({
      name: '  Summer   sale ',
      kind: 'PERCENTAGE',
      value: 1500,
      code: ' summer15 ',
      minMerchandise: 10000,
      maxDiscount: 3000,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2026-02-01T00:00:00.000Z',
      usageLimit: 100,
      perCustomerLimit: 1,
      fundedBy: 'SHARED',
      sellerSharePercent: 40,
    });
    expect(p).toMatchObject({
      name: 'Summer sale',
      kind: 'PERCENTAGE',
      basisPoints: 1500,
      amountOff: null,
      code: 'SUMMER15',
      minMerchandise: { amount: 10000, currency: 'BRL' },
      maxDiscount: { amount: 3000, currency: 'BRL' },
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2026-02-01T00:00:00.000Z',
      usageLimit: 100,
      perCustomerLimit: 1,
      usageCount: 0,
      active: true,
      fundedBy: 'SHARED',
      sellerSharePercent: 40,
    });
    const fixed = await createOk({ name: 'Ten off', kind: 'FIXED', value: 1000 });
    expect(fixed).toMatchObject({ basisPoints: null, amountOff: { amount: 1000, currency: 'BRL' }, code: null, fundedBy: 'OPERATOR', sellerSharePercent: 0 });
    const pix = await createOk({ name: 'Pix à vista', kind: 'PAYMENT_METHOD', value: 500, paymentMethod: 'PIX', fundedBy: 'SELLER' });
    expect(pix).toMatchObject({ basisPoints: 500, paymentMethod: 'PIX', sellerSharePercent: 100 });
  });

  it('refuses bad input with every problem at once and writes nothing', async () => {
    const before = await f.em().count(Promotion, {});
    const cases: [CreatePromotionInput, [string, string][]][] = [
      [{ name: 'p0', kind: 'PERCENTAGE', value: 0 }, [['BAD_USER_INPUT', 'input.value']]],
      [{ name: 'p+', kind: 'PERCENTAGE', value: 10001 }, [['BAD_USER_INPUT', 'input.value']]],
      [{ name: 'pn', kind: 'PERCENTAGE' }, [['BAD_USER_INPUT', 'input.value']]],
      [{ name: 'f0', kind: 'FIXED', value: 0 }, [['BAD_USER_INPUT', 'input.value']]],
      [{ name: 'fmax', kind: 'FIXED', value: 10, maxDiscount: 5 }, [['BAD_USER_INPUT', 'input.maxDiscount']]],
      [{ name: 'fs', kind: 'FREE_SHIPPING', value: 10 }, [['BAD_USER_INPUT', 'input.value']]],
      [{ name: 'fss', kind: 'FREE_SHIPPING', fundedBy: 'SELLER' }, [['BAD_USER_INPUT', 'input.fundedBy']]],
      [{ name: 'pm', kind: 'PAYMENT_METHOD', value: 500 }, [['BAD_USER_INPUT', 'input.paymentMethod']]],
      [{ name: 'pmc', kind: 'PAYMENT_METHOD', value: 500, paymentMethod: 'PIX', code: 'PIXCODE' }, [['BAD_USER_INPUT', 'input.code']]],
      [{ name: 'pmo', kind: 'PERCENTAGE', value: 500, paymentMethod: 'PIX' }, [['BAD_USER_INPUT', 'input.paymentMethod']]],
      [{ name: 'short', kind: 'FIXED', value: 10, code: 'AB' }, [['BAD_USER_INPUT', 'input.code']]],
      [{ name: 'shape', kind: 'FIXED', value: 10, code: 'NO SPACES!' }, [['BAD_USER_INPUT', 'input.code']]],
      [{ name: 'win', kind: 'FIXED', value: 10, startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-02-01T00:00:00Z' }, [['BAD_USER_INPUT', 'input.endsAt']]],
      [{ name: 'shared', kind: 'FIXED', value: 10, fundedBy: 'SHARED' }, [['BAD_USER_INPUT', 'input.sellerSharePercent']]],
      [{ name: 'share100', kind: 'FIXED', value: 10, fundedBy: 'SHARED', sellerSharePercent: 100 }, [['BAD_USER_INPUT', 'input.sellerSharePercent']]],
      [{ name: 'shareop', kind: 'FIXED', value: 10, sellerSharePercent: 50 }, [['BAD_USER_INPUT', 'input.sellerSharePercent']]],
      [{ name: 'limit', kind: 'FIXED', value: 10, usageLimit: 0 }, [['BAD_USER_INPUT', 'input.usageLimit']]],
      [{ name: 'per', kind: 'FIXED', value: 10, perCustomerLimit: 0 }, [['BAD_USER_INPUT', 'input.perCustomerLimit']]],
      [{ name: 'min', kind: 'FIXED', value: 10, minMerchandise: -1 }, [['BAD_USER_INPUT', 'input.minMerchandise']]],
      [{ name: '   ', kind: 'FIXED', value: 10 }, [['BAD_USER_INPUT', 'input.name']]],
      [{ kind: 'FIXED', value: 10 }, [['BAD_USER_INPUT', 'input.name']]],
      [
        { name: 'all', kind: 'PERCENTAGE', value: 0, code: 'x', usageLimit: 0, fundedBy: 'SHARED' },
        [
          ['BAD_USER_INPUT', 'input.code'],
          ['BAD_USER_INPUT', 'input.sellerSharePercent'],
          ['BAD_USER_INPUT', 'input.value'],
          ['BAD_USER_INPUT', 'input.usageLimit'],
        ],
      ],
    ];
    for (const [input, expected] of cases) {
      const out = await create(input);
      expect(errs(out.userErrors), JSON.stringify(input)).toEqual(expected);
      expect(out.promotion).toBeNull();
      for (const e of out.userErrors) expect(e.message.length).toBeGreaterThan(5);
    }
    expect(await f.em().count(Promotion, {})).toBe(before);
  });

  it('a duplicate code is a CONFLICT, ignoring case', async () => {
    await createOk({ name: 'First', kind: 'FIXED', value: 500, code: 'DUPE-1' });
    const out = await create({ name: 'Second', kind: 'PERCENTAGE', value: 500, code: 'dupe-1' });
    expect(errs(out.userErrors)).toEqual([['CONFLICT', 'input.code']]);
    const other = await createOk({ name: 'Other', kind: 'FIXED', value: 500, code: 'DUPE-2' });
    const renamed = await t.request(PromoUpdateDocument, { id: other.id, input: { code: 'Dupe-1' } }, admin);
    expect(errs(renamed.data?.updatePromotion.userErrors)).toEqual([['CONFLICT', 'input.code']]);
    expect((await f.em().findOneOrFail(Promotion, { id: other.id })).code).toBe('DUPE-2');
  });

  it('updates only what is sent, clears with null and checks the result as a whole', async () => {
    const p = await createOk({ name: 'Window', kind: 'PERCENTAGE', value: 1000, code: 'WINDOW', startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z', maxDiscount: 500 });
    const update = (input: PromoUpdateMutationVariables['input']) => t.request(PromoUpdateDocument, { id: p.id, input }, admin);

    // endsAt before the stored startsAt is refused, naming endsAt.
    let res = await update({ endsAt: '2026-02-01T00:00:00Z' });
    expect(errs(res.data?.updatePromotion.userErrors)).toEqual([['BAD_USER_INPUT', 'input.endsAt']]);

    res = await update({ endsAt: null, value: 2000, code: null });
    expect(res.data?.updatePromotion.userErrors).toEqual([]);
    expect(res.data?.updatePromotion.promotion).toMatchObject({ name: 'Window', endsAt: null, basisPoints: 2000, code: null, startsAt: '2026-03-01T00:00:00.000Z', maxDiscount: { amount: 500 } });

    // SHARED needs a share; moving back to OPERATOR drops it.
    res = await update({ fundedBy: 'SHARED' });
    expect(errs(res.data?.updatePromotion.userErrors)).toEqual([['BAD_USER_INPUT', 'input.sellerSharePercent']]);
    res = await update({ fundedBy: 'SHARED', sellerSharePercent: 25 });
    expect(res.data?.updatePromotion.promotion).toMatchObject({ fundedBy: 'SHARED', sellerSharePercent: 25 });
    res = await update({ fundedBy: 'OPERATOR' });
    expect(res.data?.updatePromotion.promotion).toMatchObject({ fundedBy: 'OPERATOR', sellerSharePercent: 0 });
    expect((await f.em().findOneOrFail(Promotion, { id: p.id })).sellerSharePercent).toBeNull();

    // The limit cannot drop below the redemptions already counted.
    await f.em().nativeUpdate(Promotion, { id: p.id }, { usageCount: 4 });
    res = await update({ usageLimit: 3 });
    expect(errs(res.data?.updatePromotion.userErrors)).toEqual([['BAD_USER_INPUT', 'input.usageLimit']]);
    res = await update({ usageLimit: 4 });
    expect(res.data?.updatePromotion.promotion).toMatchObject({ usageLimit: 4, usageCount: 4 });

    res = await t.request(PromoUpdateDocument, { id: randomUUID(), input: { name: 'x' } }, admin);
    expect(errs(res.data?.updatePromotion.userErrors)).toEqual([['NOT_FOUND', 'id']]);
    res = await t.request(PromoUpdateDocument, { id: 'not-an-id', input: { name: 'x' } }, admin);
    expect(errs(res.data?.updatePromotion.userErrors)).toEqual([['NOT_FOUND', 'id']]);
  });

  it('switches promotions on and off, and lists them by filter, newest first, page by page', async () => {
    const a = await createOk({ name: 'List A', kind: 'FREE_SHIPPING', code: 'LIST-A' });
    const b = await createOk({ name: 'List B', kind: 'FREE_SHIPPING', code: 'LIST-B' });
    const off = await t.request(PromoSetActiveDocument, { id: a.id, active: false }, owner);
    expect(off.data?.setPromotionActive).toEqual({ promotion: { id: a.id, active: false }, userErrors: [] });

    const free = await t.request(PromoListDocument, { kind: 'FREE_SHIPPING', first: 10 }, support);
    expect(free.data?.promotions.edges.map((e) => e.node.code)).toEqual(['LIST-B', 'LIST-A']);
    const inactive = await t.request(PromoListDocument, { kind: 'FREE_SHIPPING', active: false }, support);
    expect(inactive.data?.promotions.edges.map((e) => e.node.id)).toEqual([a.id]);
    const byCode = await t.request(PromoListDocument, { code: ' list-b ' }, support);
    expect(byCode.data?.promotions.edges.map((e) => e.node.id)).toEqual([b.id]);
    const badCode = await t.request(PromoListDocument, { code: '?' }, support);
    expect(codes(badCode)).toEqual(['BAD_USER_INPUT']);

    const page1 = await t.request(PromoListDocument, { kind: 'FREE_SHIPPING', first: 1 }, support);
    expect(page1.data?.promotions.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.request(PromoListDocument, { kind: 'FREE_SHIPPING', first: 1, after: page1.data!.promotions.pageInfo.endCursor }, support);
    expect(page2.data?.promotions.edges.map((e) => e.node.id)).toEqual([a.id]);

    const missing = await t.request(PromoOneDocument, { id: randomUUID() }, support);
    expect(missing.data?.promotion).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// Evaluation, straight against the database

const NOW = new Date('2026-06-15T12:00:00.000Z');
let created = 0;

/** A promotion row; creation times increase so "automatic by creation" is deterministic. */
async function promo(data: Partial<Promotion> & { kind: PromotionKind }): Promise<Promotion> {
  const em = f.em();
  created += 1;
  const p = em.create(Promotion, { name: `Promo ${created}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, created)), ...data });
  await em.persistAndFlush(p);
  return p;
}

const evaluate = (input: Partial<Parameters<typeof evaluatePromotions>[1]> & { merchandiseCents: number }) =>
  evaluatePromotions(f.em(), { voucherCode: null, payment: null, now: NOW, ...input });
const amounts = (e: PromotionEvaluation) => e.discounts.map((d) => [d.name, d.amountCents]);

describe('evaluatePromotions', () => {
  // Automatic promotions apply to every cart: each test starts from none active.
  beforeEach(async () => {
    await f.em().nativeUpdate(Promotion, {}, { active: false });
  });

  it('"purchase above X" is met exactly at X, not at X − 1 centavo', async () => {
    await promo({ name: 'Above 100', kind: PromotionKind.PERCENTAGE, value: 1000, minMerchandiseCents: 10000 });
    await promo({ kind: PromotionKind.FIXED, value: 700, code: 'ABOVE100', minMerchandiseCents: 10000 });
    expect(amounts(await evaluate({ merchandiseCents: 10000 }))).toEqual([['Above 100', 1000]]);
    expect(amounts(await evaluate({ merchandiseCents: 9999 }))).toEqual([]);

    const at = await evaluate({ merchandiseCents: 10000, voucherCode: 'above100' });
    expect(at.voucher).toEqual({ code: 'ABOVE100', applied: true });
    expect(at.discounts.map((d) => d.amountCents)).toEqual([1000, 700]);

    const below = await evaluate({ merchandiseCents: 9999, voucherCode: 'ABOVE100' });
    expect(below.discounts).toEqual([]);
    expect(below.voucher).toMatchObject({ code: 'ABOVE100', applied: false, problem: { code: 'VOUCHER_INVALID' } });
    expect(below.voucher?.problem?.message).toContain('add R$ 0,01 more');

    await expect(checkVoucher(f.em(), ' above100 ', { merchandiseCents: 10000, now: NOW })).resolves.toBe('ABOVE100');
    const err = await checkVoucher(f.em(), 'ABOVE100', { merchandiseCents: 9000, now: NOW }, ['input', 'code']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).errors).toEqual([{ code: ErrorCode.VOUCHER_INVALID, message: expect.stringContaining('add R$ 10,00 more'), field: ['input', 'code'] }]);
  });

  it('a validity window holds from startsAt (inclusive) to endsAt (exclusive)', async () => {
    const hour = 3600_000;
    await promo({ name: 'Later', kind: PromotionKind.FIXED, value: 100, startsAt: new Date(NOW.getTime() + hour) });
    await promo({ name: 'Over', kind: PromotionKind.FIXED, value: 100, endsAt: NOW });
    await promo({ name: 'Now', kind: PromotionKind.FIXED, value: 100, startsAt: NOW, endsAt: new Date(NOW.getTime() + 1) });
    await promo({ kind: PromotionKind.FIXED, value: 300, code: 'SOON', startsAt: new Date(NOW.getTime() + hour) });
    await promo({ kind: PromotionKind.FIXED, value: 300, code: 'GONE', startsAt: new Date(NOW.getTime() - 2 * hour), endsAt: NOW });
    expect(amounts(await evaluate({ merchandiseCents: 5000 }))).toEqual([['Now', 100]]);

    const soon = await evaluate({ merchandiseCents: 5000, voucherCode: 'SOON' });
    expect(soon.voucher?.problem).toEqual({ code: 'VOUCHER_INVALID', message: expect.stringContaining('valid from') });
    const gone = await evaluate({ merchandiseCents: 5000, voucherCode: 'GONE' });
    expect(gone.voucher?.problem).toEqual({ code: 'VOUCHER_INVALID', message: expect.stringContaining('expired') });
    const inTime = await evaluate({ merchandiseCents: 5000, voucherCode: 'GONE', now: new Date(NOW.getTime() - 1) });
    expect(inTime.voucher).toEqual({ code: 'GONE', applied: true });
  });

  it('percentages round down to the centavo and respect their cap', async () => {
    await promo({ name: '15%', kind: PromotionKind.PERCENTAGE, value: 1500 });
    expect(amounts(await evaluate({ merchandiseCents: 999 }))).toEqual([['15%', 149]]); // 149.85
    await f.em().nativeUpdate(Promotion, {}, { active: false });
    await promo({ name: 'Half, up to 30', kind: PromotionKind.PERCENTAGE, value: 5000, maxDiscountCents: 3000 });
    expect(amounts(await evaluate({ merchandiseCents: 10000 }))).toEqual([['Half, up to 30', 3000]]);
    expect(amounts(await evaluate({ merchandiseCents: 5001 }))).toEqual([['Half, up to 30', 2500]]);
    // Exact beyond 2^53: 9,000,000,000,000 centavos × 3333 bps.
    await f.em().nativeUpdate(Promotion, {}, { active: false });
    await promo({ name: 'Big', kind: PromotionKind.PERCENTAGE, value: 3333 });
    expect(amounts(await evaluate({ merchandiseCents: 9_000_000_000_000 }))).toEqual([['Big', 2_999_700_000_000]]);
  });

  it('fixed discounts are capped by what is left of the merchandise; the sum never exceeds it', async () => {
    await promo({ name: 'Eighty', kind: PromotionKind.PERCENTAGE, value: 8000 });
    await promo({ kind: PromotionKind.FIXED, value: 5000, code: 'FIFTY' });
    const e = await evaluate({ merchandiseCents: 10000, voucherCode: 'FIFTY' });
    expect(e.discounts.map((d) => [d.kind, d.amountCents])).toEqual([['PERCENTAGE', 8000], ['FIXED', 2000]]);
    expect(e.voucher).toEqual({ code: 'FIFTY', applied: true });

    await f.em().nativeUpdate(Promotion, {}, { active: false });
    await promo({ name: 'Fixed 50', kind: PromotionKind.FIXED, value: 5000 });
    await promo({ name: 'Fixed 10', kind: PromotionKind.FIXED, value: 1000 });
    expect(amounts(await evaluate({ merchandiseCents: 3000 }))).toEqual([['Fixed 50', 3000]]);
    const covered = await evaluate({ merchandiseCents: 3000, voucherCode: 'FIFTY' });
    expect(covered.voucher).toMatchObject({ applied: false, problem: { code: 'VOUCHER_INVALID' } });
  });

  it('a payment-method discount applies only to that single method, on merchandise minus the other discounts', async () => {
    await promo({ name: 'Ten', kind: PromotionKind.PERCENTAGE, value: 1000 });
    await promo({ name: 'Pix', kind: PromotionKind.PAYMENT_METHOD, value: 500, paymentMethod: PromotionPaymentMethod.PIX });
    await promo({ name: 'Card 1x', kind: PromotionKind.PAYMENT_METHOD, value: 300, paymentMethod: PromotionPaymentMethod.CARD_ONE_INSTALLMENT });
    await promo({ name: 'Deposit', kind: PromotionKind.PAYMENT_METHOD, value: 200, paymentMethod: PromotionPaymentMethod.BANK_DEPOSIT });
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'PIX' }))).toEqual([['Ten', 1000], ['Pix', 450]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'MIXED' }))).toEqual([['Ten', 1000]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'VOUCHER' }))).toEqual([['Ten', 1000]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: null }))).toEqual([['Ten', 1000]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'CARD', installments: 1 }))).toEqual([['Ten', 1000], ['Card 1x', 270]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'CARD', installments: 2 }))).toEqual([['Ten', 1000]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'CARD' }))).toEqual([['Ten', 1000]]);
    expect(amounts(await evaluate({ merchandiseCents: 10000, payment: 'BANK_DEPOSIT' }))).toEqual([['Ten', 1000], ['Deposit', 180]]);
    expect((await evaluate({ merchandiseCents: 10000, payment: 'PIX' })).discounts[1]).toMatchObject({ kind: 'PAYMENT_METHOD', code: null });
  });

  it('carries who funds each discount and free shipping', async () => {
    await promo({ name: 'Seller pays', kind: PromotionKind.FIXED, value: 100, fundedBy: FundedByKind.SELLER });
    await promo({ name: 'Operator pays', kind: PromotionKind.FIXED, value: 100 });
    await promo({ name: 'Shared', kind: PromotionKind.PERCENTAGE, value: 1000, code: 'SHARED30', fundedBy: FundedByKind.SHARED, sellerSharePercent: 30 });
    await promo({ name: 'Free ride', kind: PromotionKind.FREE_SHIPPING, code: 'FREERIDE', fundedBy: FundedByKind.SHARED, sellerSharePercent: 50 });
    await promo({ name: 'Free above', kind: PromotionKind.FREE_SHIPPING, minMerchandiseCents: 20000 });

    const e = await evaluate({ merchandiseCents: 10000, voucherCode: 'shared30' });
    expect(e.discounts.map((d) => [d.name, d.amountCents, d.fundedBy, d.sellerSharePercent])).toEqual([
      ['Seller pays', 100, 'SELLER', 100],
      ['Operator pays', 100, 'OPERATOR', 0],
      ['Shared', 1000, 'SHARED', 30],
    ]);
    expect(e.freeShipping).toBeNull();

    const ship = await evaluate({ merchandiseCents: 10000, voucherCode: 'FREERIDE' });
    expect(ship.freeShipping).toMatchObject({ name: 'Free ride', code: 'FREERIDE', fundedBy: 'SHARED', sellerSharePercent: 50 });
    expect(ship.voucher).toEqual({ code: 'FREERIDE', applied: true });
    const auto = await evaluate({ merchandiseCents: 20000 });
    expect(auto.freeShipping).toMatchObject({ name: 'Free above', code: null, fundedBy: 'OPERATOR', sellerSharePercent: 0 });
  });

  it('reports unknown, inactive and exhausted coupons without applying them', async () => {
    const customer = randomUUID();
    await promo({ kind: PromotionKind.FIXED, value: 100, code: 'OFF', active: false });
    await promo({ kind: PromotionKind.FIXED, value: 100, code: 'USEDUP', usageLimit: 2, usageCount: 2 });
    const once = await promo({ kind: PromotionKind.FIXED, value: 100, code: 'ONCE', perCustomerLimit: 1 });
    await f.em().persistAndFlush(f.em().create(PromotionRedemption, { promotion: once.id, cartId: randomUUID(), customerId: customer }));
    await promo({ name: 'Auto used up', kind: PromotionKind.FIXED, value: 50, usageLimit: 1, usageCount: 1 });

    const problem = async (code: string, customerId: string | null = customer) => (await evaluate({ merchandiseCents: 5000, voucherCode: code, customerId })).voucher;
    expect(await problem('NOPE')).toEqual({ code: 'NOPE', applied: false, problem: { code: 'VOUCHER_INVALID', message: 'No coupon has the code NOPE.' } });
    expect(await problem('?')).toMatchObject({ applied: false, problem: { code: 'VOUCHER_INVALID' } });
    expect(await problem('off')).toMatchObject({ code: 'OFF', applied: false, problem: { code: 'VOUCHER_INVALID', message: 'Coupon OFF is not active.' } });
    expect(await problem('USEDUP')).toMatchObject({ applied: false, problem: { code: 'VOUCHER_EXHAUSTED' } });
    expect(await problem('ONCE')).toMatchObject({ applied: false, problem: { code: 'VOUCHER_EXHAUSTED' } });
    expect(await problem('ONCE', null)).toMatchObject({ applied: false, problem: { code: 'VOUCHER_INVALID', message: expect.stringContaining('sign in') } });
    expect(await problem('ONCE', randomUUID())).toEqual({ code: 'ONCE', applied: true });
    expect((await evaluate({ merchandiseCents: 5000, voucherCode: 'USEDUP' })).discounts).toEqual([]);

    await expect(checkVoucher(f.em(), 'USEDUP', { merchandiseCents: 5000, now: NOW }, ['code'])).rejects.toMatchObject({
      errors: [{ code: ErrorCode.VOUCHER_EXHAUSTED, field: ['code'] }],
    });
    await expect(checkVoucher(f.em(), 'NOPE', { merchandiseCents: 5000, now: NOW })).rejects.toMatchObject({ errors: [{ code: ErrorCode.VOUCHER_INVALID }] });
  });
});

describe('redeemPromotions', () => {
  const redeem = (ids: string[], cartId: string, customerId?: string) =>
    (t.app.runtime.orm.em.fork() as EntityManager).transactional((em) => redeemPromotions(em, ids, { cartId, customerId }));

  it('lets exactly usageLimit of many concurrent checkouts redeem a coupon', async () => {
    const coupon = await promo({ kind: PromotionKind.FIXED, value: 100, code: 'RACE3', usageLimit: 3 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => redeem([coupon.id], randomUUID())));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(3);
    expect(failed).toHaveLength(7);
    for (const r of failed) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect(r.reason).toMatchObject({ code: ErrorCode.VOUCHER_EXHAUSTED, message: expect.stringContaining('RACE3') });
    }
    expect((await f.em().findOneOrFail(Promotion, { id: coupon.id })).usageCount).toBe(3);
    expect(await f.em().count(PromotionRedemption, { promotion: coupon.id })).toBe(3);
  });

  it('holds a per-customer limit under concurrency, and counts a cart once', async () => {
    const coupon = await promo({ kind: PromotionKind.FIXED, value: 100, code: 'PERCUST', perCustomerLimit: 1 });
    const customer = randomUUID();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => redeem([coupon.id], randomUUID(), customer)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await f.em().count(PromotionRedemption, { promotion: coupon.id, customerId: customer })).toBe(1);
    await expect(redeem([coupon.id], randomUUID())).rejects.toMatchObject({ code: ErrorCode.VOUCHER_INVALID });

    const auto = await promo({ kind: PromotionKind.PAYMENT_METHOD, value: 500, paymentMethod: PromotionPaymentMethod.PIX });
    const cart = randomUUID();
    await redeem([auto.id, auto.id], cart);
    await redeem([auto.id], cart);
    expect((await f.em().findOneOrFail(Promotion, { id: auto.id })).usageCount).toBe(1);
    expect(await f.em().count(PromotionRedemption, { promotion: auto.id, cartId: cart })).toBe(1);
  });

  it('rolls back every redemption of a checkout when one promotion is exhausted', async () => {
    // Redeemed in id order: the usable one first, so its redemption is written, then undone.
    const fine = await promo({ id: `00000000-0000-4000-8000-${randomUUID().slice(-12)}`, kind: PromotionKind.FIXED, value: 100 });
    const full = await promo({ id: `ffffffff-0000-4000-8000-${randomUUID().slice(-12)}`, kind: PromotionKind.FIXED, value: 100, code: 'FULL', usageLimit: 1, usageCount: 1 });
    await expect(redeem([fine.id, full.id], randomUUID())).rejects.toMatchObject({ code: ErrorCode.VOUCHER_EXHAUSTED, message: expect.stringContaining('FULL') });
    expect((await f.em().findOneOrFail(Promotion, { id: fine.id })).usageCount).toBe(0);
    expect(await f.em().count(PromotionRedemption, { promotion: fine.id })).toBe(0);
  });
});
