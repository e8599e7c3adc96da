import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { UnsafeUrlError, checkWebhookUrl, guardedLookup } from './webhooks.ssrf.js';

export interface SendResult {
  ok: boolean;
  /** The receiver's HTTP status; null when none came (refused, timed out, unsafe address). */
  status: number | null;
  latencyMs: number;
  error: string | null;
}

export interface WebhookMessage {
  /** The webhook-id: the event's id, the same on every attempt, so a receiver deduplicates on it. */
  id: string;
  timestamp: Date;
  /** The exact bytes signed and sent. */
  body: string;
}

/** The Standard Webhooks headers of a message signed with `secret` (`whsec_…`). */
export function signedHeaders(secret: string, msg: WebhookMessage): Record<string, string> {
  return {
    'webhook-id': msg.id,
    'webhook-timestamp': String(Math.floor(msg.timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(msg.id, msg.timestamp, msg.body),
  };
}

/**
 * One delivery attempt: a signed POST (Standard Webhooks: webhook-id, webhook-timestamp,
 * webhook-signature = v1,HMAC-SHA256), no redirects followed, bounded by `timeoutMs`, and only
 * to public addresses unless allowed (checked on the address actually connected to).
 */
export async function sendWebhook(opts: { url: string; secret: string; message: WebhookMessage; timeoutMs: number; allowPrivate: boolean }): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = await checkWebhookUrl(opts.url, opts.allowPrivate);
  } catch (err) {
    return { ok: false, status: null, latencyMs: latency(), error: err instanceof UnsafeUrlError ? `refused: ${err.message}` : String(err) };
  }
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'marketplace-webhooks/1',
    'content-length': String(Buffer.byteLength(opts.message.body)),
    ...signedHeaders(opts.secret, opts.message),
  };
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: latency() });
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'POST', headers, lookup: guardedLookup(opts.allowPrivate) as never }, (res) => {
      const status = res.statusCode ?? 0;
      // The answer's body is not kept; reading it lets the connection close cleanly.
      res.resume();
      res.on('end', () => finish({ ok: status >= 200 && status < 300, status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` }));
      res.on('error', (err) => finish({ ok: false, status, error: err.message }));
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, status: null, error: err.code === 'EUNSAFEHOST' ? `refused: ${err.message}` : err.message }));
    req.end(opts.message.body);
  });
}
