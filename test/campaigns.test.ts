import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import {
  AddCartLineDocument,
  ApplyVoucherDocument,
  CampCartDocument,
  CampCheckoutDocument,
  CampCreateDocument,
  CampForSellerDocument,
  CampJoinDocument,
  CampLeaveDocument,
  CampListDocument,
  CampOpenDocument,
  CampOrderDocument,
  CampProductPriceDocument,
  CampProductsDocument,
  CampResultsDocument,
  CampSellerIdsDocument,
  CampUpdateDocument,
  CartTestPromotionDocument,
  CartTestShippingTableDocument,
  CreateCartDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  type CampaignChangesInput,
  type CampaignKind,
  type PaymentPartInput,
} from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Services } from '../src/shared/runtime/index.js';
import { CLOCK, type Clock } from '../src/shared/time/index.js';
import { allocate } from '../src/shared/money/index.js';
import { settleLine } from '../src/modules/finance/index.js';
import { LedgerAccount, LedgerEntry, LedgerLine } from '../src/modules/finance/finance.entity.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/*
 * Campaigns sellers opt into (issue 16, design.md "Campaigns"), through GraphQL over HTTP.
 * The app runs on a clock the test sets, so "inside the period" and "a second after the end"
 * are exact instants, not sleeps.
 */

const figures = (label: string, value: unknown) => console.log(`[figures] ${label}: ${JSON.stringify(value)}`);

const T0 = new Date('2027-03-01T12:00:00Z');
const STARTS = new Date('2027-03-10T00:00:00Z');
const ENDS = new Date('2027-03-12T00:00:00Z');
const INSIDE = new Date('2027-03-11T15:30:00Z');
const clock: Clock & { at: Date } = { at: T0, now() { return this.at; } };

const FREIGHT = 2_999;
const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
const card = (installments = 1, amount?: number): PaymentPartInput => ({ method: 'CARD', installments, amount, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111' } });
const pix = (amount?: number): PaymentPartInput => ({ method: 'PIX', amount });

let t: TestApp;
let f: Factory;
let alfa: Seller;
let beta: Seller;
let tok: { owner: string; support: string; alfaCatalog: string; alfaService: string; alfaIntegration: string; betaOwner: string };
const ids: Record<'price' | 'cash' | 'shared' | 'freight', string> = { price: '', cash: '', shared: '', freight: '' };

async function create(kind: CampaignKind, input: CampaignChangesInput, token = tok.owner) {
  return t.request(CampCreateDocument, { input: { kind, startsAt: STARTS.toISOString(), endsAt: ENDS.toISOString(), ...input } }, token);
}

async function cart(lines: [string, number][], voucher?: string): Promise<string> {
  const created = await t.request(CreateCartDocument, {});
  const token = created.data!.createCart.token!;
  for (const [sku, quantity] of lines) expect((await t.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity })).data?.addCartLine.userErrors).toEqual([]);
  expect((await t.request(SetBuyerDocument, { cartToken: token, input: buyer })).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken: token, input: address })).data?.setShippingAddress.userErrors).toEqual([]);
  if (voucher) expect((await t.request(ApplyVoucherDocument, { cartToken: token, code: voucher })).data?.applyVoucher.userErrors).toEqual([]);
  return token;
}

async function checkout(cartToken: string, parts: PaymentPartInput[]) {
  const res = await t.request(CampCheckoutDocument, { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts } } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.checkout.userErrors).toEqual([]);
  const out = res.data!.checkout;
  const orders = await Promise.all(out.orders!.map(async (o) => (await t.request(CampOrderDocument, { code: o.code }, tok.owner)).data!.order!));
  return { cartNumber: out.cartNumber!, amount: out.payment!.amount.amount, orders };
}

async function books(cartNumber: string) {
  const em = f.em();
  const entries = await em.find(LedgerEntry, { cartNumber });
  const lines = await em.find(LedgerLine, { entry: { $in: entries.map((e) => e.id) } });
  const credit = (a: LedgerAccount) => lines.filter((l) => l.account === a).reduce((s, l) => s + l.credit, 0);
  const debit = (a: LedgerAccount) => lines.filter((l) => l.account === a).reduce((s, l) => s + l.debit, 0);
  return {
    debits: lines.reduce((s, l) => s + l.debit, 0),
    credits: lines.reduce((s, l) => s + l.credit, 0),
    credit,
    debit,
  };
}

