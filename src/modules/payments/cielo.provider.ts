// Long file: one provider's whole HTTP adapter (cards, Pix, refunds, webhooks, configuration) reads best in one place.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { joinUrl, providerRequest, type FetchLike, type HttpResponse } from './http.js';
import { PaymentConfigError, ProviderNetworkError, ProviderRejectedError, WebhookVerificationError, assertCardToken, type ProviderDefinition, assertInstallments, assertPositiveBrl, brl, headerValue, type AuthorizeCardInput, type AuthorizeCardResult, type Buyer, type CaptureCardInput, type CaptureCardResult, type CardPaymentProvider, type CreatePixInput, type CreatePixResult, type DeclineReason, type PaymentEvent, type PaymentSnapshot, type PaymentState, type PixPaymentProvider, type RefundInput, type RefundResult, type RejectionCode, type VoidCardInput, type VoidCardResult, type WebhookRequest } from './payments.provider.js';
import { optionalString, url } from './env.js';
import { eventFromSnapshot } from './events.js';
import { digestsEqual } from './signatures.js';

/**
 * API E-commerce Cielo (API 3.0): cards authorized with `Capture: false` and captured when
 * fraud approves; Pix QR codes; refunds through the void endpoint (Cielo has no separate
 * refund call: a void after capture is the refund, partial amounts allowed).
 *
 * Two hosts, as Cielo splits them: transactional calls (POST/PUT) go to `apiUrl`, reads to
 * `queryUrl`. Defaults are the sandbox; production is
 *   api:   https://api.cieloecommerce.cielo.com.br
 *   query: https://apiquery.cieloecommerce.cielo.com.br
 * Every request carries the MerchantId and MerchantKey headers; amounts are centavos.
 *
 * Cielo has no idempotency header, so this client supplies what it can:
 * - MerchantOrderId is derived from the idempotency key, and when an earlier attempt with the
 *   same key got no answer (`memory.uncertain`) the next one first asks the query API for a
 *   sale with that MerchantOrderId instead of creating a second one;
 * - a refund notes the sale's VoidedAmount before voiding (`memory.note`), so a retry after an
 *   unknown outcome can tell whether the first attempt went through.
 * That memory is the payments layer's provider_call journal in PostgreSQL (provider-calls.ts),
 * which also answers a repeated key with its first result: nothing is kept in this process, so
 * a retry after a restart or on another instance never charges or refunds twice.
 */

export const CIELO_SANDBOX = {
  apiUrl: 'https://apisandbox.cieloecommerce.cielo.com.br',
  queryUrl: 'https://apiquerysandbox.cieloecommerce.cielo.com.br',
} as const;
export const CIELO_PRODUCTION = {
  apiUrl: 'https://api.cieloecommerce.cielo.com.br',
  queryUrl: 'https://apiquery.cieloecommerce.cielo.com.br',
} as const;

export interface CieloOptions {
  merchantId: string;
  merchantKey: string;
  apiUrl?: string;
  queryUrl?: string;
  timeoutMs: number;
  /** Up to 13 letters/digits on the buyer's card statement. */
  softDescriptor?: string;
  /**
   * `Payment.Provider` for Pix. Cielo moved new integrations to "Cielo2" (September 2025),
   * which has no sandbox; leave it unset to use the account's default (legacy) Pix provider.
   */
  pixProvider?: string;
  /**
   * Cielo's notification POST is not signed; merchants register up to three static headers
   * with Cielo support instead. When set, notifications without this header are refused.
   */
  webhookHeader?: { name: string; value: string };
  fetch?: FetchLike;
  now?: () => Date;
}

/** Cielo's transactional status codes (Payment.Status). */
export const CieloStatus = {
  NotFinished: 0,
  Authorized: 1,
  PaymentConfirmed: 2,
  Denied: 3,
  Voided: 10,
  Refunded: 11,
  Pending: 12,
  Aborted: 13,
  Scheduled: 20,
} as const;

const code = z.union([z.string(), z.number()]).transform((v) => String(v));

