import { createHash, randomBytes } from 'node:crypto';

/** A random bearer token with a readable prefix, e.g. "mks_…" (session) or "mki_…" (integration). */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * A token that its holders must tell apart in a list (integrations): `prefix_handle_secret`.
 * The handle (8 random characters, shown beside the token's name) is not part of the 256-bit
 * secret, so what is shown and stored readable takes nothing from what guards the token.
 */
export function newHandledToken(prefix: string): { token: string; handle: string } {
  const handle = `${prefix}_${randomBytes(6).toString('base64url')}`;
  return { token: `${handle}_${randomBytes(32).toString('base64url')}`, handle };
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to store them without the secret. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