beforeAll(async () => {
  t = await startTestApp({}, { overrides: new Services().set(CLOCK, clock) });
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  await c.product(alfa, { sellerCode: 'CAMISA', skus: [{ code: 'P1', price: 15_990, stock: 100, weight: 3_000 }] });
  await c.product(alfa, { sellerCode: 'CANECA', skus: [{ code: 'C1', price: 9_990, stock: 100, weight: 500 }] });
  await c.product(alfa, { sellerCode: 'TENIS', skus: [{ code: 'S1', price: 33_333, stock: 100, weight: 1_000 }] });
  await c.product(alfa, { sellerCode: 'MEIA', skus: [{ code: 'X1', price: 1_990, stock: 100, weight: 100 }] });
  await c.product(beta, { sellerCode: 'FONE', skus: [{ code: 'F1', price: 25_000, stock: 100, weight: 250 }] });
  await c.product(beta, { sellerCode: 'CABO', skus: [{ code: 'B2', price: 10_000, stock: 100, weight: 250 }] });
  tok = {
    owner: (await f.operator(UserRole.OWNER)).token,
    support: (await f.operator(UserRole.SUPPORT)).token,
    alfaCatalog: (await f.user({ seller: alfa, role: UserRole.CATALOG })).token,
    alfaService: (await f.user({ seller: alfa, role: UserRole.SERVICE })).token,
    alfaIntegration: (await f.integration({ seller: alfa })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
  };
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 6 }] } },
    tok.owner,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
  const voucher = await t.request(CartTestPromotionDocument, { input: { name: 'Cinquenta reais', kind: 'FIXED', value: 5_000, code: 'CAMP50' } }, tok.owner);
  expect(voucher.data?.createPromotion.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

describe('operator staff create campaigns', () => {
  it('refuses what is not operator owners/admins, and bad terms as userErrors naming the field', async () => {
    const bySeller = await create('PRICE', { name: 'X', discountType: 'PERCENTAGE', minDiscount: 500, maxDiscount: 2_000 }, tok.alfaCatalog);
    expect(bySeller.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bySupport = await create('PRICE', { name: 'X', discountType: 'PERCENTAGE', minDiscount: 500, maxDiscount: 2_000 }, tok.support);
    expect(bySupport.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bad = await create('PAYMENT_METHOD', { name: ' ', discountType: 'PERCENTAGE', minDiscount: 3_000, maxDiscount: 20_000, funding: 'SHARED', endsAt: STARTS.toISOString() });
    expect(bad.errors).toBeUndefined();
    expect(bad.data!.createCampaign.campaign).toBeNull();
    expect(bad.data!.createCampaign.userErrors.map((e) => e.field?.join('.')).sort()).toEqual(
      ['input.endsAt', 'input.maxDiscount', 'input.name', 'input.operatorSharePercent', 'input.paymentMethod'].sort(),
    );
    const sharedFreight = await create('FREIGHT', { name: 'Frete', discountType: 'PERCENTAGE', minDiscount: 1, maxDiscount: 10_000, funding: 'SHARED', operatorSharePercent: 50 });
    expect(sharedFreight.data!.createCampaign.userErrors.map((e) => e.field?.join('.'))).toEqual(['input.funding']);
  });

  it('creates drafts, changes them, opens them for joining; open terms are fixed', async () => {
    const price = await create('PRICE', { name: 'Semana do cliente', discountType: 'PERCENTAGE', minDiscount: 500, maxDiscount: 2_000, maxSkusPerSeller: 2 });
    expect(price.data!.createCampaign.userErrors).toEqual([]);
    expect(price.data!.createCampaign.campaign).toMatchObject({ status: 'DRAFT', funding: 'SELLER', publishedAt: null });
    ids.price = price.data!.createCampaign.campaign!.id;
    const cash = await create('CASH_PRICE', { name: 'Preço à vista', discountType: 'FIXED', minDiscount: 500, maxDiscount: 2_000 });
    ids.cash = cash.data!.createCampaign.campaign!.id;
    const shared = await create('PRICE', { name: 'Dividido', discountType: 'PERCENTAGE', minDiscount: 1_000, maxDiscount: 3_000, funding: 'SHARED', operatorSharePercent: 30 });
    ids.shared = shared.data!.createCampaign.campaign!.id;
    const freight = await create('FREIGHT', { name: 'Frete pela metade', discountType: 'PERCENTAGE', minDiscount: 1_000, maxDiscount: 10_000, sellerIds: [beta.id] });
    expect(freight.data!.createCampaign.userErrors).toEqual([]);
    ids.freight = freight.data!.createCampaign.campaign!.id;

    const renamed = await t.request(CampUpdateDocument, { id: ids.price, input: { name: 'Semana do Cliente' } }, tok.owner);
    expect(renamed.data!.updateCampaign.campaign).toMatchObject({ name: 'Semana do Cliente', minDiscount: 500, maxSkusPerSeller: 2 });

    for (const id of Object.values(ids)) {
      const opened = await t.request(CampOpenDocument, { id }, tok.owner);
      expect(opened.data!.openCampaign.userErrors).toEqual([]);
      expect(opened.data!.openCampaign.campaign!.status).toBe('OPEN');
    }
    const late = await t.request(CampUpdateDocument, { id: ids.price, input: { maxDiscount: 5_000 } }, tok.owner);
    expect(late.data!.updateCampaign.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    const list = await t.request(CampListDocument, { status: 'OPEN' }, tok.support);
    expect(list.data!.campaigns.totalCount).toBe(4);
  });
});

describe('sellers join campaigns open to them', () => {
  it('lists the campaigns open to a seller: invitations are respected, the invited list is the operator\'s', async () => {
    const alfaSees = await t.request(CampForSellerDocument, {}, tok.alfaCatalog);
    expect(alfaSees.data!.sellerCampaigns.edges.map((e) => e.node.id).sort()).toEqual([ids.price, ids.cash, ids.shared].sort());
    const betaSees = await t.request(CampForSellerDocument, {}, tok.betaOwner);
    expect(betaSees.data!.sellerCampaigns.edges.map((e) => e.node.id)).toContain(ids.freight);
    const peek = await t.request(CampSellerIdsDocument, {}, tok.betaOwner);
    expect(peek.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const widen = await t.request(CampForSellerDocument, { seller: beta.id }, tok.alfaCatalog);
    expect(widen.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const service = await t.request(CampForSellerDocument, {}, tok.alfaService);
    expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("refuses another seller's SKU and a discount outside the bounds, and changes nothing", async () => {
    const foreign = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1', 'BETA-F1'], discount: 1_000 } }, tok.alfaCatalog);
    expect(foreign.data!.joinCampaign.userErrors).toEqual([{ code: 'BAD_USER_INPUT', field: ['input', 'skuCodes', '1'], message: 'BETA-F1 belongs to another seller: a seller joins only with its own SKUs.' }]);
    const outside = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1'], discount: 2_001 } }, tok.alfaCatalog);
    expect(outside.data!.joinCampaign.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'discount'] })]);
    const below = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1'], discount: 499 } }, tok.alfaCatalog);
    expect(below.data!.joinCampaign.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'discount'] })]);
    const tooMany = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1', 'ALFA-C1', 'ALFA-X1'], discount: 1_000 } }, tok.alfaCatalog);
    expect(tooMany.data!.joinCampaign.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'skuCodes'] })]);
    const notInvited = await t.request(CampJoinDocument, { input: { campaignId: ids.freight, skuCodes: ['ALFA-P1'], discount: 5_000 } }, tok.alfaCatalog);
    expect(notInvited.errors?.[0]).toMatchObject({ message: 'Campaign "Frete pela metade" is not open to Alfa Modas.', extensions: { code: 'FORBIDDEN' } });
    const asService = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1'], discount: 1_000 } }, tok.alfaService);
    expect(asService.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const mine = await t.request(CampForSellerDocument, {}, tok.alfaCatalog);
    expect(mine.data!.sellerCampaigns.edges.flatMap((e) => e.node.mySkus)).toEqual([]);
  });

  it('joins with its own SKUs, changes and leaves before the start; the integration joins with raw codes', async () => {
    const first = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1', 'ALFA-X1'], discount: 500 } }, tok.alfaCatalog);
    expect(first.data!.joinCampaign.userErrors).toEqual([]);
    const changed = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-P1'], discount: 1_000 } }, tok.alfaCatalog);
    expect(changed.data!.joinCampaign.skus).toEqual([{ skuCode: 'ALFA-P1', discount: 1_000, listPrice: { amount: 15_990 }, campaignPrice: { amount: 14_391 } }]);

    expect((await t.request(CampJoinDocument, { input: { campaignId: ids.cash, skuCodes: ['ALFA-C1', 'ALFA-X1'], discount: 1_000 } }, tok.alfaCatalog)).data!.joinCampaign.userErrors).toEqual([]);
    expect((await t.request(CampLeaveDocument, { campaignId: ids.cash }, tok.alfaCatalog)).data!.leaveCampaign.userErrors).toEqual([]);
    const cash = await t.request(CampJoinDocument, { input: { campaignId: ids.cash, skuCodes: ['ALFA-C1'], discount: 1_000 } }, tok.alfaCatalog);
    expect(cash.data!.joinCampaign.skus).toEqual([{ skuCode: 'ALFA-C1', discount: 1_000, listPrice: { amount: 9_990 }, campaignPrice: { amount: 8_990 } }]);

    const shared = await t.request(CampJoinDocument, { input: { campaignId: ids.shared, skuCodes: ['S1'], discount: 1_500 } }, tok.alfaIntegration);
    expect(shared.data!.joinCampaign.userErrors).toEqual([]);
    expect(shared.data!.joinCampaign.skus).toEqual([{ skuCode: 'S1', discount: 1_500, listPrice: { amount: 33_333 }, campaignPrice: { amount: 28_334 } }]);

    const freight = await t.request(CampJoinDocument, { input: { campaignId: ids.freight, skuCodes: ['BETA-F1'], discount: 5_000 } }, tok.betaOwner);
    expect(freight.data!.joinCampaign.userErrors).toEqual([]);

    // Operator staff may act for a seller, naming it.
    const mine = await t.request(CampForSellerDocument, { seller: alfa.id }, tok.owner);
    expect(mine.data!.sellerCampaigns.edges.find((e) => e.node.id === ids.price)!.node.mySkus.map((s) => s.skuCode)).toEqual(['ALFA-P1']);
  });

  it('from the start, joining, changing and leaving are refused', async () => {
    clock.at = INSIDE;
    const late = await t.request(CampJoinDocument, { input: { campaignId: ids.price, skuCodes: ['ALFA-X1'], discount: 1_000 } }, tok.alfaCatalog);
    expect(late.data!.joinCampaign.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'campaignId'] })]);
    const leave = await t.request(CampLeaveDocument, { campaignId: ids.price }, tok.alfaCatalog);
    expect(leave.data!.leaveCampaign.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    const running = await t.request(CampListDocument, { status: 'RUNNING' }, tok.owner);
    expect(running.data!.campaigns.totalCount).toBe(4);
  });
});

