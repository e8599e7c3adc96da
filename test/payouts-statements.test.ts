import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, daysAgo } from './helpers/shop.js';
import {
  CartTestPromotionDocument,
  PayAdjustDocument,
  PayAdjustmentsDocument,
  PayBalanceDocument,
  PayCalendarDocument,
  PayFailDocument,
  PayPayoutDestinationDocument,
  PayPayoutDocument,
  PayPayoutsDocument,
  PayReceivablesDocument,
  PayRecordChargebackDocument,
  PayRunDocument,
  PaySettingsDocument,
  PayStatementDocument,
  PayUpdateSettingsDocument,
} from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { addDays, dateIn, dateParts, daysInMonth, isoWeekday, startOfDate } from '../src/shared/time/index.js';
import { readCsvRecords } from '../src/shared/csv/index.js';
import { decimalToCents } from '../src/modules/payments/index.js';
import { BankAccountType, Seller } from '../src/modules/sellers/sellers.entity.js';
import { STATEMENT_CSV_COLUMNS } from '../src/modules/payouts/index.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let shop: Shop;
let operator: string;
const SP = 'America/Sao_Paulo';
const today = () => dateIn(new Date(), SP);
const PRICE = 10_000;
const NET = 8_500;

async function seller(code: string): Promise<Seller> {
  const s = await f.seller({ code });
  await c.product(s, { sellerCode: 'P', skus: [{ code: 'S1', price: PRICE, stock: 1_000, weight: 500 }] });
  const em = f.em();
  const row = await em.findOneOrFail(Seller, { id: s.id });
  row.bankData = { bankCode: '260', branch: '0001', account: '998877-1', accountType: BankAccountType.CHECKING, holderName: `Loja ${code}`, holderDocument: s.document!, pixKey: 'financeiro@loja.example' };
  await em.flush();
  return s;
}

async function availableOrder(code: string, qty = 1, voucher?: string) {
  const placed = await shop.place([[`${code}-S1`, qty]], undefined, { voucher });
  const order = placed.orders[0]!;
  await shop.fulfil(order.id, daysAgo(25), daysAgo(20));
  await shop.receivables([order.id], ['SCHEDULED']);
  return { ...order, cartNumber: placed.cartNumber };
}

async function run(periodEnd: string) {
  const res = await t.request(PayRunDocument, { input: { periodEnd, idempotencyKey: randomUUID() } }, operator);
  expect(res.errors).toBeUndefined();
  return res.data!.runPayouts.run!;
}

