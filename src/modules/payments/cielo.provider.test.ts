import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CieloPaymentProvider, cieloDeclineReason } from './cielo.provider.js';
import { ProviderNetworkError, ProviderRejectedError, ProviderTimeoutError, WebhookVerificationError, brl, cardToken, type AuthorizeCardInput, type CallMemory } from './payments.provider.js';
import { CIELO_MERCHANT_ID as MERCHANT_ID, CIELO_MERCHANT_KEY as MERCHANT_KEY, startFakeCielo, type CieloSale, type FakeCielo } from '../../../test/doubles/fake-cielo.js';
import { startFakeProvider, type FakeProvider } from '../../../test/doubles/fake-provider.js';

// Cielo's two hosts, checking requests and answering as the API E-commerce documents them (fake-cielo.ts).
let fakeCielo: FakeCielo;
let api: FakeProvider;
let query: FakeProvider;
let sales: Map<string, CieloSale>;

beforeAll(async () => {
  fakeCielo = await startFakeCielo();
  ({ api, query, sales } = fakeCielo);
});
afterAll(async () => {
  await fakeCielo.close();
});
beforeEach(() => {
  fakeCielo.reset();
});

const buyer = { name: 'Ana Souza', email: 'ana@example.com', document: '529.982.247-25' };
const provider = (extra: Partial<ConstructorParameters<typeof CieloPaymentProvider>[0]> = {}) =>
  new CieloPaymentProvider({ merchantId: MERCHANT_ID, merchantKey: MERCHANT_KEY, apiUrl: api.url, queryUrl: `${query.url}/`, timeoutMs: 2_000, ...extra });
const authorizeInput = (overrides: Partial<AuthorizeCardInput> = {}): AuthorizeCardInput => ({
  amount: brl(15_700),
  installments: 3,
  cardToken: cardToken('b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10'),
  cardBrand: 'Visa',
  reference: 'CART-42/part 1',
  idempotencyKey: randomUUID(),
  buyer,
  ...overrides,
});

/**
 * What the provider-call journal (provider-calls.ts, PostgreSQL) hands the adapter per key:
 * a key sent before without a recorded answer is uncertain, with the notes saved for it.
 * (Answering a repeated key from its stored result is the journal's job, tested with it.)
 */
function journal() {
  const rows = new Map<string, { sends: number; notes: Record<string, unknown> | null }>();
  return (key: string): CallMemory => {
    const row = rows.get(key) ?? { sends: 0, notes: null };
    rows.set(key, row);
    const memory: CallMemory = { uncertain: row.sends > 0, notes: row.notes, note: async (notes) => void (row.notes = notes) };
    row.sends += 1;
    return memory;
  };
}

