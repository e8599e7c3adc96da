import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, daysAgo } from './helpers/shop.js';
import { PayAdjustDocument, PayBalanceDocument, PayConfirmDocument, PayFailDocument, PayRecordChargebackDocument, PayReverseChargebackDocument, PayRunDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { allocate } from '../src/shared/money/index.js';
import { addDays, dateIn } from '../src/shared/time/index.js';
import { BankAccountType, Seller } from '../src/modules/sellers/sellers.entity.js';
import { Order } from '../src/modules/orders/index.js';
import { Payout, PayoutItem, PayoutStatus, Receivable } from '../src/modules/payouts/index.js';

/**
 * The randomized property of issue 11: after any run of orders, cancellations, deliveries,
 * returns, chargebacks (and won disputes), adjustments, payout runs (fresh keys and repeated
 * ones), failed and confirmed transfers, for every seller
 *
 *   sum of payouts + balance = the seller's net receivables − debits
 *
 * where the right side is computed by this test's own model from what it did (frozen order
 * figures, its return amounts, the chargeback split it expects, its adjustments), and the
 * left side is read through the API. Besides: balance = pending + scheduled + available −
 * debits = the ledger; every payout is the sum of its items; what payouts took of each
 * receivable is its settled amount (nothing paid twice); one payout per seller and period end.
 *
 * Runs: PAYOUT_PROPERTY_RUNS (default 15), e.g.
 *   PAYOUT_PROPERTY_RUNS=50 DATABASE_URL=… npx vitest run test/payouts-property.test.ts
 */

const RUNS = Number(process.env.PAYOUT_PROPERTY_RUNS ?? 15);
const SP = 'America/Sao_Paulo';
let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let shop: Shop;
let operator: string;
let runNumber = 0;
/** What the runs did, so a generator that stopped exercising something shows. */
const seen: Record<string, number> = {};

type Action =
  | { t: 'place'; a: number; b: number }
  | { t: 'cancel'; i: number }
  | { t: 'deliver'; i: number }
  | { t: 'return'; i: number; pct: number }
  | { t: 'chargeback'; k: number }
  | { t: 'reverse'; k: number }
  | { t: 'adjust'; s: number; amount: number }
  | { t: 'payout'; repeatKey: boolean }
  | { t: 'fail'; s: number }
  | { t: 'confirm'; s: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('place' as const), a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), i: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('deliver' as const), i: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('return' as const), i: fc.nat(), pct: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('chargeback' as const), k: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reverse' as const), k: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('adjust' as const), s: fc.nat(1), amount: fc.integer({ min: -3_000, max: 3_000 }).filter((n) => n !== 0) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('payout' as const), repeatKey: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('fail' as const), s: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('confirm' as const), s: fc.nat(1) }) },
);

interface ModelOrder {
  id: string;
  code: string;
  sellerIdx: number;
  cart: number;
  total: number;
  receivable: number;
  commission: number;
  status: 'APPROVED' | 'DELIVERED' | 'CANCELLED';
  /** Seller share of returns booked. */
  returned: number;
  /** Money given back for the order in the ledger (returns' refunds, chargeback shares). */
  back: number;
}

interface ModelCart {
  number: string;
  orders: number[];
  /** Captured and not refunded on the card part (payment figures). */
  left: number;
  chargeback: { open: boolean; shares: number[] } | null;
}

