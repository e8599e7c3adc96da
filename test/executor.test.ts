import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { UserRole } from '../src/shared/access/index.js';

/**
 * The executor (app/executor.ts): graphql-jit by default, graphql-js with
 * GRAPHQL_EXECUTOR=graphql-js. Both apps serve one schema, so every answer can be compared
 * byte for byte; the cases are where jit on its own differs from graphql-js (errors without
 * extensions, variable coercion and input defaults) and a storefront listing and product page
 * as a client sends them.
 */

let jit: TestApp;
let js: TestApp;
let operator: string;
let seller: string;
let sellerId: string;

beforeAll(async () => {
  jit = await startTestApp();
  js = await startTestApp({ GRAPHQL_EXECUTOR: 'graphql-js' }, { schema: jit.schema });
  const f = new Factory(jit);
  await f.setMarketplace(true);
  operator = (await f.operator()).token;
  const s = await f.seller({ code: 'EXE' });
  sellerId = s.id;
  seller = (await f.user({ seller: s, role: UserRole.OWNER })).token;
  const c = new CatalogFactory(f);
  const category = await c.category('Casa');
  const brand = await c.brand('Marca');
  for (let i = 0; i < 5; i++) {
    await c.product(s, { sellerCode: `E${i}`, category, brand, skus: [{ code: `E${i}_1`, price: 1000 + i, stock: i }, { code: `E${i}_2`, price: 900 + i, stock: 0 }] });
  }
}, 120_000);
afterAll(async () => {
  await js?.stop();
  await jit?.stop();
});

const LISTING = `query L($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id code name price { amount currency } inStock soldAndDeliveredBy
      seller { id name concatenationCode } category { id name } brand { name } tags { name }
      skus(first: 10) { edges { node { code price { amount currency } listPrice { amount } inStock stock color { name } size { name } } } } } }
  }
}`;

const both = async (body: unknown, token?: string) => {
  const [a, b] = await Promise.all([jit.raw(body, token), js.raw(body, token)]);
  expect(a.status).toBe(b.status);
  expect(JSON.stringify(a.errors ?? null)).toBe(JSON.stringify(b.errors ?? null));
  expect(JSON.stringify(a.data ?? null)).toBe(JSON.stringify(b.data ?? null));
  return a;
};

describe('graphql-jit answers as graphql-js does', () => {
  it('serves the listing, with nested connections and guarded fields, identically for each kind of caller', async () => {
    for (const token of [undefined, seller, operator]) {
      const first = await both({ query: LISTING, variables: { first: 2 } }, token);
      const page = (first.data as { products: { pageInfo: { endCursor: string } } } | undefined)?.products;
      expect(page, JSON.stringify(first.errors)).toBeTruthy();
      if (!page) continue;
      await both({ query: LISTING, variables: { first: 2, after: page.pageInfo.endCursor } }, token);
    }
    // A SKU's stock is the seller's: an anonymous shopper's answer carries an error at each one.
    const anonymous = await both({ query: LISTING, variables: { first: 5 } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.errors?.[0]?.path?.at(-1)).toBe('stock');
  });

  it('fills the default of a non-null input field given in a variable (jit alone refuses it)', async () => {
    const query = `query O($orderBy: ProductOrder) { products(first: 5, orderBy: $orderBy) { edges { node { code } } } }`;
    const res = await both({ query, variables: { orderBy: { field: 'PRICE' } } }, operator);
    expect(res.errors).toBeUndefined();
    const sorted = await both({ query: `query S { orders(first: 5, orderBy: { field: CREATED_AT }) { totalCount } }` }, operator);
    expect(sorted.errors).toBeUndefined();
    const viaVariable = await both({ query: `query S($o: OrderSort) { orders(first: 5, orderBy: $o) { totalCount } }`, variables: { o: { field: 'CREATED_AT' } } }, operator);
    expect(viaVariable.errors).toBeUndefined();
  });

  it('answers a bad variable 400 BAD_USER_INPUT, without suggesting names', async () => {
    const res = await both({ query: `query S($o: OrderSort) { orders(first: 5, orderBy: $o) { totalCount } }`, variables: { o: { field: 'CREATED_A' } } }, operator);
    expect(res.status).toBe(400);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it("keeps a resolver's typed error (code, field) and the path of the field it failed on", async () => {
    const res = await both({ query: `query A { auditLog(filter: { actorId: "00000000-0000-4000-8000-000000000000" }) { totalCount } }` }, operator);
    expect(res.errors?.[0]).toMatchObject({ path: ['auditLog'], extensions: { code: 'NOT_FOUND' } });
    const forbidden = await both({ query: `query B($id: ID) { sellerLedger(sellerId: $id) { __typename } }`, variables: { id: sellerId } });
    expect(forbidden.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
  });

  it('runs each operation of a document by name, and introspection', async () => {
    const doc = `query One { marketplaceSettings { currency } } query Two { products(first: 1) { totalCount } }`;
    await both({ query: doc, operationName: 'One' });
    await both({ query: doc, operationName: 'Two' });
    await both({ query: `query I { __type(name: "Product") { name fields { name } } }` }, operator);
  });
});
