import { UserRole, type AccessTable } from '../../shared/access/index.js';
import { SELLERS_ACCESS } from '../sellers/index.js';

const { OWNER, ADMIN, FINANCE } = UserRole;

/**
 * Who may do what with receivables, payouts, statements, adjustments and chargebacks: read by
 * payouts.rules.ts and the payouts services. A seller's owner and finance users and its
 * integration read their own seller's (the services' scope check); catalog and service users
 * read none; operator staff read every seller's. Moving money is operator owners' and admins'.
 */
export const PAYOUTS_ACCESS = {
  /** Balances, receivables, payouts, statements, the payout calendar, adjustments, the settlement rule. */
  readPayouts: { operator: 'ALL', seller: [OWNER, FINANCE], integration: 'ANY', denied: "Payouts and statements are visible to the seller's owner and finance users, its integration and operator staff." },
  /** runPayouts, confirming, failing and refreshing transfers. */
  runPayouts: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins run and settle payouts.' },
  /** Credits and debits to a seller. */
  adjust: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins post adjustments.' },
  /** Entering and reversing chargebacks; reading them store-wide. */
  manageChargebacks: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins enter chargebacks.' },
  readChargebacks: { operator: 'ALL', denied: 'Chargebacks are read by operator staff; sellers see theirs in their statement.' },
  /** The settlement rule and the payout calendar. */
  manageSettings: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins change the settlement rule and the payout calendar.' },
  /** Where a payout went (the seller's bank data): the sellers module's bank data rule. */
  readDestination: SELLERS_ACCESS.readBankData,
} as const satisfies AccessTable;
