import { allow } from 'graphql-shield';
import { UserRole, operator } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;
/**
 * Money-moving and value-creating operations: operator owners and admins. Confirming a bank
 * deposit moves the cart's orders too, so the orders' transition table grants these roles.
 */
export const PAYMENT_MANAGER_ROLES: readonly UserRole[] = [OWNER, ADMIN];
const manage = operator(...PAYMENT_MANAGER_ROLES);

/**
 * The operator query is gated here; the cart and orders expose the same PaymentTransaction
 * type to the shopper behind their own rules, so its fields are open (it carries no provider
 * references, authorization codes or gift-card codes — see payments.types.ts).
 */
export const paymentRules = {
  Query: { paymentTransaction: operator() },
  Mutation: { confirmBankDeposit: manage, createGiftCard: manage },
  PaymentTransaction: { '*': allow },
  PaymentTransactionPart: { '*': allow },
  GiftCard: { '*': manage },
  IssuedGiftCard: { '*': manage },
};
