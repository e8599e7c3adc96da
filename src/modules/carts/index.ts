// What this module adds to the app, and what the checkout may call.
import { Cart, CartAddress, CartBuyer, CartLine } from './carts.entity.js';
import { CartResolver } from './carts.resolver.js';
import { cartRules as rules } from './carts.rules.js';
export { shopper as cartHolderRule } from './carts.rules.js';

export { Cart, CartLine, CartStatus, CartBuyer, CartAddress } from './carts.entity.js';
export { closeCheckedOutCart, loadCartSnapshot, hashCartToken, mayUseCart, type CartSnapshot, type CartSnapshotLine, type CartRequirement } from './carts.snapshot.js';

export const cartResolvers = [CartResolver] as const;
export const cartRules: Record<string, Record<string, unknown>> = rules;
export const cartEntities = [CartBuyer, CartAddress, Cart, CartLine] as const;

// Used by other modules.
export { addCartLine, applyVoucher, createCart, setBuyer, setShippingAddress } from './carts.service.js';
