import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import {
  AddCartLineDocument,
  CartTestShippingTableDocument,
  CoCheckoutDocument,
  CoOrderFinanceDocument,
  CreateCartDocument,
  CreateProductDocument,
  FinCreateRuleDocument,
  FinSellerBalanceDocument,
  FinSellerLedgerDocument,
  PaymentCreateGiftCardDocument,
  PromoCreateDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  ShipCreateRuleDocument,
  type PaymentPartInput,
} from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Order, OrderLine } from '../src/modules/orders/orders.entity.js';
import { PaymentTransaction } from '../src/modules/payments/payments.entity.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/*
 * Money that cannot wrap (design.md, Finance): amounts travel as SafeInt, sums and totals are
 * 64-bit in PostgreSQL. Int would stop at 2^31 − 1 centavos, R$ 21.474.836,47.
 */

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let mega: Seller;
let operator: string;
let finance: string;

const INT32_MAX = 2 ** 31 - 1;
const PRICE = 1_234_567_891; // R$ 12.345.678,91 a unit: within the catalog's R$ 20 million bound
const FREIGHT = 2_999;
const RATE_BPS = 1_000;
const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };

async function cart(sku: string, quantity: number): Promise<string> {
  const created = await t.request(CreateCartDocument, {});
  const token = created.data!.createCart.token!;
  expect((await t.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity })).data?.addCartLine.userErrors).toEqual([]);
  expect((await t.request(SetBuyerDocument, { cartToken: token, input: buyer })).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken: token, input: address })).data?.setShippingAddress.userErrors).toEqual([]);
  return token;
}

async function checkout(cartToken: string, parts: PaymentPartInput[]) {
  const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts } } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.checkout.userErrors).toEqual([]);
  return res.data!.checkout;
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  mega = await f.seller({ code: 'MEGA', name: 'Mega Máquinas' });
  operator = (await f.operator(UserRole.OWNER)).token;
  finance = (await f.user({ seller: mega, role: UserRole.FINANCE })).token;
  await c.product(mega, { sellerCode: 'TURBINA', name: 'Turbina industrial', skus: [{ code: 'T1', price: PRICE, stock: 10, weight: 1_000 }] });
  const rule = await t.request(FinCreateRuleDocument, { input: { sellerId: mega.id, rateBps: RATE_BPS } }, operator);
  expect(rule.data?.createCommissionRule.userErrors).toEqual([]);
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'Frete', carrier: 'Transportadora', method: 'Carga', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 10 }] } },
    operator,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

describe('a seller balance above R$ 30 million', () => {
  // Commission rounds half up: 10% of 3 × PRICE = 370,370,367.3 → 370,370,367; of PRICE = 123,456,789.1 → 123,456,789.
  const receivableOf3 = 3 * PRICE - 370_370_367;
  const receivableOf1 = PRICE - 123_456_789;
  const balance = receivableOf3 + receivableOf1; // 4,444,444,408: R$ 44.444.444,08, beyond 2^32 too

  let bigOrderCode: string;

  beforeAll(async () => {
    // Two real checkouts: one order of three units (its figures alone pass 2^31), one of one unit.
    const big = await checkout(await cart('MEGA-T1', 3), [{ method: 'PIX', amount: 3 * PRICE + FREIGHT }]);
    bigOrderCode = big.orders![0]!.code;
    const small = await checkout(await cart('MEGA-T1', 1), [{ method: 'PIX' }]);
    expect(small.orders!.map((o) => o.total.amount)).toEqual([PRICE + FREIGHT]);
  });

  it('freezes order, line and payment figures past 2^31 and answers them exactly', async () => {
    const order = await t.request(CoOrderFinanceDocument, { code: bigOrderCode }, operator);
    expect(order.errors).toBeUndefined();
    expect(order.data!.order).toMatchObject({
      commission: { amount: 370_370_367, currency: 'BRL' },
      sellerReceivable: { amount: receivableOf3, currency: 'BRL' },
      lines: [{ skuCode: 'MEGA-T1', commissionBps: RATE_BPS, commissionBase: { amount: 3 * PRICE }, sellerReceivable: { amount: receivableOf3 } }],
    });
    const row = await f.em().findOneOrFail(Order, { code: bigOrderCode });
    expect([row.merchandiseCents, row.freightCents, row.totalCents]).toEqual([3 * PRICE, FREIGHT, 3 * PRICE + FREIGHT]);
    expect(row.totalCents).toBeGreaterThan(INT32_MAX);
    expect((await f.em().findOneOrFail(OrderLine, { order: row.id })).merchandiseCents).toBe(3 * PRICE);
    expect((await f.em().findOneOrFail(PaymentTransaction, { cartId: row.cartId })).amountCents).toBe(3 * PRICE + FREIGHT);
  });

  it('sums the ledger in 64 bits: sellerBalance is exact for operator staff and for the seller', async () => {
    expect(balance).toBe(4_444_444_408);
    const asOperator = await t.request(FinSellerBalanceDocument, { sellerId: mega.id }, operator);
    expect(asOperator.errors).toBeUndefined();
    expect(asOperator.data!.sellerBalance.total).toEqual({ amount: balance, currency: 'BRL' });
    const asSeller = await t.request(FinSellerBalanceDocument, {}, finance);
    expect(asSeller.data!.sellerBalance.total).toEqual({ amount: balance, currency: 'BRL' });
    const statement = await t.request(FinSellerLedgerDocument, {}, finance);
    expect(statement.data!.sellerLedger.edges.map((e) => [e.node.kind, e.node.credit.amount])).toEqual([
      ['CHECKOUT', receivableOf3],
      ['CHECKOUT', receivableOf1],
    ]);
  });
});