async function newSeller(code: string): Promise<Seller> {
  const s = await f.seller({ code });
  await c.product(s, { sellerCode: 'P', skus: [{ code: 'S1', price: 7_777, stock: 100_000, weight: 300 }] });
  const em = f.em();
  const row = await em.findOneOrFail(Seller, { id: s.id });
  row.bankData = { bankCode: '001', branch: '1234', account: '55555-5', accountType: BankAccountType.CHECKING, holderName: code, holderDocument: s.document!, pixKey: null };
  await em.flush();
  return s;
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

/** The first item from `start` on (wrapping) that fits: a random pick among those an action applies to. */
function pick<T>(list: T[], start: number, fits: (x: T) => boolean): T | null {
  for (let j = 0; j < list.length; j++) {
    const x = list[(start + j) % list.length]!;
    if (fits(x)) return x;
  }
  return null;
}

async function play(actions: Action[]): Promise<void> {
  runNumber += 1;
  const sellers = [await newSeller(`PR${runNumber}A`), await newSeller(`PR${runNumber}B`)];
  const orders: ModelOrder[] = [];
  const carts: ModelCart[] = [];
  const adjustments = [0, 0];
  const today = dateIn(new Date(), SP);
  let nextPeriodEnd = addDays(today, -5);
  let lastKey: { key: string; periodEnd: string } | null = null;

  for (const a of actions) {
    const before = JSON.stringify([orders, carts, adjustments, lastKey]);
    switch (a.t) {
      case 'place': {
        const lines: [string, number][] = [];
        if (a.a) lines.push([`PR${runNumber}A-S1`, a.a]);
        if (a.b) lines.push([`PR${runNumber}B-S1`, a.b]);
        if (!lines.length) break;
        const placed = await shop.place(lines);
        const cart: ModelCart = { number: placed.cartNumber, orders: [], left: 0, chargeback: null };
        for (const o of placed.orders) {
          const row = await f.em().findOneOrFail(Order, { id: o.id });
          expect(row.status).toBe('APPROVED');
          cart.orders.push(orders.length);
          cart.left += row.totalCents;
          orders.push({ id: o.id, code: o.code, sellerIdx: o.sellerId === sellers[0]!.id ? 0 : 1, cart: carts.length, total: row.totalCents, receivable: row.sellerReceivableCents, commission: row.commissionCents, status: 'APPROVED', returned: 0, back: 0 });
        }
        carts.push(cart);
        break;
      }
      case 'cancel': {
        const o = pick(orders, a.i, (x) => x.status === 'APPROVED' && !carts[x.cart]!.chargeback?.open);
        if (!o) break;
        await shop.cancel(o.code);
        o.status = 'CANCELLED';
        carts[o.cart]!.left -= o.total;
        break;
      }
      case 'deliver': {
        const o = pick(orders, a.i, (x) => x.status === 'APPROVED');
        if (!o) break;
        await shop.fulfil(o.id, daysAgo(25), daysAgo(20));
        o.status = 'DELIVERED';
        break;
      }
      case 'return': {
        const o = pick(orders, a.i, (x) => x.status === 'DELIVERED' && x.returned < x.receivable);
        if (!o) break;
        const share = Math.floor(((o.receivable - o.returned) * a.pct) / 100);
        if (share <= 0) break;
        const commission = Math.floor((o.commission * share) / o.receivable);
        await shop.bookReturn(o.id, share, commission);
        o.returned += share;
        o.back += share + commission;
        break;
      }
      case 'chargeback': {
        const cart = pick(carts, a.k, (x) => !x.chargeback && x.left > 0);
        if (!cart) break;
        const res = await t.request(PayRecordChargebackDocument, { input: { cartNumber: cart.number, partIndex: 0, idempotencyKey: randomUUID() } }, operator);
        expect(res.data?.recordChargeback.userErrors).toEqual([]);
        // The model's own split: largest remainder of the orders' unrefunded totals, in cart order.
        const members = cart.orders.map((i) => orders[i]!);
        const weights = members.map((o) => (o.status === 'CANCELLED' ? 0 : Math.max(0, o.total - o.back)));
        const shares = weights.every((w) => w === 0) ? members.map(() => 0) : allocate(cart.left, weights);
        expect(res.data!.recordChargeback.chargeback!.shares.map((s) => s.amount.amount)).toEqual(shares.filter((s) => s !== 0));
        members.forEach((o, j) => (o.back += shares[j]!));
        cart.chargeback = { open: true, shares };
        break;
      }
      case 'reverse': {
        const cart = pick(carts, a.k, (x) => !!x.chargeback?.open);
        if (!cart?.chargeback) break;
        const res = await t.request(PayReverseChargebackDocument, { input: { cartNumber: cart.number, partIndex: 0, idempotencyKey: randomUUID() } }, operator);
        expect(res.data?.reverseChargeback.userErrors).toEqual([]);
        cart.orders.forEach((i, j) => (orders[i]!.back -= cart.chargeback!.shares[j]!));
        cart.chargeback.open = false;
        break;
      }
      case 'adjust': {
        const res = await t.request(PayAdjustDocument, { input: { sellerId: sellers[a.s]!.id, amount: a.amount, reason: 'Property adjustment', idempotencyKey: randomUUID() } }, operator);
        expect(res.data?.createSellerAdjustment.userErrors).toEqual([]);
        adjustments[a.s]! += a.amount;
        break;
      }
      case 'payout': {
        const repeat: boolean = a.repeatKey && lastKey !== null;
        const key: string = repeat ? lastKey!.key : randomUUID();
        const periodEnd: string = repeat ? lastKey!.periodEnd : nextPeriodEnd;
        if (!repeat) {
          if (nextPeriodEnd > today) break;
          nextPeriodEnd = addDays(nextPeriodEnd, 1);
        }
        const res = await t.request(PayRunDocument, { input: { periodEnd, idempotencyKey: key } }, operator);
        expect(res.data?.runPayouts.userErrors).toEqual([]);
        lastKey = { key, periodEnd };
        break;
      }
      case 'fail':
      case 'confirm': {
        const open = await f.em().findOne(Payout, { seller: { $in: [sellers[a.s]!.id, sellers[1 - a.s]!.id] }, status: PayoutStatus.PROCESSING }, { orderBy: { createdAt: 'desc' } });
        if (!open) break;
        const res =
          a.t === 'fail'
            ? (await t.request(PayFailDocument, { input: { payoutId: open.id, reason: 'Bank refused' } }, operator)).data?.failPayout.userErrors
            : (await t.request(PayConfirmDocument, { input: { payoutId: open.id, endToEndId: `E${randomUUID().replace(/-/g, '').slice(0, 20)}` } }, operator)).data?.confirmPayout.userErrors;
        expect(res).toEqual([]);
        seen[a.t] = (seen[a.t] ?? 0) + 1;
        break;
      }
    }
    if (JSON.stringify([orders, carts, adjustments, lastKey]) !== before) seen[a.t] = (seen[a.t] ?? 0) + 1;
  }

  for (const [idx, s] of sellers.entries()) {
    const mine = orders.filter((o) => o.sellerIdx === idx);
    const receivables = mine.filter((o) => o.status !== 'CANCELLED').reduce((sum, o) => sum + o.receivable, 0);
    const debits = mine.reduce((sum, o) => sum + o.returned, 0) + carts.reduce((sum, cart) => sum + (cart.chargeback?.open ? cart.orders.reduce((x, i, j) => x + (orders[i]!.sellerIdx === idx ? cart.chargeback!.shares[j]! : 0), 0) : 0), 0);
    const expected = receivables - debits + adjustments[idx]!;

    const payouts = await f.em().find(Payout, { seller: s.id });
    const paidOut = payouts.filter((p) => p.status === 'PROCESSING' || p.status === 'PAID').reduce((sum, p) => sum + p.amountCents, 0);
    const res = await t.request(PayBalanceDocument, { sellerId: s.id }, operator);
    expect(res.errors).toBeUndefined();
    const b = res.data!.sellerBalance;
    // The identity of issue 11.
    expect(paidOut + b.total.amount).toBe(expected);
    // The balance by state adds up to the ledger.
    expect(b.pending.amount + b.scheduled.amount + b.available.amount - b.debits.amount).toBe(b.total.amount);
    const [ledger] = await f.em().execute<{ v: string }[]>(`select coalesce(sum(credit) - sum(debit), 0)::text as v from ledger_line where seller_id = ? and account = 'SELLER_PAYABLE'`, [s.id]);
    expect(Number(ledger!.v)).toBe(b.total.amount);
    // Nothing paid twice: each payout is its items; each receivable's settled amount is what live payouts took of it.
    const items = payouts.length ? await f.em().find(PayoutItem, { payout: { $in: payouts.map((p) => p.id) } }) : [];
    for (const p of payouts) {
      const of = items.filter((i) => i.payout.id === p.id).reduce((sum, i) => sum + i.amountCents, 0);
      if (p.status !== 'CARRIED_FORWARD') expect(of).toBe(p.amountCents);
    }
    expect(new Set(payouts.map((p) => p.periodEnd)).size).toBe(payouts.length);
    const live = new Set(payouts.filter((p) => p.status === 'PROCESSING' || p.status === 'PAID').map((p) => p.id));
    for (const r of await f.em().find(Receivable, { seller: s.id })) {
      expect(r.settledCents).toBe(items.filter((i) => i.receivable.id === r.id && live.has(i.payout.id)).reduce((sum, i) => sum + i.amountCents, 0));
    }
  }
}

it(`sum of payouts + balance = net receivables − debits, for every seller, after randomized runs (${RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 6, maxLength: 18 }), async (actions) => {
      await play(actions);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  const payouts = await f.em().count(Payout, {});
  console.log(`payouts property: ${RUNS} runs, actions applied ${JSON.stringify(seen)}, ${payouts} payouts`);
  // Runs that never get far enough to pay would prove little.
  if (RUNS >= 10) for (const kind of ['place', 'deliver', 'payout']) expect(seen[kind] ?? 0, kind).toBeGreaterThan(0);
  if (RUNS >= 40) for (const kind of ['cancel', 'return', 'chargeback', 'adjust']) expect(seen[kind] ?? 0, kind).toBeGreaterThan(0);
}, 900_000);