describe('campaign prices at checkout', () => {
  it("a checkout inside the period charges the campaign price and lowers that seller's receivable by its funded part, to the centavo", async () => {
    clock.at = INSIDE;
    const token = await cart([['ALFA-P1', 2]]);
    const view = (await t.request(CampCartDocument, { token })).data!.cart!;
    expect(view.lines[0]).toMatchObject({ unitPrice: { amount: 15_990 }, campaignName: 'Semana do Cliente', campaignDiscount: { amount: 3_198 }, campaignPrice: { amount: 14_391 } });
    expect(view.totals).toMatchObject({ merchandise: { amount: 31_980 }, campaignDiscount: { amount: 3_198 }, discount: { amount: 3_198 }, total: { amount: 31_980 - 3_198 + FREIGHT } });

    const { cartNumber, amount, orders } = await checkout(token, [card()]);
    const [order] = orders;
    expect(amount).toBe(31_980 - 3_198 + FREIGHT);
    const line = order!.lines[0]!;
    expect(line).toMatchObject({ unitPrice: { amount: 15_990 }, campaignId: ids.price, campaignDiscount: { amount: 3_198 }, campaignPrice: { amount: 14_391 }, discountShare: { amount: 3_198 } });
    expect(order).toMatchObject({ merchandise: { amount: 31_980 }, campaignDiscount: { amount: 3_198 }, sellerFundedDiscount: { amount: 3_198 }, freightShare: { amount: FREIGHT } });
    const settled = settleLine({ merchandiseCents: 31_980, sellerFundedDiscountCents: 3_198, rateBps: line.commissionBps! });
    const listPriced = settleLine({ merchandiseCents: 31_980, sellerFundedDiscountCents: 0, rateBps: line.commissionBps! });
    expect(order!.commission!.amount).toBe(settled.commissionCents);
    expect(order!.sellerReceivable!.amount).toBe(settled.receivableCents);
    expect(settled.baseCents).toBe(31_980 - 3_198);
    const b = await books(cartNumber);
    expect(b.debits).toBe(b.credits);
    expect(b.credit(LedgerAccount.SELLER_PAYABLE)).toBe(settled.receivableCents);
    expect(b.debit(LedgerAccount.COMMISSION_REVENUE)).toBe(0); // nothing of it is the operator's
    expect(b.credit(LedgerAccount.SELLER_PAYABLE) + b.credit(LedgerAccount.COMMISSION_REVENUE) - b.debit(LedgerAccount.COMMISSION_REVENUE) + b.credit(LedgerAccount.FREIGHT_REVENUE)).toBe(amount);
    figures('PRICE 10% SELLER: 2 × ALFA-P1 (R$ 159,90) inside the period', {
      listPrice: 15_990, campaignPrice: 14_391, campaignDiscount: 3_198, total: amount, commissionBps: line.commissionBps,
      receivable: settled.receivableCents, receivableAtListPrice: listPriced.receivableCents, receivableLowerBy: listPriced.receivableCents - settled.receivableCents,
    });
  });

  it('a checkout a second after the end charges the list price', async () => {
    clock.at = new Date(ENDS.getTime() + 1_000);
    try {
      const token = await cart([['ALFA-P1', 2]]);
      const view = (await t.request(CampCartDocument, { token })).data!.cart!;
      expect(view.lines[0]).toMatchObject({ campaignName: null, campaignDiscount: { amount: 0 }, campaignPrice: { amount: 15_990 } });
      const { amount, orders } = await checkout(token, [card()]);
      expect(amount).toBe(31_980 + FREIGHT);
      expect(orders[0]!.lines[0]).toMatchObject({ campaignId: null, campaignDiscount: { amount: 0 }, campaignPrice: { amount: 15_990 } });
      figures('PRICE campaign, a second after the end: 2 × ALFA-P1', { total: amount, campaignDiscount: 0 });
      // At the end instant exactly the campaign is already over (the end is exclusive).
      clock.at = ENDS;
      const atEnd = (await t.request(CampCartDocument, { token: await cart([['ALFA-P1', 1]]) })).data!.cart!;
      expect(atEnd.totals.campaignDiscount.amount).toBe(0);
      clock.at = new Date(ENDS.getTime() - 1_000);
      const before = (await t.request(CampCartDocument, { token: await cart([['ALFA-P1', 1]]) })).data!.cart!;
      expect(before.totals.campaignDiscount.amount).toBe(1_599);
    } finally {
      clock.at = INSIDE;
    }
  });

  it('a cash-price campaign applies with Pix alone and not with Pix + card in installments', async () => {
    const token = await cart([['ALFA-C1', 1]]);
    const view = (await t.request(CampCartDocument, { token })).data!.cart!;
    // No payment chosen: the cash price shows per payment option, not in the cart's total.
    expect(view.totals).toMatchObject({ campaignDiscount: { amount: 0 }, total: { amount: 9_990 + FREIGHT } });
    expect(view.paymentOptions).toEqual(
      expect.arrayContaining([
        { method: 'PIX', installments: 1, discount: { amount: 1_000 }, campaignDiscount: { amount: 1_000 }, total: { amount: 8_990 + FREIGHT } },
        { method: 'CARD', installments: 1, discount: { amount: 1_000 }, campaignDiscount: { amount: 1_000 }, total: { amount: 8_990 + FREIGHT } },
      ]),
    );
    const withPix = await checkout(token, [pix()]);
    expect(withPix.amount).toBe(8_990 + FREIGHT);
    expect(withPix.orders[0]).toMatchObject({ campaignDiscount: { amount: 1_000 }, sellerFundedDiscount: { amount: 1_000 } });

    const mixed = await checkout(await cart([['ALFA-C1', 1]]), [pix(5_000), card(3, 9_990 + FREIGHT - 5_000)]);
    expect(mixed.amount).toBe(9_990 + FREIGHT);
    expect(mixed.orders[0]).toMatchObject({ campaignDiscount: { amount: 0 }, discountShare: { amount: 0 } });
    figures('CASH_PRICE R$ 10,00/unit: 1 × ALFA-C1 (R$ 99,90)', { pixAlone: withPix.amount, pixPlusCardIn3: mixed.amount, campaignPrice: 8_990 });
  });

  it("a seller-funded freight campaign leaves the operator's freight revenue whole", async () => {
    const token = await cart([['BETA-F1', 1]]);
    const view = (await t.request(CampCartDocument, { token })).data!.cart!;
    const fd = Math.floor((FREIGHT * 5_000) / 10_000);
    expect(view.groups[0]).toMatchObject({ freightShare: { amount: FREIGHT }, freightDiscount: { amount: fd }, discountShare: { amount: fd }, total: { amount: 25_000 - fd + FREIGHT } });
    const { cartNumber, amount, orders } = await checkout(token, [card()]);
    const order = orders[0]!;
    expect(amount).toBe(25_000 + FREIGHT - fd);
    expect(order).toMatchObject({ freightShare: { amount: FREIGHT }, freightDiscount: { amount: fd }, sellerFundedDiscount: { amount: fd }, campaignDiscount: { amount: 0 } });
    const settled = settleLine({ merchandiseCents: 25_000, sellerFundedDiscountCents: fd, rateBps: order.lines[0]!.commissionBps! });
    expect(order.sellerReceivable!.amount).toBe(settled.receivableCents);
    const b = await books(cartNumber);
    expect(b.debits).toBe(b.credits);
    expect(b.credit(LedgerAccount.FREIGHT_REVENUE)).toBe(FREIGHT);
    expect(b.debit(LedgerAccount.COMMISSION_REVENUE)).toBe(0);
    expect(b.credit(LedgerAccount.SELLER_PAYABLE)).toBe(settled.receivableCents);
    figures('FREIGHT 50% SELLER: 1 × BETA-F1 (R$ 250,00), freight R$ 29,99', { freightRevenue: FREIGHT, freightDiscount: fd, buyerPaysFreight: FREIGHT - fd, total: amount, receivable: settled.receivableCents });
  });

  it('a SHARED campaign splits the discount by the largest remainder and the ledger still nets to zero', async () => {
    const token = await cart([['ALFA-S1', 3]]);
    const { cartNumber, amount, orders } = await checkout(token, [card()]);
    const order = orders[0]!;
    const unit = Math.floor((33_333 * 1_500) / 10_000); // 4999.95 → 4999
    const discount = unit * 3;
    const [sellerPart, operatorPart] = allocate(discount, [70, 30]);
    expect([unit, discount, sellerPart, operatorPart]).toEqual([4_999, 14_997, 10_498, 4_499]);
    expect(order).toMatchObject({ campaignDiscount: { amount: discount }, sellerFundedDiscount: { amount: sellerPart } });
    expect(order.lines[0]).toMatchObject({ campaignPrice: { amount: 28_334 }, campaignDiscount: { amount: discount } });
    const b = await books(cartNumber);
    expect(b.debits).toBe(b.credits);
    expect(b.debit(LedgerAccount.COMMISSION_REVENUE)).toBe(operatorPart);
    expect(b.credit(LedgerAccount.SELLER_PAYABLE) + b.credit(LedgerAccount.COMMISSION_REVENUE) - b.debit(LedgerAccount.COMMISSION_REVENUE) + b.credit(LedgerAccount.FREIGHT_REVENUE)).toBe(amount);
    figures('SHARED 15% (operator 30%): 3 × ALFA-S1 (R$ 333,33)', { campaignPrice: 28_334, discount, sellerPart, operatorPart, total: amount, receivable: order.sellerReceivable!.amount });
  });

  it('a voucher on a cart with campaign lines prorates over the discounted merchandise', async () => {
    const token = await cart([['ALFA-P1', 2], ['BETA-B2', 1]], 'CAMP50');
    const { amount, orders } = await checkout(token, [card()]);
    const [alfaOrder, betaOrder] = orders;
    const nets = [31_980 - 3_198, 10_000];
    const shares = allocate(5_000, nets);
    expect(shares).toEqual([3_711, 1_289]);
    expect(alfaOrder).toMatchObject({ seller: { id: alfa.id }, campaignDiscount: { amount: 3_198 }, discountShare: { amount: 3_198 + 3_711 } });
    expect(betaOrder).toMatchObject({ seller: { id: beta.id }, campaignDiscount: { amount: 0 }, discountShare: { amount: 1_289 } });
    expect(alfaOrder!.sellerFundedDiscount!.amount).toBe(3_198); // the voucher is the operator's
    expect(amount).toBe(31_980 + 10_000 - 3_198 - 5_000 + FREIGHT);
    figures('CAMP50 voucher over 2 × ALFA-P1 at campaign price + 1 × BETA-B2', { voucherShares: shares, alfaDiscount: 3_198 + 3_711, total: amount });
  });
});

