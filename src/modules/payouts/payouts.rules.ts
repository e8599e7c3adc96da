import { accessRules, sellerAccessRule } from '../../shared/access/index.js';
import type { Payout } from './payouts.entity.js';
import type { SellerAdjustment } from './receivables.entity.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';

/**
 * Shield rules from the payouts access table. Everything a seller reads carries its seller:
 * a seller's users and integration pass only for their own seller's (the services scope the
 * queries too); where a payout's money went is the bank-data rule's.
 */
const allowed = accessRules('payouts', PAYOUTS_ACCESS);

const own = <P>(name: string, sellerIdOf: (parent: P) => string) => sellerAccessRule(`payouts.${name}`, PAYOUTS_ACCESS.readPayouts, sellerIdOf);
const destination = <P>(name: string, sellerIdOf: (parent: P) => string) =>
  sellerAccessRule(`payouts.${name}`, { ...PAYOUTS_ACCESS.readDestination, denied: "Where a payout went (the seller's bank data) is visible to the seller's owner and finance users and operator owners/admins." }, sellerIdOf);

const bySellerId = (x: { sellerId: string }) => x.sellerId;

export const payoutsRules = {
  Query: {
    receivables: allowed.readPayouts,
    sellerBalance: allowed.readPayouts,
    payouts: allowed.readPayouts,
    payout: allowed.readPayouts,
    sellerStatement: allowed.readPayouts,
    payoutCalendar: allowed.readPayouts,
    payoutSettings: allowed.readPayouts,
    sellerAdjustments: allowed.readPayouts,
    chargebacks: allowed.readChargebacks,
  },
  Mutation: {
    runPayouts: allowed.runPayouts,
    confirmPayout: allowed.runPayouts,
    failPayout: allowed.runPayouts,
    refreshPayout: allowed.runPayouts,
    createSellerAdjustment: allowed.adjust,
    recordChargeback: allowed.manageChargebacks,
    reverseChargeback: allowed.manageChargebacks,
    updatePayoutSettings: allowed.manageSettings,
  },
  Receivable: { '*': own('receivable', bySellerId) },
  SellerBalance: { '*': own('balance', bySellerId) },
  Payout: { '*': own('payout', (p: Payout) => p.seller.id), destination: destination('payoutDestinationField', (p: Payout) => p.seller.id) },
  PayoutItem: { '*': own('payoutItem', bySellerId) },
  PayoutDestination: { '*': destination('payoutDestination', bySellerId) },
  PayoutRun: { '*': allowed.runPayouts },
  SellerStatement: { '*': own('statement', bySellerId) },
  StatementMovement: { '*': own('statementMovement', bySellerId) },
  // Reached only through a SellerStatement / PayoutCalendar, whose own rules scope the seller.
  StatementTotal: { '*': allowed.readPayouts },
  PayoutCalendar: { '*': own('calendar', bySellerId) },
  PayoutForecast: { '*': allowed.readPayouts },
  PayoutSettings: { '*': allowed.readPayouts },
  SellerAdjustment: { '*': own('adjustment', (a: SellerAdjustment) => a.seller.id) },
  Chargeback: { '*': allowed.readChargebacks },
  ChargebackShare: { '*': allowed.readChargebacks },
};