const paymentSchema = z.object({
  PaymentId: z.string(),
  Type: z.string().optional(),
  Status: z.number().int(),
  Amount: z.number().int().optional(),
  CapturedAmount: z.number().int().optional(),
  VoidedAmount: z.number().int().optional(),
  Installments: z.number().int().optional(),
  ReturnCode: code.optional(),
  ReturnMessage: z.string().optional(),
  AuthorizationCode: z.string().optional(),
  QrCodeString: z.string().optional(),
  QrCodeBase64Image: z.string().optional(),
});
type CieloPayment = z.infer<typeof paymentSchema>;
const saleSchema = z.object({ MerchantOrderId: z.string().optional(), Payment: paymentSchema });
const operationSchema = z.object({
  Status: z.number().int(),
  ReasonCode: z.number().int().optional(),
  ReasonMessage: z.string().optional(),
  ReturnCode: code.optional(),
  ReturnMessage: z.string().optional(),
});
const errorListSchema = z.array(
  z.object({ Code: code.optional(), Message: z.string().optional(), ReturnCode: code.optional(), ReturnMessage: z.string().optional() }),
);
const byOrderIdSchema = z.object({ Payments: z.array(z.object({ PaymentId: z.string() })).optional() });
const notificationSchema = z.object({ PaymentId: z.string().min(1), ChangeType: code, RecurrentPaymentId: z.string().nullish() });

/** The notes a refund leaves before voiding (see refund). */
function refundNotes(notes: Readonly<Record<string, unknown>> | null): { voidedBefore: number; amount: number } | null {
  const voidedBefore = notes?.['voidedBefore'];
  const amount = notes?.['amount'];
  return typeof voidedBefore === 'number' && typeof amount === 'number' ? { voidedBefore, amount } : null;
}

/**
 * ReturnCode of a refused authorization → reason. Codes are ABECS's standard ones, which
 * production returns, plus those of Cielo's sandbox that do not clash with them (70 card
 * problem, 77 cancelled card, 78 blocked, 99 time-out). The sandbox's 57 "expired card"
 * means "not permitted for this card" in ABECS, so it falls to DO_NOT_HONOR.
 */
export function cieloDeclineReason(returnCode: string | undefined): DeclineReason {
  switch ((returnCode ?? '').replace(/^0+(?=\d)/, '')) {
    case '51':
      return 'INSUFFICIENT_FUNDS';
    case '59':
    case '63':
    case 'FD':
      return 'SUSPECTED_FRAUD';
    case '54':
      return 'EXPIRED_CARD';
    case '46':
    case '62':
    case '77':
    case '78':
    case 'BN':
      return 'BLOCKED_CARD';
    case '12':
    case '14':
    case '56':
    case '70':
    case 'BM':
      return 'INVALID_CARD';
    case '23':
      return 'INVALID_INSTALLMENTS';
    case '91':
    case '96':
    case '99':
      return 'ISSUER_UNAVAILABLE';
    default:
      return 'DO_NOT_HONOR';
  }
}

export class CieloPaymentProvider implements CardPaymentProvider, PixPaymentProvider {
  readonly name = 'cielo' as const;
  private readonly apiUrl: string;
  private readonly queryUrl: string;
  private readonly now: () => Date;

  constructor(private readonly options: CieloOptions) {
    this.apiUrl = options.apiUrl ?? CIELO_SANDBOX.apiUrl;
    this.queryUrl = options.queryUrl ?? CIELO_SANDBOX.queryUrl;
    this.now = options.now ?? (() => new Date());
  }

  /** Alphanumeric (Cielo refuses anything else), ≤ 25 (the Pix limit): readable reference + key hash. */
  static merchantOrderId(reference: string, idempotencyKey: string): string {
    const readable = reference.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
    const hash = createHash('sha256').update(idempotencyKey).digest('hex');
    return `${readable}${hash}`.slice(0, 25);
  }

  async authorizeCard(input: AuthorizeCardInput): Promise<AuthorizeCardResult> {
    assertCardToken(input.cardToken);
    assertPositiveBrl(this.name, input.amount);
    assertInstallments(this.name, input.installments);
    const merchantOrderId = CieloPaymentProvider.merchantOrderId(input.reference, input.idempotencyKey);

    const recovered = input.memory?.uncertain ? await this.findSale(merchantOrderId) : undefined;
    if (recovered) return this.authorizationFrom(recovered, input);

    const token: string = input.cardToken;
    const body = {
      MerchantOrderId: merchantOrderId,
      Customer: this.customer(input.buyer),
      Payment: {
        Type: 'CreditCard',
        Amount: input.amount.amount,
        Currency: 'BRL',
        Country: 'BRA',
        Installments: input.installments,
        Interest: 'ByMerchant',
        Capture: false,
        ...(this.options.softDescriptor ? { SoftDescriptor: this.options.softDescriptor } : {}),
        CreditCard: {
          ...((input.tokenKind ?? 'PAYMENT_TOKEN') === 'PAYMENT_TOKEN' ? { PaymentToken: token } : { CardToken: token }),
          Brand: input.cardBrand,
        },
      },
    };
    const response = await this.call('POST', this.apiUrl, '/1/sales/', 'POST /1/sales/ (CreditCard)', JSON.stringify(body));
    return this.authorizationFrom(this.parse(saleSchema, response, 'POST /1/sales/').Payment, input);
  }

