import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AddCartLineDocument, CartTestShippingTableDocument, CoCancelOrderDocument, CoCheckoutDocument, CoOrdersDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument, type PaymentPartInput } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Sku } from '../src/modules/catalog/catalog.entity.js';
import { Cart } from '../src/modules/carts/carts.entity.js';
import { hashCartToken } from '../src/modules/carts/index.js';
import { Order } from '../src/modules/orders/orders.entity.js';
import { PaymentTransaction } from '../src/modules/payments/index.js';
import { CIELO_MERCHANT_ID as MERCHANT_ID, CIELO_MERCHANT_KEY as MERCHANT_KEY, startFakeCielo, type CieloSale, type FakeCielo } from './doubles/fake-cielo.js';
import { MP_ACCESS_TOKEN as MP_TOKEN, MP_WEBHOOK_SECRET as MP_SECRET, signedMercadoPagoNotification, startFakeMercadoPago, type FakeMercadoPago, type MercadoPagoPayment } from './doubles/fake-mercadopago.js';
import type { FakeProvider } from './doubles/fake-provider.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/**
 * The whole checkout through the REAL Cielo and Mercado Pago HTTP adapters, configured only by
 * environment variables, against small local stand-ins of both APIs (the adapters' own unit
 * tests use them too: src/modules/payments/fake-cielo.ts, fake-mercadopago.ts). What is checked
 * is what crosses the wire: headers, amounts in the unit each provider expects, and which sale
 * is captured, voided or refunded by how much.
 */

let cielo: FakeCielo;
let cieloApiFake: FakeProvider;
let cieloQueryFake: FakeProvider;
let sales: Map<string, CieloSale>;
let fakeMp: FakeMercadoPago;
let mp: FakeProvider;
let mpPayments: Map<string, MercadoPagoPayment>;
/** A Mercado Pago notification signed the documented way, for the webhook body and headers. */
const mpNotification = (id: string, secret?: string) => signedMercadoPagoNotification(id, { secret });
/** Pix charges Cielo issued (the store also offers Pix through Cielo). */
const pixSales = () => [...sales.values()].filter((s) => s.type === 'Pix');

let t: TestApp;
let f: Factory;
let admin: Seller;
let guest: Seller;
let ownerToken: string;

const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' };
const address = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
const FREIGHT = 2_999;
// Cielo tokens (Silent Order Post PaymentToken or saved CardToken) are GUIDs.
const CARD_TOKEN = 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10';
const card = (installments = 3): PaymentPartInput => ({ method: 'CARD', installments, card: { token: CARD_TOKEN, brand: 'Visa', bin: '411111', last4: '1111' } });
const pix: PaymentPartInput = { method: 'PIX' };

async function cart(lines: [string, number][]): Promise<string> {
  const created = await t.request(CreateCartDocument, {});
  expect(created.data?.createCart.userErrors).toEqual([]);
  const token = created.data!.createCart.token!;
  for (const [sku, quantity] of lines) {
    const res = await t.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity });
    expect(res.data?.addCartLine.userErrors).toEqual([]);
  }
  expect((await t.request(SetBuyerDocument, { cartToken: token, input: buyer })).data?.setBuyer.userErrors).toEqual([]);
  expect((await t.request(SetShippingAddressDocument, { cartToken: token, input: address })).data?.setShippingAddress.userErrors).toEqual([]);
  return token;
}

async function checkout(cartToken: string, parts: PaymentPartInput[]) {
  const res = await t.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts } } });
  expect(res.errors).toBeUndefined();
  return res.data!.checkout;
}

const stock = async (code: string) => (await f.em().findOneOrFail(Sku, { code })).stock;
const transaction = (cartNumber: string) => f.em().findOneOrFail(PaymentTransaction, { cartNumber }, { populate: ['parts'] });
/** The cart's order statuses in position order. */
const statuses = async (cartNumber: string) =>
  (await t.request(CoOrdersDocument, { cartNumber }, ownerToken)).data!.orders.edges
    .map((e) => e.node)
    .sort((a, b) => a.position - b.position)
    .map((o) => o.status);
const webhookUrl = (id: string) => `${t.url.replace('/graphql', '/webhooks/payments/mercadopago')}?data.id=${id}&type=payment`;
/** The wire form of centavos as Mercado Pago wants it: "289.79". */
const reais = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

