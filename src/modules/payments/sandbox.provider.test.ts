import { describe, expect, it } from 'vitest';
import { crc16 } from './pix-emv.js';
import { CardDataRefusedError, ProviderNetworkError, ProviderRejectedError, ProviderTimeoutError, WebhookVerificationError, brl, cardToken, type AuthorizeCardInput, type CardToken } from './payments.provider.js';
import { SANDBOX_SIGNATURE_HEADER, SandboxPaymentProvider } from './sandbox.provider.js';

const buyer = { name: 'Ana Souza', email: 'ana@example.com', document: '52998224725' };
let keys = 0;
const key = () => `key-${++keys}`;

function authorizeInput(overrides: Partial<AuthorizeCardInput> = {}): AuthorizeCardInput {
  return {
    amount: brl(10_000),
    installments: 3,
    cardToken: cardToken('tok_approve'),
    cardBrand: 'Visa',
    reference: 'cart-1-part-1',
    idempotencyKey: key(),
    buyer,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderRejectedError);
  if (!(error instanceof ProviderRejectedError)) throw new Error('expected a rejection');
  return error;
}

describe('sandbox provider: cards', () => {
  it('authorizes tok_approve and declines the documented decline tokens with their reasons', async () => {
    const sandbox = new SandboxPaymentProvider();
    const ok = await sandbox.authorizeCard(authorizeInput());
    expect(ok).toMatchObject({ status: 'AUTHORIZED', amount: brl(10_000), installments: 3 });

    const cases = [
      ['tok_decline_insufficient_funds', 'INSUFFICIENT_FUNDS', '51'],
      ['tok_decline_fraud', 'SUSPECTED_FRAUD', '59'],
      ['tok_decline_expired', 'EXPIRED_CARD', '54'],
      ['tok_decline_generic', 'DO_NOT_HONOR', '05'],
      ['tok_someone_elses', 'INVALID_CARD', '14'],
    ] as const;
    for (const [token, reason, code] of cases) {
      const result = await sandbox.authorizeCard(authorizeInput({ cardToken: cardToken(token) }));
      expect(result).toMatchObject({ status: 'DECLINED', reason, providerCode: code });
    }
  });

  it('throws the typed transport errors for tok_timeout and tok_network_error', async () => {
    const sandbox = new SandboxPaymentProvider();
    await expect(sandbox.authorizeCard(authorizeInput({ cardToken: cardToken('tok_timeout') }))).rejects.toBeInstanceOf(ProviderTimeoutError);
    await expect(sandbox.authorizeCard(authorizeInput({ cardToken: cardToken('tok_network_error') }))).rejects.toBeInstanceOf(ProviderNetworkError);
  });

  it('refuses a card number smuggled past the type system, and installments outside 1–12', async () => {
    const sandbox = new SandboxPaymentProvider();
    // What a JSON body could deliver if a caller skipped cardToken(): the run-time guard still holds.
    const smuggled = JSON.parse('"4111111111111111"') as CardToken;
    await expect(sandbox.authorizeCard(authorizeInput({ cardToken: smuggled }))).rejects.toBeInstanceOf(CardDataRefusedError);
    await expect(sandbox.authorizeCard(authorizeInput({ installments: 13 }))).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(sandbox.authorizeCard(authorizeInput({ installments: 0 }))).rejects.toBeInstanceOf(ProviderRejectedError);
  });

  it('captures at most what was authorized, once', async () => {
    const sandbox = new SandboxPaymentProvider();
    const auth = await sandbox.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');

    expect((await rejection(sandbox.captureCard({ providerRef: auth.providerRef, amount: brl(10_001) }))).code).toBe('AMOUNT_EXCEEDS_AUTHORIZED');
    // A partial capture is allowed (one order of the cart was cancelled before fraud approval)…
    expect(await sandbox.captureCard({ providerRef: auth.providerRef, amount: brl(7_500) })).toEqual({
      status: 'CAPTURED',
      providerRef: auth.providerRef,
      amount: brl(7_500),
    });
    // …but only once, as Cielo allows.
    expect((await rejection(sandbox.captureCard({ providerRef: auth.providerRef, amount: brl(2_500) }))).code).toBe('ALREADY_CAPTURED');
    expect(await sandbox.getPayment(auth.providerRef)).toMatchObject({ state: 'PAID', amount: brl(10_000), captured: brl(7_500), refunded: brl(0) });
  });

  it('voids an uncaptured authorization whole only, and then nothing more can happen to it', async () => {
    const sandbox = new SandboxPaymentProvider();
    const auth = await sandbox.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    expect((await rejection(sandbox.voidCard({ providerRef: auth.providerRef, amount: brl(5_000) }))).code).toBe('PARTIAL_VOID_NOT_ALLOWED');
    expect(await sandbox.voidCard({ providerRef: auth.providerRef, amount: brl(10_000) })).toMatchObject({ status: 'VOIDED', amount: brl(10_000) });
    expect((await rejection(sandbox.captureCard({ providerRef: auth.providerRef, amount: brl(10_000) }))).code).toBe('NOT_CAPTURABLE');
    expect((await rejection(sandbox.voidCard({ providerRef: auth.providerRef, amount: brl(10_000) }))).code).toBe('NOT_VOIDABLE');
    expect(
      (await rejection(sandbox.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(1), idempotencyKey: key() }))).code,
    ).toBe('NOT_REFUNDABLE');
    expect((await sandbox.getPayment(auth.providerRef)).state).toBe('CANCELLED');
  });

  it('refunds at most what was captured, across partial refunds and voids', async () => {
    const sandbox = new SandboxPaymentProvider();
    const auth = await sandbox.authorizeCard(authorizeInput());
    if (auth.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    expect(
      (await rejection(sandbox.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(100), idempotencyKey: key() }))).code,
    ).toBe('NOT_REFUNDABLE');
    await sandbox.captureCard({ providerRef: auth.providerRef, amount: brl(9_000) });

    await sandbox.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(4_000), idempotencyKey: key() });
    // After capture a void is a partial refund, drawing on the same captured amount.
    await sandbox.voidCard({ providerRef: auth.providerRef, amount: brl(3_000) });
    const tooMuch = await rejection(sandbox.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(2_001), idempotencyKey: key() }));
    expect(tooMuch.code).toBe('AMOUNT_EXCEEDS_REFUNDABLE');
    expect(tooMuch.retryable).toBe(false);
    await sandbox.refund({ providerRef: auth.providerRef, method: 'CARD', amount: brl(2_000), idempotencyKey: key() });
    expect(await sandbox.getPayment(auth.providerRef)).toMatchObject({ state: 'REFUNDED', captured: brl(9_000), refunded: brl(9_000) });
  });

  it('returns the first result for a repeated idempotency key and refuses the key for another request', async () => {
    const sandbox = new SandboxPaymentProvider();
    const input = authorizeInput();
    const first = await sandbox.authorizeCard(input);
    expect(await sandbox.authorizeCard({ ...input })).toEqual(first);
    expect((await rejection(sandbox.authorizeCard({ ...input, amount: brl(1) }))).code).toBe('IDEMPOTENCY_CONFLICT');

    const declinedInput = authorizeInput({ cardToken: cardToken('tok_decline_fraud') });
    const declined = await sandbox.authorizeCard(declinedInput);
    expect(await sandbox.authorizeCard(declinedInput)).toEqual(declined);

    if (first.status !== 'AUTHORIZED') throw new Error('expected an authorization');
    await sandbox.captureCard({ providerRef: first.providerRef, amount: brl(10_000) });
    const refundInput = { providerRef: first.providerRef, method: 'CARD' as const, amount: brl(6_000), idempotencyKey: key() };
    const refunded = await sandbox.refund(refundInput);
    // Retrying a refund (e.g. after a lost response) must not refund twice.
    expect(await sandbox.refund(refundInput)).toEqual(refunded);
    expect((await sandbox.getPayment(first.providerRef)).refunded).toEqual(brl(6_000));
  });
});

