import { readFileSync } from 'node:fs';
import { dateIn } from '../src/shared/time/index.js';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLOutputType } from 'graphql';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/app.js';
import { World, accessKey, address, cardPart, uniq, PASSWORD, type SellerFx, type SellerKey } from './helpers/authz-world.js';
import { COLUMNS, KNOWN_DISAGREEMENTS, MATRIX, expectations, type Column } from './authorization-matrix.js';
import { UserRole } from '../src/shared/access/index.js';
import { Order } from '../src/modules/orders/index.js';
import { SellerStatus } from '../src/modules/sellers/sellers.entity.js';

/*
 * Issue 12 item 7: the authorization matrix (test/authorization-matrix.ts, written by hand from
 * design.md) checked against the running API. Every root Query and Mutation field is called
 * over HTTP by 19 kinds of caller — anonymous, two customers, operator staff of each role,
 * guest seller A's users of each role on A's objects and on seller B's, and the ERP
 * integrations — with arguments valid enough to pass validation and real ids, and each answer
 * is sorted into allowed or denied and compared with the table. A field of the schema with no
 * entry in the table (or an entry for a field that is gone) fails the coverage tests.
 *
 * A cell expected to be allowed gets objects of its own when the call changes them (an order to
 * cancel, a return to refund, a payout to confirm); cells expected to be refused share one per
 * seller, so one cell's change never decides another's answer. An allowed answer has no
 * userErrors at all: anything else — BAD_USER_INPUT, CONFLICT, INTERNAL_SERVER_ERROR, a
 * validation error — means the probe is wrong, and fails the cell as such ("broken"). Lists
 * also must not hold another seller's or customer's rows (`leak`), and a seller user or
 * integration naming another seller's id must be answered FORBIDDEN (design.md), not NOT_FOUND.
 */

const schema = buildSchema(readFileSync(path.join(import.meta.dirname, '..', 'schema', 'schema.graphql'), 'utf8'));
const rootFields = () =>
  (['Query', 'Mutation'] as const).flatMap((root) => Object.keys((root === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()).map((f) => `${root}.${f}`));

/** What a cell is held to: the table's letter, or the API's current answer where a disagreement is written down. */
function expectedOf(name: string): (col: Column) => 'A' | 'D' {
  const table = expectations(MATRIX[name]!);
  const known = KNOWN_DISAGREEMENTS[name];
  return (col) => (known?.cells.includes(col) ? known.api : table[col]);
}

// ---------------------------------------------------------------------------------------- cells

type Who = 'anon' | 'customer' | 'operator' | 'seller' | 'integration';

/** One caller of one field: who calls, on whose objects, and what the table expects. */
interface Cell {
  col: Column;
  field: string;
  expected: 'A' | 'D';
  who: Who;
  role?: UserRole;
  token: string | undefined;
  /** Whose objects the call names. */
  key: SellerKey;
  s: SellerFx;
  /** The `sellerId`-like argument: the target seller for staff, sellers and integrations; shoppers name none. */
  sid: string | undefined;
  /** A SKU's code as this caller writes it: raw for integrations (design.md), displayed for everybody else. */
  code(sku: { code: string; raw: string }): string;
  /**
   * An object for this cell: its own when the table expects the call to succeed, else one
   * shared by the refused cells on that seller — of this field, or of every field that names
   * `share` (an order in one status, say: a refused call leaves it as it was).
   */
  obj<T>(make: () => Promise<T>, share?: string): Promise<T>;
}

const COLUMN_CALLER: Record<Column, { who: Who; role?: UserRole; key: SellerKey }> = {
  an: { who: 'anon', key: 'A' },
  cu: { who: 'customer', key: 'A' },
  cX: { who: 'customer', key: 'A' },
  oOW: { who: 'operator', role: UserRole.OWNER, key: 'A' },
  oAD: { who: 'operator', role: UserRole.ADMIN, key: 'A' },
  oAG: { who: 'operator', role: UserRole.AGENT, key: 'A' },
  oSU: { who: 'operator', role: UserRole.SUPPORT, key: 'A' },
  sOW: { who: 'seller', role: UserRole.OWNER, key: 'A' },
  sFI: { who: 'seller', role: UserRole.FINANCE, key: 'A' },
  sCA: { who: 'seller', role: UserRole.CATALOG, key: 'A' },
  sSE: { who: 'seller', role: UserRole.SERVICE, key: 'A' },
  xOW: { who: 'seller', role: UserRole.OWNER, key: 'B' },
  xFI: { who: 'seller', role: UserRole.FINANCE, key: 'B' },
  xCA: { who: 'seller', role: UserRole.CATALOG, key: 'B' },
  xSE: { who: 'seller', role: UserRole.SERVICE, key: 'B' },
  iAD: { who: 'integration', key: 'A' },
  iNO: { who: 'integration', key: 'ADMIN' },
  iOW: { who: 'integration', key: 'A' },
  iOX: { who: 'integration', key: 'B' },
};

// ---------------------------------------------------------------------------------------- probes

type Vars = Record<string, unknown>;

interface Probe {
  vars: (c: Cell) => Vars | Promise<Vars>;
  /** Another token for the cell (logout ends the session it is sent with). */
  token?: (c: Cell) => Promise<string | undefined>;
  /** Codes or ids an allowed answer must not contain (another seller's or customer's rows). */
  leak?: (c: Cell) => Promise<string[]>;
  /** The admin seller has no such object: the unlinked integration (iNO) names A's instead. */
  adminHasNone?: boolean;
}

let t: TestApp;
let w: World;
const now = () => new Date().toISOString();
// The store's date (its time zone), as the API reads a calendar date.
const today = () => dateIn(new Date());
const key = () => `authz-${randomUUID()}`;
const campaignInput = () => ({
  kind: 'PRICE',
  name: `Campaign ${uniq()}`,
  discountType: 'PERCENTAGE',
  minDiscount: 500,
  maxDiscount: 1000,
  startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
});
const shippingRows = [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000, priceCents: 1_500, days: 9 }];

/** The token that created `key`'s objects owned by a seller (subscriptions): A's owner, B's owner, the unlinked integration. */
const creatorOf = (k: SellerKey) => (k === 'A' ? w.tok.a.OWNER : k === 'B' ? w.tok.bOwner : w.tok.intNone);