beforeAll(async () => {
  t = await startTestApp({ PAYOUT_JOB_POLL_MS: '3600000', EVENTS_POLL_MS: '3600000' });
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const op = await f.operator(UserRole.OWNER);
  operator = op.token;
  shop = new Shop(t, f, operator, op.user);
  await shop.shippingTable();
  const promo = await t.request(CartTestPromotionDocument, { input: { name: 'Vendedor paga', kind: 'FIXED', value: 1_000, code: 'SELLER10', fundedBy: 'SELLER' } }, operator);
  expect(promo.data?.createPromotion.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

describe('statements: CSV = GraphQL = ledger for a seeded month', () => {
  let s: Seller;
  const monthStart = () => {
    const { year, month } = dateParts(today());
    return `${year}-${String(month).padStart(2, '0')}-01`;
  };
  const monthEnd = () => {
    const { year, month } = dateParts(today());
    return `${year}-${String(month).padStart(2, '0')}-${daysInMonth(year, month)}`;
  };

  beforeAll(async () => {
    s = await seller('STMT');
    const o1 = await availableOrder('STMT');
    const o2 = await availableOrder('STMT', 2);
    await availableOrder('STMT', 1, 'SELLER10');
    const cancelled = await shop.place([['STMT-S1', 1]]);
    await shop.cancel(cancelled.orders[0]!.code);
    await shop.bookReturn(o1.id, 3_000, 529);
    const cb = await t.request(PayRecordChargebackDocument, { input: { cartNumber: o2.cartNumber, partIndex: 0, reason: 'Dispute 4853', idempotencyKey: randomUUID() } }, operator);
    expect(cb.data?.recordChargeback.userErrors).toEqual([]);
    expect((await t.request(PayAdjustDocument, { input: { sellerId: s.id, amount: 500, reason: '=HYPERLINK("x") bonus, "quoted", with comma', idempotencyKey: randomUUID() } }, operator)).data?.createSellerAdjustment.userErrors).toEqual([]);
    const first = await run(addDays(today(), -1));
    const mine = first.payouts.edges.find((e) => e.node.sellerId === s.id)!.node;
    expect((await t.request(PayFailDocument, { input: { payoutId: mine.id, reason: 'Chave Pix inexistente' } }, operator)).data?.failPayout.userErrors).toEqual([]);
    await run(today());
    // The first order's sale goes to last month, so the month opens with a balance.
    const lastMonth = new Date(startOfDate(monthStart(), SP).getTime() - 5 * 86_400_000);
    await f.em().execute(
      `update ledger_line set created_at = ? where entry_id in (select id from ledger_entry where order_id = ? and kind = 'CHECKOUT')`,
      [lastMonth, o1.id],
    );
    await f.em().execute(`update ledger_entry set created_at = ? where order_id = ? and kind = 'CHECKOUT'`, [lastMonth, o1.id]);
  });

  it('has every movement with its running balance, and the three agree to the centavo', async () => {
    const from = monthStart();
    const to = monthEnd();
    const pages: { type: string; amount: number; balance: number; orderCode: string | null; description: string }[] = [];
    let after: string | undefined;
    let statement;
    do {
      const res = await t.request(PayStatementDocument, { sellerId: s.id, from, to, first: 7, after }, operator);
      expect(res.errors).toBeUndefined();
      statement = res.data!.sellerStatement;
      pages.push(...statement.movements.edges.map((e) => ({ type: e.node.type, amount: e.node.amount.amount, balance: e.node.balance.amount, orderCode: e.node.orderCode ?? null, description: e.node.description })));
      after = statement.movements.pageInfo.hasNextPage ? statement.movements.pageInfo.endCursor! : undefined;
    } while (after);
    expect(pages).toHaveLength(statement.movements.totalCount);

    // The ledger, read directly: the seller's SELLER_PAYABLE lines before and within the month.
    const start = startOfDate(from, SP);
    const end = startOfDate(addDays(to, 1), SP);
    const sum = async (where: string, params: unknown[]) =>
      Number((await f.em().execute<{ v: string }[]>(`select coalesce(sum(credit) - sum(debit), 0)::text as v from ledger_line where seller_id = ? and account = 'SELLER_PAYABLE' and ${where}`, [s.id, ...params]))[0]!.v);
    const opening = await sum('created_at < ?', [start]);
    const inMonth = await sum('created_at >= ? and created_at < ?', [start, end]);
    expect(opening).toBe(NET);
    expect(statement.openingBalance.amount).toBe(opening);
    expect(pages.reduce((a, m) => a + m.amount, 0)).toBe(inMonth);
    expect(statement.closingBalance.amount).toBe(opening + inMonth);
    expect(statement.credits.amount - statement.debits.amount).toBe(inMonth);
    let running = opening;
    for (const m of pages) {
      running += m.amount;
      expect(m.balance).toBe(running);
    }

    // The CSV: the documented columns, the same rows, the same sums.
    const records = readCsvRecords(statement.csv, ['csv']);
    expect(records[0]!.fields).toEqual([...STATEMENT_CSV_COLUMNS]);
    const rows = records.slice(1).map((r) => Object.fromEntries(STATEMENT_CSV_COLUMNS.map((col, i) => [col, r.fields[i]!])));
    expect(rows).toHaveLength(pages.length);
    expect(rows.map((r) => [r.type, decimalToCents(r.amount!), decimalToCents(r.balance!)])).toEqual(pages.map((m) => [m.type, m.amount, m.balance]));
    expect(rows.reduce((a, r) => a + decimalToCents(r.amount!), 0)).toBe(inMonth);
    const adjustment = rows.find((r) => r.type === 'ADJUSTMENT')!;
    expect(adjustment.description!.startsWith("'")).toBe(false); // the memo starts with "Credit to", not the formula
    expect(adjustment.description).toContain('"quoted", with comma');

    // Every kind of movement of the month is there, and the totals add up per type.
    const types = new Set(pages.map((m) => m.type));
    for (const type of ['SALE', 'COMMISSION', 'DISCOUNT', 'REFUND', 'RETURN', 'CHARGEBACK', 'ADJUSTMENT', 'PAYOUT', 'PAYOUT_RETURNED']) expect(types, type).toContain(type);
    for (const total of statement.totals) {
      const of = pages.filter((m) => m.type === total.type);
      expect([total.count, total.amount.amount]).toEqual([of.length, of.reduce((a, m) => a + m.amount, 0)]);
    }
    // A sale with a seller-funded discount: sale, discount borne, commission; they sum to the order's credit.
    const discounted = pages.filter((m) => m.orderCode && pages.some((x) => x.type === 'DISCOUNT' && x.orderCode === m.orderCode) && ['SALE', 'DISCOUNT', 'COMMISSION'].includes(m.type));
    expect(discounted.map((m) => [m.type, m.amount])).toEqual([
      ['SALE', PRICE],
      ['DISCOUNT', -1_000],
      ['COMMISSION', -1_350],
    ]);
  });

  it('refuses bad periods and other sellers', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: '2026-13-01', to: '2026-12-01' }, 'from'],
      [{ from: '2026-12-10', to: '2026-12-01' }, 'to'],
      [{ from: '2024-01-01', to: '2026-12-01' }, 'to'],
    ];
    for (const [args, field] of cases) {
      const res = await t.request(PayStatementDocument, { sellerId: s.id, ...args } as never, operator);
      expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', [field]]]);
    }
    const other = await seller('STMT2');
    const finance = (await f.user({ seller: other, role: UserRole.FINANCE })).token;
    expect(codes(await t.request(PayStatementDocument, { sellerId: s.id, from: monthStart(), to: monthEnd() }, finance))).toEqual(['FORBIDDEN']);
    const own = await t.request(PayStatementDocument, { from: monthStart(), to: monthEnd() }, finance);
    expect(own.data?.sellerStatement.movements.totalCount).toBe(0);
  });
});

