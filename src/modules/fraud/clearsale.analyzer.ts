import type { Logger } from 'pino';
import { assertConsistentFraudRequest, type FraudAddress, type FraudAnalyzer, type FraudOutcome, type FraudReason, type FraudRequest, type FraudVerdict, type PaymentMethodKind } from './fraud.analyzer.js';

/**
 * A ClearSale-style HTTP adapter (ClearSale's "Total" / "Total Garantido" / "Application"
 * REST API, v1).
 *
 * What it does, per analysis:
 *   1. `POST {base}/v1/authenticate` with `{ name, password }` → `{ Token, ExpirationDate }`
 *      (the token is cached until shortly before it expires and reused by later analyses);
 *   2. `POST {base}/v1/orders` with `Authorization: Bearer <token>` and the whole cart as ONE
 *      order: every item carries `sellerName`, `sellerDocument` and `isMarketPlace`;
 *   3. `GET {base}/v1/orders/{code}/status` → `{ code, status, score }`, unless the send
 *      response already carried a final status for the order.
 * The order code is the cart number, which is also the verdict's `providerRef`.
 *
 * Statuses: the approvals (APA, APM, APP) are APPROVED; every final non-approval (RPM, RPA,
 * RPP, SUS, FRD, CAN) is REJECTED, since none of them may lead to a capture; NVO and AMA mean
 * ClearSale has not decided yet (its analysts may be on it) and give REVIEW with an extra
 * `PROVIDER_PENDING` reason, so the checkout can tell "wait for ClearSale" (settled later
 * through `checkStatus` or ClearSale's status notification) from "operator staff decide".
 * An unknown status is PROVIDER_ERROR (below).
 *
 * Where the shape comes from: ClearSale's own documentation is not at hand; the endpoints,
 * field names and status codes below are those used alike by several public client SDKs
 * (odesenvolvedor/clearsale-php-sdk, isaquesb/php-clear-sale, the Dart `clearsale` package).
 * Details the SDKs disagree on or do not show are marked "unconfirmed" where they are used.
 *
 * Base URL: the SDKs use `https://homologacao.clearsale.com.br/api` (sandbox) and
 * `https://api.clearsale.com.br` (production) as the base before `/v1/…`; both are
 * configuration here (CLEARSALE_API_URL), never a default, so a missing setting cannot send
 * real carts to the wrong environment.
 *
 * Failure policy (a deliberate choice): when the analysis cannot be completed — timeout,
 * network error, HTTP 5xx or 429, credentials refused, a 4xx or an unreadable answer — the
 * verdict is `REVIEW` with reason `PROVIDER_UNAVAILABLE` (ClearSale could not be reached or
 * did not answer) or `PROVIDER_ERROR` (it answered something we cannot use), never an
 * exception and never `APPROVED`. Approving would capture payment on a cart nobody analysed;
 * rejecting would cancel a probably good cart because of the provider's outage. `REVIEW`
 * leaves the orders in PENDING_FRAUD_REVIEW with the card only authorized, and a human
 * settles it. Returning a verdict rather than throwing also means the checkout has one code
 * path: it always records exactly one analysis for the cart.
 */

/** Output statuses as the SDKs list them (Portuguese names are ClearSale's). */
export const CLEARSALE_STATUSES = {
  APA: { outcome: 'APPROVED', meaning: 'Aprovação automática: approved automatically.' },
  APM: { outcome: 'APPROVED', meaning: 'Aprovação manual: approved by a ClearSale analyst.' },
  APP: { outcome: 'APPROVED', meaning: 'Aprovação por política: approved by the store\'s policy.' },
  RPM: { outcome: 'REJECTED', meaning: 'Reprovado sem suspeita: rejected without suspicion of fraud (e.g. the buyer could not be confirmed).' },
  RPA: { outcome: 'REJECTED', meaning: 'Reprovação automática: rejected automatically.' },
  RPP: { outcome: 'REJECTED', meaning: 'Reprovação por política: rejected by the store\'s policy.' },
  SUS: { outcome: 'REJECTED', meaning: 'Suspensão manual: suspended by an analyst on suspicion of fraud.' },
  FRD: { outcome: 'REJECTED', meaning: 'Fraude confirmada: fraud confirmed.' },
  CAN: { outcome: 'REJECTED', meaning: 'Cancelado pelo cliente: cancelled at the customer\'s request (or a duplicate).' },
  AMA: { outcome: 'REVIEW', meaning: 'Análise manual: waiting for a ClearSale analyst.' },
  NVO: { outcome: 'REVIEW', meaning: 'Novo: received, not analysed yet.' },
} as const satisfies Record<string, { outcome: FraudOutcome; meaning: string }>;