  async findAuthorization(query: { reference: string; idempotencyKey: string }): Promise<AuthorizeCardResult | null> {
    const sale = await this.findSale(CieloPaymentProvider.merchantOrderId(query.reference, query.idempotencyKey));
    if (!sale) return null;
    return this.authorizationFrom(sale, { amount: brl(sale.Amount ?? 0), installments: sale.Installments ?? 1 });
  }

  async captureCard(input: CaptureCardInput): Promise<CaptureCardResult> {
    assertPositiveBrl(this.name, input.amount);
    const path = `/1/sales/${encodeURIComponent(input.providerRef)}/capture?amount=${input.amount.amount}`;
    const response = await this.call('PUT', this.apiUrl, path, 'PUT /1/sales/{id}/capture');
    const op = this.parse(operationSchema, response, 'capture');
    // A refused second capture can come back with the sale's current status (2) and a
    // non-zero ReasonCode; only status 2 with a successful reason is a capture.
    if (op.Status !== CieloStatus.PaymentConfirmed || (op.ReasonCode !== undefined && op.ReasonCode !== 0)) {
      const returnCode = op.ReturnCode ?? String(op.ReasonCode ?? '');
      const rejection: RejectionCode = returnCode === '842' ? 'AMOUNT_EXCEEDS_AUTHORIZED' : returnCode === '841' ? 'NOT_CAPTURABLE' : 'PROVIDER_REJECTED';
      throw new ProviderRejectedError(this.name, rejection, `Cielo did not capture: ${op.ReturnMessage ?? op.ReasonMessage ?? `status ${op.Status}`}`, returnCode, response.status);
    }
    return { status: 'CAPTURED', providerRef: input.providerRef, amount: brl(input.amount.amount) };
  }

  async voidCard(input: VoidCardInput): Promise<VoidCardResult> {
    assertPositiveBrl(this.name, input.amount);
    await this.void(input.providerRef, input.amount.amount);
    return { status: 'VOIDED', providerRef: input.providerRef, amount: brl(input.amount.amount) };
  }

  async createPix(input: CreatePixInput): Promise<CreatePixResult> {
    assertPositiveBrl(this.name, input.amount);
    const now = this.now();
    const seconds = Math.ceil((input.expiresAt.getTime() - now.getTime()) / 1000);
    if (seconds <= 0) throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', 'expiresAt must be in the future.');
    // Cielo keeps a Pix QR code for at most 24 hours.
    const expiration = Math.min(seconds, 86_400);
    const expiresAt = new Date(now.getTime() + expiration * 1000);
    const merchantOrderId = CieloPaymentProvider.merchantOrderId(input.reference, input.idempotencyKey);

    let payment = input.memory?.uncertain ? await this.findSale(merchantOrderId) : undefined;
    if (!payment) {
      const body = {
        MerchantOrderId: merchantOrderId,
        Customer: this.customer(input.buyer),
        Payment: {
          Type: 'Pix',
          ...(this.options.pixProvider ? { Provider: this.options.pixProvider, QrCode: { Expiration: expiration } } : {}),
          Amount: input.amount.amount,
        },
      };
      const response = await this.call('POST', this.apiUrl, '/1/sales/', 'POST /1/sales/ (Pix)', JSON.stringify(body));
      payment = this.parse(saleSchema, response, 'POST /1/sales/').Payment;
    }
    if (payment.Status !== CieloStatus.Pending || !payment.QrCodeString) {
      throw new ProviderRejectedError(
        this.name,
        'PROVIDER_REJECTED',
        `Cielo did not create the Pix QR code: ${payment.ReturnMessage ?? `status ${payment.Status}`}`,
        payment.ReturnCode,
      );
    }
    return {
      status: 'PENDING',
      providerRef: payment.PaymentId,
      amount: brl(input.amount.amount),
      qrCode: payment.QrCodeString,
      ...(payment.QrCodeBase64Image ? { qrCodeImageBase64: payment.QrCodeBase64Image } : {}),
      expiresAt,
    };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertPositiveBrl(this.name, input.amount);
    const amount = input.amount.amount;
    const before = await this.getPayment(input.providerRef);
    const noted = input.memory?.uncertain ? refundNotes(input.memory.notes) : null;
    if (noted && noted.amount === amount && before.refunded.amount >= noted.voidedBefore + amount) {
      // The attempt that got no answer did go through.
      return { status: 'REFUNDED', providerRef: input.providerRef, amount: brl(amount) };
    }
    if (before.method !== input.method) {
      throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', `${input.providerRef} is a ${before.method} payment, not ${input.method}.`);
    }
    const refundable = before.captured.amount - before.refunded.amount;
    if (before.captured.amount === 0) throw new ProviderRejectedError(this.name, 'NOT_REFUNDABLE', `A ${before.state} payment has nothing captured to refund.`);
    if (amount > refundable) {
      throw new ProviderRejectedError(this.name, 'AMOUNT_EXCEEDS_REFUNDABLE', `Cannot refund ${amount}: ${refundable} of ${before.captured.amount} captured is left.`);
    }
    // Noted before the request goes out: if its answer is lost, the retry compares against it.
    await input.memory?.note({ voidedBefore: noted?.voidedBefore ?? before.refunded.amount, amount });
    const op = await this.void(input.providerRef, amount);
    // A card void is final at once; a Pix refund is a transfer Cielo confirms by notification.
    const done = input.method === 'CARD' || op.Status === CieloStatus.Refunded || op.Status === CieloStatus.Voided;
    return { status: done ? 'REFUNDED' : 'PENDING', providerRef: input.providerRef, amount: brl(amount) };
  }

