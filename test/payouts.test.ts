import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, daysAgo, FREIGHT } from './helpers/shop.js';
import { PayAdjustDocument, PayBalanceDocument, PayPayoutDocument, PayRecordChargebackDocument, PayConfirmDocument, PayFailDocument, PayPayoutsDocument, PayReceivablesDocument, PayRunDocument, PayUpdateSettingsDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { addDays, dateIn } from '../src/shared/time/index.js';
import { BankAccountType, MarketplaceSettings, Seller } from '../src/modules/sellers/sellers.entity.js';
import { LedgerEntry, LedgerEntryKind, LedgerLine, postJournal } from '../src/modules/finance/index.js';
import { PaymentTransaction, paymentProviders } from '../src/modules/payments/index.js';
import { Payout, PayoutItem, PayoutRunTrigger, Receivable, runPayouts } from '../src/modules/payouts/index.js';
import { openAppOrm } from '../src/app/entities.js';
import { systemActor } from '../src/shared/events/index.js';
import { allocate } from '../src/shared/money/index.js';

/**
 * Receivables, payout runs, transfers (manual provider), chargebacks and adjustments through
 * the API on PostgreSQL. The Asaas adapter has its own file (payouts-asaas.test.ts); the
 * randomized identity is payouts-property.test.ts; statements and access, payouts-statements.
 */

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let shop: Shop;
let operator: string;
const SP = 'America/Sao_Paulo';
const today = () => dateIn(new Date(), SP);
const PRICE = 10_000;
// Default commission 15%: a unit of PRICE leaves the seller 8 500.
const NET = 8_500;

async function seller(code: string, opts: { bank?: boolean } = {}): Promise<Seller> {
  const s = await f.seller({ code });
  await c.product(s, { sellerCode: 'P', skus: [{ code: 'S1', price: PRICE, stock: 1_000, weight: 500 }] });
  if (opts.bank !== false) {
    const em = f.em();
    const row = await em.findOneOrFail(Seller, { id: s.id });
    row.bankData = { bankCode: '341', branch: '0001', account: '12345-6', accountType: BankAccountType.CHECKING, holderName: `Seller ${code}`, holderDocument: s.document!, pixKey: null };
    await em.flush();
  }
  return s;
}

/** One delivered order of `qty` units, available (delivered 20 days ago; N = 14). */
async function availableOrder(code: string, qty = 1) {
  const placed = await shop.place([[`${code}-S1`, qty]]);
  const order = placed.orders[0]!;
  await shop.fulfil(order.id, daysAgo(25), daysAgo(20));
  await shop.receivables([order.id], ['SCHEDULED']);
  return { ...order, cartNumber: placed.cartNumber };
}

async function run(periodEnd: string, key = randomUUID(), token = operator) {
  const res = await t.request(PayRunDocument, { input: { periodEnd, idempotencyKey: key } }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.runPayouts;
}

/** The payout a run made for a seller, with its items (or undefined). */
async function payoutIn(r: Awaited<ReturnType<typeof run>>, sellerId: string) {
  const node = r.run!.payouts.edges.map((e) => e.node).find((p) => p.sellerId === sellerId);
  return node ? (await t.request(PayPayoutDocument, { id: node.id }, operator)).data!.payout! : undefined;
}

const payoutsOf = async (sellerId: string) => (await t.request(PayPayoutsDocument, { sellerId, first: 100 }, operator)).data!.payouts.edges.map((e) => e.node);
const balanceOf = async (sellerId: string) => (await t.request(PayBalanceDocument, { sellerId }, operator)).data!.sellerBalance;

async function ledgerBalance(sellerId: string): Promise<number> {
  const [row] = await f.em().execute<{ b: string }[]>(`select coalesce(sum(credit) - sum(debit), 0)::text as b from ledger_line where seller_id = ? and account = 'SELLER_PAYABLE'`, [sellerId]);
  return Number(row!.b);
}

async function postHook(hook: { headers: Record<string, string>; rawBody: string }) {
  const res = await fetch(t.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody });
  expect(res.status).toBe(200);
  return res.json();
}

async function cardRef(cartNumber: string): Promise<string> {
  const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber }, { populate: ['parts'] });
  return tx.parts.getItems()[0]!.providerRef!;
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
});
afterAll(async () => t?.stop());

