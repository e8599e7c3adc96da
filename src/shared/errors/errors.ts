import { GraphQLError } from 'graphql';
import { registerEnumType } from 'type-graphql';

/**
 * Stable error codes. Clients switch on these, so a code is never renamed; new ones are
 * added as domains need them. Authentication and authorization failures (UNAUTHENTICATED,
 * FORBIDDEN) are top-level GraphQL errors because they are about the caller, not the input;
 * everything else a mutation refuses comes back in its payload's `userErrors`.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** Guest-seller operations while the store's "uses marketplace" switch is off. */
  MARKETPLACE_DISABLED = 'MARKETPLACE_DISABLED',
  /** Portal edits of a catalog that the seller declared managed by an ERP integration. */
  CATALOG_MANAGED_BY_INTEGRATION = 'CATALOG_MANAGED_BY_INTEGRATION',
  /** A cart line asks for more units than the SKU has; the message names the SKU. */
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  /** A price changed since the item entered the cart; the error carries the new figures. */
  PRICE_CHANGED = 'PRICE_CHANGED',
  /** No carrier, table or contingency row can ship this cart to this address. */
  NO_FREIGHT_AVAILABLE = 'NO_FREIGHT_AVAILABLE',
  /** The coupon does not exist, is outside its validity window or its conditions are not met. */
  VOUCHER_INVALID = 'VOUCHER_INVALID',
  /** The coupon reached its usage limit. */
  VOUCHER_EXHAUSTED = 'VOUCHER_EXHAUSTED',
  /** The payment provider declined the payment; nothing was created. */
  PAYMENT_DECLINED = 'PAYMENT_DECLINED',
  /** The payment provider could not be reached in time; nothing was created, try again. */
  PAYMENT_UNAVAILABLE = 'PAYMENT_UNAVAILABLE',
  /** Too many attempts or too much work from this client or for this account: HTTP 429, retry after `retryAfterSeconds`. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The database stopped the request's statement at its time limit (a search too broad, a long lock wait). */
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
}

registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  description: 'Stable machine-readable error codes.',
  valuesConfig: {
    BAD_USER_INPUT: { description: 'The input breaks a format or a rule (a malformed code, CNPJ or date, an amount out of range, a text too long). `field` names the input at fault.' },
    CATALOG_MANAGED_BY_INTEGRATION: { description: 'The seller declared its catalog managed by an ERP integration, so portal edits of its products and stock are refused. The message names the integration.' },
    CONFLICT: { description: 'The operation does not fit the current state: an order or return in another status (the message names it), a duplicate code, or an idempotency key reused with different input.' },
    FORBIDDEN: { description: 'The caller is authenticated but may not do this, or tried to act for a seller other than its own.' },
    MARKETPLACE_DISABLED: { description: 'The store\'s "uses marketplace" switch is off, so guest sellers cannot be created and their products are not sold.' },
    NOT_FOUND: { description: 'No record with that id or code exists, or the caller may not see it (the two are not told apart).' },
    NO_FREIGHT_AVAILABLE: { description: 'No carrier, shipping table or contingency row can ship this cart to this address.' },
    OUT_OF_STOCK: { description: 'A line asks for more units than the SKU has in stock; the message names the SKU.' },
    PAYMENT_DECLINED: { description: 'The payment provider declined the payment. Nothing was created; the buyer may try another card or method.' },
    PAYMENT_UNAVAILABLE: { description: 'The payment provider could not be reached in time. Nothing was created; retry with the same idempotency key.' },
    RATE_LIMITED: { description: 'Too many attempts or too much query cost from this client or account: wait `extensions.retryAfterSeconds` (the Retry-After header of the HTTP 429) and try again.' },
    QUERY_TIMEOUT: { description: 'The database stopped the request at its time limit: a product search too broad (SEARCH_TIMEOUT_MS) or a long wait for a lock (DB_STATEMENT_TIMEOUT_MS). Nothing changed; narrow the search, or retry (mutations with the same idempotency key).' },
    PRICE_CHANGED: { description: 'A price changed since the item entered the cart; the message carries the new figures. Read the cart again and confirm before retrying checkout.' },
    UNAUTHENTICATED: { description: 'The operation needs a signed-in user or an integration token, and the request had none, or an expired or revoked one; also the answer to `login` with a wrong e-mail or password.' },
    VOUCHER_EXHAUSTED: { description: 'The coupon reached its usage limit.' },
    VOUCHER_INVALID: { description: 'The coupon does not exist, is outside its validity window, or the cart does not meet its conditions.' },
  },
});

export interface UserErrorData {
  code: ErrorCode;
  message: string;
  /** Path of the offending input field, e.g. ["input", "document"]. */
  field?: string[];
}

/** An expected failure: bad input, a missing record, a rule that refuses the operation. */
export class AppError extends Error {
  readonly errors: UserErrorData[];

  constructor(code: ErrorCode, message: string, field?: string[]);
  constructor(errors: UserErrorData[]);
  constructor(codeOrErrors: ErrorCode | UserErrorData[], message?: string, field?: string[]) {
    const errors = Array.isArray(codeOrErrors)
      ? codeOrErrors
      : [{ code: codeOrErrors, message: message ?? codeOrErrors, field }];
    super(errors.map((e) => e.message).join('; '));
    this.name = 'AppError';
    this.errors = errors;
  }

  get code(): ErrorCode {
    return this.errors[0]!.code;
  }

  /** True for failures about who is calling rather than what was sent (throttling included): top-level errors, not userErrors. */
  get isAccessError(): boolean {
    return this.code === ErrorCode.UNAUTHENTICATED || this.code === ErrorCode.FORBIDDEN || this.code === ErrorCode.RATE_LIMITED;
  }

  /** Seconds a throttled caller waits (RATE_LIMITED); answered as HTTP 429 with Retry-After. */
  retryAfterSeconds?: number;

  toGraphQLError(): GraphQLError {
    const first = this.errors[0]!;
    const retry = this.retryAfterSeconds;
    return new GraphQLError(first.message, {
      extensions: {
        code: first.code,
        ...(first.field ? { field: first.field } : {}),
        ...(retry ? { retryAfterSeconds: retry, http: { status: 429, headers: new Map([['retry-after', String(retry)]]) } } : {}),
      },
      originalError: this,
    });
  }
}

export const badInput = (message: string, ...field: string[]) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field.length ? field : undefined);
export const notFound = (message: string, ...field: string[]) =>
  new AppError(ErrorCode.NOT_FOUND, message, field.length ? field : undefined);
export const conflict = (message: string, ...field: string[]) =>
  new AppError(ErrorCode.CONFLICT, message, field.length ? field : undefined);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in first.') => new AppError(ErrorCode.UNAUTHENTICATED, message);

/**
 * Collects every problem of an input before anything is written, so a client sees all of
 * them at once and a refused mutation changes nothing.
 */
export class Validation {
  private readonly errors: UserErrorData[] = [];

  add(code: ErrorCode, message: string, field: string[]): this {
    this.errors.push({ code, message, field });
    return this;
  }

  check(ok: boolean, message: string, field: string[], code = ErrorCode.BAD_USER_INPUT): this {
    if (!ok) this.add(code, message, field);
    return this;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  throwIfAny(): void {
    if (this.errors.length) throw new AppError(this.errors);
  }
}
