import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_SEAL } from '../src/shared/outbox/seal.js';
import { randomUUID } from 'node:crypto';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { assertCartBooks, buy, deliver, openShop, prefix, receivableInLedger, type Shop } from './helpers/returns-shop.js';
import {
  RtApproveReturnDocument,
  RtCancelLinesDocument,
  RtEditOrderDocument,
  RtExchangeReturnDocument,
  RtOpenReturnDocument,
  RtOrderDocument,
  RtReceiveReturnDocument,
  RtRefundReturnDocument,
  RtRejectReturnDocument,
  RtReturnDocument,
  RtReturnsDocument,
  RtSetReturnTrackingDocument,
  RtUpdateSettingsDocument,
} from './generated/graphql.js';
import { Sku } from '../src/modules/catalog/catalog.entity.js';
import { Order, OrderLine } from '../src/modules/orders/orders.entity.js';
import { ORDER_LINKS } from '../src/modules/orders/index.js';
import { LedgerEntry, LedgerEntryKind } from '../src/modules/finance/finance.entity.js';
import { PaymentTransaction } from '../src/modules/payments/index.js';
import { DomainEvent, runConsumer } from '../src/shared/events/index.js';
import { OutboxMessage } from '../src/shared/outbox/outbox.entity.js';
import { Return, returnEmailConsumer } from '../src/modules/returns/index.js';
import { allocate } from '../src/shared/money/index.js';

/**
 * Money after the order (issue 10) through GraphQL over HTTP on PostgreSQL: item unavailable,
 * edits, returns and exchanges, each refund exact to the centavo against the frozen figures,
 * and the books' identities after each. The refund figures are printed ("[figures] …") for the
 * closing note.
 */

let t: TestApp;
let shop: Shop;

beforeAll(async () => {
  t = await startTestApp();
  shop = await openShop(t);
}, 120_000);
afterAll(async () => t?.stop());

const key = () => randomUUID();
const stock = async (code: string) => (await shop.f.em().findOneOrFail(Sku, { code })).stock;
const tx = (cartNumber: string) => shop.f.em().findOneOrFail(PaymentTransaction, { cartNumber });
const order = async (code: string) => (await t.request(RtOrderDocument, { code }, shop.tok.owner)).data!.order!;
/** A line's frozen figures as stored (the seller-funded discount and commission base are not in the API). */
async function frozen(orderCode: string, position: number) {
  const l = await shop.f.em().findOneOrFail(OrderLine, { order: { code: orderCode }, position });
  return { quantity: l.quantity, merchandise: l.merchandiseCents, discount: l.discountCents, sellerFundedDiscount: l.sellerFundedDiscountCents, commissionBase: l.commissionBaseCents, commission: l.commissionCents, receivable: l.sellerReceivableCents };
}
const figures = (label: string, value: unknown) => console.log(`[figures] ${label}: ${JSON.stringify(value)}`);