export type ClearSaleStatus = keyof typeof CLEARSALE_STATUSES;

function isClearSaleStatus(value: unknown): value is ClearSaleStatus {
  return typeof value === 'string' && Object.hasOwn(CLEARSALE_STATUSES, value);
}

/** Statuses that are not a decision yet: ClearSale is still working on the order. */
const PENDING: ReadonlySet<string> = new Set<ClearSaleStatus>(['NVO', 'AMA']);

/** `order.product` codes from the SDKs' enums. */
export const CLEARSALE_PRODUCTS = { application: 1, total: 3, 'total-garantido': 4 } as const;
export type ClearSaleProduct = keyof typeof CLEARSALE_PRODUCTS;

/**
 * `payments[].type`. Card (1), bank transfer (6) and virtual gift card (1041) are in the
 * SDKs' enums; they predate Pix, which is sent as "Outros" (14) — unconfirmed: ClearSale's
 * current list may have a Pix code, ask their integration team.
 */
const PAYMENT_TYPE: Record<PaymentMethodKind, number> = { CREDIT_CARD: 1, BANK_DEPOSIT: 6, VOUCHER: 1041, PIX: 14 };

export interface ClearSaleOptions {
  /** Base URL before `/v1/…`, e.g. `https://homologacao.clearsale.com.br/api`. */
  baseUrl: string;
  login: string;
  password: string;
  /** One deadline for the whole analysis (authenticate + send + status), in ms. */
  timeoutMs: number;
  /** Sent as `order.product` when set; otherwise the account's default product applies. */
  product?: ClearSaleProduct;
  logger?: Pick<Logger, 'warn'>;
}

type Failure = 'UNAVAILABLE' | 'ERROR';

