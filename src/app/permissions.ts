import { GraphQLError, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { allow, deny, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { IMiddlewareFieldMap } from 'graphql-middleware';
import { authRules } from '../modules/auth/index.js';
import { sellerRules } from '../modules/sellers/index.js';
import { integrationRules } from '../modules/integrations/index.js';
import { catalogRules } from '../modules/catalog/index.js';
import { cartRules } from '../modules/carts/index.js';
import { shippingRules } from '../modules/shipping/index.js';
import { campaignRules } from '../modules/campaigns/index.js';
import { promotionRules } from '../modules/promotions/index.js';
import { financeRules } from '../modules/finance/index.js';
import { paymentRules } from '../modules/payments/index.js';
import { fraudRules } from '../modules/fraud/index.js';
import { orderRules } from '../modules/orders/index.js';
import { fulfilmentRules } from '../modules/fulfilment/index.js';
import { checkoutRules } from '../modules/checkout/index.js';
import { payoutRules } from '../modules/payouts/index.js';
import { returnRules } from '../modules/returns/index.js';
import { operationsRules } from '../modules/operations/index.js';
import { feedRules } from '../modules/feeds/index.js';
import { webhookRules } from '../modules/webhooks/index.js';
import { auditRules } from '../modules/audit/index.js';
import { ticketRules } from '../modules/tickets/index.js';
import { dashboardRules } from '../modules/dashboard/index.js';
import { helpRules } from '../modules/help/index.js';

export type RuleTree = Record<string, Record<string, unknown>>;

/** Types that only carry other types (pages, edges, payloads, errors): their fields are open, what they hold is guarded. */
export const isStructural = (name: string) =>
  name.endsWith('Connection') || name.endsWith('Edge') || name.endsWith('Payload') || name === 'PageInfo' || name === 'UserError';

function merge(trees: RuleTree[]): RuleTree {
  const out: RuleTree = {};
  for (const tree of trees) {
    for (const [type, fields] of Object.entries(tree)) {
      for (const field of Object.keys(fields)) {
        if (out[type]?.[field]) throw new Error(`two modules define a shield rule for ${type}.${field}`);
      }
      out[type] = { ...out[type], ...fields };
    }
  }
  return out;
}

/** The merged rule tree: type → field (or '*') → rule. Exported so a test can check it covers the schema. */
export function ruleTree(schema: GraphQLSchema): RuleTree {
  const structural: RuleTree = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLObjectType && !type.name.startsWith('__') && isStructural(type.name)) {
      structural[type.name] = { '*': allow };
    }
  }
  return merge([structural, authRules, sellerRules, integrationRules, ...catalogRules, cartRules, shippingRules, promotionRules, campaignRules, financeRules, paymentRules, fraudRules, orderRules, checkoutRules, fulfilmentRules, payoutRules, returnRules, operationsRules, feedRules, webhookRules, auditRules, ticketRules, dashboardRules, helpRules] as RuleTree[]);
}

/** The rule shield applies to a field: its own, else its type's '*', else the fallback (deny). */
function effectiveRule(tree: RuleTree, type: string, field: string): unknown {
  return tree[type]?.[field] ?? tree[type]?.['*'] ?? deny;
}

/**
 * Every field of the schema is denied unless a module's rules allow it (fallbackRule: deny).
 * Resolvers' own typed errors pass through (allowExternalErrors).
 *
 * shield wraps every field of the schema in an async middleware, `allow` included. Fields whose
 * rule is `allow` (most of a storefront response: product names, prices, pages, edges) are
 * left unwrapped: the rule could only say yes, and a resolver's error reaches the response
 * the same way with or without it. Every other field — guarded, or denied by the fallback —
 * keeps shield's middleware exactly as shield builds it.
 */
export function permissions(schema: GraphQLSchema): IMiddlewareFieldMap {
  const tree = ruleTree(schema);
  const generator = shield(tree as IRules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    fallbackError: () => new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } }),
  });
  const fieldMap = generator.generate(schema) as Record<string, Record<string, unknown>>;
  for (const [type, fields] of Object.entries(fieldMap)) {
    for (const field of Object.keys(fields)) if (effectiveRule(tree, type, field) === allow) delete fields[field];
    if (!Object.keys(fields).length) delete fieldMap[type];
  }
  return fieldMap as IMiddlewareFieldMap;
}