  async getPayment(providerRef: string): Promise<PaymentSnapshot> {
    const response = await this.call('GET', this.queryUrl, `/1/sales/${encodeURIComponent(providerRef)}`, 'GET /1/sales/{id}');
    return this.snapshot(this.parse(saleSchema, response, 'GET /1/sales/{id}').Payment);
  }

  async parseWebhook(request: WebhookRequest): Promise<PaymentEvent> {
    const expected = this.options.webhookHeader;
    if (expected) {
      const got = headerValue(request.headers, expected.name);
      if (got === undefined) throw new WebhookVerificationError(this.name, 'MISSING_SIGNATURE', `missing ${expected.name} header`);
      if (!digestsEqual(expected.value.toLowerCase(), got.toLowerCase())) {
        throw new WebhookVerificationError(this.name, 'BAD_SIGNATURE', `${expected.name} header does not match`);
      }
    }
    let notification: z.infer<typeof notificationSchema>;
    try {
      notification = notificationSchema.parse(JSON.parse(request.rawBody));
    } catch {
      throw new WebhookVerificationError(this.name, 'MALFORMED', 'not a Cielo notification (PaymentId, ChangeType)');
    }
    // 1 status change, 7 chargeback, 25 cancelled or partially refunded; the rest is about
    // recurrences and anti-fraud, which this store does not use through Cielo.
    if (!['1', '7', '25'].includes(notification.ChangeType)) {
      return { type: 'IGNORED', provider: this.name, reason: `ChangeType ${notification.ChangeType}`, providerRef: notification.PaymentId };
    }
    // The notification carries no state and no signature: the state is read back from Cielo,
    // so a forged notification can at most make us ask Cielo about a payment.
    const snap = await this.getPayment(notification.PaymentId);
    const eventId = `cielo:${snap.providerRef}:${notification.ChangeType}:${snap.providerStatus}:${snap.refunded.amount}`;
    if (notification.ChangeType === '7') {
      return { type: 'PAYMENT_CHARGED_BACK', provider: this.name, providerRef: snap.providerRef, method: snap.method, eventId, amount: snap.captured };
    }
    return eventFromSnapshot(this.name, snap, eventId);
  }

  // -------------------------------------------------------------------------------------

  private customer(buyer: Buyer) {
    const document = buyer.document.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    return { Name: buyer.name, Email: buyer.email, Identity: document, IdentityType: document.length === 11 ? 'CPF' : 'CNPJ' };
  }

