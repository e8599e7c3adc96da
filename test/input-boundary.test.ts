import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, type Placed } from './helpers/shop.js';
import { UserRole } from '../src/shared/access/index.js';
import { Order } from '../src/modules/orders/orders.entity.js';
import { Integration } from '../src/modules/integrations/integrations.entity.js';
import { DEFAULT_MAX_CHARS, SEARCH_MAX_CHARS } from '../src/shared/validation/index.js';

/*
 * Issue 12, items 4 and 5, the findings by hand (the fuzz property, test/fuzz.test.ts, covers
 * every root field at random): text with NUL or other control characters, hand-made cursors,
 * a malformed e-mail in requestPasswordReset, and texts over their limits are answered with
 * BAD_USER_INPUT on the argument's path — top-level for queries, as userErrors for mutations —
 * never INTERNAL_SERVER_ERROR, and change nothing.
 */

let t: TestApp;
let f: Factory;
let operator: string;
let placed: Placed;

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  const c = new CatalogFactory(f);
  const op = await f.operator(UserRole.OWNER);
  operator = op.token;
  const shop = new Shop(t, f, operator, op.user);
  await shop.shippingTable();
  const admin = await f.adminSeller();
  await c.product(admin, { sellerCode: 'NUL1', skus: [{ code: 'NULS1', price: 5_000, stock: 10, weight: 300 }] });
  placed = await shop.place([['NULS1', 1]]);
});
afterAll(async () => t?.stop());

const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
const userErrors = (res: { data?: unknown }, field: string) => (res.data as Record<string, { userErrors: { code: string; field: string[] }[] }>)[field]!.userErrors;

describe('control characters', () => {
  it('a NUL in an anonymous product search is BAD_USER_INPUT on the argument, not a 500', async () => {
    const res = await t.raw({ query: 'query($s: String) { products(filter: { search: $s }) { totalCount } }', variables: { s: 'shirt\u0000' } });
    expect(res.status).toBe(200);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.field).toEqual(['filter', 'search']);
    // Written inline instead of as a variable: the same boundary.
    const inline = await t.raw({ query: '{ products(filter: { search: "a\\u0000b" }) { totalCount } }' });
    expect(codes(inline)).toEqual(['BAD_USER_INPUT']);
    const escape = await t.raw({ query: 'query($s: String) { products(filter: { search: $s }) { totalCount } }', variables: { s: 'a\u001bb' } });
    expect(codes(escape)).toEqual(['BAD_USER_INPUT']);
  });

  it('tab and line breaks stay allowed', async () => {
    const res = await t.raw({ query: 'query($s: String) { products(filter: { search: $s }) { totalCount } }', variables: { s: 'a\tb\nc' } });
    expect(res.errors).toBeUndefined();
  });

  const cases: [string, string, () => Record<string, unknown>, string[]][] = [
    ['cancelOrder', 'mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { userErrors { code field } } }', () => ({ orderCode: placed.orders[0]!.code, idempotencyKey: randomUUID(), note: 'oops\u0000' }), ['input', 'note']],
    ['decideFraudAnalysis', 'mutation($input: DecideFraudAnalysisInput!) { decideFraudAnalysis(input: $input) { userErrors { code field } } }', () => ({ cartNumber: `${placed.cartNumber}\u0000`, outcome: 'REJECTED' }), ['input', 'cartNumber']],
    ['recordChargeback', 'mutation($input: RecordChargebackInput!) { recordChargeback(input: $input) { userErrors { code field } } }', () => ({ cartNumber: placed.cartNumber, idempotencyKey: `k\u0000${randomUUID()}`, partIndex: 0, reason: 'x' }), ['input', 'idempotencyKey']],
    ['confirmBankDeposit', 'mutation($input: ConfirmBankDepositInput!) { confirmBankDeposit(input: $input) { userErrors { code field } } }', () => ({ cartNumber: `\u0000${placed.cartNumber}`, idempotencyKey: randomUUID() }), ['input', 'cartNumber']],
  ];
  for (const [name, query, input, field] of cases) {
    it(`a NUL in ${name}'s input is a BAD_USER_INPUT userError and changes nothing`, async () => {
      const before = await f.em().findOneOrFail(Order, { code: placed.orders[0]!.code });
      const variables = { input: input() };
      const res = await t.raw({ query, variables }, operator);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      const errors = userErrors(res, name);
      expect(errors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
      expect(errors[0]!.field).toEqual(field);
      expect((await f.em().findOneOrFail(Order, { id: before.id })).status).toBe(before.status);
    });
  }
});

