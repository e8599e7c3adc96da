import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestApp, codes, type GraphQLResponse, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { PaymentConfirmBankDepositDocument, PaymentCreateGiftCardDocument, PaymentTransactionByCartDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { AppError } from '../src/shared/errors/index.js';
import { money } from '../src/shared/money/index.js';
import { Services } from '../src/shared/runtime/index.js';
import { GiftCard, PaymentEventRecord, PaymentTransaction, PaymentTransactionPart, ProviderNetworkError, abandonAuthorization, authorizePayment, captureTransaction, expireUnpaidTransactions, recordTransaction, releasePayment, paymentReleaseRecovery, PAYMENT_LIFECYCLE, paymentProviders, type CheckoutPaymentPart, type PaymentLifecycle, type SandboxPaymentProvider, type SignedWebhook } from '../src/modules/payments/index.js';
import { recoverAbandonedClaims } from '../src/shared/idempotency/index.js';

/**
 * The payment transaction: checkout's authorize → record → capture/release against the
 * sandbox provider, provider webhooks over HTTP (applied once, forged ones refused), the
 * operator's deposit confirmation, gift cards under concurrency, and expiry.
 */

let t: TestApp;
let f: Factory;
let sandbox: SandboxPaymentProvider;
let webhookUrl: string;
const tokens = {} as Record<'owner' | 'admin' | 'support' | 'customer', string>;
const lifecycle = {
  paid: vi.fn<PaymentLifecycle['paid']>(async () => {}),
  expired: vi.fn<PaymentLifecycle['expired']>(async () => {}),
};
const buyer = { name: 'Ana Souza', email: 'ana@example.com', document: '52998224725' };

beforeAll(async () => {
  // The background expiry pass must never run during the tests: they call it themselves.
  t = await startTestApp({ PAYMENT_EXPIRY_POLL_MS: '3600000' }, { overrides: new Services().set(PAYMENT_LIFECYCLE, lifecycle) });
  f = new Factory(t);
  sandbox = paymentProviders(t.app.runtime).sandbox!;
  webhookUrl = t.url.replace(/\/graphql$/, '/webhooks/payments/sandbox');
  tokens.owner = (await f.operator(UserRole.OWNER)).token;
  tokens.admin = (await f.operator(UserRole.ADMIN)).token;
  tokens.support = (await f.operator(UserRole.SUPPORT)).token;
  tokens.customer = (await f.customer()).token;
});

afterAll(async () => {
  await t?.stop();
});

beforeEach(() => {
  lifecycle.paid.mockClear();
  lifecycle.expired.mockClear();
  vi.restoreAllMocks();
});

const runtime = () => t.app.runtime;
const card = (token: string, amount: number, last4 = '1111'): CheckoutPaymentPart => ({
  method: 'CARD',
  amount: money(amount),
  installments: 1,
  card: { token, brand: 'Visa', bin: '411111', last4 },
});
const pix = (amount: number): CheckoutPaymentPart => ({ method: 'PIX', amount: money(amount) });

function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

/** The AppError a promise rejects with. */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

function newCart() {
  return { cartId: randomUUID(), cartNumber: `P${randomBytes(4).toString('hex').toUpperCase()}` };
}

/** What the checkout does: authorize before its transaction, record inside it. */
async function checkout(parts: CheckoutPaymentPart[]) {
  const { cartId, cartNumber } = newCart();
  const total = money(parts.reduce((s, p) => s + p.amount.amount, 0));
  const auth = await authorizePayment(runtime(), { reference: cartNumber, idempotencyKey: `checkout-${cartNumber}`, total, parts, buyer });
  const tx = await f.em().transactional((em) => recordTransaction(em, { cartId, cartNumber, auth, total }));
  return { auth, tx, cartId, cartNumber };
}

async function load(id: string) {
  const em = f.em();
  const tx = await em.findOneOrFail(PaymentTransaction, id, { populate: ['parts'] });
  return { tx, parts: tx.parts.getItems() };
}

const capture = (id: string) => captureTransaction(runtime(), f.em(), id);
const release = (id: string, amount: number, key = `rel-${randomUUID()}`) => releasePayment(runtime(), f.em(), id, money(amount), key);

async function post(hook: SignedWebhook) {
  const res = await fetch(webhookUrl, { method: 'POST', headers: hook.headers, body: hook.rawBody });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('cards: authorize at checkout, capture when fraud approves', () => {
  it('authorizes, records and captures; capturing again changes nothing', async () => {
    const { auth, tx } = await checkout([card('tok_approve', 12_345)]);
    expect(auth.outcome).toBe('AUTHORIZED');
    expect(auth.expiresAt).toBeNull();
    expect(tx.status).toBe('AUTHORIZED');
    const ref = auth.parts[0]!.providerRef!;
    expect((await sandbox.getPayment(ref)).state).toBe('AUTHORIZED');

    const captured = await capture(tx.id);
    expect(captured.status).toBe('PAID');
    expect(captured.capturedCents).toBe(12_345);
    expect((await sandbox.getPayment(ref)).captured.amount).toBe(12_345);

    const again = await capture(tx.id);
    expect(again.status).toBe('PAID');
    const { parts } = await load(tx.id);
    expect(parts[0]).toMatchObject({ status: 'PAID', capturedCents: 12_345, cardBrand: 'Visa', cardLast4: '1111', cardBin: '411111' });
    // Only display data is stored: never the token.
    const row = await f.em().getConnection().execute('select * from payment_part where id = ?', [parts[0]!.id]);
    expect(JSON.stringify(row)).not.toContain('tok_approve');
  });

  it('a declined card is PAYMENT_DECLINED naming the reason, and leaves no live authorization', async () => {
    const voidSpy = vi.spyOn(sandbox, 'voidCard');
    const { cartNumber } = newCart();
    const parts = [card('tok_approve', 6_000), card('tok_decline_insufficient_funds', 4_000, '2222')];
    const err = await appError(authorizePayment(runtime(), { reference: cartNumber, idempotencyKey: `k-${cartNumber}`, total: money(10_000), parts, buyer }));
    expect(err.errors).toEqual([expect.objectContaining({ code: 'PAYMENT_DECLINED', field: ['input', 'payment', 'parts', '1'] })]);
    expect(err.message).toContain('insufficient funds');
    // The first card had been authorized: it was voided before the error.
    expect(voidSpy).toHaveBeenCalledTimes(1);
    const voided = voidSpy.mock.calls[0]![0].providerRef;
    expect((await sandbox.getPayment(voided)).state).toBe('CANCELLED');
  });

  it('Pix + a declined card: cards go first, so no Pix charge is created and nothing dangles', async () => {
    const pixSpy = vi.spyOn(sandbox, 'createPix');
    const voidSpy = vi.spyOn(sandbox, 'voidCard');
    const { cartNumber } = newCart();
    const err = await appError(
      authorizePayment(runtime(), { reference: cartNumber, idempotencyKey: `k-${cartNumber}`, total: money(9_000), parts: [pix(4_000), card('tok_decline_generic', 5_000)], buyer }),
    );
    expect(err.code).toBe('PAYMENT_DECLINED');
    expect(err.errors[0]!.field).toEqual(['input', 'payment', 'parts', '1']);
    expect(pixSpy).not.toHaveBeenCalled();
    expect(voidSpy).not.toHaveBeenCalled();
  });

  it('provider trouble is PAYMENT_UNAVAILABLE and voids what was already authorized', async () => {
    const { cartNumber } = newCart();
    const timeout = await appError(
      authorizePayment(runtime(), { reference: cartNumber, idempotencyKey: `k-${cartNumber}`, total: money(5_000), parts: [card('tok_timeout', 5_000)], buyer }),
    );
    expect(timeout.code).toBe('PAYMENT_UNAVAILABLE');

    const voidSpy = vi.spyOn(sandbox, 'voidCard');
    vi.spyOn(sandbox, 'createPix').mockRejectedValueOnce(new ProviderNetworkError('sandbox', 'connection reset'));
    const second = newCart();
    const err = await appError(
      authorizePayment(runtime(), {
        reference: second.cartNumber,
        idempotencyKey: `k-${second.cartNumber}`,
        total: money(8_000),
        parts: [card('tok_approve', 5_000), pix(3_000)],
        buyer,
      }),
    );
    expect(err.errors[0]).toMatchObject({ code: 'PAYMENT_UNAVAILABLE', field: ['input', 'payment', 'parts', '1'] });
    expect(voidSpy).toHaveBeenCalledTimes(1);
    expect((await sandbox.getPayment(voidSpy.mock.calls[0]![0].providerRef)).state).toBe('CANCELLED');
  });

  it('refuses card numbers and malformed parts before calling any provider', async () => {
    const authSpy = vi.spyOn(sandbox, 'authorizeCard');
    const err = await appError(
      authorizePayment(runtime(), {
        reference: 'X1',
        idempotencyKey: 'bad-parts',
        total: money(10_000),
        parts: [card('4111111111111111', 5_000), { method: 'PIX', amount: money(4_000), giftCardCode: 'ABC' }],
        buyer,
      }),
    );
    expect(err.errors.map((e) => [e.code, e.field?.join('.')])).toEqual([
      ['BAD_USER_INPUT', 'input.payment.parts'],
      ['BAD_USER_INPUT', 'input.payment.parts.0.card.token'],
      ['BAD_USER_INPUT', 'input.payment.parts.1.giftCardCode'],
    ]);
    expect(err.errors.map((e) => e.message).join(' ')).not.toContain('4111111111111111');
    expect(authSpy).not.toHaveBeenCalled();
  });

  it('abandonAuthorization voids the card authorizations of a checkout that failed afterwards', async () => {
    const { cartNumber } = newCart();
    const auth = await authorizePayment(runtime(), { reference: cartNumber, idempotencyKey: `k-${cartNumber}`, total: money(7_000), parts: [card('tok_approve', 7_000)], buyer });
    await abandonAuthorization(runtime(), auth);
    expect((await sandbox.getPayment(auth.parts[0]!.providerRef!)).state).toBe('CANCELLED');
    // Never throws, even when there is nothing left to void.
    await expect(abandonAuthorization(runtime(), auth)).resolves.toBeUndefined();
  });
});

describe('releasePayment: a cancelled order gives back exactly its total', () => {
  it('before capture it reduces what will be captured, split by the largest remainder', async () => {
    const { tx, auth } = await checkout([card('tok_approve', 6_000), card('tok_approve', 4_001, '2222')]);
    const released = await release(tx.id, 3_001);
    expect(released.parts.map((p) => [p.index, p.amount.amount, p.action])).toEqual([
      [0, 1_800, 'REDUCE_CAPTURE'],
      [1, 1_201, 'REDUCE_CAPTURE'],
    ]);
    const captured = await capture(tx.id);
    expect(captured.capturedCents).toBe(10_001 - 3_001);
    expect((await sandbox.getPayment(auth.parts[0]!.providerRef!)).captured.amount).toBe(4_200);
    expect((await sandbox.getPayment(auth.parts[1]!.providerRef!)).captured.amount).toBe(2_800);

    // After capture: refunds through the provider, split over what each part has left.
    const refund = await release(tx.id, 1_001);
    expect(refund.parts.map((p) => p.action)).toEqual(['REFUND', 'REFUND']);
    expect(refund.parts.reduce((s, p) => s + p.amount.amount, 0)).toBe(1_001);
    expect(refund.parts.map((p) => p.amount.amount)).toEqual([601, 400]);
    expect((await sandbox.getPayment(auth.parts[0]!.providerRef!)).refunded.amount).toBe(601);

    // Never more than is left.
    const tooMuch = await appError(release(tx.id, 6_000));
    expect(tooMuch.code).toBe('CONFLICT');
    await release(tx.id, 5_999);
    const { tx: after, parts } = await load(tx.id);
    expect(after).toMatchObject({ status: 'REFUNDED', capturedCents: 7_000, refundedCents: 7_000, releasedCents: 3_001 });
    expect(parts.map((p) => p.status)).toEqual(['REFUNDED', 'REFUNDED']);
    expect((await appError(release(tx.id, 1))).code).toBe('CONFLICT');
  });

  it('releasing everything before capture voids the authorizations', async () => {
    const { tx, auth } = await checkout([card('tok_approve', 5_000)]);
    const released = await release(tx.id, 5_000);
    expect(released.parts).toEqual([{ index: 0, method: 'CARD', amount: money(5_000), action: 'VOID' }]);
    expect((await sandbox.getPayment(auth.parts[0]!.providerRef!)).state).toBe('CANCELLED');
    expect((await load(tx.id)).tx.status).toBe('VOIDED');
    expect((await appError(capture(tx.id))).code).toBe('CONFLICT');
  });

  it('is idempotent per key: the same key returns the first result and moves nothing', async () => {
    const { tx } = await checkout([card('tok_approve', 9_000)]);
    await capture(tx.id);
    const refundSpy = vi.spyOn(sandbox, 'refund');
    const first = await release(tx.id, 2_500, 'cancel-order-1');
    const again = await release(tx.id, 2_500, 'cancel-order-1');
    expect(again).toEqual(first);
    expect(refundSpy).toHaveBeenCalledTimes(1);
    expect((await load(tx.id)).tx.refundedCents).toBe(2_500);
    expect((await appError(release(tx.id, 1_000, 'cancel-order-1'))).code).toBe('CONFLICT');
    // Two different requests under one key at the same time: one wins, the other is refused.
    const racing = await Promise.allSettled([release(tx.id, 100, 'race-key'), release(tx.id, 200, 'race-key')]);
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await load(tx.id)).tx.refundedCents).toBeGreaterThanOrEqual(2_600);
    expect((await load(tx.id)).tx.refundedCents).toBeLessThanOrEqual(2_700);
  });
});

