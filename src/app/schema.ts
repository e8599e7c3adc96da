import { isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { argConverter, argsConverter } from './arg-instances.js';
import { authResolvers } from '../modules/auth/index.js';
import { sellerResolvers } from '../modules/sellers/index.js';
import { integrationResolvers } from '../modules/integrations/index.js';
import { catalogResolvers } from '../modules/catalog/index.js';
import { cartResolvers } from '../modules/carts/index.js';
import { shippingResolvers } from '../modules/shipping/index.js';
import { campaignResolvers } from '../modules/campaigns/index.js';
import { promotionResolvers } from '../modules/promotions/index.js';
import { financeResolvers } from '../modules/finance/index.js';
import { paymentResolvers } from '../modules/payments/index.js';
import { fraudResolvers } from '../modules/fraud/index.js';
import { orderResolvers } from '../modules/orders/index.js';
import { checkoutResolvers } from '../modules/checkout/index.js';
import { fulfilmentResolvers } from '../modules/fulfilment/index.js';
import { payoutResolvers } from '../modules/payouts/index.js';
import { returnResolvers } from '../modules/returns/index.js';
import { operationsResolvers } from '../modules/operations/index.js';
import { feedResolvers } from '../modules/feeds/index.js';
import { webhookResolvers } from '../modules/webhooks/index.js';
import { auditResolvers } from '../modules/audit/index.js';
import { ticketResolvers } from '../modules/tickets/index.js';
import { dashboardResolvers } from '../modules/dashboard/index.js';
import { helpResolvers } from '../modules/help/index.js';
import { permissions } from './permissions.js';
import { describeTextLimits, inputGuard } from './input-guard.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers = [...authResolvers, ...sellerResolvers, ...integrationResolvers, ...catalogResolvers, ...cartResolvers, ...shippingResolvers, ...promotionResolvers, ...campaignResolvers, ...financeResolvers, ...paymentResolvers, ...fraudResolvers, ...orderResolvers, ...checkoutResolvers, ...fulfilmentResolvers, ...payoutResolvers, ...returnResolvers, ...operationsResolvers, ...feedResolvers, ...webhookResolvers, ...auditResolvers, ...ticketResolvers, ...dashboardResolvers, ...helpResolvers] as unknown as NonEmptyArray<Function>;

/** The schema without authorization: what schema/schema.graphql prints. */
export async function buildBareSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    validate: false,
    emitSchemaFile: false,
    // Arguments are validated in services, which know the field paths and the domain rules;
    // text (control characters, lengths) once for all at the input guard.
  });
  // type-graphql has no decorator for the root types' own descriptions.
  describeRoot(schema.getQueryType(), ROOT_DESCRIPTIONS.query);
  describeRoot(schema.getMutationType(), ROOT_DESCRIPTIONS.mutation);
  directFieldResolvers(schema);
  return describeTextLimits(schema);
}

type FieldResolve = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;
type Param = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;

/**
 * type-graphql calls a resolver method through a generic handler: per call it builds a
 * resolver-data object, asks its container for the resolver instance, sorts the method's
 * parameter list (Array.prototype.sort, which allocates) and maps it into a new array, and it
 * runs every argument through an async validator even with validation off, which makes the call
 * a chain of promises. For the fields a listing resolves hundreds of times (a price, a seller, a
 * SKU's colour and its SKU connection) that was a quarter of the request's allocations and a
 * third of its promises. A method whose parameters are `@Root()`, `@Ctx()`, `@Info()`, `@Arg()`
 * and `@Args()` only — no middleware, no roles, no validation of its own, a root type
 * type-graphql would not convert (none, or Object) — is called here directly with the same
 * values in the same order, arguments converted as type-graphql converts them (arg-instances.ts);
 * every other resolver keeps type-graphql's handler. Resolver classes hold no state (no
 * constructor, no fields), so one instance per class serves as the container's does. Root
 * fields (queries, mutations) too: graphql-middleware wraps them afterwards (buildAppSchema).
 */
function directFieldResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const classes = new Set<unknown>(resolvers);
  const instances = new Map<unknown, Record<string, unknown>>();
  const direct = new Map<unknown, FieldResolve | null>();
  type Meta = (typeof storage.fieldResolvers)[number] | (typeof storage.queries)[number];
  const build = (r: Meta): FieldResolve | null => {
    if (('kind' in r && r.kind !== 'external') || !classes.has(r.target) || r.middlewares?.length || r.roles) return null;
    const params = [...(r.params ?? [])].sort((a, b) => a.index - b.index);
    const getters: Param[] = [];
    const simple: string[] = [];
    for (const p of params) {
      if (p.kind === 'root' && !p.propertyName && (!p.getType || p.getType() === Object)) {
        getters.push((root) => root);
        simple.push('root');
      } else if (p.kind === 'context' && !p.propertyName) {
        getters.push((_root, _args, ctx) => ctx);
        simple.push('context');
      } else if (p.kind === 'info') {
        getters.push((_root, _args, _ctx, info) => info);
        simple.push('info');
      } else if ((p.kind === 'arg' || p.kind === 'args') && !p.validateFn && !p.validateSettings) {
        const convert = p.kind === 'arg' ? argConverter(p.name, p.getType) : argsConverter(p.getType);
        getters.push((_root, args) => convert(args));
        simple.push('arg');
      } else return null;
    }
    let instance = instances.get(r.target);
    if (!instance) instances.set(r.target, (instance = new (r.target as new () => Record<string, unknown>)()));
    const target = instance;
    const method = target[r.methodName] as (...a: unknown[]) => unknown;
    switch (simple.join(',')) {
      case 'root':
        return (root) => method.call(target, root);
      case 'root,context':
        return (root, _args, ctx) => method.call(target, root, ctx);
      default:
        return (root, args, ctx, info) => method.apply(target, getters.map((get) => get(root, args, ctx, info)));
    }
  };
  for (const [type, metas] of [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
  ] as const) {
    const fields = type?.getFields() ?? {};
    for (const r of metas) {
      const field = fields[r.schemaName];
      if (!field || !classes.has(r.target)) continue;
      const resolve = build(r);
      if (resolve) field.resolve = resolve as never;
    }
  }
  for (const meta of storage.objectTypes) {
    const type = schema.getType(meta.name);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    // Own fields and those inherited from superclasses, matched to resolver methods as type-graphql matches them.
    for (let target = meta.target; target && target !== Function.prototype; target = Object.getPrototypeOf(target)) {
      const declared = storage.objectTypes.find((o) => o.target === target);
      for (const f of declared?.fields ?? []) {
        const field = fields[f.schemaName];
        if (!field) continue;
        const r = storage.fieldResolvers.find((x) => (x.kind === 'internal' || classes.has(x.target)) && x.getObjectType?.() === f.target && x.methodName === f.name);
        if (!r) {
          // A plain property: type-graphql's resolver reads root[property] through an empty
          // middleware chain (a resolver-data object per call); the same read, without it. A
          // resolver (not none) still, so a property holding a promise (a lazy totalCount) is awaited.
          const property = f.name;
          if (field.resolve && !f.middlewares?.length && !f.roles) field.resolve = (root: unknown) => (root as Record<string, unknown>)[property];
          continue;
        }
        if (!direct.has(r)) direct.set(r, build(r));
        const resolve = direct.get(r);
        if (resolve) field.resolve = resolve;
      }
    }
  }
}

const ROOT_DESCRIPTIONS = {
  query:
    'Everything a client reads: the storefront (catalog, sellers, carts, an order by its signed link), the seller portal and ERP integrations (their own seller\'s products, orders, finance) and operator staff (the whole store). Send `Authorization: Bearer <session or integration token>`; fields a caller may not read answer FORBIDDEN or UNAUTHENTICATED.',
  mutation:
    'Everything a client changes. Expected refusals come back in each payload\'s `userErrors` with nothing changed; only UNAUTHENTICATED and FORBIDDEN are top-level errors. Mutations that move money take an idempotency key: repeating a call with the same key returns the first result.',
};

function describeRoot(type: GraphQLObjectType | null | undefined, description: string) {
  if (type && !type.description) type.description = description;
}

/** The served schema: every field behind graphql-shield, then the input guard (after it, so a refused caller learns nothing of the arguments). */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildBareSchema();
  return applyMiddleware(schema, permissions(schema), inputGuard);
}
