import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MercadoPagoPixProvider } from './mercadopago.provider.js';
import { ProviderNetworkError, ProviderTimeoutError, WebhookVerificationError, brl, type CreatePixInput, type WebhookRequest } from './payments.provider.js';
import { startFakeProvider, type FakeProvider, type FakeReply, type RecordedRequest } from './test-server.js';

/**
 * A small Mercado Pago on 127.0.0.1: checks the bearer token and X-Idempotency-Key, keeps
 * payments and refunds, honours idempotency keys the way Mercado Pago does (same key, same
 * answer), and answers with its JSON shapes. Amounts arrive and leave as decimal reais.
 */
const TOKEN = 'TEST-7434000000000159-031412-cee51edf8000000000000000f94f589-1000000001';
const SECRET = 'mp-webhook-secret';

interface Payment {
  id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  transaction_amount_refunded: number;
  external_reference: string;
}

let mp: FakeProvider;
let payments: Map<string, Payment>;
let byKey: Map<string, FakeReply>;
let nextId = 1_300_000_000;

const bad = (code: number | string, description: string): FakeReply => ({ status: 400, json: { message: description, error: 'bad_request', status: 400, cause: [{ code, description, data: null }] } });

function mercadoPago(req: RecordedRequest): FakeReply {
  if (req.headers['authorization'] !== `Bearer ${TOKEN}`) return { status: 401, json: { message: 'invalid access token', error: 'unauthorized', status: 401, cause: [{ code: 401, description: 'Invalid token' }] } };
  if (req.method === 'POST') {
    const key = req.headers['x-idempotency-key'];
    if (typeof key !== 'string' || key === '') return bad(4292, 'Header X-Idempotency-Key can’t be null');
    const seen = byKey.get(`${req.path}:${key}`);
    if (seen) return seen;
    const reply = post(req);
    if (reply.status < 300) byKey.set(`${req.path}:${key}`, reply);
    return reply;
  }
  const m = /^\/v1\/payments\/(\d+)$/.exec(req.path);
  if (req.method === 'GET' && m) {
    const p = payments.get(m[1]!);
    return p ? { status: 200, json: { ...p, payment_method_id: 'pix', payment_type_id: 'bank_transfer', currency_id: 'BRL' } } : { status: 404, json: { message: 'Payment not found', status: 404, cause: [{ code: 2000, description: 'Payment not found' }] } };
  }
  return { status: 404, json: { message: 'not found' } };
}

function post(req: RecordedRequest): FakeReply {
  if (req.path === '/v1/payments') {
    const body = JSON.parse(req.body) as { transaction_amount: unknown; payment_method_id: string; external_reference: string; payer?: { email?: string } };
    if (body.payment_method_id !== 'pix' || typeof body.transaction_amount !== 'number' || !body.payer?.email) return bad(1, 'Params Error');
    const id = nextId++;
    const payment: Payment = { id, status: 'pending', status_detail: 'pending_waiting_transfer', transaction_amount: body.transaction_amount, transaction_amount_refunded: 0, external_reference: body.external_reference };
    payments.set(String(id), payment);
    return {
      status: 201,
      json: {
        ...payment,
        payment_method_id: 'pix',
        date_of_expiration: '2026-03-01T09:30:00.000-03:00',
        point_of_interaction: { type: 'PIX', transaction_data: { qr_code: `00020126580014br.gov.bcb.pix0136${id}`, qr_code_base64: 'iVBORw0KGgo=', ticket_url: `https://www.mercadopago.com.br/payments/${id}/ticket` } },
      },
    };
  }
  const m = /^\/v1\/payments\/(\d+)\/refunds$/.exec(req.path);
  if (m) {
    const p = payments.get(m[1]!);
    if (!p) return { status: 404, json: { message: 'Payment not found', status: 404, cause: [{ code: 2000, description: 'Payment not found' }] } };
    const amount = (JSON.parse(req.body) as { amount: unknown }).amount;
    if (typeof amount !== 'number' || amount <= 0) return bad(4040, 'amount attribute must be positive');
    if (p.status !== 'approved') return bad(2063, 'The action requested is not valid for the current payment state');
    const leftCents = Math.round((p.transaction_amount - p.transaction_amount_refunded) * 100);
    if (Math.round(amount * 100) > leftCents) return bad(3000, 'Invalid refund amount');
    p.transaction_amount_refunded = Math.round((p.transaction_amount_refunded + amount) * 100) / 100;
    if (Math.round(p.transaction_amount_refunded * 100) === Math.round(p.transaction_amount * 100)) p.status = 'refunded';
    return { status: 201, json: { id: nextId++, payment_id: p.id, amount, status: 'approved', source: { id: '1', name: 'Loja', type: 'collector' } } };
  }
  return { status: 404, json: { message: 'not found' } };
}

