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
}

registerEnumType(ErrorCode, { name: 'ErrorCode', description: 'Stable machine-readable error codes.' });

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