/** The cart a cell holds: an anonymous one for the anonymous caller and for those who hold no carts, customer C1's for customers and staff. */
function cartHolder(c: Cell): string | undefined {
  return c.who === 'customer' || c.who === 'operator' ? w.tok.c1 : undefined;
}
const cartFor = (c: Cell, opts: { sku?: boolean; ready?: boolean } = {}) =>
  c.obj(() => w.cart({ token: cartHolder(c), sku: opts.sku ? c.s.sku.code : undefined, ready: opts.ready }));

/** An OPEN campaign (joinable until it starts next week). */
const openCampaign = async () => {
  const created = await w.gql<{ createCampaign: { campaign: { id: string } } }>(
    'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { code message } } }',
    { input: campaignInput() },
    w.tok.op.OWNER,
  );
  const id = created.createCampaign.campaign.id;
  await w.gql('mutation($id: ID!) { openCampaign(id: $id) { userErrors { code message } } }', { id }, w.tok.op.OWNER);
  return id;
};
const joinAs = (campaignId: string, k: SellerKey) =>
  w.gql('mutation($input: JoinCampaignInput!) { joinCampaign(input: $input) { userErrors { code message } } }', { input: { campaignId, skuCodes: [w.sellers[k].sku.code], discount: 500, seller: w.sellers[k].id } }, w.tok.op.OWNER);

const question = (c: Cell) =>
  c.obj(async () => {
    const res = await w.gql<{ askProductQuestion: { question: { id: string } } }>(
      'mutation($input: AskProductQuestionInput!) { askProductQuestion(input: $input) { question { id } userErrors { code message } } }',
      { input: { productId: c.s.product.id, question: `Does it fit? ${uniq()}` } },
      w.tok.c1,
    );
    return res.askProductQuestion.question.id;
  });

const review = (c: Cell) =>
  c.obj(async () => {
    const product = await w.product(c.key);
    const res = await w.gql<{ addProductReview: { review: { id: string } } }>(
      'mutation($input: AddProductReviewInput!) { addProductReview(input: $input) { review { id } userErrors { code message } } }',
      { input: { productId: product.id, rating: 4, body: 'Fits well.' } },
      w.tok.c1,
    );
    return res.addProductReview.review.id;
  });

async function freshCommissionRule(): Promise<string> {
  const category = await w.attribute('Category');
  const res = await w.gql<{ createCommissionRule: { commissionRule: { id: string } } }>(
    'mutation($input: CommissionRuleInput!) { createCommissionRule(input: $input) { commissionRule { id } userErrors { code message } } }',
    { input: { categoryId: category, rateBps: 1200 } },
    w.tok.op.OWNER,
  );
  return res.createCommissionRule.commissionRule.id;
}

async function shippingTable(): Promise<string> {
  const res = await w.gql<{ createShippingTable: { shippingTable: { id: string } } }>(
    'mutation($input: CreateShippingTableInput!) { createShippingTable(input: $input) { shippingTable { id } userErrors { code message } } }',
    { input: { name: `Table ${uniq()}`, carrier: 'Jadlog', method: `M${uniq()}`, active: false, rows: shippingRows } },
    w.tok.op.OWNER,
  );
  return res.createShippingTable.shippingTable.id;
}

async function freightRule(): Promise<string> {
  const res = await w.gql<{ createFreightRule: { freightRule: { id: string } } }>(
    'mutation($input: CreateFreightRuleInput!) { createFreightRule(input: $input) { freightRule { id } userErrors { code message } } }',
    { input: { kind: 'CUSTOM_FREIGHT', name: `Rule ${uniq()}`, active: false, priceCents: 990, carrier: 'Motoboy', method: 'Express', days: 1, postalCodeRanges: [{ from: '01000000', to: '01999999' }] } },
    w.tok.op.OWNER,
  );
  return res.createFreightRule.freightRule.id;
}

async function promotion(): Promise<string> {
  const res = await w.gql<{ createPromotion: { promotion: { id: string } } }>(
    'mutation($input: CreatePromotionInput!) { createPromotion(input: $input) { promotion { id } userErrors { code message } } }',
    { input: { kind: 'FIXED', value: 100, name: `Promo ${uniq()}`, code: `P${uniq()}`, active: false } },
    w.tok.op.OWNER,
  );
  return res.createPromotion.promotion.id;
}

async function faqArticle(): Promise<string> {
  const res = await w.gql<{ createFaqArticle: { article: { id: string } } }>(
    'mutation($input: FaqArticleInput!) { createFaqArticle(input: $input) { article { id } userErrors { code message } } }',
    { input: { topic: 'Pedidos', title: `Como faturar ${uniq()}`, body: 'Envie a nota fiscal.', status: 'PUBLISHED' } },
    w.tok.op.OWNER,
  );
  return res.createFaqArticle.article.id;
}

async function draftCampaign(): Promise<string> {
  const res = await w.gql<{ createCampaign: { campaign: { id: string } } }>(
    'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { code message } } }',
    { input: campaignInput() },
    w.tok.op.OWNER,
  );
  return res.createCampaign.campaign.id;
}

async function chargeback(cartNumber: string): Promise<void> {
  await w.gql(
    'mutation($input: RecordChargebackInput!) { recordChargeback(input: $input) { userErrors { code message } } }',
    { input: { cartNumber, partIndex: 0, amount: 100, idempotencyKey: key(), reason: 'Disputed' } },
    w.tok.op.OWNER,
  );
}

/** A payout to confirm, fail or refresh: a throwaway seller's for an allowed cell, the target seller's (shared) otherwise. */
let payoutPool: string[] = [];
let payoutOf: Record<'A' | 'B', string>;
const payoutFor = (c: Cell) => (c.expected === 'A' ? Promise.resolve(payoutPool.pop()!) : Promise.resolve(payoutOf[c.key === 'B' ? 'B' : 'A']));

const ticketFor = (c: Cell) => c.obj(() => w.ticket(c.key), 'ticket');
const orderIn = (c: Cell, status: 'APPROVED' | 'INVOICED' | 'SHIPPED' | 'DELIVERED' = 'APPROVED') => c.obj(() => w.order(c.key, { status }), `order:${status}`);
/** An order shared by every cell of a field on one seller, with units enough for each allowed cell to take one. */
const manyUnits = (c: Cell) => w.shared(`${c.field}:units:${c.key}`, () => w.order(c.key, { quantity: 200 }));
const returnFor = (c: Cell, status: 'REQUESTED' | 'APPROVED' | 'RECEIVED') => c.obj(() => w.returnIn(c.key, status), `return:${status}`);
const subscriptionFor = (c: Cell, opts: { paused?: boolean } = {}) => c.obj(() => w.subscription(creatorOf(c.key), opts), `subscription:${opts.paused ?? false}`);