describe('money inputs are SafeInt', () => {
  it('accepts amounts past 2^31 and gives them back exactly', async () => {
    const promo = await t.request(
      PromoCreateDocument,
      { input: { name: 'Atacado', kind: 'PERCENTAGE', value: 500, minMerchandise: 3_000_000_000, maxDiscount: 2 ** 53 - 1, active: false } },
      operator,
    );
    expect(promo.errors).toBeUndefined();
    expect(promo.data!.createPromotion.promotion).toMatchObject({ minMerchandise: { amount: 3_000_000_000 }, maxDiscount: { amount: 2 ** 53 - 1 } });
    const rule = await t.request(
      ShipCreateRuleDocument,
      { input: { kind: 'CUSTOM_FREIGHT', name: 'Frete especial', active: false, carrier: 'Balsa', method: 'Fluvial', priceCents: 5_000_000_000, days: 30, postalCodeRanges: [{ from: '69000-000', to: '69999-999' }] } },
      operator,
    );
    expect(rule.errors).toBeUndefined();
    expect(rule.data!.createFreightRule.freightRule?.price).toEqual({ amount: 5_000_000_000 });
  });

  it('refuses a non-integer or an amount beyond 2^53 − 1 as BAD_USER_INPUT, never INTERNAL_SERVER_ERROR', async () => {
    for (const amount of [2 ** 53, 1e20, 12.5, -0.01, '1000' as unknown as number]) {
      const res = await t.request(PaymentCreateGiftCardDocument, { input: { amount } }, operator);
      expect(codes(res), String(amount)).toEqual(['BAD_USER_INPUT']);
      expect(res.data ?? null).toBeNull();
    }
    const sku = (price: number) => ({ sellerCode: 'GRANDE', price });
    for (const price of [Number.MAX_SAFE_INTEGER + 2, 19.9]) {
      const res = await t.request(CreateProductDocument, { input: { sellerId: mega.id, sellerCode: 'GRANDE', name: 'Grande', skus: [sku(price)] } }, operator);
      expect(codes(res), String(price)).toEqual(['BAD_USER_INPUT']);
    }
    const cartToken = await cart('MEGA-T1', 1);
    for (const amount of [0.5, 2 ** 60]) {
      const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts: [{ method: 'PIX', amount }] } } });
      expect(codes(res), String(amount)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('bounds what its columns hold with user errors: a unit price above R$ 20 million, a gift card above its cap', async () => {
    const product = await t.request(CreateProductDocument, { input: { sellerId: mega.id, sellerCode: 'CARO', name: 'Caro', skus: [{ sellerCode: 'CARO', price: 2_000_000_001 }] } }, operator);
    expect(product.errors).toBeUndefined();
    expect(product.data!.createProduct.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['BAD_USER_INPUT', 'input.skus.0.price']]);
    const card = await t.request(PaymentCreateGiftCardDocument, { input: { amount: 3_000_000_000 } }, operator);
    expect(card.errors).toBeUndefined();
    expect(card.data!.createGiftCard.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([['BAD_USER_INPUT', 'input.amount']]);
  });

  it('refuses a money variable declared Int: clients declare SafeInt (a breaking change for them)', async () => {
    const res = await t.raw(
      { query: 'mutation($amount: Int!) { createGiftCard(input: { amount: $amount }) { userErrors { code } } }', variables: { amount: 1_000 } },
      operator,
    );
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors?.[0]?.message).toMatch(/Int!.*SafeInt/);
  });
});
