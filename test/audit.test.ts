import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop } from './helpers/shop.js';
import { UserRole } from '../src/shared/access/index.js';
import { runWithActor } from '../src/shared/events/index.js';
import { ProductStatus, Sku } from '../src/modules/catalog/index.js';
import { Seller } from '../src/modules/sellers/index.js';
import { User } from '../src/modules/auth/auth.entity.js';
import {
  ApproveProductDocument,
  AuditLogDocument,
  CreateWebhookSubscriptionDocument,
  FinCreateRuleDocument,
  IntegrationCreateDocument,
  SetStockDocument,
  SuspendSellerDocument,
  UpdateMarketplaceSettingsDocument,
  UpdateSellerBankDataDocument,
  type AuditLogFilter,
} from './generated/graphql.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let operator: string;
let operatorId: string;
let sellerA: Seller;
let sellerB: Seller;
let ownerA: string;
let ownerAId: string;
let ownerB: string;
let shop: Shop;

beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const op = await f.operator(UserRole.OWNER);
  operator = op.token;
  operatorId = op.user.id;
  sellerA = await f.seller();
  sellerB = await f.seller();
  const a = await f.user({ seller: sellerA, role: UserRole.OWNER });
  ownerA = a.token;
  ownerAId = a.user.id;
  ownerB = (await f.user({ seller: sellerB, role: UserRole.OWNER })).token;
  shop = new Shop(t, f, operator, op.user);
  await shop.shippingTable();
});
afterAll(async () => t?.stop());

type Entry = { action: string; entityType: string; entityId: string; entityCode?: string | null; sellerId?: string | null; changes: Record<string, { before: unknown; after: unknown }>; actor: { kind: string; id?: string | null; actingForSellerId?: string | null } };