describe('a release that stopped after its refund (issue 18)', () => {
  it('holds other refunds of the payment back, lists the key for operators, and its replay books the refund without sending it again', async () => {
    const { tx } = await checkout([card('tok_approve', 9_000)]);
    await capture(tx.id);
    const refundSpy = vi.spyOn(sandbox, 'refund');
    // The caller's transaction dies right after the refund went out (the process stopped before its commit).
    await expect(
      f.em().transactional(async (em) => {
        await releasePayment(runtime(), em, tx.id, money(2_500), 'stopped-release-1');
        throw new Error('killed before commit');
      }),
    ).rejects.toThrow('killed before commit');
    expect(refundSpy).toHaveBeenCalledTimes(1);
    expect((await load(tx.id)).tx.refundedCents).toBe(0);
    // Until it is settled, the payment is not refunded under another key (it could give back more than was paid).
    expect((await appError(release(tx.id, 1_000))).message).toMatch(/stopped mid-way and is not settled yet/);
    expect(refundSpy).toHaveBeenCalledTimes(1);

    // Its lease runs out and nobody replays it: the recovery pass lists it for operators.
    const conn = f.em().getConnection();
    await conn.execute(`update idempotency_claim set lease_until = now() where key = 'stopped-release-1'`);
    const pass = () => recoverAbandonedClaims(runtime().orm, [paymentReleaseRecovery(runtime())], { logger: runtime().logger });
    expect(await pass()).toEqual({ recovered: 0, failed: 1 });
    expect(await conn.execute(`select source, attention_since is not null as listed from attention_item where source = 'claim:payment-release'`)).toEqual([
      { source: 'claim:payment-release', listed: true },
    ]);

    // The same request with the same key (the cancellation replayed) takes it over: the refund is
    // answered by the provider-call journal, not sent again, and booked once.
    await conn.execute(`update idempotency_claim set lease_until = now() where key = 'stopped-release-1'`);
    const replay = await release(tx.id, 2_500, 'stopped-release-1');
    expect(replay.parts.map((p) => p.action)).toEqual(['REFUND']);
    expect(refundSpy).toHaveBeenCalledTimes(1);
    expect((await load(tx.id)).tx.refundedCents).toBe(2_500);
    // Settled: the other refund goes through now, and the key leaves the operators' list.
    await release(tx.id, 1_000);
    expect((await load(tx.id)).tx.refundedCents).toBe(3_500);
    await pass();
    expect(await conn.execute(`select 1 from attention_item where source = 'claim:payment-release'`)).toEqual([]);
  });
});