describe('receivables follow their orders', () => {
  let s: Seller;
  beforeAll(async () => {
    s = await seller('RECV');
  });

  it('PENDING while unpaid, SCHEDULED on approval, dated at shipping (fallback) and delivery (N days), CANCELLED with the order', async () => {
    const pix = await shop.place([['RECV-S1', 1]], [{ method: 'PIX' }]);
    const approved = await shop.place([['RECV-S1', 1]]);
    const shippedOnly = await shop.place([['RECV-S1', 1]]);
    const delivered = await shop.place([['RECV-S1', 2]]);
    const cancelled = await shop.place([['RECV-S1', 1]]);
    await shop.fulfil(shippedOnly.orders[0]!.id, daysAgo(40));
    const deliveredAt = daysAgo(1);
    await shop.fulfil(delivered.orders[0]!.id, daysAgo(3), deliveredAt);
    await shop.cancel(cancelled.orders[0]!.code);
    const ids = [pix, approved, shippedOnly, delivered, cancelled].map((p) => p.orders[0]!.id);
    const rows = await shop.receivables(ids, ['PENDING', 'SCHEDULED', 'SCHEDULED', 'SCHEDULED', 'CANCELLED']);
    expect(rows.map((r) => r.availableOn ?? null)).toEqual([null, null, addDays(dateIn(daysAgo(40), SP), 30), addDays(dateIn(deliveredAt, SP), 14), null]);

    const list = await t.request(PayReceivablesDocument, { sellerId: s.id, first: 10 }, operator);
    expect(list.errors).toBeUndefined();
    const nodes = list.data!.receivables.edges.map((e) => e.node);
    expect(nodes.map((n) => [n.state, n.amount.amount])).toEqual([
      ['PENDING', NET],
      ['SCHEDULED', NET],
      ['AVAILABLE', NET],
      ['SCHEDULED', 2 * NET],
      ['CANCELLED', 0],
    ]);
    const available = await t.request(PayReceivablesDocument, { sellerId: s.id, state: 'AVAILABLE' }, operator);
    expect(available.data!.receivables.edges.map((e) => e.node.orderId)).toEqual([shippedOnly.orders[0]!.id]);

    // The balance shows the states apart and matches the ledger.
    const b = await balanceOf(s.id);
    expect([b.pending.amount, b.scheduled.amount, b.available.amount, b.debits.amount]).toEqual([NET, 3 * NET, NET, 0]);
    expect(b.total.amount).toBe(await ledgerBalance(s.id));
    expect(b.total.amount).toBe(b.pending.amount + b.scheduled.amount + b.available.amount - b.debits.amount);
  });

  it('AFTER_RETURN_WINDOW makes a delivered order available the day after the return window closes; a date never moves later', async () => {
    const set = (input: Record<string, unknown>) => t.request(PayUpdateSettingsDocument, { input }, operator);
    expect((await set({ settlementBasis: 'AFTER_RETURN_WINDOW', returnWindowDays: 10 })).data?.updatePayoutSettings.userErrors).toEqual([]);
    try {
      const o = await shop.place([['RECV-S1', 1]]);
      const deliveredAt = daysAgo(2);
      await shop.fulfil(o.orders[0]!.id, daysAgo(50), deliveredAt);
      const [r] = await shop.receivables([o.orders[0]!.id], ['SCHEDULED']);
      // Shipping 50 days ago set the fallback (20 days ago); the delivery's date (in the future) does not move it later.
      expect(r!.availableOn).toBe(addDays(dateIn(daysAgo(50), SP), 30));
      const o2 = await shop.place([['RECV-S1', 1]]);
      await shop.fulfil(o2.orders[0]!.id, daysAgo(3), deliveredAt);
      const [r2] = await shop.receivables([o2.orders[0]!.id], ['SCHEDULED']);
      expect(r2!.availableOn).toBe(addDays(dateIn(deliveredAt, SP), 11));
    } finally {
      await set({ settlementBasis: 'DAYS_AFTER_DELIVERY', returnWindowDays: 7 });
    }
  });
});

