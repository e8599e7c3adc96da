import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, FINANCE } = UserRole;

/**
 * Who may do what with commission and the ledger: read by finance.rules.ts and the finance
 * services. Finance data is operator owners'/admins' for the whole store, a guest seller's
 * owner and finance users' for their own seller's part, nobody else's; integrations are not
 * given finance reads. Which seller a seller user reads is the services' scope check.
 */
export const FINANCE_ACCESS = {
  /** Commission rules and the store default. */
  manageCommission: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins manage commission.' },
  /** The whole ledger (every account, every seller). */
  readLedger: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins read the whole ledger.' },
  /** A seller's rates, statement and balance. */
  readSellerFinance: { operator: [OWNER, ADMIN], seller: [OWNER, FINANCE] },
} as const satisfies AccessTable;
