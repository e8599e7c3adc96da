// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const financeResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const financeRules: Record<string, Record<string, unknown>> = {};
export const financeEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];
