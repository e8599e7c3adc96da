import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { optionalString } from './env.js';
import { pixPayload } from './pix-emv.js';
import { ProviderNetworkError, ProviderRejectedError, ProviderTimeoutError, WebhookVerificationError, assertCardToken, type ProviderDefinition, assertInstallments, assertPositiveBrl, brl, headerValue, type AuthorizeCardInput, type AuthorizeCardResult, type CaptureCardInput, type CaptureCardResult, type CardPaymentProvider, type CreatePixInput, type CreatePixResult, type DeclineReason, type PaymentEvent, type PaymentMethod, type PaymentSnapshot, type PixPaymentProvider, type RefundInput, type RefundResult, type VoidCardInput, type VoidCardResult, type WebhookRequest } from './payments.provider.js';
import { assertFresh, digestsEqual, hmacSha256Hex, parseSignatureHeader } from './signatures.js';
import { memorySandboxStore, pgSandboxStore, type SandboxPayment, type SandboxStore } from './sandbox.store.js';

/**
 * The built-in provider: deterministic and strict, its payments kept where a real provider
 * keeps them — out of the app's process: in PostgreSQL (sandbox.store.ts), so any instance and
 * a restart see them (in memory for this provider's own unit tests). It keeps a ledger per
 * providerRef and refuses what Cielo refuses — capturing more than was authorized, a second
 * capture, a partial void before capture, refunding more than was captured — so checkout
 * code written against it behaves the same against a real provider.
 *
 * Test card tokens (any other token is declined as INVALID_CARD):
 * | token                            | outcome                                              |
 * |----------------------------------|------------------------------------------------------|
 * | tok_approve, tok_approve_<any>   | AUTHORIZED                                           |
 * | tok_decline_insufficient_funds   | DECLINED INSUFFICIENT_FUNDS (ABECS 51)               |
 * | tok_decline_fraud                | DECLINED SUSPECTED_FRAUD (ABECS 59)                  |
 * | tok_decline_expired              | DECLINED EXPIRED_CARD (ABECS 54)                     |
 * | tok_decline_generic              | DECLINED DO_NOT_HONOR (ABECS 05)                     |
 * | tok_timeout                      | throws ProviderTimeoutError, records nothing         |
 * | tok_network_error                | throws ProviderNetworkError, records nothing         |
 *
 * Pix charges stay PENDING until `confirm(providerRef)` (or `expire`) — the stand-in for the
 * buyer paying in a banking app. Both return the signed webhook the provider would send, so
 * tests and operators can post it to the webhook endpoint; `parseWebhook` verifies it with
 * the configured secret and applies it to the ledger, which also lets a confirmation signed
 * by another process (an operator's script sharing the secret) reach this one.
 *
 * Idempotency: a key seen before with the same request returns the first result; with a
 * different request it is refused (IDEMPOTENCY_CONFLICT), as Mercado Pago and Stripe do.
 */

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

export interface SandboxOptions {
  /** HMAC secret for webhooks; unset: one generated once and kept in the store (shared by every instance on one database). */
  webhookSecret?: string;
  webhookToleranceSeconds?: number;
  /** Only reported in the error tok_timeout throws, so it reads like the real one. */
  timeoutMs?: number;
  now?: () => Date;
  /** Where its payments and answers live: PostgreSQL in the app (sandbox.store.ts), memory by default. */
  store?: SandboxStore;
}

export interface SignedWebhook {
  headers: Record<string, string>;
  rawBody: string;
}

const DECLINES: Record<string, { reason: DeclineReason; code: string; message: string }> = {
  tok_decline_insufficient_funds: { reason: 'INSUFFICIENT_FUNDS', code: '51', message: 'Insufficient funds' },
  tok_decline_fraud: { reason: 'SUSPECTED_FRAUD', code: '59', message: 'Suspected fraud' },
  tok_decline_expired: { reason: 'EXPIRED_CARD', code: '54', message: 'Expired card' },
  tok_decline_generic: { reason: 'DO_NOT_HONOR', code: '05', message: 'Not authorized' },
};