describe('item unavailable (cancelOrderLines)', () => {
  it("refunds exactly those units' frozen merchandise − discount; the sibling order, the freight and the rest stay; the books hold", async () => {
    const res = await buy(t, [['ADM1', 1], ['ALFA-A1', 3], ['ALFA-A2', 1]], { voucher: 'SEED50', token: shop.tok.customer });
    const [adm, alfa] = res.orders!;
    const a1 = await frozen(alfa!.code, 1);
    const before = { a1Stock: await stock('ALFA-A1'), alfaReceivable: await receivableInLedger(shop, alfa!.id, shop.alfa.id) };
    const k = key();
    const cancel = () => t.request(RtCancelLinesDocument, { input: { orderCode: alfa!.code, lines: [{ position: 1, quantity: 2 }], idempotencyKey: k, note: 'Sem estoque' } }, shop.tok.alfaService);
    const done = await cancel();
    expect(done.data?.cancelOrderLines.userErrors).toEqual([]);
    const expected = prefix(a1, 2);
    const after = done.data!.cancelOrderLines.order!;
    expect(after.status).toBe('APPROVED');
    expect(after.total.amount).toBe(alfa!.total.amount - expected.refund);
    expect(after.freightShare.amount).toBe(alfa!.freightShare.amount);
    expect(after.lines[0]).toMatchObject({ quantity: 3, cancelledQuantity: 2, refunded: { amount: expected.refund } });
    expect(after.lines[1]).toMatchObject({ cancelledQuantity: 0, merchandise: alfa!.lines[1]!.merchandise, discountShare: alfa!.lines[1]!.discountShare });
    expect((await tx(res.cartNumber!)).refundedCents).toBe(expected.refund);
    expect(await stock('ALFA-A1')).toBe(before.a1Stock + 2);
    // The sibling order is untouched.
    expect(await order(adm!.code)).toMatchObject({ status: 'APPROVED', total: adm!.total, merchandise: adm!.merchandise });
    // The receivable shrinks by exactly those units' share; the books hold.
    expect(await receivableInLedger(shop, alfa!.id, shop.alfa.id)).toBe(before.alfaReceivable - expected.receivable);
    const books = await assertCartBooks(shop, res.cartNumber!);
    figures('item unavailable: 2 of 3 × ALFA-A1 (R$ 159,90, SEED50)', { refund: expected.refund, receivableBack: expected.receivable, captured: books.captured, refunded: books.refunded });
    // In the history, with its actor; the status stayed.
    expect((await order(alfa!.code)).history.at(-1)).toMatchObject({ action: 'CANCEL_LINES', from: 'APPROVED', to: 'APPROVED', reason: 'ITEM_UNAVAILABLE', actorKind: 'SELLER' });

    // The same key twice refunds once; the same key for another request is a CONFLICT.
    expect((await cancel()).data?.cancelOrderLines.userErrors).toEqual([]);
    expect((await tx(res.cartNumber!)).refundedCents).toBe(expected.refund);
    const other = await t.request(RtCancelLinesDocument, { input: { orderCode: alfa!.code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: k } }, shop.tok.alfaService);
    expect(other.data?.cancelOrderLines.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);

    // The last unit of the line: its share is the rest of the line, so the parts add up to the whole.
    const last = await t.request(RtCancelLinesDocument, { input: { orderCode: alfa!.code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: key() } }, shop.tok.owner);
    expect(last.data?.cancelOrderLines.order?.lines[0]).toMatchObject({ cancelledQuantity: 3, refunded: { amount: a1.merchandise - a1.discount } });
    await assertCartBooks(shop, res.cartNumber!);
  });

  it('cancelling every unit left is the whole cancellation: the freight goes back too', async () => {
    const res = await buy(t, [['ADM1', 1], ['ALFA-A2', 2]]);
    const alfa = res.orders![1]!;
    expect((await t.request(RtCancelLinesDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaErp)).data?.cancelOrderLines.userErrors).toEqual([]);
    const all = await t.request(RtCancelLinesDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaErp);
    expect(all.data?.cancelOrderLines.order).toMatchObject({ status: 'CANCELLED' });
    expect((await tx(res.cartNumber!)).refundedCents).toBe(alfa.total.amount);
    expect(await receivableInLedger(shop, alfa.id, shop.alfa.id)).toBe(0);
    await assertCartBooks(shop, res.cartNumber!);
    figures('item unavailable then the last unit: whole ALFA order', { refunded: alfa.total.amount, freight: alfa.freightShare.amount });
  });

  it('is refused after shipping, to roles the table does not name, for another seller\'s order and beyond the units left', async () => {
    const res = await buy(t, [['ALFA-A2', 1], ['BETA-B2', 1]]);
    const [alfa, beta] = res.orders!;
    const cancel = (code: string, token: string, quantity = 1) => t.request(RtCancelLinesDocument, { input: { orderCode: code, lines: [{ position: 1, quantity }], idempotencyKey: key() } }, token);
    expect(codes(await cancel(alfa!.code, shop.tok.alfaFinance))).toEqual(['FORBIDDEN']);
    expect(codes(await cancel(alfa!.code, shop.tok.customer))).toEqual(['FORBIDDEN']);
    expect((await cancel(beta!.code, shop.tok.alfaOwner)).data?.cancelOrderLines.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'orderCode']]]);
    expect((await cancel(alfa!.code, shop.tok.alfaOwner, 2)).data?.cancelOrderLines.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    await shop.f.em().nativeUpdate(Order, { code: alfa!.code }, { status: 'SHIPPED' as never });
    expect((await cancel(alfa!.code, shop.tok.alfaOwner)).data?.cancelOrderLines.userErrors.map((e) => [e.code, e.message])).toEqual([['CONFLICT', `Order ${alfa!.code} is shipped and cannot be partly cancelled.`]]);
    expect((await tx(res.cartNumber!)).refundedCents).toBe(0);
  });
});

