import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, FINANCE } = UserRole;

/** Who reads a seller's dashboard: read by dashboard.rules.ts and the service. */
export const DASHBOARD_ACCESS = {
  /** The dashboard itself: operator staff (any seller) and every user of the seller (its own). */
  readDashboard: { operator: 'ALL', seller: 'ALL' },
  /** Its money owed and next payout: the payouts' readers (seller OWNER and FINANCE). */
  readReceivables: { operator: 'ALL', seller: [OWNER, FINANCE], denied: "Receivables and payouts are visible to the seller's owner and finance users and operator staff." },
} as const satisfies AccessTable;
