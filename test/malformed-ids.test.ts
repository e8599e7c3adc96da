import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { ProductStatus } from '../src/modules/catalog/catalog.entity.js';

/*
 * The malformed-id rule (src/shared/db/ids.ts, README "Conventions"), checked against every
 * root field of the schema that takes an ID anywhere in its arguments: a malformed id means
 * the same as an id that exists nowhere —
 *   - a query returning one nullable object answers null;
 *   - any other query answers a top-level NOT_FOUND naming the argument;
 *   - a mutation answers a NOT_FOUND userError on the argument's path.
 * Never BAD_USER_INPUT, never INTERNAL_SERVER_ERROR. One request per ID argument, with that id
 * malformed and again with a well-formed id no row has (the two must be answered alike); the
 * other arguments are valid (BASE) or, when optional, left out.
 */

const MALFORMED = 'not-an-id';
/** Well-formed, and no row has it: the malformed id must be answered exactly like this one. */
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const schema = buildSchema(readFileSync(path.join(import.meta.dirname, '..', 'schema', 'schema.graphql'), 'utf8'));

/** Paths to every ID inside an argument's type (input objects walked, lists stepped through). */
function idPaths(type: GraphQLInputType, at: string[], seen: ReadonlySet<string> = new Set()): string[][] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [at];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  const next = new Set(seen).add(named.name);
  return Object.values(named.getFields()).flatMap((f) => idPaths(f.type, [...at, f.name], next));
}

const SCALARS: Record<string, unknown> = { String: 'x', Int: 1, SafeInt: 1, Float: 1, Boolean: false, DateTime: new Date().toISOString(), JSON: {} };

/**
 * A value for `type`: the malformed id on `target` (a path below this value), plain values for
 * what is required, nothing for optional parts off the target's way.
 */
let badId = MALFORMED;

function valueFor(type: GraphQLInputType, target: string[] | null): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [valueFor(inner.ofType, target)];
  const named = getNamedType(type);
  if (named.name === 'ID') return badId;
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(named.getFields())) {
      const onTarget = target?.[0] === f.name;
      if (onTarget || (isNonNullType(f.type) && f.defaultValue === undefined)) out[f.name] = valueFor(f.type, onTarget ? target!.slice(1) : null);
    }
    return out;
  }
  if (!(named.name in SCALARS)) throw new Error(`no sample value for scalar ${named.name}`);
  return SCALARS[named.name];
}

/** `value` (a valid base, or nothing) with the malformed id put at `at`; lists get it in their first element. */
function withMalformed(value: unknown, type: GraphQLInputType, at: string[]): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const list = Array.isArray(value) && value.length ? [...value] : [undefined];
    list[0] = withMalformed(list[0], inner.ofType, at);
    return list;
  }
  if (at.length === 0) return badId;
  const named = getNamedType(type);
  if (!isInputObjectType(named)) throw new Error(`${named.name} has no field ${at[0]}`);
  const obj = { ...((value ?? valueFor(type, null)) as Record<string, unknown>) };
  obj[at[0]!] = withMalformed(obj[at[0]!], named.getFields()[at[0]!]!.type, at.slice(1));
  return obj;
}

/** The target malformed, the rest from a valid base where one is given, else the required minimum. */
function variablesFor(args: readonly GraphQLArgument[], target: string[], base: Record<string, unknown>): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const a of args) {
    if (target[0] === a.name) vars[a.name] = withMalformed(base[a.name], a.type, target.slice(1));
    else if (a.name in base) vars[a.name] = base[a.name];
    else if (isNonNullType(a.type) && a.defaultValue === undefined) vars[a.name] = valueFor(a.type, null);
  }
  return vars;
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  if (!('userErrors' in fields)) return '{ __typename }';
  return `{ __typename userErrors { code field message }${'errors' in fields && fields.errors!.type.toString() === '[BulkUpdateError!]' ? ' errors { code productId }' : ''} }`;
}

function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, vars: Record<string, unknown>): string {
  const used = field.args.filter((a) => a.name in vars);
  const params = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} Malformed${params ? `(${params})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selectionFor(field.type)} }`;
}