async function invoiceInput(c: Cell) {
  const order = await orderIn(c);
  const row = await w.em().findOneOrFail(Order, { id: order.id });
  const number = String(Math.floor(Math.random() * 900_000_000) + 1);
  const issuedAt = new Date();
  return { orderCode: order.code, number, series: 1, issuedAt: issuedAt.toISOString(), amount: row.totalCents, accessKey: accessKey(c.s.seller.document!.padStart(14, '0'), number, issuedAt) };
}

const attributeProbes = (kind: 'Brand' | 'Category' | 'Color' | 'Size' | 'Tag'): Record<string, Probe> => ({
  [`Mutation.create${kind}`]: { vars: () => ({ input: { name: `${kind} ${uniq()}` } }) },
  [`Mutation.update${kind}`]: { vars: async () => ({ id: await w.shared(`attr:${kind}`, () => w.attribute(kind)), input: { name: `${kind} ${uniq()}` } }) },
  [`Mutation.delete${kind}`]: { vars: async (c) => ({ id: await c.obj(() => w.attribute(kind)) }) },
});

const PROBES: Record<string, Probe> = {
  // ---------------------------------------------------------------- Query
  'Query.attentionItems': { vars: () => ({}) },
  'Query.auditLog': { vars: (c) => ({ filter: { sellerId: c.sid } }) },
  'Query.brands': { vars: () => ({}) },
  'Query.campaign': { vars: async () => ({ id: await w.shared('campaign:open', openCampaign) }) },
  'Query.campaignProducts': { vars: async () => ({ campaignId: await w.shared('campaign:open', openCampaign) }) },
  'Query.campaignResults': { vars: async (c) => ({ campaignId: await w.shared('campaign:open', openCampaign), seller: c.sid }) },
  'Query.campaigns': { vars: () => ({}) },
  'Query.cart': { vars: async (c) => ({ token: (await w.shared(`cart:${cartHolder(c) ? 'c1' : 'anon'}`, () => w.cart({ token: cartHolder(c), sku: c.s.sku.code }))).token }) },
  'Query.catalogChanges': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.categories': { vars: () => ({}) },
  'Query.category': { vars: async () => ({ id: await w.shared('attr:Category', () => w.attribute('Category')) }) },
  'Query.chargebacks': { vars: () => ({}) },
  'Query.colors': { vars: () => ({}) },
  'Query.commissionRules': { vars: () => ({}) },
  'Query.contingencyShippingTable': { vars: () => ({}) },
  'Query.faqArticles': { vars: () => ({}) },
  'Query.fraudAnalysis': { vars: async (c) => ({ cartNumber: (await w.shared(`order:${c.key}`, () => w.order(c.key))).cartNumber }) },
  'Query.freightRule': { vars: async () => ({ id: await w.shared('freight-rule', freightRule) }) },
  'Query.freightRules': { vars: () => ({}) },
  'Query.integrations': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.ledgerEntries': { vars: () => ({}) },
  'Query.marketplaceSettings': { vars: () => ({}) },
  'Query.myCarts': { vars: () => ({}) },
  'Query.myCommissionRates': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.order': { vars: async (c) => ({ code: (await w.shared(`order:${c.key}`, () => w.order(c.key))).code }) },
  'Query.orderByLink': { vars: async (c) => ({ token: w.linkToken((await w.shared(`order:${c.key}`, () => w.order(c.key))).id) }) },
  'Query.orderChanges': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.orders': {
    vars: (c) => ({ sellerId: c.sid, first: 100 }),
    // A seller's or integration's list holds none of another seller's orders; a customer's none of another buyer's.
    leak: async (c) =>
      c.who === 'customer'
        ? [(await w.shared('order:anon:A', () => w.order('A', { anonymous: true }))).code, ...(c.col === 'cX' ? [(await w.shared('order:A', () => w.order('A'))).code] : [])]
        : c.who === 'seller' || c.who === 'integration'
          ? [(await w.shared(`order:${c.key === 'B' ? 'A' : 'B'}`, () => w.order(c.key === 'B' ? 'A' : 'B'))).code]
          : [],
  },
  'Query.ordersOfCart': {
    vars: async (c) => ({ cartToken: (cartHolder(c) ? await w.shared('order:A', () => w.order('A')) : await w.shared('order:anon:A', () => w.order('A', { anonymous: true }))).cartToken }),
  },
  'Query.paymentTransaction': { vars: async (c) => ({ cartNumber: (await w.shared(`order:${c.key}`, () => w.order(c.key))).cartNumber }) },
  'Query.payout': { adminHasNone: true, vars: (c) => ({ id: payoutOf[c.key === 'B' ? 'B' : 'A'] }) },
  'Query.payoutCalendar': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.payoutSettings': { vars: () => ({}) },
  'Query.payouts': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.pixProviders': { vars: () => ({}) },
  'Query.product': { vars: (c) => ({ id: c.s.product.id }) },
  'Query.products': { vars: () => ({}) },
  'Query.productsForHub': { vars: () => ({}) },
  'Query.promotion': { vars: async () => ({ id: await w.shared('promotion', promotion) }) },
  'Query.promotions': { vars: () => ({}) },
  'Query.receivables': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.return': { vars: async (c) => ({ code: await w.shared(`return:${c.key}`, () => w.returnIn(c.key, 'REQUESTED')) }) },
  'Query.returns': {
    vars: (c) => ({ sellerId: c.sid, first: 100 }),
    leak: async (c) =>
      c.who === 'seller' || c.who === 'integration'
        ? [await w.shared(`return:${c.key === 'B' ? 'A' : 'B'}`, () => w.returnIn(c.key === 'B' ? 'A' : 'B', 'REQUESTED'))]
        : c.col === 'cX'
          ? [await w.shared('return:A', () => w.returnIn('A', 'REQUESTED'))]
          : [],
  },
  'Query.seller': { vars: (c) => ({ id: c.s.id }) },
  'Query.sellerAdjustments': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.sellerBalance': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.sellerCampaigns': { vars: (c) => ({ seller: c.sid }) },
  'Query.sellerDashboard': { vars: (c) => ({ sellerId: c.sid, from: today(), to: today() }) },
  'Query.sellerLedger': { vars: (c) => ({ sellerId: c.sid }) },
  'Query.sellerStatement': { vars: (c) => ({ sellerId: c.sid, from: today(), to: today() }) },
  'Query.sellers': { vars: () => ({}) },
  'Query.serviceCalendar': { vars: () => ({}) },
  'Query.shippingQuotePreview': { vars: () => ({ input: { destinationPostalCode: '01310100', weightGrams: 500 } }) },
  'Query.shippingSettings': { vars: () => ({}) },
  'Query.shippingTable': { vars: async () => ({ id: await w.shared('shipping-table', shippingTable) }) },
  'Query.shippingTables': { vars: () => ({}) },
  'Query.sizes': { vars: () => ({}) },
  'Query.tags': { vars: () => ({}) },
  'Query.ticket': { vars: async (c) => ({ id: await w.shared(`ticket:${c.key}`, () => w.ticket(c.key)) }) },
  'Query.tickets': {
    vars: (c) => ({ filter: { kind: 'CUSTOMER', sellerId: c.sid }, first: 100 }),
    leak: async (c) =>
      c.who === 'seller'
        ? [await w.shared(`ticket:${c.key === 'B' ? 'A' : 'B'}`, () => w.ticket(c.key === 'B' ? 'A' : 'B'))]
        : c.col === 'cX'
          ? [await w.shared('ticket:A', () => w.ticket('A'))]
          : [],
  },
  'Query.viewer': { vars: () => ({}) },
  'Query.webhookDeliveries': { vars: async (c) => ({ subscriptionId: await w.shared(`subscription:${c.key}`, () => w.subscription(creatorOf(c.key))) }) },
  'Query.webhookEventTypes': { vars: () => ({}) },
  'Query.webhookSubscriptions': { vars: (c) => ({ sellerId: c.sid }) },

  // ---------------------------------------------------------------- Mutation
  'Mutation.addCartLine': { vars: async (c) => ({ cartToken: (await cartFor(c)).token, skuCode: c.s.sku.code, quantity: 1 }) },
  'Mutation.addProductReview': { vars: async (c) => ({ input: { productId: (await c.obj(() => w.product(c.key))).id, rating: 5, body: 'Good.' } }) },
  'Mutation.addTicketMessage': { vars: async (c) => ({ input: { ticketId: await w.shared(`ticket:${c.key}`, () => w.ticket(c.key)), body: `Any news? ${uniq()}` } }) },
  'Mutation.addTrackingEvent': {
    vars: async (c) => ({
      input: { orderCode: (await w.shared(`${c.field}:${c.key}`, () => w.order(c.key, { status: 'SHIPPED' }))).code, status: 'IN_TRANSIT', occurredAt: now(), eventId: `ev-${uniq()}`, description: 'Em trânsito' },
    }),
  },
  'Mutation.answerProductQuestion': { vars: async (c) => ({ input: { questionId: await question(c), answer: 'Yes, it does.' } }) },
  'Mutation.applyVoucher': { vars: async (c) => ({ cartToken: (await cartFor(c, { sku: true })).token, code: await w.shared('voucher', voucher) }) },
  'Mutation.approveProduct': { vars: async (c) => ({ id: await c.obj(() => w.pendingProduct(c.key)) }) },
  'Mutation.approveReturn': { vars: async (c) => ({ input: { returnCode: await returnFor(c, 'REQUESTED') } }) },
  'Mutation.approveSeller': { vars: async (c) => ({ id: (await c.obj(() => w.throwawaySeller(SellerStatus.PENDING))).id }) },
  'Mutation.archiveProduct': { vars: async (c) => ({ id: (await c.obj(() => w.product(c.key))).id }) },
  'Mutation.askProductQuestion': { vars: (c) => ({ input: { productId: c.s.product.id, question: 'Does it shrink?' } }) },
  'Mutation.bulkUpdateProducts': { vars: async (c) => ({ input: { productIds: [(await c.obj(() => w.product(c.key))).id], setStatus: 'PUBLISHED' } }) },
  'Mutation.cancelOrder': { vars: async (c) => ({ input: { orderCode: (await orderIn(c)).code, idempotencyKey: key() } }) },
  'Mutation.cancelOrderLines': { vars: async (c) => ({ input: { orderCode: (await manyUnits(c)).code, idempotencyKey: key(), lines: [{ position: 1, quantity: 1 }] } }) },
  'Mutation.checkout': {
    vars: async (c) => ({ input: { cartToken: (await cartFor(c, { sku: true, ready: true })).token, idempotencyKey: key(), payment: { parts: [cardPart] } } }),
  },
  'Mutation.closeTicket': { vars: async (c) => ({ ticketId: await ticketFor(c) }) },
  'Mutation.confirmBankDeposit': {
    vars: async (c) => ({ input: { cartNumber: (await c.obj(() => w.order(c.key, { parts: [{ method: 'BANK_DEPOSIT' }] }))).cartNumber, idempotencyKey: key() } }),
  },
  'Mutation.confirmPayout': { vars: async (c) => ({ input: { payoutId: await payoutFor(c), endToEndId: `E${uniq()}` } }) },
  ...attributeProbes('Brand'),
  ...attributeProbes('Category'),
  ...attributeProbes('Color'),
  ...attributeProbes('Size'),
  ...attributeProbes('Tag'),
  'Mutation.createCampaign': { vars: () => ({ input: campaignInput() }) },
  'Mutation.createCart': { vars: () => ({}) },
  'Mutation.createCommissionRule': { vars: async (c) => ({ input: { categoryId: await c.obj(() => w.attribute('Category')), rateBps: 700 } }) },
  'Mutation.createFaqArticle': { vars: () => ({ input: { topic: 'Pedidos', title: `Como devolver ${uniq()}`, body: 'Abra uma devolução.' } }) },
  'Mutation.createFreightRule': { vars: () => ({ input: { kind: 'CUSTOM_FREIGHT', name: `Rule ${uniq()}`, active: false, priceCents: 990, carrier: 'Motoboy', method: 'Express', days: 1, postalCodeRanges: [{ from: '01000000', to: '01999999' }] } }) },
  'Mutation.createGiftCard': { vars: () => ({ input: { amount: 1_000 } }) },
  'Mutation.createIntegration': { vars: (c) => ({ input: { name: `ERP ${uniq()}`, sellerId: c.sid } }) },
  'Mutation.createProduct': {
    vars: (c) => {
      const code = `C${uniq()}`;
      return { input: { sellerId: c.sid, sellerCode: code, name: 'New product', skus: [{ sellerCode: `${code}_1`, price: 1_000, stock: 1 }] } };
    },
  },
  'Mutation.createPromotion': { vars: () => ({ input: { kind: 'FIXED', value: 100, name: `Promo ${uniq()}`, code: `P${uniq()}`, active: false } }) },
  'Mutation.createSeller': { vars: () => ({ input: { name: `New seller ${uniq()}`, concatenationCode: `N${uniq().slice(0, 6)}`, document: w.newCnpj() } }) },
  'Mutation.createSellerAdjustment': { vars: (c) => ({ input: { sellerId: c.sid ?? c.s.id, amount: 100, reason: 'Goodwill', idempotencyKey: key() } }) },
  'Mutation.createSellerUser': { vars: (c) => ({ input: { sellerId: c.sid ?? c.s.id, email: `n${uniq().toLowerCase()}@test.example`, name: 'New user', role: 'CATALOG' } }) },
  'Mutation.createShippingTable': { vars: () => ({ input: { name: `Table ${uniq()}`, carrier: 'Jadlog', method: `M${uniq()}`, active: false, rows: shippingRows } }) },
  'Mutation.createWebhookSubscription': {
    vars: (c) => ({ input: { url: 'https://93.184.215.14/hook', eventTypes: ['order.created'], contactEmail: 'ops@test.example', sellerId: c.sid } }),
  },
  'Mutation.decideFraudAnalysis': {
    vars: async (c) => ({ input: { cartNumber: (await c.obj(() => w.order(c.key, { pricey: true, anonymous: true }))).cartNumber, outcome: 'APPROVED', note: 'Checked.' } }),
  },
  'Mutation.deleteCommissionRule': { vars: async (c) => ({ id: await c.obj(freshCommissionRule) }) },
  'Mutation.deleteFreightRule': { vars: async (c) => ({ id: await c.obj(freightRule) }) },
  'Mutation.deleteProductReview': { vars: async (c) => ({ id: await review(c) }) },
  'Mutation.deleteShippingTable': { vars: async (c) => ({ id: await c.obj(shippingTable) }) },
  'Mutation.deleteWebhookSubscription': { vars: async (c) => ({ id: await subscriptionFor(c) }) },
  'Mutation.editOrder': { vars: async (c) => ({ input: { orderCode: (await manyUnits(c)).code, idempotencyKey: key(), remove: [{ position: 1, quantity: 1 }] } }) },
  'Mutation.exchangeReturn': { vars: async (c) => ({ input: { returnCode: await returnFor(c, 'RECEIVED'), idempotencyKey: key(), lines: [{ skuCode: c.code(c.s.sku), quantity: 1 }] } }) },
  'Mutation.failPayout': { vars: async (c) => ({ input: { payoutId: await payoutFor(c), reason: 'Conta encerrada' } }) },
  'Mutation.fulfilOrders': { vars: async (c) => ({ input: { rows: [{ orderCode: (await orderIn(c, 'SHIPPED')).code, action: 'DELIVER' }] } }) },
  'Mutation.importFulfilment': { vars: async (c) => ({ input: { csv: `order_code,action\n${(await orderIn(c, 'SHIPPED')).code},DELIVER\n` } }) },
  'Mutation.importProducts': {
    vars: (c) => {
      const code = `I${uniq()}`;
      return { input: { format: 'CSV', data: `product_code,sku_code,price\n${code},${code}_1,1000\n`, sellerId: c.sid } };
    },
  },
  'Mutation.importShippingTableRows': {
    vars: async (c) => ({ tableId: await c.obj(shippingTable), csv: 'cep_from,cep_to,weight_from_g,weight_to_g,price,days\n97000-000,97099-999,1001,2000,"15,50",5\n', mode: 'APPEND' }),
  },
  'Mutation.invoiceOrder': { vars: async (c) => ({ input: await invoiceInput(c) }) },
  'Mutation.joinCampaign': {
    vars: async (c) => ({ input: { campaignId: await w.shared('campaign:open', openCampaign), skuCodes: [c.code(c.s.sku)], discount: 500, seller: c.sid } }),
  },
  'Mutation.leaveCampaign': {
    vars: async (c) => {
      const make = async () => {
        const id = await openCampaign();
        await joinAs(id, c.key === 'ADMIN' ? 'A' : c.key);
        return id;
      };
      return { campaignId: await c.obj(make), seller: c.sid };
    },
  },
  'Mutation.login': { vars: async () => ({ input: { email: await w.passwordUser(), password: PASSWORD } }) },
  'Mutation.logout': {
    vars: () => ({}),
    // Each allowed cell ends a session of its own, of a user like its caller.
    token: async (c) => (c.expected === 'A' && c.who !== 'anon' && c.who !== 'integration' ? w.sessionLike(c.who, c.role, w.sellers.A.seller) : c.token),
  },
  'Mutation.markDelivered': { vars: async (c) => ({ input: { orderCode: (await orderIn(c, 'SHIPPED')).code } }) },
  'Mutation.openCampaign': { vars: async (c) => ({ id: await c.obj(draftCampaign) }) },
  'Mutation.openReturn': {
    vars: async (c) => {
      const order = await w.shared(`${c.field}:delivered:${c.key}`, () => w.order(c.key, { status: 'DELIVERED', quantity: 100 }));
      const by = c.who === 'anon' ? { orderLinkToken: w.linkToken(order.id) } : { orderCode: order.code };
      return { input: { ...by, lines: [{ position: 1, quantity: 1 }], reason: 'REGRET' } };
    },
  },
  'Mutation.openTicket': {
    vars: async (c) => ({
      input: { kind: 'CUSTOMER', reason: 'DELIVERY', subject: 'Where is it?', message: 'It has not arrived.', orderCode: (await w.shared(`order:${c.key}`, () => w.order(c.key))).code },
    }),
  },
  'Mutation.receiveReturn': { vars: async (c) => ({ input: { returnCode: await returnFor(c, 'APPROVED'), lines: [{ position: 1, resellableQuantity: 1 }] } }) },
  'Mutation.recordChargeback': { vars: async (c) => ({ input: { cartNumber: (await orderIn(c)).cartNumber, partIndex: 0, amount: 100, idempotencyKey: key(), reason: 'Disputed' } }) },
  'Mutation.redeliverWebhook': {
    vars: async (c) => ({ deliveryId: await c.obj(async () => w.failedDelivery(await w.shared(`subscription:${c.key}`, () => w.subscription(creatorOf(c.key))))) }),
  },
  'Mutation.refreshPayout': { vars: async (c) => ({ input: { payoutId: await payoutFor(c) } }) },
  'Mutation.refundReturn': { vars: async (c) => ({ input: { returnCode: await returnFor(c, 'RECEIVED'), idempotencyKey: key() } }) },
  'Mutation.rejectProduct': { vars: async (c) => ({ id: await c.obj(() => w.pendingProduct(c.key)), reason: 'Photos missing.' }) },
  'Mutation.rejectReturn': { vars: async (c) => ({ input: { returnCode: await returnFor(c, 'REQUESTED'), reason: 'Used item.' } }) },
  'Mutation.removeCartLine': {
    vars: async (c) => {
      const cart = await cartFor(c, { sku: true });
      return { cartToken: cart.token, lineId: cart.lineId };
    },
  },
  'Mutation.removeVoucher': { vars: async (c) => ({ cartToken: (await cartFor(c, { sku: true })).token }) },
  'Mutation.requestPasswordReset': { vars: () => ({ email: `nobody-${uniq().toLowerCase()}@test.example` }) },
  'Mutation.resetPassword': { vars: async () => ({ input: { token: await w.resetToken(), password: 'another long passphrase' } }) },
  'Mutation.resumeWebhookSubscription': { vars: async (c) => ({ id: await subscriptionFor(c, { paused: true }) }) },
  'Mutation.reverseChargeback': {
    vars: async (c) => {
      const order = await c.obj(async () => {
        const o = await w.order(c.key);
        await chargeback(o.cartNumber);
        return o;
      });
      return { input: { cartNumber: order.cartNumber, partIndex: 0, idempotencyKey: key(), reason: 'Dispute won' } };
    },
  },
  'Mutation.revokeIntegration': { vars: async (c) => ({ id: (await c.obj(() => w.f.integration({ seller: c.key === 'ADMIN' ? null : c.s.seller }))).integration.id }) },
  'Mutation.runPayouts': { vars: () => ({ input: { periodEnd: '2020-01-31', idempotencyKey: key() } }) },
  'Mutation.selectShippingOption': { vars: async (c) => ({ cartToken: (await cartFor(c, { sku: true, ready: true })).token, carrier: 'Correios', method: 'PAC' }) },
  'Mutation.setBuyer': {
    vars: async (c) => ({ cartToken: (await cartFor(c)).token, input: { name: 'Maria da Silva', email: 'maria@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' } }),
  },
  'Mutation.setCatalogIntegration': { vars: (c) => ({ sellerId: c.sid ?? c.s.id, integrationId: null }) },
  'Mutation.setDefaultCommission': { vars: () => ({ rateBps: defaultCommissionBps }) },
  'Mutation.setPromotionActive': { vars: async () => ({ id: await w.shared('promotion', promotion), active: false }) },
  'Mutation.setReturnTracking': {
    vars: async (c) => ({ input: { returnCode: await w.shared(`${c.field}:${c.key}`, () => w.returnIn(c.key, 'APPROVED')), carrier: 'Correios', trackingCode: `QR${uniq()}BR` } }),
  },
  'Mutation.setSellerLogo': { vars: (c) => ({ sellerId: c.sid ?? c.s.id, fileId: null }) },
  'Mutation.setShippingAddress': { vars: async (c) => ({ cartToken: (await cartFor(c)).token, input: address }) },
  'Mutation.setStock': { vars: (c) => ({ skuCode: c.code(c.s.sku), quantity: 1_000_000 }) },
  'Mutation.shipOrder': { vars: async (c) => ({ input: { orderCode: (await orderIn(c, 'INVOICED')).code, carrier: 'Correios', trackingCode: `QB${uniq()}BR` } }) },
  'Mutation.signUp': { vars: () => ({ input: { email: `s${uniq().toLowerCase()}@test.example`, password: PASSWORD, name: 'Ana Souza' } }) },
  'Mutation.suspendSeller': { vars: async (c) => ({ id: (await c.obj(() => w.throwawaySeller())).id, reason: 'Late dispatches.' }) },
  'Mutation.updateCampaign': { vars: async () => ({ id: await w.shared('campaign:draft', draftCampaign), input: { name: `Campaign ${uniq()}` } }) },
  'Mutation.updateCartLine': {
    vars: async (c) => {
      const cart = await cartFor(c, { sku: true });
      return { cartToken: cart.token, lineId: cart.lineId, quantity: 2 };
    },
  },
  'Mutation.updateCommissionRule': { vars: async () => ({ id: await w.shared('commission-rule', freshCommissionRule), input: { rateBps: 1100 } }) },
  'Mutation.updateFaqArticle': { vars: async () => ({ id: await w.shared('faq', faqArticle), input: { title: `Como faturar ${uniq()}` } }) },
  'Mutation.updateFreightRule': { vars: async () => ({ id: await w.shared('freight-rule', freightRule), input: { name: `Rule ${uniq()}` } }) },
  'Mutation.updateIntegrationPermissions': {
    vars: async (c) => ({ input: { id: (await w.shared(`spare-integration:${c.key}`, () => w.f.integration({ seller: c.key === 'ADMIN' ? null : c.s.seller }))).integration.id, canWriteAttributes: false } }),
  },
  'Mutation.updateMarketplaceSettings': { vars: () => ({ input: { maxInstallments: 12 } }) },
  'Mutation.updatePayoutSettings': { vars: () => ({ input: { settlementDays: 14 } }) },
  'Mutation.updateProduct': { vars: (c) => ({ id: c.s.product.id, input: { name: `Product ${uniq()}` } }) },
  'Mutation.updatePromotion': { vars: async () => ({ id: await w.shared('promotion', promotion), input: { name: `Promo ${uniq()}` } }) },
  'Mutation.updateSeller': { vars: (c) => ({ id: c.s.id, input: { notes: 'Public notes.' } }) },
  'Mutation.updateSellerBankData': {
    vars: (c) => ({
      sellerId: c.s.id,
      input: { bankCode: '341', branch: '0001', account: '12345-6', accountType: 'CHECKING', holderName: c.s.seller.name, holderDocument: c.s.seller.document },
    }),
  },
  'Mutation.updateSellerUser': {
    vars: async (c) => ({ input: { userId: (await w.shared(`spare-user:${c.key}`, () => w.f.user({ seller: c.s.seller, role: c.key === 'ADMIN' ? UserRole.SUPPORT : UserRole.CATALOG }))).user.id, role: c.key === 'ADMIN' ? 'SUPPORT' : 'CATALOG' } }),
  },
  'Mutation.updateServiceCalendar': { vars: () => ({ input: { responseBusinessHours: 16 } }) },
  'Mutation.updateShippingSettings': { vars: () => ({ input: { carrierTimeoutMs: shippingTimeoutMs } }) },
  'Mutation.updateShippingTable': { vars: async () => ({ id: await w.shared('shipping-table', shippingTable), input: { name: `Table ${uniq()}` } }) },
  'Mutation.upsertProducts': {
    vars: (c) => {
      const code = `U${uniq()}`;
      return { input: { sellerId: c.sid, products: [{ sellerCode: code, name: 'Upserted', skus: [{ sellerCode: `${code}_1`, price: 1_000 }] }] } };
    },
  },
  'Mutation.verifyEmail': { vars: async () => ({ input: { token: await w.verifyToken() } }) },
};