describe('the storefront shows campaign prices', () => {
  it('on products and SKUs beside the list price, and lists a campaign\'s products; after the end, none', async () => {
    clock.at = INSIDE;
    const camisa = (await t.request(CampProductPriceDocument, { code: 'ALFA-CAMISA' })).data!.product!;
    expect(camisa.campaignPrice).toMatchObject({ campaignId: ids.price, kind: 'PRICE', listPrice: { amount: 15_990 }, price: { amount: 14_391 }, endsAt: ENDS.toISOString() });
    expect(camisa.skus.edges[0]!.node).toMatchObject({ code: 'ALFA-P1', campaignPrice: { kind: 'PRICE', listPrice: { amount: 15_990 }, price: { amount: 14_391 } } });
    const caneca = (await t.request(CampProductPriceDocument, { code: 'ALFA-CANECA' })).data!.product!;
    expect(caneca.campaignPrice).toMatchObject({ kind: 'CASH_PRICE', price: { amount: 8_990 } });
    const meia = (await t.request(CampProductPriceDocument, { code: 'ALFA-MEIA' })).data!.product!;
    expect(meia.campaignPrice).toBeNull();
    // A freight campaign does not change a price.
    expect((await t.request(CampProductPriceDocument, { code: 'BETA-FONE' })).data!.product!.campaignPrice).toBeNull();

    const listed = await t.request(CampProductsDocument, { campaignId: ids.price });
    expect(listed.data!.campaignProducts.edges.map((e) => e.node.code)).toEqual(['ALFA-CAMISA']);
    const draft = await create('PRICE', { name: 'Rascunho', discountType: 'FIXED', minDiscount: 1, maxDiscount: 10 });
    const hidden = await t.request(CampProductsDocument, { campaignId: draft.data!.createCampaign.campaign!.id });
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    clock.at = ENDS;
    try {
      expect((await t.request(CampProductPriceDocument, { code: 'ALFA-CAMISA' })).data!.product!.campaignPrice).toBeNull();
    } finally {
      clock.at = INSIDE;
    }
  });
});

