import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { UserRole } from '../src/shared/access/index.js';
import { Sku } from '../src/modules/catalog/index.js';
import type { Seller } from '../src/modules/sellers/index.js';
import { WebhookDelivery, retryDelayMs } from '../src/modules/webhooks/index.js';
import { signedHeaders } from '../src/modules/webhooks/webhooks.sender.js';
import {
  CreateWebhookSubscriptionDocument,
  DeleteWebhookSubscriptionDocument,
  RedeliverWebhookDocument,
  ResumeWebhookSubscriptionDocument,
  SetStockDocument,
  WebhookDeliveriesDocument,
  WebhookEventTypesDocument,
  WebhookSubscriptionsDocument,
} from './generated/graphql.js';

/** A local receiver: each path answers as told (status codes in turn, or never), and every request is kept. */
type Behaviour = (number | 'hang')[];
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}
const received: Received[] = [];
const behaviours = new Map<string, Behaviour>();
let receiver: http.Server;
let base: string;
const hanging = new Set<http.ServerResponse>();

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let operator: string;
let sellerA: Seller;
let sellerB: Seller;
let ownerA: string;
let ownerB: string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers as Record<string, string>, body });
      const plan = behaviours.get(path) ?? [200];
      const next = plan.length > 1 ? plan.shift()! : plan[0]!;
      if (next === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(next, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await startTestApp({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_BASE_MS: '1',
    WEBHOOK_RETRY_MAX_DELAY_MS: '4',
    WEBHOOK_TIMEOUT_MS: '300',
    WEBHOOK_PAUSE_AFTER_FAILURES: '2',
    WEBHOOK_POLL_MS: '3600000',
  });
  f = new Factory(t);
  c = new CatalogFactory(f);
  operator = (await f.operator(UserRole.OWNER)).token;
  sellerA = await f.seller();
  sellerB = await f.seller();
  ownerA = (await f.user({ seller: sellerA, role: UserRole.OWNER, email: `owner-a-${Date.now()}@test.example` })).token;
  ownerB = (await f.user({ seller: sellerB, role: UserRole.OWNER })).token;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await t?.stop();
  await new Promise((r) => receiver?.close(r));
});

async function subscribe(token: string, path: string, eventTypes = ['sku.stock_changed'], extra: { sellerId?: string } = {}) {
  const res = await t.request(CreateWebhookSubscriptionDocument, { input: { url: `${base}${path}`, eventTypes, ...extra } }, token);
  expect(res.data?.createWebhookSubscription.userErrors).toEqual([]);
  return { id: res.data!.createWebhookSubscription.subscription!.id, secret: res.data!.createWebhookSubscription.secret! };
}

async function stockSku(seller: Seller, stock = 5): Promise<Sku> {
  const p = await c.product(seller, { skus: [{ code: `W${Math.random().toString(36).slice(2, 8)}`, price: 1000, stock }] });
  return f.em().findOneOrFail(Sku, { product: p.id });
}

async function setStock(token: string, sku: Sku, quantity: number) {
  expect((await t.request(SetStockDocument, { skuCode: sku.code, quantity }, token)).data?.setStock.userErrors).toEqual([]);
}

const at = (path: string) => received.filter((r) => r.path === path);