describe('a payout after a refund, a return and a chargeback', () => {
  let s: Seller;
  let o1: Awaited<ReturnType<typeof availableOrder>>;
  let o2: Awaited<ReturnType<typeof availableOrder>>;
  let o3: Awaited<ReturnType<typeof availableOrder>>;
  let o4: Awaited<ReturnType<typeof availableOrder>>;

  beforeAll(async () => {
    s = await seller('DEBT');
    o1 = await availableOrder('DEBT');
    o2 = await availableOrder('DEBT');
    o3 = await availableOrder('DEBT');
  });

  it('pays the available receivables up to the period end, books PAYOUT and is confirmed by the operator', async () => {
    const first = await run(addDays(today(), -3));
    expect(first.userErrors).toEqual([]);
    expect(first.run!.payouts.edges.filter((e) => e.node.sellerId === s.id)).toHaveLength(1);
    const p1 = (await payoutIn(first, s.id))!;
    expect([p1.status, p1.amount.amount, p1.provider, p1.transferState]).toEqual(['PROCESSING', 3 * NET, 'manual', 'SENT']);
    expect(p1.items.edges.map((e) => [e.node.orderCode, e.node.amount.amount])).toEqual([
      [o1.code, NET],
      [o2.code, NET],
      [o3.code, NET],
    ]);
    const entry = await f.em().findOneOrFail(LedgerEntry, { kind: LedgerEntryKind.PAYOUT, reference: `payout:${p1.id}` });
    const lines = await f.em().find(LedgerLine, { entry: entry.id }, { orderBy: { position: 'asc' } });
    expect(lines.map((l) => [l.account, l.debit, l.credit])).toEqual([
      ['SELLER_PAYABLE', 3 * NET, 0],
      ['PAYMENT_PROVIDER', 0, 3 * NET],
    ]);
    const confirmed = await t.request(PayConfirmDocument, { input: { payoutId: p1.id, endToEndId: 'E00000000202612061200abcdefghijk' } }, operator);
    expect(confirmed.data?.confirmPayout.payout).toMatchObject({ status: 'PAID', endToEndId: 'E00000000202612061200abcdefghijk' });
    // Confirming again with the same reference answers the same; another reference is a CONFLICT.
    expect((await t.request(PayConfirmDocument, { input: { payoutId: p1.id, endToEndId: 'E00000000202612061200abcdefghijk' } }, operator)).data?.confirmPayout.userErrors).toEqual([]);
    expect((await t.request(PayConfirmDocument, { input: { payoutId: p1.id, endToEndId: 'E999' } }, operator)).data?.confirmPayout.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    const b = await balanceOf(s.id);
    expect([b.available.amount, b.paid.amount, b.total.amount]).toEqual([0, 3 * NET, 0]);
  });

  it('takes a later return, refund and chargeback (its provider notification) exactly from the next payout', async () => {
    await shop.bookReturn(o1.id, 2_000, 353);
    await shop.bookRefund(o3.id, 1_500);
    const sandbox = paymentProviders(t.app.runtime).sandbox!;
    const outcome = await postHook(await sandbox.chargeBack(await cardRef(o2.cartNumber)));
    expect(outcome).toMatchObject({ result: 'APPLIED' });
    // One order in the cart: its share is the whole charge (merchandise + freight), borne by its seller.
    const chargeback = PRICE + FREIGHT;
    o4 = await availableOrder('DEBT', 3);
    const b = await balanceOf(s.id);
    expect([b.available.amount, b.debits.amount]).toEqual([3 * NET, 2_000 + 1_500 + chargeback]);

    const second = await run(addDays(today(), -1));
    const p2 = (await payoutIn(second, s.id))!;
    expect(p2.amount.amount).toBe(3 * NET - 2_000 - 1_500 - chargeback);
    expect(p2.items.edges.map((e) => [e.node.orderCode, e.node.amount.amount])).toEqual([
      [o1.code, -2_000],
      [o2.code, -chargeback],
      [o3.code, -1_500],
      [o4.code, 3 * NET],
    ]);
    const rows = await f.em().find(Receivable, { order: { $in: [o1.id, o2.id, o3.id, o4.id] } });
    expect(rows.every((r) => r.status === 'PAID')).toBe(true);
  });

  it('credits back a won dispute on the next payout', async () => {
    const sandbox = paymentProviders(t.app.runtime).sandbox!;
    expect(await postHook(await sandbox.reverseChargeback(await cardRef(o2.cartNumber)))).toMatchObject({ result: 'APPLIED' });
    const third = await run(today());
    const p3 = (await payoutIn(third, s.id))!;
    expect(p3.items.edges.map((e) => [e.node.orderCode, e.node.amount.amount])).toEqual([[o2.code, PRICE + FREIGHT]]);
    expect(p3.amount.amount).toBe(PRICE + FREIGHT);
    // Everything earned was paid: the books owe the seller nothing.
    expect(await ledgerBalance(s.id)).toBe(0);
    const paid = (await payoutsOf(s.id)).reduce((sum, p) => sum + p.amount.amount, 0);
    const [sales] = await f.em().execute<{ v: string }[]>(
      `select sum(l.credit - l.debit)::text as v from ledger_line l join ledger_entry e on e.id = l.entry_id where l.seller_id = ? and l.account = 'SELLER_PAYABLE' and e.kind <> 'PAYOUT'`,
      [s.id],
    );
    expect(paid).toBe(Number(sales!.v));
  });
});

describe('a negative result pays nothing and carries forward', () => {
  it('records CARRIED_FORWARD, settles nothing, and takes the debit from the next payout', async () => {
    const s = await seller('NEGA');
    await availableOrder('NEGA');
    const adj = await t.request(PayAdjustDocument, { input: { sellerId: s.id, amount: -10_000, reason: 'Marketing fee, November', idempotencyKey: randomUUID() } }, operator);
    expect(adj.data?.createSellerAdjustment.userErrors).toEqual([]);
    const first = await run(addDays(today(), -1));
    const p = (await payoutIn(first, s.id))!;
    expect([p.status, p.amount.amount, p.items.totalCount]).toEqual(['CARRIED_FORWARD', NET - 10_000, 0]);
    expect(await f.em().count(LedgerEntry, { reference: `payout:${p.id}` })).toBe(0);
    await availableOrder('NEGA');
    const second = await run(today());
    const p2 = (await payoutIn(second, s.id))!;
    expect([p2.status, p2.amount.amount]).toEqual(['PROCESSING', 2 * NET - 10_000]);
  });
});

describe('running payouts twice pays nothing twice', () => {
  it('the same key returns the same run and payouts; with another period end it is a CONFLICT', async () => {
    const s = await seller('TWICE');
    await availableOrder('TWICE');
    await availableOrder('TWICE', 2);
    const key = randomUUID();
    // Period ends already used by the other files' runs are fine: this seller had none.
    const a = await run(addDays(today(), -2), key);
    const b = await run(addDays(today(), -2), key);
    expect(b.run!.id).toBe(a.run!.id);
    const mine = (r: typeof a) => r.run!.payouts.edges.map((e) => e.node).filter((p) => p.sellerId === s.id);
    expect(mine(b)).toEqual(mine(a));
    expect(mine(a).map((p) => p.amount.amount)).toEqual([3 * NET]);
    expect(await f.em().count(Payout, { seller: s.id })).toBe(1);
    expect(await f.em().count(LedgerEntry, { kind: LedgerEntryKind.PAYOUT, reference: `payout:${mine(a)[0]!.id}` })).toBe(1);
    const other = await t.request(PayRunDocument, { input: { periodEnd: addDays(today(), -1), idempotencyKey: key } }, operator);
    expect(other.data?.runPayouts.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['CONFLICT', 'input.idempotencyKey']]);
    // Another key for the same period end finds the seller paid for it: nothing more.
    const again = await run(addDays(today(), -2));
    expect(mine(again)).toEqual([]);
    expect(await f.em().count(Payout, { seller: s.id })).toBe(1);
  });

  it('runs at once, on one instance or two, pay each receivable once', async () => {
    const sellers = [await seller('CONC1'), await seller('CONC2')];
    for (const s of sellers) {
      await availableOrder(s.concatenationCode!);
      await availableOrder(s.concatenationCode!, 3);
      await t.request(PayAdjustDocument, { input: { sellerId: s.id, amount: 777, reason: 'Bonus for fast shipping', idempotencyKey: randomUUID() } }, operator);
    }
    // A second "instance": its own connection pool on the same database schema.
    const orm2 = await openAppOrm({ clientUrl: (t.app.runtime.orm.config.get('clientUrl') as string), schema: t.schema, poolMax: 4 });
    try {
      const instance2 = { ...t.app.runtime, orm: orm2 };
      const dates = [addDays(today(), -1), addDays(today(), -1), addDays(today(), -1), today(), today()];
      await Promise.all([
        ...dates.map((d) => run(d)),
        runPayouts(instance2, { periodEnd: addDays(today(), -1), idempotencyKey: randomUUID(), trigger: PayoutRunTrigger.OPERATOR, actor: systemActor('second instance') }),
        runPayouts(instance2, { periodEnd: today(), idempotencyKey: randomUUID(), trigger: PayoutRunTrigger.OPERATOR, actor: systemActor('second instance') }),
      ]);
    } finally {
      await orm2.close(true);
    }
    for (const s of sellers) {
      // Yesterday's payout has the orders and today's the adjustment (available from today) —
      // unless a run for today took the seller's payout lock first: it pays all that is due by
      // today in one payout, and yesterday's then finds nothing left. Either way, once.
      const payouts = await f.em().find(Payout, { seller: s.id }, { orderBy: { periodEnd: 'asc' } });
      expect([
        [
          [addDays(today(), -1), 4 * NET],
          [today(), 777],
        ],
        [[today(), 4 * NET + 777]],
      ]).toContainEqual(payouts.map((p) => [p.periodEnd, p.amountCents]));
      const items = await f.em().find(PayoutItem, { payout: { $in: payouts.map((p) => p.id) } });
      const receivables = await f.em().find(Receivable, { seller: s.id });
      expect(items).toHaveLength(receivables.length);
      expect(new Set(items.map((i) => i.receivable.id)).size).toBe(receivables.length);
      expect(receivables.reduce((sum, r) => sum + r.settledCents, 0)).toBe(4 * NET + 777);
      expect(await ledgerBalance(s.id)).toBe(0);
    }
  });
});