  private authorizationFrom(payment: CieloPayment, input: Pick<AuthorizeCardInput, 'amount' | 'installments'>): AuthorizeCardResult {
    if (payment.Status === CieloStatus.Authorized || payment.Status === CieloStatus.PaymentConfirmed) {
      return {
        status: 'AUTHORIZED',
        providerRef: payment.PaymentId,
        amount: brl(payment.Amount ?? input.amount.amount),
        installments: payment.Installments ?? input.installments,
        ...(payment.AuthorizationCode ? { authorizationCode: payment.AuthorizationCode } : {}),
      };
    }
    const unfinished = payment.Status === CieloStatus.NotFinished || payment.Status === CieloStatus.Pending;
    return {
      status: 'DECLINED',
      providerRef: payment.PaymentId,
      reason: unfinished ? 'PROCESSING_ERROR' : cieloDeclineReason(payment.ReturnCode),
      providerCode: payment.ReturnCode ?? String(payment.Status),
      message: payment.ReturnMessage ?? `Cielo status ${payment.Status}`,
    };
  }

  private snapshot(payment: CieloPayment): PaymentSnapshot {
    const method = payment.Type?.toLowerCase() === 'pix' ? 'PIX' : 'CARD';
    const amount = payment.Amount ?? 0;
    const paidStatuses: number[] = [CieloStatus.PaymentConfirmed, CieloStatus.Refunded];
    const captured = payment.CapturedAmount ?? (paidStatuses.includes(payment.Status) || (method === 'PIX' && payment.Status === CieloStatus.Voided) ? amount : 0);
    // Voiding an uncaptured authorization also fills VoidedAmount, but nothing was paid back.
    const refunded = captured > 0 ? Math.min(payment.VoidedAmount ?? (payment.Status === CieloStatus.Refunded ? captured : 0), captured) : 0;
    let state: PaymentState;
    switch (payment.Status) {
      case CieloStatus.Authorized:
        state = 'AUTHORIZED';
        break;
      case CieloStatus.PaymentConfirmed:
        state = refunded > 0 && refunded >= captured ? 'REFUNDED' : 'PAID';
        break;
      case CieloStatus.Denied:
      case CieloStatus.Aborted:
        state = 'DECLINED';
        break;
      case CieloStatus.Voided:
      case CieloStatus.Refunded:
        state = captured > 0 ? 'REFUNDED' : 'CANCELLED';
        break;
      default:
        state = 'PENDING';
    }
    return { providerRef: payment.PaymentId, method, state, amount: brl(amount), captured: brl(captured), refunded: brl(refunded), providerStatus: String(payment.Status) };
  }

  private async void(providerRef: string, amount: number) {
    const path = `/1/sales/${encodeURIComponent(providerRef)}/void?amount=${amount}`;
    const response = await this.call('PUT', this.apiUrl, path, 'PUT /1/sales/{id}/void');
    const op = this.parse(operationSchema, response, 'void');
    // As with capture, a refusal may echo the sale's status (already 10): the reason decides.
    const ok = op.ReasonCode === undefined ? op.Status === CieloStatus.Voided || op.Status === CieloStatus.Refunded : op.ReasonCode === 0;
    if (!ok) {
      throw new ProviderRejectedError(
        this.name,
        'NOT_VOIDABLE',
        `Cielo did not void: ${op.ReturnMessage ?? op.ReasonMessage ?? `status ${op.Status}`}`,
        op.ReturnCode ?? String(op.ReasonCode ?? ''),
        response.status,
      );
    }
    return op;
  }

  /** The sale created under `merchantOrderId`, if Cielo has one (read from the query host). */
  private async findSale(merchantOrderId: string): Promise<CieloPayment | undefined> {
    const response = await this.call('GET', this.queryUrl, `/1/sales?merchantOrderId=${encodeURIComponent(merchantOrderId)}`, 'GET /1/sales?merchantOrderId=');
    if (response.status === 404) return undefined;
    const first = this.parse(byOrderIdSchema, response, 'GET /1/sales?merchantOrderId=').Payments?.[0];
    if (!first) return undefined;
    const sale = await this.call('GET', this.queryUrl, `/1/sales/${encodeURIComponent(first.PaymentId)}`, 'GET /1/sales/{id}');
    return this.parse(saleSchema, sale, 'GET /1/sales/{id}').Payment;
  }