/** Queues deliveries from committed events and sends what is due, until `done` holds (10 s at most). */
async function pump(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await t.app.events!.drain(10_000);
    await t.app.webhooks!.runOnce();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('webhooks did not arrive in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function deliveriesOf(token: string, subscriptionId: string) {
  const res = await t.request(WebhookDeliveriesDocument, { subscriptionId }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.webhookDeliveries.edges.map((e) => e.node);
}

/** Makes the next failure of these deliveries final, as if the retry window had passed. */
async function expireWindow(subscriptionId: string) {
  await f.em().nativeUpdate(WebhookDelivery, { subscription: subscriptionId, status: 'PENDING' as never }, { windowStartedAt: new Date(Date.now() - 365 * 86_400_000), nextAttemptAt: new Date(0) });
}

describe('outgoing webhooks', () => {
  it('lists the event catalogue', async () => {
    const types = (await t.request(WebhookEventTypesDocument, {}, ownerA)).data!.webhookEventTypes;
    for (const type of ['order.created', 'order.approved', 'order.invoiced', 'order.shipped', 'order.delivered', 'order.cancelled', 'return.opened', 'sku.stock_changed', 'product.approved', 'product.rejected', 'payout.created', 'payout.paid']) {
      expect(types.map((x) => x.type)).toContain(type);
    }
    expect(types.find((x) => x.type === 'sku.stock_changed')).toMatchObject({ feed: 'CATALOG', fields: ['code', 'productId', 'before', 'after'] });
  });

  it('a receiver that fails twice then succeeds gets the same event id three times, each validly signed', async () => {
    behaviours.set('/flaky', [500, 502, 200]);
    const sub = await subscribe(ownerA, '/flaky');
    const sku = await stockSku(sellerA);
    await setStock(ownerA, sku, 7);
    await pump(() => at('/flaky').length >= 3);
    const hits = at('/flaky');
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    const wh = new Webhook(sub.secret);
    for (const h of hits) {
      const payload = wh.verify(h.body, h.headers) as { type: string; data: { id: string; code: string; sellerId: string; changes: Record<string, unknown> } };
      expect(payload).toMatchObject({ type: 'sku.stock_changed', data: { id: sku.id, code: sku.code, sellerId: sellerA.id, changes: { before: 5, after: 7 } } });
    }
    const [log] = await deliveriesOf(ownerA, sub.id);
    expect(log).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseCode: 200, eventId: hits[0]!.headers['webhook-id'], lastError: null });
    expect(log!.lastLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a forged or stale signature is what the receiver rejects (same library)', async () => {
    const hit = at('/flaky')[0]!;
    const sub = (await t.request(WebhookSubscriptionsDocument, {}, ownerA)).data!.webhookSubscriptions.edges[0]!.node;
    expect(sub.url).toBe(`${base}/flaky`);
    const forger = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    expect(() => forger.verify(hit.body, hit.headers)).toThrow();
    // A valid signature over another body does not pass either.
    const secret = (await subscribe(ownerA, '/probe')).secret;
    const wh = new Webhook(secret);
    const now = { id: 'msg_1', timestamp: new Date(), body: '{"type":"x"}' };
    expect(wh.verify(now.body, signedHeaders(secret, now))).toEqual({ type: 'x' });
    expect(() => wh.verify('{"type":"y"}', signedHeaders(secret, now))).toThrow();
    // Signed ten minutes ago (a replay): outside the library's five-minute tolerance.
    const stale = { ...now, timestamp: new Date(Date.now() - 10 * 60_000) };
    expect(() => wh.verify(stale.body, signedHeaders(secret, stale))).toThrow(/timestamp/i);
  });

  it("seller B never receives A's events; a store-wide subscription receives both", async () => {
    const b = await subscribe(ownerB, '/seller-b');
    await subscribe(operator, '/store');
    const skuA = await stockSku(sellerA);
    const skuB = await stockSku(sellerB);
    await setStock(ownerA, skuA, 1);
    await setStock(ownerB, skuB, 2);
    await pump(() => at('/seller-b').length >= 1 && at('/store').length >= 2);
    const wh = new Webhook(b.secret);
    const toB = at('/seller-b').map((h) => wh.verify(h.body, h.headers) as { data: { sellerId: string; id: string } });
    expect(toB.map((p) => p.data.id)).toEqual([skuB.id]);
    expect(toB.every((p) => p.data.sellerId === sellerB.id)).toBe(true);
    const store = at('/store').map((h) => JSON.parse(h.body).data.id);
    expect(store).toEqual(expect.arrayContaining([skuA.id, skuB.id]));
    // B cannot read or redeliver A's deliveries.
    const aSub = (await t.request(WebhookSubscriptionsDocument, {}, ownerA)).data!.webhookSubscriptions.edges[0]!.node;
    const aDelivery = (await deliveriesOf(ownerA, aSub.id))[0]!;
    expect(codes(await t.request(WebhookDeliveriesDocument, { subscriptionId: aSub.id }, ownerB))).toEqual(['NOT_FOUND']);
    expect((await t.request(RedeliverWebhookDocument, { deliveryId: aDelivery.id }, ownerB)).data?.redeliverWebhook.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect(codes(await t.request(WebhookSubscriptionsDocument, { sellerId: sellerA.id }, ownerB))).toEqual(['FORBIDDEN']);
  });

  it('a change and its delivery commit or roll back together', async () => {
    const sub = await subscribe(ownerA, '/rollback');
    const sku = await stockSku(sellerA);
    await expect(
      f.em().transactional(async (em) => {
        const row = await em.findOneOrFail(Sku, { id: sku.id });
        row.stock = 99;
        await em.flush();
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await setStock(ownerA, sku, 3);
    await pump(() => at('/rollback').length >= 1);
    expect(at('/rollback').map((h) => JSON.parse(h.body).data.changes)).toEqual([{ code: sku.code, productId: sku.product.id, before: 5, after: 3 }]);
    expect(await deliveriesOf(ownerA, sub.id)).toHaveLength(1);
  });

  it('a receiver that times out is retried; after the retry window the delivery is FAILED; failing deliveries pause the subscription and e-mail its owner; resume and redeliver send them again', async () => {
    behaviours.set('/hang', ['hang']);
    const sub = await subscribe(ownerA, '/hang');
    const sku = await stockSku(sellerA);
    await setStock(ownerA, sku, 1);
    await pump(() => at('/hang').length >= 1);
    let [log] = await deliveriesOf(ownerA, sub.id);
    expect(log).toMatchObject({ status: 'PENDING', attempts: 1, lastResponseCode: null });
    expect(log!.lastError).toMatch(/timed out/);
    expect(log!.nextAttemptAt).toBeTruthy();

    // The window passes: the next failure is final. A second event fails the same way: two in a row pause it.
    behaviours.set('/hang', [503]);
    await expireWindow(sub.id);
    await pump(async () => (await deliveriesOf(ownerA, sub.id))[0]!.status === 'FAILED');
    await setStock(ownerA, sku, 2);
    await pump(async () => (await deliveriesOf(ownerA, sub.id)).length === 2 && at('/hang').length >= 3);
    await expireWindow(sub.id);
    await pump(async () => (await deliveriesOf(ownerA, sub.id)).every((d) => d.status === 'FAILED'));
    const subs = (await t.request(WebhookSubscriptionsDocument, {}, ownerA)).data!.webhookSubscriptions.edges.map((e) => e.node);
    expect(subs.find((s) => s.id === sub.id)).toMatchObject({ status: 'PAUSED', consecutiveFailures: 2 });
    const mail = (await t.deliverMail()).filter((m) => m.includes('Webhook paused'));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatch(/owner-a-\d+@test\.example/);

    // Paused: new events queue but are not sent.
    const before = at('/hang').length;
    await setStock(ownerA, sku, 3);
    await t.app.events!.drain(10_000);
    await t.app.webhooks!.runOnce();
    expect(at('/hang').length).toBe(before);
    expect((await deliveriesOf(ownerA, sub.id)).map((d) => d.status)).toEqual(['FAILED', 'FAILED', 'PENDING']);

    // The endpoint works again: resume sends the queued one, redeliver a failed one (same event id).
    behaviours.set('/hang', [200]);
    expect((await t.request(ResumeWebhookSubscriptionDocument, { id: sub.id }, ownerA)).data?.resumeWebhookSubscription.subscription?.status).toBe('ACTIVE');
    const failed = (await deliveriesOf(ownerA, sub.id))[0]!;
    const redo = await t.request(RedeliverWebhookDocument, { deliveryId: failed.id }, ownerA);
    expect(redo.data?.redeliverWebhook.delivery?.status).toBe('PENDING');
    await pump(async () => (await deliveriesOf(ownerA, sub.id)).filter((d) => d.status === 'SUCCEEDED').length === 2);
    const log2 = await deliveriesOf(ownerA, sub.id);
    expect(log2.map((d) => d.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(at('/hang').filter((h) => h.headers['webhook-id'] === failed.eventId).length).toBeGreaterThanOrEqual(2);
    [log] = log2;
    expect(log!.attempts).toBe(3);
  });

  it('deleted subscriptions receive nothing more', async () => {
    const sub = await subscribe(ownerA, '/deleted');
    expect((await t.request(DeleteWebhookSubscriptionDocument, { id: sub.id }, ownerA)).data?.deleteWebhookSubscription.subscription?.status).toBe('DISABLED');
    const sku = await stockSku(sellerA);
    await setStock(ownerA, sku, 4);
    await t.app.events!.drain(10_000);
    await t.app.webhooks!.runOnce();
    expect(at('/deleted')).toEqual([]);
  });

  it('refuses unknown event types, and callers without the right', async () => {
    const res = await t.request(CreateWebhookSubscriptionDocument, { input: { url: `${base}/x`, eventTypes: ['order.teleported'] } }, ownerA);
    expect(res.data?.createWebhookSubscription.userErrors.map((e) => e.field)).toEqual([['input', 'eventTypes']]);
    const catalog = (await f.user({ seller: sellerA, role: UserRole.CATALOG })).token;
    expect(codes(await t.request(CreateWebhookSubscriptionDocument, { input: { url: `${base}/x`, eventTypes: ['order.created'] } }, catalog))).toEqual(['FORBIDDEN']);
    const integration = (await f.integration({ seller: sellerA })).token;
    const noContact = await t.request(CreateWebhookSubscriptionDocument, { input: { url: `${base}/x`, eventTypes: ['order.created'] } }, integration);
    expect(noContact.data?.createWebhookSubscription.userErrors.map((e) => e.field)).toEqual([['input', 'contactEmail']]);
  });

  it('backs off exponentially with jitter, capped', () => {
    const cfg = { WEBHOOK_RETRY_BASE_MS: 30_000, WEBHOOK_RETRY_MAX_DELAY_MS: 3_600_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, cfg, () => 1))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, cfg, () => 0))).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(retryDelayMs(20, cfg, () => 1)).toBe(3_600_000);
  });
});

describe('the SSRF guard (WEBHOOK_ALLOW_PRIVATE unset)', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ WEBHOOK_POLL_MS: '3600000' });
  });
  afterAll(async () => strict?.stop());

  it('refuses http:// and private, loopback or link-local addresses', async () => {
    const sf = new Factory(strict);
    const op = (await sf.operator(UserRole.OWNER)).token;
    for (const url of [`${base}/x`, 'https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://localhost/x', 'https://user:pw@example.com/x']) {
      const res = await strict.request(CreateWebhookSubscriptionDocument, { input: { url, eventTypes: ['order.created'] } }, op);
      expect(res.data?.createWebhookSubscription.userErrors.map((e) => e.field), url).toEqual([['input', 'url']]);
    }
  });
});