beforeAll(async () => {
  mp = await startFakeProvider(mercadoPago);
});
afterAll(async () => {
  await mp.close();
});
beforeEach(() => {
  payments = new Map();
  byKey = new Map();
  mp.handle = mercadoPago;
  mp.requests.length = 0;
});

const now = new Date('2026-03-01T12:00:00Z');
const provider = (extra: Partial<ConstructorParameters<typeof MercadoPagoPixProvider>[0]> = {}) =>
  new MercadoPagoPixProvider({ accessToken: TOKEN, apiUrl: mp.url, webhookSecret: SECRET, timeoutMs: 2_000, now: () => now, ...extra });
const pixInput = (overrides: Partial<CreatePixInput> = {}): CreatePixInput => ({
  amount: brl(1_999),
  reference: 'cart-77',
  idempotencyKey: randomUUID(),
  buyer: { name: 'Ana Maria Souza', email: 'ana@example.com', document: '52998224725' },
  expiresAt: new Date(now.getTime() + 30 * 60_000),
  ...overrides,
});

describe('Mercado Pago Pix', () => {
  it('creates the payment with POST /v1/payments, bearer token, X-Idempotency-Key and an exact decimal amount', async () => {
    const input = pixInput();
    const pix = await provider().createPix(input);
    expect(pix).toMatchObject({
      status: 'PENDING',
      amount: brl(1_999),
      qrCodeImageBase64: 'iVBORw0KGgo=',
      ticketUrl: expect.stringContaining('/ticket'),
      expiresAt: new Date('2026-03-01T12:30:00.000Z'),
    });
    expect(pix.qrCode).toMatch(/^000201/);

    const [req] = mp.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/v1/payments');
    expect(req!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(req!.headers['x-idempotency-key']).toBe(input.idempotencyKey);
    expect(req!.headers['content-type']).toBe('application/json');
    // The literal on the wire, not just its parsed value.
    expect(req!.body.startsWith('{"transaction_amount":19.99,')).toBe(true);
    expect(JSON.parse(req!.body)).toEqual({
      transaction_amount: 19.99,
      description: 'Pedido cart-77',
      payment_method_id: 'pix',
      external_reference: 'cart-77',
      date_of_expiration: '2026-03-01T09:30:00.000-03:00',
      payer: { email: 'ana@example.com', first_name: 'Ana', last_name: 'Maria Souza', identification: { type: 'CPF', number: '52998224725' } },
    });
  });

  it('sends the same key on a retry and gets the same payment back', async () => {
    const input = pixInput();
    const first = await provider().createPix(input);
    const again = await provider().createPix(input);
    expect(again.providerRef).toBe(first.providerRef);
    expect(payments.size).toBe(1);
  });

  it('keeps every amount exact over the wire and back (property)', async () => {
    const mpProvider = provider();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000_000_000 }), async (cents) => {
        mp.requests.length = 0;
        const pix = await mpProvider.createPix(pixInput({ amount: brl(cents) }));
        const sent = /^\{"transaction_amount":([0-9.]+),/.exec(mp.requests[0]!.body)?.[1];
        expect(sent).toBe(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
        expect(pix.amount).toEqual(brl(cents));
      }),
      { numRuns: 60 },
    );
  });

  it('refunds with POST /v1/payments/{id}/refunds and a decimal amount, never beyond what was paid', async () => {
    const mpProvider = provider();
    const pix = await mpProvider.createPix(pixInput({ amount: brl(1_000) }));
    await expect(mpProvider.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(100), idempotencyKey: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_REFUNDABLE',
      providerCode: '2063',
    });
    payments.get(pix.providerRef)!.status = 'approved';

    const key = randomUUID();
    const refund = await mpProvider.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(550), idempotencyKey: key });
    expect(refund).toMatchObject({ status: 'REFUNDED', amount: brl(550), refundRef: expect.any(String) });
    const req = mp.requests.at(-1)!;
    expect(req.url).toBe(`/v1/payments/${pix.providerRef}/refunds`);
    expect(req.body).toBe('{"amount":5.50}');
    expect(req.headers['x-idempotency-key']).toBe(key);
    // The retry of a refund whose answer was lost refunds nothing more.
    await mpProvider.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(550), idempotencyKey: key });
    expect(await mpProvider.getPayment(pix.providerRef)).toMatchObject({ state: 'PAID', captured: brl(1_000), refunded: brl(550) });

    await expect(mpProvider.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(451), idempotencyKey: randomUUID() })).rejects.toMatchObject({
      code: 'AMOUNT_EXCEEDS_REFUNDABLE',
    });
    await mpProvider.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(450), idempotencyKey: randomUUID() });
    expect(await mpProvider.getPayment(pix.providerRef)).toMatchObject({ state: 'REFUNDED', refunded: brl(1_000) });
  });

  it('maps 401, 5xx and slow answers to typed errors', async () => {
    await expect(provider({ accessToken: 'wrong' }).createPix(pixInput())).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', retryable: false });

    mp.handle = () => ({ status: 500, json: { message: 'internal_error' } });
    const failure = await provider().createPix(pixInput()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderNetworkError);
    expect(failure).toMatchObject({ retryable: true, httpStatus: 500 });

    mp.handle = (req) => ({ ...mercadoPago(req), delayMs: 400 });
    await expect(provider({ timeoutMs: 100 }).createPix(pixInput())).rejects.toBeInstanceOf(ProviderTimeoutError);
  });
});

