import { Order, OrderLine } from './orders.entity.js';
// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const orderResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const orderRules: Record<string, Record<string, unknown>> = {};
export const orderEntities: readonly (abstract new (...args: never[]) => unknown)[] = [Order, OrderLine];
