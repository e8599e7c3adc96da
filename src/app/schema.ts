import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
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
  return describeTextLimits(schema);
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