describe('lone surrogates', () => {
  // Found by test/fuzz.test.ts: an integration named "rin\ud800,…" was created, and its audit
  // entry (a json column) was refused by PostgreSQL: a 500, and a rolled-back write.
  it('half of a surrogate pair in a mutation input is a BAD_USER_INPUT userError and creates nothing', async () => {
    const before = await f.em().count(Integration, {});
    const query = 'mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { token userErrors { code field } } }';
    for (const name of ['rin\ud800,EJg`{', 'x\udfff', '\ud83d']) {
      const res = await t.raw({ query, variables: { input: { name, sellerId: null, canWriteAttributes: false } } }, operator);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(userErrors(res, 'createIntegration').map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'name']]]);
    }
    expect(await f.em().count(Integration, {})).toBe(before);
  });

  it('in a query argument too; a whole pair (an emoji) is text like any other', async () => {
    const query = 'query($s: String) { products(filter: { search: $s }) { totalCount } }';
    const lone = await t.raw({ query, variables: { s: 'camisa \udc00' } });
    expect(codes(lone)).toEqual(['BAD_USER_INPUT']);
    expect(lone.errors![0]!.extensions!.field).toEqual(['filter', 'search']);
    const pair = await t.raw({ query, variables: { s: 'camisa \ud83d\ude00' } });
    expect(pair.errors).toBeUndefined();
    const created = await t.raw({ query: 'mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { token userErrors { code } } }', variables: { input: { name: 'ERP \ud83d\ude00', sellerId: null, canWriteAttributes: false } } }, operator);
    expect(created.errors).toBeUndefined();
    expect((created.data as { createIntegration: { token: string | null } }).createIntegration.token).toMatch(/^mki_/);
  });
});

describe('cursors', () => {
  for (const values of [[null, null], [1, 2], [['a'], ['b']], [{}, 'x'], [true]]) {
    it(`a hand-made cursor ${JSON.stringify(values)} is BAD_USER_INPUT on "after"`, async () => {
      for (const list of ['products', 'brands']) {
        const res = await t.raw({ query: `query($a: String) { ${list}(after: $a) { totalCount } }`, variables: { a: cursor(values) } }, operator);
        expect(res.status, list).toBe(200);
        expect(codes(res), `${list} ${JSON.stringify(res.errors)}`).toEqual(['BAD_USER_INPUT']);
        expect(res.errors![0]!.extensions!.field).toEqual(['after']);
      }
    });
  }

  it('a real cursor still pages', async () => {
    const first = await t.raw({ query: '{ products(first: 1) { pageInfo { endCursor } } }' }, operator);
    const end = (first.data as { products: { pageInfo: { endCursor: string } } }).products.pageInfo.endCursor;
    const next = await t.raw({ query: 'query($a: String) { products(first: 1, after: $a) { totalCount } }', variables: { a: end } }, operator);
    expect(next.errors).toBeUndefined();
  });
});

describe('non-null payload fields never fail on an expected error', () => {
  it('requestPasswordReset with a malformed e-mail answers ok: false with the userError', async () => {
    const res = await t.raw({ query: 'mutation { requestPasswordReset(email: "not an e-mail") { ok userErrors { code field } } }' });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ requestPasswordReset: { ok: false, userErrors: [{ code: 'BAD_USER_INPUT', field: ['email'] }] } });
  });
});

describe('length limits (declared once per field, printed in the schema)', () => {
  it(`a search over ${SEARCH_MAX_CHARS} characters is refused before it reaches the database`, async () => {
    const res = await t.raw({ query: 'query($s: String) { products(filter: { search: $s }) { totalCount } }', variables: { s: 'a'.repeat(SEARCH_MAX_CHARS + 1) } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const ok = await t.raw({ query: 'query($s: String) { products(filter: { search: $s }) { totalCount } }', variables: { s: 'a'.repeat(SEARCH_MAX_CHARS) } });
    expect(ok.errors).toBeUndefined();
  });

  it('a 1 MB product description is refused; so is an over-long text with no limit of its own', async () => {
    const res = await t.raw(
      { query: 'mutation($input: ProductInput!) { createProduct(input: $input) { userErrors { code field message } } }', variables: { input: { name: 'P', sellerCode: 'BIGDESC', description: 'x'.repeat(1_000_000) } } },
      operator,
    );
    expect(res.errors).toBeUndefined();
    expect(userErrors(res, 'createProduct')).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['input', 'description'] })]);
    const reset = await t.raw({ query: 'mutation($e: String!) { requestPasswordReset(email: $e) { ok userErrors { code field } } }', variables: { e: `${'a'.repeat(DEFAULT_MAX_CHARS)}@x.example` } });
    expect(reset.data).toEqual({ requestPasswordReset: { ok: false, userErrors: [{ code: 'BAD_USER_INPUT', field: ['email'] }] } });
  });

  it('the printed schema tells each limit in the field description', () => {
    const schema = buildSchema(readFileSync(path.join(import.meta.dirname, '..', 'schema', 'schema.graphql'), 'utf8'));
    const filter = (schema.getType('ProductFilter') as GraphQLInputObjectType).getFields().search!;
    expect(filter.description).toMatch(new RegExp(`At most ${SEARCH_MAX_CHARS} characters\\.$`));
    const description = (schema.getType('ProductInput') as GraphQLInputObjectType).getFields().description!;
    expect(description.description).toMatch(/At most 20,000 characters\.$/);
  });
});
