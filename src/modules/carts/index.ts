// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const cartResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const cartRules: Record<string, Record<string, unknown>> = {};
export const cartEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];
