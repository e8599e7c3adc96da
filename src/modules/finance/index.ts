// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
import { CommissionRule, LedgerEntry, LedgerLine } from './finance.entity.js';
import { CommissionRuleResolver, LedgerEntryResolver, LedgerLineResolver, SellerCommissionRatesResolver } from './finance.resolver.js';
import { financeRules as rules } from './finance.rules.js';

export const financeResolvers = [CommissionRuleResolver, SellerCommissionRatesResolver, LedgerEntryResolver, LedgerLineResolver] as const;
export const financeRules: Record<string, Record<string, unknown>> = rules;
export const financeEntities = [CommissionRule, LedgerEntry, LedgerLine] as const;

// For the checkout, orders, payments and payouts modules.
export { CommissionRule, LedgerAccount, LedgerEntry, LedgerEntryKind, LedgerLine } from './finance.entity.js';
export { commissionOf, commissionRatesFor, settleLine, type LineSettlement } from './commission.service.js';
export { cartLedgerSummary, checkJournal, postJournal, postJournals, sellerPayableBalance, type Journal, type PostOptions, type JournalLine, type LedgerBalance } from './ledger.service.js';