describe('Pix: pending until the provider confirms by a signed webhook', () => {
  it('a confirmed Pix pays the transaction once, however many times the webhook is delivered', async () => {
    const { auth, tx, cartNumber } = await checkout([pix(15_000)]);
    expect(auth.outcome).toBe('PENDING');
    expect(auth.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(auth.parts[0]!.pix!.qrCode).toMatch(/^000201/);
    expect(tx.status).toBe('PENDING');

    const hook = await sandbox.confirm(auth.parts[0]!.providerRef!);
    const [a, b] = await Promise.all([post(hook), post(hook)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.result, b.body.result].sort()).toEqual(['APPLIED', 'DUPLICATE']);
    expect((await post(hook)).body.result).toBe('DUPLICATE');

    expect(lifecycle.paid).toHaveBeenCalledTimes(1);
    expect(lifecycle.paid.mock.calls[0]![2].cartNumber).toBe(cartNumber);
    const { tx: paid, parts } = await load(tx.id);
    expect(paid).toMatchObject({ status: 'PAID', capturedCents: 15_000, expiresAt: null });
    expect(parts[0]).toMatchObject({ status: 'PAID', capturedCents: 15_000 });
    expect(await f.em().count(PaymentEventRecord, { transaction: tx.id })).toBe(1);
  });

  it('a forged or tampered webhook is 401 and changes nothing; an unknown payment is acknowledged and ignored', async () => {
    const { auth, tx } = await checkout([pix(2_000)]);
    const ref = auth.parts[0]!.providerRef!;
    const genuine = await sandbox.signWebhook({ id: `evt-${randomUUID()}`, type: 'PAYMENT_CONFIRMED', providerRef: ref, method: 'PIX', amount: 2_000 });
    const forged = { headers: { ...genuine.headers, 'x-sandbox-signature': genuine.headers['x-sandbox-signature']!.replace(/v1=.{4}/, 'v1=0000') }, rawBody: genuine.rawBody };
    expect((await post(forged)).status).toBe(401);
    expect((await post({ headers: genuine.headers, rawBody: genuine.rawBody.replace('2000', '200') })).status).toBe(401);
    expect((await post({ headers: { 'content-type': 'application/json' }, rawBody: genuine.rawBody })).status).toBe(401);
    const { tx: after, parts } = await load(tx.id);
    expect(after.status).toBe('PENDING');
    expect(parts[0]!.status).toBe('PENDING');
    expect(await f.em().count(PaymentEventRecord, { transaction: tx.id })).toBe(0);
    expect(lifecycle.paid).not.toHaveBeenCalled();

    const unknown = await sandbox.signWebhook({ id: 'evt-unknown', type: 'PAYMENT_CONFIRMED', providerRef: 'sbx_pix_not_ours', method: 'PIX', amount: 100 });
    const res = await post(unknown);
    expect(res.status).toBe(200);
    expect(res.body.ignored).toBeTruthy();
    const missing = await fetch(webhookUrl.replace(/sandbox$/, 'nobody'), { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
  });

  it('Pix + card: the card is captured, the transaction is paid when the Pix arrives', async () => {
    const { auth, tx } = await checkout([pix(3_000), card('tok_approve', 7_000)]);
    expect(auth.outcome).toBe('PENDING');
    expect((await capture(tx.id)).status).toBe('PENDING');
    expect((await post(await sandbox.confirm(auth.parts[0]!.providerRef!))).body.result).toBe('APPLIED');
    expect(lifecycle.paid).toHaveBeenCalledTimes(1);
    expect((await load(tx.id)).tx).toMatchObject({ status: 'PAID', capturedCents: 10_000 });
  });

  it('a Pix paid after part of it was released gives that part back at once', async () => {
    const { auth, tx } = await checkout([pix(10_000)]);
    const released = await release(tx.id, 4_000);
    expect(released.parts).toEqual([{ index: 0, method: 'PIX', amount: money(4_000), action: 'REDUCE_CAPTURE' }]);
    await post(await sandbox.confirm(auth.parts[0]!.providerRef!));
    const { tx: after, parts } = await load(tx.id);
    expect(after).toMatchObject({ status: 'PARTIALLY_REFUNDED', capturedCents: 10_000, refundedCents: 4_000, releasedCents: 0 });
    expect(parts[0]!.status).toBe('PARTIALLY_REFUNDED');
    expect((await sandbox.getPayment(auth.parts[0]!.providerRef!)).refunded.amount).toBe(4_000);
    expect(lifecycle.paid).toHaveBeenCalledTimes(1);
    // What is left to give back is what was kept.
    expect((await appError(release(tx.id, 6_001))).code).toBe('CONFLICT');
    await release(tx.id, 6_000);
    expect((await load(tx.id)).tx).toMatchObject({ status: 'REFUNDED', refundedCents: 10_000 });
  });
});

describe('bank deposits: confirmed by operator owners and admins', () => {
  const confirm = (cartNumber: string, idempotencyKey: string, token?: string) =>
    t.request(PaymentConfirmBankDepositDocument, { input: { cartNumber, idempotencyKey } }, token);

  it('only OWNER/ADMIN staff confirm; the same key confirms once; a second confirmation is a conflict', async () => {
    const { auth, cartNumber } = await checkout([{ method: 'BANK_DEPOSIT', amount: money(25_000) }]);
    expect(auth.outcome).toBe('PENDING');
    expect(auth.parts[0]!.deposit!.reference).toBe(`${cartNumber}-1`);
    // A deposit takes days, not the Pix's 30 minutes.
    expect(auth.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3_600_000);

    expect(codes(await confirm(cartNumber, 'dep-1'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await confirm(cartNumber, 'dep-1', tokens.customer))).toEqual(['FORBIDDEN']);
    expect(codes(await confirm(cartNumber, 'dep-1', tokens.support))).toEqual(['FORBIDDEN']);
    expect(lifecycle.paid).not.toHaveBeenCalled();

    const first = ok(await confirm(cartNumber, 'dep-1', tokens.admin)).confirmBankDeposit;
    expect(first.userErrors).toEqual([]);
    expect(first.transaction).toMatchObject({ status: 'PAID', captured: { amount: 25_000 }, parts: [{ method: 'BANK_DEPOSIT', status: 'PAID' }] });
    const again = ok(await confirm(cartNumber, 'dep-1', tokens.owner)).confirmBankDeposit;
    expect(again).toEqual(first);
    expect(lifecycle.paid).toHaveBeenCalledTimes(1);

    const second = ok(await confirm(cartNumber, 'dep-2', tokens.owner)).confirmBankDeposit;
    expect(second.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'cartNumber'] })]);
    const other = await checkout([{ method: 'BANK_DEPOSIT', amount: money(100) }]);
    const reused = ok(await confirm(other.cartNumber, 'dep-1', tokens.owner)).confirmBankDeposit;
    expect(reused.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'idempotencyKey'] })]);
    expect((await load(other.tx.id)).tx.status).toBe('PENDING');
    expect(lifecycle.paid).toHaveBeenCalledTimes(1);
  });

  it('refuses unknown carts and carts not paid by deposit', async () => {
    const missing = ok(await confirm('NOPE', 'dep-x', tokens.owner)).confirmBankDeposit;
    expect(missing.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'cartNumber'] })]);
    const { cartNumber } = await checkout([card('tok_approve', 1_000)]);
    const notDeposit = ok(await confirm(cartNumber, 'dep-y', tokens.owner)).confirmBankDeposit;
    expect(notDeposit.userErrors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'cartNumber'] })]);
  });
});