describe('Cielo card payments', () => {
  it('authorizes with POST /1/sales/, Capture false, amount in centavos and the token, never a card number', async () => {
    const result = await provider({ softDescriptor: 'MARKETPLACE' }).authorizeCard(authorizeInput());
    expect(result).toMatchObject({ status: 'AUTHORIZED', amount: brl(15_700), installments: 3, authorizationCode: '123456' });

    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/1/sales/');
    expect(req!.headers['merchantid']).toBe(MERCHANT_ID);
    expect(req!.headers['merchantkey']).toBe(MERCHANT_KEY);
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body);
    expect(body.MerchantOrderId).toMatch(/^CART42part1[0-9a-f]{14}$/);
    expect(body.Customer).toEqual({ Name: 'Ana Souza', Email: 'ana@example.com', Identity: '52998224725', IdentityType: 'CPF' });
    expect(body.Payment).toEqual({
      Type: 'CreditCard',
      Amount: 15700,
      Currency: 'BRL',
      Country: 'BRA',
      Installments: 3,
      Interest: 'ByMerchant',
      Capture: false,
      SoftDescriptor: 'MARKETPLACE',
      CreditCard: { PaymentToken: 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10', Brand: 'Visa' },
    });
  });

  it('sends a saved card as CardToken', async () => {
    await provider().authorizeCard(authorizeInput({ tokenKind: 'CARD_TOKEN', cardBrand: 'Master' }));
    expect(JSON.parse(api.requests[0]!.body).Payment.CreditCard).toEqual({ CardToken: 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10', Brand: 'Master' });
  });

  it('maps declines (Status 3) by ReturnCode', async () => {
    const cases = [
      ['51', 'INSUFFICIENT_FUNDS'],
      ['59', 'SUSPECTED_FRAUD'],
      ['54', 'EXPIRED_CARD'],
      ['78', 'BLOCKED_CARD'],
      ['99', 'ISSUER_UNAVAILABLE'],
      ['05', 'DO_NOT_HONOR'],
    ] as const;
    for (const [returnCode, reason] of cases) {
      fakeCielo.authorizeReply = (sale, id) => {
        sale.status = 3;
        return { status: 201, json: { Payment: { PaymentId: id, Type: 'CreditCard', Amount: sale.amount, Status: 3, ReturnCode: returnCode, ReturnMessage: 'Not Authorized' } } };
      };
      expect(await provider().authorizeCard(authorizeInput())).toMatchObject({ status: 'DECLINED', reason, providerCode: returnCode, message: 'Not Authorized' });
    }
    expect(cieloDeclineReason('070')).toBe('INVALID_CARD');
  });

  it('captures with PUT /1/sales/{id}/capture?amount= and surfaces Cielo’s refusals as typed rejections', async () => {
    const cielo = provider();
    const auth = await cielo.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');

    const over = await cielo.captureCard({ providerRef: auth.providerRef, amount: brl(15_701) }).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(ProviderRejectedError);
    expect(over).toMatchObject({ code: 'AMOUNT_EXCEEDS_AUTHORIZED', providerCode: '842', retryable: false });

    expect(await cielo.captureCard({ providerRef: auth.providerRef, amount: brl(12_000) })).toEqual({ status: 'CAPTURED', providerRef: auth.providerRef, amount: brl(12_000) });
    const put = api.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(put.url).toBe(`/1/sales/${auth.providerRef}/capture?amount=12000`);
    expect(put.headers['merchantid']).toBe(MERCHANT_ID);
    expect(put.headers['merchantkey']).toBe(MERCHANT_KEY);

    await expect(cielo.captureCard({ providerRef: auth.providerRef, amount: brl(3_700) })).rejects.toMatchObject({ code: 'NOT_CAPTURABLE', providerCode: '841' });
  });

  it('voids with PUT /1/sales/{id}/void?amount=, whole before capture and partially after', async () => {
    const cielo = provider();
    const first = await cielo.authorizeCard(authorizeInput());
    if (first.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    expect(await cielo.voidCard({ providerRef: first.providerRef, amount: brl(15_700) })).toMatchObject({ status: 'VOIDED', amount: brl(15_700) });
    expect(api.requests.at(-1)!.url).toBe(`/1/sales/${first.providerRef}/void?amount=15700`);
    expect((await cielo.getPayment(first.providerRef)).state).toBe('CANCELLED');
    // Cielo refuses a second void while echoing the sale's status (10): still a refusal.
    await expect(cielo.voidCard({ providerRef: first.providerRef, amount: brl(15_700) })).rejects.toMatchObject({ code: 'NOT_VOIDABLE', providerCode: '72' });

    const second = await cielo.authorizeCard(authorizeInput());
    if (second.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    await cielo.captureCard({ providerRef: second.providerRef, amount: brl(15_700) });
    expect(await cielo.voidCard({ providerRef: second.providerRef, amount: brl(5_000) })).toMatchObject({ status: 'VOIDED', amount: brl(5_000) });
    expect(api.requests.at(-1)!.url).toBe(`/1/sales/${second.providerRef}/void?amount=5000`);
    expect(await cielo.getPayment(second.providerRef)).toMatchObject({ state: 'PAID', captured: brl(15_700), refunded: brl(5_000) });
  });

  it('refunds a card through void, never beyond what is left, and reads state from the query host', async () => {
    const cielo = provider();
    const auth = await cielo.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    await cielo.captureCard({ providerRef: auth.providerRef, amount: brl(15_700) });

    const refundKey = randomUUID();
    const memory = journal();
    expect(await cielo.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(10_000), idempotencyKey: refundKey, memory: memory(refundKey) })).toMatchObject({
      status: 'REFUNDED',
      amount: brl(10_000),
    });
    expect(query.requests.map((r) => r.path)).toContain(`/1/sales/${auth.providerRef}`);
    // Same key again with its answer unknown: the notes show it went through, no second void.
    const puts = api.requests.filter((r) => r.method === 'PUT').length;
    await cielo.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(10_000), idempotencyKey: refundKey, memory: memory(refundKey) });
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(puts);

    await expect(cielo.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(5_701), idempotencyKey: randomUUID() })).rejects.toMatchObject({
      code: 'AMOUNT_EXCEEDS_REFUNDABLE',
    });
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(puts);
    await expect(cielo.refund({ providerRef: auth.providerRef, method: 'PIX', amount: brl(1), idempotencyKey: randomUUID() })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('maps HTTP errors: 400 with Cielo’s error list, 401, and 5xx as retryable', async () => {
    api.handle = () => ({ status: 400, json: [{ Code: 126, Message: 'Credit Card Expiration Date is invalid' }] });
    await expect(provider().authorizeCard(authorizeInput())).rejects.toMatchObject({ code: 'INVALID_REQUEST', providerCode: '126', httpStatus: 400, retryable: false });

    api.handle = fakeCielo.answerApi;
    await expect(provider({ merchantKey: 'wrong' }).authorizeCard(authorizeInput())).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', providerCode: '132' });

    api.handle = () => ({ status: 503, raw: 'Service Unavailable' });
    const error = await provider().authorizeCard(authorizeInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderNetworkError);
    expect(error).toMatchObject({ httpStatus: 503, retryable: true });
  });

  it('times out slow answers and, retried with the same key, finds the sale instead of charging twice', async () => {
    fakeCielo.authorizeDelayMs = 500;
    const cielo = provider({ timeoutMs: 150 });
    const input = authorizeInput();
    const memory = journal();
    await expect(cielo.authorizeCard({ ...input, memory: memory(input.idempotencyKey) })).rejects.toBeInstanceOf(ProviderTimeoutError);
    // Cielo did process it, it just answered too late.
    expect(sales.size).toBe(1);

    fakeCielo.authorizeDelayMs = 0;
    const retried = await cielo.authorizeCard({ ...input, memory: memory(input.idempotencyKey) });
    expect(retried).toMatchObject({ status: 'AUTHORIZED', providerRef: [...sales.keys()][0], amount: brl(15_700) });
    expect(sales.size).toBe(1);
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(query.requests[0]!.url).toBe(`/1/sales?merchantOrderId=${JSON.parse(api.requests[0]!.body).MerchantOrderId}`);
  });

  it('a refund that timed out but went through is not sent again on retry', async () => {
    const cielo = provider({ timeoutMs: 150 });
    const auth = await cielo.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    await cielo.captureCard({ providerRef: auth.providerRef, amount: brl(15_700) });

    api.handle = (req) => ({ ...fakeCielo.answerApi(req), delayMs: req.path.endsWith('/void') ? 500 : 0 });
    const refund = { providerRef: auth.providerRef, method: 'CARD' as const, amount: brl(5_000), idempotencyKey: randomUUID() };
    const memory = journal();
    await expect(cielo.refund({ ...refund, memory: memory(refund.idempotencyKey) })).rejects.toBeInstanceOf(ProviderTimeoutError);
    expect(sales.get(auth.providerRef)!.voided).toBe(5_000);

    api.handle = fakeCielo.answerApi;
    const voids = api.requests.filter((r) => r.path.endsWith('/void')).length;
    expect(await cielo.refund({ ...refund, memory: memory(refund.idempotencyKey) })).toMatchObject({ status: 'REFUNDED', amount: brl(5_000) });
    expect(api.requests.filter((r) => r.path.endsWith('/void'))).toHaveLength(voids);
    expect(sales.get(auth.providerRef)!.voided).toBe(5_000);
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = await startFakeProvider();
    const url = closed.url;
    await closed.close();
    await expect(provider({ apiUrl: url }).authorizeCard(authorizeInput())).rejects.toBeInstanceOf(ProviderNetworkError);
  });
});

describe('Cielo Pix', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('creates a Pix QR code with Payment.Type "Pix" and returns the QR fields', async () => {
    const cielo = provider({ pixProvider: 'Cielo2', now: () => now });
    const pix = await cielo.createPix({ amount: brl(1_999), reference: 'cart 9', idempotencyKey: randomUUID(), buyer, expiresAt: new Date(now.getTime() + 30 * 60_000) });
    expect(pix).toMatchObject({ status: 'PENDING', amount: brl(1_999), qrCodeImageBase64: 'iVBORw0KGgo=' });
    expect(pix.qrCode.startsWith('000201')).toBe(true);
    expect(pix.expiresAt).toEqual(new Date(now.getTime() + 30 * 60_000));
    const body = JSON.parse(api.requests[0]!.body);
    expect(body.Payment).toEqual({ Type: 'Pix', Provider: 'Cielo2', QrCode: { Expiration: 1800 }, Amount: 1999 });
    expect(body.Customer).toMatchObject({ Identity: '52998224725', IdentityType: 'CPF' });
  });

  it('caps the QR code at Cielo’s 24 hours and refunds Pix through void', async () => {
    const cielo = provider({ now: () => now });
    const pix = await cielo.createPix({ amount: brl(5_000), reference: 'c', idempotencyKey: randomUUID(), buyer, expiresAt: new Date(now.getTime() + 3 * 86_400_000) });
    expect(pix.expiresAt).toEqual(new Date(now.getTime() + 86_400_000));
    expect(JSON.parse(api.requests[0]!.body).Payment).toEqual({ Type: 'Pix', Amount: 5000 });

    await expect(cielo.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(100), idempotencyKey: randomUUID() })).rejects.toMatchObject({ code: 'NOT_REFUNDABLE' });
    sales.get(pix.providerRef)!.status = 2; // the buyer paid
    expect(await cielo.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(2_000), idempotencyKey: randomUUID() })).toMatchObject({ status: 'PENDING', amount: brl(2_000) });
    expect(api.requests.at(-1)!.url).toBe(`/1/sales/${pix.providerRef}/void?amount=2000`);
    expect(await cielo.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(3_000), idempotencyKey: randomUUID() })).toMatchObject({ status: 'REFUNDED' });
  });
});

