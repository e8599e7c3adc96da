import 'reflect-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GraphQLObjectType,
  getNamedType,
  getNullableType,
  graphql,
  isLeafType,
  isListType,
  isObjectType,
  parse,
  extendSchema,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildBareSchema } from '../src/app/schema.js';
import { isStructural, permissions, ruleTree, type RuleTree } from '../src/app/permissions.js';

/**
 * Walks the schema the server serves and checks it against the shield rule tree, so that a
 * new type or field without an explicit rule, a sensitive scalar slipped into an open
 * "structural" type, or a list that is not a connection fails CI instead of shipping.
 * (fallbackRule: deny would refuse an unguarded field at run time; this says so at CI time.)
 */
let schema: GraphQLSchema;
let tree: RuleTree;

beforeAll(async () => {
  schema = await buildBareSchema();
  tree = ruleTree(schema);
});

const objectTypes = () =>
  Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));

/** Leaf fields of open (structural) types: pagination, error reporting and what a payload hands back by design. */
const PAGINATION_LEAVES = new Set(['cursor', 'totalCount', 'hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']);
const OPEN_LEAVES = new Set([
  'UserError.code',
  'UserError.message',
  'UserError.field',
  'AuthPayload.token',
  'AuthPayload.expiresAt',
  'OkPayload.ok',
  'CreateIntegrationPayload.token',
  // The webhook signing secret: returned once, to whoever created the subscription.
  'CreateWebhookSubscriptionPayload.secret',
  'DeleteAttributePayload.deletedId',
  'DeleteProductReviewPayload.deletedReviewId',
  'UpsertProductsPayload.created',
  'UpsertProductsPayload.updated',
  'UpsertProductsPayload.unchanged',
  'ImportProductsPayload.created',
  'ImportProductsPayload.updated',
  'ImportProductsPayload.unchanged',
  'ImportProductsPayload.failed',
  'ImportProductsPayload.failedProductCodes',
  'BulkUpdateProductsPayload.updatedCount',
  // The cart token is the shopper's capability: returned once, to whoever created the cart.
  'CreateCartPayload.token',
  // What the caller just checked out; the orders themselves carry their own rules.
  'CheckoutPayload.cartNumber',
  'CheckoutPayload.fraudStatus',
  // Bulk fulfilment counts what it applied; each row's order is read through its own rules.
  'FulfilOrdersPayload.appliedCount',
  'FulfilOrdersPayload.failedCount',
]);

/** Lists that are not connections: small, bounded by their owner, never a listing of the store. */
const BOUNDED_LISTS = new Set([
  'Product.images',
  'Product.tags',
  'Product.kitComponents',
  'Sku.images',
  'Category.ancestors',
  'UserError.field',
  'UpsertProductsPayload.results',
  'ImportProductsPayload.errors',
  'ImportProductsPayload.failedProductCodes',
  'BulkUpdateProductsPayload.errors',
  // A cart holds at most 100 lines (carts MAX_LINES); its orders are one per seller of those lines.
  'Cart.lines',
  'Cart.groups',
  'Cart.discounts',
  'Cart.missing',
  'Cart.paymentOptions',
  'CartGroup.lines',
  'Query.ordersOfCart',
  'CheckoutPayload.orders',
  'Order.lines',
  // One row per status change of one order: a handful along the transition table's rows.
  'Order.history',
  'FraudAnalysis.items',
  'FraudAnalysis.reasons',
  // A payment has at most three parts (Pix + 2 cards); the store has at most three Pix providers.
  'PaymentTransaction.parts',
  'Query.pixProviders',
  // One quote's options and a rule's conditions: a handful each.
  'ShippingQuote.options',
  'ShippingQuote.excluded',
  'ShippingQuote.failures',
  'FreightRule.methods',
  'FreightRule.postalCodeRanges',
  // A parcel's carrier events (a few dozen at most); a bulk call's rows (≤ 1,000) and each row's errors.
  'OrderShipment.events',
  'FulfilOrdersPayload.results',
  'FulfilmentRowResult.errors',
  // One total per statement movement type (a dozen); at most 12 calendar dates (payoutCalendar's count); one chargeback share per order of one cart.
  'SellerStatement.totals',
  'PayoutCalendar.dates',
  'Chargeback.shares',
  // An order's returns (bounded by its units), a return's lines (≤ 100) and its history (a handful of rows along its table).
  'Order.returns',
  'Return.lines',
  'Return.history',
  // The event catalogue (a few dozen types, shared/events EVENT_CATALOGUE), a subscription's chosen types from it, and a type's data keys.
  'Query.webhookEventTypes',
  'WebhookSubscription.eventTypes',
  'WebhookEventType.fields',
  // A campaign's invited sellers and categories (≤ 1,000 each, checked on write); one seller's SKUs in it (≤ 1,000 per join).
  'Campaign.sellerIds',
  'Campaign.categoryIds',
  'Campaign.mySkus',
  'CampaignParticipationPayload.skus',
  // One results row per seller that sold in the campaign: the invited sellers, or the store's guest sellers who joined.
  'CampaignReport.sellers',
  // A ticket's thread (at most 200 messages, tickets MAX_MESSAGES) and a message's files (at most 5);
  // the service calendar's weekdays (7) and holidays (≤ 366); a dashboard's days (≤ 366) and its statuses (one per OrderStatus).
  'Ticket.messages',
  'TicketMessage.attachments',
  'ServiceCalendar.weekdays',
  'ServiceCalendar.holidays',
  'SellerDashboard.days',
  'SellerDashboard.ordersByStatus',
]);