let defaultCommissionBps = 1500;
let shippingTimeoutMs = 3000;

async function voucher(): Promise<string> {
  const code = `V${uniq()}`;
  await w.gql('mutation($input: CreatePromotionInput!) { createPromotion(input: $input) { userErrors { code message } } }', { input: { kind: 'FIXED', value: 100, name: 'Voucher', code } }, w.tok.op.OWNER);
  return code;
}

// ---------------------------------------------------------------------------------------- requests

const OBJECT_KEYS = ['id', 'code'];

/** What to read back: enough to tell allowed from refused (and ids/codes for the leak checks), no more. */
function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  if ('userErrors' in fields) {
    const rows = 'results' in fields && getNamedType(fields.results!.type).name === 'FulfilmentRowResult' ? ' results { ok errors { code message } }' : '';
    const bulk = 'errors' in fields && getNamedType(fields.errors!.type).name === 'BulkUpdateError' ? ' errors { code productId }' : '';
    return `{ __typename userErrors { code field message }${rows}${bulk} }`;
  }
  if (named.name.endsWith('Connection')) {
    const node = getNamedType((getNamedType(fields.edges!.type) as GraphQLObjectType).getFields().node!.type) as GraphQLObjectType;
    return `{ edges { node { __typename ${OBJECT_KEYS.filter((k) => k in node.getFields()).join(' ')} } } }`;
  }
  return `{ __typename ${OBJECT_KEYS.filter((k) => k in fields).join(' ')} }`;
}

