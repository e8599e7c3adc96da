import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AddCartLineDocument, CartTestShippingTableDocument, CoCheckoutDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Order } from '../src/modules/orders/orders.entity.js';
import { startFakeCielo, type FakeCielo } from './doubles/fake-cielo.js';

/**
 * A card authorization whose answer never arrives may still have happened at Cielo. The
 * checkout must not leave it holding the buyer's limit: it asks again with the same key
 * (Cielo's client recovers the sale by MerchantOrderId) and voids what it finds.
 */
const MERCHANT_ID = '00000000-0000-0000-0000-000000000001';
const MERCHANT_KEY = 'TEST-KEY';

let cielo: FakeCielo;
let t: TestApp;

beforeAll(async () => {
  cielo = await startFakeCielo({ merchantId: MERCHANT_ID, merchantKey: MERCHANT_KEY });
  // Authorized at Cielo, but the answer comes far too late for the client.
  cielo.authorizeDelayMs = 5_000;
  t = await startTestApp({
    PAYMENT_CARD_PROVIDER: 'cielo',
    CIELO_MERCHANT_ID: MERCHANT_ID,
    CIELO_MERCHANT_KEY: MERCHANT_KEY,
    CIELO_API_URL: cielo.api.url,
    CIELO_QUERY_URL: cielo.query.url,
    PAYMENT_TIMEOUT_MS: '300',
  });
});
afterAll(async () => {
  await t?.stop();
  await cielo?.close();
});

describe('a card authorization that times out', () => {
  it('answers PAYMENT_UNAVAILABLE, creates nothing, and voids the authorization the provider did make', async () => {
    const f = new Factory(t);
    const c = new CatalogFactory(f);
    await c.product(await f.adminSeller(), { sellerCode: 'CANECA', skus: [{ code: 'ADM1', price: 9_990, stock: 5, weight: 500 }] });
    const owner = (await f.operator(UserRole.OWNER)).token;
    await t.request(CartTestShippingTableDocument, { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000, priceCents: 1_000, days: 5 }] } }, owner);
    const token = (await t.request(CreateCartDocument, {})).data!.createCart.token!;
    await t.request(AddCartLineDocument, { cartToken: token, skuCode: 'ADM1', quantity: 1 });
    await t.request(SetBuyerDocument, { cartToken: token, input: { name: 'Maria da Silva', email: 'maria@example.com', document: '52998224725', phone: '11987654321' } });
    await t.request(SetShippingAddressDocument, { cartToken: token, input: { recipient: 'Maria', street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310100' } });

    const res = await t.request(CoCheckoutDocument, {
      input: { cartToken: token, idempotencyKey: randomUUID(), payment: { parts: [{ method: 'CARD', card: { token: 'a1b2c3d4-0000-4000-8000-000000000001', brand: 'Visa' } }] } },
    });
    expect(res.data?.checkout.userErrors.map((e) => e.code)).toEqual(['PAYMENT_UNAVAILABLE']);
    expect(await f.em().count(Order, {})).toBe(0);
    // Cielo did authorize (the answer was lost); the checkout found it by its MerchantOrderId and voided it whole.
    const made = [...cielo.sales.values()];
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.filter((s) => s.status === 1)).toEqual([]);
    expect(made.every((s) => s.voided === s.amount)).toBe(true);
    expect(cielo.query.requests.some((r) => r.path === '/1/sales' && r.query.get('merchantOrderId'))).toBe(true);
  });
});
