import { GraphQLError, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { allow, deny, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
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
  return merge([structural, authRules, sellerRules, integrationRules, ...catalogRules, cartRules, shippingRules, promotionRules, campaignRules, financeRules, paymentRules, fraudRules, orderRules, checkoutRules, fulfilmentRules, payoutRules, returnRules, operationsRules, feedRules, webhookRules, auditRules] as RuleTree[]);
}

/**
 * Every field of the schema is denied unless a module's rules allow it (fallbackRule: deny).
 * Resolvers' own typed errors pass through (allowExternalErrors).
 */
export function permissions(schema: GraphQLSchema) {
  const tree = ruleTree(schema);
  return shield(tree as IRules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    fallbackError: () => new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } }),
  });
}