function documentFor(name: string, vars: Vars): string {
  const [root, fieldName] = name.split('.') as ['Query' | 'Mutation', string];
  const field = (root === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[fieldName] as GraphQLField<unknown, unknown>;
  const used = field.args.filter((a) => vars[a.name] !== undefined);
  const params = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${root === 'Query' ? 'query' : 'mutation'} Authz${params ? `(${params})` : ''} { ${fieldName}${call ? `(${call})` : ''} ${selection(field.type)} }`;
}

const DENIED = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND']);
/** Answers that say the probe itself is wrong, not who may call. */
const BROKEN = new Set(['INTERNAL_SERVER_ERROR', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'BAD_USER_INPUT', 'RATE_LIMITED']);

interface Verdict {
  /** broken: the answer says nothing about access (a wrong probe, a crash, or a refusal of the wrong shape). */
  got: 'A' | 'D' | 'broken' | 'leak';
  why: string;
}

function judge(name: string, res: GraphQLResponse<unknown>, leaks: string[]): Verdict {
  const fieldName = name.split('.')[1]!;
  const errorCodes = (res.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE'));
  const brief = JSON.stringify({ status: res.status, errors: res.errors?.map((e) => [e.extensions?.code, e.message, e.path?.join('.')]), data: res.data }).slice(0, 600);
  if (res.status >= 500 || errorCodes.some((c) => BROKEN.has(c))) return { got: 'broken', why: brief };
  if (errorCodes.some((c) => DENIED.has(c))) return { got: 'D', why: errorCodes.join(',') };
  if (errorCodes.length) return { got: 'broken', why: brief };
  const value = (res.data as Record<string, unknown> | null | undefined)?.[fieldName];
  if (value === null || value === undefined) return { got: 'D', why: 'null' };
  const payload = value as { userErrors?: { code: string }[]; results?: { ok: boolean; errors: { code: string }[] }[] };
  const userCodes = (payload.userErrors ?? []).map((e) => e.code);
  if (userCodes.some((c) => DENIED.has(c))) return { got: 'D', why: `userErrors ${userCodes.join(',')}` };
  if (userCodes.length) return { got: 'broken', why: brief };
  // Bulk fulfilment answers per row: a row refused for the caller is the call refused.
  const rowCodes = (payload.results ?? []).flatMap((r) => r.errors.map((e) => e.code));
  if (rowCodes.some((c) => DENIED.has(c))) return { got: 'D', why: `rows ${rowCodes.join(',')}` };
  if (rowCodes.length) return { got: 'broken', why: brief };
  const text = JSON.stringify(value);
  const leaked = leaks.filter((l) => text.includes(l));
  if (leaked.length) return { got: 'leak', why: `the answer holds ${leaked.join(', ')}` };
  return { got: 'A', why: 'ok' };
}

function tokenOf(col: Column): string | undefined {
  const tk = w.tok;
  switch (col) {
    case 'an':
      return undefined;
    case 'cu':
      return tk.c1;
    case 'cX':
      return tk.c2;
    case 'oOW':
      return tk.op.OWNER;
    case 'oAD':
      return tk.op.ADMIN;
    case 'oAG':
      return tk.op.AGENT;
    case 'oSU':
      return tk.op.SUPPORT;
    case 'sOW':
    case 'xOW':
      return tk.a.OWNER;
    case 'sFI':
    case 'xFI':
      return tk.a.FINANCE;
    case 'sCA':
    case 'xCA':
      return tk.a.CATALOG;
    case 'sSE':
    case 'xSE':
      return tk.a.SERVICE;
    case 'iAD':
      return tk.intAdmin;
    case 'iNO':
      return tk.intNone;
    case 'iOW':
    case 'iOX':
      return tk.intA;
  }
}

async function runCell(name: string, col: Column, expected: 'A' | 'D'): Promise<Verdict & { col: Column; expected: 'A' | 'D' }> {
  const probe = PROBES[name]!;
  const caller = COLUMN_CALLER[col];
  const target: SellerKey = probe.adminHasNone && caller.key === 'ADMIN' ? 'A' : caller.key;
  const shopper = caller.who === 'anon' || caller.who === 'customer';
  const cell: Cell = {
    col,
    field: name,
    expected,
    who: caller.who,
    role: caller.role,
    token: tokenOf(col),
    key: target,
    s: w.sellers[target],
    sid: shopper ? undefined : w.sellers[target].id,
    code: (sku) => (caller.who === 'integration' ? sku.raw : sku.code),
    obj: (make, share) => (expected === 'A' ? make() : w.shared(`refused:${share ?? name}:${target}`, make)),
  };
  try {
    const vars = await probe.vars(cell);
    const token = probe.token ? await probe.token(cell) : cell.token;
    const leaks = probe.leak ? await probe.leak(cell) : [];
    const res = await t.raw({ query: documentFor(name, vars), variables: vars }, token);
    const verdict = judge(name, res, leaks);
    // design.md: a seller user or integration naming another seller's id is FORBIDDEN (not a silent NOT_FOUND or empty answer).
    const own: SellerKey = col === 'iAD' || col === 'iNO' ? 'ADMIN' : 'A';
    const namesOther = (caller.who === 'seller' || caller.who === 'integration') && target !== own && JSON.stringify(vars).includes(w.sellers[target].id);
    if (verdict.got === 'D' && namesOther && !verdict.why.split(',').every((code) => code === 'FORBIDDEN')) return { col, expected, got: 'broken', why: `named seller ${target}'s id and was answered ${verdict.why}, not FORBIDDEN` };
    return { col, expected, ...verdict };
  } catch (err) {
    return { col, expected, got: 'broken', why: `setup failed: ${(err as Error).message.slice(0, 600)}` };
  }
}

