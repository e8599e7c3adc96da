import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, daysAgo } from './helpers/shop.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CoCancelOrderDocument, RtApproveReturnDocument, RtExchangeReturnDocument, RtOpenReturnDocument, RtReceiveReturnDocument, PayChargebacksDocument, PayRunDocument, PayRecordChargebackDocument, PayReverseChargebackDocument, PayStatementDocument, RtCancelLinesDocument, RtEditOrderDocument, type RtEditOrderMutation } from './generated/graphql.js';
import { Sku, lockSkusForStock } from '../src/modules/catalog/index.js';
import { PaymentTransaction, paymentProviders } from '../src/modules/payments/index.js';
import { Payout, PayoutRun, Receivable } from '../src/modules/payouts/index.js';
import { AttentionItem } from '../src/shared/attention/index.js';
import { UserRole } from '../src/shared/access/index.js';
import { addDays, dateIn } from '../src/shared/time/index.js';
import { allocate } from '../src/shared/money/index.js';
import { Seller } from '../src/modules/sellers/sellers.entity.js';

/**
 * Findings of the money/ledger review of orders after checkout, returns and payouts (issues
 * 10 and 11), each with the case that showed it: chargeback weights after an item-unavailable
 * refund, statements of sales whose order changed later, and the rest below.
 */

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let shop: Shop;
let operator: string;
const SP = 'America/Sao_Paulo';
const today = () => dateIn(new Date(), SP);
const PRICE = 10_000;
// Default commission 15%.
const COMMISSION = 1_500;

async function seller(code: string, skus: { code: string; price?: number }[] = [{ code: 'S1' }]): Promise<Seller> {
  const s = await f.seller({ code });
  await c.product(s, { sellerCode: 'P', skus: skus.map((k) => ({ code: k.code, price: k.price ?? PRICE, stock: 1_000, weight: 500 })) });
  return s;
}

