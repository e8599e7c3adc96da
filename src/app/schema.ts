import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authResolvers } from '../modules/auth/index.js';
import { sellerResolvers } from '../modules/sellers/index.js';
import { integrationResolvers } from '../modules/integrations/index.js';
import { catalogResolvers } from '../modules/catalog/index.js';
import { cartResolvers } from '../modules/carts/index.js';
import { shippingResolvers } from '../modules/shipping/index.js';
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
import { permissions } from './permissions.js';
import { describeTextLimits, inputGuard } from './input-guard.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers = [...authResolvers, ...sellerResolvers, ...integrationResolvers, ...catalogResolvers, ...cartResolvers, ...shippingResolvers, ...promotionResolvers, ...financeResolvers, ...paymentResolvers, ...fraudResolvers, ...orderResolvers, ...checkoutResolvers, ...fulfilmentResolvers, ...payoutResolvers, ...returnResolvers, ...operationsResolvers] as unknown as NonEmptyArray<Function>;

/** The schema without authorization: what schema/schema.graphql prints. */
export async function buildBareSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    validate: false,
    emitSchemaFile: false,
    // Arguments are validated in services, which know the field paths and the domain rules;
    // text (control characters, lengths) once for all at the input guard.
  });
  return describeTextLimits(schema);
}

/** The served schema: every field behind graphql-shield, then the input guard (after it, so a refused caller learns nothing of the arguments). */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildBareSchema();
  return applyMiddleware(schema, permissions(schema), inputGuard);
}
