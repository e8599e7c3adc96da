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

  it("one seller's page by its code", async () => {
    const page = await statements(`query { seller(code: "STM03") { name products(first: 5) { totalCount edges { node { ${NODE()} } } } } }`);
    expect((page.data as { seller: { products: { totalCount: number } } }).seller.products.totalCount).toBe(6);
    expect(page.sql).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});