/** An error's field, without list positions, is the argument's path (or lies below it). */
const names = (field: readonly unknown[] | undefined) => (field ?? []).filter((p) => typeof p === 'string' && !/^\d+$/.test(p));
const onPath = (field: readonly unknown[] | undefined, target: string[]) => {
  const f = names(field);
  return f.length >= target.length && target.every((p, i) => f[i] === p);
};

/** A single object, nullable: the by-id lookups (`product(id:)`). */
const isNullableSingle = (type: GraphQLOutputType) => !isNonNullType(type) && !isListType(type) && !getNamedType(type).name.endsWith('Connection');

interface Case {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  target: string[];
  id: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [kind, root] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
    for (const field of Object.values(root.getFields())) {
      for (const target of field.args.flatMap((a) => idPaths(a.type, [a.name]))) {
        for (const id of [MALFORMED, UNKNOWN]) out.push({ kind, field, target, id });
      }
    }
  }
  return out;
}

let t: TestApp;
let f: Factory;
let owner: string;
let customer: string;
/** Valid arguments per root field, so that only the malformed id is wrong. */
let BASE: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  const c = new CatalogFactory(f);
  owner = (await f.operator()).token;
  customer = (await f.customer()).token;
  const seller = await f.seller({ code: 'MALF' });
  const category = await c.category('Malformed ids');
  const product = await c.product(seller, { sellerCode: 'MALF1' });
  const draft = await c.product(seller, { sellerCode: 'MALF2', status: ProductStatus.DRAFT });
  const { integration } = await f.integration({ seller });
  const created = await t.raw({ query: 'mutation { createCart { token } }' });
  const cartToken = (created.data as { createCart: { token: string } }).createCart.token;
  const rule = await t.raw({ query: `mutation { createCommissionRule(input: { categoryId: "${category.id}", rateBps: 700 }) { commissionRule { id } } }` }, owner);
  const ruleId = (rule.data as { createCommissionRule: { commissionRule: { id: string } } }).createCommissionRule.commissionRule.id;
  const ticket = await t.raw(
    { query: `mutation { openTicket(input: { kind: CUSTOMER, reason: OTHER, subject: "Malformed", message: "ids", requesterName: "Malformed", requesterEmail: "malformed@test.example" }) { ticket { id } } }` },
    owner,
  );
  const ticketId = (ticket.data as { openTicket: { ticket: { id: string } } }).openTicket.ticket.id;
  const campaignInput = { kind: 'PRICE', name: 'Malformed ids', discountType: 'PERCENTAGE', minDiscount: 500, maxDiscount: 1000, startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString() };
  const campaign = await t.raw({ query: 'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { message } } }', variables: { input: campaignInput } }, owner);
  const campaignId = (campaign.data as { createCampaign: { campaign: { id: string } } }).createCampaign.campaign.id;
  const newProduct = { sellerCode: 'MALNEW', name: 'Malformed', skus: [{ sellerCode: 'MALNEW_1', price: 1000 }] };
  BASE = {
    createCategory: { input: { name: 'Malformed child' } },
    updateCategory: { id: category.id },
    createCommissionRule: { input: { rateBps: 500 } },
    updateCommissionRule: { id: ruleId },
    createProduct: { input: newProduct },
    updateProduct: { id: product.id, input: {} },
    bulkUpdateProducts: { input: { productIds: [draft.id], setStatus: 'DRAFT' } },
    createSellerUser: { input: { email: 'malformed-ids@test.example', name: 'Malformed', role: 'OWNER' } },
    setCatalogIntegration: { sellerId: seller.id, integrationId: integration.id },
    updateIntegrationPermissions: { input: { id: integration.id, canWriteAttributes: false } },
    updateSellerBankData: {
      input: { bankCode: '001', branch: '1234', account: '123456-7', accountType: 'CHECKING', holderName: 'Malformed Ltda', holderDocument: seller.document },
    },
    importProducts: { input: { format: 'CSV', data: 'product_code,sku_code,price\nMALIMP,MALIMP_1,1000\n' } },
    upsertProducts: { input: { products: [{ sellerCode: 'MALUPS', name: 'Malformed', skus: [{ sellerCode: 'MALUPS_1', price: 1000 }] }] } },
    addProductReview: { input: { rating: 5, body: 'Good.' } },
    askProductQuestion: { input: { question: 'Does it fit?' } },
    answerProductQuestion: { input: { answer: 'Yes.' } },
    updateCartLine: { cartToken, quantity: 1 },
    removeCartLine: { cartToken },
    // The statement is always one seller's: only the orderId is under test there.
    sellerLedger: { sellerId: seller.id },
    createSellerAdjustment: { input: { amount: 100, reason: 'Malformed ids', idempotencyKey: 'malformed-ids-adjustment' } },
    failPayout: { input: { reason: 'Malformed ids' } },
    confirmPayout: { input: { endToEndId: 'E12345678' } },
    openTicket: { input: { kind: 'CUSTOMER', reason: 'OTHER', subject: 'Malformed', message: 'ids', requesterName: 'Malformed', requesterEmail: 'malformed@test.example' } },
    addTicketMessage: { input: { ticketId, body: 'Malformed ids' } },
    createCampaign: { input: campaignInput },
    updateCampaign: { id: campaignId, input: {} },
    // A public address literal: the SSRF guard needs no DNS for it.
    createWebhookSubscription: { input: { url: 'https://93.184.215.14/hook', eventTypes: ['order.created'] } },
  };
}, 120_000);
afterAll(async () => t?.stop());

