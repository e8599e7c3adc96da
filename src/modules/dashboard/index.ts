// The seller portal's dashboard: SQL aggregates over orders, products, tickets and receivables.
import { DashboardResolver } from './dashboard.resolver.js';
import { dashboardRules as rules } from './dashboard.rules.js';

export const dashboardResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [DashboardResolver];
export const dashboardRules: Record<string, Record<string, unknown>> = rules;
