import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { capturingLogger } from './helpers/logs.js';
import { UserRole } from '../src/shared/access/index.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/**
 * SQL statements per request (issue 14): at most 5 for the storefront's reads whatever the
 * page size and nesting — a list inside a list is loaded for all its parents at once. Counted
 * as the request log line counts them (every statement the request sent, BEGIN/COMMIT
 * included), so nothing here is a timing. The queries are sent as text: their shapes (page
 * sizes, nesting) are what is measured.
 */

const MAX_STATEMENTS = 5;

let t: TestApp;
let f: Factory;
const logs = capturingLogger('info');
let tok: { operator: string; sellerOwner: string };
let sellers: Seller[];
let ids: { category: string; brand: string; tag: string; productCode: string };

const SKUS = `skus(first: 10) { totalCount edges { node { code price { amount currency } listPrice { amount } inStock color { name } size { name } dimensions { heightMm } } } }`;
const NODE = (extra = '') => `id code name price { amount currency } inStock soldAndDeliveredBy
  seller { id name concatenationCode } category { id name } brand { name } tags { name } ${SKUS} ${extra}`;

let n = 0;
/** Sends the query and returns how many statements its request sent (from its log line). */
async function statements(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ sql: number; data: unknown }> {
  const reqId = `stmt-${++n}`;
  const res = await t.raw({ query, variables }, token, { 'x-request-id': reqId });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  const line = await vi.waitFor(() => {
    const found = logs.lines().find((l) => l.reqId === reqId && l.msg === 'request completed');
    if (!found) throw new Error(`no log line for ${reqId} yet`);
    return found;
  });
  return { sql: line.sql as number, data: res.data };
}

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'info' }, { logger: logs.logger });
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  const root = await c.category('Stmt Root');
  const leaf = await c.category('Stmt Leaf', root);
  const brand = await c.brand('Stmt Brand');
  const tag = await c.tag('Stmt Tag');
  sellers = [await f.adminSeller()];
  for (let i = 0; i < 11; i += 1) sellers.push(await f.seller({ code: `STM${String(i).padStart(2, '0')}`, name: `Stmt Seller ${i}` }));
  let code = '';
  for (const [i, seller] of sellers.entries()) {
    for (let k = 0; k < 6; k += 1) {
      const p = await c.product(seller, {
        category: k % 2 ? leaf : root,
        brand,
        tags: [tag],
        skus: [
          { code: `S${i}P${k}_A`, price: 1000 + k, stock: k },
          { code: `S${i}P${k}_B`, price: 2000 + k, stock: 1 },
        ],
      });
      code = p.code;
    }
  }
  ids = { category: root.id, brand: brand.id, tag: tag.id, productCode: code };
  tok = { operator: (await f.operator(UserRole.OWNER)).token, sellerOwner: (await f.user({ seller: sellers[1]!, role: UserRole.OWNER })).token };
});
afterAll(async () => t?.stop());