async function cancelLines(orderCode: string, lines: { position: number; quantity: number }[]) {
  const res = await t.request(RtCancelLinesDocument, { input: { orderCode, lines, idempotencyKey: randomUUID() } }, operator);
  expect(res.errors).toBeUndefined();
  expect(res.data?.cancelOrderLines.userErrors).toEqual([]);
  return res.data!.cancelOrderLines.order!;
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

describe('a chargeback after an item-unavailable refund', () => {
  it('weighs each order by its checkout total less what was given back, counting the refund once', async () => {
    await seller('CWA');
    await seller('CWB');
    const placed = await shop.place([['CWA-S1', 2], ['CWB-S1', 1]]);
    const [oa, ob] = placed.orders;
    // One of A's two units is unavailable: 10 000 goes back; A's order now totals one unit + its freight share.
    const after = await cancelLines(oa!.code, [{ position: 1, quantity: 1 }]);
    expect(after.total.amount).toBe(oa!.total - PRICE);
    const res = await t.request(PayRecordChargebackDocument, { input: { cartNumber: placed.cartNumber, partIndex: 0, reason: 'Dispute 1', idempotencyKey: randomUUID() } }, operator);
    expect(res.data?.recordChargeback.userErrors).toEqual([]);
    const cb = res.data!.recordChargeback.chargeback!;
    const weights = [oa!.total - PRICE, ob!.total];
    expect(cb.shares.map((s) => [s.orderCode, s.amount.amount])).toEqual([
      [oa!.code, allocate(cb.amount.amount, weights)[0]],
      [ob!.code, allocate(cb.amount.amount, weights)[1]],
    ]);
  });
});

describe('a statement of a sale whose order changed later', () => {
  it('shows the sale with the figures frozen at checkout, and the item-unavailable reversal as a REFUND', async () => {
    const s = await seller('STFZ');
    const placed = await shop.place([['STFZ-S1', 2]]);
    await cancelLines(placed.orders[0]!.code, [{ position: 1, quantity: 1 }]);
    const res = await t.request(PayStatementDocument, { sellerId: s.id, from: today(), to: today(), first: 50 }, operator);
    expect(res.errors).toBeUndefined();
    const st = res.data!.sellerStatement;
    expect(st.movements.edges.map((e) => [e.node.type, e.node.amount.amount])).toEqual([
      ['SALE', 2 * PRICE],
      ['COMMISSION', -2 * COMMISSION],
      ['REFUND', -(PRICE - COMMISSION)],
    ]);
    expect(st.closingBalance.amount).toBe(PRICE - COMMISSION);
    expect(st.totals.map((x) => [x.type, x.amount.amount])).toEqual(
      expect.arrayContaining([
        ['SALE', 2 * PRICE],
        ['REFUND', -(PRICE - COMMISSION)],
      ]),
    );
  });
});

/** Waits until some backend is blocked by the backend `pid` (a lock wait on one of its rows). */
async function blockedBy(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await f.em().execute<{ pid: number }[]>('select pid from pg_stat_activity where ? = any(pg_blocking_pids(pid))', [pid]);
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('nothing waited on the test transaction');
}

describe('an edit racing a checkout for the same SKUs', () => {
  it('locks its removed and added SKUs in one pass in key order, so the two cannot deadlock', async () => {
    await seller('EDL', [{ code: 'S1' }, { code: 'S2' }]);
    const skus = await f.em().find(Sku, { code: { $in: ['EDL-S1', 'EDL-S2'] } });
    const [lo, hi] = [...skus].sort((a, b) => (a.id < b.id ? -1 : 1));
    // The order holds the SKU with the higher key; the edit swaps one unit for the lower one.
    const placed = await shop.place([[hi!.code, 2]]);
    const code = placed.orders[0]!.code;
    let edit: Promise<GraphQLResponse<RtEditOrderMutation>> | undefined;
    // The other side takes the two SKUs as checkout's stock step does: in key order.
    await t.app.runtime.orm.em.fork().transactional(async (tx) => {
      const [{ pid }] = await tx.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
      await lockSkusForStock(tx as EntityManager, [lo!.id]);
      edit = t.request(RtEditOrderDocument, { input: { orderCode: code, remove: [{ position: 1, quantity: 1 }], add: [{ skuCode: lo!.code, quantity: 1 }], idempotencyKey: randomUUID() } }, operator);
      await blockedBy(pid);
      await lockSkusForStock(tx as EntityManager, [lo!.id, hi!.id]);
    });
    const res = await edit!;
    expect(res.errors).toBeUndefined();
    expect(res.data?.editOrder.userErrors).toEqual([]);
    expect(res.data!.editOrder.order!.lines.map((l) => [l.skuCode, l.quantity, l.cancelledQuantity])).toEqual([
      [hi!.code, 2, 1],
      [lo!.code, 1, 0],
    ]);
  });
});

describe('one idempotency key sent at once for two orders', () => {
  it('changes one order; the other answers CONFLICT on the key, and only one refund is made', async () => {
    await seller('IKEY');
    const a = await shop.place([['IKEY-S1', 2]]);
    const b = await shop.place([['IKEY-S1', 2]]);
    const key = randomUUID();
    const send = (code: string) => t.request(RtCancelLinesDocument, { input: { orderCode: code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: key } }, operator);
    const answers = await Promise.all([send(a.orders[0]!.code), send(b.orders[0]!.code)]);
    expect(answers.map((r) => r.errors)).toEqual([undefined, undefined]);
    const errs = answers.map((r) => r.data!.cancelOrderLines.userErrors.map((e) => [e.code, e.field?.join('.')]));
    expect(errs.sort((x, y) => x.length - y.length)).toEqual([[], [['CONFLICT', 'input.idempotencyKey']]]);
    const [row] = await f.em().execute<{ n: string }[]>(
      `select count(*)::text as n from ledger_entry where kind = 'REFUND' and cart_number in (?, ?)`,
      [a.cartNumber, b.cartNumber],
    );
    expect(Number(row!.n)).toBe(1);
  });
});

describe('a second chargeback after a won dispute', () => {
  it('is booked as a chargeback of its own (one OPEN per part), and can be reversed in its turn', async () => {
    const s = await seller('CB2');
    const placed = await shop.place([['CB2-S1', 1]]);
    const input = () => ({ cartNumber: placed.cartNumber, partIndex: 0, reason: 'Dispute', idempotencyKey: randomUUID() });
    const first = await t.request(PayRecordChargebackDocument, { input: input() }, operator);
    expect(first.data?.recordChargeback.userErrors).toEqual([]);
    const won = await t.request(PayReverseChargebackDocument, { input: input() }, operator);
    expect(won.data?.reverseChargeback.chargeback?.status).toBe('REVERSED');
    const second = await t.request(PayRecordChargebackDocument, { input: input() }, operator);
    expect(second.errors).toBeUndefined();
    expect(second.data?.recordChargeback.userErrors).toEqual([]);
    const cb2 = second.data!.recordChargeback.chargeback!;
    expect(cb2.id).not.toBe(first.data!.recordChargeback.chargeback!.id);
    expect([cb2.status, cb2.amount.amount]).toEqual(['OPEN', placed.orders[0]!.total]);
    const list = await t.request(PayChargebacksDocument, { cartNumber: placed.cartNumber }, operator);
    expect(list.data!.chargebacks.edges.map((e) => e.node.status)).toEqual(['REVERSED', 'OPEN']);
    const [bal] = await f.em().execute<{ b: string }[]>(`select coalesce(sum(credit) - sum(debit), 0)::text as b from ledger_line where seller_id = ? and account = 'SELLER_PAYABLE'`, [s.id]);
    expect(Number(bal!.b)).toBe(PRICE - COMMISSION - placed.orders[0]!.total);
    const wonAgain = await t.request(PayReverseChargebackDocument, { input: input() }, operator);
    expect(wonAgain.data?.reverseChargeback.chargeback).toMatchObject({ id: cb2.id, status: 'REVERSED' });
  });
});

describe('release keys of different paths never meet', () => {
  it('a partial item-unavailable refund and a later whole cancellation each release under a key of their own, whatever the client keys contain', async () => {
    await seller('RKEY');
    const placed = await shop.place([['RKEY-S1', 2]]);
    const order = placed.orders[0]!;
    const x = randomUUID();
    // With the client's key first, these two wrote the same payment key (`cancel:<x>:lines:<order id>`).
    const partial = await t.request(RtCancelLinesDocument, { input: { orderCode: order.code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: `cancel:${x}` } }, operator);
    expect(partial.data?.cancelOrderLines.userErrors).toEqual([]);
    const whole = await t.request(CoCancelOrderDocument, { input: { orderCode: order.code, idempotencyKey: `${x}:lines` } }, operator);
    expect(whole.errors).toBeUndefined();
    expect(whole.data?.cancelOrder.userErrors).toEqual([]);
    expect(whole.data?.cancelOrder.order?.status).toBe('CANCELLED');
    const [row] = await f.em().execute<{ back: string }[]>(
      `select coalesce(sum(l.credit), 0)::text as back from ledger_entry e join ledger_line l on l.entry_id = e.id where e.cart_number = ? and e.kind = 'REFUND' and l.account = 'PAYMENT_PROVIDER'`,
      [placed.cartNumber],
    );
    expect(Number(row!.back)).toBe(order.total);
  });
});

describe('a refund made in the provider\'s back office', () => {
  async function postHook(hook: { headers: Record<string, string>; rawBody: string }) {
    const res = await fetch(t.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody });
    expect(res.status).toBe(200);
    return res.json();
  }
  const books = async (cartNumber: string) => {
    const rows = await f.em().execute<{ account: string; net: string }[]>(
      `select l.account, sum(l.debit - l.credit)::text as net from ledger_entry e join ledger_line l on l.entry_id = e.id where e.cart_number = ? group by l.account order by l.account`,
      [cartNumber],
    );
    return Object.fromEntries(rows.map((r) => [r.account, Number(r.net)]));
  };

  it('books the money that left once per reported total, borne by the operator; the ledger still nets to zero', async () => {
    await seller('BOFF');
    const placed = await shop.place([['BOFF-S1', 1]]);
    const tx = await f.em().findOneOrFail(PaymentTransaction, { cartNumber: placed.cartNumber }, { populate: ['parts'] });
    const part = tx.parts.getItems()[0]!;
    const sandbox = paymentProviders(t.app.runtime).sandbox!;
    const before = await books(placed.cartNumber);
    const refunded = (total: number) => sandbox.signWebhook({ id: randomUUID(), type: 'PAYMENT_REFUNDED', providerRef: part.providerRef!, method: 'CARD', refundedTotal: total });
    const first = await refunded(3_000);
    expect(await postHook(first)).toMatchObject({ result: 'APPLIED' });
    expect(await postHook(first)).toBeTruthy();
    expect(await postHook(await refunded(3_000))).toBeTruthy();
    expect(await postHook(await refunded(5_000))).toMatchObject({ result: 'APPLIED' });
    const after = await books(placed.cartNumber);
    expect(after.PAYMENT_PROVIDER).toBe(before.PAYMENT_PROVIDER! - 5_000);
    expect(after.COMMISSION_REVENUE).toBe(before.COMMISSION_REVENUE! + 5_000);
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(0);
    const [n] = await f.em().execute<{ n: string }[]>(`select count(*)::text as n from ledger_entry where cart_number = ? and reference like 'outside-refund:%'`, [placed.cartNumber]);
    expect(Number(n!.n)).toBe(2);
  });
});

