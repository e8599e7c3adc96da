import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AddCartLineDocument,
  CartTestShippingTableDocument,
  CoCancelOrderDocument,
  CoCheckoutDocument,
  CoDecideFraudDocument,
  CreateCartDocument,
  SetBuyerDocument,
  SetShippingAddressDocument,
  UpdateMarketplaceSettingsDocument,
  type PaymentPartInput,
} from './generated/graphql.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { createDatabase, spawnApp, type AppProcess, type TestDatabase } from './helpers/processes.js';
import { checkInvariants, CLEAN } from './helpers/invariants.js';
import { CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY, startFakeCielo, type FakeCielo } from './doubles/fake-cielo.js';
import type { RecordedRequest } from './doubles/fake-provider.js';
import { UserRole } from '../src/shared/access/index.js';
import { SANDBOX_SIGNATURE_HEADER, SandboxPaymentProvider } from '../src/modules/payments/index.js';
import { pgSandboxStore } from '../src/modules/payments/sandbox.store.js';

/**
 * Issue 13 item 8: two instances of the app on one database. Every piece of state that matters
 * is in PostgreSQL — sessions, the sandbox provider's payments and its webhook secret, Cielo's
 * "look before posting again" memory (the provider-call journal), idempotency claims, settings —
 * so work started on one instance is finished on the other: a checkout on A is approved by
 * fraud review and cancelled on B; a sandbox Pix created on A is confirmed by a webhook B
 * verifies; the marketplace switch turned off on A is refused at once on B; and A killed
 * (SIGKILL) while the fake Cielo holds a card authorization open has its checkout taken over
 * on B. Then the money (Cielo's sales, the sandbox's, the books) and the e-mails (each once,
 * though both instances run the outbox) are checked.
 */

const CARD = 'b5b8a4d6-3e5c-4f1c-9f2e-1f0c2a7b9d10';
let cielo: FakeCielo;
let db: TestDatabase;
let mailDir: string;
const apps: AppProcess[] = [];
let holding = false;
const held: RecordedRequest[] = [];
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));

const env = (name: string) => ({
  DATABASE_URL: db.url,
  DB_APPLICATION_NAME: `mkt-two-${name}-${process.pid}`,
  MAIL_DIR: mailDir,
  OUTBOX_POLL_MS: '200',
  EVENTS_POLL_MS: '200',
  PAYMENT_CARD_PROVIDER: 'cielo',
  CIELO_MERCHANT_ID,
  CIELO_MERCHANT_KEY,
  CIELO_API_URL: cielo.api.url,
  CIELO_QUERY_URL: cielo.query.url,
  PAYMENT_TIMEOUT_MS: '10000',
  PAYMENT_LEASE_MS: '2000',
  CLAIM_RECOVERY_POLL_MS: '500',
  FRAUD_RESUME_POLL_MS: '500',
  FRAUD_RESUME_AFTER_MS: '5000',
});

beforeAll(async () => {
  cielo = await startFakeCielo();
  cielo.api.handle = async (req) => {
    const reply = cielo.answerApi(req);
    if (holding && req.method === 'POST' && req.url === '/1/sales/') {
      held.push(req);
      await gate;
    }
    return reply;
  };
  db = await createDatabase();
  mailDir = mkdtempSync(path.join(os.tmpdir(), 'mkt-two-mail-'));
});

afterAll(async () => {
  release();
  for (const app of apps) await app.stop();
  await db?.drop();
  await cielo?.close();
  rmSync(mailDir, { recursive: true, force: true });
}, 60_000);

