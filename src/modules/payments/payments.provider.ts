// Long file: the provider extension point — every type an adapter implements, takes or returns, and its shared guards — is read as one contract.
import type { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { INSTALLMENTS_LIMIT, type Money } from '../../shared/money/index.js';
import type { FetchLike } from './http.js';
import type { ProviderName } from './providers.js';

/**
 * The payment-provider extension point. Checkout, cancellation and the webhook endpoint talk
 * to these interfaces only; configuration (payments.config.ts) picks the implementation:
 * the sandbox by default, Cielo for cards and Pix, Mercado Pago for Pix.
 *
 * Conventions every implementation keeps:
 * - Amounts are `Money` in integer centavos of BRL. Conversions to a provider's own format
 *   (Mercado Pago's decimal reais) happen inside the provider, exactly (see decimal.ts).
 * - Outcomes the business expects (a declined card, a Pix waiting for payment) are values of
 *   the result unions. Everything else is a thrown `PaymentProviderError` whose `retryable`
 *   says whether trying again can help.
 * - Card data only ever crosses this interface as a provider token (`CardToken`); the API
 *   never sees, stores or forwards a card number.
 */

export type PaymentMethod = 'CARD' | 'PIX';
/** The registered providers' names (providers.ts, PROVIDERS). */
export type { ProviderName };

/** Brands Cielo accepts with a token; the browser learns it while tokenising. */
export type CardBrand = 'Visa' | 'Master' | 'Elo' | 'Amex' | 'Hipercard' | 'Diners' | 'JCB' | 'Discover' | 'Aura';
export const CARD_BRANDS: readonly CardBrand[] = ['Visa', 'Master', 'Elo', 'Amex', 'Hipercard', 'Diners', 'JCB', 'Discover', 'Aura'];

/**
 * `PAYMENT_TOKEN`: single-use token from the provider's browser script (Cielo's Silent Order
 * Post), which carries the security code, so the server never needs it.
 * `CARD_TOKEN`: a saved card (Cielo's CardToken), reusable, without the security code.
 */
export type CardTokenKind = 'PAYMENT_TOKEN' | 'CARD_TOKEN';

declare const cardTokenBrand: unique symbol;
/**
 * A provider's card token. The brand makes a plain string unusable where a token is
 * expected, so the only way to get one is `cardToken()`, which refuses anything that looks
 * like a card number. Providers check again at run time (`assertCardToken`) because a
 * type brand alone does not stop a value that arrives from JSON.
 */
export type CardToken = string & { readonly [cardTokenBrand]: true };

export interface Buyer {
  name: string;
  email: string;
  /** CPF (11 digits) or CNPJ (14 characters, numeric or the alphanumeric format), no punctuation. */
  document: string;
  phone?: string;
}

/**
 * What PostgreSQL remembers about earlier calls under the same idempotency key (the
 * provider_call journal, provider-calls.ts), handed to the adapter with each money-moving call
 * so that "look before posting again" holds across restarts and instances. Adapters of
 * providers that honour idempotency keys themselves (Mercado Pago) may ignore it.
 */
export interface CallMemory {
  /** An earlier call under this key got no answer (a time-out, a crash): look before posting again. */
  readonly uncertain: boolean;
  /** What the adapter noted before that call (e.g. Cielo's refunded total before a refund). */
  readonly notes: Readonly<Record<string, unknown>> | null;
  /** Saves notes before the request goes out, so a retry on any instance can read them. */
  note(notes: Record<string, unknown>): Promise<void>;
}

export interface AuthorizeCardInput {
  amount: Money;
  /** 1 to INSTALLMENTS_LIMIT; the store's own cap was applied by the payment split. */
  installments: number;
  cardToken: CardToken;
  /** Defaults to PAYMENT_TOKEN. */
  tokenKind?: CardTokenKind;
  cardBrand: CardBrand;
  /** The caller's reference for this payment part (shown in the provider's back office). */
  reference: string;
  /** Same key ⇒ same result and no second authorization. */
  idempotencyKey: string;
  buyer: Buyer;
  /** Earlier attempts under this key (absent: the first, nothing known). */
  memory?: CallMemory;
}

/** Names an authorization by what it was requested with (the provider's own lookup keys). */
export interface AuthorizationQuery {
  reference: string;
  idempotencyKey: string;
}

export type DeclineReason =
  | 'INSUFFICIENT_FUNDS'
  | 'SUSPECTED_FRAUD'
  | 'EXPIRED_CARD'
  | 'BLOCKED_CARD'
  | 'INVALID_CARD'
  | 'INVALID_INSTALLMENTS'
  | 'ISSUER_UNAVAILABLE'
  | 'PROCESSING_ERROR'
  | 'DO_NOT_HONOR';

export type AuthorizeCardResult =
  | {
      status: 'AUTHORIZED';
      providerRef: string;
      amount: Money;
      installments: number;
      authorizationCode?: string;
    }
  | {
      status: 'DECLINED';
      /** Present when the provider recorded the attempt (useful for support and reconciliation). */
      providerRef?: string;
      reason: DeclineReason;
      /** The provider's own code (Cielo ReturnCode, ABECS), kept for support. */
      providerCode: string;
      message: string;
    };

export interface CaptureCardInput {
  providerRef: string;
  /** ≤ the authorized amount; providers allow a single capture per authorization. */
  amount: Money;
}
export interface CaptureCardResult {
  status: 'CAPTURED';
  providerRef: string;
  amount: Money;
}

export interface VoidCardInput {
  providerRef: string;
  /**
   * Before capture only the whole authorization can be voided; after capture a void is a
   * (possibly partial) refund of the captured amount.
   */
  amount: Money;
}
export interface VoidCardResult {
  status: 'VOIDED';
  providerRef: string;
  /** Voided by this call. */
  amount: Money;
}

export interface CreatePixInput {
  amount: Money;
  reference: string;
  idempotencyKey: string;
  buyer: Buyer;
  /** When the QR code stops accepting payment; unpaid carts expire on the checkout's side too. */
  expiresAt: Date;
  memory?: CallMemory;
}
export interface CreatePixResult {
  status: 'PENDING';
  providerRef: string;
  amount: Money;
  /** The "copia e cola" EMV payload (BR Code). */
  qrCode: string;
  /** PNG of the QR code, base64, when the provider renders one. */
  qrCodeImageBase64?: string;
  /** Provider-hosted payment page, when there is one. */
  ticketUrl?: string;
  expiresAt: Date;
}

export interface RefundInput {
  providerRef: string;
  method: PaymentMethod;
  amount: Money;
  idempotencyKey: string;
  memory?: CallMemory;
}
export type RefundResult =
  | { status: 'REFUNDED'; providerRef: string; refundRef?: string; amount: Money }
  /** Accepted; the provider confirms it later (a webhook with PAYMENT_REFUNDED). */
  | { status: 'PENDING'; providerRef: string; refundRef?: string; amount: Money };

/** CHARGEBACK_REVERSED: the issuer took the money back and the dispute was then won (the money is ours again). */
export type PaymentState = 'PENDING' | 'AUTHORIZED' | 'PAID' | 'DECLINED' | 'CANCELLED' | 'REFUNDED' | 'CHARGED_BACK' | 'CHARGEBACK_REVERSED';

/** What the provider says about a payment now: the source of truth for reconciliation. */
export interface PaymentSnapshot {
  providerRef: string;
  method: PaymentMethod;
  state: PaymentState;
  amount: Money;
  captured: Money;
  refunded: Money;
  /** Provider's own status words, for support. */
  providerStatus: string;
}

export interface WebhookRequest {
  /** As received (Node's IncomingHttpHeaders fits); names are matched case-insensitively. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The exact bytes received: signatures are computed over them, never over re-serialised JSON. */
  rawBody: string;
  /** Query string of the notification URL (Mercado Pago signs `data.id` from it). */
  query?: Readonly<Record<string, string | undefined>>;
}

interface EventBase {
  provider: ProviderName;
  providerRef: string;
  method: PaymentMethod;
  /** Identifies the delivery, so the receiver can ignore duplicates. */
  eventId: string;
}
export type PaymentEvent =
  | (EventBase & { type: 'PAYMENT_CONFIRMED'; amount: Money })
  | (EventBase & { type: 'PAYMENT_FAILED'; reason: string })
  /** `refundedTotal` is everything refunded so far, not just this refund. */
  | (EventBase & { type: 'PAYMENT_REFUNDED'; refundedTotal: Money })
  | (EventBase & { type: 'PAYMENT_CHARGED_BACK'; amount: Money })
  /** The store won the dispute: what the chargeback took comes back. */
  | (EventBase & { type: 'PAYMENT_CHARGEBACK_REVERSED' })
  /** Authentic but nothing to act on (still pending, another topic); acknowledge it. */
  | { type: 'IGNORED'; provider: ProviderName; reason: string; providerRef?: string; eventId?: string };

export interface PaymentProviderBase {
  readonly name: ProviderName;
  refund(input: RefundInput): Promise<RefundResult>;
  getPayment(providerRef: string): Promise<PaymentSnapshot>;
  /**
   * Verifies a notification and turns it into an event, reading the payment's state from
   * the provider where the notification itself carries none. Throws
   * `WebhookVerificationError` for anything not proven to come from the provider.
   */
  parseWebhook(request: WebhookRequest): Promise<PaymentEvent>;
}

export interface CardPaymentProvider extends PaymentProviderBase {
  authorizeCard(input: AuthorizeCardInput): Promise<AuthorizeCardResult>;
  /**
   * What an authorization requested under this reference and key came to, or null when the
   * provider has none — a look-up only, it never authorizes. The recovery of an abandoned
   * checkout uses it to find (and void) an authorization whose answer never reached us.
   */
  findAuthorization(query: AuthorizationQuery): Promise<AuthorizeCardResult | null>;
  captureCard(input: CaptureCardInput): Promise<CaptureCardResult>;
  voidCard(input: VoidCardInput): Promise<VoidCardResult>;
}

export interface PixPaymentProvider extends PaymentProviderBase {
  createPix(input: CreatePixInput): Promise<CreatePixResult>;
}

// ---------------------------------------------------------------------------------------
// Errors

export type PaymentErrorKind = 'NETWORK' | 'TIMEOUT' | 'REJECTED' | 'CARD_DATA' | 'WEBHOOK' | 'CONFIG';

/** Every failure a provider throws. `retryable`: the same call may succeed later. */
export abstract class PaymentProviderError extends Error {
  abstract readonly kind: PaymentErrorKind;
  abstract readonly retryable: boolean;
  constructor(
    readonly provider: ProviderName | 'payments',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Could not talk to the provider (connection refused, reset, DNS) or it answered 5xx/429.
 * For calls that change state the outcome is unknown: retry with the same idempotency key,
 * or read `getPayment` before acting again.
 */
export class ProviderNetworkError extends PaymentProviderError {
  readonly kind = 'NETWORK' as const;
  readonly retryable = true;
  constructor(
    provider: ProviderName,
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(provider, message, options);
  }
}

/** No answer within PAYMENT_TIMEOUT_MS. As with network errors, the outcome is unknown. */
export class ProviderTimeoutError extends PaymentProviderError {
  readonly kind = 'TIMEOUT' as const;
  readonly retryable = true;
  constructor(
    provider: ProviderName,
    readonly timeoutMs: number,
    operation: string,
  ) {
    super(provider, `${provider}: ${operation} did not answer within ${timeoutMs} ms`);
  }
}

export type RejectionCode =
  | 'INVALID_REQUEST'
  | 'AUTHENTICATION_FAILED'
  | 'UNKNOWN_PAYMENT'
  | 'AMOUNT_EXCEEDS_AUTHORIZED'
  | 'ALREADY_CAPTURED'
  | 'NOT_CAPTURABLE'
  | 'NOT_VOIDABLE'
  | 'PARTIAL_VOID_NOT_ALLOWED'
  | 'AMOUNT_EXCEEDS_REFUNDABLE'
  | 'NOT_REFUNDABLE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'UNSUPPORTED'
  | 'PROVIDER_REJECTED';

/** The provider (or our own pre-check of its rules) refused the request; repeating it will not help. */
export class ProviderRejectedError extends PaymentProviderError {
  readonly kind = 'REJECTED' as const;
  readonly retryable = false;
  constructor(
    provider: ProviderName,
    readonly code: RejectionCode,
    message: string,
    readonly providerCode?: string,
    readonly httpStatus?: number,
  ) {
    super(provider, message);
  }
}

/** Something that looks like card data where a token belongs. Never echoes the value. */
export class CardDataRefusedError extends PaymentProviderError {
  readonly kind = 'CARD_DATA' as const;
  readonly retryable = false;
  constructor(message: string) {
    super('payments', message);
  }
}

export type WebhookFailure = 'MISSING_SIGNATURE' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP' | 'MALFORMED';

/** A notification we cannot prove came from the provider; answer 401 and do nothing. */
export class WebhookVerificationError extends PaymentProviderError {
  readonly kind = 'WEBHOOK' as const;
  readonly retryable = false;
  constructor(
    provider: ProviderName,
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(provider, message);
  }
}

export class PaymentConfigError extends PaymentProviderError {
  readonly kind = 'CONFIG' as const;
  readonly retryable = false;
  constructor(message: string) {
    super('payments', message);
  }
}

// ---------------------------------------------------------------------------------------
// Guards shared by every provider

/** Tokens are short opaque identifiers: GUIDs (Cielo), hex strings, `tok_…` in the sandbox. */
const TOKEN_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_.:=+/-]{0,199}$/;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * True when `value` could be a primary account number: 13–19 digits once spaces, dots and
 * dashes are removed (whatever the check digit: a typo'd card number is still card data), or
 * a run of 13–19 digits inside it that passes the Luhn check. GUID tokens never trip the
 * second rule because their digit runs are at most 12 long.
 */
export function looksLikeCardNumber(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '');
  if (/^\d{13,19}$/.test(compact)) return true;
  for (const run of value.match(/\d{13,19}/g) ?? []) {
    // A longer run is split by the regex; only maximal runs that are exactly a PAN's length count.
    if (luhnValid(run) && new RegExp(`(^|\\D)${run}(\\D|$)`).test(value)) return true;
  }
  return false;
}

export function assertCardToken(value: string): asserts value is CardToken {
  if (looksLikeCardNumber(value)) {
    throw new CardDataRefusedError('A card number was sent where a provider card token belongs; card numbers are never accepted.');
  }
  if (!TOKEN_SHAPE.test(value)) throw new CardDataRefusedError('The card token is not a provider token.');
}

/** The only way to obtain a `CardToken`. */
export function cardToken(value: string): CardToken {
  assertCardToken(value);
  return value;
}

/** A guard against a caller that skipped the split: the store's own cap was applied there. */
export function assertInstallments(provider: ProviderName, installments: number): void {
  if (!Number.isInteger(installments) || installments < 1 || installments > INSTALLMENTS_LIMIT) {
    throw new ProviderRejectedError(provider, 'INVALID_REQUEST', `installments must be an integer from 1 to ${INSTALLMENTS_LIMIT}, got ${installments}`);
  }
}

/** Providers here settle in reais only; amounts are positive safe integers of centavos. */
export function assertPositiveBrl(provider: ProviderName, amount: Money, field = 'amount'): void {
  if (amount.currency !== 'BRL') throw new ProviderRejectedError(provider, 'INVALID_REQUEST', `${field} must be in BRL, got ${amount.currency}`);
  if (!Number.isSafeInteger(amount.amount) || amount.amount <= 0) {
    throw new ProviderRejectedError(provider, 'INVALID_REQUEST', `${field} must be a positive whole number of centavos, got ${amount.amount}`);
  }
}

export function brl(amount: number): Money {
  return { amount, currency: 'BRL' };
}

/** Case-insensitive header lookup; a repeated header yields its first value. */
export function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

/** What every provider is built with besides its own variables (payments.config.ts reads them). */
export interface CommonPaymentConfig {
  /** Per HTTP exchange with a provider. */
  PAYMENT_TIMEOUT_MS: number;
  /** Older signed webhooks are refused (replay). */
  PAYMENT_WEBHOOK_TOLERANCE_SECONDS: number;
}

/** Test seams (the HTTP client, the clock) and the database for providers that keep state in it. */
export interface ProviderDeps {
  fetch?: FetchLike;
  now?: () => Date;
  /** The app's database, once open (providers are built before it is): the sandbox keeps its payments there. */
  db?: () => MikroORM;
}

/** How configuration asks a provider's definition about its variables. */
export interface ProviderConfigCheck<V extends string> {
  /** Whether configuration chose this provider (for cards, for Pix, or as an offered Pix). */
  chosen: boolean;
  /** Reports `variable` as missing when unset: "required when <because>". */
  require(variable: V, because: string): void;
  /** Reports a problem with `variable`. */
  issue(variable: V, message: string): void;
}

/** What a provider's factory returns for the kinds it takes. */
export type ProviderInstance<K extends PaymentMethod> = PaymentProviderBase &
  ('CARD' extends K ? CardPaymentProvider : unknown) &
  ('PIX' extends K ? PixPaymentProvider : unknown);

/**
 * One payment provider, as the registry (providers.ts) lists it: its name (the value of the
 * PAYMENT_*_PROVIDER variables, its webhook path `/webhooks/payments/<name>` and, for Pix,
 * the GraphQL PixProvider value), what it takes, its own environment variables, and how to
 * build it. Each provider's file exports its definition next to its implementation, typed
 * explicitly (`ProviderDefinition<'name', typeof env, kinds>`): the registry derives
 * ProviderName from these types, so they must not be inferred from the factories.
 */
export interface ProviderDefinition<N extends string = string, E extends z.ZodRawShape = z.ZodRawShape, K extends PaymentMethod = PaymentMethod> {
  /** Lower-case letters and digits. */
  readonly name: N;
  /** CARD, PIX or both; the instance implements the matching interfaces. */
  readonly kinds: readonly K[];
  /** Its environment variables (zod, with their defaults). */
  readonly env: E;
  /** Variables required when chosen, and checks across them. */
  check?(config: z.output<z.ZodObject<E>>, ctx: ProviderConfigCheck<Extract<keyof E, string>>): void;
  /** One instance serves every kind it takes (a shared ledger, shared caches). */
  create(config: z.output<z.ZodObject<E>> & CommonPaymentConfig, deps: ProviderDeps): ProviderInstance<K>;
}