describe('a payout run where one seller fails', () => {
  it('pays the other sellers, lists the failure for the operators, and pays the failed seller when the run is repeated', async () => {
    const pair = [await seller('PRF1'), await seller('PRF2')].sort((a, b) => (a.id < b.id ? -1 : 1));
    const [bad, good] = pair;
    for (const s of pair) {
      const placed = await shop.place([[`${s.concatenationCode}-S1`, 1]]);
      await shop.fulfil(placed.orders[0]!.id, daysAgo(25), daysAgo(20));
      await shop.receivables([placed.orders[0]!.id], ['SCHEDULED']);
    }
    // The first seller in the run's order cannot get a payout row (its bank file, say, is broken).
    await f.em().execute(`create or replace function money_review_refuse_payout() returns trigger language plpgsql as $$ begin raise exception 'payout refused for this seller'; end $$`);
    await f.em().execute(`create trigger money_review_refuse_payout before insert on payout for each row when (new.seller_id = '${bad!.id}') execute function money_review_refuse_payout()`);
    const input = { periodEnd: addDays(today(), -3), idempotencyKey: randomUUID() };
    try {
      const res = await t.request(PayRunDocument, { input }, operator);
      expect(res.errors).toBeUndefined();
      expect(res.data?.runPayouts.userErrors).toEqual([]);
      expect((await f.em().find(Payout, { seller: good!.id })).map((p) => p.amountCents)).toEqual([PRICE - COMMISSION]);
      expect(await f.em().count(Payout, { seller: bad!.id })).toBe(0);
      const [item] = await f.em().execute<{ failures: number; last_error: string }[]>(`select failures, last_error from attention_item where source = 'payout-run' and subject_id = ?`, [bad!.id]);
      expect(item).toMatchObject({ failures: 1, last_error: expect.stringMatching(/payout refused for this seller/) });
      expect((await f.em().findOneOrFail(PayoutRun, { idempotencyKey: input.idempotencyKey })).completedAt ?? null).toBeNull();
    } finally {
      await f.em().execute(`drop trigger if exists money_review_refuse_payout on payout`);
    }
    const again = await t.request(PayRunDocument, { input }, operator);
    expect(again.data?.runPayouts.userErrors).toEqual([]);
    expect((await f.em().find(Payout, { seller: { $in: pair.map((s) => s.id) } })).map((p) => p.amountCents)).toEqual([PRICE - COMMISSION, PRICE - COMMISSION]);
    expect((await f.em().findOneOrFail(PayoutRun, { idempotencyKey: input.idempotencyKey })).completedAt).toBeTruthy();
    expect(await f.em().count(AttentionItem, { source: 'payout-run', subjectId: bad!.id })).toBe(0);
  });
});

