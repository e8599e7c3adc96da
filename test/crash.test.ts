import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddCartLineDocument, CartTestShippingTableDocument, CoCheckoutDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument } from './generated/graphql.js';
import { Factory, CatalogFactory } from './helpers/factories.js';
import { createDatabase, spawnApp, type AppProcess, type TestDatabase } from './helpers/processes.js';
import { checkInvariants, CLEAN } from './helpers/invariants.js';
import { CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY, startFakeCielo, type FakeCielo } from './doubles/fake-cielo.js';
import type { RecordedRequest } from './doubles/fake-provider.js';
import { UserRole } from '../src/shared/access/index.js';
import { hashCartToken } from '../src/modules/carts/index.js';

/**
 * Issue 18: the app's process killed (SIGKILL, no shutdown) while two checkouts are between
 * their key claim and their commit — made deterministic by the fake Cielo holding both card
 * authorizations open (the sales exist at Cielo; the answers never come) — then restarted.
 * One key is replayed (twice at once), the other never: the replay takes the key over once
 * its lease has run out and re-runs the checkout, the recovery pass frees the other; each
 * abandoned authorization is voided exactly once at Cielo; stock, ledger and e-mails are exact.
 */

const CARD = 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10';
const LEASE_MS = 2_000;
let cielo: FakeCielo;
let db: TestDatabase;
let mailDir: string;
let app: AppProcess | undefined;
/** While true, card authorizations are made at Cielo but their answers are held. */
let holding = true;
const held: RecordedRequest[] = [];
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));

const env = () => ({
  DATABASE_URL: db.url,
  MAIL_DIR: mailDir,
  OUTBOX_POLL_MS: '200',
  PAYMENT_CARD_PROVIDER: 'cielo',
  CIELO_MERCHANT_ID,
  CIELO_MERCHANT_KEY,
  CIELO_API_URL: cielo.api.url,
  CIELO_QUERY_URL: cielo.query.url,
  PAYMENT_TIMEOUT_MS: '10000',
  // Short for the test (the default is 4 × PAYMENT_TIMEOUT_MS); nothing here is merely slow.
  PAYMENT_LEASE_MS: String(LEASE_MS),
  CLAIM_RECOVERY_POLL_MS: '500',
  FRAUD_RESUME_POLL_MS: '500',
  FRAUD_RESUME_AFTER_MS: '5000',
});

beforeAll(async () => {
  cielo = await startFakeCielo();
  cielo.api.handle = async (req) => {
    // Cielo makes the sale when the request arrives; only its answer is held.
    const reply = cielo.answerApi(req);
    if (holding && req.method === 'POST' && req.url === '/1/sales/') {
      held.push(req);
      await gate;
    }
    return reply;
  };
  db = await createDatabase();
  mailDir = mkdtempSync(path.join(os.tmpdir(), 'mkt-crash-mail-'));
});

afterAll(async () => {
  release();
  await app?.stop();
  await db?.drop();
  await cielo?.close();
  rmSync(mailDir, { recursive: true, force: true });
}, 60_000);

const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '52998224725', phone: '11987654321' };
const address = { recipient: 'Maria', street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310100' };

async function cart(a: AppProcess, sku: string, quantity: number): Promise<string> {
  const token = (await a.request(CreateCartDocument, {})).data!.createCart.token!;
  expect((await a.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity })).data?.addCartLine.userErrors).toEqual([]);
  await a.request(SetBuyerDocument, { cartToken: token, input: buyer });
  await a.request(SetShippingAddressDocument, { cartToken: token, input: address });
  return token;
}