async function entries(filter: AuditLogFilter, token = operator): Promise<Entry[]> {
  const res = await t.request(AuditLogDocument, { filter, first: 100 }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.auditLog.edges.map((e) => e.node as Entry);
}

describe('the audit log', () => {
  it("records stock and price changes with before and after, who made them, and an operator acting for a seller as such", async () => {
    const p = await c.product(sellerA, { skus: [{ code: 'AU1', price: 1000, stock: 5 }] });
    const sku = await f.em().findOneOrFail(Sku, { product: p.id });
    expect((await t.request(SetStockDocument, { skuCode: sku.code, quantity: 8 }, ownerA)).data?.setStock.userErrors).toEqual([]);
    expect((await t.request(SetStockDocument, { skuCode: sku.code, quantity: 6 }, operator)).data?.setStock.userErrors).toEqual([]);
    await runWithActor({ kind: 'SYSTEM', name: 'price job' }, () =>
      f.em().transactional(async (em) => {
        (await em.findOneOrFail(Sku, { id: sku.id })).priceCents = 1200;
      }),
    );
    const log = (await entries({ entityType: 'sku', entityId: sku.id })).reverse();
    expect(log.map((e) => [e.action, e.changes])).toEqual([
      ['CREATE', expect.objectContaining({ stock: { before: null, after: 5 }, priceCents: { before: null, after: 1000 } })],
      ['UPDATE', { stock: { before: 5, after: 8 } }],
      ['UPDATE', { stock: { before: 8, after: 6 } }],
      ['UPDATE', { priceCents: { before: 1000, after: 1200 } }],
    ]);
    expect(log[1]!.actor).toMatchObject({ kind: 'SELLER', id: ownerAId, actingForSellerId: null });
    expect(log[2]!.actor).toMatchObject({ kind: 'OPERATOR', id: operatorId, actingForSellerId: sellerA.id });
    expect(log[3]!.actor).toMatchObject({ kind: 'SYSTEM', name: 'price job' });
    expect(log.every((e) => e.sellerId === sellerA.id && e.entityCode === sku.code)).toBe(true);
  });

  it('records every audited kind of change once, and never a secret', async () => {
    // Products: approval.
    const p = await c.product(sellerA, { status: ProductStatus.PENDING_REVIEW });
    await t.request(ApproveProductDocument, { id: p.id }, operator);
    expect((await entries({ entityType: 'product', entityId: p.id })).map((e) => e.changes.status)).toEqual([{ before: 'PENDING_REVIEW', after: 'PUBLISHED' }, { before: null, after: 'PENDING_REVIEW' }]);

    // Settings.
    expect((await t.request(UpdateMarketplaceSettingsDocument, { input: { maxInstallments: 7 } }, operator)).data?.updateMarketplaceSettings.userErrors).toEqual([]);
    const [settings] = await entries({ entityType: 'settings' });
    expect(settings!.changes.maxInstallments).toEqual({ before: expect.any(Number), after: 7 });
    expect(settings!.sellerId).toBeNull();

    // Sellers (status) and their bank data (redacted).
    expect((await t.request(SuspendSellerDocument, { id: sellerB.id, reason: 'Late shipments' }, operator)).data?.suspendSeller.userErrors).toEqual([]);
    const bank = await t.request(UpdateSellerBankDataDocument, { sellerId: sellerA.id, input: { bankCode: '001', branch: '1234', account: '123456-7', accountType: 'CHECKING', holderName: 'Seller A', holderDocument: sellerA.document! } }, operator);
    expect(bank.errors).toBeUndefined();
    const sellerLog = await entries({ entityType: 'seller' });
    expect(sellerLog.find((e) => e.entityId === sellerB.id)!.changes.status).toEqual({ before: 'ACTIVE', after: 'SUSPENDED' });
    const bankEntry = sellerLog.find((e) => e.entityId === sellerA.id);
    if (bank.data?.updateSellerBankData.userErrors.length === 0) {
      expect(JSON.stringify(bankEntry)).not.toContain('123456-7');
      expect(Object.values(bankEntry!.changes).some((ch) => ch.after === '[redacted]')).toBe(true);
    }

    // Users and roles.
    const u = await f.user({ seller: sellerA, role: UserRole.CATALOG });
    await runWithActor({ kind: 'OPERATOR', id: operatorId, name: 'Test user', sellerId: (await f.adminSeller()).id }, () =>
      f.em().transactional(async (em) => {
        (await em.findOneOrFail(User, { id: u.user.id })).role = UserRole.SERVICE;
      }),
    );
    const [roleChange] = await entries({ entityType: 'user', entityId: u.user.id });
    expect(roleChange).toMatchObject({ action: 'UPDATE', changes: { role: { before: 'CATALOG', after: 'SERVICE' } }, actor: { kind: 'OPERATOR', actingForSellerId: sellerA.id } });

    // Integrations: the token and its hash never appear.
    const created = await t.request(IntegrationCreateDocument, { input: { name: 'Audit ERP', sellerId: sellerA.id } }, operator);
    const token = created.data!.createIntegration.token!;
    const [integration] = await entries({ entityType: 'integration', entityId: created.data!.createIntegration.integration!.id });
    expect(integration!.changes.tokenHash).toEqual({ before: null, after: '[redacted]' });
    expect(integration!.changes.name).toEqual({ before: null, after: 'Audit ERP' });

    // Webhooks: the signing secret never appears.
    const hook = await t.request(CreateWebhookSubscriptionDocument, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['order.created'], sellerId: sellerA.id } }, operator);
    const secret = hook.data!.createWebhookSubscription.secret!;
    const [hookEntry] = await entries({ entityType: 'webhook_subscription' });
    expect(hookEntry!.changes.secretSealed).toEqual({ before: null, after: '[redacted]' });

    // Commission rules.
    const rule = await t.request(FinCreateRuleDocument, { input: { sellerId: sellerA.id, rateBps: 1234 } }, operator);
    expect(rule.errors).toBeUndefined();
    const [ruleEntry] = await entries({ entityType: 'commission_rule' });
    expect(ruleEntry).toMatchObject({ action: 'CREATE', sellerId: sellerA.id, changes: { rateBps: { before: null, after: 1234 } } });

    // Orders: placed and cancelled.
    const q = await c.product(sellerA, { skus: [{ code: 'AU2', price: 2500, stock: 3 }] });
    const sku = await f.em().findOneOrFail(Sku, { product: q.id });
    const placed = await shop.place([[sku.code, 1]]);
    await shop.cancel(placed.orders[0]!.code);
    const orderLog = await entries({ entityType: 'order', entityId: placed.orders[0]!.id });
    expect(orderLog.at(-1)!.action).toBe('CREATE');
    expect(orderLog[0]!.changes.status).toMatchObject({ after: 'CANCELLED' });
    expect(orderLog.every((e) => e.entityCode === placed.orders[0]!.code && e.sellerId === sellerA.id)).toBe(true);

    // Nothing in the whole log holds a credential.
    const all = JSON.stringify(await entries({}));
    for (const s of [token, secret, operator, ownerA]) expect(all).not.toContain(s);
    expect(all).not.toMatch(/whsec_|mki_|mks_/);
  });

  it("a seller's owner reads its own seller's entries only; other roles and sellers are refused", async () => {
    const mine = await entries({}, ownerA);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.sellerId === sellerA.id)).toBe(true);
    expect(codes(await t.request(AuditLogDocument, { filter: { sellerId: sellerA.id } }, ownerB))).toEqual(['FORBIDDEN']);
    const catalog = (await f.user({ seller: sellerA, role: UserRole.CATALOG })).token;
    expect(codes(await t.request(AuditLogDocument, {}, catalog))).toEqual(['FORBIDDEN']);
    // Operator staff filter by actor.
    const byOwner = await entries({ actorId: ownerAId });
    expect(byOwner.length).toBeGreaterThan(0);
    expect(byOwner.every((e) => e.actor.id === ownerAId)).toBe(true);
  });

  it('a change rolled back leaves no entry', async () => {
    const p = await c.product(sellerA, { skus: [{ code: 'AU3', price: 1000, stock: 2 }] });
    const sku = await f.em().findOneOrFail(Sku, { product: p.id });
    await expect(
      f.em().transactional(async (em) => {
        (await em.findOneOrFail(Sku, { id: sku.id })).stock = 0;
        await em.flush();
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect((await entries({ entityType: 'sku', entityId: sku.id })).map((e) => e.action)).toEqual(['CREATE']);
  });
});
