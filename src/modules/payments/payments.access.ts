import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/** Who may do what with payments: read by payments.rules.ts. */
export const PAYMENTS_ACCESS = {
  /** Money-moving and value-creating operations (confirming a deposit, issuing a gift card). */
  managePayments: { operator: [OWNER, ADMIN] },
  /** A payment transaction by id, with its parts. */
  readTransactions: { operator: 'ALL' },
} as const satisfies AccessTable;
