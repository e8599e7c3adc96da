import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';

/**
 * The storefront's hot reads go as named prepared statements (ResilientConnection.prepared,
 * shared/db/plain.ts preparedRead): lists spelled out as MikroORM spells them, and a table
 * changed under a prepared `select t.*` (a newer instance migrating during a rolling deploy)
 * costs nothing but the plan.
 */

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  const f = new Factory(t);
  await f.setMarketplace(true);
  const c = new CatalogFactory(f);
  const seller = await f.seller({ code: 'PRE' });
  for (let i = 0; i < 3; i++) await c.product(seller, { sellerCode: `R${i}`, skus: [{ code: `R${i}_1`, price: 500 + i, stock: 1 }, { code: `R${i}_2`, price: 400 + i }] });
}, 120_000);
afterAll(async () => t?.stop());

const LISTING = `query L { products(first: 10) { totalCount edges { node { code price { amount } inStock tags { name } skus(first: 5) { edges { node { code inStock } } } } } } }`;
// Without the SKUs in the page statement, each product's SKUs and tags come through the loaders (`in (…)` lists).
const BY_LOADERS = `query P($code: String!) { product(code: $code) { code kitComponents { quantity } } products(first: 3) { edges { node { code } } } }`;

describe('prepared reads', () => {
  it('answer the same before and after a column is added under them, on every pooled connection', async () => {
    const before = await t.raw({ query: LISTING });
    expect(before.errors).toBeUndefined();
    expect((before.data as { products: { totalCount: number } }).products.totalCount).toBe(3);
    // Prepared on several connections at once.
    await Promise.all(Array.from({ length: 8 }, () => t.raw({ query: LISTING })));
    const conn = t.app.runtime.orm.em.getConnection();
    await conn.execute(`alter table "${t.schema}".product add column prepared_test_extra int`);
    try {
      const after = await Promise.all(Array.from({ length: 8 }, () => t.raw({ query: LISTING })));
      for (const res of after) {
        expect(res.errors).toBeUndefined();
        expect(JSON.stringify(res.data)).toBe(JSON.stringify(before.data));
      }
    } finally {
      await conn.execute(`alter table "${t.schema}".product drop column prepared_test_extra`);
    }
    const again = await t.raw({ query: LISTING });
    expect(JSON.stringify(again.data)).toBe(JSON.stringify(before.data));
  });

  it('spell a list out, one placeholder per item', async () => {
    const res = await t.raw({ query: BY_LOADERS, variables: { code: 'PRE-R1' } });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ product: { code: 'PRE-R1', kitComponents: [] } });
    const sellers = await t.raw({ query: `query S { sellers(first: 5) { edges { node { concatenationCode products(first: 2) { edges { node { code skus(first: 1) { edges { node { code } } } } } } } } } }` });
    expect(sellers.errors).toBeUndefined();
    expect(JSON.stringify(sellers.data)).toContain('PRE-R');
  });
});
