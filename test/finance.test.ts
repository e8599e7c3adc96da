import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { FinCreateRuleDocument, FinDeleteRuleDocument, FinLedgerEntriesDocument, FinMyRatesDocument, FinRulesDocument, FinSellerBalanceDocument, FinSellerLedgerDocument, FinSetDefaultDocument, FinUpdateRuleDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import type { Category } from '../src/modules/catalog/attributes.entity.js';
import { CommissionRule, LedgerAccount, LedgerEntry, LedgerEntryKind, LedgerLine, cartLedgerSummary, commissionOf, commissionRatesFor, postJournal, settleLine, type Journal } from '../src/modules/finance/index.js';
import { MarketplaceSettings, type Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let alfa: Seller;
let beta: Seller;
let operator: string;

const errs = (e: { code: string; field?: string[] | null }[] | undefined) => (e ?? []).map((x) => [x.code, x.field?.join('.')]);
const ruleCount = () => f.em().count(CommissionRule, {});

/** Counts the SQL statements the ORM sends while `work` runs. */
async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const knex = t.app.runtime.orm.em.getKnex();
  let queries = 0;
  const listener = () => {
    queries += 1;
  };
  knex.on('query', listener);
  try {
    return { result: await work(), queries };
  } finally {
    knex.off('query', listener);
  }
}

async function createRule(input: { sellerId?: string; categoryId?: string; rateBps: number }) {
  const res = await t.request(FinCreateRuleDocument, { input }, operator);
  expect(res.data?.createCommissionRule.userErrors).toEqual([]);
  return res.data!.createCommissionRule.commissionRule!;
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  beta = await f.seller({ code: 'BETA', name: 'Beta Casa' });
  operator = (await f.operator(UserRole.OWNER)).token;
});
afterAll(async () => t?.stop());