/** Why a call did not produce a usable answer; caught inside the adapter and turned into REVIEW. */
class ClearSaleCallError extends Error {
  constructor(
    readonly failure: Failure,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

const reais = (centavos: number) => centavos / 100; // ClearSale takes decimal reais (e.g. 15.9), not centavos.

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

/** Splits a Brazilian phone into ClearSale's ddi/ddd/number. */
function phone(raw: string): { type: number; ddi: number; ddd: number; number: number } | null {
  let d = digits(raw);
  if ((d.length === 12 || d.length === 13) && d.startsWith('55')) d = d.slice(2);
  if (d.length !== 10 && d.length !== 11) return null;
  const number = d.slice(2);
  // Phone type codes (unconfirmed, from ClearSale's list as commonly reproduced):
  // 6 = mobile, 0 = undefined. A 9-digit number starting with 9 is a Brazilian mobile.
  return { type: number.length === 9 && number.startsWith('9') ? 6 : 0, ddi: 55, ddd: Number(d.slice(0, 2)), number: Number(number) };
}

function address(a: FraudAddress) {
  return {
    street: a.street,
    number: a.number,
    additionalInformation: a.complement,
    county: a.district,
    city: a.city,
    state: a.state,
    zipcode: digits(a.postalCode),
    country: a.country,
  };
}

/**
 * The order ClearSale receives for a cart. Exported so the mapping can be read and tested
 * without a server. Amounts are converted from centavos to reais only here.
 */
export function toClearSaleOrder(request: FraudRequest, product?: ClearSaleProduct) {
  const { buyer } = request;
  const document = buyer.document.replace(/[\s./-]/g, '').toUpperCase();
  const personType = document.length === 14 ? 2 : 1; // 1 = pessoa física (CPF), 2 = jurídica (CNPJ)
  const phones = [phone(buyer.phone)].filter((p) => p !== null);
  const person = {
    clientID: buyer.customerId ?? document,
    type: personType,
    primaryDocument: document,
    name: buyer.name,
    email: buyer.email,
    phones,
  };
  const installments = Math.max(1, ...request.payments.map((p) => p.card?.installments ?? 1));
  return {
    code: request.cartNumber,
    // `sessionID`/`b2bB2c` follow the PHP SDK; the Dart SDK writes `sessionId`/`b2BB2C`. ClearSale's
    // API is .NET and presumably case-insensitive on names (unconfirmed).
    sessionID: buyer.sessionId,
    date: request.placedAt.toISOString(),
    email: buyer.email,
    b2bB2c: personType === 2 ? 'B2B' : 'B2C',
    itemValue: reais(request.totals.merchandise),
    totalValue: reais(request.totals.total),
    numberOfInstallments: installments,
    ip: buyer.ip,
    product: product ? CLEARSALE_PRODUCTS[product] : undefined, // undefined fields are left out of the JSON
    billing: { ...person, address: address(request.billing) },
    shipping: {
      ...person,
      name: request.delivery.recipientName ?? buyer.name,
      address: address(request.delivery),
      price: reais(request.totals.freight),
    },
    payments: request.payments.map((p, i) => ({
      sequential: i + 1,
      date: request.placedAt.toISOString(),
      value: reais(p.amount),
      type: PAYMENT_TYPE[p.method],
      installments: p.card?.installments ?? 1,
      card: p.card ? { bin: p.card.bin, end: p.card.last4, ownerName: p.card.holderName } : undefined,
    })),
    // Every item with its seller and the marketplace flag (`sellerName`, `sellerDocument` and
    // `isMarketPlace` are item fields in the SDKs). `value` is the unit price, `amount` the quantity.
    items: request.items.map((item) => ({
      code: item.skuCode,
      name: item.name,
      value: reais(item.unitPrice),
      amount: item.quantity,
      categoryName: item.categoryName,
      sellerName: item.seller.name,
      sellerDocument: item.seller.document,
      isMarketPlace: item.marketplace,
    })),
    // The seller's id and concatenation code have no item field in the SDKs, so they travel as
    // custom fields, one pair per item position. The `customFields` name/shape is unconfirmed:
    // ClearSale agrees custom fields per account with the store.
    customFields: request.items.flatMap((item, i) => [
      { name: `items[${i}].sellerId`, value: item.seller.id },
      { name: `items[${i}].sellerConcatenationCode`, value: item.seller.concatenationCode ?? '' },
    ]),
  };
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Reads a field whatever the case of its name: the SDKs show both `Token` and `token`. */
function field(record: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

export class ClearSaleAnalyzer implements FraudAnalyzer {
  readonly provider = 'clearsale';
  private readonly baseUrl: string;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly options: ClearSaleOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async analyze(request: FraudRequest): Promise<FraudVerdict> {
    assertConsistentFraudRequest(request);
    const code = request.cartNumber;
    let sent = false;
    return this.withDeadline(
      async (signal) => {
        const order = toClearSaleOrder(request, this.options.product);
        await this.authenticate(signal);
        sent = true; // from here on ClearSale may know the order, even if its answer is lost
        const answer = asRecord(await this.authorized('POST', '/v1/orders', order, signal));
        const mine = answer && this.findOrder(answer, code);
        const status = mine ? field(mine, 'status') : undefined;
        if (mine && isClearSaleStatus(status) && !PENDING.has(status)) return this.verdict(code, mine);
        return this.verdict(code, await this.readStatus(code, signal));
      },
      () => (sent ? code : undefined),
    );
  }

  /**
   * The current status of an order already sent, as a verdict: for a later poller or a
   * ClearSale status webhook to settle carts that were answered `REVIEW` with
   * `PROVIDER_PENDING`.
   */
  async checkStatus(providerRef: string): Promise<FraudVerdict> {
    return this.withDeadline(
      async (signal) => this.verdict(providerRef, await this.readStatus(providerRef, signal)),
      () => providerRef,
    );
  }

  private async readStatus(code: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const answer = asRecord(await this.authorized('GET', `/v1/orders/${encodeURIComponent(code)}/status`, undefined, signal));
    if (!answer) throw new ClearSaleCallError('ERROR', 'status answer is not an object');
    return answer;
  }

  private findOrder(answer: Record<string, unknown>, code: string): Record<string, unknown> | null {
    const orders = field(answer, 'orders');
    if (!Array.isArray(orders)) return null;
    return orders.map(asRecord).find((o) => o !== null && String(field(o, 'code')) === code) ?? null;
  }

  private verdict(code: string, order: Record<string, unknown>): FraudVerdict {
    const status = field(order, 'status');
    if (!isClearSaleStatus(status)) {
      throw new ClearSaleCallError('ERROR', `unknown ClearSale status ${JSON.stringify(status)} for order ${code}`);
    }
    const known = CLEARSALE_STATUSES[status];
    const reasons: FraudReason[] = [];
    if (PENDING.has(status)) reasons.push({ code: 'PROVIDER_PENDING', message: 'ClearSale has not decided yet; its final status settles the cart.' });
    reasons.push({ code: `CLEARSALE_${status}`, message: known.meaning });
    const raw = field(order, 'score');
    const rawScore = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    // ClearSale's score is 0–100 (risk), possibly with decimals; without one (absent or null), the outcome's own.
    const score = Number.isFinite(rawScore)
      ? Math.min(100, Math.max(0, Math.round(rawScore)))
      : { APPROVED: 0, REVIEW: 50, REJECTED: 100 }[known.outcome];
    return { outcome: known.outcome, score, reasons, provider: this.provider, providerRef: code };
  }

  /** Runs `work` under one deadline; any failure becomes a REVIEW verdict (see the header). */
  private async withDeadline(work: (signal: AbortSignal) => Promise<FraudVerdict>, providerRef: () => string | undefined): Promise<FraudVerdict> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      return await work(controller.signal);
    } catch (error) {
      const failure: ClearSaleCallError = controller.signal.aborted
        ? new ClearSaleCallError('UNAVAILABLE', `no answer within ${this.options.timeoutMs} ms`)
        : error instanceof ClearSaleCallError
          ? error
          : new ClearSaleCallError('UNAVAILABLE', error instanceof Error ? error.message : String(error));
      const ref = providerRef();
      this.options.logger?.warn({ err: failure, httpStatus: failure.httpStatus, providerRef: ref }, 'fraud analysis by ClearSale failed; the cart goes to review');
      return {
        outcome: 'REVIEW',
        score: 50,
        reasons: [
          failure.failure === 'UNAVAILABLE'
            ? { code: 'PROVIDER_UNAVAILABLE', message: `ClearSale could not be reached (${failure.message}); operator staff settle the cart.` }
            : { code: 'PROVIDER_ERROR', message: `ClearSale's answer could not be used (${failure.message}); operator staff settle the cart.` },
        ],
        provider: this.provider,
        ...(ref ? { providerRef: ref } : {}),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call with the bearer token; a 401 on a cached token re-authenticates once. */
  private async authorized(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    const cached = this.token !== null;
    const token = await this.authenticate(signal);
    try {
      return await this.call(method, path, body, token, signal);
    } catch (error) {
      if (!(cached && error instanceof ClearSaleCallError && error.httpStatus === 401)) throw error;
      this.token = null;
      return this.call(method, path, body, await this.authenticate(signal), signal);
    }
  }

  private async authenticate(signal: AbortSignal): Promise<string> {
    // Refresh a minute early so a token does not expire between two calls of one analysis.
    if (this.token && this.token.expiresAt - 60_000 > Date.now()) return this.token.value;
    const answer = asRecord(await this.call('POST', '/v1/authenticate', { name: this.options.login, password: this.options.password }, undefined, signal));
    const value = answer && field(answer, 'token');
    if (typeof value !== 'string' || !value) throw new ClearSaleCallError('ERROR', 'authentication answer has no token');
    const expiration = Date.parse(String(field(answer, 'expirationDate')));
    // Without a readable expiration, keep it for 10 minutes (unconfirmed lifetime; a 401 renews it anyway).
    this.token = { value, expiresAt: Number.isFinite(expiration) ? expiration : Date.now() + 10 * 60_000 };
    return value;
  }

  private async call(method: 'GET' | 'POST', path: string, body: unknown, token: string | undefined, signal: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    if (!response.ok) {
      const unavailable = response.status >= 500 || response.status === 429;
      const what = path === '/v1/authenticate' && (response.status === 401 || response.status === 403) ? 'credentials refused' : `HTTP ${response.status}`;
      throw new ClearSaleCallError(unavailable ? 'UNAVAILABLE' : 'ERROR', `${method} ${path}: ${what}`, response.status);
    }
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      throw new ClearSaleCallError('ERROR', `${method} ${path}: answer is not JSON`, response.status);
    }
  }
}