describe('order edits (editOrder)', () => {
  it("refuses another seller's SKU and changes nothing", async () => {
    const res = await buy(t, [['ALFA-A1', 1]]);
    const alfa = res.orders![0]!;
    const before = { b1: await stock('BETA-B1'), a1: await stock('ALFA-A1') };
    const edit = await t.request(RtEditOrderDocument, { input: { orderCode: alfa.code, remove: [{ position: 1, quantity: 1 }], add: [{ skuCode: 'BETA-B2', quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaOwner);
    expect(edit.data?.editOrder.userErrors).toEqual([{ code: 'BAD_USER_INPUT', field: ['input', 'add', '0', 'skuCode'], message: "BETA-B2 is not sold by Alfa Modas: an order holds only its own seller's SKUs." }]);
    const now = await order(alfa.code);
    expect([now.total, now.lines.length, now.lines[0]!.cancelledQuantity]).toEqual([alfa.total, 1, 0]);
    expect({ b1: await stock('BETA-B1'), a1: await stock('ALFA-A1') }).toEqual(before);
    expect((await tx(res.cartNumber!)).refundedCents).toBe(0);
    expect(now.history.map((h) => h.action)).not.toContain('EDIT');
  });

  it('a swap for a cheaper SKU refunds the difference; untouched lines keep their frozen shares; the added line has no discount', async () => {
    const res = await buy(t, [['ADM1', 1], ['ALFA-A1', 1], ['ALFA-A2', 1]], { voucher: 'SEED50' });
    const alfa = res.orders![1]!;
    const a1 = await frozen(alfa.code, 1);
    const edit = await t.request(
      RtEditOrderDocument,
      { input: { orderCode: alfa.code, remove: [{ position: 1, quantity: 1 }], add: [{ skuCode: 'ALFA-A3', quantity: 2 }], idempotencyKey: key() } },
      shop.tok.alfaService,
    );
    expect(edit.data?.editOrder.userErrors).toEqual([]);
    const after = edit.data!.editOrder.order!;
    const refund = prefix(a1, 1).refund - 2 * 1_999;
    expect((await tx(res.cartNumber!)).refundedCents).toBe(refund);
    expect(after.total.amount).toBe(alfa.total.amount - refund);
    expect(after.lines[1]).toMatchObject({ merchandise: alfa.lines[1]!.merchandise, discountShare: alfa.lines[1]!.discountShare, freightShare: alfa.lines[1]!.freightShare, cancelledQuantity: 0 });
    expect(after.lines[2]).toMatchObject({ position: 3, skuCode: 'ALFA-A3', quantity: 2, addedByEdit: true, merchandise: { amount: 3_998 }, discountShare: { amount: 0 } });
    await assertCartBooks(shop, res.cartNumber!);
    figures('edit: ALFA-A1 (SEED50 share) swapped for 2 × ALFA-A3', { refund });
  });

  it('refuses a higher total with a clear error and changes nothing', async () => {
    const res = await buy(t, [['ALFA-A2', 1]]);
    const alfa = res.orders![0]!;
    const edit = await t.request(RtEditOrderDocument, { input: { orderCode: alfa.code, add: [{ skuCode: 'ALFA-A3', quantity: 1 }], idempotencyKey: key() } }, shop.tok.owner);
    expect(edit.data?.editOrder.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'add']]]);
    expect(edit.data?.editOrder.userErrors[0]!.message).toMatch(/never raise it/);
    expect((await order(alfa.code)).total).toEqual(alfa.total);
  });
});

describe('returns', () => {
  it("a return of one line refunds that line's frozen share exactly; the order stays DELIVERED; code ALFA-R<n>", async () => {
    const res = await buy(t, [['ADM1', 1], ['ALFA-A1', 1], ['ALFA-A2', 3]], { voucher: 'SEED50', token: shop.tok.customer });
    const alfa = res.orders![1]!;
    await deliver(t, shop, alfa.code);
    const a2 = await frozen(alfa.code, 2);
    const opened = await t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 2, quantity: 2 }], reason: 'REGRET', description: 'Não gostei' } }, shop.tok.customer);
    expect(opened.data?.openReturn.userErrors).toEqual([]);
    const ret = opened.data!.openReturn.return!;
    expect(ret.code).toMatch(/^ALFA-R\d+$/);
    expect(ret).toMatchObject({ status: 'REQUESTED', orderCode: alfa.code, lines: [{ position: 2, skuCode: 'ALFA-A2', quantity: 2, resellableQuantity: null }] });
    const returnCode = ret.code;
    expect((await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.alfaService)).data?.approveReturn.return?.status).toBe('APPROVED');
    const tracked = await t.request(RtSetReturnTrackingDocument, { input: { returnCode, carrier: 'Correios', trackingCode: 'LR123456789BR', trackingUrl: 'https://rastreio.example/LR123456789BR' } }, shop.tok.alfaErp);
    expect(tracked.data?.setReturnTracking.return?.tracking).toEqual({ carrier: 'Correios', code: 'LR123456789BR', url: 'https://rastreio.example/LR123456789BR' });
    // Its ERP integration reads the return code with the concatenation code, its SKU codes raw.
    const seenByErp = (await t.request(RtReturnDocument, { code: returnCode }, shop.tok.alfaErp)).data?.return;
    expect(seenByErp).toMatchObject({ code: returnCode, orderCode: alfa.code, lines: [{ skuCode: 'A2' }] });
    expect((await t.request(RtReturnsDocument, { status: 'APPROVED' }, shop.tok.alfaErp)).data?.returns.edges.map((e) => e.node.code)).toContain(returnCode);
    const a2Stock = await stock('ALFA-A2');
    const received = await t.request(RtReceiveReturnDocument, { input: { returnCode, lines: [{ position: 2, resellableQuantity: 1 }] } }, shop.tok.alfaService);
    expect(received.data?.receiveReturn.return).toMatchObject({ status: 'RECEIVED', lines: [{ position: 2, quantity: 2, resellableQuantity: 1 }] });
    expect(await stock('ALFA-A2')).toBe(a2Stock + 1);

    const receivable = await receivableInLedger(shop, alfa.id, shop.alfa.id);
    const k = key();
    const refunded = await t.request(RtRefundReturnDocument, { input: { returnCode, idempotencyKey: k } }, shop.tok.alfaService);
    expect(refunded.data?.refundReturn.userErrors).toEqual([]);
    const expected = prefix(a2, 2);
    expect(refunded.data!.refundReturn.return).toMatchObject({ status: 'REFUNDED', refunded: { amount: expected.refund }, freightRefunded: { amount: 0 } });
    expect((await tx(res.cartNumber!)).refundedCents).toBe(expected.refund);
    expect(await receivableInLedger(shop, alfa.id, shop.alfa.id)).toBe(receivable - expected.receivable);
    expect(await shop.f.em().count(LedgerEntry, { orderId: alfa.id, kind: LedgerEntryKind.RETURN })).toBe(1);
    const books = await assertCartBooks(shop, res.cartNumber!);
    figures('return: 2 of 3 × ALFA-A2 (R$ 49,90, SEED50)', { refund: expected.refund, receivableBack: expected.receivable, captured: books.captured, refunded: books.refunded });
    // The same key again refunds nothing more.
    expect((await t.request(RtRefundReturnDocument, { input: { returnCode, idempotencyKey: k } }, shop.tok.alfaService)).data?.refundReturn.return?.status).toBe('REFUNDED');
    expect((await tx(res.cartNumber!)).refundedCents).toBe(expected.refund);
    const now = await order(alfa.code);
    expect(now.status).toBe('DELIVERED');
    expect(now.lines[1]).toMatchObject({ returnedQuantity: 2, refunded: { amount: expected.refund } });
    expect(now.returns).toEqual([{ code: returnCode, status: 'REFUNDED' }]);
    const history = (await t.request(RtReturnDocument, { code: returnCode }, shop.tok.owner)).data!.return!.history;
    expect(history.map((h) => [h.action, h.from, h.to, h.actorKind])).toEqual([
      ['OPEN', null, 'REQUESTED', 'CUSTOMER'],
      ['APPROVE', 'REQUESTED', 'APPROVED', 'SELLER'],
      ['TRACK', 'APPROVED', 'APPROVED', 'INTEGRATION'],
      ['RECEIVE', 'APPROVED', 'RECEIVED', 'SELLER'],
      ['REFUND', 'RECEIVED', 'REFUNDED', 'SELLER'],
    ]);
    // Each change wrote its domain event, with the return's code and seller.
    const events = await shop.f.em().find(DomainEvent, { aggregateType: 'return', aggregateCode: returnCode }, { orderBy: { position: 'asc' } });
    expect(events.map((e) => [e.type, e.sellerId])).toEqual(
      ['return.opened', 'return.approved', 'return.tracking_updated', 'return.received', 'return.refunded'].map((type) => [type, shop.alfa.id]),
    );
    // The last unit of the line: with the two before, exactly the whole line.
    const rest = await t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 2, quantity: 1 }], reason: 'DEFECTIVE' } }, shop.tok.owner);
    const restCode = rest.data!.openReturn.return!.code;
    await t.request(RtApproveReturnDocument, { input: { returnCode: restCode } }, shop.tok.owner);
    await t.request(RtReceiveReturnDocument, { input: { returnCode: restCode } }, shop.tok.owner);
    // Operator staff decide to give the freight back with it.
    const withFreight = await t.request(RtRefundReturnDocument, { input: { returnCode: restCode, refundFreight: true, idempotencyKey: key() } }, shop.tok.owner);
    expect(withFreight.data?.refundReturn.return).toMatchObject({ refunded: { amount: a2.merchandise - a2.discount - expected.refund }, freightRefunded: { amount: alfa.freightShare.amount } });
    await assertCartBooks(shop, res.cartNumber!);
  });

  it('two concurrent refunds of one return refund once', async () => {
    const res = await buy(t, [['BETA-B1', 2]]);
    const beta = res.orders![0]!;
    await deliver(t, shop, beta.code);
    const opened = await t.request(RtOpenReturnDocument, { input: { orderCode: beta.code, lines: [{ position: 1, quantity: 1 }], reason: 'DAMAGED' } }, shop.tok.betaService);
    const returnCode = opened.data!.openReturn.return!.code;
    expect(returnCode).toMatch(/^BETA-R\d+$/);
    await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.betaService);
    await t.request(RtReceiveReturnDocument, { input: { returnCode } }, shop.tok.betaService);
    const answers = await Promise.all([key(), key(), key()].map((k) => t.request(RtRefundReturnDocument, { input: { returnCode, idempotencyKey: k } }, shop.tok.betaOwner)));
    for (const a of answers) expect(a.data?.refundReturn).toMatchObject({ userErrors: [], return: { status: 'REFUNDED' } });
    const line = await frozen(beta.code, 1);
    expect((await tx(res.cartNumber!)).refundedCents).toBe(prefix(line, 1).refund);
    expect(await shop.f.em().count(LedgerEntry, { orderId: beta.id, kind: LedgerEntryKind.REFUND })).toBe(1);
    await assertCartBooks(shop, res.cartNumber!);
    figures('return: 1 of 2 × BETA-B1 (R$ 250,00), three refunds at once', { refund: prefix(line, 1).refund });
  });

  it('a signed order link lets an anonymous buyer open a return of that order only', async () => {
    const res = await buy(t, [['ALFA-A2', 1], ['BETA-B2', 1]]);
    const [alfa, beta] = res.orders!;
    await deliver(t, shop, alfa!.code);
    await deliver(t, shop, beta!.code);
    const links = t.app.runtime.services.get(ORDER_LINKS);
    const token = links.sign(alfa!.id, new Date(Date.now() + 3600_000));
    const open = (input: Record<string, unknown>) => t.request(RtOpenReturnDocument, { input: { lines: [{ position: 1, quantity: 1 }], reason: 'WRONG_ITEM', ...input } as never });
    // Without the link the order does not exist for an anonymous caller.
    expect((await open({ orderCode: beta!.code })).data?.openReturn.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect((await open({ orderLinkToken: `${token.slice(0, -2)}xx` })).data?.openReturn.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'orderLinkToken']]]);
    const opened = await open({ orderLinkToken: token });
    expect(opened.data?.openReturn.userErrors).toEqual([]);
    expect(opened.data?.openReturn.return).toMatchObject({ orderCode: alfa!.code, status: 'REQUESTED', history: [{ action: 'OPEN', actorKind: 'ANONYMOUS', actorLabel: 'shopper (order link)' }] });
    // The link names one order: the same request cannot also name another.
    expect((await open({ orderLinkToken: token, orderCode: beta!.code })).data?.openReturn.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
  });

  it("a seller's user holding a buyer's order link opens no return with it: the link stands for the buyer", async () => {
    const res = await buy(t, [['ALFA-A2', 1]]);
    const alfa = res.orders![0]!;
    await deliver(t, shop, alfa.code);
    const token = t.app.runtime.services.get(ORDER_LINKS).sign(alfa.id, new Date(Date.now() + 3600_000));
    const open = (who: string) => t.request(RtOpenReturnDocument, { input: { orderLinkToken: token, lines: [{ position: 1, quantity: 1 }], reason: 'WRONG_ITEM' } }, who);
    // Another seller's owner and the order's own catalog user: the link grants them nothing.
    for (const who of [shop.tok.betaOwner, shop.tok.alfaCatalog]) {
      const refused = await open(who);
      expect(refused.data?.openReturn?.return ?? null).toBeNull();
      // Refused either by the field rule (a catalog user opens no return) or by the service.
      const code = refused.data?.openReturn?.userErrors[0]?.code ?? codes(refused)[0];
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code);
    }
    expect(await shop.f.em().count(Return, { order: alfa.id })).toBe(0);
  });

  it('opens within the store\'s return window from delivery; operator staff may open after it; the window is a store setting', async () => {
    const res = await buy(t, [['ALFA-A3', 1]], { token: shop.tok.customer });
    const alfa = res.orders![0]!;
    await deliver(t, shop, alfa.code, new Date(Date.now() - 10 * 24 * 3600_000));
    const open = (token: string) => t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], reason: 'REGRET' } }, token);
    const late = await open(shop.tok.customer);
    expect(late.data?.openReturn.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    expect(late.data?.openReturn.userErrors[0]!.message).toMatch(/return window .* \(7 days after delivery\) closed/);
    expect((await t.request(RtUpdateSettingsDocument, { input: { returnWindowDays: 3 } }, shop.tok.owner)).data?.updateMarketplaceSettings.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    expect((await t.request(RtUpdateSettingsDocument, { input: { returnWindowDays: 15 } }, shop.tok.owner)).data?.updateMarketplaceSettings.marketplaceSettings?.returnWindowDays).toBe(15);
    try {
      expect((await open(shop.tok.customer)).data?.openReturn.userErrors).toEqual([]);
      // Every unit is in an open return now: none left to return again.
      expect((await open(shop.tok.owner)).data?.openReturn.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await t.request(RtUpdateSettingsDocument, { input: { returnWindowDays: 7 } }, shop.tok.owner);
    }
  });

  it("seller A cannot see, approve or refund seller B's return", async () => {
    const res = await buy(t, [['BETA-B2', 2]], { token: shop.tok.customer });
    const beta = res.orders![0]!;
    await deliver(t, shop, beta.code);
    const returnCode = (await t.request(RtOpenReturnDocument, { input: { orderCode: beta.code, lines: [{ position: 1, quantity: 1 }], reason: 'DAMAGED' } }, shop.tok.customer)).data!.openReturn.return!.code;
    expect((await t.request(RtReturnDocument, { code: returnCode }, shop.tok.alfaOwner)).data?.return).toBeNull();
    expect((await t.request(RtReturnDocument, { code: returnCode }, shop.tok.otherCustomer)).data?.return).toBeNull();
    const approve = await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.alfaOwner);
    expect(approve.data?.approveReturn.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'returnCode']]]);
    const listed = await t.request(RtReturnsDocument, {}, shop.tok.alfaOwner);
    expect(listed.data?.returns.edges.map((e) => e.node.code)).not.toContain(returnCode);
    expect(codes(await t.request(RtReturnsDocument, { sellerId: shop.beta.id }, shop.tok.alfaOwner))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.customer))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.alfaFinance))).toEqual(['FORBIDDEN']);
    // Its own seller approves and receives; seller A still cannot refund it.
    await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.betaService);
    await t.request(RtReceiveReturnDocument, { input: { returnCode } }, shop.tok.betaService);
    const refund = await t.request(RtRefundReturnDocument, { input: { returnCode, idempotencyKey: key() } }, shop.tok.alfaOwner);
    expect(refund.data?.refundReturn.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect((await tx(res.cartNumber!)).refundedCents).toBe(0);
    expect((await t.request(RtReturnsDocument, { orderCode: beta.code }, shop.tok.customer)).data?.returns.edges.map((e) => e.node.code)).toEqual([returnCode]);
  });

  it('follows its table: a rejected return moves no further and frees its units; a requested one cannot be received', async () => {
    const res = await buy(t, [['ALFA-A2', 1]], { token: shop.tok.customer });
    const alfa = res.orders![0]!;
    await deliver(t, shop, alfa.code);
    const open = () => t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], reason: 'OTHER' } }, shop.tok.customer);
    const first = (await open()).data!.openReturn.return!.code;
    expect((await t.request(RtReceiveReturnDocument, { input: { returnCode: first } }, shop.tok.alfaOwner)).data?.receiveReturn.userErrors.map((e) => [e.code, e.message])).toEqual([
      ['CONFLICT', `Return ${first} is requested and cannot be received.`],
    ]);
    expect((await t.request(RtRejectReturnDocument, { input: { returnCode: first, reason: 'Fora da política' } }, shop.tok.alfaOwner)).data?.rejectReturn.return?.status).toBe('REJECTED');
    expect((await t.request(RtRefundReturnDocument, { input: { returnCode: first, idempotencyKey: key() } }, shop.tok.alfaOwner)).data?.refundReturn.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    expect((await open()).data?.openReturn.userErrors).toEqual([]);
  });
});

