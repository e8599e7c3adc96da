import { createHash, randomBytes } from 'node:crypto';

/** A random bearer token with a readable prefix, e.g. "mks_…" (session) or "mki_…" (integration). */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to store them without the secret. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
