import { allow } from 'graphql-shield';
import { cartHolderRule } from '../carts/index.js';

/**
 * Whoever holds a cart token may check it out — anonymous shoppers, customers, operator staff
 * in an assisted sale — but not seller users or integrations, who would otherwise read other
 * sellers' orders of their own cart. The service refuses a customer's cart to anyone but that
 * customer and operator staff.
 */
export const checkoutMutationRules = {
  Mutation: { checkout: cartHolderRule },
  // Which Pix providers the store offers is storefront information.
  Query: { pixProviders: allow },
};
