import { CheckoutResolver } from './checkout.resolver.js';
import { checkoutMutationRules } from './checkout.rules.js';
import { CheckoutAttempt } from './checkout.entity.js';
// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const checkoutResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [CheckoutResolver];
export const checkoutRules: Record<string, Record<string, unknown>> = checkoutMutationRules;
export const checkoutEntities: readonly (abstract new (...args: never[]) => unknown)[] = [CheckoutAttempt];

// Used by other modules.
export { checkout } from './checkout.service.js';
export { resumePendingAnalyses } from './fraud-resume.js';