describe('commission arithmetic', () => {
  it('rounds half up with integers', () => {
    expect(commissionOf(10_000, 1500)).toBe(1500);
    expect(commissionOf(1, 5000)).toBe(1); // 0.5 → 1
    expect(commissionOf(1, 4999)).toBe(0); // 0.4999 → 0
    expect(commissionOf(3, 5000)).toBe(2); // 1.5 → 2
    expect(commissionOf(1999, 1250)).toBe(250); // 249.875 → 250
    expect(commissionOf(1990, 1250)).toBe(249); // 248.75 → 249
    expect(commissionOf(0, 1500)).toBe(0);
    expect(commissionOf(12_345, 10_000)).toBe(12_345);
    expect(commissionOf(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses what is not whole centavos or a rate within 0–10000', () => {
    expect(() => commissionOf(-1, 100)).toThrow(RangeError);
    expect(() => commissionOf(10.5, 100)).toThrow(RangeError);
    expect(() => commissionOf(100, 10_001)).toThrow(RangeError);
    expect(() => commissionOf(100, 12.5)).toThrow(RangeError);
  });

  it('stays between 0 and the base, within half a centavo of the exact value, and grows with base and rate', () => {
    const base = fc.integer({ min: 0, max: 10_000_000_000 });
    const bps = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(base, base, bps, bps, (b1, b2, r1, r2) => {
        const cm = commissionOf(b1, r1);
        expect(cm).toBeGreaterThanOrEqual(0);
        expect(cm).toBeLessThanOrEqual(b1);
        // |commission − exact| ≤ ½, compared in integers: |20000·c − 2·b·r| ≤ 10000.
        expect(Math.abs(Number(20_000n * BigInt(cm) - 2n * BigInt(b1) * BigInt(r1)))).toBeLessThanOrEqual(10_000);
        const [lo, hi] = b1 <= b2 ? [b1, b2] : [b2, b1];
        expect(commissionOf(lo, r1)).toBeLessThanOrEqual(commissionOf(hi, r1));
        const [rlo, rhi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(commissionOf(b1, rlo)).toBeLessThanOrEqual(commissionOf(b1, rhi));
      }),
    );
  });

  it('settles a line: base = merchandise − seller-funded discount, receivable = base − commission', () => {
    expect(settleLine({ merchandiseCents: 10_000, sellerFundedDiscountCents: 1_000, rateBps: 1500 })).toEqual({ baseCents: 9_000, commissionCents: 1_350, receivableCents: 7_650 });
    expect(() => settleLine({ merchandiseCents: 100, sellerFundedDiscountCents: 101, rateBps: 1500 })).toThrow(RangeError);
  });
});

describe('who may manage commission', () => {
  const actors: [string, 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN', () => Promise<string | undefined>][] = [
    ['anonymous', 'UNAUTHENTICATED', async () => undefined],
    ['customer', 'FORBIDDEN', async () => (await f.customer()).token],
    ['operator OWNER', 'ok', async () => (await f.operator(UserRole.OWNER)).token],
    ['operator ADMIN', 'ok', async () => (await f.operator(UserRole.ADMIN)).token],
    ['operator SUPPORT', 'FORBIDDEN', async () => (await f.operator(UserRole.SUPPORT)).token],
    ['operator AGENT', 'FORBIDDEN', async () => (await f.operator(UserRole.AGENT)).token],
    ['guest seller OWNER', 'FORBIDDEN', async () => (await f.user({ seller: alfa, role: UserRole.OWNER })).token],
    ['guest seller FINANCE', 'FORBIDDEN', async () => (await f.user({ seller: alfa, role: UserRole.FINANCE })).token],
    ['guest-linked integration', 'FORBIDDEN', async () => (await f.integration({ seller: alfa })).token],
    ['unlinked integration', 'FORBIDDEN', async () => (await f.integration()).token],
  ];

  it.each(actors)('%s → %s', async (_label, expected, token) => {
    const tok = await token();
    const category = await c.category(`Matrix ${randomUUID().slice(0, 8)}`);
    const before = await ruleCount();
    const settingsBefore = (await f.em().findOneOrFail(MarketplaceSettings, { id: 1 })).defaultCommissionBps;

    const created = await t.request(FinCreateRuleDocument, { input: { categoryId: category.id, rateBps: 900 } }, tok);
    const list = await t.request(FinRulesDocument, { categoryId: category.id }, tok);
    const setDefault = await t.request(FinSetDefaultDocument, { rateBps: settingsBefore }, tok);

    if (expected === 'ok') {
      expect(created.data?.createCommissionRule.userErrors).toEqual([]);
      const rule = created.data!.createCommissionRule.commissionRule!;
      expect(rule).toMatchObject({ rateBps: 900, seller: null, category: { id: category.id } });
      expect(list.data?.commissionRules.edges.map((e) => e.node.id)).toContain(rule.id);
      expect(setDefault.data?.setDefaultCommission).toEqual({ marketplaceSettings: { defaultCommissionBps: settingsBefore }, userErrors: [] });
      const upd = await t.request(FinUpdateRuleDocument, { id: rule.id, input: { rateBps: 950 } }, tok);
      expect(upd.data?.updateCommissionRule.commissionRule?.rateBps).toBe(950);
      const del = await t.request(FinDeleteRuleDocument, { id: rule.id }, tok);
      expect(del.data?.deleteCommissionRule).toEqual({ deletedCommissionRule: { id: rule.id }, userErrors: [] });
      expect(await ruleCount()).toBe(before);
    } else {
      expect(codes(created)).toEqual([expected]);
      expect(codes(list)).toEqual([expected]);
      expect(codes(setDefault)).toEqual([expected]);
      expect(created.data?.createCommissionRule ?? null).toBeNull();
      expect(await ruleCount()).toBe(before);
    }
  });

  it('a refused caller changes nothing on update and delete', async () => {
    const category = await c.category('Untouchable');
    const rule = await createRule({ categoryId: category.id, rateBps: 700 });
    const sellerOwner = (await f.user({ seller: alfa, role: UserRole.OWNER })).token;
    const support = (await f.operator(UserRole.SUPPORT)).token;
    for (const tok of [sellerOwner, support]) {
      expect(codes(await t.request(FinUpdateRuleDocument, { id: rule.id, input: { rateBps: 0 } }, tok))).toEqual(['FORBIDDEN']);
      expect(codes(await t.request(FinDeleteRuleDocument, { id: rule.id }, tok))).toEqual(['FORBIDDEN']);
    }
    expect((await f.em().findOneOrFail(CommissionRule, { id: rule.id })).rateBps).toBe(700);
  });
});

describe('commission rule validation', () => {
  it('reports every problem with its field path and writes nothing', async () => {
    const before = await ruleCount();
    const cases: [Record<string, unknown>, [string, string | undefined][]][] = [
      [{ rateBps: 500 }, [['BAD_USER_INPUT', 'input.sellerId']]],
      [{ sellerId: alfa.id }, [['BAD_USER_INPUT', 'input.rateBps']]],
      [{ sellerId: alfa.id, rateBps: -1 }, [['BAD_USER_INPUT', 'input.rateBps']]],
      [{ sellerId: alfa.id, rateBps: 10_001 }, [['BAD_USER_INPUT', 'input.rateBps']]],
      [{ rateBps: 20_000 }, [['BAD_USER_INPUT', 'input.sellerId'], ['BAD_USER_INPUT', 'input.rateBps']]],
      [{ sellerId: randomUUID(), rateBps: 500 }, [['NOT_FOUND', 'input.sellerId']]],
      [{ sellerId: 'not-an-id', categoryId: randomUUID(), rateBps: 500 }, [['NOT_FOUND', 'input.sellerId'], ['NOT_FOUND', 'input.categoryId']]],
    ];
    for (const [input, expected] of cases) {
      const res = await t.request(FinCreateRuleDocument, { input }, operator);
      expect(res.errors, JSON.stringify(input)).toBeUndefined();
      expect(errs(res.data?.createCommissionRule.userErrors), JSON.stringify(input)).toEqual(expected);
      expect(res.data?.createCommissionRule.commissionRule).toBeNull();
    }
    expect(await ruleCount()).toBe(before);
  });

  it('keeps one rule per (seller, category) pair, nulls included', async () => {
    const seller = await f.seller();
    const category = await c.category('Pairs');
    await createRule({ sellerId: seller.id, rateBps: 1000 });
    await createRule({ categoryId: category.id, rateBps: 1100 });
    const pair = await createRule({ sellerId: seller.id, categoryId: category.id, rateBps: 1200 });

    for (const input of [{ sellerId: seller.id }, { categoryId: category.id }, { sellerId: seller.id, categoryId: category.id }]) {
      const dup = await t.request(FinCreateRuleDocument, { input: { ...input, rateBps: 1 } }, operator);
      expect(errs(dup.data?.createCommissionRule.userErrors)).toEqual([['CONFLICT', 'input']]);
    }
    expect(await f.em().count(CommissionRule, { $or: [{ seller: seller.id }, { category: category.id }] })).toBe(3);

    // Moving the pair rule onto the seller-alone slot is the same conflict.
    const move = await t.request(FinUpdateRuleDocument, { id: pair.id, input: { categoryId: null } }, operator);
    expect(errs(move.data?.updateCommissionRule.userErrors)).toEqual([['CONFLICT', 'input']]);
    // Clearing both targets is refused; so is an unknown id.
    const bare = await t.request(FinUpdateRuleDocument, { id: pair.id, input: { sellerId: null, categoryId: null } }, operator);
    expect(errs(bare.data?.updateCommissionRule.userErrors)).toEqual([['BAD_USER_INPUT', 'input.sellerId']]);
    const missing = await t.request(FinUpdateRuleDocument, { id: randomUUID(), input: { rateBps: 5 } }, operator);
    expect(errs(missing.data?.updateCommissionRule.userErrors)).toEqual([['NOT_FOUND', 'id']]);
    const badRate = await t.request(FinUpdateRuleDocument, { id: pair.id, input: { rateBps: 10_001 } }, operator);
    expect(errs(badRate.data?.updateCommissionRule.userErrors)).toEqual([['BAD_USER_INPUT', 'input.rateBps']]);
    const unknownCategory = await t.request(FinUpdateRuleDocument, { id: pair.id, input: { categoryId: randomUUID() } }, operator);
    expect(errs(unknownCategory.data?.updateCommissionRule.userErrors)).toEqual([['NOT_FOUND', 'input.categoryId']]);
    const row = await f.em().findOneOrFail(CommissionRule, { id: pair.id });
    expect([row.seller?.id, row.category?.id, row.rateBps]).toEqual([seller.id, category.id, 1200]);

    // A legal move and a rate change go through.
    const other = await c.category('Pairs elsewhere');
    const moved = await t.request(FinUpdateRuleDocument, { id: pair.id, input: { categoryId: other.id, rateBps: 1250 } }, operator);
    expect(moved.data?.updateCommissionRule).toMatchObject({ userErrors: [], commissionRule: { rateBps: 1250, seller: { id: seller.id }, category: { id: other.id } } });

    const del = await t.request(FinDeleteRuleDocument, { id: pair.id }, operator);
    expect(del.data?.deleteCommissionRule.deletedCommissionRule?.id).toBe(pair.id);
    const again = await t.request(FinDeleteRuleDocument, { id: pair.id }, operator);
    expect(errs(again.data?.deleteCommissionRule.userErrors)).toEqual([['NOT_FOUND', 'id']]);
  });

  it('sets the store default within 0–10000', async () => {
    const bad = await t.request(FinSetDefaultDocument, { rateBps: 10_001 }, operator);
    expect(errs(bad.data?.setDefaultCommission.userErrors)).toEqual([['BAD_USER_INPUT', 'rateBps']]);
    const before = (await f.em().findOneOrFail(MarketplaceSettings, { id: 1 })).defaultCommissionBps;
    const ok = await t.request(FinSetDefaultDocument, { rateBps: 1234 }, operator);
    expect(ok.data?.setDefaultCommission).toEqual({ marketplaceSettings: { defaultCommissionBps: 1234 }, userErrors: [] });
    expect((await f.em().findOneOrFail(MarketplaceSettings, { id: 1 })).defaultCommissionBps).toBe(1234);
    await t.request(FinSetDefaultDocument, { rateBps: before }, operator);
  });

  it('lists rules by seller and category, one page at a time', async () => {
    const seller = await f.seller();
    const cats = [await c.category('List 1'), await c.category('List 2'), await c.category('List 3')];
    for (const cat of cats) await createRule({ sellerId: seller.id, categoryId: cat.id, rateBps: 300 });
    const page1 = await t.request(FinRulesDocument, { sellerId: seller.id, first: 2 }, operator);
    expect(page1.data?.commissionRules.totalCount).toBe(3);
    expect(page1.data?.commissionRules.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.request(FinRulesDocument, { sellerId: seller.id, first: 2, after: page1.data!.commissionRules.pageInfo.endCursor }, operator);
    expect([...page1.data!.commissionRules.edges, ...page2.data!.commissionRules.edges].map((e) => e.node.category?.id)).toEqual(cats.map((x) => x.id));
    const byCategory = await t.request(FinRulesDocument, { categoryId: cats[1]!.id }, operator);
    expect(byCategory.data?.commissionRules.edges.map((e) => e.node.seller?.id)).toEqual([seller.id]);
    expect(codes(await t.request(FinRulesDocument, { sellerId: 'nope' }, operator))).toEqual(['NOT_FOUND']);
  });
});

describe('commissionRatesFor', () => {
  let root: Category;
  let child: Category;
  let grandchild: Category;
  let unrelated: Category;
  let negotiated: Seller;
  let plain: Seller;
  let storeDefault: number;

  beforeAll(async () => {
    root = await c.category('Eletrônicos');
    child = await c.category('Celulares', root);
    grandchild = await c.category('Smartphones', child);
    unrelated = await c.category('Jardim');
    negotiated = await f.seller();
    plain = await f.seller();
    storeDefault = (await f.em().findOneOrFail(MarketplaceSettings, { id: 1 })).defaultCommissionBps;
    await createRule({ categoryId: root.id, rateBps: 1000 });
    await createRule({ sellerId: negotiated.id, rateBps: 800 });
    await createRule({ sellerId: negotiated.id, categoryId: child.id, rateBps: 500 });
  });

  const rates = (lines: { sellerId: string; categoryId: string | null }[]) => {
    const em = f.em();
    return countQueries(() => commissionRatesFor(em, lines));
  };

  it('applies seller+category > seller > category (nearest ancestor) > store default, in input order', async () => {
    const { result, queries } = await rates([
      { sellerId: plain.id, categoryId: null }, // default
      { sellerId: plain.id, categoryId: unrelated.id }, // default
      { sellerId: plain.id, categoryId: grandchild.id }, // root's rule, two levels up
      { sellerId: negotiated.id, categoryId: null }, // seller alone
      { sellerId: negotiated.id, categoryId: root.id }, // the seller beats the store-wide category
      { sellerId: negotiated.id, categoryId: grandchild.id }, // (seller, child) covers the grandchild
      { sellerId: negotiated.id, categoryId: child.id },
      { sellerId: plain.id, categoryId: root.id },
    ]);
    expect(result).toEqual([storeDefault, storeDefault, 1000, 800, 800, 500, 500, 1000]);
    expect(queries).toBe(3);
  });

  it('lets the nearest ancestor win and reads the default only when needed', async () => {
    const grandchildRule = await createRule({ categoryId: grandchild.id, rateBps: 1100 });
    try {
      const { result, queries } = await rates([
        { sellerId: plain.id, categoryId: grandchild.id },
        { sellerId: plain.id, categoryId: child.id },
        { sellerId: negotiated.id, categoryId: grandchild.id },
      ]);
      expect(result).toEqual([1100, 1000, 500]);
      expect(queries).toBe(2);
    } finally {
      await t.request(FinDeleteRuleDocument, { id: grandchildRule.id }, operator);
    }
  });

  it('costs the same few queries for many lines and sellers', async () => {
    const sellers = [plain, negotiated, alfa, beta];
    const cats = [null, root, child, grandchild, unrelated];
    const lines = Array.from({ length: 200 }, (_, i) => ({ sellerId: sellers[i % 4]!.id, categoryId: cats[i % 5]?.id ?? null }));
    const { result, queries } = await rates(lines);
    expect(result).toHaveLength(200);
    expect(queries).toBeLessThanOrEqual(3);
    expect(await commissionRatesFor(f.em(), [])).toEqual([]);
  });

  it('treats an unknown category as a bug', async () => {
    await expect(commissionRatesFor(f.em(), [{ sellerId: plain.id, categoryId: randomUUID() }])).rejects.toThrow(/no category/);
  });
});

// ---------------------------------------------------------------------------------------
// Ledger

/** The checkout journal of one order, as the checkout writes it (see LedgerAccount). */
function checkoutJournal(o: { cartId: string; cartNumber: string; orderId: string; seller: Seller; merchandise: number; sellerDiscount: number; operatorDiscount: number; freight: number; rateBps: number }): Journal {
  const s = settleLine({ merchandiseCents: o.merchandise, sellerFundedDiscountCents: o.sellerDiscount, rateBps: o.rateBps });
  const total = o.merchandise - o.sellerDiscount - o.operatorDiscount + o.freight;
  return {
    kind: LedgerEntryKind.CHECKOUT,
    reference: `order:${o.orderId}`,
    cartId: o.cartId,
    cartNumber: o.cartNumber,
    orderId: o.orderId,
    memo: `Order of ${o.seller.name} placed.`,
    lines: [
      { account: LedgerAccount.CUSTOMER, debit: total },
      { account: LedgerAccount.COMMISSION_REVENUE, debit: o.operatorDiscount },
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: o.seller.id, credit: s.receivableCents },
      { account: LedgerAccount.COMMISSION_REVENUE, sellerId: o.seller.id, credit: s.commissionCents },
      { account: LedgerAccount.FREIGHT_REVENUE, credit: o.freight },
    ],
  };
}

const post = (journal: Journal) => f.em().transactional((em) => postJournal(em as EntityManager, journal));

describe('postJournal', () => {
  const balanced = (reference: string): Journal => ({
    kind: LedgerEntryKind.ADJUSTMENT,
    reference,
    lines: [
      { account: LedgerAccount.PAYMENT_PROVIDER, debit: 500 },
      { account: LedgerAccount.SELLER_PAYABLE, sellerId: alfa.id, credit: 500 },
    ],
  });

  it('refuses a malformed journal and writes nothing, even when the caller goes on and commits', async () => {
    const bad: [string, Journal['lines']][] = [
      ['unbalanced', [{ account: LedgerAccount.CUSTOMER, debit: 100 }, { account: LedgerAccount.FREIGHT_REVENUE, credit: 99 }]],
      ['both sides', [{ account: LedgerAccount.CUSTOMER, debit: 100, credit: 100 }]],
      ['negative', [{ account: LedgerAccount.CUSTOMER, debit: -100 }, { account: LedgerAccount.FREIGHT_REVENUE, credit: -100 }]],
      ['fraction', [{ account: LedgerAccount.CUSTOMER, debit: 100.5 }, { account: LedgerAccount.FREIGHT_REVENUE, credit: 100.5 }]],
      ['nothing', [{ account: LedgerAccount.CUSTOMER, debit: 0 }, { account: LedgerAccount.FREIGHT_REVENUE, credit: 0 }]],
      ['payable without seller', [{ account: LedgerAccount.CUSTOMER, debit: 100 }, { account: LedgerAccount.SELLER_PAYABLE, credit: 100 }]],
      ['unknown account', [{ account: 'BANK' as LedgerAccount, debit: 100 }, { account: LedgerAccount.FREIGHT_REVENUE, credit: 100 }]],
    ];
    const before = { entries: await f.em().count(LedgerEntry, {}), lines: await f.em().count(LedgerLine, {}) };
    for (const [label, lines] of bad) {
      const reference = `bad:${label}`;
      await f.em().transactional(async (em) => {
        await expect(postJournal(em as EntityManager, { kind: LedgerEntryKind.ADJUSTMENT, reference, lines }), label).rejects.toThrow(Error);
      });
      expect(await f.em().count(LedgerEntry, { reference }), label).toBe(0);
    }
    await expect(postJournal(f.em(), balanced('outside a transaction'))).rejects.toThrow(/transaction/);
    expect({ entries: await f.em().count(LedgerEntry, {}), lines: await f.em().count(LedgerLine, {}) }).toEqual(before);
  });

  it('drops zero lines and keeps the order of the others', async () => {
    const entry = await post({
      kind: LedgerEntryKind.ADJUSTMENT,
      reference: `zeros:${randomUUID()}`,
      lines: [
        { account: LedgerAccount.PAYMENT_PROVIDER, debit: 300 },
        { account: LedgerAccount.FREIGHT_REVENUE, debit: 0 },
        { account: LedgerAccount.SELLER_PAYABLE, sellerId: alfa.id, credit: 200 },
        { account: LedgerAccount.COMMISSION_REVENUE, credit: 100 },
      ],
    });
    const lines = await f.em().find(LedgerLine, { entry: entry.id }, { orderBy: { position: 'asc' } });
    expect(lines.map((l) => [l.account, l.debit, l.credit, l.currency])).toEqual([
      ['PAYMENT_PROVIDER', 300, 0, 'BRL'],
      ['SELLER_PAYABLE', 0, 200, 'BRL'],
      ['COMMISSION_REVENUE', 0, 100, 'BRL'],
    ]);
  });

  it('posts each (kind, reference) once: again, in the same transaction or concurrently', async () => {
    const reference = `once:${randomUUID()}`;
    const first = await post(balanced(reference));
    const second = await post(balanced(reference));
    expect(second.id).toBe(first.id);
    const same = await f.em().transactional(async (em) => {
      const a = await postJournal(em as EntityManager, balanced(`${reference}:tx`));
      const b = await postJournal(em as EntityManager, balanced(`${reference}:tx`));
      return [a.id, b.id];
    });
    expect(same[0]).toBe(same[1]);

    const racing = `race:${randomUUID()}`;
    const ids = await Promise.all([1, 2, 3, 4].map(() => post(balanced(racing))));
    expect(new Set(ids.map((e) => e.id)).size).toBe(1);
    expect(await f.em().count(LedgerEntry, { reference: { $in: [reference, `${reference}:tx`, racing] } })).toBe(3);
    expect(await f.em().count(LedgerLine, { entry: { reference: { $in: [reference, `${reference}:tx`, racing] } } })).toBe(6);
    // The same reference under another kind is another event.
    const other = await post({ ...balanced(reference), kind: LedgerEntryKind.PAYOUT });
    expect(other.id).not.toBe(first.id);
  });

  it('sums a cart: nets to zero, and sellers + commission + freight credits equal the captured amount', async () => {
    const cartId = randomUUID();
    const cartNumber = `C${Date.now()}`;
    const a = { cartId, cartNumber, orderId: randomUUID(), seller: alfa, merchandise: 10_000, sellerDiscount: 1_000, operatorDiscount: 0, freight: 1_500, rateBps: 1500 };
    const b = { cartId, cartNumber, orderId: randomUUID(), seller: beta, merchandise: 4_999, sellerDiscount: 0, operatorDiscount: 0, freight: 501, rateBps: 1250 };
    await post(checkoutJournal(a));
    await post(checkoutJournal(b));
    const captured = 10_000 - 1_000 + 1_500 + 4_999 + 501;
    await post({
      kind: LedgerEntryKind.CAPTURE,
      reference: `tx:${cartId}`,
      cartId,
      cartNumber,
      lines: [
        { account: LedgerAccount.PAYMENT_PROVIDER, debit: captured },
        { account: LedgerAccount.CUSTOMER, credit: captured },
      ],
    });
    const summary = await f.em().transactional((em) => cartLedgerSummary(em as EntityManager, cartId));
    expect(summary.debits).toBe(summary.credits);
    const credit = (account: LedgerAccount) => summary.byAccount.filter((r) => r.account === account).reduce((s, r) => s + r.credit - r.debit, 0);
    expect(credit(LedgerAccount.SELLER_PAYABLE) + credit(LedgerAccount.COMMISSION_REVENUE) + credit(LedgerAccount.FREIGHT_REVENUE)).toBe(captured);
    expect(summary.byAccount.find((r) => r.account === LedgerAccount.CUSTOMER)).toEqual({ account: 'CUSTOMER', sellerId: null, debit: captured, credit: captured });
    expect(summary.byAccount.filter((r) => r.account === LedgerAccount.SELLER_PAYABLE).map((r) => [r.sellerId, r.credit]).sort()).toEqual(
      [
        [alfa.id, 9_000 - 1_350],
        [beta.id, 4_999 - 625],
      ].sort(),
    );
    expect((await cartLedgerSummary(f.em(), randomUUID())).byAccount).toEqual([]);
  });
});

describe('reading the ledger', () => {
  let cartNumber: string;
  let orderA: string;
  let orderB: string;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    const cartId = randomUUID();
    cartNumber = `L${Date.now()}`;
    orderA = randomUUID();
    orderB = randomUUID();
    await post(checkoutJournal({ cartId, cartNumber, orderId: orderA, seller: alfa, merchandise: 20_000, sellerDiscount: 0, operatorDiscount: 2_000, freight: 1_000, rateBps: 1000 }));
    await post(checkoutJournal({ cartId, cartNumber, orderId: orderB, seller: beta, merchandise: 5_000, sellerDiscount: 500, operatorDiscount: 0, freight: 0, rateBps: 2000 }));
    // Beta's order is cancelled: its checkout lines reversed.
    await post({
      kind: LedgerEntryKind.CANCELLATION,
      reference: `order:${orderB}`,
      cartId,
      cartNumber,
      orderId: orderB,
      lines: [
        { account: LedgerAccount.SELLER_PAYABLE, sellerId: beta.id, debit: 3_600 },
        { account: LedgerAccount.COMMISSION_REVENUE, sellerId: beta.id, debit: 900 },
        { account: LedgerAccount.CUSTOMER, credit: 4_500 },
      ],
    });
    tokens = {
      aFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
      aOwner: (await f.user({ seller: alfa, role: UserRole.OWNER })).token,
      aCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
      bFinance: (await f.user({ seller: beta, role: UserRole.FINANCE })).token,
      bService: (await f.user({ seller: beta, role: UserRole.SERVICE })).token,
      bIntegration: (await f.integration({ seller: beta })).token,
      support: (await f.operator(UserRole.SUPPORT)).token,
      customer: (await f.customer()).token,
    };
  });

  it('shows operator owners/admins whole entries, filtered by cart, order, seller and kind', async () => {
    const all = await t.request(FinLedgerEntriesDocument, { cartNumber }, operator);
    expect(all.errors).toBeUndefined();
    const entries = all.data!.ledgerEntries.edges.map((e) => e.node);
    expect(entries.map((e) => [e.kind, e.orderId])).toEqual([
      ['CHECKOUT', orderA],
      ['CHECKOUT', orderB],
      ['CANCELLATION', orderB],
    ]);
    expect(entries[0]!.total).toEqual({ amount: 21_000, currency: 'BRL' });
    expect(entries[0]!.lines.edges.map(({ node: l }) => [l.account, l.seller?.id ?? null, l.debit.amount, l.credit.amount])).toEqual([
      ['CUSTOMER', null, 19_000, 0],
      ['COMMISSION_REVENUE', null, 2_000, 0],
      ['SELLER_PAYABLE', alfa.id, 0, 18_000],
      ['COMMISSION_REVENUE', alfa.id, 0, 2_000],
      ['FREIGHT_REVENUE', null, 0, 1_000],
    ]);
    const bySeller = await t.request(FinLedgerEntriesDocument, { cartNumber, sellerId: beta.id }, operator);
    expect(bySeller.data?.ledgerEntries.edges.map((e) => e.node.kind)).toEqual(['CHECKOUT', 'CANCELLATION']);
    const byKind = await t.request(FinLedgerEntriesDocument, { cartNumber, kind: 'CANCELLATION' }, operator);
    expect(byKind.data?.ledgerEntries.totalCount).toBe(1);
    const byOrder = await t.request(FinLedgerEntriesDocument, { orderId: orderA }, operator);
    expect(byOrder.data?.ledgerEntries.edges.map((e) => e.node.kind)).toEqual(['CHECKOUT']);
    const admin = (await f.operator(UserRole.ADMIN)).token;
    expect((await t.request(FinLedgerEntriesDocument, { cartNumber }, admin)).data?.ledgerEntries.totalCount).toBe(3);
  });

  it('refuses the whole ledger to everybody else', async () => {
    for (const tok of [undefined, tokens.aFinance, tokens.aOwner, tokens.bFinance, tokens.support, tokens.customer, tokens.bIntegration]) {
      const res = await t.request(FinLedgerEntriesDocument, { cartNumber }, tok);
      expect(codes(res)).toEqual([tok ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
      expect(res.data?.ledgerEntries ?? null).toBeNull();
    }
  });

  it("gives each seller its own receivable movements and never another seller's", async () => {
    const a = await t.request(FinSellerLedgerDocument, { cartNumber }, tokens.aFinance);
    expect(a.errors).toBeUndefined();
    expect(a.data!.sellerLedger.edges.map((e) => [e.node.kind, e.node.orderId, e.node.debit.amount, e.node.credit.amount])).toEqual([['CHECKOUT', orderA, 0, 18_000]]);

    const b = await t.request(FinSellerLedgerDocument, { cartNumber }, tokens.bFinance);
    expect(b.data!.sellerLedger.edges.map((e) => [e.node.kind, e.node.orderId, e.node.debit.amount, e.node.credit.amount])).toEqual([
      ['CHECKOUT', orderB, 0, 3_600],
      ['CANCELLATION', orderB, 3_600, 0],
    ]);
    // Nothing of Alfa's reaches Beta, whatever it asks.
    const leaked = JSON.stringify(b.data);
    expect(leaked).not.toContain(orderA);
    expect(leaked).not.toContain('18000');
    const widen = await t.request(FinSellerLedgerDocument, { sellerId: alfa.id }, tokens.bFinance);
    expect(codes(widen)).toEqual(['FORBIDDEN']);
    expect(widen.data?.sellerLedger ?? null).toBeNull();
    expect(codes(await t.request(FinSellerBalanceDocument, { sellerId: alfa.id }, tokens.bFinance))).toEqual(['FORBIDDEN']);

    const own = await t.request(FinSellerLedgerDocument, { sellerId: beta.id, kind: 'CANCELLATION' }, tokens.bFinance);
    expect(own.data?.sellerLedger.totalCount).toBe(1);
    expect((await t.request(FinSellerLedgerDocument, { cartNumber }, tokens.aOwner)).data?.sellerLedger.totalCount).toBe(1);
  });

  it('keeps statements from roles without finance, from integrations and from other actors', async () => {
    for (const [tok, code] of [
      [tokens.aCatalog, 'FORBIDDEN'],
      [tokens.bService, 'FORBIDDEN'],
      [tokens.bIntegration, 'FORBIDDEN'],
      [tokens.support, 'FORBIDDEN'],
      [tokens.customer, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      expect(codes(await t.request(FinSellerLedgerDocument, {}, tok))).toEqual([code]);
    }
    // The balance moved to the payouts module, whose readers are wider: the seller's
    // integration reads its own, operator staff of any role name a seller.
    for (const [tok, code] of [
      [tokens.aCatalog, 'FORBIDDEN'],
      [tokens.bService, 'FORBIDDEN'],
      [tokens.customer, 'FORBIDDEN'],
      [tokens.support, 'BAD_USER_INPUT'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      expect(codes(await t.request(FinSellerBalanceDocument, {}, tok))).toEqual([code]);
    }
    expect((await t.request(FinSellerBalanceDocument, {}, tokens.bIntegration)).errors).toBeUndefined();
  });

  it('lets operator staff read one named seller, with its balance', async () => {
    expect(codes(await t.request(FinSellerLedgerDocument, {}, operator))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.request(FinSellerLedgerDocument, { sellerId: randomUUID() }, operator))).toEqual(['NOT_FOUND']);
    const a = await t.request(FinSellerLedgerDocument, { sellerId: alfa.id, cartNumber }, operator);
    expect(a.data?.sellerLedger.edges.map((e) => e.node.credit.amount)).toEqual([18_000]);

    const balanceA = await t.request(FinSellerBalanceDocument, { sellerId: alfa.id }, operator);
    const [row] = await f.em().execute<{ b: string }[]>(`select coalesce(sum(credit) - sum(debit), 0)::text as b from ledger_line where seller_id = ? and account = 'SELLER_PAYABLE'`, [alfa.id]);
    expect(balanceA.data?.sellerBalance.total).toEqual({ amount: Number(row!.b), currency: 'BRL' });
    const own = await t.request(FinSellerBalanceDocument, {}, tokens.bFinance);
    const [rowB] = await f.em().execute<{ b: string }[]>(`select coalesce(sum(credit) - sum(debit), 0)::text as b from ledger_line where seller_id = ? and account = 'SELLER_PAYABLE'`, [beta.id]);
    expect(own.data?.sellerBalance.total.amount).toBe(Number(rowB!.b));
  });

  it("shows a seller its own rules and the store-wide ones, never another seller's", async () => {
    const category = await c.category('Rates shown');
    const alfaRule = await createRule({ sellerId: alfa.id, rateBps: 900 });
    const betaRule = await createRule({ sellerId: beta.id, categoryId: category.id, rateBps: 1100 });
    const storeRule = await createRule({ categoryId: category.id, rateBps: 1300 });

    const b = await t.request(FinMyRatesDocument, {}, tokens.bFinance);
    expect(b.errors).toBeUndefined();
    const ids = b.data!.myCommissionRates.rules.edges.map((e) => e.node.id);
    expect(ids).toContain(betaRule.id);
    expect(ids).toContain(storeRule.id);
    expect(ids).not.toContain(alfaRule.id);
    expect(b.data!.myCommissionRates.rules.edges.every((e) => !e.node.seller || e.node.seller.id === beta.id)).toBe(true);
    expect(b.data!.myCommissionRates.sellerId).toBe(beta.id);
    expect(b.data!.myCommissionRates.defaultRateBps).toBe((await f.em().findOneOrFail(MarketplaceSettings, { id: 1 })).defaultCommissionBps);

    expect(codes(await t.request(FinMyRatesDocument, { sellerId: alfa.id }, tokens.bFinance))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(FinMyRatesDocument, { sellerId: 'not-an-id' }, tokens.bFinance))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(FinSellerLedgerDocument, { sellerId: 'not-an-id' }, tokens.bFinance))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(FinMyRatesDocument, {}, operator))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.request(FinMyRatesDocument, { sellerId: randomUUID() }, operator))).toEqual(['NOT_FOUND']);
    expect(codes(await t.request(FinMyRatesDocument, { sellerId: 'not-an-id' }, operator))).toEqual(['NOT_FOUND']);
    for (const tok of [tokens.bService, tokens.aCatalog, tokens.bIntegration, tokens.customer]) {
      expect(codes(await t.request(FinMyRatesDocument, {}, tok))).toEqual(['FORBIDDEN']);
      expect(codes(await t.request(FinRulesDocument, {}, tok))).toEqual(['FORBIDDEN']);
    }
    const asOperator = await t.request(FinMyRatesDocument, { sellerId: alfa.id }, operator);
    expect(asOperator.data?.myCommissionRates.rules.edges.map((e) => e.node.id)).toContain(alfaRule.id);
    expect(asOperator.data?.myCommissionRates.rules.edges.map((e) => e.node.id)).not.toContain(betaRule.id);
  });
});
