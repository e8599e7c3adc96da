import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLEARSALE_STATUSES, ClearSaleAnalyzer, toClearSaleOrder, type ClearSaleOptions } from './clearsale.analyzer.js';
import type { FraudRequest } from './fraud.analyzer.js';
import { buildExampleCarts } from '../../../test/doubles/fraud-example-carts.js';

/**
 * The adapter against a fake ClearSale on 127.0.0.1 (a random port), started by the test:
 * it records every request and answers from a per-test script. "hang" never answers, which
 * is how a slow provider is simulated; the adapter's timeout is what ends the call.
 */

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}
type Answer = { status: number; json?: unknown; text?: string } | 'hang';
type Script = Record<string, (req: Recorded) => Answer>;
/** What the adapter sends, as the fake receives it (JSON leaves out undefined fields). */
type SentOrder = ReturnType<typeof toClearSaleOrder>;

let server: Server;
let baseUrl: string;
let requests: Recorded[];
let script: Script;

const FUTURE = () => new Date(Date.now() + 3_600_000).toISOString();
const AUTH_OK: Script[string] = () => ({ status: 200, json: { Token: 'tok-1', ExpirationDate: FUTURE() } });

beforeEach(async () => {
  requests = [];
  script = {};
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const recorded: Recorded = { method: req.method ?? '', path, headers: req.headers, body: text ? JSON.parse(text) : undefined };
      requests.push(recorded);
      const handler = script[`${recorded.method} ${path}`];
      const answer: Answer = handler ? handler(recorded) : { status: 404, json: { message: 'not scripted' } };
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.text ?? JSON.stringify(answer.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The sandbox's base has a path (`…/api`); so does this one, to prove paths are appended to it.
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function analyzer(options: Partial<ClearSaleOptions> = {}) {
  return new ClearSaleAnalyzer({ baseUrl, login: 'store-login', password: 's3cret', timeoutMs: 5_000, ...options });
}

/** A fake that authenticates, accepts the order as NVO and reports `status` when asked. */
function provider(status: string, score?: number) {
  script['POST /api/v1/authenticate'] = AUTH_OK;
  script['POST /api/v1/orders'] = (req) => {
    const code = String((req.body as { code: unknown }).code);
    return { status: 200, json: { packageID: 'pkg-1', orders: [{ code, status: 'NVO', score: null }] } };
  };
  // No score is sent as null, as a .NET API would serialise it.
  script['GET /api/v1/orders/100002/status'] = () => ({ status: 200, json: { code: '100002', status, score: score ?? null } });
}

const route = (r: Recorded) => `${r.method} ${r.path}`;
const cents = (reais: unknown) => Math.round(Number(reais) * 100);

describe('ClearSale adapter: the requests', () => {
  it('authenticates, then sends the whole cart with every item, its seller and marketplace flag, then reads the status', async () => {
    provider('APA', 12.4);
    const cart: FraudRequest = buildExampleCarts().review;
    const verdict = await analyzer({ product: 'total' }).analyze(cart);
    expect(verdict).toEqual({
      outcome: 'APPROVED',
      score: 12,
      reasons: [{ code: 'CLEARSALE_APA', message: CLEARSALE_STATUSES.APA.meaning }],
      provider: 'clearsale',
      providerRef: '100002',
    });

    expect(requests.map(route)).toEqual(['POST /api/v1/authenticate', 'POST /api/v1/orders', 'GET /api/v1/orders/100002/status']);
    const [auth, send, status] = requests as [Recorded, Recorded, Recorded];
    expect(auth.body).toEqual({ name: 'store-login', password: 's3cret' });
    expect(auth.headers.authorization).toBeUndefined();
    expect(send.headers.authorization).toBe('Bearer tok-1');
    expect(send.headers['content-type']).toBe('application/json');
    expect(status.headers.authorization).toBe('Bearer tok-1');

    const order = send.body as SentOrder;
    expect(order.code).toBe(cart.cartNumber);
    expect(order.product).toBe(3);
    expect(order.date).toBe(cart.placedAt.toISOString());
    // Amounts in decimal reais, as the provider takes them, exact to the centavo.
    expect(cents(order.totalValue)).toBe(cart.totals.total);
    expect(order.totalValue).toBe(4108.7);
    expect(cents(order.itemValue)).toBe(cart.totals.merchandise);
    expect(cents(order.shipping.price)).toBe(cart.totals.freight);
    expect(order.numberOfInstallments).toBe(10);
    expect(order.payments).toEqual([
      { sequential: 1, date: cart.placedAt.toISOString(), value: 4108.7, type: 1, installments: 10, card: { bin: '411111', end: '1111', ownerName: 'JOAO P SOUZA' } },
    ]);
    expect(order.billing).toMatchObject({ type: 1, primaryDocument: '12345678909', name: 'João Pedro Souza', email: 'joao.souza@mail.example' });
    expect(order.billing.phones).toEqual([{ type: 6, ddi: 55, ddd: 21, number: 998765432 }]);
    expect(order.shipping.address).toEqual({
      street: 'Avenida Atlântica',
      number: '1702',
      county: 'Copacabana',
      city: 'Rio de Janeiro',
      state: 'RJ',
      zipcode: '22021001',
      country: 'BR',
    });

    // Every item, from every seller, with its seller and whether it is a marketplace item.
    expect(order.items).toHaveLength(cart.items.length);
    cart.items.forEach((item, i) => {
      expect(order.items[i]).toMatchObject({
        code: item.skuCode,
        name: item.name,
        amount: item.quantity,
        sellerName: item.seller.name,
        isMarketPlace: item.marketplace,
      });
      expect(cents(order.items[i]!.value)).toBe(item.unitPrice);
      expect(order.customFields).toContainEqual({ name: `items[${i}].sellerId`, value: item.seller.id });
      expect(order.customFields).toContainEqual({ name: `items[${i}].sellerConcatenationCode`, value: item.seller.concatenationCode ?? '' });
    });
    expect(order.items.map((i) => i.isMarketPlace)).toEqual([false, true, true]);
    expect(order.items[1]!.sellerDocument).toBe('11222333000181');
    // Σ value × amount is the merchandise; the payments sum to the total.
    expect(order.items.reduce((s, i) => s + cents(i.value) * i.amount, 0)).toBe(cart.totals.merchandise);
    expect(order.payments.reduce((s, p) => s + cents(p.value), 0)).toBe(cart.totals.total);
  });

  it('sends Pix and a second card as separate payments, and a company buyer as a legal person', async () => {
    provider('APA');
    const base = buildExampleCarts().review;
    const cart: FraudRequest = {
      ...base,
      buyer: { ...base.buyer, document: '11.222.333/0001-81' },
      payments: [
        { method: 'PIX', amount: 100_000 },
        { method: 'CREDIT_CARD', amount: base.totals.total - 100_000, card: { bin: '550209', last4: '0004', installments: 3 } },
      ],
    };
    await analyzer().analyze(cart);
    const order = requests[1]!.body as SentOrder;
    expect(order.product).toBeUndefined();
    expect(order.billing.type).toBe(2);
    expect(order.b2bB2c).toBe('B2B');
    expect(order.payments.map((p) => [p.type, cents(p.value), p.installments, p.card])).toEqual([
      [14, 100_000, 1, undefined],
      [1, base.totals.total - 100_000, 3, { bin: '550209', end: '0004' }],
    ]);
  });
});

describe('ClearSale adapter: statuses', () => {
  it.each(['APA', 'APM', 'APP'])('%s → APPROVED', async (status) => {
    provider(status, 5);
    expect(await analyzer().analyze(buildExampleCarts().review)).toMatchObject({ outcome: 'APPROVED', score: 5, reasons: [{ code: `CLEARSALE_${status}` }] });
  });

  it.each(['RPM', 'RPA', 'RPP', 'SUS', 'FRD', 'CAN'])('%s → REJECTED', async (status) => {
    provider(status, 97.6);
    expect(await analyzer().analyze(buildExampleCarts().review)).toMatchObject({ outcome: 'REJECTED', score: 98, reasons: [{ code: `CLEARSALE_${status}` }] });
  });

  it.each(['AMA', 'NVO'])('%s (manual review / not yet analysed) → REVIEW, pending at the provider', async (status) => {
    provider(status);
    const verdict = await analyzer().analyze(buildExampleCarts().review);
    expect(verdict).toMatchObject({ outcome: 'REVIEW', score: 50, providerRef: '100002' });
    expect(verdict.reasons.map((r) => r.code)).toEqual(['PROVIDER_PENDING', `CLEARSALE_${status}`]);
  });

  it('uses a final status already in the send answer without asking again', async () => {
    script['POST /api/v1/authenticate'] = AUTH_OK;
    script['POST /api/v1/orders'] = () => ({ status: 200, json: { packageID: 'pkg-2', orders: [{ code: '100002', status: 'RPA', score: 88 }] } });
    expect(await analyzer().analyze(buildExampleCarts().review)).toMatchObject({ outcome: 'REJECTED', score: 88 });
    expect(requests.map(route)).toEqual(['POST /api/v1/authenticate', 'POST /api/v1/orders']);
  });

  it('settles a pending analysis later through checkStatus', async () => {
    provider('AMA');
    const cs = analyzer();
    const first = await cs.analyze(buildExampleCarts().review);
    expect(first).toMatchObject({ outcome: 'REVIEW', providerRef: '100002' });
    script['GET /api/v1/orders/100002/status'] = () => ({ status: 200, json: { code: '100002', status: 'APM', score: 20 } });
    expect(await cs.checkStatus('100002')).toMatchObject({ outcome: 'APPROVED', score: 20, providerRef: '100002' });
  });

  it('answers an unknown status with REVIEW / PROVIDER_ERROR', async () => {
    provider('XYZ');
    const verdict = await analyzer().analyze(buildExampleCarts().review);
    expect(verdict).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_ERROR' }], providerRef: '100002' });
    expect(verdict.reasons[0]!.message).toContain('XYZ');
  });
});

describe('ClearSale adapter: failures never approve', () => {
  it('a 500 on the order → REVIEW / PROVIDER_UNAVAILABLE, logged', async () => {
    script['POST /api/v1/authenticate'] = AUTH_OK;
    script['POST /api/v1/orders'] = () => ({ status: 500, json: { message: 'internal error' } });
    const warn = vi.fn();
    const verdict = await analyzer({ logger: { warn } }).analyze(buildExampleCarts().approved);
    expect(verdict).toEqual({
      outcome: 'REVIEW',
      score: 50,
      reasons: [{ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('HTTP 500') }],
      provider: 'clearsale',
      providerRef: '100001',
    });
    expect(warn).toHaveBeenCalledOnce();
  });

  it('a 503 on authentication → REVIEW / PROVIDER_UNAVAILABLE, and no order is sent', async () => {
    script['POST /api/v1/authenticate'] = () => ({ status: 503, text: 'maintenance' });
    const verdict = await analyzer().analyze(buildExampleCarts().approved);
    expect(verdict).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_UNAVAILABLE' }] });
    expect(verdict.providerRef).toBeUndefined();
    expect(requests.map(route)).toEqual(['POST /api/v1/authenticate']);
  });

  it('a slow answer (no answer before the deadline) → REVIEW / PROVIDER_UNAVAILABLE', async () => {
    script['POST /api/v1/authenticate'] = AUTH_OK;
    script['POST /api/v1/orders'] = () => 'hang';
    const verdict = await analyzer({ timeoutMs: 200 }).analyze(buildExampleCarts().approved);
    expect(verdict).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_UNAVAILABLE' }], providerRef: '100001' });
    expect(verdict.reasons[0]!.message).toContain('no answer within 200 ms');
  });

  it('a slow status read → REVIEW / PROVIDER_UNAVAILABLE', async () => {
    provider('APA');
    script['GET /api/v1/orders/100002/status'] = () => 'hang';
    expect(await analyzer({ timeoutMs: 200 }).analyze(buildExampleCarts().review)).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_UNAVAILABLE' }] });
  });

  it('refused credentials → REVIEW / PROVIDER_ERROR', async () => {
    script['POST /api/v1/authenticate'] = () => ({ status: 401, json: [{ Code: 'x', Message: 'invalid login' }] });
    const verdict = await analyzer().analyze(buildExampleCarts().approved);
    expect(verdict).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_ERROR', message: expect.stringContaining('credentials refused') }] });
  });

  it('a 400 or an answer that is not JSON → REVIEW / PROVIDER_ERROR', async () => {
    script['POST /api/v1/authenticate'] = AUTH_OK;
    script['POST /api/v1/orders'] = () => ({ status: 400, json: [{ Code: 'InvalidField', Message: 'email' }] });
    expect(await analyzer().analyze(buildExampleCarts().approved)).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_ERROR' }] });
    script['POST /api/v1/orders'] = () => ({ status: 200, text: '<html>gateway</html>' });
    expect(await analyzer().analyze(buildExampleCarts().approved)).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_ERROR' }] });
  });

  it('an unreachable host → REVIEW / PROVIDER_UNAVAILABLE', async () => {
    const closed = baseUrl;
    await new Promise<void>((resolve) => server.close(() => resolve())); // nothing listens there any more
    expect(await analyzer({ baseUrl: closed }).analyze(buildExampleCarts().approved)).toMatchObject({ outcome: 'REVIEW', reasons: [{ code: 'PROVIDER_UNAVAILABLE' }] });
  });

  it('rejects a request that does not add up, before calling the provider', async () => {
    const cart = buildExampleCarts().approved;
    await expect(analyzer().analyze({ ...cart, totals: { ...cart.totals, total: cart.totals.total + 1 } })).rejects.toThrow(/inconsistent/);
    expect(requests).toHaveLength(0);
  });
});

describe('ClearSale adapter: the token', () => {
  it('is reused across analyses and renewed once when the provider answers 401', async () => {
    provider('APA');
    let issued = 0;
    script['POST /api/v1/authenticate'] = () => ({ status: 200, json: { token: `tok-${++issued}`, expirationDate: FUTURE() } });
    const cs = analyzer();
    await cs.analyze(buildExampleCarts().review);
    await cs.analyze(buildExampleCarts().review);
    expect(requests.filter((r) => r.path === '/api/v1/authenticate')).toHaveLength(1);

    // The provider revokes tok-1: the next call gets 401, the adapter authenticates again and retries.
    script['POST /api/v1/orders'] = (req) =>
      req.headers.authorization === 'Bearer tok-1'
        ? { status: 401, json: { message: 'expired' } }
        : { status: 200, json: { orders: [{ code: '100002', status: 'APA', score: 1 }] } };
    requests = [];
    expect(await cs.analyze(buildExampleCarts().review)).toMatchObject({ outcome: 'APPROVED' });
    expect(requests.map((r) => `${route(r)} ${r.headers.authorization ?? ''}`.trim())).toEqual([
      'POST /api/v1/orders Bearer tok-1',
      'POST /api/v1/authenticate',
      'POST /api/v1/orders Bearer tok-2',
    ]);
  });
});
