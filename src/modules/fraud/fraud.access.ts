import type { AccessTable } from '../../shared/access/index.js';

/**
 * Who may do what with fraud analyses: read by fraud.rules.ts. Scores and reasons are
 * operator staff's business only; sellers and shoppers see order statuses. (Deciding a
 * REVIEW moves orders, so its rule is the orders module's.)
 */
export const FRAUD_ACCESS = {
  readAnalyses: { operator: 'ALL' },
} as const satisfies AccessTable;
