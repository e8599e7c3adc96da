// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const promotionResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const promotionRules: Record<string, Record<string, unknown>> = {};
export const promotionEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];
