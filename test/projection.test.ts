import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { UserRole } from '../src/shared/access/index.js';
import { projection, unselectedReads } from '../src/shared/db/plain.js';
import { Product } from '../src/modules/catalog/catalog.entity.js';
import { ProductStatus } from '../src/modules/catalog/catalog.entity.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/**
 * The storefront's product reads select only the columns the query's fields read
 * (catalog/products.shape.ts; shared/db/plain.ts projection). Two things hold that up: under
 * tests a projected row throws when a property it did not select is read, and here every field
 * of every type such a read returns (from the schema itself, so a field added later is covered)
 * is asked alone, by every kind of caller, through every read that projects — so a field whose
 * resolver reads a column its shape does not name fails here, with the property in the message.
 * And each field alone answers what it answers among all the others.
 */

let t: TestApp;
let f: Factory;
let guest: Seller;
let productCode: string;
const viewers: Record<string, string | undefined> = { anonymous: undefined };

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  guest = await f.seller({ code: 'PRJ', name: 'Projection Seller' });
  const category = await c.category('Projection Category');
  const brand = await c.brand('Projection Brand');
  const tag = await c.tag('Projection Tag');
  for (let i = 0; i < 3; i += 1) {
    const p = await c.product(guest, {
      sellerCode: `PJ${i}`,
      category: i ? category : undefined,
      brand: i ? brand : undefined,
      tags: [tag],
      skus: [
        { code: `PJ${i}_A`, price: 1000 + i, stock: i },
        { code: `PJ${i}_B`, price: 2000 + i, stock: 0 },
      ],
    });
    productCode = p.code;
  }
  await c.product(guest, { sellerCode: 'PJDRAFT', status: ProductStatus.DRAFT });
  // Colours and sizes on some SKUs (the factory makes SKUs without them).
  await t.app.runtime.orm.em.fork().getConnection().execute(`
    with co as (insert into color (id, created_at, updated_at, name, hex) values (gen_random_uuid(), now(), now(), 'Projection Blue', '#0000ff') returning id),
         sz as (insert into size (id, created_at, updated_at, name, position) values (gen_random_uuid(), now(), now(), 'PG', 1) returning id)
    update sku set color_id = (select id from co), size_id = (select id from sz), list_price_cents = price_cents + 100 where code like 'PRJ-PJ%_A'`);
  viewers.customer = (await f.customer()).token;
  viewers.seller = (await f.user({ seller: guest, role: UserRole.OWNER })).token;
  viewers.operator = (await f.operator(UserRole.OWNER)).token;
  viewers.integration = (await f.integration({ seller: guest })).token;
});
afterAll(async () => t?.stop());

describe('a projected row', () => {
  it('holds what it selected and, under tests, refuses to be read for what it did not', () => {
    const em = t.app.runtime.orm.em.fork();
    const byName = projection(em, Product, ['id', 'name']);
    expect(byName.whole).toBe(false);
    expect(byName.columns).toEqual(['id', 'name']);
    expect(byName.columns).not.toContain('description');
    const row = byName.fromArray(['p-1', 'Shoe']) as unknown as Record<string, unknown>;
    expect(row.id).toBe('p-1');
    expect(row.name).toBe('Shoe');
    expect(() => row.description).toThrow(/Product\.description was not selected/);
    expect(unselectedReads.splice(0)).toEqual([expect.stringMatching(/Product\.description was not selected/)]);
    // An outer join's missing row is null in SQL (its id is), not an array of nulls.
    expect(byName.jsonArray('p')).toBe('case when p."id" is not null then json_build_array(p."id", p."name") end');
    expect(byName.fromArray(null)).toBeNull();
    // The whole projection reads every column and guards nothing.
    const whole = projection(em, Product);
    expect(whole.whole).toBe(true);
    expect(whole.columns).toEqual(expect.arrayContaining(['description', 'images', 'seller_id', 'min_price_cents']));
  });
});

/** Every field of `type` with the smallest selection that runs its resolver (`__typename` under an object). */
function fieldsOf(type: GraphQLObjectType): string[] {
  return Object.values(type.getFields())
    .filter((field) => field.args.every((a) => a.type.toString().endsWith('!') === false || a.defaultValue !== undefined))
    // Aliased, so that its answer is found under a name nothing else in the query has.
    .map((field) => `probe_${field.name}: ${field.name}${isObjectType(getNamedType(field.type)) ? ' { __typename }' : ''}`);
}

describe('every field alone, for every caller, through every projected read', () => {
  it('never reads a column its read did not select, and answers what it answers among all the others', async () => {
    // The printed schema (npm run schema:check keeps it the app's).
    const schema = buildSchema(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8'));
    const type = (name: string) => schema.getType(name) as GraphQLObjectType;
    // Where each type sits under a product, and the reads that project it.
    const nests: Record<string, (inner: string) => string> = {
      Product: (s) => s,
      Seller: (s) => `seller { ${s} }`,
      Category: (s) => `category { ${s} }`,
      Brand: (s) => `brand { ${s} }`,
      Sku: (s) => `skus(first: 5) { edges { node { ${s} } } }`,
      Color: (s) => `skus(first: 5) { edges { node { color { ${s} } } } }`,
      Size: (s) => `skus(first: 5) { edges { node { size { ${s} } } } }`,
    };
    const reads: Record<string, (node: string) => string> = {
      listing: (node) => `{ products(first: 10) { edges { node { id ${node} } } } }`,
      productPage: (node) => `{ product(code: ${JSON.stringify(productCode)}) { id ${node} } }`,
      sellerPage: (node) => `{ seller(id: ${JSON.stringify(guest.id)}) { products(first: 10) { edges { node { id ${node} } } } } }`,
      sellerList: (node) => `{ sellers(first: 10) { edges { node { products(first: 10) { edges { node { id ${node} } } } } } } }`,
    };
    const problems: string[] = [];
    let asked = 0;
    for (const [viewer, token] of Object.entries(viewers)) {
      for (const [readName, read] of Object.entries(reads)) {
        for (const [typeName, nest] of Object.entries(nests)) {
          const fields = fieldsOf(type(typeName));
          const all = await t.raw({ query: read(nest(fields.join(' '))) }, token);
          for (const field of fields) {
            asked += 1;
            const alone = await t.raw({ query: read(nest(field)) }, token);
            for (const e of alone.errors ?? []) {
              const code = (e.extensions as { code?: string } | undefined)?.code;
              if (code === 'INTERNAL_SERVER_ERROR' || /was not selected/.test(e.message)) problems.push(`${viewer} ${readName} ${typeName}.${field}: ${e.message}`);
            }
            // The field's value alone is its value among all the others (errors aside: a field a
            // viewer may not read is refused in both).
            if (!alone.errors?.length && !all.errors?.length) {
              const name = field.split(':')[0]!;
              if (JSON.stringify(collect(alone.data, name)) !== JSON.stringify(collect(all.data, name))) problems.push(`${viewer} ${readName} ${typeName}.${field}: differs from the same field among all`);
            }
          }
        }
      }
    }
    expect(asked).toBeGreaterThan(400);
    expect(problems).toEqual([]);
    // Including reads whose throw was swallowed on the way (a shield rule that throws denies).
    expect([...new Set(unselectedReads)]).toEqual([]);
  }, 120_000);
});

/** Every value of `name` keys anywhere in `data`, in document order. */
function collect(data: unknown, name: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(data)) for (const x of data) collect(x, name, out);
  else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (k === name) out.push(v);
      else collect(v, name, out);
    }
  }
  return out;
}