describe('the shield rule tree covers the schema', () => {
  it('every field of every object type has an explicit rule (its own or its type\'s "*")', () => {
    const uncovered: string[] = [];
    for (const type of objectTypes()) {
      const rules = tree[type.name] ?? {};
      for (const field of Object.keys(type.getFields())) {
        if (!(field in rules) && !('*' in rules)) uncovered.push(`${type.name}.${field}`);
      }
    }
    expect(uncovered).toEqual([]);
  });

  it('Query and Mutation fields are each guarded by name, never by a wildcard', () => {
    for (const root of ['Query', 'Mutation']) expect(Object.keys(tree[root] ?? {})).not.toContain('*');
  });

  it('every rule names a type and field that exist (no stale rules)', () => {
    const stale: string[] = [];
    for (const [typeName, fields] of Object.entries(tree)) {
      const type = schema.getType(typeName);
      if (!(type instanceof GraphQLObjectType)) {
        stale.push(typeName);
        continue;
      }
      for (const field of Object.keys(fields)) if (field !== '*' && !(field in type.getFields())) stale.push(`${typeName}.${field}`);
    }
    expect(stale).toEqual([]);
  });

  it('open structural types (pages, edges, payloads) carry no data of their own beyond a known list', () => {
    const unexpected: string[] = [];
    for (const type of objectTypes()) {
      if (!isStructural(type.name)) continue;
      for (const [name, field] of Object.entries(type.getFields())) {
        if (!isLeafType(getNamedType(field.type))) continue;
        const paging = (type.name.endsWith('Connection') || type.name.endsWith('Edge') || type.name === 'PageInfo') && PAGINATION_LEAVES.has(name);
        if (!paging && !OPEN_LEAVES.has(`${type.name}.${name}`)) unexpected.push(`${type.name}.${name}`);
      }
    }
    expect(unexpected, 'a leaf on an open type is readable by anyone who reaches the type: give it a guarded type or add it here knowingly').toEqual([]);
  });

  it('every list of the store is a connection; the other lists are bounded by their owner', () => {
    const lists: string[] = [];
    for (const type of objectTypes()) {
      for (const [name, field] of Object.entries(type.getFields())) {
        if (!isListType(getNullableType(field.type))) continue;
        if (name === 'userErrors' || (type.name.endsWith('Connection') && name === 'edges')) continue;
        if (!BOUNDED_LISTS.has(`${type.name}.${name}`)) lists.push(`${type.name}.${name}`);
      }
    }
    expect(lists).toEqual([]);
  });

  it('a field no rule names is refused with FORBIDDEN (fallbackRule: deny)', async () => {
    const extended = extendSchema(schema, parse('extend type Query { unguardedProbe: String }'));
    const served = applyMiddleware(extended, permissions(extended));
    const res = await graphql({
      schema: served,
      source: '{ unguardedProbe }',
      rootValue: { unguardedProbe: 'leaked' },
      contextValue: { viewer: { kind: 'ANONYMOUS' }, loaders: new Map() },
    });
    expect(res.data).toEqual({ unguardedProbe: null });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
