import { allow } from 'graphql-shield';
import { accessRules } from '../../shared/access/index.js';
import { PAYMENTS_ACCESS } from './payments.access.js';

const allowed = accessRules('payments', PAYMENTS_ACCESS);

/**
 * The operator query is gated here; the cart and orders expose the same PaymentTransaction
 * type to the shopper behind their own rules, so its fields are open (it carries no provider
 * references, authorization codes or gift-card codes — see payments.types.ts).
 */
export const paymentRules = {
  Query: { paymentTransaction: allowed.readTransactions },
  Mutation: { confirmBankDeposit: allowed.managePayments, createGiftCard: allowed.managePayments },
  PaymentTransaction: { '*': allow },
  PaymentTransactionPart: { '*': allow },
  GiftCard: { '*': allowed.managePayments },
  IssuedGiftCard: { '*': allowed.managePayments },
};
