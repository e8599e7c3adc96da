import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/**
 * Who may do what with promotions: read by promotions.rules.ts and the promotions service.
 * Promotions are the operator's store-wide rules. Sellers, customers, integrations and
 * anonymous callers see nothing: an unpublished coupon list is a giveaway. Shoppers learn
 * about promotions only through their cart's evaluation.
 */
export const PROMOTIONS_ACCESS = {
  writePromotions: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins manage promotions.' },
  /** Every operator role (support, agents building assisted sales). */
  readPromotions: { operator: 'ALL', denied: 'Only operator staff see promotions.' },
} as const satisfies AccessTable;
