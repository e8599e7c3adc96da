import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import {
  AddCartLineDocument,
  CartTestShippingTableDocument,
  CoCancelOrderDocument,
  CoCheckoutDocument,
  CoOrdersDocument,
  CreateCartDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  type PaymentPartInput,
} from './generated/graphql.js';
import { UserRole } from '../src/modules/auth/auth.entity.js';
import { Sku } from '../src/modules/catalog/catalog.entity.js';
import { Cart } from '../src/modules/carts/carts.entity.js';
import { hashCartToken } from '../src/modules/carts/index.js';
import { Order } from '../src/modules/orders/orders.entity.js';
import { PaymentTransaction } from '../src/modules/payments/index.js';
import { startFakeProvider, type FakeProvider, type FakeReply, type RecordedRequest } from '../src/modules/payments/test-server.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/**
 * The whole checkout through the REAL Cielo and Mercado Pago HTTP adapters, configured only by
 * environment variables, against small local stand-ins of both APIs (trimmed from the
 * adapters' own unit tests). What is checked is what crosses the wire: headers, amounts in
 * the unit each provider expects, and which sale is captured, voided or refunded by how much.
 */

// ---------------------------------------------------------------------------------------
// A small Cielo: transactional and query hosts sharing one set of sales.

const MERCHANT_ID = '8937bd5b-9796-494d-9fe5-f76b3e4da633';
const MERCHANT_KEY = 'XKGHUBSBKIRXKAVPSKWLVXYCLVJUGTNZLIHPUSYV';

interface Sale {
  merchantOrderId: string;
  amount: number;
  installments: number;
  status: number;
  captured: number;
  voided: number;
}

const sales = new Map<string, Sale>();
/** Set by a test to change how the next POST /1/sales/ is answered. */
let authorizeReply: ((sale: Sale, paymentId: string) => FakeReply) | undefined;

const cieloAuthenticated = (req: RecordedRequest) => req.headers['merchantid'] === MERCHANT_ID && req.headers['merchantkey'] === MERCHANT_KEY;

const salePayment = (id: string, s: Sale) => ({
  PaymentId: id,
  Type: 'CreditCard',
  Amount: s.amount,
  CapturedAmount: s.captured || undefined,
  VoidedAmount: s.voided || undefined,
  Installments: s.installments,
  Status: s.status,
});

/** Pix charges Cielo issued (the store also offers Pix through Cielo). */
const pixSales: { id: string; merchantOrderId: string; amount: number }[] = [];

function cieloApi(req: RecordedRequest): FakeReply {
  if (!cieloAuthenticated(req)) return { status: 401, json: [{ Code: 132, Message: 'MerchantKey is invalid' }] };
  if (req.method === 'POST' && req.url === '/1/sales/') {
    const body = JSON.parse(req.body) as { MerchantOrderId: string; Payment: { Type: string; Amount: unknown; Installments?: number; Capture?: boolean; CreditCard?: Record<string, string> } };
    const p = body.Payment;
    if (!/^[A-Za-z0-9]{1,25}$/.test(body.MerchantOrderId)) return { status: 400, json: [{ Code: 107, Message: 'OrderId is invalid' }] };
    if (typeof p.Amount !== 'number' || !Number.isInteger(p.Amount) || p.Amount <= 0) return { status: 400, json: [{ Code: 108, Message: 'Amount must be greater or equal to zero' }] };
    if (p.Type === 'Pix') {
      const id = randomUUID();
      pixSales.push({ id, merchantOrderId: body.MerchantOrderId, amount: p.Amount });
      return {
        status: 201,
        json: { MerchantOrderId: body.MerchantOrderId, Payment: { PaymentId: id, Type: 'Pix', Amount: p.Amount, Status: 12, ReturnCode: '0', ReturnMessage: 'Pix gerado com sucesso', QrCodeString: `00020101021226900014br.gov.bcb.pix${id}`, QrCodeBase64Image: 'iVBORw0KGgo=' } },
      };
    }
    if (p.Type !== 'CreditCard' || p.Capture !== false || !p.CreditCard?.['Brand']) return { status: 400, json: [{ Code: 102, Message: 'Payment Type is required' }] };
    if ('CardNumber' in p.CreditCard) return { status: 400, json: [{ Code: 999, Message: 'test: card numbers must never be sent' }] };
    const id = randomUUID();
    const sale: Sale = { merchantOrderId: body.MerchantOrderId, amount: p.Amount, installments: p.Installments ?? 1, status: 1, captured: 0, voided: 0 };
    const reply = authorizeReply?.(sale, id) ?? {
      status: 201,
      json: { MerchantOrderId: body.MerchantOrderId, Payment: { ...salePayment(id, sale), ReturnCode: '4', ReturnMessage: 'Operation Successful', AuthorizationCode: '123456' } },
    };
    sales.set(id, sale);
    return reply;
  }
  const op = /^\/1\/sales\/([^/]+)\/(capture|void)$/.exec(req.path);
  if (req.method === 'PUT' && op) {
    const sale = sales.get(op[1]!);
    if (!sale) return { status: 404, json: [{ Code: 309, Message: 'Transaction not found' }] };
    const amount = Number(req.query.get('amount'));
    if (op[2] === 'capture') {
      if (sale.status !== 1) return { status: 200, json: { Status: sale.status, ReasonCode: 6, ReasonMessage: 'InvalidTransactionType', ReturnCode: '841', ReturnMessage: 'The transaction status does not allow capture' } };
      if (amount > sale.amount) return { status: 200, json: { Status: 1, ReasonCode: 19, ReasonMessage: 'InvalidAmount', ReturnCode: '842', ReturnMessage: 'The capture amount must be equal to or less than the transaction amount' } };
      sale.status = 2;
      sale.captured = amount;
      return { status: 200, json: { Status: 2, ReasonCode: 0, ReasonMessage: 'Successful', ProviderReturnCode: '6', ReturnCode: '6', ReturnMessage: 'Operation Successful' } };
    }
    if (sale.status === 1 && amount === sale.amount) {
      sale.status = 10;
      sale.voided = amount;
      return { status: 200, json: { Status: 10, ReasonCode: 0, ReasonMessage: 'Successful', ReturnCode: '9', ReturnMessage: 'Operation Successful' } };
    }
    if (sale.status === 2 && amount > 0 && amount <= sale.captured - sale.voided) {
      sale.voided += amount;
      if (sale.voided === sale.captured) sale.status = 10;
      return { status: 200, json: { Status: sale.status, ReasonCode: 0, ReasonMessage: 'Successful', ReturnCode: '6', ReturnMessage: 'Operation Successful' } };
    }
    return { status: 200, json: { Status: sale.status, ReasonCode: 7, ReasonMessage: 'Denied', ReturnCode: '72', ReturnMessage: 'Cancellation not allowed' } };
  }
  return { status: 404, json: [{ Code: 0, Message: 'not found' }] };
}

function cieloQuery(req: RecordedRequest): FakeReply {
  if (!cieloAuthenticated(req)) return { status: 401, json: [{ Code: 132, Message: 'MerchantKey is invalid' }] };
  if (req.method === 'GET' && req.path === '/1/sales') {
    const wanted = req.query.get('merchantOrderId');
    const found = [...sales].filter(([, s]) => s.merchantOrderId === wanted).map(([id]) => ({ PaymentId: id, ReceveidDate: '2026-03-01 12:00:00' }));
    return found.length ? { status: 200, json: { ReasonCode: 0, ReasonMessage: 'Successful', Payments: found } } : { status: 404, json: [] };
  }
  const m = /^\/1\/sales\/([^/]+)$/.exec(req.path);
  if (req.method === 'GET' && m) {
    const sale = sales.get(m[1]!);
    return sale ? { status: 200, json: { MerchantOrderId: sale.merchantOrderId, Payment: salePayment(m[1]!, sale) } } : { status: 404, json: [{ Code: 0, Message: 'not found' }] };
  }
  return { status: 404, json: [] };
}

// ---------------------------------------------------------------------------------------
// A small Mercado Pago: bearer token, X-Idempotency-Key (same key, same answer), decimal reais.

const MP_TOKEN = 'TEST-7434000000000159-031412-cee51edf8000000000000000f94f589-1000000001';
const MP_SECRET = 'mp-webhook-secret';

interface MpPayment {
  id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  transaction_amount_refunded: number;
  external_reference: string;
}

const mpPayments = new Map<string, MpPayment>();
const mpByKey = new Map<string, FakeReply>();
let nextMpId = 1_300_000_000;

const mpBad = (code: number | string, description: string): FakeReply => ({ status: 400, json: { message: description, error: 'bad_request', status: 400, cause: [{ code, description, data: null }] } });
const mpNotFound: FakeReply = { status: 404, json: { message: 'Payment not found', status: 404, cause: [{ code: 2000, description: 'Payment not found' }] } };

function mercadoPago(req: RecordedRequest): FakeReply {
  if (req.headers['authorization'] !== `Bearer ${MP_TOKEN}`) return { status: 401, json: { message: 'invalid access token', error: 'unauthorized', status: 401, cause: [{ code: 401, description: 'Invalid token' }] } };
  if (req.method === 'POST') {
    const key = req.headers['x-idempotency-key'];
    if (typeof key !== 'string' || key === '') return mpBad(4292, 'Header X-Idempotency-Key can’t be null');
    const seen = mpByKey.get(`${req.path}:${key}`);
    if (seen) return seen;
    const reply = mpPost(req);
    if (reply.status < 300) mpByKey.set(`${req.path}:${key}`, reply);
    return reply;
  }
  const m = /^\/v1\/payments\/(\d+)$/.exec(req.path);
  if (req.method === 'GET' && m) {
    const p = mpPayments.get(m[1]!);
    return p ? { status: 200, json: { ...p, payment_method_id: 'pix', payment_type_id: 'bank_transfer', currency_id: 'BRL' } } : mpNotFound;
  }
  return { status: 404, json: { message: 'not found' } };
}

function mpPost(req: RecordedRequest): FakeReply {
  if (req.path === '/v1/payments') {
    const body = JSON.parse(req.body) as { transaction_amount: unknown; payment_method_id: string; external_reference: string; payer?: { email?: string } };
    if (body.payment_method_id !== 'pix' || typeof body.transaction_amount !== 'number' || !body.payer?.email) return mpBad(1, 'Params Error');
    const id = nextMpId++;
    const payment: MpPayment = { id, status: 'pending', status_detail: 'pending_waiting_transfer', transaction_amount: body.transaction_amount, transaction_amount_refunded: 0, external_reference: body.external_reference };
    mpPayments.set(String(id), payment);
    return {
      status: 201,
      json: {
        ...payment,
        payment_method_id: 'pix',
        date_of_expiration: new Date(Date.now() + 30 * 60_000).toISOString(),
        point_of_interaction: { type: 'PIX', transaction_data: { qr_code: `00020126580014br.gov.bcb.pix0136${id}`, qr_code_base64: 'iVBORw0KGgo=', ticket_url: `https://www.mercadopago.com.br/payments/${id}/ticket` } },
      },
    };
  }
  const m = /^\/v1\/payments\/(\d+)\/refunds$/.exec(req.path);
  if (m) {
    const p = mpPayments.get(m[1]!);
    if (!p) return mpNotFound;
    const amount = (JSON.parse(req.body) as { amount: unknown }).amount;
    if (typeof amount !== 'number' || amount <= 0) return mpBad(4040, 'amount attribute must be positive');
    if (p.status !== 'approved') return mpBad(2063, 'The action requested is not valid for the current payment state');
    const leftCents = Math.round((p.transaction_amount - p.transaction_amount_refunded) * 100);
    if (Math.round(amount * 100) > leftCents) return mpBad(3000, 'Invalid refund amount');
    p.transaction_amount_refunded = Math.round((p.transaction_amount_refunded + amount) * 100) / 100;
    if (Math.round(p.transaction_amount_refunded * 100) === Math.round(p.transaction_amount * 100)) p.status = 'refunded';
    return { status: 201, json: { id: nextMpId++, payment_id: p.id, amount, status: 'approved', source: { id: '1', name: 'Loja', type: 'collector' } } };
  }
  return { status: 404, json: { message: 'not found' } };
}

/** A Mercado Pago notification signed the documented way: HMAC-SHA256 over "id:…;request-id:…;ts:…;". */
function mpNotification(id: string, secret = MP_SECRET) {
  const requestId = randomUUID();
  const ts = String(Math.floor(Date.now() / 1000));
  const v1 = createHmac('sha256', secret).update(`id:${id.toLowerCase()};request-id:${requestId};ts:${ts};`).digest('hex');
  return {
    headers: { 'x-signature': `ts=${ts},v1=${v1}`, 'x-request-id': requestId, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'payment.updated', api_version: 'v1', data: { id }, date_created: new Date().toISOString(), id: 123, live_mode: false, type: 'payment', user_id: 44 }),
  };
}

