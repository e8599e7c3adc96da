import { CheckoutAttempt } from './checkout.entity.js';
// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const checkoutResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const checkoutRules: Record<string, Record<string, unknown>> = {};
export const checkoutEntities: readonly (abstract new (...args: never[]) => unknown)[] = [CheckoutAttempt];