describe('an exchange\'s replacement order', () => {
  it('gets no receivable of its own — not from the consumer, not from a payout run — and the seller is paid once', async () => {
    const s = await seller('EXRC');
    const placed = await shop.place([['EXRC-S1', 1]]);
    const order = placed.orders[0]!;
    await shop.fulfil(order.id, daysAgo(3), daysAgo(1));
    const opened = await t.request(RtOpenReturnDocument, { input: { orderCode: order.code, lines: [{ position: 1, quantity: 1 }], reason: 'DOES_NOT_FIT' } }, operator);
    expect(opened.data?.openReturn.userErrors).toEqual([]);
    const returnCode = opened.data!.openReturn.return!.code;
    expect((await t.request(RtApproveReturnDocument, { input: { returnCode } }, operator)).data?.approveReturn.userErrors).toEqual([]);
    expect((await t.request(RtReceiveReturnDocument, { input: { returnCode, lines: [{ position: 1, resellableQuantity: 1 }] } }, operator)).data?.receiveReturn.userErrors).toEqual([]);
    const exchanged = await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: 'EXRC-S1', quantity: 1 }], idempotencyKey: randomUUID() } }, operator);
    expect(exchanged.data?.exchangeReturn.userErrors).toEqual([]);
    const replacement = exchanged.data!.exchangeReturn.return!.replacementOrder!;
    await t.app.events!.runOnce();
    expect(await f.em().count(Receivable, { order: replacement.id })).toBe(0);
    // A payout run brings the seller's receivables in line with its orders first: still none.
    expect((await t.request(PayRunDocument, { input: { periodEnd: today(), idempotencyKey: randomUUID() } }, operator)).data?.runPayouts.userErrors).toEqual([]);
    expect(await f.em().count(Receivable, { order: replacement.id })).toBe(0);
    expect((await f.em().find(Receivable, { seller: s.id })).map((r) => r.order?.id)).toEqual([order.id]);
  });
});
