import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';

/**
 * Signed order links (design.md): every e-mail about an order carries one, so a buyer who
 * checked out without an account can see that order, its tracking, and open a return. The
 * token names one order and an expiry and is signed with the app's secret: it cannot be
 * forged, stretched, or pointed at another order, and nothing about it is stored.
 *
 * Token: base64url(order id bytes) "." expiry (unix seconds, base 36) "." base64url(HMAC-SHA256)
 */
export interface OrderLinks {
  /** A token for `orderId`, valid until `expiresAt`. */
  sign(orderId: string, expiresAt: Date): string;
  /** The order a token opens, or null when it is malformed, forged or expired. */
  verify(token: string, now?: Date): string | null;
  /** How long a new link stays valid. */
  readonly ttlMs: number;
}

/** The slot src/app fills with the signer built from the app secret. */
export const ORDER_LINKS = new ServiceKey<OrderLinks>('orders.links');

const UUID_HEX = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;
const TOKEN_RE = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;

export function createOrderLinks(secret: Buffer, ttlMs: number): OrderLinks {
  if (secret.length < 32) throw new Error('the order link secret needs at least 32 bytes');
  const mac = (payload: string) => createHmac('sha256', secret).update(`order-link:${payload}`).digest();
  return {
    ttlMs,
    sign(orderId, expiresAt) {
      const m = UUID_HEX.exec(orderId.toLowerCase());
      if (!m) throw new Error(`not an order id: ${orderId}`);
      const id = Buffer.from(m.slice(1).join(''), 'hex').toString('base64url');
      const payload = `${id}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token, now = new Date()) {
      const m = TOKEN_RE.exec(token.trim());
      if (!m) return null;
      const payload = `${m[1]}.${m[2]}`;
      const given = Buffer.from(m[3]!, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      if (parseInt(m[2]!, 36) * 1000 <= now.getTime()) return null;
      const hex = Buffer.from(m[1]!, 'base64url').toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

/**
 * The link an e-mail about `order` carries: ORDER_LINK_URL with the token in place of
 * `{token}` (the store's order page, which calls orderByLink), valid for the configured time.
 */
export function orderLinkUrl(runtime: Runtime, orderId: string, now = new Date()): string {
  const links = runtime.services.get(ORDER_LINKS);
  const token = links.sign(orderId, new Date(now.getTime() + links.ttlMs));
  return runtime.config.orderLinkUrl.replace('{token}', encodeURIComponent(token));
}
