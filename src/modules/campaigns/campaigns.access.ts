import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, CATALOG, FINANCE } = UserRole;

/**
 * Who may do what with campaigns: read by campaigns.rules.ts and the campaigns service.
 * Campaigns and their payment conditions are the operator's (design.md, Campaigns); a seller
 * only joins, through its catalog people or its integration. Which seller a seller user works
 * on is the service's scope check (sellerFilter).
 */
export const CAMPAIGNS_ACCESS = {
  manageCampaigns: { operator: [OWNER, ADMIN], denied: 'Only operator owners and admins manage campaigns.' },
  /** Every campaign, drafts included. */
  readCampaigns: { operator: 'ALL', denied: 'Only operator staff see every campaign.' },
  /** The campaigns open to a seller, and joining or leaving them with its own SKUs. */
  joinCampaigns: { operator: [OWNER, ADMIN], seller: [OWNER, CATALOG], integration: 'GUEST', write: true, denied: "Only the seller's owner and catalog users (or its integration) join campaigns." },
  readOpenCampaigns: { operator: 'ALL', seller: [OWNER, CATALOG], integration: 'GUEST', denied: "Only the seller's owner and catalog users (or its integration) see the campaigns open to it." },
  /** A campaign's results: the whole campaign for staff, a seller's own part for its people. */
  readCampaignResults: { operator: [OWNER, ADMIN], seller: [OWNER, CATALOG, FINANCE], integration: 'GUEST', denied: 'Only operator owners and admins, and the seller’s owner, catalog and finance users, see campaign results.' },
} as const satisfies AccessTable;
