import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AddCartLineDocument, CartTestShippingTableDocument, CoCheckoutDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY, startFakeCielo, type FakeCielo } from './doubles/fake-cielo.js';

/**
 * Issue 18: a refused checkout frees its idempotency key with a DELETE; when PostgreSQL cuts
 * the connection running that DELETE, the key used to stay IN_PROGRESS forever ("still being
 * processed; ask again in a moment", to every replay). Here the pool's backends are terminated
 * exactly while the clean-up runs — the DELETE is made to wait on the claim row, which the
 * test holds locked, and its backend is killed; twice, so the clean-up's own retry fails too —
 * and the key is shown not stuck: the next request after its lease takes it over and runs.
 */

const APP_NAME = `mkt-cleanup-${process.pid}`;
const LEASE_MS = 1_500;
let cielo: FakeCielo;
let t: TestApp;
let admin: pg.Client;
/** Holds the claim row; a client of its own (statistics views are frozen inside a transaction). */
let locker: pg.Client;
let release: () => void = () => undefined;
let gate: Promise<void> = Promise.resolve();
let arrived = 0;

beforeAll(async () => {
  cielo = await startFakeCielo();
  // A decline, answered only when the test says so (by then the test holds the claim row).
  cielo.authorizeReply = (sale, id) => {
    sale.status = 3;
    return { status: 201, json: { Payment: { PaymentId: id, Type: 'CreditCard', Amount: sale.amount, Status: 3, ReturnCode: '51', ReturnMessage: 'Saldo insuficiente' } } };
  };
  cielo.api.handle = async (req) => {
    const reply = cielo.answerApi(req);
    if (req.method === 'POST' && req.url === '/1/sales/') {
      arrived++;
      await gate;
    }
    return reply;
  };
  t = await startTestApp({
    DB_APPLICATION_NAME: APP_NAME,
    PAYMENT_CARD_PROVIDER: 'cielo',
    CIELO_MERCHANT_ID,
    CIELO_MERCHANT_KEY,
    CIELO_API_URL: cielo.api.url,
    CIELO_QUERY_URL: cielo.query.url,
    PAYMENT_LEASE_MS: String(LEASE_MS),
    JOBS: 'off',
  });
  admin = new pg.Client({ connectionString: inject('databaseUrl') });
  locker = new pg.Client({ connectionString: inject('databaseUrl') });
  for (const client of [admin, locker]) {
    await client.connect();
    await client.query(`set search_path to "${t.schema}"`);
  }
});
afterAll(async () => {
  release();
  await admin?.end();
  await locker?.end();
  await t?.stop();
  await cielo?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify((await admin.query("select pid, state, wait_event_type, left(query, 120) as q from pg_stat_activity where application_name like 'mkt-cleanup%'")).rows)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The app's backend waiting on a lock while deleting the claim (its clean-up), if any. */
const cleanupBackend = async () =>
  (
    await admin.query(
      `select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock' and query like 'delete from idempotency_claim%'`,
      [APP_NAME],
    )
  ).rows[0]?.pid as number | undefined;

describe('the connection cut during a checkout’s clean-up', () => {
  it('does not leave the key stuck: after its lease the next request takes it over and runs', async () => {
    const f = new Factory(t);
    const c = new CatalogFactory(f);
    await c.product(await f.adminSeller(), { sellerCode: 'CANECA', skus: [{ code: 'ADM1', price: 9_990, stock: 5, weight: 500 }] });
    const owner = (await f.operator(UserRole.OWNER)).token;
    await t.request(CartTestShippingTableDocument, { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000, priceCents: 1_000, days: 5 }] } }, owner);
    const cartToken = (await t.request(CreateCartDocument, {})).data!.createCart.token!;
    await t.request(AddCartLineDocument, { cartToken, skuCode: 'ADM1', quantity: 1 });
    await t.request(SetBuyerDocument, { cartToken, input: { name: 'Maria da Silva', email: 'maria@example.com', document: '52998224725', phone: '11987654321' } });
    await t.request(SetShippingAddressDocument, { cartToken, input: { recipient: 'Maria', street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310100' } });
    const key = `cleanup-${Date.now()}`;
    const input = { cartToken, idempotencyKey: key, payment: { parts: [{ method: 'CARD' as const, card: { token: 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10', brand: 'Visa' } }] } };

    gate = new Promise((resolve) => (release = resolve));
    const refused = t.request(CoCheckoutDocument, { input });
    // The key is claimed and the authorization is at Cielo (its lease renewed before sending):
    // hold the claim row, then let the decline come.
    await until('the authorization at Cielo', async () => arrived === 1);
    await locker.query('begin');
    await locker.query(`select 1 from idempotency_claim where key = $1 for update`, [key]);
    release();
    // The clean-up's DELETE waits on the row: its backend is terminated, and its retry's too.
    let terminated = 0;
    const cut: number[] = [];
    for (let i = 0; i < 2; i++) {
      // A new backend each time (a terminated one may still be listed for a moment).
      const pid = await until('the clean-up to wait on the claim row', async () => {
        const found = await cleanupBackend();
        return found && !cut.includes(found) ? found : undefined;
      });
      cut.push(pid);
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [APP_NAME]);
      terminated += 1;
    }
    await locker.query('commit');

    // The shopper still gets the decline (not an internal error) …
    const first = await refused;
    expect(first.errors).toBeUndefined();
    expect(first.data!.checkout.userErrors.map((e) => e.code)).toEqual(['PAYMENT_DECLINED']);
    // … and the key could not be freed: it is still claimed, but only for its lease.
    expect((await admin.query(`select status from idempotency_claim where key = $1`, [key])).rows).toEqual([{ status: 'IN_PROGRESS' }]);

    // Another card, same key: "still being processed" while the lease runs, then taken over.
    cielo.authorizeReply = undefined;
    let waited = 0;
    const ok = await until('the key to be taken over', async () => {
      const res = await t.request(CoCheckoutDocument, { input });
      const errors = res.data?.checkout.userErrors ?? [];
      if (errors.length) {
        expect(errors.map((e) => e.code)).toEqual(['CONFLICT']);
        expect(errors[0]!.message).toMatch(/still being processed/);
        waited++;
        return undefined;
      }
      return res;
    });
    expect(ok.data!.checkout.cartNumber).toBeTruthy();
    expect((await admin.query(`select status, attempt from idempotency_claim where key = $1`, [key])).rows).toEqual([{ status: 'COMPLETED', attempt: 2 }]);
    // The declined attempt left nothing to void; the second attempt's authorization is the only live one.
    expect(cielo.api.requests.filter((r) => r.path.endsWith('/void'))).toHaveLength(0);
    console.info(`[cleanup] clean-up DELETE cut ${terminated}× (its retry too): key IN_PROGRESS for its lease (${LEASE_MS} ms), replay waited ${waited}×, then taken over and completed`);
  });
});
