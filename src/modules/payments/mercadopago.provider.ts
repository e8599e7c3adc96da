import { z } from 'zod';
import { centsToDecimalString, decimalToCents } from './decimal.js';
import { optionalString, url } from './env.js';
import { eventFromSnapshot } from './events.js';
import { joinUrl, providerRequest, type FetchLike, type HttpResponse } from './http.js';
import { PaymentConfigError, ProviderNetworkError, ProviderRejectedError, WebhookVerificationError, assertPositiveBrl, type ProviderDefinition, brl, headerValue, type Buyer, type CreatePixInput, type CreatePixResult, type PaymentEvent, type PaymentSnapshot, type PaymentState, type PixPaymentProvider, type RefundInput, type RefundResult, type RejectionCode, type WebhookRequest } from './payments.provider.js';
import { assertFresh, digestsEqual, hmacSha256Hex, parseSignatureHeader } from './signatures.js';

/**
 * Pix through Mercado Pago's payments API (Checkout API / "Checkout Transparente"):
 *   POST /v1/payments                 payment_method_id "pix", QR code in point_of_interaction
 *   GET  /v1/payments/{id}            status, for webhooks and reconciliation
 *   POST /v1/payments/{id}/refunds    total or partial refund
 * Every call sends `Authorization: Bearer <access token>`; creating calls send
 * `X-Idempotency-Key`, which Mercado Pago honours, so retries after a timeout are safe.
 *
 * Mercado Pago speaks decimal reais (`transaction_amount: 19.99`). The request body is
 * written with the decimal literal produced from integer centavos (decimal.ts), never
 * through floating-point arithmetic, and amounts read back are converted the same way.
 *
 * Webhooks: `x-signature: ts=<ts>,v1=<hex>` where v1 = HMAC-SHA256(secret, manifest) and the
 * manifest is `id:<data.id>;request-id:<x-request-id>;ts:<ts>;` (data.id from the
 * notification URL's query string, lower-cased when alphanumeric; parts absent from the
 * notification are left out). The payment's state is then read with GET /v1/payments/{id}.
 */

export const MERCADOPAGO_API_URL = 'https://api.mercadopago.com';

export interface MercadoPagoOptions {
  accessToken: string;
  apiUrl?: string;
  /** The application's webhook secret ("assinatura secreta") from Your integrations → Webhooks. */
  webhookSecret: string;
  webhookToleranceSeconds?: number;
  /** Sent as notification_url when set; otherwise the URL configured in the panel is used. */
  notificationUrl?: string;
  timeoutMs: number;
  fetch?: FetchLike;
  now?: () => Date;
}