describe('statements per request do not grow with page size or nesting', () => {
  const listing = (withStock: boolean) => `query ($first: Int!) { products(first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { ${NODE(withStock ? 'rejectionReason' : '')} } } } }`;

  it('the storefront listing, with seller, category, brand, tags and SKUs', async () => {
    const few = await statements(listing(false), { first: 2 });
    const many = await statements(listing(false), { first: 60 });
    expect((many.data as { products: { edges: unknown[] } }).products.edges).toHaveLength(60);
    expect(many.sql).toBe(few.sql);
    expect(many.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("a seller's own listing (stock figures) and the operator's filtered listing", async () => {
    const own = await statements(listing(true).replace('inStock color', 'inStock stock color'), { first: 50 }, tok.sellerOwner);
    expect(own.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
    const filtered = await statements(
      `query ($first: Int!, $filter: ProductFilter) { products(first: $first, filter: $filter) { totalCount edges { node { ${NODE()} } } } }`,
      { first: 50, filter: { sellerId: sellers[2]!.id, brandId: ids.brand, categoryId: ids.category, tagIds: [ids.tag], search: 'Product', inStock: true } },
      tok.operator,
    );
    expect((filtered.data as { products: { totalCount: number } }).products.totalCount).toBe(6);
    expect(filtered.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it('the product page', async () => {
    const page = await statements(`query ($code: String!) { product(code: $code) { ${NODE('description images { url } seller { shippingPolicy returnPolicy }')} } }`, { code: ids.productCode });
    expect((page.data as { product: { code: string } }).product.code).toBe(ids.productCode);
    expect(page.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("the storefront's listing and product page and a seller's own listing fork no EntityManager (their reads are plain rows)", async () => {
    const customer = (await f.customer()).token;
    const fork = vi.spyOn(t.app.runtime.orm.em, 'fork');
    try {
      await statements(listing(false), { first: 24 });
      await statements(`query ($code: String!) { product(code: $code) { ${NODE('description')} } }`, { code: ids.productCode });
      await statements(listing(true).replace('inStock color', 'inStock stock color'), { first: 24 }, tok.sellerOwner);
      expect(fork).not.toHaveBeenCalled();
      // A write does fork one (its unit of work): the spy sees forks.
      expect((await t.raw({ query: 'mutation { logout { ok } }' }, customer)).data).toEqual({ logout: { ok: true } });
      expect(fork).toHaveBeenCalled();
    } finally {
      fork.mockRestore();
    }
  });

  it('sellers { products }: one statement for every seller\'s page, counts only when asked', async () => {
    const query = (count: boolean) => `query ($first: Int!, $products: Int!) { sellers(first: $first) { totalCount edges { node {
      id name products(first: $products) { ${count ? 'totalCount' : ''} pageInfo { hasNextPage endCursor } edges { node { ${NODE()} } } } } } } }`;
    const few = await statements(query(true), { first: 2, products: 1 });
    const many = await statements(query(true), { first: 12, products: 6 });
    const edges = (many.data as { sellers: { edges: { node: { products: { totalCount: number; edges: unknown[] } } }[] } }).sellers.edges;
    expect(edges).toHaveLength(12);
    expect(edges.every((e) => e.node.products.edges.length === 6 && e.node.products.totalCount === 6)).toBe(true);
    expect(many.sql).toBe(few.sql);
    expect(many.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
    // Without totalCount no count is sent.
    expect((await statements(query(false), { first: 12, products: 6 })).sql).toBe(many.sql - 1);
  });

  it('a connection under a list under a connection: products { seller { products } }', async () => {
    const query = `query ($first: Int!) { products(first: $first) { edges { node { id
      seller { name products(first: 3) { totalCount edges { node { ${NODE()} } } } } } } } }`;
    const few = await statements(query, { first: 2 });
    const many = await statements(query, { first: 70 });
    expect(many.sql).toBe(few.sql);
    expect(many.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("a seller's dashboard: every aggregate section in one statement", async () => {
    // The bench's dashboard (bench/queries.ts SELLER_DASHBOARD): the session, the store settings, the sections.
    const sections = `days { date orders items gross { amount currency } net { amount currency } } ordersByStatus { status count } itemsUnavailable
      products { published outOfStock archived awaitingReview rejected drafts } tickets { open overdue }
      reputation { ticketAnswers ticketAnswersOnTime orders sellerCancellations shipmentsDue lateShipments }`;
    const dash = await statements(`query { sellerDashboard(from: "2026-01-01", to: "2026-03-31") { sellerId from to timeZone ${sections} } }`, {}, tok.sellerOwner);
    const d = (dash.data as { sellerDashboard: { days: unknown[]; products: { published: number } } }).sellerDashboard;
    expect(d.days).toHaveLength(90);
    expect(d.products.published).toBe(6);
    expect(dash.sql).toBeLessThanOrEqual(3);
    // Operator staff naming the seller (its probe), and a single section: no more.
    const staff = await statements(`query ($id: ID) { sellerDashboard(sellerId: $id, from: "2026-01-01", to: "2026-01-31") { ${sections} } }`, { id: sellers[1]!.id }, tok.operator);
    expect(staff.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
    expect((await statements(`query { sellerDashboard(from: "2026-01-01", to: "2026-01-31") { tickets { open } } }`, {}, tok.sellerOwner)).sql).toBe(dash.sql);
  });

  it("one seller's page by its code", async () => {
    const page = await statements(`query { seller(code: "STM03") { name products(first: 5) { totalCount edges { node { ${NODE()} } } } } }`);
    expect((page.data as { seller: { products: { totalCount: number } } }).seller.products.totalCount).toBe(6);
    expect(page.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});

/**
 * Issue 14 item 4: a checkout of a cart of three sellers (the admin seller and two guest
 * sellers, products in categories, paid by card and approved by the analyzer) in at most 21
 * statements, everything its request sends counted: the key's claim, the cart's pricing and
 * number, the commission rules, the provider-call journal, the transaction that writes the
 * orders (one statement for all its rows, shared/db/together.ts) and the one that applies the
 * verdict, whose rows are the answer (nothing is read back). A count, not a timing; the bench
 * (`BENCH_ONLY=checkout npm run bench`) times it.
 */
const MAX_CHECKOUT_STATEMENTS = 21;

describe('a 3-seller checkout', () => {
  it(`runs at most ${MAX_CHECKOUT_STATEMENTS} statements, with everything it writes`, async () => {
    const c = new CatalogFactory(f);
    const category = await c.category('Stmt Checkout', await c.category('Stmt Checkout Root'));
    const skus: string[] = [];
    for (const [i, seller] of [sellers[0]!, sellers[4]!, sellers[5]!].entries()) {
      await c.product(seller, { category, sellerCode: `CK${i}`, skus: [{ code: `CK${i}_1`, price: 4_990 + i * 1_000, stock: 10, weight: 300 }] });
      skus.push(`${seller.concatenationCode ? `${seller.concatenationCode}-` : ''}CK${i}_1`);
    }
    const ok = (data: unknown, field: string) => expect((data as Record<string, { userErrors: unknown[] }>)[field]!.userErrors).toEqual([]);
    ok(
      (await statements(`mutation ($input: CreateShippingTableInput!) { createShippingTable(input: $input) { userErrors { code message } } }`, {
        input: { name: 'PAC', carrier: 'Correios', method: 'PAC', rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 100_000, priceCents: 2_999, days: 6 }] },
      }, tok.operator)).data,
      'createShippingTable',
    );
    const cartToken = ((await statements(`mutation { createCart { token userErrors { code } } }`)).data as { createCart: { token: string } }).createCart.token;
    for (const skuCode of skus) {
      ok((await statements(`mutation ($t: String!, $s: String!) { addCartLine(cartToken: $t, skuCode: $s, quantity: 1) { userErrors { code message } } }`, { t: cartToken, s: skuCode })).data, 'addCartLine');
    }
    ok((await statements(`mutation ($t: String!, $i: CartBuyerInput!) { setBuyer(cartToken: $t, input: $i) { userErrors { code message } } }`, {
      t: cartToken,
      i: { name: 'Maria da Silva', email: 'maria.silva@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' },
    })).data, 'setBuyer');
    ok((await statements(`mutation ($t: String!, $i: CartAddressInput!) { setShippingAddress(cartToken: $t, input: $i) { userErrors { code message } } }`, {
      t: cartToken,
      i: { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' },
    })).data, 'setShippingAddress');

    const res = await statements(
      `mutation ($input: CheckoutInput!) { checkout(input: $input) {
        cartNumber fraudStatus orders { code status total { amount currency } } payment { status amount { amount currency } } userErrors { code message } } }`,
      { input: { cartToken, idempotencyKey: `stmt-checkout-${Date.now()}`, payment: { parts: [{ method: 'CARD', installments: 1, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111' } }] } } },
    );
    const out = (res.data as { checkout: { cartNumber: string; fraudStatus: string; orders: { code: string; status: string }[]; payment: { status: string }; userErrors: unknown[] } }).checkout;
    expect(out.userErrors).toEqual([]);
    expect(out.orders.map((o) => o.code.split('-')[0])).toEqual([expect.stringMatching(/^\d+$/), 'STM03', 'STM04']);
    expect(out.orders.every((o) => o.status === 'APPROVED')).toBe(true);
    expect([out.fraudStatus, out.payment.status]).toEqual(['APPROVED', 'PAID']);
    expect(res.sql).toBeLessThanOrEqual(MAX_CHECKOUT_STATEMENTS);

    // All of it was written: stock, the e-mails (one per order, sealed), the ledger of the checkout and the capture, the key.
    const em = t.app.runtime.orm.em.fork();
    const count = async (sql: string, params: unknown[] = []) => Number((await em.getConnection().execute<{ n: string }[]>(sql, params))[0]!.n);
    expect(await count(`select sum(stock) as n from sku where code in (?)`, [skus])).toBe(27);
    expect(await count(`select count(*) as n from outbox_message where topic = 'order.placed' and payload->>'sealed' = '1'`)).toBe(3);
    expect(await count(`select count(*) as n from ledger_entry where cart_number = ?`, [out.cartNumber])).toBe(3 + 1);
    expect(await count(`select count(*) as n from domain_event where type = 'order.approved' and aggregate_code in (?)`, [out.orders.map((o) => o.code)])).toBe(3);
  });

  // The bench's order search (bench/queries.ts ORDER_SEARCH), over the orders the checkout above
  // placed: the session, the seller (its probe and the page's `seller` field are one load), the
  // page, its count and the lines of every order of the page.
  it(`the operator's order search runs at most ${MAX_STATEMENTS} statements, whatever the page size`, async () => {
    const query = `query ($sellerId: ID, $status: OrderStatus, $first: Int, $filter: OrderFilter) { orders(first: $first, sellerId: $sellerId, status: $status, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { code status placedAt total { amount currency } seller { name } buyer { name email maskedDocument } lines { skuCode productName quantity } } } } }`;
    const one = await statements(query, { sellerId: sellers[4]!.id, status: 'APPROVED', first: 24 }, tok.operator);
    const found = (one.data as { orders: { totalCount: number; edges: { node: { seller: { name: string }; lines: unknown[] } }[] } }).orders;
    expect(found.totalCount).toBe(1);
    expect(found.edges[0]!.node.seller.name).toBe(sellers[4]!.name);
    expect(found.edges[0]!.node.lines).toHaveLength(1);
    expect(one.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
    // Every seller's orders (three sellers on the page), by page size 1 and 24, and with the search filter.
    const few = await statements(query, { status: 'APPROVED', first: 1 }, tok.operator);
    const many = await statements(query, { status: 'APPROVED', first: 24, filter: { buyerName: 'Maria' } }, tok.operator);
    expect((many.data as { orders: { edges: unknown[] } }).orders.edges.length).toBeGreaterThanOrEqual(3);
    expect(many.sql).toBe(few.sql);
    expect(many.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});
