import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { formatCredentials, seedDemo, type SeedEntry } from '../src/app/seed.js';
import type { SeededCart } from '../src/app/seed-shop.js';
import { Product, ProductStatus, Sku } from '../src/modules/catalog/catalog.entity.js';
import { ShippingTableEntity } from '../src/modules/shipping/shipping.entity.js';
import { Promotion, PromotionKind } from '../src/modules/promotions/promotions.entity.js';
import { FraudAnalysis, FraudStatus } from '../src/modules/fraud/fraud.entity.js';
import { Order, OrderStatus } from '../src/modules/orders/orders.entity.js';
import { PaymentTransaction } from '../src/modules/payments/index.js';

/** The demo shop `npm start` seeds: catalog, freight, promotions and one cart per fraud verdict. */

const config = { ADMIN_EMAIL: 'owner@seed.example', ADMIN_PASSWORD: 'a-long-enough-password' };
let t: TestApp;
let entries: SeedEntry[];
let carts: SeededCart[];

beforeAll(async () => {
  t = await startTestApp();
  entries = (await seedDemo(t.app.runtime, config))!;
  carts = entries.filter((e): e is SeededCart => 'verdict' in e);
}, 60_000);
afterAll(async () => t?.stop());

const em = () => t.app.runtime.orm.em.fork();
const stock = async (code: string) => (await em().findOneOrFail(Sku, { code })).stock;
const ordersOf = (cartNumber: string) => em().find(Order, { cartNumber }, { orderBy: { position: 'asc' } });

async function gql<T>(query: string, variables?: unknown, token?: string): Promise<{ data?: T; errors?: unknown[] }> {
  return (await t.raw({ query, variables }, token)) as { data?: T; errors?: unknown[] };
}

it('seeds a published catalog with codes <concat>-<raw>, freight tables and the promotions', async () => {
  const products = await em().find(Product, {}, { orderBy: { code: 'asc' } });
  expect(products.map((p) => p.code)).toEqual(['ALFA-CAMISETA', 'ALFA-JAQUETA', 'BETA-FONE', 'BETA-SMARTPHONE', 'CAFE', 'CANECA']);
  expect(products.every((p) => p.status === ProductStatus.PUBLISHED)).toBe(true);
  const phone = await em().findOneOrFail(Sku, { code: 'BETA-SMARTPHONE_256' });
  expect(phone.priceCents).toBeGreaterThanOrEqual(600_000);
  expect((await em().findOneOrFail(Sku, { code: 'ALFA-JAQUETA_M' })).priceCents).toBe(349_900);

  const tables = await em().find(ShippingTableEntity, {}, { orderBy: { contingency: 'asc' } });
  expect(tables.map((x) => [x.carrier, x.method, x.contingency])).toEqual([
    ['Correios', 'PAC', false],
    ['Transportadora da loja', 'Contingência', true],
  ]);
  expect(tables[0]!.rows.every((r) => r.postalCodeFrom === '00000000' && r.postalCodeTo === '99999999')).toBe(true);

  const coupon = await em().findOneOrFail(Promotion, { code: 'BEMVINDO50' });
  expect(coupon).toMatchObject({ kind: PromotionKind.FIXED, value: 5_000, fundedBy: 'OPERATOR', usageCount: 1 });
  const pix = await em().findOneOrFail(Promotion, { kind: PromotionKind.PAYMENT_METHOD });
  expect(pix).toMatchObject({ paymentMethod: 'PIX', value: 500, code: null });
});

