import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startTestApp, type TestApp } from './helpers/app.js';
import { SKUS, assertCartBooks, buy, deliver, openShop, prefix, receivableInLedger, type Shop, type SkuCode } from './helpers/returns-shop.js';
import { RtApproveReturnDocument, RtCancelLinesDocument, RtEditOrderDocument, RtExchangeReturnDocument, RtOpenReturnDocument, RtOrderDocument, RtReceiveReturnDocument, RtRefundReturnDocument } from './generated/graphql.js';
import { OrderLine } from '../src/modules/orders/orders.entity.js';
import { PaymentTransaction } from '../src/modules/payments/index.js';
import { allocate } from '../src/shared/money/index.js';

/**
 * A property over random multi-seller carts (1–3 sellers, a coupon funded by the operator or by
 * the sellers, or none) and random sequences of partial cancellations, edits and returns (some
 * ending in an exchange): every
 * refund is exactly the frozen figures of the units it takes (the test's own reading of the rule),
 * a refused change moves no money, and after every sequence the books keep design.md's
 * identities to the centavo — every entry nets to zero, the shopper's account is settled,
 * sellers + commission + freight = captured − refunded, and each order's receivable in the
 * ledger is its lines' frozen receivable less the units taken out.
 *
 * Runs: RETURNS_PROPERTY_RUNS (default 25); a failure prints fast-check's seed and path to replay; the
 * end prints how many changes of each kind went through.
 */

const RUNS = Number(process.env.RETURNS_PROPERTY_RUNS ?? 25);
/** Changes that went through, by kind (the log's first word), printed at the end. */
const tally: Record<string, number> = {};
const CODES = Object.keys(SKUS) as SkuCode[];

let t: TestApp;
let shop: Shop;

beforeAll(async () => {
  t = await startTestApp();
  shop = await openShop(t);
}, 120_000);
afterAll(async () => t?.stop());