// ---------------------------------------------------------------------------------------

let cieloApiFake: FakeProvider;
let cieloQueryFake: FakeProvider;
let mp: FakeProvider;
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
  cieloApiFake = await startFakeProvider(cieloApi);
  cieloQueryFake = await startFakeProvider(cieloQuery);
  mp = await startFakeProvider(mercadoPago);
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
  await cieloApiFake?.close();
  await cieloQueryFake?.close();
  await mp?.close();
});
beforeEach(() => {
  authorizeReply = undefined;
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
    authorizeReply = (sale, id) => {
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
    const refused = await fetch(webhookUrl(id), { method: 'POST', headers: forged.headers, body: forged.body });
    expect(refused.status).toBe(401);
    expect(await statuses(res.cartNumber!)).toEqual(['PENDING_PAYMENT', 'PENDING_PAYMENT']);
    expect((await transaction(res.cartNumber!)).capturedCents).toBe(0);

    // The genuine one is verified, the payment read back, and the orders approved.
    const hook = mpNotification(id);
    const posted = await fetch(webhookUrl(id), { method: 'POST', headers: hook.headers, body: hook.body });
    expect(posted.status).toBe(200);
    expect(mp.requests.some((r) => r.method === 'GET' && r.path === `/v1/payments/${id}`)).toBe(true);
    expect(await statuses(res.cartNumber!)).toEqual(['APPROVED', 'APPROVED']);
    expect((await transaction(res.cartNumber!)).capturedCents).toBe(total);

    // A forged one after payment changes nothing either.
    const forgedAgain = mpNotification(id, 'not-the-secret');
    expect((await fetch(webhookUrl(id), { method: 'POST', headers: forgedAgain.headers, body: forgedAgain.body })).status).toBe(401);
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
    const before = pixSales.length;
    const res = await checkout(token, [{ method: 'PIX', pixProvider: 'CIELO' }]);
    expect(res.userErrors).toEqual([]);
    expect(res.payment!.parts[0]!.pixQrCode).toMatch(/^000201/);
    expect(pixSales).toHaveLength(before + 1);
    expect(pixSales.at(-1)!.amount).toBe(res.payment!.amount.amount);
    const refused = await checkout(await cart([['ADM1', 1]]), [{ method: 'PIX', pixProvider: 'SANDBOX' }]);
    expect(refused.userErrors).toEqual([{ code: 'BAD_USER_INPUT', message: 'The store takes Pix through mercadopago or cielo.', field: ['input', 'payment', 'parts', '0', 'pixProvider'] }]);
  });
});
