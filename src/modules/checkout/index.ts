import { CheckoutResolver } from './checkout.resolver.js';
import { checkoutMutationRules } from './checkout.rules.js';
// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const checkoutResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [CheckoutResolver];
export const checkoutRules: Record<string, Record<string, unknown>> = checkoutMutationRules;
// Its idempotency keys live in shared/idempotency (idempotency_claim, scope `checkout`).
export const checkoutEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];

// Used by other modules.
export { checkout, checkoutRecovery, CHECKOUT_SCOPE } from './checkout.service.js';
export { resumePendingAnalyses, FRAUD_RESUME_SOURCE } from './fraud-resume.js';