const amount = z.union([z.number(), z.string()]);
const paymentSchema = z.object({
  id: z.union([z.number(), z.string()]).transform((v) => String(v)),
  status: z.string(),
  status_detail: z.string().nullish(),
  payment_method_id: z.string().nullish(),
  transaction_amount: amount,
  transaction_amount_refunded: amount.nullish(),
  date_of_expiration: z.string().nullish(),
  point_of_interaction: z
    .object({
      transaction_data: z
        .object({ qr_code: z.string().nullish(), qr_code_base64: z.string().nullish(), ticket_url: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
});
type MpPayment = z.infer<typeof paymentSchema>;
const refundSchema = z.object({
  id: z.union([z.number(), z.string()]).transform((v) => String(v)),
  amount,
  status: z.string(),
});
const errorSchema = z.object({
  message: z.string().optional(),
  cause: z.array(z.object({ code: z.union([z.number(), z.string()]).transform((v) => String(v)).optional(), description: z.string().nullish() })).optional(),
});
const notificationSchema = z.object({
  type: z.string().optional(),
  action: z.string().optional(),
  data: z.object({ id: z.union([z.number(), z.string()]).transform((v) => String(v)) }).optional(),
});

/** Mercado Pago's date format: yyyy-MM-dd'T'HH:mm:ss.SSS±hh:mm, here in Brasília time (UTC−3, no DST since 2019). */
export function mpDate(date: Date): string {
  return new Date(date.getTime() - 3 * 3_600_000).toISOString().replace('Z', '-03:00');
}

/** `{"transaction_amount":19.99,...rest}` with the amount as an exact decimal literal. */
function jsonWithDecimal(field: string, decimal: string, rest: Record<string, unknown>): string {
  const tail = JSON.stringify(rest);
  return `{${JSON.stringify(field)}:${decimal}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

export class MercadoPagoPixProvider implements PixPaymentProvider {
  readonly name = 'mercadopago' as const;
  private readonly apiUrl: string;
  private readonly now: () => Date;

  constructor(private readonly options: MercadoPagoOptions) {
    this.apiUrl = options.apiUrl ?? MERCADOPAGO_API_URL;
    this.now = options.now ?? (() => new Date());
  }

  async createPix(input: CreatePixInput): Promise<CreatePixResult> {
    assertPositiveBrl(this.name, input.amount);
    if (input.expiresAt.getTime() <= this.now().getTime()) {
      throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', 'expiresAt must be in the future.');
    }
    const body = jsonWithDecimal('transaction_amount', centsToDecimalString(input.amount.amount), {
      description: `Pedido ${input.reference}`,
      payment_method_id: 'pix',
      external_reference: input.reference,
      date_of_expiration: mpDate(input.expiresAt),
      ...(this.options.notificationUrl ? { notification_url: this.options.notificationUrl } : {}),
      payer: this.payer(input.buyer),
    });
    const response = await this.call('POST', '/v1/payments', 'POST /v1/payments', body, input.idempotencyKey);
    const payment = this.parse(paymentSchema, response, 'POST /v1/payments');
    const data = payment.point_of_interaction?.transaction_data;
    if (payment.status !== 'pending' || !data?.qr_code) {
      throw new ProviderRejectedError(this.name, 'PROVIDER_REJECTED', `Mercado Pago did not create the Pix: ${payment.status} ${payment.status_detail ?? ''}`.trim(), payment.status_detail ?? undefined);
    }
    const charged = decimalToCents(payment.transaction_amount);
    if (charged !== input.amount.amount) {
      // Never hand the buyer a QR code for a different amount than the order's.
      throw new ProviderRejectedError(this.name, 'PROVIDER_REJECTED', `Mercado Pago created the Pix for ${charged} centavos, not ${input.amount.amount}.`);
    }
    return {
      status: 'PENDING',
      providerRef: payment.id,
      amount: brl(charged),
      qrCode: data.qr_code,
      ...(data.qr_code_base64 ? { qrCodeImageBase64: data.qr_code_base64 } : {}),
      ...(data.ticket_url ? { ticketUrl: data.ticket_url } : {}),
      expiresAt: payment.date_of_expiration ? new Date(payment.date_of_expiration) : input.expiresAt,
    };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertPositiveBrl(this.name, input.amount);
    if (input.method !== 'PIX') throw new ProviderRejectedError(this.name, 'UNSUPPORTED', 'This integration takes only Pix through Mercado Pago.');
    const path = `/v1/payments/${encodeURIComponent(input.providerRef)}/refunds`;
    const body = jsonWithDecimal('amount', centsToDecimalString(input.amount.amount), {});
    let response: HttpResponse;
    try {
      response = await this.call('POST', path, 'POST /v1/payments/{id}/refunds', body, input.idempotencyKey);
    } catch (error) {
      throw await this.explainRefundRefusal(error, input);
    }
    const refund = this.parse(refundSchema, response, 'POST /v1/payments/{id}/refunds');
    const refunded = decimalToCents(refund.amount);
    if (refund.status === 'approved') return { status: 'REFUNDED', providerRef: input.providerRef, refundRef: refund.id, amount: brl(refunded) };
    if (refund.status === 'in_process' || refund.status === 'authorized') {
      return { status: 'PENDING', providerRef: input.providerRef, refundRef: refund.id, amount: brl(refunded) };
    }
    throw new ProviderRejectedError(this.name, 'NOT_REFUNDABLE', `Mercado Pago refused the refund (${refund.status}).`, refund.status);
  }

  async getPayment(providerRef: string): Promise<PaymentSnapshot> {
    const response = await this.call('GET', `/v1/payments/${encodeURIComponent(providerRef)}`, 'GET /v1/payments/{id}');
    return this.snapshot(this.parse(paymentSchema, response, 'GET /v1/payments/{id}'));
  }

  async parseWebhook(request: WebhookRequest): Promise<PaymentEvent> {
    const signature = headerValue(request.headers, 'x-signature');
    if (!signature) throw new WebhookVerificationError(this.name, 'MISSING_SIGNATURE', 'missing x-signature header');
    const { ts, v1 } = parseSignatureHeader(signature);
    if (!ts || !v1) throw new WebhookVerificationError(this.name, 'MALFORMED', 'x-signature needs ts= and v1=');
    const requestId = headerValue(request.headers, 'x-request-id');

    let body: z.infer<typeof notificationSchema> = {};
    if (request.rawBody.trim() !== '') {
      try {
        body = notificationSchema.parse(JSON.parse(request.rawBody));
      } catch {
        throw new WebhookVerificationError(this.name, 'MALFORMED', 'body is not a Mercado Pago notification');
      }
    }
    const queryId = request.query?.['data.id'];
    const bodyId = body.data?.id;
    // The signature covers the query-string id only; an unsigned body id must agree with it.
    if (queryId !== undefined && bodyId !== undefined && queryId !== bodyId) {
      throw new WebhookVerificationError(this.name, 'MALFORMED', 'data.id in the URL and in the body differ');
    }
    const dataId = queryId ?? bodyId;

    const manifest =
      (dataId !== undefined ? `id:${/^[a-z0-9]+$/i.test(dataId) ? dataId.toLowerCase() : dataId};` : '') +
      (requestId !== undefined ? `request-id:${requestId};` : '') +
      `ts:${ts};`;
    if (!digestsEqual(hmacSha256Hex(this.options.webhookSecret, manifest), v1)) {
      throw new WebhookVerificationError(this.name, 'BAD_SIGNATURE', 'x-signature does not match');
    }
    assertFresh(this.name, ts, this.now(), this.options.webhookToleranceSeconds ?? 300);

    const topic = request.query?.type ?? request.query?.topic ?? body.type;
    if (topic !== 'payment' || dataId === undefined) {
      return { type: 'IGNORED', provider: this.name, reason: `topic ${topic ?? 'unknown'}`, ...(requestId ? { eventId: requestId } : {}) };
    }
    const snap = await this.getPayment(dataId);
    return eventFromSnapshot(this.name, snap, requestId ?? `mercadopago:${dataId}:${ts}`);
  }

  // -------------------------------------------------------------------------------------

  private payer(buyer: Buyer) {
    const [first = '', ...rest] = buyer.name.trim().split(/\s+/);
    const document = buyer.document.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    return {
      email: buyer.email,
      first_name: first,
      last_name: rest.join(' '),
      identification: { type: document.length === 11 ? 'CPF' : 'CNPJ', number: document },
    };
  }

  private snapshot(payment: MpPayment): PaymentSnapshot {
    const total = decimalToCents(payment.transaction_amount);
    const refundedRaw = payment.transaction_amount_refunded == null ? 0 : decimalToCents(payment.transaction_amount_refunded);
    const paid = ['approved', 'refunded', 'charged_back', 'in_mediation'].includes(payment.status);
    const captured = paid ? total : 0;
    const refunded = Math.min(refundedRaw, captured);
    const states: Record<string, PaymentState> = {
      pending: 'PENDING',
      in_process: 'PENDING',
      authorized: 'AUTHORIZED',
      approved: refunded > 0 && refunded >= captured ? 'REFUNDED' : 'PAID',
      in_mediation: 'PAID',
      rejected: 'DECLINED',
      cancelled: 'CANCELLED',
      refunded: 'REFUNDED',
      charged_back: 'CHARGED_BACK',
    };
    // charged_back/reimbursed: "the money was reimbursed after a chargeback process" (the dispute was won).
    const reimbursed = payment.status === 'charged_back' && payment.status_detail === 'reimbursed';
    return {
      providerRef: payment.id,
      method: payment.payment_method_id === 'pix' ? 'PIX' : 'CARD',
      state: reimbursed ? 'CHARGEBACK_REVERSED' : (states[payment.status] ?? 'PENDING'),
      amount: brl(total),
      captured: brl(captured),
      refunded: brl(refunded),
      providerStatus: payment.status_detail ? `${payment.status}/${payment.status_detail}` : payment.status,
    };
  }

  private async call(method: 'GET' | 'POST', path: string, operation: string, body?: string, idempotencyKey?: string): Promise<HttpResponse> {
    if (method === 'POST' && !idempotencyKey) throw new ProviderRejectedError(this.name, 'INVALID_REQUEST', 'idempotencyKey is required.');
    const response = await providerRequest({
      provider: this.name,
      operation,
      method,
      url: joinUrl(this.apiUrl, path),
      headers: {
        Authorization: `Bearer ${this.options.accessToken}`,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'X-Idempotency-Key': idempotencyKey } : {}),
      },
      body,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
    if (response.status >= 200 && response.status < 300) return response;
    const parsed = errorSchema.safeParse(response.json);
    const cause = parsed.success ? parsed.data.cause?.[0] : undefined;
    const message = cause?.description ?? (parsed.success ? parsed.data.message : undefined) ?? `HTTP ${response.status}`;
    throw new ProviderRejectedError(this.name, this.rejection(response.status, cause?.code, operation), `Mercado Pago refused ${operation}: ${message}`, cause?.code, response.status);
  }

  private rejection(status: number, causeCode: string | undefined, operation: string): RejectionCode {
    if (status === 401 || status === 403) return 'AUTHENTICATION_FAILED';
    if (status === 404) return 'UNKNOWN_PAYMENT';
    if (status === 409) return 'IDEMPOTENCY_CONFLICT';
    // 2063 action not valid for the payment's state, 4293 invalid status to refund, 4296 already refunded.
    if (operation.includes('/refunds') && (causeCode === '2063' || causeCode === '4293' || causeCode === '4296')) return 'NOT_REFUNDABLE';
    return 'INVALID_REQUEST';
  }

  /**
   * Mercado Pago documents no specific code for "more than is left to refund", so a refused
   * refund is classified against the payment's state read back after the refusal (reading it
   * before would misjudge an idempotent retry of a refund that already went through).
   */
  private async explainRefundRefusal(error: unknown, input: RefundInput): Promise<unknown> {
    if (!(error instanceof ProviderRejectedError) || error.code !== 'INVALID_REQUEST') return error;
    try {
      const snap = await this.getPayment(input.providerRef);
      const left = snap.captured.amount - snap.refunded.amount;
      if (snap.captured.amount === 0) return new ProviderRejectedError(this.name, 'NOT_REFUNDABLE', `A ${snap.state} payment has nothing paid to refund.`, error.providerCode, error.httpStatus);
      if (input.amount.amount > left) {
        return new ProviderRejectedError(this.name, 'AMOUNT_EXCEEDS_REFUNDABLE', `Cannot refund ${input.amount.amount}: ${left} of ${snap.captured.amount} paid is left.`, error.providerCode, error.httpStatus);
      }
    } catch {
      // The original refusal is the better report when the payment cannot be read.
    }
    return error;
  }

  private parse<T>(schema: z.ZodType<T>, response: HttpResponse, operation: string): T {
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) throw new ProviderNetworkError(this.name, `Mercado Pago answered ${operation} with an unexpected body`, response.status);
    return parsed.data;
  }
}

/**
 * The registry's entry (providers.ts): Mercado Pago for Pix.
 *
 * | variable                           | default                                           |
 * |------------------------------------|---------------------------------------------------|
 * | MP_ACCESS_TOKEN, MP_WEBHOOK_SECRET | required when Mercado Pago is chosen              |
 * | MP_API_URL                         | https://api.mercadopago.com                       |
 * | MP_NOTIFICATION_URL                | unset (the URL configured in Mercado Pago's panel)|
 */
const mercadoPagoEnv = {
  MP_ACCESS_TOKEN: optionalString,
  MP_API_URL: url(MERCADOPAGO_API_URL),
  MP_WEBHOOK_SECRET: optionalString,
  MP_NOTIFICATION_URL: optionalString.pipe(z.string().url().optional()),
};

export const mercadoPagoProvider: ProviderDefinition<'mercadopago', typeof mercadoPagoEnv, 'PIX'> = {
  name: 'mercadopago',
  kinds: ['PIX'],
  env: mercadoPagoEnv,
  check(_c, { chosen, require }) {
    if (!chosen) return;
    require('MP_ACCESS_TOKEN', 'Mercado Pago takes Pix');
    // Without the secret no notification could be verified, so no Pix would ever be confirmed.
    require('MP_WEBHOOK_SECRET', 'Mercado Pago takes Pix');
  },
  create(config, deps) {
    if (!config.MP_ACCESS_TOKEN || !config.MP_WEBHOOK_SECRET) throw new PaymentConfigError('Mercado Pago needs MP_ACCESS_TOKEN and MP_WEBHOOK_SECRET');
    return new MercadoPagoPixProvider({
      accessToken: config.MP_ACCESS_TOKEN,
      apiUrl: config.MP_API_URL,
      webhookSecret: config.MP_WEBHOOK_SECRET,
      webhookToleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      notificationUrl: config.MP_NOTIFICATION_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      fetch: deps.fetch,
      now: deps.now,
    });
  },
};
