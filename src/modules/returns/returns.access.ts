import { SELLER_ROLES, UserRole, type AccessTable } from '../../shared/access/index.js';

/**
 * Who may read returns (the moves are the transition table's, return-state.ts): operator
 * staff, the seller's users who see its orders (not its catalog users) and its integration,
 * customers (their own orders'). Which return is the service's scope check.
 */
export const RETURNS_ACCESS = {
  listReturns: {
    operator: 'ALL',
    seller: SELLER_ROLES.filter((r) => r !== UserRole.CATALOG),
    integration: 'ANY',
    customer: true,
    denied: 'Only operator staff, the seller\'s owner, finance and customer-service users, its integration and customers read returns.',
  },
} as const satisfies AccessTable;
