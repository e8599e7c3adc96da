import { anyone, customer, operator, viewerRule } from '../../shared/access/index.js';

/**
 * Carts are the storefront's: anonymous shoppers and customers, plus operator staff (sales
 * agents build assisted carts). The token is the capability: whoever holds it reads and edits
 * that cart, nobody else reaches it. Seller users and ERP integrations have no cart powers, so
 * a guest seller's staff can never act as a sales agent.
 */
export const shopper = viewerRule('carts.shopper', (v) =>
  v.kind === 'ANONYMOUS' || v.kind === 'CUSTOMER' || v.kind === 'OPERATOR' ? true : 'Carts are for shoppers and operator staff.',
);

export const cartRules = {
  Query: {
    cart: shopper,
    myCarts: customer,
  },
  Mutation: {
    createCart: shopper,
    addCartLine: shopper,
    updateCartLine: shopper,
    removeCartLine: shopper,
    setBuyer: shopper,
    setShippingAddress: shopper,
    selectShippingOption: shopper,
    applyVoucher: shopper,
    removeVoucher: shopper,
  },
  Cart: { '*': anyone },
  // The buyer typed it in; still, only staff read a customer document back in full.
  CartBuyer: { '*': anyone, document: operator() },
  CartAddress: { '*': anyone },
  CartLine: { '*': anyone },
  CartGroup: { '*': anyone },
  CartTotals: { '*': anyone },
  CartAppliedDiscount: { '*': anyone },
  CartVoucher: { '*': anyone },
  CartFreeShipping: { '*': anyone },
  CartPaymentOption: { '*': anyone },
};
