import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/** Who may do what with payments: read by payments.rules.ts. */
export const PAYMENTS_ACCESS = {
  /** Money-moving and value-creating operations (confirming a deposit, issuing a gift card). */
  managePayments: { operator: [OWNER, ADMIN] },
  /** A payment transaction by id, with its parts. */
  readTransactions: { operator: 'ALL' },
} as const satisfies AccessTable;

/**
 * Confirming a bank deposit moves the cart's orders too, so the orders' transition table grants
 * the same roles (order-state.ts reads them from here).
 */
export const PAYMENT_MANAGER_ROLES: readonly UserRole[] = PAYMENTS_ACCESS.managePayments.operator;