const eventBody = z.discriminatedUnion('type', [
  z.object({ id: z.string(), type: z.literal('PAYMENT_CONFIRMED'), providerRef: z.string(), method: z.enum(['CARD', 'PIX']), amount: z.number().int() }),
  z.object({ id: z.string(), type: z.literal('PAYMENT_FAILED'), providerRef: z.string(), method: z.enum(['CARD', 'PIX']), reason: z.string() }),
  z.object({ id: z.string(), type: z.literal('PAYMENT_REFUNDED'), providerRef: z.string(), method: z.enum(['CARD', 'PIX']), refundedTotal: z.number().int() }),
  z.object({ id: z.string(), type: z.literal('PAYMENT_CHARGED_BACK'), providerRef: z.string(), method: z.enum(['CARD', 'PIX']), amount: z.number().int() }),
  z.object({ id: z.string(), type: z.literal('PAYMENT_CHARGEBACK_REVERSED'), providerRef: z.string(), method: z.enum(['CARD', 'PIX']) }),
]);
type SandboxEventBody = z.infer<typeof eventBody>;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
/** Results come back from the store as JSON: dates as strings. */
const pixResult = (r: CreatePixResult): CreatePixResult => ({ ...r, expiresAt: new Date(r.expiresAt) });

export class SandboxPaymentProvider implements CardPaymentProvider, PixPaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly store: SandboxStore;
  private readonly configuredSecret: string | undefined;
  private readonly tolerance: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(options: SandboxOptions = {}) {
    this.store = options.store ?? memorySandboxStore();
    this.configuredSecret = options.webhookSecret;
    this.tolerance = options.webhookToleranceSeconds ?? 300;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? (() => new Date());
  }

  async authorizeCard(input: AuthorizeCardInput): Promise<AuthorizeCardResult> {
    assertCardToken(input.cardToken);
    assertPositiveBrl(this.name, input.amount);
    assertInstallments(this.name, input.installments);
    const token: string = input.cardToken;
    const fingerprint = this.fingerprint('authorizeCard', {
      amount: input.amount,
      installments: input.installments,
      token,
      tokenKind: input.tokenKind ?? 'PAYMENT_TOKEN',
      brand: input.cardBrand,
      reference: input.reference,
    });
    return this.store.keyed(input.idempotencyKey, fingerprint, () => this.keyConflict(), async (): Promise<AuthorizeCardResult> => {
      if (token === 'tok_timeout') throw new ProviderTimeoutError(this.name, this.timeoutMs, 'authorizeCard (tok_timeout)');
      if (token === 'tok_network_error') throw new ProviderNetworkError(this.name, 'sandbox: simulated connection failure (tok_network_error)');
      const providerRef = `sbx_card_${digest(input.idempotencyKey).slice(0, 24)}`;
      const approved = token === 'tok_approve' || token.startsWith('tok_approve_');
      const decline = DECLINES[token] ?? { reason: 'INVALID_CARD' as const, code: '14', message: 'Unknown sandbox card token' };
      await this.store.create({
        providerRef,
        method: 'CARD',
        state: approved ? 'AUTHORIZED' : 'DECLINED',
        reference: input.reference,
        amount: input.amount.amount,
        captured: 0,
        refunded: 0,
        installments: input.installments,
      });
      return approved
        ? { status: 'AUTHORIZED', providerRef, amount: brl(input.amount.amount), installments: input.installments, authorizationCode: providerRef.slice(-6).toUpperCase() }
        : { status: 'DECLINED', providerRef, reason: decline.reason, providerCode: decline.code, message: decline.message };
    });
  }

  async findAuthorization(query: { reference: string; idempotencyKey: string }): Promise<AuthorizeCardResult | null> {
    return (await this.store.answered<AuthorizeCardResult>(query.idempotencyKey)) ?? null;
  }

  async captureCard(input: CaptureCardInput): Promise<CaptureCardResult> {
    assertPositiveBrl(this.name, input.amount);
    return this.store.update(input.providerRef, (found) => {
      const entry = this.entry(found, input.providerRef, 'CARD');
      if (entry.state === 'PAID' || entry.state === 'REFUNDED' || entry.captured > 0) {
        throw new ProviderRejectedError(this.name, 'ALREADY_CAPTURED', 'This authorization was already captured; a second capture is not allowed.');
      }
      if (entry.state !== 'AUTHORIZED') throw new ProviderRejectedError(this.name, 'NOT_CAPTURABLE', `A ${entry.state} payment cannot be captured.`);
      if (input.amount.amount > entry.amount) {
        throw new ProviderRejectedError(this.name, 'AMOUNT_EXCEEDS_AUTHORIZED', `Cannot capture ${input.amount.amount}: only ${entry.amount} was authorized.`);
      }
      entry.captured = input.amount.amount;
      entry.state = 'PAID';
      return { status: 'CAPTURED' as const, providerRef: entry.providerRef, amount: brl(entry.captured) };
    });
  }

  async voidCard(input: VoidCardInput): Promise<VoidCardResult> {
    assertPositiveBrl(this.name, input.amount);
    return this.store.update(input.providerRef, (found) => {
      const entry = this.entry(found, input.providerRef, 'CARD');
      if (entry.state === 'AUTHORIZED') {
        // Cielo: an authorization that was not captured can only be voided whole.
        if (input.amount.amount !== entry.amount) {
          throw new ProviderRejectedError(this.name, 'PARTIAL_VOID_NOT_ALLOWED', `An uncaptured authorization is voided whole (${entry.amount}), not ${input.amount.amount}.`);
        }
        entry.state = 'CANCELLED';
        return { status: 'VOIDED' as const, providerRef: entry.providerRef, amount: brl(input.amount.amount) };
      }
      if (entry.state === 'PAID') {
        this.takeRefund(entry, input.amount.amount);
        return { status: 'VOIDED' as const, providerRef: entry.providerRef, amount: brl(input.amount.amount) };
      }
      throw new ProviderRejectedError(this.name, 'NOT_VOIDABLE', `A ${entry.state} payment cannot be voided.`);
    });
  }

  async createPix(input: CreatePixInput): Promise<CreatePixResult> {
    assertPositiveBrl(this.name, input.amount);
    const fingerprint = this.fingerprint('createPix', {
      amount: input.amount,
      reference: input.reference,
      expiresAt: input.expiresAt.toISOString(),
      document: input.buyer.document,
    });
    const result = await this.store.keyed(input.idempotencyKey, fingerprint, () => this.keyConflict(), async (): Promise<CreatePixResult> => {
      if (input.expiresAt.getTime() <= this.now().getTime()) {
        throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', 'expiresAt must be in the future.');
      }
      const providerRef = `sbx_pix_${digest(input.idempotencyKey).slice(0, 24)}`;
      await this.store.create({
        providerRef,
        method: 'PIX',
        state: 'PENDING',
        reference: input.reference,
        amount: input.amount.amount,
        captured: 0,
        refunded: 0,
        expiresAt: input.expiresAt,
      });
      return {
        status: 'PENDING',
        providerRef,
        amount: brl(input.amount.amount),
        qrCode: pixPayload({
          amountCents: input.amount.amount,
          location: `sandbox.pix.invalid/qr/v2/${providerRef}`,
          merchantName: 'Marketplace Sandbox',
          merchantCity: 'Sao Paulo',
          txid: providerRef,
        }),
        expiresAt: input.expiresAt,
      };
    });
    return pixResult(result);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertPositiveBrl(this.name, input.amount);
    const fingerprint = this.fingerprint('refund', { providerRef: input.providerRef, method: input.method, amount: input.amount });
    return this.store.keyed(input.idempotencyKey, fingerprint, () => this.keyConflict(), () =>
      this.store.update(input.providerRef, (found): RefundResult => {
        const entry = this.entry(found, input.providerRef, input.method);
        if (entry.state !== 'PAID') {
          throw new ProviderRejectedError(this.name, 'NOT_REFUNDABLE', `A ${entry.state} payment has nothing captured to refund.`);
        }
        this.takeRefund(entry, input.amount.amount);
        return {
          status: 'REFUNDED',
          providerRef: entry.providerRef,
          refundRef: `sbx_rf_${digest(input.idempotencyKey).slice(0, 24)}`,
          amount: brl(input.amount.amount),
        };
      }),
    );
  }

  async getPayment(providerRef: string): Promise<PaymentSnapshot> {
    const entry = await this.store.get(providerRef);
    if (!entry) throw new ProviderRejectedError(this.name, 'UNKNOWN_PAYMENT', `No sandbox payment ${providerRef}.`);
    this.expireIfDue(entry);
    return {
      providerRef,
      method: entry.method,
      state: entry.state,
      amount: brl(entry.amount),
      captured: brl(entry.captured),
      refunded: brl(entry.refunded),
      providerStatus: entry.state,
    };
  }

  /** The buyer pays the Pix: the charge becomes PAID; returns the webhook the provider sends. */
  async confirm(providerRef: string): Promise<SignedWebhook> {
    const amount = await this.store.update(providerRef, (found) => {
      const entry = this.entry(found, providerRef, 'PIX');
      this.expireIfDue(entry);
      if (entry.state !== 'PENDING') throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', `A ${entry.state} Pix cannot be paid.`);
      entry.state = 'PAID';
      entry.captured = entry.amount;
      return entry.amount;
    });
    return this.signWebhook({ id: this.nextEventId(), type: 'PAYMENT_CONFIRMED', providerRef, method: 'PIX', amount });
  }

  /** The QR code runs out unpaid; returns the PAYMENT_FAILED webhook. */
  async expire(providerRef: string): Promise<SignedWebhook> {
    await this.store.update(providerRef, (found) => {
      const entry = this.entry(found, providerRef, 'PIX');
      if (entry.state !== 'PENDING') throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', `A ${entry.state} Pix cannot expire.`);
      entry.state = 'CANCELLED';
    });
    return this.signWebhook({ id: this.nextEventId(), type: 'PAYMENT_FAILED', providerRef, method: 'PIX', reason: 'expired' });
  }

  /** The issuer disputes a paid card or Pix: everything not refunded is taken back; returns the webhook. */
  async chargeBack(providerRef: string): Promise<SignedWebhook> {
    const { amount, method } = await this.store.update(providerRef, (entry) => {
      if (!entry || entry.captured === 0) throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', `No paid sandbox payment ${providerRef}.`);
      entry.state = 'CHARGED_BACK';
      return { amount: entry.captured - entry.refunded, method: entry.method };
    });
    return this.signWebhook({ id: this.nextEventId(), type: 'PAYMENT_CHARGED_BACK', providerRef, method, amount });
  }

  /** The store wins the dispute: the money comes back; returns the webhook. */
  async reverseChargeback(providerRef: string): Promise<SignedWebhook> {
    const method = await this.store.update(providerRef, (entry) => {
      if (!entry || entry.state !== 'CHARGED_BACK') throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', `Sandbox payment ${providerRef} is not charged back.`);
      entry.state = 'CHARGEBACK_REVERSED';
      return entry.method;
    });
    return this.signWebhook({ id: this.nextEventId(), type: 'PAYMENT_CHARGEBACK_REVERSED', providerRef, method });
  }

  /** Signs any sandbox event as the provider would, with the time of `now()`. */
  async signWebhook(event: SandboxEventBody, at: Date = this.now()): Promise<SignedWebhook> {
    const rawBody = JSON.stringify(event);
    const ts = String(Math.floor(at.getTime() / 1000));
    const secret = await this.secret();
    return { headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: `t=${ts},v1=${hmacSha256Hex(secret, `${ts}.${rawBody}`)}` }, rawBody };
  }

  async parseWebhook(request: WebhookRequest): Promise<PaymentEvent> {
    const header = headerValue(request.headers, SANDBOX_SIGNATURE_HEADER);
    if (!header) throw new WebhookVerificationError(this.name, 'MISSING_SIGNATURE', `missing ${SANDBOX_SIGNATURE_HEADER} header`);
    const { t, v1 } = parseSignatureHeader(header);
    if (!t || !v1) throw new WebhookVerificationError(this.name, 'MALFORMED', `${SANDBOX_SIGNATURE_HEADER} needs t= and v1=`);
    // Signature first, freshness second: an unsigned request learns nothing about our clock.
    if (!digestsEqual(hmacSha256Hex(await this.secret(), `${t}.${request.rawBody}`), v1)) {
      throw new WebhookVerificationError(this.name, 'BAD_SIGNATURE', 'signature does not match');
    }
    assertFresh(this.name, t, this.now(), this.tolerance);
    let body: SandboxEventBody;
    try {
      body = eventBody.parse(JSON.parse(request.rawBody));
    } catch {
      throw new WebhookVerificationError(this.name, 'MALFORMED', 'signed body is not a sandbox payment event');
    }
    await this.apply(body);
    const base = { provider: this.name, providerRef: body.providerRef, method: body.method, eventId: body.id };
    switch (body.type) {
      case 'PAYMENT_CONFIRMED':
        return { ...base, type: body.type, amount: brl(body.amount) };
      case 'PAYMENT_FAILED':
        return { ...base, type: body.type, reason: body.reason };
      case 'PAYMENT_REFUNDED':
        return { ...base, type: body.type, refundedTotal: brl(body.refundedTotal) };
      case 'PAYMENT_CHARGED_BACK':
        return { ...base, type: body.type, amount: brl(body.amount) };
      case 'PAYMENT_CHARGEBACK_REVERSED':
        return { ...base, type: body.type };
    }
  }

  // -------------------------------------------------------------------------------------

  private secret(): Promise<string> {
    return this.configuredSecret !== undefined ? Promise.resolve(this.configuredSecret) : this.store.secret();
  }

  /** A verified event from elsewhere moves a still-pending charge the same way. */
  private async apply(body: SandboxEventBody): Promise<void> {
    await this.store.update(body.providerRef, (entry) => {
      if (!entry || entry.state !== 'PENDING') return;
      if (body.type === 'PAYMENT_CONFIRMED' && body.amount === entry.amount) {
        entry.state = 'PAID';
        entry.captured = entry.amount;
      } else if (body.type === 'PAYMENT_FAILED') {
        entry.state = 'CANCELLED';
      }
    });
  }

  private takeRefund(entry: SandboxPayment, amount: number): void {
    const refundable = entry.captured - entry.refunded;
    if (amount > refundable) {
      throw new ProviderRejectedError(this.name, 'AMOUNT_EXCEEDS_REFUNDABLE', `Cannot refund ${amount}: ${refundable} of ${entry.captured} captured is left.`);
    }
    entry.refunded += amount;
    if (entry.refunded === entry.captured) entry.state = 'REFUNDED';
  }

  private entry(entry: SandboxPayment | undefined, providerRef: string, method: PaymentMethod): SandboxPayment {
    if (!entry) throw new ProviderRejectedError(this.name, 'UNKNOWN_PAYMENT', `No sandbox payment ${providerRef}.`);
    if (entry.method !== method) throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', `${providerRef} is a ${entry.method} payment, not ${method}.`);
    return entry;
  }

  private expireIfDue(entry: SandboxPayment): void {
    if (entry.state === 'PENDING' && entry.expiresAt && entry.expiresAt.getTime() <= this.now().getTime()) entry.state = 'CANCELLED';
  }

  /** Unique across instances and restarts (a counter per process would repeat). */
  private nextEventId(): string {
    return `sbx_evt_${randomUUID()}`;
  }

  private fingerprint(operation: string, request: unknown): string {
    return `${operation}:${JSON.stringify(request)}`;
  }

  private keyConflict(): Error {
    return new ProviderRejectedError(this.name, 'IDEMPOTENCY_CONFLICT', 'This idempotency key was used for a different request.');
  }
}

/**
 * The registry's entry (providers.ts): the sandbox, cards and Pix, the default of
 * both PAYMENT_CARD_PROVIDER and PAYMENT_PIX_PROVIDER, so a fresh checkout runs with no
 * credentials. PAYMENT_SANDBOX_WEBHOOK_SECRET: unset, one is generated once and kept in the
 * database, shared by every instance.
 */
const sandboxEnv = { PAYMENT_SANDBOX_WEBHOOK_SECRET: optionalString };

export const sandboxProvider: ProviderDefinition<'sandbox', typeof sandboxEnv, 'CARD' | 'PIX'> = {
  name: 'sandbox',
  kinds: ['CARD', 'PIX'],
  env: sandboxEnv,
  create: (config, deps) =>
    new SandboxPaymentProvider({
      webhookSecret: config.PAYMENT_SANDBOX_WEBHOOK_SECRET,
      webhookToleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      now: deps.now,
      // In the app its payments live in PostgreSQL, so every instance (and a restart) sees them.
      store: deps.db ? pgSandboxStore(deps.db) : undefined,
    }),
};
