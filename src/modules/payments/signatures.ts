import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError, type ProviderName } from './payments.provider.js';

/** "ts=1704908010,v1=abc…" → { ts: "1704908010", v1: "abc…" }. Unknown keys are kept, blanks skipped. */
export function parseSignatureHeader(value: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const piece of value.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return parts;
}

export function hmacSha256Hex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of two hex digests. Lengths are compared in bytes first because
 * timingSafeEqual throws on different lengths (a multi-byte character in a forged header
 * would otherwise turn a 401 into a 500).
 */
export function digestsEqual(expectedHex: string, receivedHex: string): boolean {
  const a = Buffer.from(expectedHex, 'utf8');
  const b = Buffer.from(receivedHex.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Refuses a signature timestamp too far from now, so a captured notification cannot be
 * replayed later. Accepts seconds or milliseconds: Mercado Pago documents seconds
 * ("ts=1704908010") but its own SDKs have disagreed (sdk-nodejs #458); anything above 1e11
 * can only be milliseconds (1e11 s is the year 5138).
 */
export function assertFresh(provider: ProviderName, ts: string, now: Date, toleranceSeconds: number): void {
  if (!/^\d{1,16}$/.test(ts)) throw new WebhookVerificationError(provider, 'MALFORMED', 'signature timestamp is not a number');
  const raw = Number(ts);
  const ms = raw > 1e11 ? raw : raw * 1000;
  if (Math.abs(now.getTime() - ms) > toleranceSeconds * 1000) {
    throw new WebhookVerificationError(provider, 'STALE_TIMESTAMP', `signature timestamp is more than ${toleranceSeconds} s away from now`);
  }
}