  private async call(method: 'GET' | 'POST' | 'PUT', base: string, path: string, operation: string, body?: string): Promise<HttpResponse> {
    const response = await providerRequest({
      provider: this.name,
      operation,
      method,
      url: joinUrl(base, path),
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        MerchantId: this.options.merchantId,
        MerchantKey: this.options.merchantKey,
        RequestId: randomUUID(),
      },
      body: body ?? (method === 'PUT' ? '' : undefined),
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
    if (response.status >= 200 && response.status < 300) return response;
    if (response.status === 404 && operation.startsWith('GET /1/sales?')) return response;
    const errors = errorListSchema.safeParse(response.json);
    const first = errors.success ? errors.data[0] : undefined;
    const providerCode = first?.Code ?? first?.ReturnCode;
    const message = first?.Message ?? first?.ReturnMessage ?? `HTTP ${response.status}`;
    const rejection: RejectionCode =
      response.status === 401 || response.status === 403 ? 'AUTHENTICATION_FAILED' : response.status === 404 ? 'UNKNOWN_PAYMENT' : 'INVALID_REQUEST';
    throw new ProviderRejectedError(this.name, rejection, `Cielo refused ${operation}: ${message}`, providerCode, response.status);
  }

  private parse<T>(schema: z.ZodType<T>, response: HttpResponse, operation: string): T {
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) {
      // A 2xx we cannot read: the operation may have happened, so it is not a plain refusal.
      throw new ProviderNetworkError(this.name, `Cielo answered ${operation} with an unexpected body`, response.status);
    }
    return parsed.data;
  }
}

/**
 * The registry's entry (providers.ts): Cielo for cards and Pix.
 *
 * | variable                        | default                                              |
 * |---------------------------------|------------------------------------------------------|
 * | CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY | required when Cielo is chosen                  |
 * | CIELO_API_URL, CIELO_QUERY_URL  | Cielo's sandbox hosts (CIELO_PRODUCTION above)       |
 * | CIELO_SOFT_DESCRIPTOR           | unset                                                |
 * | CIELO_PIX_PROVIDER              | unset (account default); "Cielo2" for the 2025 Pix   |
 * | CIELO_WEBHOOK_HEADER_NAME/_VALUE| unset; the static header registered with Cielo        |
 */
const cieloEnv = {
  CIELO_MERCHANT_ID: optionalString,
  CIELO_MERCHANT_KEY: optionalString,
  CIELO_API_URL: url(CIELO_SANDBOX.apiUrl),
  CIELO_QUERY_URL: url(CIELO_SANDBOX.queryUrl),
  CIELO_SOFT_DESCRIPTOR: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{1,13}$/, 'up to 13 letters or digits')
      .optional(),
  ),
  CIELO_PIX_PROVIDER: optionalString,
  CIELO_WEBHOOK_HEADER_NAME: optionalString,
  CIELO_WEBHOOK_HEADER_VALUE: optionalString,
};

export const cieloProvider: ProviderDefinition<'cielo', typeof cieloEnv, 'CARD' | 'PIX'> = {
  name: 'cielo',
  kinds: ['CARD', 'PIX'],
  env: cieloEnv,
  check(c, { chosen, require, issue }) {
    if (chosen) {
      require('CIELO_MERCHANT_ID', 'Cielo is a payment provider');
      require('CIELO_MERCHANT_KEY', 'Cielo is a payment provider');
    }
    if ((c.CIELO_WEBHOOK_HEADER_NAME === undefined) !== (c.CIELO_WEBHOOK_HEADER_VALUE === undefined)) {
      issue('CIELO_WEBHOOK_HEADER_VALUE', 'set both CIELO_WEBHOOK_HEADER_NAME and CIELO_WEBHOOK_HEADER_VALUE, or neither');
    }
  },
  create(config, deps) {
    if (!config.CIELO_MERCHANT_ID || !config.CIELO_MERCHANT_KEY) throw new PaymentConfigError('Cielo needs CIELO_MERCHANT_ID and CIELO_MERCHANT_KEY');
    return new CieloPaymentProvider({
      merchantId: config.CIELO_MERCHANT_ID,
      merchantKey: config.CIELO_MERCHANT_KEY,
      apiUrl: config.CIELO_API_URL,
      queryUrl: config.CIELO_QUERY_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      softDescriptor: config.CIELO_SOFT_DESCRIPTOR,
      pixProvider: config.CIELO_PIX_PROVIDER,
      webhookHeader:
        config.CIELO_WEBHOOK_HEADER_NAME && config.CIELO_WEBHOOK_HEADER_VALUE
          ? { name: config.CIELO_WEBHOOK_HEADER_NAME, value: config.CIELO_WEBHOOK_HEADER_VALUE }
          : undefined,
      fetch: deps.fetch,
      now: deps.now,
    });
  },
};
