import { accessRules, anyone } from '../../shared/access/index.js';
import { CARTS_ACCESS } from './carts.access.js';

const allowed = accessRules('carts', CARTS_ACCESS);

/**
 * The token is the capability: whoever holds it reads and edits that cart, nobody else
 * reaches it (CARTS_ACCESS.useCart says which callers hold carts at all).
 */
export const shopper = allowed.useCart;

export const cartRules = {
  Query: {
    cart: shopper,
    myCarts: allowed.listOwnCarts,
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
  CartBuyer: { '*': anyone, document: allowed.readBuyerDocument },
  CartAddress: { '*': anyone },
  CartLine: { '*': anyone },
  CartGroup: { '*': anyone },
  CartTotals: { '*': anyone },
  CartAppliedDiscount: { '*': anyone },
  CartVoucher: { '*': anyone },
  CartFreeShipping: { '*': anyone },
  CartPaymentOption: { '*': anyone },
};
