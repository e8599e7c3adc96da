import { accessRules, sellerAccessRule } from '../../shared/access/index.js';
import type { CommissionRule } from './finance.entity.js';
import type { SellerLedgerItem } from './ledger.service.js';
import { FINANCE_ACCESS } from './finance.access.js';

/** The services repeat the scope checks (a seller's users read their own seller's part). */
const allowed = accessRules('finance', FINANCE_ACCESS);

/** A rule is visible to a seller when it is that seller's own or store-wide (no seller). */
const commissionRuleVisible = sellerAccessRule(
  'finance.commissionRule',
  { ...FINANCE_ACCESS.readSellerFinance, denied: "Commission rules are visible to operator owners/admins and to the seller's own owner and finance users." },
  (r: CommissionRule) => r.seller?.id,
);

/** Statement lines carry their seller: only that seller's finance users and operator owners/admins. */
const statementLineVisible = sellerAccessRule(
  'finance.statementLine',
  { ...FINANCE_ACCESS.readSellerFinance, denied: "A seller's statement is private to that seller and operator owners/admins." },
  (line: SellerLedgerItem) => line.sellerId,
);

export const financeRules = {
  Query: {
    commissionRules: allowed.manageCommission,
    myCommissionRates: allowed.readSellerFinance,
    ledgerEntries: allowed.readLedger,
    sellerLedger: allowed.readSellerFinance,
  },
  Mutation: {
    createCommissionRule: allowed.manageCommission,
    updateCommissionRule: allowed.manageCommission,
    deleteCommissionRule: allowed.manageCommission,
    setDefaultCommission: allowed.manageCommission,
  },
  CommissionRule: { '*': commissionRuleVisible },
  SellerCommissionRates: { '*': allowed.readSellerFinance },
  LedgerEntry: { '*': allowed.readLedger },
  LedgerLine: { '*': allowed.readLedger },
  SellerLedgerLine: { '*': statementLineVisible },
};