it('checks out three carts: APPROVED, REVIEW and REJECTED', async () => {
  expect(carts.map((c) => c.verdict)).toEqual(['APPROVED', 'REVIEW', 'REJECTED']);
  const [approved, review, rejected] = carts.map((c) => c.cartNumber!);
  for (const [cartNumber, status] of [[approved, FraudStatus.APPROVED], [review, FraudStatus.REVIEW], [rejected, FraudStatus.REJECTED]] as const) {
    expect((await em().findOneOrFail(FraudAnalysis, { cartNumber })).status).toBe(status);
  }

  // Admin + Alfa: two orders, approved, the card captured, the coupon shared between them.
  const approvedOrders = await ordersOf(approved!);
  expect(approvedOrders.map((o) => [o.code.split('-')[0] === 'ALFA' ? 'ALFA' : 'ADMIN', o.status])).toEqual([
    ['ADMIN', OrderStatus.APPROVED],
    ['ALFA', OrderStatus.APPROVED],
  ]);
  expect(approvedOrders.reduce((s, o) => s + o.discountCents, 0)).toBe(5_000);
  expect((await em().findOneOrFail(PaymentTransaction, { cartNumber: approved! })).status).toBe('PAID');

  // The jacket waits for an operator.
  const reviewOrders = await ordersOf(review!);
  expect(reviewOrders.map((o) => o.status)).toEqual([OrderStatus.PENDING_FRAUD_REVIEW]);
  expect(reviewOrders[0]!.totalCents).toBeGreaterThanOrEqual(300_000);

  // Two phones: cancelled, stock back.
  const rejectedOrders = await ordersOf(rejected!);
  expect(rejectedOrders.map((o) => o.status)).toEqual([OrderStatus.CANCELLED]);
  expect(rejectedOrders[0]!.totalCents).toBeGreaterThanOrEqual(1_000_000);
  expect(await stock('BETA-SMARTPHONE_256')).toBe(10);
  expect(await stock('ALFA-JAQUETA_M')).toBe(9);
  expect(await stock('CANECA_350')).toBe(98);
});

it('prints the carts after the credentials, without disturbing the credential lines', () => {
  const out = formatCredentials(entries);
  for (const c of carts) expect(out).toContain(`cart ${c.cartNumber}  ${c.verdict}`);
  expect(out).toContain('BEMVINDO50');
  expect(out).toContain('tok_decline_insufficient_funds');
  // The same pattern the start-up test reads credentials with: still exactly the five users.
  const users = [...out.matchAll(/^\s+(.+)\n\s+e-mail: (\S+)\s+password: (.+)$/gm)].map((m) => m[2]);
  expect(users).toEqual(['owner@seed.example', 'owner@alfa.example', 'catalog@alfa.example', 'owner@beta.example', 'finance@beta.example']);
});

it('the REVIEW cart is for operator staff to decide, and the seed never runs twice', async () => {
  const login = await gql<{ login: { token: string } }>(
    'mutation ($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } },
  );
  const token = login.data!.login.token;
  const review = carts[1]!.cartNumber!;
  const seen = await gql<{ fraudAnalysis: { status: string; reasons: { code: string }[] } }>(
    'query ($n: String!) { fraudAnalysis(cartNumber: $n) { status reasons { code } } }',
    { n: review },
    token,
  );
  expect(seen.data!.fraudAnalysis).toEqual({ status: 'REVIEW', reasons: [{ code: 'HIGH_VALUE' }] });
  const decided = await gql<{ decideFraudAnalysis: { fraudAnalysis: { status: string }; userErrors: unknown[] } }>(
    'mutation ($input: DecideFraudAnalysisInput!) { decideFraudAnalysis(input: $input) { fraudAnalysis { status } userErrors { code message } } }',
    { input: { cartNumber: review, outcome: 'APPROVED', note: 'Known customer.' } },
    token,
  );
  expect(decided.data!.decideFraudAnalysis).toEqual({ fraudAnalysis: { status: 'APPROVED' }, userErrors: [] });
  expect((await ordersOf(review)).map((o) => o.status)).toEqual([OrderStatus.APPROVED]);

  expect(await seedDemo(t.app.runtime, config)).toBeNull();
  expect(await em().count(FraudAnalysis, {})).toBe(3);
});