beforeAll(async () => {
  // The fakes first: their random ports go into the environment the app reads its providers from.
  cielo = await startFakeCielo();
  ({ api: cieloApiFake, query: cieloQueryFake, sales } = cielo);
  fakeMp = await startFakeMercadoPago();
  ({ api: mp, payments: mpPayments } = fakeMp);
  t = await startTestApp({
    PAYMENT_CARD_PROVIDER: 'cielo',
    PAYMENT_PIX_PROVIDER: 'mercadopago',
    PAYMENT_PIX_PROVIDERS: 'cielo',
    PAYMENT_TIMEOUT_MS: '3000',
    CIELO_MERCHANT_ID: MERCHANT_ID,
    CIELO_MERCHANT_KEY: MERCHANT_KEY,
    CIELO_API_URL: cieloApiFake.url,
    CIELO_QUERY_URL: cieloQueryFake.url,
    MP_ACCESS_TOKEN: MP_TOKEN,
    MP_WEBHOOK_SECRET: MP_SECRET,
    MP_API_URL: mp.url,
  });
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  admin = await f.adminSeller();
  guest = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  await c.product(admin, { sellerCode: 'CANECA', name: 'Caneca', skus: [{ code: 'ADM1', price: 9_990, stock: 100, weight: 500 }] });
  await c.product(guest, { sellerCode: 'CAMISA', name: 'Camiseta', skus: [{ code: 'A1', price: 15_990, stock: 100, weight: 3_000 }] });
  ownerToken = (await f.operator(UserRole.OWNER)).token;
  const table = await t.request(
    CartTestShippingTableDocument,
    { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 6 }] } },
    ownerToken,
  );
  expect(table.data?.createShippingTable.userErrors).toEqual([]);
});
afterAll(async () => {
  await t?.stop();
  await cielo?.close();
  await fakeMp?.close();
});
beforeEach(() => {
  cielo.authorizeReply = undefined;
  cieloApiFake.requests.length = 0;
  cieloQueryFake.requests.length = 0;
  mp.requests.length = 0;
});

