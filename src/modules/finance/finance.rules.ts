import { or, rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { UserRole, forbiddenError, operator, sellerUser, unauthenticatedError } from '../../shared/access/index.js';
import type { CommissionRule } from './finance.entity.js';
import type { SellerLedgerItem } from './ledger.service.js';

const { OWNER, ADMIN, FINANCE } = UserRole;

/**
 * Commission and the ledger are finance data: operator owners/admins see the whole store,
 * a guest seller's owner and finance users see their own seller's part, nobody else anything.
 * Integrations are not given finance reads. The services repeat the scope checks.
 */
const financeAdmin = operator(OWNER, ADMIN);
const sellerFinance = sellerUser([OWNER, FINANCE]);
const financeReader = or(financeAdmin, sellerFinance);

/** A rule is visible to a seller when it is that seller's own or store-wide (no seller). */
const commissionRuleVisible = rule('finance.commissionRule', { cache: 'no_cache' })((r: CommissionRule, _args, ctx: Context) => {
  const v = ctx.viewer;
  if (v.kind === 'ANONYMOUS') return unauthenticatedError();
  if (v.kind === 'OPERATOR' && (v.role === OWNER || v.role === ADMIN)) return true;
  if (v.kind === 'SELLER' && (v.role === OWNER || v.role === FINANCE) && (!r.seller || r.seller.id === v.seller.id)) return true;
  return forbiddenError("Commission rules are visible to operator owners/admins and to the seller's own owner and finance users.");
});

/** Statement lines carry their seller: only that seller's finance users and operator owners/admins. */
const statementLineVisible = rule('finance.statementLine', { cache: 'no_cache' })((line: SellerLedgerItem, _args, ctx: Context) => {
  const v = ctx.viewer;
  if (v.kind === 'ANONYMOUS') return unauthenticatedError();
  if (v.kind === 'OPERATOR' && (v.role === OWNER || v.role === ADMIN)) return true;
  if (v.kind === 'SELLER' && (v.role === OWNER || v.role === FINANCE) && line.sellerId === v.seller.id) return true;
  return forbiddenError("A seller's statement is private to that seller and operator owners/admins.");
});

export const financeRules = {
  Query: {
    commissionRules: financeAdmin,
    myCommissionRates: financeReader,
    ledgerEntries: financeAdmin,
    sellerLedger: financeReader,
    sellerBalance: financeReader,
  },
  Mutation: {
    createCommissionRule: financeAdmin,
    updateCommissionRule: financeAdmin,
    deleteCommissionRule: financeAdmin,
    setDefaultCommission: financeAdmin,
  },
  CommissionRule: { '*': commissionRuleVisible },
  SellerCommissionRates: { '*': financeReader },
  LedgerEntry: { '*': financeAdmin },
  LedgerLine: { '*': financeAdmin },
  SellerLedgerLine: { '*': statementLineVisible },
};
