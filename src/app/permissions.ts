import { GraphQLError, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { allow, deny, rule as shieldRule, shield } from 'graphql-shield';
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
  return shieldFieldMap(schema, ruleTree(schema));
}

/** Shield's middleware for the fields of `schema` under `tree`, as permissions() applies it (exported for its test). */
export function shieldFieldMap(schema: GraphQLSchema, tree: RuleTree): IMiddlewareFieldMap {
  const generator = shield(tree as IRules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    fallbackError,
  });
  const fieldMap = generator.generate(schema) as Record<string, Record<string, unknown>>;
  for (const [type, fields] of Object.entries(fieldMap)) {
    for (const field of Object.keys(fields)) {
      const rule = effectiveRule(tree, type, field);
      if (rule === allow) delete fields[field];
      else if (isUncachedRule(rule) && typeof fields[field] === 'function') fields[field] = answeringAtOnce(rule, fields[field] as ShieldMiddleware);
    }
    if (!Object.keys(fields).length) delete fieldMap[type];
  }
  return fieldMap as IMiddlewareFieldMap;
}

const fallbackError = () => new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } });

type ShieldMiddleware = (resolve: (...a: unknown[]) => unknown, parent: unknown, args: unknown, ctx: Record<string, unknown>, info: unknown) => Promise<unknown>;
interface UncachedRule {
  cache: unknown;
  func: (parent: unknown, args: unknown, ctx: unknown, info: unknown) => unknown;
  extractFragment(): unknown;
}

// graphql-shield exports no Rule class; its plain rules are what `rule()` builds.
const PlainRule = (shieldRule('probe')(() => true) as object).constructor;

/** A plain rule (not and/or/chain, no fragment) evaluated on every call: `rule(name, { cache: 'no_cache' })`. */
function isUncachedRule(rule: unknown): rule is UncachedRule {
  if (!rule || Object.getPrototypeOf(rule) !== PlainRule.prototype) return false;
  const r = rule as UncachedRule;
  return r.cache === 'no_cache' && !r.extractFragment() && typeof r.func === 'function';
}

const isThenable = (x: unknown): x is PromiseLike<unknown> => !!x && typeof (x as { then?: unknown }).then === 'function';

/**
 * Shield's middleware for a field under an uncached plain rule, deciding at once when the
 * rule's function answers at once. Shield's own middleware is async throughout (three awaits
 * per field, plus the promise the field becomes): on a seller's listing, where `Sku.stock` is
 * guarded on each of 48 SKUs, that machinery cost 0.6 ms of a 3 ms request, more than
 * the rule itself. The rule and what follows from its answer are shield's (Rule.resolve and
 * its generator's middleware, graphql-shield 7.6): true runs the resolver, false answers the
 * fallback error, an Error (or a string, as an Error) is the field's error, a rule that throws
 * counts as false, and a resolver's own error passes through (allowExternalErrors). A rule
 * whose function returns a promise goes through shield's middleware unchanged.
 */
function answeringAtOnce(rule: UncachedRule, shieldMiddleware: ShieldMiddleware): ShieldMiddleware {
  const run = (resolve: (...a: unknown[]) => unknown, parent: unknown, args: unknown, ctx: unknown, info: unknown) => {
    try {
      const out = resolve(parent, args, ctx, info);
      return isThenable(out) ? Promise.resolve(out).catch((err: unknown) => err) : out;
    } catch (err) {
      return err;
    }
  };
  return ((resolve, parent, args, ctx, info) => {
    let verdict: unknown;
    try {
      verdict = rule.func(parent, args, ctx, info);
    } catch {
      verdict = false;
    }
    if (isThenable(verdict)) return shieldMiddleware(resolve, parent, args, ctx, info);
    if (verdict === true) return run(resolve, parent, args, ctx, info);
    if (verdict instanceof Error) return verdict;
    if (typeof verdict === 'string') return new Error(verdict);
    return fallbackError();
  }) as ShieldMiddleware;
}
