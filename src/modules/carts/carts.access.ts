import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, AGENT } = UserRole;

/**
 * Who may do what with carts: read by carts.rules.ts (and the checkout's and orders' rules,
 * through cartHolderRule) and by the carts service. Carts are the storefront's: anonymous
 * shoppers and customers, plus operator staff (sales agents build assisted carts). Seller users
 * and ERP integrations have no cart powers, so a guest seller's staff can never act as a sales agent.
 */
export const CARTS_ACCESS = {
  /** Use a cart by its token (the token is the capability; a customer's cart is also that customer's). */
  useCart: { anonymous: true, customer: true, operator: 'ALL', denied: 'Carts are for shoppers and operator staff.' },
  /** Use any customer's cart, token aside (staff assisting). */
  useCustomersCart: { operator: 'ALL' },
  /** A customer's own carts. */
  listOwnCarts: { customer: true },
  /** Build a cart for a customer (assisted sale). */
  assistedSale: { operator: [OWNER, ADMIN, AGENT], denied: 'Only sales agents and operator owners/admins build carts for a customer.' },
  /** The buyer typed it in; still, only staff read a customer document back in full. */
  readBuyerDocument: { operator: 'ALL' },
} as const satisfies AccessTable;
