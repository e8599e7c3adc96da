import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/**
 * Who may do what with the store's shipping configuration (tables, rules, settings): read by
 * shipping.rules.ts and the shipping services. It is the operator's: never shown to sellers,
 * customers or the storefront. Quotes are the shopper's, through the cart.
 */
export const SHIPPING_ACCESS = {
  writeShipping: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins change the store shipping.' },
  /** Every operator role (support answers freight questions). */
  readShipping: { operator: 'ALL', denied: 'Only operator staff see the store shipping configuration.' },
} as const satisfies AccessTable;
