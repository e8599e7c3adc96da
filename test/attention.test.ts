import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { AddCartLineDocument, AttentionItemsDocument, CartTestShippingTableDocument, CoCheckoutDocument, CreateCartDocument, SetBuyerDocument, SetShippingAddressDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Services } from '../src/shared/runtime/index.js';
import { FRAUD_ANALYZER, FraudAnalysis, type FraudAnalyzer } from '../src/modules/fraud/index.js';
import { resumePendingAnalyses } from '../src/modules/checkout/index.js';

/**
 * Issue 18 item 5: a background pass that fails on the same item pass after pass backs off
 * and, after a bound, puts the item on the operators' list instead of logging the same error
 * forever. The item here is the classic one: a fraud approval whose capture the provider no
 * longer knows (the sandbox forgot the authorization).
 */

let t: TestApp;
let f: Factory;
let saved: { provider_ref: string; data: unknown } | undefined;

/** Approves everything; on its first call the provider "loses" the cart's authorization. */
const analyzer: FraudAnalyzer = {
  provider: 'test',
  analyze: async () => {
    if (!saved) {
      const conn = t.app.runtime.orm.em.fork().getConnection();
      [saved] = await conn.execute<{ provider_ref: string; data: unknown }[]>(`select provider_ref, data from sandbox_payment where provider_ref like 'sbx_card_%' limit 1`);
      await conn.execute(`delete from sandbox_payment where provider_ref = ?`, [saved!.provider_ref]);
    }
    return { outcome: 'APPROVED', score: 0, reasons: [], provider: 'test' };
  },
};

beforeAll(async () => {
  t = await startTestApp({ JOBS: 'off' }, { overrides: new Services().set(FRAUD_ANALYZER, analyzer) });
  f = new Factory(t);
});
afterAll(async () => {
  await t?.stop();
});

async function checkoutOneCart(): Promise<string> {
  const c = new CatalogFactory(f);
  await c.product(await f.adminSeller(), { sellerCode: 'CANECA', skus: [{ code: 'ADM1', price: 9_990, stock: 5, weight: 500 }] });
  const owner = (await f.operator(UserRole.OWNER)).token;
  await t.request(CartTestShippingTableDocument, { input: { name: 'PAC', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000, priceCents: 1_000, days: 5 }] } }, owner);
  const token = (await t.request(CreateCartDocument, {})).data!.createCart.token!;
  await t.request(AddCartLineDocument, { cartToken: token, skuCode: 'ADM1', quantity: 1 });
  await t.request(SetBuyerDocument, { cartToken: token, input: { name: 'Maria da Silva', email: 'maria@example.com', document: '52998224725', phone: '11987654321' } });
  await t.request(SetShippingAddressDocument, { cartToken: token, input: { recipient: 'Maria', street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310100' } });
  const res = await t.request(CoCheckoutDocument, { input: { cartToken: token, idempotencyKey: randomUUID(), payment: { parts: [{ method: 'CARD', card: { token: 'tok_approve', brand: 'Visa' } }] } } });
  expect(res.data?.checkout.userErrors).toEqual([]);
  return res.data!.checkout.cartNumber!;
}

describe('a fraud approval whose capture keeps failing', () => {
  it('backs off, then waits on the operators’ list, and leaves it once the cause is fixed', async () => {
    const cartNumber = await checkoutOneCart();
    const em = () => f.em();
    // The capture failed at checkout: the verdict was rolled back with it.
    expect((await em().findOneOrFail(FraudAnalysis, { cartNumber })).status).toBe('PENDING');
    const policy = { maxFailures: 3, baseDelayMs: 60_000 };
    const pass = () => resumePendingAnalyses(t.app.runtime, { olderThanMs: 0, attention: policy });
    const item = () => em().getConnection().execute<{ failures: number; attention_since: Date | null; due: boolean }[]>(
      `select failures, attention_since, next_attempt_at <= now() as due from attention_item where source = 'fraud-resume'`,
    );

    expect(await pass()).toBe(0);
    expect(await item()).toMatchObject([{ failures: 1, attention_since: null, due: false }]);
    // Backing off: the next passes leave it alone.
    await pass();
    await pass();
    expect((await item())[0]!.failures).toBe(1);

    const owner = (await f.operator(UserRole.OWNER)).token;
    expect((await t.request(AttentionItemsDocument, {}, owner)).data!.attentionItems.totalCount).toBe(0);
    expect((await t.request(AttentionItemsDocument, { includeRetrying: true }, owner)).data!.attentionItems.totalCount).toBe(1);

    // Time passes (the back-off runs out) twice more: the bound is reached.
    for (let i = 0; i < 2; i++) {
      await em().getConnection().execute(`update attention_item set next_attempt_at = now() where source = 'fraud-resume'`);
      await pass();
    }
    const [listed] = await item();
    expect(listed!.failures).toBe(3);
    expect(listed!.attention_since).not.toBeNull();

    const page = (await t.request(AttentionItemsDocument, {}, owner)).data!.attentionItems;
    expect(page.totalCount).toBe(1);
    expect(page.edges[0]!.node).toMatchObject({ source: 'fraud-resume', label: `cart ${cartNumber}`, failures: 3 });
    expect(page.edges[0]!.node.lastError).toContain('refused to capture');
    expect(page.edges[0]!.node.attentionSince).toBeTruthy();

    // Operator staff only.
    const seller = await f.seller();
    const sellerUser = (await f.user({ seller, role: UserRole.OWNER })).token;
    expect(codes(await t.request(AttentionItemsDocument, {}, sellerUser))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(AttentionItemsDocument, {}))).toEqual(['UNAUTHENTICATED']);
    const support = (await f.operator(UserRole.SUPPORT)).token;
    expect((await t.request(AttentionItemsDocument, {}, support)).data!.attentionItems.totalCount).toBe(1);

    // The operator fixes the cause (the authorization exists again at the provider): the next
    // try captures, approves and clears the item.
    await em().getConnection().execute(`insert into sandbox_payment (provider_ref, data) values (?, ?::jsonb)`, [saved!.provider_ref, JSON.stringify(saved!.data)]);
    await em().getConnection().execute(`update attention_item set next_attempt_at = now() where source = 'fraud-resume'`);
    expect(await pass()).toBe(1);
    expect((await em().findOneOrFail(FraudAnalysis, { cartNumber })).status).toBe('APPROVED');
    expect(await item()).toEqual([]);
    expect((await t.request(AttentionItemsDocument, {}, owner)).data!.attentionItems.totalCount).toBe(0);
  });
});