describe('paymentTransaction (operator query)', () => {
  it('shows the parts as a receipt would, to staff only', async () => {
    const { cartNumber } = await checkout([pix(1_500), card('tok_approve', 2_500, '4242')]);
    expect(codes(await t.request(PaymentTransactionByCartDocument, { cartNumber }, tokens.customer))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(PaymentTransactionByCartDocument, { cartNumber }))).toEqual(['UNAUTHENTICATED']);
    const shown = ok(await t.request(PaymentTransactionByCartDocument, { cartNumber }, tokens.support)).paymentTransaction!;
    expect(shown).toMatchObject({ cartNumber, status: 'PENDING', amount: { amount: 4_000, currency: 'BRL' }, captured: { amount: 0 } });
    expect(shown.parts[0]).toMatchObject({ method: 'PIX', status: 'PENDING', installments: 1, cardLast4: null });
    expect(shown.parts[0]!.pixQrCode).toMatch(/^000201/);
    expect(shown.parts[0]!.expiresAt).not.toBeNull();
    expect(shown.parts[1]).toMatchObject({ method: 'CARD', status: 'AUTHORIZED', cardBrand: 'Visa', cardLast4: '4242', pixQrCode: null });
    expect(ok(await t.request(PaymentTransactionByCartDocument, { cartNumber: 'NONE' }, tokens.owner)).paymentTransaction).toBeNull();
  });
});