describe('the payout calendar', () => {
  it('lists the next dates on the calendar with the amounts expected', async () => {
    const s = await seller('CAL');
    await availableOrder('CAL');
    const soon = await shop.place([['CAL-S1', 2]]);
    const deliveredAt = daysAgo(3);
    await shop.fulfil(soon.orders[0]!.id, daysAgo(4), deliveredAt);
    const unshipped = await shop.place([['CAL-S1', 1]]); // approved, not shipped: undated
    await shop.receivables([soon.orders[0]!.id, unshipped.orders[0]!.id], ['SCHEDULED', 'SCHEDULED']);
    await t.request(PayAdjustDocument, { input: { sellerId: s.id, amount: -2_000, reason: 'Fee', idempotencyKey: randomUUID() } }, operator);
    const tomorrowWeekday = (isoWeekday(today()) % 7) + 1;
    await t.request(PayUpdateSettingsDocument, { input: { payoutFrequency: 'WEEKLY', payoutWeekday: tomorrowWeekday } }, operator);
    try {
      const res = await t.request(PayCalendarDocument, { sellerId: s.id, count: 4 }, operator);
      expect(res.errors).toBeUndefined();
      const cal = res.data!.payoutCalendar;
      const d1 = addDays(today(), 1);
      expect(cal.dates.map((d) => d.periodEnd)).toEqual([d1, addDays(d1, 7), addDays(d1, 14), addDays(d1, 21)]);
      const availableOn = addDays(dateIn(deliveredAt, SP), 14);
      const window = cal.dates.findIndex((d) => d.periodEnd >= availableOn);
      expect(cal.dates.map((d) => d.expected.amount)).toEqual(cal.dates.map((_, i) => (i === 0 ? NET - 2_000 : i === window ? 2 * NET : 0)));
      expect(cal.dates[0]!.debits.amount).toBe(2_000);
      expect(cal.undated.amount).toBe(NET);

      await t.request(PayUpdateSettingsDocument, { input: { payoutFrequency: 'MONTHLY', payoutMonthDay: 31 } }, operator);
      const monthly = (await t.request(PayCalendarDocument, { sellerId: s.id, count: 3 }, operator)).data!.payoutCalendar.dates.map((d) => d.periodEnd);
      for (const d of monthly) {
        const { year, month, day } = dateParts(d);
        expect(day).toBe(daysInMonth(year, month));
      }
      await t.request(PayUpdateSettingsDocument, { input: { payoutFrequency: 'FORTNIGHTLY' } }, operator);
      const fortnightly = (await t.request(PayCalendarDocument, { sellerId: s.id, count: 4 }, operator)).data!.payoutCalendar.dates.map((d) => d.periodEnd);
      for (const d of fortnightly) {
        const { year, month, day } = dateParts(d);
        expect([15, daysInMonth(year, month)]).toContain(day);
      }
      expect(codes(await t.request(PayCalendarDocument, { sellerId: s.id, count: 13 }, operator))).toEqual(['BAD_USER_INPUT']);
    } finally {
      await t.request(PayUpdateSettingsDocument, { input: { payoutFrequency: 'WEEKLY', payoutWeekday: 3 } }, operator);
    }
  });
});