describe('sandbox provider: Pix', () => {
  const at = new Date('2026-03-01T12:00:00Z');

  it('returns a deterministic BR Code carrying the amount, with a valid CRC', async () => {
    const a = new SandboxPaymentProvider({ now: () => at });
    const b = new SandboxPaymentProvider({ now: () => at });
    const input = { amount: brl(1_999), reference: 'cart-7', idempotencyKey: 'pix-key-1', buyer, expiresAt: new Date(at.getTime() + 30 * 60_000) };
    const pix = await a.createPix(input);
    expect(pix.status).toBe('PENDING');
    expect((await b.createPix(input)).qrCode).toBe(pix.qrCode);
    expect(pix.qrCode.startsWith('000201')).toBe(true);
    expect(pix.qrCode).toContain('0014br.gov.bcb.pix');
    expect(pix.qrCode).toContain('540519.99');
    expect(pix.qrCode).toContain('5303986');
    expect(pix.qrCode.slice(-4)).toBe(crc16(pix.qrCode.slice(0, -4)));
    expect(await a.createPix(input)).toEqual(pix);
  });

  it('confirm() pays the charge and yields a signed webhook that parseWebhook verifies', async () => {
    const sandbox = new SandboxPaymentProvider({ webhookSecret: 'shh', now: () => at });
    const pix = await sandbox.createPix({ amount: brl(5_000), reference: 'cart-8', idempotencyKey: key(), buyer, expiresAt: new Date(at.getTime() + 3_600_000) });
    expect((await rejection(sandbox.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(1), idempotencyKey: key() }))).code).toBe('NOT_REFUNDABLE');

    const webhook = await sandbox.confirm(pix.providerRef);
    expect(await sandbox.parseWebhook(webhook)).toMatchObject({
      type: 'PAYMENT_CONFIRMED',
      provider: 'sandbox',
      providerRef: pix.providerRef,
      method: 'PIX',
      amount: brl(5_000),
    });
    expect((await sandbox.getPayment(pix.providerRef)).state).toBe('PAID');
    expect((await rejection(sandbox.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(5_001), idempotencyKey: key() }))).code).toBe(
      'AMOUNT_EXCEEDS_REFUNDABLE',
    );
    expect(await sandbox.refund({ providerRef: pix.providerRef, method: 'PIX', amount: brl(5_000), idempotencyKey: key() })).toMatchObject({ status: 'REFUNDED' });
    // Paying twice is not a thing.
    await expect(sandbox.confirm(pix.providerRef)).rejects.toThrow(ProviderRejectedError);
  });

  it('a confirmation signed elsewhere with the shared secret settles this process’s ledger', async () => {
    const server = new SandboxPaymentProvider({ webhookSecret: 'shared', now: () => at });
    const operator = new SandboxPaymentProvider({ webhookSecret: 'shared', now: () => at });
    const pix = await server.createPix({ amount: brl(700), reference: 'cart-9', idempotencyKey: key(), buyer, expiresAt: new Date(at.getTime() + 3_600_000) });
    const webhook = await operator.signWebhook({ id: 'evt-op-1', type: 'PAYMENT_CONFIRMED', providerRef: pix.providerRef, method: 'PIX', amount: 700 });
    expect((await server.parseWebhook(webhook)).type).toBe('PAYMENT_CONFIRMED');
    expect((await server.getPayment(pix.providerRef)).state).toBe('PAID');
  });

  it('refuses webhooks that are unsigned, tampered with, signed with another secret, or replayed late', async () => {
    let now = at;
    const sandbox = new SandboxPaymentProvider({ webhookSecret: 'shh', webhookToleranceSeconds: 300, now: () => now });
    const pix = await sandbox.createPix({ amount: brl(1_000), reference: 'cart-10', idempotencyKey: key(), buyer, expiresAt: new Date(at.getTime() + 3_600_000) });
    const webhook = await sandbox.confirm(pix.providerRef);
    const reason = async (request: Parameters<SandboxPaymentProvider['parseWebhook']>[0]) => {
      const error = await sandbox.parseWebhook(request).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WebhookVerificationError);
      return error instanceof WebhookVerificationError ? error.reason : undefined;
    };

    expect(await reason({ headers: {}, rawBody: webhook.rawBody })).toBe('MISSING_SIGNATURE');
    expect(await reason({ headers: webhook.headers, rawBody: webhook.rawBody.replace('1000', '1') })).toBe('BAD_SIGNATURE');
    const forged = await new SandboxPaymentProvider({ webhookSecret: 'guess', now: () => now }).signWebhook(JSON.parse(webhook.rawBody));
    expect(await reason(forged)).toBe('BAD_SIGNATURE');
    expect(await reason({ headers: { [SANDBOX_SIGNATURE_HEADER]: 'v1=abc' }, rawBody: webhook.rawBody })).toBe('MALFORMED');

    now = new Date(at.getTime() + 301_000);
    expect(await reason(webhook)).toBe('STALE_TIMESTAMP');
    now = new Date(at.getTime() + 299_000);
    expect((await sandbox.parseWebhook(webhook)).type).toBe('PAYMENT_CONFIRMED');
  });

  it('an unpaid charge expires: confirm is refused afterwards and expire() yields PAYMENT_FAILED', async () => {
    let now = at;
    const sandbox = new SandboxPaymentProvider({ now: () => now });
    const lapsed = await sandbox.createPix({ amount: brl(100), reference: 'c', idempotencyKey: key(), buyer, expiresAt: new Date(at.getTime() + 60_000) });
    const cancelled = await sandbox.createPix({ amount: brl(100), reference: 'd', idempotencyKey: key(), buyer, expiresAt: new Date(at.getTime() + 600_000) });
    expect(await sandbox.parseWebhook(await sandbox.expire(cancelled.providerRef))).toMatchObject({ type: 'PAYMENT_FAILED', reason: 'expired' });
    now = new Date(at.getTime() + 61_000);
    await expect(sandbox.confirm(lapsed.providerRef)).rejects.toThrow(ProviderRejectedError);
    expect((await sandbox.getPayment(lapsed.providerRef)).state).toBe('CANCELLED');
  });
});