describe('gift cards (payment method "voucher")', () => {
  const create = (input: { code?: string; amount: number }, token = tokens.owner) => t.request(PaymentCreateGiftCardDocument, { input }, token);

  it('operator owners/admins create one; its code is shown once and stored only as a hash', async () => {
    expect(codes(await create({ amount: 1_000 }, tokens.support))).toEqual(['FORBIDDEN']);
    const bad = ok(await create({ code: 'short', amount: 0 })).createGiftCard;
    expect(bad.userErrors.map((e) => e.field?.join('.'))).toEqual(['input.code', 'input.amount']);
    const made = ok(await create({ amount: 5_000 }, tokens.admin)).createGiftCard.issued!;
    expect(made.code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    expect(made.giftCard).toMatchObject({ last4: made.code.slice(-4), active: true, balance: { amount: 5_000, currency: 'BRL' } });
    const row = await f.em().getConnection().execute('select * from gift_card where id = ?', [made.giftCard.id]);
    expect(JSON.stringify(row)).not.toContain(made.code.replace(/-/g, ''));
    const dup = ok(await create({ code: made.code.toLowerCase(), amount: 100 })).createGiftCard;
    expect(dup.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'code'] })]);
  });

  it('is debited under a row lock: concurrent checkouts never take the balance below zero', async () => {
    const code = ok(await create({ amount: 10_000 })).createGiftCard.issued!.code;
    const voucher = (amount: number): CheckoutPaymentPart => ({ method: 'VOUCHER', amount: money(amount), giftCardCode: code });
    // Five carts of 3,000 each pass the read-only check; only three can be paid.
    const auths = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const cart = newCart();
        const auth = await authorizePayment(runtime(), { reference: cart.cartNumber, idempotencyKey: `gc-${cart.cartNumber}`, total: money(3_000), parts: [voucher(3_000)], buyer });
        return { cart, auth };
      }),
    );
    const results = await Promise.allSettled(
      auths.map(({ cart, auth }) => f.em().transactional((em) => recordTransaction(em, { ...cart, auth, total: money(3_000) }))),
    );
    const paid = results.filter((r): r is PromiseFulfilledResult<PaymentTransaction> => r.status === 'fulfilled');
    expect(paid).toHaveLength(3);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(AppError);
        expect((r.reason as AppError).errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'payment', 'parts', '0', 'giftCardCode'] });
      }
    }
    const card = await f.em().findOneOrFail(GiftCard, { last4: code.slice(-4), initialCents: 10_000 });
    expect(card.balanceCents).toBe(1_000);
    expect(paid[0]!.value.status).toBe('PAID');

    // More than the balance is refused at authorization already.
    const over = newCart();
    const err = await appError(authorizePayment(runtime(), { reference: over.cartNumber, idempotencyKey: `gc-${over.cartNumber}`, total: money(1_001), parts: [voucher(1_001)], buyer }));
    expect(err.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'payment', 'parts', '0', 'giftCardCode'] });

    // A cancelled order puts its value back on the card.
    const released = await release(paid[0]!.value.id, 1_200);
    expect(released.parts).toEqual([{ index: 0, method: 'VOUCHER', amount: money(1_200), action: 'GIFT_CARD_CREDIT' }]);
    expect((await f.em().findOneOrFail(GiftCard, card.id)).balanceCents).toBe(2_200);
    expect((await load(paid[0]!.value.id)).tx.status).toBe('PARTIALLY_REFUNDED');
  });
});