describe('who sees what', () => {
  let s: Seller;
  let other: Seller;
  let payoutId: string;
  let tok: Record<string, string | undefined>;

  beforeAll(async () => {
    s = await seller('ACC');
    other = await seller('ACCX');
    await availableOrder('ACC');
    await availableOrder('ACCX');
    const r = await run(addDays(today(), -2));
    payoutId = r.payouts.edges.find((e) => e.node.sellerId === s.id)!.node.id;
    tok = {
      owner: (await f.user({ seller: s, role: UserRole.OWNER })).token,
      finance: (await f.user({ seller: s, role: UserRole.FINANCE })).token,
      catalog: (await f.user({ seller: s, role: UserRole.CATALOG })).token,
      service: (await f.user({ seller: s, role: UserRole.SERVICE })).token,
      integration: (await f.integration({ seller: s })).token,
      otherFinance: (await f.user({ seller: other, role: UserRole.FINANCE })).token,
      support: (await f.operator(UserRole.SUPPORT)).token,
      admin: (await f.operator(UserRole.ADMIN)).token,
      agent: (await f.operator(UserRole.AGENT)).token,
      customer: (await f.customer()).token,
      anonymous: undefined,
    };
  });

  const reads = (sellerId?: string) => [
    () => t.request(PayBalanceDocument, { sellerId }, tok.current),
    () => t.request(PayReceivablesDocument, { sellerId }, tok.current),
    () => t.request(PayPayoutsDocument, { sellerId }, tok.current),
    () => t.request(PayStatementDocument, { sellerId, from: addDays(today(), -30), to: today() }, tok.current),
    () => t.request(PayCalendarDocument, { sellerId }, tok.current),
    () => t.request(PayAdjustmentsDocument, { sellerId }, tok.current),
    // The store's rule is nobody's in particular: asked with or without a seller, it is the same.
    ...(sellerId ? [] : [() => t.request(PaySettingsDocument, {}, tok.current)]),
  ];

  it.each([
    ['owner', 'ok'],
    ['finance', 'ok'],
    ['integration', 'ok'],
    ['catalog', 'FORBIDDEN'],
    ['service', 'FORBIDDEN'],
    ['customer', 'FORBIDDEN'],
    ['anonymous', 'UNAUTHENTICATED'],
  ])("the seller's %s → %s", async (who, expected) => {
    tok.current = tok[who];
    for (const read of reads()) {
      const res = await read();
      if (expected === 'ok') expect(res.errors, who).toBeUndefined();
      else expect(codes(res), who).toEqual([expected]);
    }
    if (expected === 'ok') {
      const balance = await t.request(PayBalanceDocument, {}, tok.current);
      expect(balance.data?.sellerBalance.sellerId).toBe(s.id);
      const payout = await t.request(PayPayoutDocument, { id: payoutId }, tok.current);
      expect(payout.data?.payout?.id).toBe(payoutId);
    }
  });

  it("another seller's users never read it, whatever id they send; operator staff of any role read it", async () => {
    tok.current = tok.otherFinance;
    for (const read of reads(s.id)) expect(codes(await read())).toEqual(['FORBIDDEN']);
    for (const read of reads('not-an-id')) expect(codes(await read())).toEqual(['FORBIDDEN']);
    expect((await t.request(PayPayoutDocument, { id: payoutId }, tok.otherFinance)).data?.payout).toBeNull();
    const own = await t.request(PayPayoutsDocument, {}, tok.otherFinance);
    expect(own.data?.payouts.edges.every((e) => e.node.sellerId === other.id)).toBe(true);

    tok.current = tok.support;
    for (const read of reads(s.id)) expect((await read()).errors).toBeUndefined();
    expect(codes(await t.request(PayBalanceDocument, { sellerId: 'not-an-id' }, tok.support))).toEqual(['NOT_FOUND']);
    expect((await t.request(PayPayoutDocument, { id: 'not-an-id' }, tok.support)).data?.payout).toBeNull();
  });

  it("bank data where a payout went: the seller's owner/finance and operator owners/admins only", async () => {
    for (const [who, ok] of [
      ['owner', true],
      ['finance', true],
      ['admin', true],
      ['integration', false],
      ['support', false],
    ] as const) {
      const res = await t.request(PayPayoutDestinationDocument, { id: payoutId }, tok[who]);
      if (ok) expect(res.data?.payout?.destination, who).toMatchObject({ pixKey: 'financeiro@loja.example', bankCode: '260' });
      else expect(codes(res), who).toEqual(['FORBIDDEN']);
    }
  });

  it('money moves only by operator owners and admins', async () => {
    for (const who of ['support', 'agent', 'owner', 'finance', 'integration'] as const) {
      const code = (res: { errors?: { extensions?: { code?: string } }[] }) => codes(res as never);
      expect(code(await t.request(PayRunDocument, { input: { periodEnd: today(), idempotencyKey: randomUUID() } }, tok[who])), who).toEqual(['FORBIDDEN']);
      expect(code(await t.request(PayAdjustDocument, { input: { sellerId: s.id, amount: 100, reason: 'mine', idempotencyKey: randomUUID() } }, tok[who])), who).toEqual(['FORBIDDEN']);
      expect(code(await t.request(PayUpdateSettingsDocument, { input: { settlementDays: 1 } }, tok[who])), who).toEqual(['FORBIDDEN']);
      expect(code(await t.request(PayRecordChargebackDocument, { input: { cartNumber: '1', partIndex: 0, idempotencyKey: randomUUID() } }, tok[who])), who).toEqual(['FORBIDDEN']);
    }
    expect((await t.request(PayAdjustDocument, { input: { sellerId: s.id, amount: 100, reason: 'Admin credit', idempotencyKey: randomUUID() } }, tok.admin)).data?.createSellerAdjustment.userErrors).toEqual([]);
  });
});