/** Who asks: operator OWNER, except where only another kind of caller may call at all. */
const CALLER: Record<string, () => string> = {
  addProductReview: () => customer,
  askProductQuestion: () => customer,
};

describe('a malformed id means the same as an id that exists nowhere', () => {
  const all = cases();

  it('finds the ID arguments of the schema', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it.each(all.map((c) => [`${c.kind} ${c.field.name}(${c.target.join('.')}: "${c.id}")`, c] as const))('%s', async (_name, c) => {
    badId = c.id;
    const vars = variablesFor(c.field.args, c.target, BASE[c.field.name] ?? {});
    const res = await t.raw({ query: documentFor(c.kind, c.field, vars), variables: vars }, (CALLER[c.field.name] ?? (() => owner))());
    const errorCodes = (res.errors ?? []).map((e) => e.extensions?.code);
    // The request and the answer, printed when an expectation fails.
    const seen = JSON.stringify({ variables: vars, errors: res.errors, data: res.data });
    expect(errorCodes, seen).not.toContain('INTERNAL_SERVER_ERROR');
    expect(errorCodes, seen).not.toContain('BAD_USER_INPUT');
    expect(errorCodes, seen).not.toContain('GRAPHQL_VALIDATION_FAILED');
    const data = (res.data ?? {}) as Record<string, { userErrors?: { code: string; field: string[] | null }[]; errors?: { code: string; productId: string }[] } | null>;

    if (c.kind === 'mutation') {
      expect(res.errors ?? [], seen).toEqual([]);
      const payload = data[c.field.name]!;
      const userErrors = payload.userErrors ?? [];
      expect(userErrors.map((e) => e.code), seen).not.toContain('BAD_USER_INPUT');
      // A bulk change over a list of ids reports the unknown ones item by item (`errors`), the others are changed.
      const itemNotFound = (payload.errors ?? []).some((e) => e.code === 'NOT_FOUND' && e.productId === c.id);
      expect(itemNotFound || userErrors.some((e) => e.code === 'NOT_FOUND' && onPath(e.field ?? [], c.target)), seen).toBe(true);
    } else if (isNullableSingle(c.field.type)) {
      expect(res.errors ?? [], seen).toEqual([]);
      expect(data[c.field.name], seen).toBeNull();
    } else {
      expect(errorCodes, seen).toEqual(['NOT_FOUND']);
      expect(names(res.errors![0]!.extensions!.field), seen).toEqual(c.target);
    }
  });
});
