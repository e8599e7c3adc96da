import { badInput } from './errors.js';

/** Keys clients send with money-moving mutations: long enough to be random, short enough to index. */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_.:-]{8,200}$/;

/** Refuses a malformed idempotency key as BAD_USER_INPUT on `field` (default input.idempotencyKey). */
export function assertIdempotencyKey(key: string | null | undefined, field: string[] = ['input', 'idempotencyKey']): void {
  if (!IDEMPOTENCY_KEY_RE.test(key ?? '')) {
    throw badInput('The idempotency key must be 8 to 200 letters, digits or . _ : -; send a fresh random one for each new request.', ...field);
  }
}
