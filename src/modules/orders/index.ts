import { Order, OrderLine } from './orders.entity.js';
import { OrderLineResolver, OrderResolver } from './orders.resolver.js';
import { orderRules as rules } from './orders.rules.js';
// Registers the payment lifecycle hooks (paid / expired) as soon as the module is loaded.
import './settlement.service.js';

export { Order, OrderLine, OrderStatus, CancellationReason } from './orders.entity.js';
export { cancelOrder, type CancelOptions } from './cancellation.service.js';
export { applyFraudOutcome } from './settlement.service.js';
export { canSeeOrder, grantCart } from './orders.service.js';
export { OrderType } from './orders.types.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const orderResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [OrderResolver, OrderLineResolver];
export const orderRules: Record<string, Record<string, unknown>> = rules;
export const orderEntities: readonly (abstract new (...args: never[]) => unknown)[] = [Order, OrderLine];
