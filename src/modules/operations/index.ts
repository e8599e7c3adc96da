import { OperationsResolver } from './operations.resolver.js';
import { operationsRules as rules } from './operations.rules.js';

/**
 * Operations: what the store's background work needs a person for (the attention list of
 * shared/attention). Its table belongs to src/shared (the jobs and the idempotency recovery
 * write it); this module only shows it to operator staff.
 */
export const operationsResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [OperationsResolver];
export const operationsRules: Record<string, Record<string, unknown>> = rules;
export const operationsEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];