const cartArb = fc.record({
  lines: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...CODES), qty: fc.integer({ min: 1, max: 4 }) }), { selector: (l) => l.sku, minLength: 1, maxLength: 5 }),
  voucher: fc.constantFrom(null, 'SEED50', 'SELLER10'),
});
const opArb = fc.record({
  kind: fc.constantFrom('cancel', 'edit', 'return'),
  order: fc.nat(),
  line: fc.nat(),
  qty: fc.integer({ min: 1, max: 4 }),
  add: fc.option(fc.record({ sku: fc.nat(), qty: fc.integer({ min: 1, max: 2 }) }), { nil: null }),
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

async function frozenLines(orderId: string) {
  const lines = await shop.f.em().find(OrderLine, { order: orderId }, { orderBy: { position: 'asc' } });
  return lines.map((l) => ({
    position: l.position,
    skuCode: l.skuCode,
    taken: l.cancelledQuantity + l.returnedQuantity,
    left: l.quantity - l.cancelledQuantity - l.returnedQuantity,
    refunded: l.refundedCents,
    frozen: { quantity: l.quantity, merchandise: l.merchandiseCents, discount: l.discountCents, sellerFundedDiscount: l.sellerFundedDiscountCents, commissionBase: l.commissionBaseCents, commission: l.commissionCents },
    receivable: l.sellerReceivableCents,
  }));
}

const refunded = async (cartNumber: string) => (await shop.f.em().findOneOrFail(PaymentTransaction, { cartNumber })).refundedCents;
const slice = (frozen: Parameters<typeof prefix>[0], taken: number, n: number) => prefix(frozen, taken + n).refund - prefix(frozen, taken).refund;

/** Applies one operation through the API; returns what the buyer should have got back (0 when it must be refused). */
/** What exchanges leave besides the prefix rule: receivable kept per order, refund not given per line. */
interface Adjustments {
  receivable: Map<string, number>;
  refunded: Map<string, number>;
}

async function apply(cartNumber: string, orders: { id: string; code: string; sellerId: string }[], op: Op, log: string[], adjust: Adjustments): Promise<void> {
  const target = orders[op.order % orders.length]!;
  const now = (await t.request(RtOrderDocument, { code: target.code }, shop.tok.owner)).data!.order!;
  const lines = await frozenLines(target.id);
  const live = lines.filter((l) => l.left > 0);
  if (!live.length) return;
  const line = live[op.line % live.length]!;
  const qty = Math.min(op.qty, line.left);
  const before = await refunded(cartNumber);
  const unitsLeft = lines.reduce((s, l) => s + l.left, 0);

  if (op.kind === 'cancel') {
    const res = await t.request(RtCancelLinesDocument, { input: { orderCode: target.code, lines: [{ position: line.position, quantity: qty }], idempotencyKey: randomUUID() } }, shop.tok.owner);
    const errors = res.data!.cancelOrderLines.userErrors;
    if (now.status !== 'APPROVED') {
      expect(errors.map((e) => e.code)).toEqual(['CONFLICT']);
      expect(await refunded(cartNumber)).toBe(before);
      return;
    }
    expect(errors).toEqual([]);
    const expected = qty === unitsLeft ? now.total.amount : slice(line.frozen, line.taken, qty);
    expect(await refunded(cartNumber)).toBe(before + expected);
    log.push(`cancel ${target.code}#${line.position}×${qty} → ${expected}`);
    return;
  }

  if (op.kind === 'edit') {
    const sellerSkus = CODES.filter((c) => now.seller.concatenationCode ? c.startsWith(`${now.seller.concatenationCode}-`) : !c.includes('-'));
    const add = op.add ? [{ skuCode: sellerSkus[op.add.sku % sellerSkus.length]!, quantity: op.add.qty }] : [];
    const res = await t.request(RtEditOrderDocument, { input: { orderCode: target.code, remove: [{ position: line.position, quantity: qty }], add, idempotencyKey: randomUUID() } }, shop.tok.owner);
    const errors = res.data!.editOrder.userErrors;
    const out = slice(line.frozen, line.taken, qty);
    const inn = add.reduce((s, a) => s + SKUS[a.skuCode as SkuCode].price * a.quantity, 0);
    if (now.status !== 'APPROVED') expect(errors.map((e) => e.code)).toEqual(['CONFLICT']);
    else if (qty === unitsLeft && !add.length) expect(errors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    else if (inn > out) expect(errors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'add']]]);
    else {
      expect(errors).toEqual([]);
      expect(await refunded(cartNumber)).toBe(before + out - inn);
      log.push(`edit ${target.code}#${line.position}−${qty}+${inn} → ${out - inn}`);
      return;
    }
    expect(await refunded(cartNumber)).toBe(before);
    return;
  }

  // A return: the order is delivered first when it is still on its way.
  if (now.status === 'CANCELLED') return;
  if (now.status !== 'DELIVERED') await deliver(t, shop, target.code);
  const opened = await t.request(RtOpenReturnDocument, { input: { orderCode: target.code, lines: [{ position: line.position, quantity: qty }], reason: 'REGRET' } }, shop.tok.owner);
  expect(opened.data!.openReturn.userErrors).toEqual([]);
  const returnCode = opened.data!.openReturn.return!.code;
  expect((await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.owner)).data!.approveReturn.userErrors).toEqual([]);
  expect((await t.request(RtReceiveReturnDocument, { input: { returnCode } }, shop.tok.owner)).data!.receiveReturn.userErrors).toEqual([]);

  if (op.add) {
    // It ends in an exchange for one unit of a SKU of the same seller, when that is not dearer.
    const sellerSkus = CODES.filter((c) => (now.seller.concatenationCode ? c.startsWith(`${now.seller.concatenationCode}-`) : !c.includes('-')));
    const sku = sellerSkus[op.add.sku % sellerSkus.length]!;
    const value = SKUS[sku].price;
    const a = prefix(line.frozen, line.taken);
    const b = prefix(line.frozen, line.taken + qty);
    const merchandise = b.merchandise - a.merchandise;
    const exchanged = await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: sku, quantity: 1 }], idempotencyKey: randomUUID() } }, shop.tok.owner);
    if (value <= merchandise) {
      expect(exchanged.data!.exchangeReturn.userErrors).toEqual([]);
      const paid = b.refund - a.refund;
      const difference = paid - allocate(paid, [value, merchandise - value])[0]!;
      expect(exchanged.data!.exchangeReturn.return!.refunded.amount).toBe(difference);
      expect(await refunded(cartNumber)).toBe(before + difference);
      // The exchanged units stay paid to the seller, less the difference's share of seller and commission.
      const receivable = b.receivable - a.receivable;
      const kept = receivable - allocate(difference, [receivable, b.commission - a.commission])[0]!;
      adjust.receivable.set(target.id, (adjust.receivable.get(target.id) ?? 0) + kept);
      const key = `${target.id}#${line.position}`;
      adjust.refunded.set(key, (adjust.refunded.get(key) ?? 0) - (paid - difference));
      log.push(`exchange ${target.code}#${line.position}×${qty} for ${sku} → ${difference}`);
      return;
    }
    expect(exchanged.data!.exchangeReturn.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
  }
  const res = await t.request(RtRefundReturnDocument, { input: { returnCode, idempotencyKey: randomUUID() } }, shop.tok.owner);
  expect(res.data!.refundReturn.userErrors).toEqual([]);
  const expected = slice(line.frozen, line.taken, qty);
  expect(res.data!.refundReturn.return!.refunded.amount).toBe(expected);
  expect(await refunded(cartNumber)).toBe(before + expected);
  log.push(`return ${target.code}#${line.position}×${qty} → ${expected}`);
}

describe('money identities under random partial cancellations, edits and returns', () => {
  it(`hold to the centavo (${RUNS} runs)`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(cartArb, fc.array(opArb, { minLength: 1, maxLength: 5 }), async (cart, ops) => {
        runs += 1;
        const res = await buy(t, cart.lines.map((l) => [l.sku, l.qty] as [SkuCode, number]), { voucher: cart.voucher ?? undefined });
        const orders = res.orders!.map((o) => ({ id: o.id, code: o.code, sellerId: o.seller.id }));
        const log: string[] = [];
        const adjust: Adjustments = { receivable: new Map(), refunded: new Map() };
        for (const op of ops) await apply(res.cartNumber!, orders, op, log, adjust);
        for (const entry of log) tally[entry.split(' ')[0]!] = (tally[entry.split(' ')[0]!] ?? 0) + 1;

        await assertCartBooks(shop, res.cartNumber!);
        for (const o of orders) {
          const now = (await t.request(RtOrderDocument, { code: o.code }, shop.tok.owner)).data!.order!;
          const lines = await frozenLines(o.id);
          const expected = now.status === 'CANCELLED' ? 0 : lines.reduce((s, l) => s + l.receivable - prefix(l.frozen, l.taken).receivable, 0) + (adjust.receivable.get(o.id) ?? 0);
          expect(await receivableInLedger(shop, o.id, o.sellerId), `${o.code}: ${log.join('; ')}`).toBe(expected);
          if (now.status !== 'CANCELLED') for (const l of lines) expect(l.refunded, `${o.code}#${l.position}`).toBe(prefix(l.frozen, l.taken).refund + (adjust.refunded.get(`${o.id}#${l.position}`) ?? 0));
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(`[property] money identities held over ${runs} runs; changes applied: ${JSON.stringify(tally)}`);
    expect(runs).toBe(RUNS);
  }, 900_000);
});