beforeAll(async () => {
  t = await startTestApp({ PAYOUT_JOB_POLL_MS: '3600000' });
  w = new World(t);
  await w.build();

  // Customer C1 is not a new account (the fraud rules weigh new accounts buying a lot).
  await w.em().execute('update app_user set created_at = ? where id = ?', [new Date(Date.now() - 90 * 86_400_000), w.c1.id]);
  const settings = await w.gql<{ marketplaceSettings: { defaultCommissionBps: number }; shippingSettings: { carrierTimeoutMs: number } }>(
    '{ marketplaceSettings { defaultCommissionBps } shippingSettings { carrierTimeoutMs } }',
    {},
    w.tok.op.OWNER,
  );
  defaultCommissionBps = settings.marketplaceSettings.defaultCommissionBps;
  shippingTimeoutMs = settings.shippingSettings.carrierTimeoutMs;
  await w.gql(
    'mutation($input: CreateShippingTableInput!) { createShippingTable(input: $input) { userErrors { code message } } }',
    { input: { name: 'Contingency', carrier: 'Reserva', method: 'Normal', contingency: true, rows: shippingRows } },
    w.tok.op.OWNER,
  );
  // Payouts: A's and B's (read, and refused moves), and one throwaway seller's per allowed confirm/fail/refresh cell.
  const allowedMoves = ['Mutation.confirmPayout', 'Mutation.failPayout', 'Mutation.refreshPayout'].reduce((n, f) => n + COLUMNS.filter((col) => expectedOf(f)(col) === 'A').length, 0);
  const throwaways = [];
  for (let i = 0; i < allowedMoves; i++) {
    const s = await w.throwawaySeller();
    await w.bankData(s.id);
    throwaways.push(s.id);
  }
  const paid = await w.processingPayouts([w.sellers.A.id, w.sellers.B.id, ...throwaways]);
  payoutOf = { A: paid.get(w.sellers.A.id)!, B: paid.get(w.sellers.B.id)! };
  payoutPool = throwaways.map((id) => paid.get(id)!);
}, 300_000);
afterAll(async () => t?.stop());