describe('exchanges', () => {
  it('an exchange for the same value moves no money and pays the seller once', async () => {
    const res = await buy(t, [['ADM1', 1], ['ALFA-A2', 2]], { token: shop.tok.customer });
    const alfa = res.orders![1]!;
    await deliver(t, shop, alfa.code);
    const returnCode = (await t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], reason: 'DOES_NOT_FIT' } }, shop.tok.customer)).data!.openReturn.return!.code;
    await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.alfaService);
    await t.request(RtReceiveReturnDocument, { input: { returnCode } }, shop.tok.alfaService);
    const before = { receivable: await receivableInLedger(shop, alfa.id, shop.alfa.id), entries: await shop.f.em().count(LedgerEntry, {}), a2: await stock('ALFA-A2') };
    const k = key();
    const exchanged = await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: 'ALFA-A2', quantity: 1 }], idempotencyKey: k } }, shop.tok.alfaService);
    expect(exchanged.data?.exchangeReturn.userErrors).toEqual([]);
    const ret = exchanged.data!.exchangeReturn.return!;
    const replacement = ret.replacementOrder!;
    expect(ret).toMatchObject({ status: 'EXCHANGED', refunded: { amount: 0 } });
    expect(replacement.code).toMatch(/^ALFA-\d+-1$/);
    expect(replacement.cartNumber).not.toBe(res.cartNumber);
    expect(replacement).toMatchObject({ status: 'APPROVED', total: { amount: 0 }, freightShare: { amount: 0 }, replacesOrder: { code: alfa.code }, lines: [{ skuCode: 'ALFA-A2', quantity: 1 }] });
    // No money, no new receivable: the ledger did not move, the seller is paid once (by the original order).
    expect((await tx(res.cartNumber!)).refundedCents).toBe(0);
    expect(await shop.f.em().count(LedgerEntry, {})).toBe(before.entries);
    expect(await receivableInLedger(shop, alfa.id, shop.alfa.id)).toBe(before.receivable);
    expect(await receivableInLedger(shop, replacement.id, shop.alfa.id)).toBe(0);
    expect(await shop.f.em().count(LedgerEntry, { orderId: replacement.id })).toBe(0);
    expect(await stock('ALFA-A2')).toBe(before.a2 - 1);
    await assertCartBooks(shop, res.cartNumber!);
    expect((await order(replacement.code)).history.map((h) => [h.action, h.to])).toEqual([['PLACE_REPLACEMENT', 'APPROVED']]);
    // Once: the same call again places nothing new.
    expect((await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: 'ALFA-A2', quantity: 1 }], idempotencyKey: k } }, shop.tok.alfaService)).data?.exchangeReturn.return?.replacementOrder?.code).toBe(replacement.code);
    expect(await shop.f.em().count(Order, { replacesOrderId: alfa.id })).toBe(1);
    // A replacement carries no money of its own: it is not cancelled on its own.
    expect((await t.request(RtCancelLinesDocument, { input: { orderCode: replacement.code, lines: [{ position: 1, quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaService)).data?.cancelOrderLines.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    figures('exchange: 1 × ALFA-A2 for 1 × ALFA-A2', { refunded: 0, receivable: before.receivable });
  });

  it('a like-for-like swap bought with a coupon refunds nothing; the discount carries over to a cheaper replacement in proportion', async () => {
    const res = await buy(t, [['ALFA-A2', 2]], { voucher: 'SEED50' });
    const alfa = res.orders![0]!;
    await deliver(t, shop, alfa.code);
    const line = await frozen(alfa.code, 1);
    const open = async () => {
      const code = (await t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], reason: 'DOES_NOT_FIT' } }, shop.tok.alfaService)).data!.openReturn.return!.code;
      await t.request(RtApproveReturnDocument, { input: { returnCode: code } }, shop.tok.alfaService);
      await t.request(RtReceiveReturnDocument, { input: { returnCode: code } }, shop.tok.alfaService);
      return code;
    };
    const same = await t.request(RtExchangeReturnDocument, { input: { returnCode: await open(), lines: [{ skuCode: 'ALFA-A2', quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaService);
    expect(same.data?.exchangeReturn.return).toMatchObject({ status: 'EXCHANGED', refunded: { amount: 0 } });
    expect((await tx(res.cartNumber!)).refundedCents).toBe(0);
    // The second unit (the line's last) for ALFA-A3: paid minus the replacement's proportional share.
    const paid = prefix(line, 2).refund - prefix(line, 1).refund;
    const cheaper = await t.request(RtExchangeReturnDocument, { input: { returnCode: await open(), lines: [{ skuCode: 'ALFA-A3', quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaService);
    const expected = paid - allocate(paid, [1_999, 4_990 - 1_999])[0]!;
    expect(cheaper.data?.exchangeReturn.return).toMatchObject({ status: 'EXCHANGED', refunded: { amount: expected } });
    expect((await tx(res.cartNumber!)).refundedCents).toBe(expected);
    await assertCartBooks(shop, res.cartNumber!);
    figures('exchange with SEED50: ALFA-A2 for ALFA-A2, then ALFA-A2 for ALFA-A3', { paid, refunded: expected });
  });

  it('a dearer replacement is refused; a cheaper one refunds the difference with its entries', async () => {
    const res = await buy(t, [['ALFA-A2', 1]]);
    const alfa = res.orders![0]!;
    await deliver(t, shop, alfa.code);
    const returnCode = (await t.request(RtOpenReturnDocument, { input: { orderCode: alfa.code, lines: [{ position: 1, quantity: 1 }], reason: 'DOES_NOT_FIT' } }, shop.tok.alfaService)).data!.openReturn.return!.code;
    await t.request(RtApproveReturnDocument, { input: { returnCode } }, shop.tok.alfaService);
    await t.request(RtReceiveReturnDocument, { input: { returnCode } }, shop.tok.alfaService);
    const dearer = await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: 'ALFA-A1', quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaService);
    expect(dearer.data?.exchangeReturn.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'lines']]]);
    const other = await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: 'BETA-B2', quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaService);
    expect(other.data?.exchangeReturn.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    const receivable = await receivableInLedger(shop, alfa.id, shop.alfa.id);
    const cheaper = await t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: 'ALFA-A3', quantity: 1 }], idempotencyKey: key() } }, shop.tok.alfaService);
    expect(cheaper.data?.exchangeReturn.userErrors).toEqual([]);
    const difference = 4_990 - 1_999;
    expect(cheaper.data!.exchangeReturn.return).toMatchObject({ status: 'EXCHANGED', refunded: { amount: difference } });
    expect((await tx(res.cartNumber!)).refundedCents).toBe(difference);
    const line = await frozen(alfa.code, 1);
    const taken = receivable - (await receivableInLedger(shop, alfa.id, shop.alfa.id));
    // The difference leaves the seller's share and the commission in proportion.
    expect(taken).toBe(Math.round((difference * line.receivable) / (line.receivable + line.commission)));
    await assertCartBooks(shop, res.cartNumber!);
    figures('exchange: ALFA-A2 (R$ 49,90) for ALFA-A3 (R$ 19,99)', { refunded: difference, receivableBack: taken });
  });
});