const checkout = (a: AppProcess, cartToken: string, idempotencyKey: string) =>
  a.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey, payment: { parts: [{ method: 'CARD', card: { token: CARD, brand: 'Visa' } }] } } });

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => db.admin(async (c) => (await c.query(text, params)).rows as T[]);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${app?.output().slice(-4000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const voidsOf = (saleId: string) => cielo.api.requests.filter((r) => r.method === 'PUT' && r.path === `/1/sales/${saleId}/void`).length;
const saleOf = (req: RecordedRequest) => [...cielo.sales].find(([, s]) => s.merchantOrderId === JSON.parse(req.body).MerchantOrderId)!;

describe('the app killed between a checkout’s key claim and its commit', () => {
  it('recovers both keys: the replayed one runs once, the other is freed; each abandoned authorization is voided once', async () => {
    app = await spawnApp('crash-1', env());
    const orm = await db.orm();
    const f = new Factory({ app: { runtime: { orm } } });
    const c = new CatalogFactory(f);
    await c.product(await f.adminSeller(), { sellerCode: 'CANECA', skus: [{ code: 'ADM1', price: 9_990, stock: 10, weight: 500 }, { code: 'ADM2', price: 4_990, stock: 10, weight: 300 }] });
    const owner = (await f.operator(UserRole.OWNER)).token;
    const table = await app.request(
      CartTestShippingTableDocument,
      { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000, priceCents: 1_000, days: 5 }] } },
      owner,
    );
    expect(table.data?.createShippingTable.userErrors).toEqual([]);
    const replayed = { token: await cart(app, 'ADM1', 1), key: `crash-replayed-${Date.now()}` };
    const abandoned = { token: await cart(app, 'ADM2', 2), key: `crash-abandoned-${Date.now()}` };

    // Both checkouts claim their keys and reach Cielo, which authorizes and holds the answers.
    const inFlight = [checkout(app, replayed.token, replayed.key).catch(() => null), checkout(app, abandoned.token, abandoned.key).catch(() => null)];
    await until('both authorizations at Cielo', async () => held.length === 2);
    await app.kill();
    await Promise.all(inFlight);
    const [firstSaleOfReplayed] = saleOf(held.find((r) => JSON.parse(r.body).Payment.Amount === 9_990 + 1_000)!);
    const [firstSaleOfAbandoned] = saleOf(held.find((r) => JSON.parse(r.body).Payment.Amount === 2 * 4_990 + 1_000)!);

    // What the killed process left: two claims in progress, two journaled authorizations whose answers never came, nothing else.
    expect(await sql(`select key, status from idempotency_claim order by key`)).toEqual([
      { key: abandoned.key, status: 'IN_PROGRESS' },
      { key: replayed.key, status: 'IN_PROGRESS' },
    ]);
    expect(await sql(`select kind, status, sends from provider_call`)).toEqual([
      { kind: 'AUTHORIZE_CARD', status: 'STARTED', sends: 1 },
      { kind: 'AUTHORIZE_CARD', status: 'STARTED', sends: 1 },
    ]);
    expect(await sql(`select count(*)::int as n from "order"`)).toEqual([{ n: 0 }]);
    expect(cielo.sales.get(firstSaleOfReplayed)!.status).toBe(1);

    holding = false;
    app = await spawnApp('crash-2', env());

    // The shopper follows the message ("still being processed; ask again in N s"), twice at once.
    let conflicts = 0;
    const answers = await until('the replay to complete', async () => {
      const both = await Promise.all([checkout(app!, replayed.token, replayed.key), checkout(app!, replayed.token, replayed.key)]);
      for (const res of both) {
        expect(res.errors).toBeUndefined();
        if (res.data!.checkout.userErrors.length) {
          expect(res.data!.checkout.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
          expect(res.data!.checkout.userErrors[0]!.message).toMatch(/still being processed|took too long/);
          conflicts++;
        }
      }
      const done = both.filter((r) => r.data!.checkout.cartNumber);
      return done.length === 2 ? done : undefined;
    });
    expect(answers[0]!.data!.checkout.cartNumber).toBe(answers[1]!.data!.checkout.cartNumber);
    const cartNumber = answers[0]!.data!.checkout.cartNumber!;

    // Nobody replays the other key: the recovery pass voids its authorization and frees the key.
    await until('the abandoned key to be freed', async () => (await sql(`select 1 from idempotency_claim where key = $1`, [abandoned.key])).length === 0);
    expect(await sql(`select status from cart where token_hash = $1`, [hashCartToken(abandoned.token)])).toEqual([{ status: 'OPEN' }]);

    // Each abandoned authorization was voided exactly once, through Cielo.
    expect(cielo.sales.get(firstSaleOfReplayed)).toMatchObject({ status: 10, voided: 9_990 + 1_000 });
    expect(cielo.sales.get(firstSaleOfAbandoned)).toMatchObject({ status: 10, voided: 2 * 4_990 + 1_000 });
    expect(voidsOf(firstSaleOfReplayed)).toBe(1);
    expect(voidsOf(firstSaleOfAbandoned)).toBe(1);

    // The replayed checkout ran once: one cart's order, one new authorization, captured on approval.
    const orders = await sql<{ cart_number: string; status: string; total_cents: string }>(`select cart_number, status, total_cents from "order"`);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.cart_number).toBe(cartNumber);
    const fresh = [...cielo.sales].filter(([id]) => id !== firstSaleOfReplayed && id !== firstSaleOfAbandoned);
    expect(fresh).toHaveLength(1);
    await until('the capture', async () => cielo.sales.get(fresh[0]![0])!.status === 2);
    expect(fresh[0]![1]).toMatchObject({ captured: 9_990 + 1_000, voided: 0 });

    // The abandoned cart is still open and its key works afresh.
    const later = await checkout(app, abandoned.token, abandoned.key);
    expect(later.data?.checkout.userErrors).toEqual([]);

    // Stock taken once per checked-out cart; books exact; the same key answers the same.
    expect(await sql(`select code, stock from sku order by code`)).toEqual([
      { code: 'ADM1', stock: 9 },
      { code: 'ADM2', stock: 8 },
    ]);
    const repeat = await checkout(app, replayed.token, replayed.key);
    expect(repeat.data!.checkout.cartNumber).toBe(cartNumber);
    await until('both captures', async () => (await sql(`select count(*)::int as n from payment_transaction where status = 'PAID'`))[0]!.n === 2);
    expect(await db.admin(checkInvariants)).toEqual(CLEAN);

    // One "order placed" e-mail per order, each sent once.
    const codes = (await sql<{ code: string }>(`select code from "order" order by code`)).map((o) => o.code);
    const mails = await until('the e-mails', async () => {
      const files = readdirSync(mailDir).map((f) => readFileSync(path.join(mailDir, f), 'utf8'));
      return files.length >= codes.length ? files : undefined;
    });
    for (const code of codes) expect(mails.filter((m) => m.includes(`Pedido ${code} recebido`)), code).toHaveLength(1);
    // Only those: the approval e-mails (order.approved, from the events poll) may arrive meanwhile.
    expect(mails.filter((m) => /^Subject: Pedido .* recebido$/m.test(m))).toHaveLength(codes.length);
    expect(mails.every((m) => /^Subject: Pedido .* (recebido|aprovado)$/m.test(m))).toBe(true);

    console.info(
      `[crash] SIGKILL with 2 checkouts in flight: replay answered after ${conflicts} "still being processed" answers (lease ${LEASE_MS} ms), ` +
        `2 abandoned authorizations voided once each (${voidsOf(firstSaleOfReplayed) + voidsOf(firstSaleOfAbandoned)} void requests), ` +
        `${orders.length + 1} carts checked out, ${cielo.sales.size} Cielo sales, ${mails.length} e-mails, invariants clean`,
    );
  }, 120_000); // two app processes start and stop: slow on a busy 2-core machine

  it('loses nothing over repeated kills: every interrupted checkout ends checked out once, every abandoned authorization voided once', async () => {
    const ROUNDS = 3;
    const PER_ROUND = 3;
    await app?.stop();
    const orm = await db.orm();
    const f = new Factory({ app: { runtime: { orm } } });
    await new CatalogFactory(f).product(await f.adminSeller(), { sellerCode: 'STRESS', skus: [{ code: 'STRESS1', price: 1_990, stock: 100, weight: 200 }] });
    const interrupted: { token: string; key: string }[] = [];
    const firstSales = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      holding = true;
      app = await spawnApp(`crash-stress-${round}`, env());
      const before = held.length;
      const batch = await Promise.all(Array.from({ length: PER_ROUND }, async (_, i) => ({ token: await cart(app!, 'STRESS1', 1), key: `stress-${round}-${i}-${Date.now()}` })));
      const inFlight = batch.map((b) => checkout(app!, b.token, b.key).catch(() => null));
      await until(`round ${round}: ${PER_ROUND} authorizations at Cielo`, async () => held.length === before + PER_ROUND);
      await app.kill();
      await Promise.all(inFlight);
      for (const req of held.slice(before)) firstSales.add(saleOf(req)[0]);
      interrupted.push(...batch);
    }
    holding = false;
    app = await spawnApp('crash-stress-final', env());
    // Every shopper comes back with the same key (some keys were already freed by a recovery pass: they run afresh).
    let conflicts = 0;
    const cartNumbers = new Set<string>();
    for (const { token, key } of interrupted) {
      const res = await until(`the replay of ${key}`, async () => {
        const r = await checkout(app!, token, key);
        if (r.data?.checkout.cartNumber) return r;
        conflicts++;
        return undefined;
      });
      cartNumbers.add(res.data!.checkout.cartNumber!);
    }
    expect(cartNumbers.size).toBe(interrupted.length);
    await until('no key left in progress', async () => (await sql(`select 1 from idempotency_claim where status = 'IN_PROGRESS'`)).length === 0);
    await until('every capture', async () => (await sql(`select 1 from payment_transaction where status <> 'PAID'`)).length === 0);
    const voids = [...firstSales].map(voidsOf);
    expect(voids.every((n) => n === 1)).toBe(true);
    for (const id of firstSales) expect(cielo.sales.get(id)!.status).toBe(10);
    expect(await sql(`select stock from sku where code = 'STRESS1'`)).toEqual([{ stock: 100 - interrupted.length }]);
    expect(await db.admin(checkInvariants)).toEqual(CLEAN);
    console.info(
      `[crash] ${ROUNDS} more SIGKILLs with ${PER_ROUND} checkouts in flight each: ${interrupted.length} interrupted checkouts, ` +
        `0 keys stuck, ${cartNumbers.size} carts checked out once each, ${voids.reduce((a, b) => a + b, 0)} voids for ${firstSales.size} abandoned authorizations, ` +
        `${conflicts} "still being processed" answers on the way, invariants clean`,
    );
  }, 180_000); // four app processes start and stop
});