describe('expiry of unpaid carts', () => {
  it('expires unpaid Pix carts once, gives back what they secured and calls lifecycle.expired', async () => {
    const { auth, tx, cartNumber } = await checkout([pix(2_000), card('tok_approve', 3_000)]);
    const later = new Date(Date.now() + 31 * 60_000);
    const expired = await expireUnpaidTransactions(runtime(), later);
    expect(expired).toBeGreaterThanOrEqual(1);
    const { tx: after, parts } = await load(tx.id);
    expect(after).toMatchObject({ status: 'EXPIRED', releasedCents: 5_000, capturedCents: 0 });
    expect(parts.map((p) => p.status)).toEqual(['EXPIRED', 'VOIDED']);
    expect((await sandbox.getPayment(auth.parts[1]!.providerRef!)).state).toBe('CANCELLED');
    const calls = lifecycle.expired.mock.calls.filter((c) => c[2].cartNumber === cartNumber);
    expect(calls).toHaveLength(1);
    expect(await expireUnpaidTransactions(runtime(), later)).toBe(0);

    // Not yet due: untouched.
    const fresh = await checkout([pix(1_000)]);
    await expireUnpaidTransactions(runtime(), new Date(Date.now() + 60_000));
    expect((await load(fresh.tx.id)).tx.status).toBe('PENDING');
  });

  it('a Pix paid after its cart expired is refunded, not kept, and does not revive the cart', async () => {
    const { auth, tx } = await checkout([pix(4_500)]);
    await expireUnpaidTransactions(runtime(), new Date(Date.now() + 31 * 60_000));
    expect((await load(tx.id)).tx.status).toBe('EXPIRED');
    // The buyer's bank paid the QR code just before the provider's own expiry.
    const hook = await sandbox.confirm(auth.parts[0]!.providerRef!);
    expect((await post(hook)).body.result).toBe('APPLIED');
    const { tx: after, parts } = await load(tx.id);
    expect(after).toMatchObject({ status: 'EXPIRED', capturedCents: 4_500, refundedCents: 4_500 });
    expect(parts[0]!.status).toBe('REFUNDED');
    expect((await sandbox.getPayment(auth.parts[0]!.providerRef!)).refunded.amount).toBe(4_500);
    expect(lifecycle.paid).not.toHaveBeenCalled();
  });
});

describe('recordTransaction', () => {
  it('refuses a second transaction for the same cart', async () => {
    const { cartId, cartNumber } = await checkout([card('tok_approve', 1_000)]);
    const auth = await authorizePayment(runtime(), { reference: cartNumber, idempotencyKey: `again-${cartNumber}`, total: money(1_000), parts: [card('tok_approve', 1_000)], buyer });
    const err = await appError(f.em().transactional((em) => recordTransaction(em, { cartId, cartNumber: `${cartNumber}B`, auth, total: money(1_000) })));
    expect(err.code).toBe('CONFLICT');
    expect(await f.em().count(PaymentTransactionPart, { transaction: { cartId } })).toBe(1);
  });
});