const buyer = { name: 'Maria da Silva', email: 'maria@example.com', document: '52998224725', phone: '11987654321' };
const address = { recipient: 'Maria', street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310100' };
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => db.admin(async (c) => (await c.query(text, params)).rows as T[]);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${apps.map((a) => a.output().slice(-3000)).join('\n----\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function cart(a: AppProcess, sku: string, quantity = 1): Promise<string> {
  const token = (await a.request(CreateCartDocument, {})).data!.createCart.token!;
  expect((await a.request(AddCartLineDocument, { cartToken: token, skuCode: sku, quantity })).data?.addCartLine.userErrors).toEqual([]);
  await a.request(SetBuyerDocument, { cartToken: token, input: buyer });
  await a.request(SetShippingAddressDocument, { cartToken: token, input: address });
  return token;
}

const cardPart: PaymentPartInput = { method: 'CARD', card: { token: CARD, brand: 'Visa' } };
const checkout = (a: AppProcess, cartToken: string, idempotencyKey: string, parts: PaymentPartInput[] = [cardPart]) =>
  a.request(CoCheckoutDocument, { input: { cartToken, idempotencyKey, payment: { parts } } });

describe('two instances on one database', () => {
  it('finish on one what the other started, and lose nothing when one is killed mid-call', async () => {
    const [a, b] = await Promise.all([spawnApp('A', env('A')), spawnApp('B', env('B'))]);
    apps.push(a, b);
    const orm = await db.orm();
    const f = new Factory({ app: { runtime: { orm } } });
    const c = new CatalogFactory(f);
    await f.setMarketplace(true);
    const guest = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
    await c.product(await f.adminSeller(), { sellerCode: 'TV', skus: [{ code: 'TV1', price: 350_000, stock: 10, weight: 5_000 }, { code: 'CANECA', price: 4_990, stock: 10, weight: 300 }] });
    await c.product(guest, { sellerCode: 'CAMISA', skus: [{ code: 'A1', price: 15_990, stock: 10, weight: 300 }] });
    const owner = (await f.operator(UserRole.OWNER)).token;
    await a.request(
      CartTestShippingTableDocument,
      { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: 1_000, days: 5 }] } },
      owner,
    );

    // 1. Checkout on A (R$ 3.500: the analyzer asks for a review); approved and cancelled on B.
    const big = await checkout(a, await cart(a, 'TV1'), 'two-big-1');
    expect(big.data!.checkout).toMatchObject({ userErrors: [], fraudStatus: 'REVIEW' });
    const bigCart = big.data!.checkout.cartNumber!;
    const decided = await b.request(CoDecideFraudDocument, { input: { cartNumber: bigCart, outcome: 'APPROVED' } }, owner);
    expect(decided.data!.decideFraudAnalysis.userErrors).toEqual([]);
    const [bigSaleId, bigSale] = [...cielo.sales].find(([, s]) => s.amount === 351_000)!;
    expect(bigSale).toMatchObject({ status: 2, captured: 351_000 });
    const bigOrder = big.data!.checkout.orders![0]!.code;
    const cancelled = await b.request(CoCancelOrderDocument, { input: { orderCode: bigOrder, idempotencyKey: 'two-cancel-1' } }, owner);
    expect(cancelled.data!.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.data!.cancelOrder.order!.status).toBe('CANCELLED');
    // The same cancellation key sent to A afterwards: answered, nothing refunded twice.
    const again = await a.request(CoCancelOrderDocument, { input: { orderCode: bigOrder, idempotencyKey: 'two-cancel-1' } }, owner);
    expect(again.data!.cancelOrder.userErrors).toEqual([]);
    expect(cielo.sales.get(bigSaleId)).toMatchObject({ voided: 351_000 });
    expect(cielo.api.requests.filter((r) => r.path === `/1/sales/${bigSaleId}/void`)).toHaveLength(1);

    // 2. A sandbox Pix created on A, paid, its signed webhook verified and applied by B.
    const pix = await checkout(a, await cart(a, 'CANECA'), 'two-pix-1', [{ method: 'PIX' }]);
    expect(pix.data!.checkout).toMatchObject({ userErrors: [] });
    const [{ provider_ref: pixRef }] = await sql<{ provider_ref: string }>(`select provider_ref from payment_part where method = 'PIX'`);
    // The buyer pays at the "provider" (whose state is the database) and it notifies B, signed
    // with the secret every instance shares (generated once, kept in the database).
    const provider = new SandboxPaymentProvider({ store: pgSandboxStore(() => orm) });
    const hook = await provider.confirm(pixRef!);
    const posted = await fetch(b.url.replace('/graphql', '/webhooks/payments/sandbox'), { method: 'POST', headers: hook.headers, body: hook.rawBody });
    expect(posted.status).toBe(200);
    expect(hook.headers[SANDBOX_SIGNATURE_HEADER]).toBeTruthy();
    expect(await sql(`select status, captured_cents from payment_transaction where cart_number = $1`, [pix.data!.checkout.cartNumber])).toEqual([{ status: 'PAID', captured_cents: '5990' }]);

    // 3. The marketplace switch turned off on A is refused at once on B (settings are not cached per process).
    const off = await a.request(UpdateMarketplaceSettingsDocument, { input: { usesMarketplace: false } }, owner);
    expect(off.data!.updateMarketplaceSettings.userErrors).toEqual([]);
    const token = (await b.request(CreateCartDocument, {})).data!.createCart.token!;
    const refused = await b.request(AddCartLineDocument, { cartToken: token, skuCode: 'ALFA-A1', quantity: 1 });
    expect(refused.data!.addCartLine.userErrors.map((e) => e.code)).toEqual(['MARKETPLACE_DISABLED']);
    await b.request(UpdateMarketplaceSettingsDocument, { input: { usesMarketplace: true } }, owner);

    // 4. A killed while Cielo holds its card authorization open; the shopper's retry lands on B.
    const heldCart = await cart(a, 'ALFA-A1');
    holding = true;
    const inFlight = checkout(a, heldCart, 'two-held-1').catch(() => null);
    await until('the authorization at Cielo', async () => held.length === 1);
    await a.kill();
    await inFlight;
    holding = false;
    const [heldSaleId] = [...cielo.sales].find(([, s]) => s.merchantOrderId === JSON.parse(held[0]!.body).MerchantOrderId)!;
    const retried = await until('the retry on B', async () => {
      const res = await checkout(b, heldCart, 'two-held-1');
      return res.data!.checkout.cartNumber ? res : undefined;
    });
    expect(retried.data!.checkout.userErrors).toEqual([]);
    expect(cielo.sales.get(heldSaleId)).toMatchObject({ status: 10 });
    expect(cielo.api.requests.filter((r) => r.path === `/1/sales/${heldSaleId}/void`)).toHaveLength(1);

    // The money: every Cielo sale is settled (captured and kept, or given back whole), and the books and stock agree.
    await until('the last capture', async () => [...cielo.sales.values()].every((s) => s.status !== 1));
    const sales = [...cielo.sales.values()].map((s) => ({ amount: s.amount, status: s.status, captured: s.captured, voided: s.voided }));
    expect(sales).toHaveLength(3);
    expect(await db.admin(checkInvariants)).toEqual(CLEAN);
    expect(await sql(`select code, stock from sku order by code`)).toEqual([
      { code: 'ALFA-A1', stock: 9 },
      { code: 'CANECA', stock: 9 },
      { code: 'TV1', stock: 10 },
    ]);

    // The e-mails: one per order placed, approved and cancelled, each sent once though both instances send.
    const orders = await sql<{ code: string; status: string; approved: boolean }>(
      `select o.code, o.status, exists (select 1 from order_status_change c where c.order_id = o.id and c.to_status = 'APPROVED') as approved from "order" o order by o.code`,
    );
    const expected = orders.length + orders.filter((o) => o.approved).length + orders.filter((o) => o.status === 'CANCELLED').length;
    const mails = await until('the e-mails', async () => {
      const files = readdirSync(mailDir).map((name) => readFileSync(path.join(mailDir, name), 'utf8'));
      return files.length >= expected ? files : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_000)); // a second sender would have sent by now
    const all = readdirSync(mailDir).map((name) => readFileSync(path.join(mailDir, name), 'utf8'));
    for (const o of orders) {
      expect(all.filter((m) => m.includes(`Pedido ${o.code} recebido`)), o.code).toHaveLength(1);
      expect(all.filter((m) => m.includes(`Pedido ${o.code} aprovado`)), o.code).toHaveLength(o.approved ? 1 : 0);
      expect(all.filter((m) => m.includes(`Pedido ${o.code} cancelado`)), o.code).toHaveLength(o.status === 'CANCELLED' ? 1 : 0);
    }
    expect(all).toHaveLength(expected);
    console.info(`[instances] 2 instances, 1 killed mid-authorization: ${orders.length} orders, ${sales.length} Cielo sales (${JSON.stringify(sales)}), ${mails.length} e-mails each sent once, invariants clean`);
  }, 120_000); // three app processes start, one is killed and restarted: slow on a busy 2-core machine
});