describe('e-mails for returns and exchanges', () => {
  it('the consumer turns every return event into a Portuguese e-mail to the buyer, once', async () => {
    const orm = t.app.runtime.orm;
    // A consumer reads events below the oldest transaction still running (shared/events): give
    // the last test's transactions a moment to leave that horizon.
    // Payloads are sealed at rest (issue 12): opened here as the outbox worker opens them.
    const seal = t.app.runtime.services.get(OUTBOX_SEAL);
    const mailsNow = async () => (await shop.f.em().find(OutboxMessage, { topic: { $like: 'return.%' } })).map((m) => Object.assign(m, { payload: seal.open(m.payload) }));
    const hasDifference = (ms: OutboxMessage[]) => ms.some((m) => m.topic === 'return.exchanged' && String((m.payload as { text: string }).text).includes('R$ 29,91'));
    let handled = 0;
    // Drain until the exchange's mail exists and a run finds nothing more: events of the last
    // transactions may cross the horizon one poll later than the exchange's.
    for (let i = 0, last = -1; i < 50 && (last !== 0 || !hasDifference(await mailsNow())); i++) {
      last = await runConsumer(orm, returnEmailConsumer, 1_000);
      handled += last;
      if (last === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(handled).toBeGreaterThan(10);
    const mails = await mailsNow();
    const subjects = mails.map((m) => String((m.payload as { subject: string }).subject));
    for (const s of ['aberta', 'aprovada', 'recusada', 'rastreio', 'itens recebidos', 'reembolso feito', 'troca confirmada']) expect(subjects.some((x) => x.includes(s)), s).toBe(true);
    expect(mails.every((m) => (m.payload as { to: string }).to === 'maria@example.com')).toBe(true);
    const exchangeTexts = mails.filter((m) => m.topic === 'return.exchanged').map((m) => String((m.payload as { text: string }).text));
    expect(exchangeTexts.some((text) => /A diferença de R\$ 29,91 foi estornada/.test(text)), exchangeTexts.join('\n---\n')).toBe(true);
    // Run again: nothing new to mail.
    expect(await runConsumer(orm, returnEmailConsumer, 1_000)).toBe(0);
    expect(await shop.f.em().count(OutboxMessage, { topic: { $like: 'return.%' } })).toBe(mails.length);
  });
});

describe('hostile input', () => {
  it('is answered with userErrors or a refusal, never an internal error', async () => {
    const res = await buy(t, [['ALFA-A2', 2]], { token: shop.tok.customer });
    const alfa = res.orders![0]!;
    const nul = 'A\u0000B';
    const long = 'x'.repeat(5_000);
    const big = 2_147_483_647;
    const calls: [string, () => Promise<{ errors?: { extensions?: { code?: string } }[] }>][] = [];
    const as = (token: string) => token;
    for (const orderCode of [nul, long, alfa.code]) {
      for (const lines of [[{ position: 1, quantity: big }], [{ position: -1, quantity: -5 }], [], [{ position: 1, quantity: 1 }, { position: 1, quantity: 1 }]]) {
        calls.push([`cancelLines ${orderCode.length}`, () => t.request(RtCancelLinesDocument, { input: { orderCode, lines, idempotencyKey: key(), note: nul } }, as(shop.tok.owner))]);
        calls.push([`edit ${orderCode.length}`, () => t.request(RtEditOrderDocument, { input: { orderCode, remove: lines, add: [{ skuCode: nul, quantity: big }, { skuCode: long, quantity: 0 }], idempotencyKey: key() } }, shop.tok.owner)]);
        calls.push([`open ${orderCode.length}`, () => t.request(RtOpenReturnDocument, { input: { orderCode, lines, reason: 'OTHER', description: nul } }, shop.tok.customer)]);
        calls.push([`open by link`, () => t.request(RtOpenReturnDocument, { input: { orderLinkToken: orderCode, lines, reason: 'OTHER' } })]);
      }
    }
    for (const returnCode of [nul, long, 'ALFA-R999999999']) {
      calls.push(['approve', () => t.request(RtApproveReturnDocument, { input: { returnCode, note: nul } }, shop.tok.owner)]);
      calls.push(['reject', () => t.request(RtRejectReturnDocument, { input: { returnCode, reason: long } }, shop.tok.owner)]);
      calls.push(['track', () => t.request(RtSetReturnTrackingDocument, { input: { returnCode, carrier: nul, trackingCode: long, trackingUrl: 'javascript:alert(1)' } }, shop.tok.owner)]);
      calls.push(['receive', () => t.request(RtReceiveReturnDocument, { input: { returnCode, lines: [{ position: big, resellableQuantity: -1 }] } }, shop.tok.owner)]);
      calls.push(['refund', () => t.request(RtRefundReturnDocument, { input: { returnCode, idempotencyKey: nul } }, shop.tok.owner)]);
      calls.push(['exchange', () => t.request(RtExchangeReturnDocument, { input: { returnCode, lines: [{ skuCode: nul, quantity: big }], idempotencyKey: key() } }, shop.tok.owner)]);
      calls.push(['return', () => t.request(RtReturnDocument, { code: returnCode }, shop.tok.owner)]);
      calls.push(['returns', () => t.request(RtReturnsDocument, { orderCode: returnCode }, shop.tok.owner)]);
    }
    for (const [name, call] of calls) expect(codes((await call()) as never), name).not.toContain('INTERNAL_SERVER_ERROR');
    // Nothing moved.
    expect((await tx(res.cartNumber!)).refundedCents).toBe(0);
    expect((await order(alfa.code)).lines[0]).toMatchObject({ cancelledQuantity: 0, returnedQuantity: 0 });
  });
});
