import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MercadoPagoPixProvider } from './mercadopago.provider.js';
import { ProviderNetworkError, ProviderTimeoutError, WebhookVerificationError, brl, type CreatePixInput, type WebhookRequest } from './payments.provider.js';
import { MP_ACCESS_TOKEN as TOKEN, MP_WEBHOOK_SECRET as SECRET, signedMercadoPagoNotification, startFakeMercadoPago, type FakeMercadoPago, type MercadoPagoPayment, type NotificationOptions } from '../../../test/doubles/fake-mercadopago.js';
import type { FakeProvider } from '../../../test/doubles/fake-provider.js';

// Mercado Pago's API, checking requests and answering as it documents them (fake-mercadopago.ts).
let fakeMp: FakeMercadoPago;
let mp: FakeProvider;
let payments: Map<string, MercadoPagoPayment>;

beforeAll(async () => {
  fakeMp = await startFakeMercadoPago();
  ({ api: mp, payments } = fakeMp);
});
afterAll(async () => {
  await fakeMp.close();
});
beforeEach(() => {
  fakeMp.reset();
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

    mp.handle = (req) => ({ ...fakeMp.answer(req), delayMs: 400 });
    await expect(provider({ timeoutMs: 100 }).createPix(pixInput())).rejects.toBeInstanceOf(ProviderTimeoutError);
  });
});

describe('Mercado Pago webhooks', () => {
  async function paidPix() {
    const pix = await provider().createPix(pixInput({ amount: brl(2_500) }));
    payments.get(pix.providerRef)!.status = 'approved';
    payments.get(pix.providerRef)!.status_detail = 'accredited';
    return pix.providerRef;
  }

  const notification = (id: string, opts: Omit<NotificationOptions, 'now'> = {}): WebhookRequest => signedMercadoPagoNotification(id, { ...opts, now });

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