describe('Mercado Pago webhooks', () => {
  const sign = (manifest: string, secret = SECRET) => createHmac('sha256', secret).update(manifest).digest('hex');
  const ts = String(Math.floor(now.getTime() / 1000));

  async function paidPix() {
    const pix = await provider().createPix(pixInput({ amount: brl(2_500) }));
    payments.get(pix.providerRef)!.status = 'approved';
    payments.get(pix.providerRef)!.status_detail = 'accredited';
    return pix.providerRef;
  }

  function notification(id: string, opts: { requestId?: string; ts?: string; secret?: string; bodyId?: string; type?: string } = {}): WebhookRequest {
    const requestId = opts.requestId ?? randomUUID();
    const at = opts.ts ?? ts;
    const manifest = `id:${id.toLowerCase()};request-id:${requestId};ts:${at};`;
    return {
      headers: { 'x-signature': `ts=${at},v1=${sign(manifest, opts.secret)}`, 'x-request-id': requestId, 'content-type': 'application/json' },
      rawBody: JSON.stringify({ action: 'payment.updated', api_version: 'v1', data: { id: opts.bodyId ?? id }, date_created: '2026-03-01T12:00:00Z', id: 123, live_mode: false, type: opts.type ?? 'payment', user_id: 44 }),
      query: { 'data.id': id, type: opts.type ?? 'payment' },
    };
  }

  async function failure(request: WebhookRequest) {
    const error = await provider().parseWebhook(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error instanceof WebhookVerificationError ? error.reason : undefined;
  }

  it('verifies x-signature over id, request-id and ts, then reads the payment to build the event', async () => {
    const id = await paidPix();
    const request = notification(id, { requestId: 'req-1' });
    expect(await provider().parseWebhook(request)).toEqual({
      type: 'PAYMENT_CONFIRMED',
      provider: 'mercadopago',
      providerRef: id,
      method: 'PIX',
      amount: brl(2_500),
      eventId: 'req-1',
    });
    expect(mp.requests.at(-1)!.url).toBe(`/v1/payments/${id}`);
  });

  it('refuses a wrong secret, a tampered id, a missing header and a body id that differs from the signed one', async () => {
    const id = await paidPix();
    expect(await failure(notification(id, { secret: 'not-the-secret' }))).toBe('BAD_SIGNATURE');
    const tampered = notification(id);
    expect(await failure({ ...tampered, query: { 'data.id': '999', type: 'payment' }, rawBody: tampered.rawBody.replace(id, '999') })).toBe('BAD_SIGNATURE');
    expect(await failure({ ...notification(id), headers: { 'x-request-id': 'r' } })).toBe('MISSING_SIGNATURE');
    expect(await failure(notification(id, { bodyId: '42' }))).toBe('MALFORMED');
    expect(await failure({ ...notification(id), headers: { 'x-signature': 'v1=abc' } })).toBe('MALFORMED');
  });

  it('refuses a replay with an old timestamp, in seconds or milliseconds', async () => {
    const id = await paidPix();
    const old = String(Math.floor(now.getTime() / 1000) - 301);
    expect(await failure(notification(id, { ts: old }))).toBe('STALE_TIMESTAMP');
    expect(await failure(notification(id, { ts: String(now.getTime() - 301_000) }))).toBe('STALE_TIMESTAMP');
    expect((await provider().parseWebhook(notification(id, { ts: String(now.getTime() - 5_000) }))).type).toBe('PAYMENT_CONFIRMED');
  });

  it('lower-cases an alphanumeric data.id in the manifest, reports refunds and ignores other topics', async () => {
    const id = await paidPix();
    await provider().refund({ providerRef: id, method: 'PIX', amount: brl(500), idempotencyKey: randomUUID() });
    expect(await provider().parseWebhook(notification(id))).toMatchObject({ type: 'PAYMENT_REFUNDED', refundedTotal: brl(500) });

    const order = notification('ABC123def', { type: 'merchant_order' });
    expect(await provider().parseWebhook(order)).toMatchObject({ type: 'IGNORED', provider: 'mercadopago' });
  });
});