describe('a failed transfer', () => {
  it('returns the money to the available balance with the reason; the next payout pays it', async () => {
    const s = await seller('FAIL');
    const o = await availableOrder('FAIL');
    const first = await run(addDays(today(), -2));
    const p = (await payoutIn(first, s.id))!;
    expect((await balanceOf(s.id)).processing.amount).toBe(NET);
    const failed = await t.request(PayFailDocument, { input: { payoutId: p.id, reason: 'Conta encerrada (bank return code 14)' } }, operator);
    expect(failed.data?.failPayout.payout).toMatchObject({ status: 'FAILED', failureReason: 'Conta encerrada (bank return code 14)' });
    const b = await balanceOf(s.id);
    expect([b.available.amount, b.processing.amount, b.total.amount]).toEqual([NET, 0, NET]);
    const list = await t.request(PayReceivablesDocument, { sellerId: s.id }, operator);
    expect(list.data!.receivables.edges.map((e) => [e.node.orderId, e.node.state, e.node.settled.amount])).toEqual([[o.id, 'AVAILABLE', 0]]);
    expect(await f.em().count(LedgerEntry, { kind: LedgerEntryKind.PAYOUT, reference: `payout-failed:${p.id}` })).toBe(1);
    // A failed payout cannot be confirmed; failing it again changes nothing.
    expect((await t.request(PayConfirmDocument, { input: { payoutId: p.id, endToEndId: 'E1' } }, operator)).data?.confirmPayout.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    expect((await t.request(PayFailDocument, { input: { payoutId: p.id, reason: 'again' } }, operator)).data?.failPayout.userErrors).toEqual([]);
    const next = await run(addDays(today(), -1));
    const p2 = (await payoutIn(next, s.id))!;
    expect([p2.status, p2.amount.amount]).toEqual(['PROCESSING', NET]);
  });

  it('a seller without bank data gets a FAILED payout saying so, and the money stays available', async () => {
    const s = await seller('NOBANK', { bank: false });
    await availableOrder('NOBANK');
    const first = await run(addDays(today(), -2));
    const p = (await payoutIn(first, s.id))!;
    expect(p.status).toBe('FAILED');
    expect(p.failureReason).toMatch(/no bank data/);
    expect((await balanceOf(s.id)).available.amount).toBe(NET);
  });
});

describe('chargebacks split over the orders a payment part paid', () => {
  it('by the largest remainder of their unrefunded totals, borne by each order\'s seller; a cancelled order bears nothing', async () => {
    await seller('CBA');
    const b = await seller('CBB');
    const d = await seller('CBD');
    const placed = await shop.place([['CBA-S1', 1], ['CBB-S1', 2], ['CBD-S1', 1]]);
    const [oa, ob, od] = placed.orders;
    await shop.cancel(od!.code);
    const totals = [oa!.total, ob!.total];
    const input = { cartNumber: placed.cartNumber, partIndex: 0, reason: 'Fraud dispute 4837', idempotencyKey: randomUUID() };
    const res = await t.request(PayRecordChargebackDocument, { input }, operator);
    expect(res.data?.recordChargeback.userErrors).toEqual([]);
    const cb = res.data!.recordChargeback.chargeback!;
    const amount = totals[0]! + totals[1]!;
    expect(cb.amount.amount).toBe(amount);
    expect(cb.shares.map((x) => [x.orderCode, x.amount.amount])).toEqual([
      [oa!.code, allocate(amount, totals)[0]],
      [ob!.code, allocate(amount, totals)[1]],
    ]);
    // Entered again with the same key: the same chargeback, nothing booked twice.
    const again = await t.request(PayRecordChargebackDocument, { input }, operator);
    expect(again.data?.recordChargeback.chargeback?.id).toBe(cb.id);
    expect(await f.em().count(LedgerEntry, { kind: LedgerEntryKind.CHARGEBACK, cartNumber: placed.cartNumber })).toBe(2);
    expect((await balanceOf(b.id)).total.amount).toBe(2 * NET - allocate(amount, totals)[1]!);
    expect((await balanceOf(d.id)).total.amount).toBe(0);
  });

  it('the operator bears it when the store rule says so (commission revenue, not the seller)', async () => {
    await t.request(PayUpdateSettingsDocument, { input: { chargebackBearer: 'OPERATOR' } }, operator);
    try {
      const s = await seller('CBOP');
      const placed = await shop.place([['CBOP-S1', 1]]);
      const res = await t.request(PayRecordChargebackDocument, { input: { cartNumber: placed.cartNumber, partIndex: 0, idempotencyKey: randomUUID() } }, operator);
      expect(res.data?.recordChargeback.chargeback).toMatchObject({ bearer: 'OPERATOR', source: 'OPERATOR' });
      expect((await balanceOf(s.id)).total.amount).toBe(NET);
    } finally {
      await t.request(PayUpdateSettingsDocument, { input: { chargebackBearer: 'SELLER' } }, operator);
    }
  });
});

describe('inputs that cannot run', () => {
  it('are userErrors or NOT_FOUND, never an internal error', async () => {
    const errs = async (input: { periodEnd: string; idempotencyKey: string }) =>
      (await t.request(PayRunDocument, { input }, operator)).data?.runPayouts.userErrors.map((e) => [e.code, e.field?.join('.')]);
    expect(await errs({ periodEnd: 'yesterday', idempotencyKey: 'short' })).toEqual([
      ['BAD_USER_INPUT', 'input.periodEnd'],
      ['BAD_USER_INPUT', 'input.idempotencyKey'],
    ]);
    expect(await errs({ periodEnd: '2026-02-30', idempotencyKey: randomUUID() })).toEqual([['BAD_USER_INPUT', 'input.periodEnd']]);
    expect(await errs({ periodEnd: addDays(today(), 1), idempotencyKey: randomUUID() })).toEqual([['BAD_USER_INPUT', 'input.periodEnd']]);
    for (const payoutId of ['nope', randomUUID()]) {
      expect((await t.request(PayConfirmDocument, { input: { payoutId, endToEndId: 'E1' } }, operator)).data?.confirmPayout.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['NOT_FOUND', 'input.payoutId']]);
      expect((await t.request(PayFailDocument, { input: { payoutId, reason: 'why not' } }, operator)).data?.failPayout.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    }
    const adj = async (input: Record<string, unknown>) =>
      (await t.request(PayAdjustDocument, { input: { sellerId: randomUUID(), amount: 1, reason: 'ok reason', idempotencyKey: randomUUID(), ...input } as never }, operator)).data?.createSellerAdjustment.userErrors.map((e) => [e.code, e.field?.join('.')]);
    expect(await adj({ amount: 0, reason: '' })).toEqual([
      ['BAD_USER_INPUT', 'input.amount'],
      ['BAD_USER_INPUT', 'input.reason'],
    ]);
    expect(await adj({ sellerId: 'x' })).toEqual([['NOT_FOUND', 'input.sellerId']]);
    const admin = await f.adminSeller();
    expect(await adj({ sellerId: admin.id })).toEqual([['CONFLICT', 'input.sellerId']]);
    const rc = async (input: Record<string, unknown>) =>
      (await t.request(PayRecordChargebackDocument, { input: { cartNumber: '1', partIndex: 0, idempotencyKey: randomUUID(), ...input } as never }, operator)).data?.recordChargeback.userErrors.map((e) => [e.code, e.field?.join('.')]);
    expect(await rc({})).toEqual([['NOT_FOUND', 'input.cartNumber']]);
    expect(await rc({ partIndex: -1 })).toEqual([['BAD_USER_INPUT', 'input.partIndex']]);
    const settings = await t.request(PayUpdateSettingsDocument, { input: { settlementDays: -1, payoutWeekday: 8, payoutMonthDay: 0, timeZone: 'Mars/Olympus' } }, operator);
    expect(settings.data?.updatePayoutSettings.userErrors.map((e) => e.field?.join('.'))).toEqual(['input.settlementDays', 'input.payoutWeekday', 'input.payoutMonthDay', 'input.timeZone']);
    const row = await f.em().findOneOrFail(MarketplaceSettings, { id: 1 });
    expect([row.settlementDays, row.payoutWeekday, row.timeZone]).toEqual([14, 3, SP]);
  });

  it('an order that no longer exists in the books never breaks a payout run', async () => {
    // (orders only ever get receivables; a stray SELLER_PAYABLE line without an order sits in pending)
    const s = await seller('STRAY');
    await f.em().transactional((em) =>
      postJournal(em as EntityManager, { kind: LedgerEntryKind.ADJUSTMENT, reference: `stray:${randomUUID()}`, lines: [{ account: 'PAYMENT_PROVIDER', debit: 123 }, { account: 'SELLER_PAYABLE', sellerId: s.id, credit: 123 }] }),
    );
    const b = await balanceOf(s.id);
    expect([b.pending.amount, b.total.amount]).toEqual([123, 123]);
    expect((await run(addDays(today(), -2))).userErrors).toEqual([]);
    expect(await f.em().count(Payout, { seller: s.id })).toBe(0);
  });
});
