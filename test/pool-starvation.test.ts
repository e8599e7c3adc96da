import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop } from './helpers/shop.js';
import { CoCancelOrderDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY, startFakeCielo, type FakeCielo } from './doubles/fake-cielo.js';

/*
 * Money review item 7: a cancellation holds its transaction's connection while its idempotency
 * claim and provider-call journal write through another. With those drawn from the same pool,
 * as many concurrent cancellations as the pool has connections each held one and waited for a
 * second: the pool starved and every request failed at its acquire time-out. Here the main
 * pool has 2 connections and 8 cancellations (each refunding a captured card) arrive at once.
 * The card provider is Cielo over HTTP (a local double), as in production: the sandbox provider
 * stands in for an outside system with its state in our database, which is not the app's draw.
 */

let t: TestApp;
let shop: Shop;
let operator: string;
let cielo: FakeCielo;

beforeAll(async () => {
  cielo = await startFakeCielo();
  t = await startTestApp({
    DB_POOL_MAX: '2',
    DB_SIDE_POOL_MAX: '1',
    PAYMENT_CARD_PROVIDER: 'cielo',
    CIELO_MERCHANT_ID,
    CIELO_MERCHANT_KEY,
    CIELO_API_URL: cielo.api.url,
    CIELO_QUERY_URL: cielo.query.url,
  });
  const f = new Factory(t);
  const c = new CatalogFactory(f);
  const admin = await f.adminSeller();
  await c.product(admin, { sellerCode: 'POOL', skus: [{ code: 'POOL1', price: 5_000, stock: 100, weight: 100 }] });
  const op = await f.operator(UserRole.OWNER);
  operator = op.token;
  shop = new Shop(t, f, operator, op.user);
  await shop.shippingTable();
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await cielo?.close();
});

describe('concurrent cancellations on a small pool', () => {
  it('all complete: the claims and the journal never wait for a connection a held transaction owns', async () => {
    const placed = [];
    const card = { method: 'CARD' as const, installments: 1, card: { token: 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10', brand: 'Visa' } };
    for (let i = 0; i < 8; i++) placed.push(await shop.place([['POOL1', 1]], [card]));
    const codes = placed.map((p) => p.orders[0]!.code);
    let timer: NodeJS.Timeout | undefined;
    const starved = new Promise<never>((_, reject) => {
      // Far beyond what 8 cancellations take; a starved pool never finishes (or fails them all at its acquire time-out).
      timer = setTimeout(() => reject(new Error('the cancellations did not finish: the pool starved')), 45_000);
    });
    const results = await Promise.race([
      Promise.all(codes.map((orderCode) => t.request(CoCancelOrderDocument, { input: { orderCode, idempotencyKey: randomUUID() } }, operator))),
      starved,
    ]).finally(() => clearTimeout(timer));
    for (const res of results) {
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data!.cancelOrder.userErrors).toEqual([]);
      expect(res.data!.cancelOrder.order!.status).toBe('CANCELLED');
    }
  }, 90_000);
});