describe('card through Cielo', () => {
  it('authorizes the cart total in centavos with the token, captures it on APPROVED, and voids exactly one cancelled order', async () => {
    const token = await cart([['ADM1', 2], ['ALFA-A1', 1]]);
    const total = 2 * 9_990 + 15_990 + FREIGHT;
    const res = await checkout(token, [card(3)]);
    expect(res.userErrors).toEqual([]);
    expect(res.payment!.amount.amount).toBe(total);
    expect(res.orders!.reduce((s, o) => s + o.total.amount, 0)).toBe(total);
    expect(res.orders!.map((o) => o.seller.concatenationCode)).toEqual([null, 'ALFA']);

    // The authorization: one POST /1/sales/, authenticated, in centavos, not captured, by token.
    const posts = cieloApiFake.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    const auth = posts[0]!;
    expect(auth.url).toBe('/1/sales/');
    expect(auth.headers['merchantid']).toBe(MERCHANT_ID);
    expect(auth.headers['merchantkey']).toBe(MERCHANT_KEY);
    const sent = JSON.parse(auth.body) as { Payment: { Type: string; Amount: number; Installments: number; Capture: boolean; CreditCard: Record<string, string> } };
    expect(sent.Payment).toMatchObject({ Type: 'CreditCard', Amount: total, Installments: 3, Capture: false });
    expect(Number.isInteger(sent.Payment.Amount)).toBe(true);
    // A browser-tokenised card (the API's CardTokenInput) goes as Cielo's PaymentToken; never a number.
    expect(sent.Payment.CreditCard).toEqual({ PaymentToken: CARD_TOKEN, Brand: 'Visa' });
    expect(sent.Payment.CreditCard).not.toHaveProperty('CardNumber');
    const [paymentId] = [...sales].find(([, s]) => s.amount === total && s.merchantOrderId === JSON.parse(auth.body).MerchantOrderId)!;

    // The verdict APPROVED captures the whole authorization, once.
    expect(res.fraudStatus).toBe('APPROVED');
    expect(res.orders!.map((o) => o.status)).toEqual(['APPROVED', 'APPROVED']);
    const captures = cieloApiFake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/capture'));
    expect(captures.map((r) => r.url)).toEqual([`/1/sales/${paymentId}/capture?amount=${total}`]);
    expect(captures[0]!.headers['merchantkey']).toBe(MERCHANT_KEY);
    expect(sales.get(paymentId)).toMatchObject({ status: 2, captured: total });
    expect(res.payment).toMatchObject({ status: 'PAID', captured: { amount: total } });

    // Cancelling the guest seller's order gives back exactly that order's total.
    const theirs = res.orders!.find((o) => o.seller.concatenationCode === 'ALFA')!;
    const mine = res.orders!.find((o) => o.seller.concatenationCode === null)!;
    cieloApiFake.requests.length = 0;
    cieloQueryFake.requests.length = 0;
    const cancelled = await t.request(CoCancelOrderDocument, { input: { orderCode: theirs.code, idempotencyKey: randomUUID(), note: 'Cliente desistiu' } }, ownerToken);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.data?.cancelOrder.order?.status).toBe('CANCELLED');
    const voids = cieloApiFake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/void'));
    expect(voids.map((r) => r.url)).toEqual([`/1/sales/${paymentId}/void?amount=${theirs.total.amount}`]);
    // The adapter reads the sale on the query host first, to refund no more than is left.
    expect(cieloQueryFake.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET /1/sales/${paymentId}`);
    expect(sales.get(paymentId)).toMatchObject({ status: 2, captured: total, voided: theirs.total.amount });
    const tx = await transaction(res.cartNumber!);
    expect(tx.capturedCents).toBe(total);
    expect(tx.refundedCents).toBe(theirs.total.amount);
    expect(await statuses(res.cartNumber!)).toEqual(['APPROVED', 'CANCELLED']);
    expect(mine.total.amount + theirs.total.amount).toBe(total);
  });

  it('a card Cielo declines (Status 3, ReturnCode 51) is PAYMENT_DECLINED: no orders, stock unchanged, nothing captured', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const before = [await stock('ADM1'), await stock('ALFA-A1')];
    const ordersBefore = await f.em().count(Order, {});
    cielo.authorizeReply = (sale, id) => {
      sale.status = 3;
      return { status: 201, json: { Payment: { PaymentId: id, Type: 'CreditCard', Amount: sale.amount, Status: 3, ReturnCode: '51', ReturnMessage: 'Not Authorized' } } };
    };
    const res = await checkout(token, [card(3)]);
    expect(res.userErrors).toEqual([{ code: 'PAYMENT_DECLINED', message: expect.any(String), field: ['input', 'payment', 'parts', '0'] }]);
    expect(res.orders).toBeNull();
    expect(res.cartNumber ?? null).toBeNull();
    expect(await f.em().count(Order, {})).toBe(ordersBefore);
    expect([await stock('ADM1'), await stock('ALFA-A1')]).toEqual(before);
    expect((await f.em().findOneOrFail(Cart, { tokenHash: hashCartToken(token) })).status).toBe('OPEN');
    expect(cieloApiFake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /1/sales/']);
    expect(JSON.parse(cieloApiFake.requests[0]!.body).Payment.Amount).toBe(9_990 + 15_990 + FREIGHT);
  });
});

describe('Pix through Mercado Pago', () => {
  it('creates the charge in decimal reais, approves the orders on a signed webhook only, and refunds one order in reais', async () => {
    const token = await cart([['ADM1', 1], ['ALFA-A1', 1]]);
    const total = 9_990 + 15_990 + FREIGHT;
    const res = await checkout(token, [pix]);
    expect(res.userErrors).toEqual([]);
    expect(res.payment!.amount.amount).toBe(total);
    expect(res.orders!.map((o) => o.status)).toEqual(['PENDING_PAYMENT', 'PENDING_PAYMENT']);
    expect(res.payment!.status).toBe('PENDING');
    expect(res.payment!.parts[0]!.pixQrCode).toMatch(/^000201/);

    const creates = mp.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payments');
    expect(creates).toHaveLength(1);
    const create = creates[0]!;
    expect(create.headers['authorization']).toBe(`Bearer ${MP_TOKEN}`);
    expect(create.headers['x-idempotency-key']).toEqual(expect.any(String));
    expect((create.headers['x-idempotency-key'] as string).length).toBeGreaterThan(0);
    // The literal on the wire: reais with two decimals (289.79), not centavos.
    expect(create.body.startsWith(`{"transaction_amount":${reais(total)},`)).toBe(true);
    const body = JSON.parse(create.body) as { transaction_amount: number; payment_method_id: string };
    expect(body.transaction_amount).toBe(total / 100);
    expect(body.payment_method_id).toBe('pix');

    const tx = await transaction(res.cartNumber!);
    const id = tx.parts.getItems()[0]!.providerRef!;
    expect(mpPayments.has(id)).toBe(true);

    // The payer pays; Mercado Pago now reports the payment approved.
    Object.assign(mpPayments.get(id)!, { status: 'approved', status_detail: 'accredited' });

    // A notification signed with another secret is refused and moves nothing.
    const forged = mpNotification(id, 'not-the-secret');
    const refused = await fetch(webhookUrl(id), { method: 'POST', headers: forged.headers, body: forged.rawBody });
    expect(refused.status).toBe(401);
    expect(await statuses(res.cartNumber!)).toEqual(['PENDING_PAYMENT', 'PENDING_PAYMENT']);
    expect((await transaction(res.cartNumber!)).capturedCents).toBe(0);

    // The genuine one is verified, the payment read back, and the orders approved.
    const hook = mpNotification(id);
    const posted = await fetch(webhookUrl(id), { method: 'POST', headers: hook.headers, body: hook.rawBody });
    expect(posted.status).toBe(200);
    expect(mp.requests.some((r) => r.method === 'GET' && r.path === `/v1/payments/${id}`)).toBe(true);
    expect(await statuses(res.cartNumber!)).toEqual(['APPROVED', 'APPROVED']);
    expect((await transaction(res.cartNumber!)).capturedCents).toBe(total);

    // A forged one after payment changes nothing either.
    const forgedAgain = mpNotification(id, 'not-the-secret');
    expect((await fetch(webhookUrl(id), { method: 'POST', headers: forgedAgain.headers, body: forgedAgain.rawBody })).status).toBe(401);
    expect(await statuses(res.cartNumber!)).toEqual(['APPROVED', 'APPROVED']);

    // Cancelling the guest seller's order refunds that order's total, as decimal reais.
    const theirs = res.orders!.find((o) => o.seller.concatenationCode === 'ALFA')!;
    mp.requests.length = 0;
    const cancelled = await t.request(CoCancelOrderDocument, { input: { orderCode: theirs.code, idempotencyKey: randomUUID() } }, ownerToken);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.data?.cancelOrder.order?.status).toBe('CANCELLED');
    const refunds = mp.requests.filter((r) => r.method === 'POST' && r.path === `/v1/payments/${id}/refunds`);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.body).toBe(`{"amount":${reais(theirs.total.amount)}}`);
    expect(refunds[0]!.headers['x-idempotency-key']).toEqual(expect.any(String));
    expect(mpPayments.get(id)!.transaction_amount_refunded).toBe(theirs.total.amount / 100);
    expect((await transaction(res.cartNumber!)).refundedCents).toBe(theirs.total.amount);
    expect(await statuses(res.cartNumber!)).toEqual(['APPROVED', 'CANCELLED']);
  });
});

describe('Pix through Cielo, the store\'s second Pix provider', () => {
  it('lists both providers and issues the charge where the shopper chose', async () => {
    const offered = await t.raw({ query: '{ pixProviders }' });
    expect(offered.data).toEqual({ pixProviders: ['MERCADOPAGO', 'CIELO'] });
    const token = await cart([['ADM1', 1]]);
    const before = pixSales().length;
    const res = await checkout(token, [{ method: 'PIX', pixProvider: 'CIELO' }]);
    expect(res.userErrors).toEqual([]);
    expect(res.payment!.parts[0]!.pixQrCode).toMatch(/^000201/);
    expect(pixSales()).toHaveLength(before + 1);
    expect(pixSales().at(-1)!.amount).toBe(res.payment!.amount.amount);
    const refused = await checkout(await cart([['ADM1', 1]]), [{ method: 'PIX', pixProvider: 'SANDBOX' }]);
    expect(refused.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: 'The store takes Pix through mercadopago or cielo.', field: ['input', 'payment', 'parts', '0', 'pixProvider'] }]);
  });
});