describe('the matrix covers the schema', () => {
  it('every known disagreement names a field of the table, cells where the table says otherwise', () => {
    const stale = Object.entries(KNOWN_DISAGREEMENTS).flatMap(([name, d]) =>
      !MATRIX[name] ? [name] : d.cells.filter((col) => expectations(MATRIX[name]!)[col] === d.api).map((col) => `${name} ${col}`),
    );
    expect(stale).toEqual([]);
  });

  it('every root Query and Mutation field has an entry', () => {
    expect(rootFields().filter((f) => !(f in MATRIX))).toEqual([]);
  });

  it('every entry names a root field that exists, and has a probe here', () => {
    expect(Object.keys(MATRIX).filter((f) => !rootFields().includes(f))).toEqual([]);
    expect(Object.keys(MATRIX).filter((f) => !(f in PROBES))).toEqual([]);
    expect(Object.keys(PROBES).filter((f) => !(f in MATRIX))).toEqual([]);
  });
});

// Fields run a few at a time: the app serves one field's cells while the database works on another's.
describe('the running API answers as the matrix says', { concurrent: true, timeout: 120_000 }, () => {
  it.each(Object.keys(MATRIX).filter((f) => rootFields().includes(f)))('%s', async (name) => {
    const table = expectations(MATRIX[name]!);
    const known = KNOWN_DISAGREEMENTS[name];
    const expected = expectedOf(name);
    const verdicts = await Promise.all(COLUMNS.map((col) => runCell(name, col, expected(col))));
    const wrong = verdicts
      .filter((v) => v.got !== v.expected)
      .map((v) =>
        known?.cells.includes(v.col) && v.got === table[v.col]
          ? `${v.col}: the API now answers ${v.got} as the table says: remove the cell from KNOWN_DISAGREEMENTS`
          : `${v.col}: expected ${v.expected}, got ${v.got} (${v.why})`,
      );
    expect(wrong, `${name}: ${MATRIX[name]!.why}`).toEqual([]);
  });
});
