import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buy, deliver, openShop, type Shop } from './helpers/returns-shop.js';
import { AddCartLineDocument, CreateCartDocument } from './generated/graphql.js';
import { Order } from '../src/modules/orders/orders.entity.js';
import { Product, ProductStatus, Sku } from '../src/modules/catalog/catalog.entity.js';

/*
 * Issue 12, item 8 and item 5's statement timeout: the smaller findings of the attacker's
 * review, each reproduced as it was found. (The kit component and the integration token's
 * handle are covered where their features are: catalog.test.ts "kits and links" and
 * integrations.test.ts "createIntegration".)
 */

let t: TestApp;
let shop: Shop;

beforeAll(async () => {
  // A search timeout short enough that a search over the catalog below cannot finish in it.
  t = await startTestApp({ SEARCH_TIMEOUT_MS: '1' });
  shop = await openShop(t);
}, 120_000);
afterAll(async () => t?.stop());

const REPLAY_THEN = (second: string) => `mutation Replay($checkout: CheckoutInput!, $second: ${second === 'cancelOrder' ? 'CancelOrderInput' : 'OpenReturnInput'}!) {
  checkout(input: $checkout) { cartNumber orders { code } userErrors { code } }
  ${second}(input: $second) { userErrors { code field } }
}`;

describe('a checkout replay inside a request grants reading its orders, nothing more', () => {
  /** The codes the second field of the request was refused with (in its payload, or as the request's errors). */
  const refusals = (res: { data?: unknown; errors?: { extensions?: { code?: string } }[] }, field: string) => [
    ...(((res.data as Record<string, { userErrors: { code: string }[] } | null> | null)?.[field]?.userErrors ?? []).map((e) => e.code)),
    ...(res.errors ?? []).map((e) => e.extensions?.code),
  ];
  const REFUSED = ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED'];

  it('whoever holds the cart token and key — anonymous or another signed-in customer — cannot cancel the order in that request', async () => {
    const placed = await buy(t, [['ALFA-A1', 1]]);
    const code = placed.orders![0]!.code;
    const replayAndCancel = (token?: string) =>
      t.raw(
        {
          query: REPLAY_THEN('cancelOrder'),
          variables: { checkout: { cartToken: placed.cartToken, idempotencyKey: placed.idempotencyKey, payment: { parts: [] } }, second: { orderCode: code, idempotencyKey: `replay-cancel-${token ? 'c' : 'a'}` } },
        },
        token,
      );
    // The replay alone answers with the cart's orders (the storefront's confirmation).
    const alone = await t.raw({ query: `mutation R($c: CheckoutInput!) { checkout(input: $c) { orders { code } userErrors { code } } }`, variables: { c: { cartToken: placed.cartToken, idempotencyKey: placed.idempotencyKey, payment: { parts: [] } } } });
    expect((alone.data as { checkout: { orders: { code: string }[] } }).checkout.orders.map((o) => o.code)).toEqual([code]);
    for (const token of [undefined, shop.tok.otherCustomer]) {
      const res = await replayAndCancel(token);
      const codes = refusals(res, 'cancelOrder');
      expect(codes.length > 0 && codes.every((c) => REFUSED.includes(c!)), JSON.stringify(res)).toBe(true);
    }
    expect((await shop.f.em().findOneOrFail(Order, { code })).status).toBe('APPROVED');
  });

  it('nor open a return of the delivered order in that request (that takes the signed link or the account)', async () => {
    const placed = await buy(t, [['ALFA-A2', 1]]);
    const code = placed.orders![0]!.code;
    await deliver(t, shop, code);
    for (const token of [undefined, shop.tok.otherCustomer]) {
      const res = await t.raw(
        {
          query: REPLAY_THEN('openReturn'),
          variables: { checkout: { cartToken: placed.cartToken, idempotencyKey: placed.idempotencyKey, payment: { parts: [] } }, second: { orderCode: code, lines: [{ position: 1, quantity: 1 }], reason: 'REGRET' } },
        },
        token,
      );
      const codes = refusals(res, 'openReturn');
      expect(codes.length > 0 && codes.every((c) => REFUSED.includes(c!)), JSON.stringify(res)).toBe(true);
      if (res.errors?.length) expect(res.errors[0]!.message).toBe(`You may not open a return of order ${code}.`);
    }
    expect(await shop.f.em().getConnection().execute(`select count(*)::int as n from order_return r join "order" o on o.id = r.order_id where o.code = ?`, [code])).toEqual([{ n: 0 }]);
  });
});

describe('addCartLine does not tell which SKU codes exist behind the storefront', () => {
  it('a draft product, an inactive SKU and a code nobody has get the same answer, word for word but the code', async () => {
    const em = shop.f.em();
    await em.nativeUpdate(Product, { code: 'ALFA-PA3' }, { status: ProductStatus.DRAFT });
    await em.nativeUpdate(Sku, { code: 'BETA-B2' }, { active: false });
    const cartToken = (await t.request(CreateCartDocument, {})).data!.createCart.token!;
    const answer = async (skuCode: string) => {
      const res = await t.request(AddCartLineDocument, { cartToken, skuCode, quantity: 1 });
      return res.data!.addCartLine.userErrors.map((e) => ({ ...e, message: e.message.replace(skuCode, '<code>') }));
    };
    const nobody = await answer('ALFA-ZZ9');
    expect(nobody).toEqual([{ code: 'NOT_FOUND', field: ['skuCode'], message: 'No SKU on sale has the code <code>.' }]);
    expect(await answer('ALFA-A3')).toEqual(nobody);
    expect(await answer('BETA-B2')).toEqual(nobody);
    await em.nativeUpdate(Product, { code: 'ALFA-PA3' }, { status: ProductStatus.PUBLISHED });
    await em.nativeUpdate(Sku, { code: 'BETA-B2' }, { active: true });
  });
});

describe('the storefront search runs under its own statement timeout', () => {
  it('a search that cannot finish in SEARCH_TIMEOUT_MS is QUERY_TIMEOUT, never a server error; the listing without one is unaffected', async () => {
    // 60,000 draft products to search through (drafts: the storefront listing shows none of them).
    const admin = await shop.f.adminSeller();
    await shop.f.em().getConnection().execute(
      `insert into product (id, seller_id, seller_code, code, name, status, marketplace_out, min_price_cents, images, created_at, updated_at)
       select gen_random_uuid(), ?, 'BULK' || i, 'BULK' || i, 'Bulk product ' || i, 'DRAFT', false, 100, '[]', now(), now() from generate_series(1, 60000) i`,
      [admin.id],
    );
    const query = `query Search($search: String) { products(first: 5, filter: { search: $search }) { totalCount edges { node { code } } } }`;
    const searched = await t.raw({ query, variables: { search: 'no such words in any name' } });
    expect(searched.errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })), JSON.stringify(searched)).toEqual([{ code: 'QUERY_TIMEOUT', field: ['filter', 'search'] }]);
    expect(searched.errors![0]!.message).toMatch(/narrow it/);
    const plain = await t.raw({ query, variables: {} });
    expect(plain.errors).toBeUndefined();
    expect((plain.data as { products: { totalCount: number } }).products.totalCount).toBeGreaterThan(0);
  });
});