describe('Cielo notifications', () => {
  const header = { name: 'X-Marketplace-Token', value: 'registered-with-cielo' };

  it('checks the registered header, then reads the payment back to build the event', async () => {
    const cielo = provider({ webhookHeader: header });
    const pix = await cielo.createPix({ amount: brl(4_200), reference: 'n', idempotencyKey: randomUUID(), buyer, expiresAt: new Date(Date.now() + 600_000) });
    sales.get(pix.providerRef)!.status = 2;
    const rawBody = JSON.stringify({ PaymentId: pix.providerRef, ChangeType: 1 });
    expect(await cielo.parseWebhook({ headers: { 'x-marketplace-token': 'registered-with-cielo' }, rawBody })).toMatchObject({
      type: 'PAYMENT_CONFIRMED',
      provider: 'cielo',
      providerRef: pix.providerRef,
      method: 'PIX',
      amount: brl(4_200),
    });

    await expect(cielo.parseWebhook({ headers: {}, rawBody })).rejects.toMatchObject({ reason: 'MISSING_SIGNATURE' });
    await expect(cielo.parseWebhook({ headers: { 'X-Marketplace-Token': 'guess' }, rawBody })).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(cielo.parseWebhook({ headers: { 'X-Marketplace-Token': header.value }, rawBody: 'not json' })).rejects.toMatchObject({ reason: 'MALFORMED' });
  });

  it('turns a partial void into PAYMENT_REFUNDED with the refunded total, and ignores other change types', async () => {
    const cielo = provider();
    const auth = await cielo.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    await cielo.captureCard({ providerRef: auth.providerRef, amount: brl(15_700) });
    await cielo.voidCard({ providerRef: auth.providerRef, amount: brl(700) });
    expect(await cielo.parseWebhook({ headers: {}, rawBody: JSON.stringify({ PaymentId: auth.providerRef, ChangeType: '25' }) })).toMatchObject({
      type: 'PAYMENT_REFUNDED',
      method: 'CARD',
      refundedTotal: brl(700),
    });
    expect(await cielo.parseWebhook({ headers: {}, rawBody: JSON.stringify({ PaymentId: auth.providerRef, ChangeType: 2, RecurrentPaymentId: randomUUID() }) })).toMatchObject({
      type: 'IGNORED',
    });
  });
});
