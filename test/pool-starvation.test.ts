import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, card, type Placed } from './helpers/shop.js';
import { CoCancelOrderDocument, type PaymentPartInput } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY, startFakeCielo, type FakeCielo } from './doubles/fake-cielo.js';

/*
 * Money review item 7: a checkout or a cancellation holds its transaction's connection while
 * its idempotency claim and provider-call journal write through another (and the sandbox
 * provider keeps its payments in our database too). With those drawn from the same pool, as
 * many concurrent requests as the pool has connections each held one and waited for a second:
 * the pool starved and every request failed at its acquire time-out. Here the main pool has 2
 * connections and the side pool 1; 8 checkouts, then 8 cancellations (each giving a captured
 * card payment back), arrive at once — with Cielo over HTTP (a local double), as in
 * production, and with the built-in sandbox provider.
 */

const N = 8;
const CIELO_CARD: PaymentPartInput = { method: 'CARD', installments: 1, card: { token: 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10', brand: 'Visa' } };

/** Fails instead of hanging when the requests never finish (a starved pool waits for its acquire time-out, then fails them all). */
async function finishing<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const starved = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish: the pool starved`)), 40_000);
  });
  return Promise.race([work, starved]).finally(() => clearTimeout(timer));
}

describe.each(['cielo', 'sandbox'] as const)('concurrent checkouts and cancellations on a 2-connection pool (%s)', (provider) => {
  let t: TestApp;
  let shop: Shop;
  let operator: string;
  let cielo: FakeCielo | undefined;

  beforeAll(async () => {
    cielo = provider === 'cielo' ? await startFakeCielo() : undefined;
    t = await startTestApp({
      DB_POOL_MAX: '2',
      DB_SIDE_POOL_MAX: '1',
      ...(cielo ? { PAYMENT_CARD_PROVIDER: 'cielo', CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY, CIELO_API_URL: cielo.api.url, CIELO_QUERY_URL: cielo.query.url } : {}),
    });
    const f = new Factory(t);
    const c = new CatalogFactory(f);
    await c.product(await f.adminSeller(), { sellerCode: 'POOL', skus: [{ code: 'POOL1', price: 5_000, stock: 100, weight: 100 }] });
    const op = await f.operator(UserRole.OWNER);
    operator = op.token;
    shop = new Shop(t, f, operator, op.user);
    await shop.shippingTable();
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await cielo?.close();
  });

  it('all complete: claims, journal and provider state never wait for a connection a held transaction owns', async () => {
    const parts = [cielo ? CIELO_CARD : card()];
    const placed: Placed[] = await finishing(Promise.all(Array.from({ length: N }, () => shop.place([['POOL1', 1]], parts))), 'the checkouts');
    const codes = placed.map((p) => p.orders[0]!.code);
    const results = await finishing(
      Promise.all(codes.map((orderCode) => t.request(CoCancelOrderDocument, { input: { orderCode, idempotencyKey: randomUUID() } }, operator))),
      'the cancellations',
    );
    for (const res of results) {
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data!.cancelOrder.userErrors).toEqual([]);
      expect(res.data!.cancelOrder.order!.status).toBe('CANCELLED');
    }
  }, 120_000);
});
