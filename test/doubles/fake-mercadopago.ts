import { createHmac, randomUUID } from 'node:crypto';
import type { WebhookRequest } from '../../src/modules/payments/index.js';
import { startFakeProvider, type FakeProvider, type FakeReply, type RecordedRequest } from './fake-provider.js';

/**
 * A small Mercado Pago on 127.0.0.1 for this module's tests and the checkout's: checks the
 * bearer token and X-Idempotency-Key, keeps payments and refunds, honours idempotency keys the
 * way Mercado Pago does (same key, same answer), and answers with its JSON shapes. Amounts
 * arrive and leave as decimal reais.
 */

export const MP_ACCESS_TOKEN = 'TEST-7434000000000159-031412-cee51edf8000000000000000f94f589-1000000001';
export const MP_WEBHOOK_SECRET = 'mp-webhook-secret';

export interface MercadoPagoPayment {
  id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  transaction_amount_refunded: number;
  external_reference: string;
}

export interface FakeMercadoPagoOptions {
  /** The bearer token it accepts; MP_ACCESS_TOKEN unless given. */
  accessToken?: string;
}

export interface FakeMercadoPago {
  api: FakeProvider;
  /** Payments by id (as a string, the way it travels in URLs and notifications). */
  payments: Map<string, MercadoPagoPayment>;
  /** The documented behaviour, for a test that wraps or restores `api.handle`. */
  answer(req: RecordedRequest): FakeReply;
  /** Back to a fresh Mercado Pago: no payments, no remembered keys, the documented handler, no recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const bad = (code: number | string, description: string): FakeReply => ({ status: 400, json: { message: description, error: 'bad_request', status: 400, cause: [{ code, description, data: null }] } });
const notFound: FakeReply = { status: 404, json: { message: 'Payment not found', status: 404, cause: [{ code: 2000, description: 'Payment not found' }] } };

export async function startFakeMercadoPago(options: FakeMercadoPagoOptions = {}): Promise<FakeMercadoPago> {
  const accessToken = options.accessToken ?? MP_ACCESS_TOKEN;
  const payments = new Map<string, MercadoPagoPayment>();
  const byKey = new Map<string, FakeReply>();
  let nextId = 1_300_000_000;

  function answer(req: RecordedRequest): FakeReply {
    if (req.headers['authorization'] !== `Bearer ${accessToken}`) return { status: 401, json: { message: 'invalid access token', error: 'unauthorized', status: 401, cause: [{ code: 401, description: 'Invalid token' }] } };
    if (req.method === 'POST') {
      const key = req.headers['x-idempotency-key'];
      if (typeof key !== 'string' || key === '') return bad(4292, 'Header X-Idempotency-Key can’t be null');
      const seen = byKey.get(`${req.path}:${key}`);
      if (seen) return seen;
      const reply = post(req);
      if (reply.status < 300) byKey.set(`${req.path}:${key}`, reply);
      return reply;
    }
    const m = /^\/v1\/payments\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const p = payments.get(m[1]!);
      return p ? { status: 200, json: { ...p, payment_method_id: 'pix', payment_type_id: 'bank_transfer', currency_id: 'BRL' } } : notFound;
    }
    return { status: 404, json: { message: 'not found' } };
  }

  function post(req: RecordedRequest): FakeReply {
    if (req.path === '/v1/payments') {
      const body = JSON.parse(req.body) as { transaction_amount: unknown; payment_method_id: string; external_reference: string; date_of_expiration?: string; payer?: { email?: string } };
      if (body.payment_method_id !== 'pix' || typeof body.transaction_amount !== 'number' || !body.payer?.email) return bad(1, 'Params Error');
      const id = nextId++;
      const payment: MercadoPagoPayment = { id, status: 'pending', status_detail: 'pending_waiting_transfer', transaction_amount: body.transaction_amount, transaction_amount_refunded: 0, external_reference: body.external_reference };
      payments.set(String(id), payment);
      return {
        status: 201,
        json: {
          ...payment,
          payment_method_id: 'pix',
          // The expiry asked for, or Mercado Pago's default for Pix: 24 hours.
          date_of_expiration: body.date_of_expiration ?? new Date(Date.now() + 86_400_000).toISOString(),
          point_of_interaction: { type: 'PIX', transaction_data: { qr_code: `00020126580014br.gov.bcb.pix0136${id}`, qr_code_base64: 'iVBORw0KGgo=', ticket_url: `https://www.mercadopago.com.br/payments/${id}/ticket` } },
        },
      };
    }
    const m = /^\/v1\/payments\/(\d+)\/refunds$/.exec(req.path);
    if (m) {
      const p = payments.get(m[1]!);
      if (!p) return notFound;
      const amount = (JSON.parse(req.body) as { amount: unknown }).amount;
      if (typeof amount !== 'number' || amount <= 0) return bad(4040, 'amount attribute must be positive');
      if (p.status !== 'approved') return bad(2063, 'The action requested is not valid for the current payment state');
      const leftCents = Math.round((p.transaction_amount - p.transaction_amount_refunded) * 100);
      if (Math.round(amount * 100) > leftCents) return bad(3000, 'Invalid refund amount');
      p.transaction_amount_refunded = Math.round((p.transaction_amount_refunded + amount) * 100) / 100;
      if (Math.round(p.transaction_amount_refunded * 100) === Math.round(p.transaction_amount * 100)) p.status = 'refunded';
      return { status: 201, json: { id: nextId++, payment_id: p.id, amount, status: 'approved', source: { id: '1', name: 'Loja', type: 'collector' } } };
    }
    return { status: 404, json: { message: 'not found' } };
  }

  const api = await startFakeProvider(answer);
  return {
    api,
    payments,
    answer,
    reset() {
      payments.clear();
      byKey.clear();
      api.handle = answer;
      api.requests.length = 0;
    },
    close: () => api.close(),
  };
}

export interface NotificationOptions {
  /** The secret to sign with; MP_WEBHOOK_SECRET unless given (another one forges). */
  secret?: string;
  requestId?: string;
  /** The x-signature's ts; the Unix seconds of `now` unless given. */
  ts?: string;
  /** The data.id in the body, when a test wants it to differ from the signed one. */
  bodyId?: string;
  type?: string;
  now?: Date;
}

/** What the webhook receives; plain string headers, so it can be posted with fetch as well. */
export interface SignedNotification extends WebhookRequest {
  headers: Record<string, string>;
  query: Record<string, string>;
}

/**
 * A Mercado Pago notification signed the documented way: HMAC-SHA256 over
 * "id:{data.id lower-cased};request-id:{x-request-id};ts:{ts};", sent as x-signature "ts=…,v1=…".
 */
export function signedMercadoPagoNotification(id: string, opts: NotificationOptions = {}): SignedNotification {
  const now = opts.now ?? new Date();
  const requestId = opts.requestId ?? randomUUID();
  const ts = opts.ts ?? String(Math.floor(now.getTime() / 1000));
  const type = opts.type ?? 'payment';
  const v1 = createHmac('sha256', opts.secret ?? MP_WEBHOOK_SECRET).update(`id:${id.toLowerCase()};request-id:${requestId};ts:${ts};`).digest('hex');
  return {
    headers: { 'x-signature': `ts=${ts},v1=${v1}`, 'x-request-id': requestId, 'content-type': 'application/json' },
    rawBody: JSON.stringify({ action: 'payment.updated', api_version: 'v1', data: { id: opts.bodyId ?? id }, date_created: now.toISOString(), id: 123, live_mode: false, type, user_id: 44 }),
    query: { 'data.id': id, type },
  };
}