describe("a campaign's results", () => {
  it('for the operator and for each seller: orders, units, gross, discount borne, from the frozen figures', async () => {
    const price = (await t.request(CampResultsDocument, { campaignId: ids.price }, tok.owner)).data!.campaignResults;
    // Inside the period: 2 × ALFA-P1 alone, and 2 × ALFA-P1 beside the voucher; the checkout after the end is not counted.
    const priceRow = { sellerId: alfa.id, orders: 2, units: 4, gross: { amount: 63_960 }, discount: { amount: 6_396 }, sellerBorne: { amount: 6_396 }, operatorBorne: { amount: 0 } };
    expect(price.sellers).toEqual([priceRow]);
    expect(price.total).toEqual({ ...priceRow, sellerId: null });

    const shared = (await t.request(CampResultsDocument, { campaignId: ids.shared }, tok.owner)).data!.campaignResults.total;
    expect(shared).toMatchObject({ orders: 1, units: 3, gross: { amount: 99_999 }, discount: { amount: 14_997 }, sellerBorne: { amount: 10_498 }, operatorBorne: { amount: 4_499 } });
    const freight = (await t.request(CampResultsDocument, { campaignId: ids.freight }, tok.betaOwner)).data!.campaignResults;
    expect(freight.total).toMatchObject({ sellerId: beta.id, orders: 1, units: 1, gross: { amount: 25_000 }, discount: { amount: 1_499 }, sellerBorne: { amount: 1_499 } });
    const cash = (await t.request(CampResultsDocument, { campaignId: ids.cash }, tok.alfaCatalog)).data!.campaignResults.total;
    expect(cash).toMatchObject({ orders: 1, units: 1, discount: { amount: 1_000 } });

    // A seller sees only its own part; naming another seller, or lacking the role, is refused.
    const betaOnPrice = (await t.request(CampResultsDocument, { campaignId: ids.price }, tok.betaOwner)).data!.campaignResults;
    expect(betaOnPrice).toEqual({ total: { sellerId: beta.id, orders: 0, units: 0, gross: { amount: 0 }, discount: { amount: 0 }, sellerBorne: { amount: 0 }, operatorBorne: { amount: 0 } }, sellers: [] });
    expect((await t.request(CampResultsDocument, { campaignId: ids.price, seller: alfa.id }, tok.betaOwner)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.request(CampResultsDocument, { campaignId: ids.price }, tok.alfaService)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.request(CampResultsDocument, { campaignId: ids.price }, tok.support)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    figures('campaign results', { price: price.total, shared, freight: freight.total });
  });
});

describe('property: random carts with random campaign lines through the real checkout', () => {
  it('order totals sum to the transaction amount, the books net to zero and credit exactly what was paid, shares stay exact', async () => {
    const fc = (await import('fast-check')).default;
    const c = new CatalogFactory(f);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            price: fc.integer({ min: 1, max: 90_000 }),
            weight: fc.integer({ min: 0, max: 5_000 }),
            quantity: fc.integer({ min: 1, max: 3 }),
            bps: fc.option(fc.integer({ min: 1, max: 10_000 })),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.option(fc.integer({ min: 1, max: 99 })),
        fc.option(fc.integer({ min: 1, max: 20_000 })),
        async (lines, operatorShare, voucher) => {
          run += 1;
          clock.at = T0;
          const campaign = await create('PRICE', {
            name: `Prop ${run}`,
            discountType: 'PERCENTAGE',
            minDiscount: 1,
            maxDiscount: 10_000,
            ...(operatorShare != null ? { funding: 'SHARED' as const, operatorSharePercent: operatorShare } : {}),
          });
          const campaignId = campaign.data!.createCampaign.campaign!.id;
          expect((await t.request(CampOpenDocument, { id: campaignId }, tok.owner)).data!.openCampaign.userErrors).toEqual([]);
          const skus: [string, number][] = [];
          const expected: number[] = [];
          for (const [i, l] of lines.entries()) {
            const seller = await f.seller();
            const raw = `PROP${run}_${i}`;
            await c.product(seller, { sellerCode: raw, skus: [{ code: `${raw}_1`, price: l.price, stock: 10, weight: l.weight }] });
            const code = `${seller.concatenationCode}-${raw}_1`;
            skus.push([code, l.quantity]);
            if (l.bps != null) {
              const owner = (await f.user({ seller, role: UserRole.OWNER })).token;
              expect((await t.request(CampJoinDocument, { input: { campaignId, skuCodes: [code], discount: l.bps } }, owner)).data!.joinCampaign.userErrors).toEqual([]);
            }
            expected.push(l.bps != null ? Math.floor((l.price * l.bps) / 10_000) * l.quantity : 0);
          }
          let code: string | undefined;
          if (voucher != null) {
            code = `PROPV${run}X${voucher}`;
            expect((await t.request(CartTestPromotionDocument, { input: { name: code, kind: 'FIXED', value: voucher, code } }, tok.owner)).data?.createPromotion.userErrors).toEqual([]);
          }
          clock.at = INSIDE;
          const { cartNumber, amount, orders } = await checkout(await cart(skus, code), [card()]);
          const campaignTotal = expected.reduce((a, b) => a + b, 0);
          expect(orders.reduce((s, o) => s + o.campaignDiscount!.amount, 0)).toBe(campaignTotal);
          const merchandise = orders.reduce((s, o) => s + o.merchandise.amount, 0);
          const discount = orders.reduce((s, o) => s + o.discountShare.amount, 0);
          expect(discount).toBe(campaignTotal + Math.min(voucher ?? 0, merchandise - campaignTotal));
          expect(orders.reduce((s, o) => s + o.total.amount, 0)).toBe(amount);
          expect(merchandise - discount + FREIGHT).toBe(amount);
          let sellerFunded = 0;
          for (const o of orders) {
            expect(o.total.amount).toBe(o.merchandise.amount - o.discountShare.amount + o.freightShare.amount);
            const line = o.lines[0]!;
            const share = operatorShare != null ? 100 - operatorShare : 100;
            const [sellerPart] = allocate(line.campaignDiscount.amount, [share, 100 - share]);
            // The voucher is the operator's: the seller funds exactly its part of the campaign discount.
            expect(o.sellerFundedDiscount!.amount).toBe(sellerPart);
            sellerFunded += sellerPart!;
            const settled = settleLine({ merchandiseCents: o.merchandise.amount, sellerFundedDiscountCents: sellerPart!, rateBps: line.commissionBps! });
            expect(o.sellerReceivable!.amount).toBe(settled.receivableCents);
          }
          const b = await books(cartNumber);
          expect(b.debits).toBe(b.credits);
          expect(b.debit(LedgerAccount.COMMISSION_REVENUE)).toBe(discount - sellerFunded);
          expect(b.credit(LedgerAccount.SELLER_PAYABLE) + b.credit(LedgerAccount.COMMISSION_REVENUE) - b.debit(LedgerAccount.COMMISSION_REVENUE) + b.credit(LedgerAccount.FREIGHT_REVENUE)).toBe(amount);
        },
      ),
      { numRuns: 6 },
    );
    clock.at = INSIDE;
  }, 240_000);
});
